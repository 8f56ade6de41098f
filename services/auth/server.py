"""The auth service's two listeners: Identification (for the gateway) and CardAdmin (for
the commune, on its own loopback listener, never reachable through the gateway)."""

from __future__ import annotations

from services.common import grpc_server
from ssp.auth.v1 import auth_pb2, auth_pb2_grpc


def register_identification(server):
    auth_pb2_grpc.add_IdentificationServicer_to_server(auth_pb2_grpc.IdentificationServicer(), server)
    return grpc_server.service_names(auth_pb2.DESCRIPTOR, "Identification")


def register_card_admin(server):
    auth_pb2_grpc.add_CardAdminServicer_to_server(auth_pb2_grpc.CardAdminServicer(), server)
    return grpc_server.service_names(auth_pb2.DESCRIPTOR, "CardAdmin")
