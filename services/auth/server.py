"""The auth service's two listeners: Identification (for the gateway) and CardAdmin (for
the commune, on its own loopback listener, never reachable through the gateway)."""

from __future__ import annotations

import redis

from services.auth import metrics
from services.auth.audit import AuditTrail
from services.auth.cards import CardReaders
from services.auth.chain import CertificateChecker
from services.auth.login import Identification
from services.auth.servicer import CardAdminServicer, IdentificationServicer
from services.auth.sessions import Sessions
from services.auth.settings import Settings
from services.auth.try_counter import TryCounter
from services.common import grpc_server
from ssp.auth.v1 import auth_pb2, auth_pb2_grpc

# Who may call what: the gateway identifies people; only the commune unblocks cards.
CALLERS = {
    "/ssp.auth.v1.Identification/*": ["gateway"],
    "/ssp.auth.v1.CardAdmin/*": ["commune"],
}


def build(settings: Settings) -> Identification:
    client = redis.Redis.from_url(settings.redis_url, socket_timeout=2, health_check_interval=30)
    return Identification(
        readers=CardReaders(settings.pkcs11_module),
        checker=CertificateChecker.from_files(settings.trust_anchors, settings.intermediates, settings.crls),
        pin_tries=TryCounter(client, "pin", settings.pin_try_limit),
        puk_tries=TryCounter(client, "puk", settings.puk_try_limit),
        sessions=Sessions(client, idle_seconds=settings.session_idle_seconds,
                          absolute_seconds=settings.session_absolute_seconds),
        audit=AuditTrail(client),
    )


def identification_registrar(identification: Identification) -> grpc_server.Registrar:
    metrics.count_sessions_with(identification.sessions)

    def register(server):
        auth_pb2_grpc.add_IdentificationServicer_to_server(IdentificationServicer(identification), server)
        return grpc_server.service_names(auth_pb2.DESCRIPTOR, "Identification")

    return register


def card_admin_registrar(identification: Identification) -> grpc_server.Registrar:
    def register(server):
        auth_pb2_grpc.add_CardAdminServicer_to_server(CardAdminServicer(identification), server)
        return grpc_server.service_names(auth_pb2.DESCRIPTOR, "CardAdmin")

    return register
