"""The auth service's two listeners: Identification (for the gateway) and CardAdmin (for
the commune, on its own loopback listener, never reachable through the gateway)."""

from __future__ import annotations

import datetime as dt

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from services.auth import metrics
from services.auth.audit import AuditTrail
from services.auth.cards import CardReaders
from services.auth.certificate_login import CertificateLogin
from services.auth.chain import CertificateChecker
from services.auth.login import Identification
from services.auth.servicer import CardAdminServicer, IdentificationServicer
from services.auth.session_events import SessionWatch
from services.auth.sessions import Sessions
from services.auth.settings import Settings
from services.auth.try_counter import TryCounter
from services.auth.webeid import OcspOptions, TrustStore, WebEidValidator
from services.auth.webeid_challenges import WebEidChallenges
from services.auth.webeid_login import TRY_PREFIX, ExpiringTryCounter, WebEidLogin
from services.common import grpc_server
from ssp.auth.v1 import auth_pb2, auth_pb2_grpc

# Who may call what: the gateway identifies people; only the commune unblocks cards.
CALLERS = {
    "/ssp.auth.v1.Identification/*": ["gateway"],
    "/ssp.auth.v1.CardAdmin/*": ["commune"],
}


def redis_client(url: str) -> redis.Redis:
    """Bounded waits: a Redis that stalls costs one socket timeout (1 s, never retried),
    well within the gateway's 3 s deadline; the servicer then answers UNAVAILABLE. A dropped
    connection (Redis restarted) is retried once on a fresh one, so nobody sees it."""
    return redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1, health_check_interval=30,
                                retry=Retry(NoBackoff(), 1, supported_errors=(redis.ConnectionError,)))


def build(settings: Settings) -> Identification:
    client = redis_client(settings.redis_url)
    identification = Identification(
        readers=CardReaders(settings.pkcs11_module) if settings.simulated_readers else None,
        checker=CertificateChecker.from_files(settings.trust_anchors, settings.intermediates, settings.crls),
        pin_tries=TryCounter(client, "pin", settings.pin_try_limit),
        puk_tries=TryCounter(client, "puk", settings.puk_try_limit),
        sessions=Sessions(client, idle_seconds=settings.session_idle_seconds,
                          absolute_seconds=settings.session_absolute_seconds),
        audit=AuditTrail(client),
    )
    # Web eID and the certificate login ride along on the Identification, so that
    # identification_registrar() finds them; both judge certificates with one validator.
    validator = build_validator(settings)
    identification.webeid = build_webeid(settings, client, identification.sessions,  # type: ignore[attr-defined]
                                         identification.audit, validator)
    identification.certificate_login = CertificateLogin(  # type: ignore[attr-defined]
        validator, client, identification.sessions, identification.audit)
    identification.session_watch = SessionWatch(  # type: ignore[attr-defined]
        client, watchers=settings.session_watchers, heartbeat_seconds=settings.session_watch_heartbeat_seconds)
    return identification


def build_validator(settings: Settings) -> WebEidValidator:
    """The certificate checks of Web eID and of the TLS certificate login, with the same
    trust anchors, intermediates and CRLs as the simulated readers."""
    trust = TrustStore.from_pem(
        settings.trust_anchors.read_bytes(),
        settings.intermediates.read_bytes(),
        [path.read_bytes() for path in settings.crls],
    )
    return WebEidValidator(
        origin=settings.webeid_origin,
        trust=trust,
        disallowed_policies=settings.webeid_disallowed_policies,
        ocsp=OcspOptions(enabled=settings.webeid_ocsp, url=settings.webeid_ocsp_url or None,
                         timeout=settings.webeid_ocsp_timeout_seconds,
                         max_age=dt.timedelta(seconds=settings.webeid_ocsp_max_age_seconds)),
    )


def build_webeid(settings: Settings, client: redis.Redis, sessions: Sessions, audit: AuditTrail,
                 validator: WebEidValidator | None = None) -> WebEidLogin:
    """Web eID login: failed proofs counted per certificate (see webeid_login.py)."""
    validator = validator or build_validator(settings)
    tries = ExpiringTryCounter(client, TRY_PREFIX, settings.webeid_try_limit, settings.webeid_lock_seconds)
    return WebEidLogin(validator, WebEidChallenges(client), tries, sessions, audit)


def identification_registrar(identification: Identification, webeid: WebEidLogin | None = None,
                             certificate_login: CertificateLogin | None = None) -> grpc_server.Registrar:
    metrics.count_sessions_with(identification.sessions)
    webeid = webeid or getattr(identification, "webeid", None)
    certificate_login = certificate_login or getattr(identification, "certificate_login", None)

    def register(server):
        servicer = IdentificationServicer(identification, webeid, certificate_login,
                                          getattr(identification, "session_watch", None))
        auth_pb2_grpc.add_IdentificationServicer_to_server(servicer, server)
        return grpc_server.service_names(auth_pb2.DESCRIPTOR, "Identification")

    return register


def card_admin_registrar(identification: Identification) -> grpc_server.Registrar:
    def register(server):
        auth_pb2_grpc.add_CardAdminServicer_to_server(CardAdminServicer(identification), server)
        return grpc_server.service_names(auth_pb2.DESCRIPTOR, "CardAdmin")

    return register
