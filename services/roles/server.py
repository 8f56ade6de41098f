"""The roles service's servicers. The methods answer UNIMPLEMENTED (the generated base
class) until the roles issue gives them their data; no fake data is served meanwhile."""

from __future__ import annotations

from services.common import grpc_server
from ssp.roles.v1 import roles_pb2, roles_pb2_grpc


def register(server):
    roles_pb2_grpc.add_RolesServicer_to_server(roles_pb2_grpc.RolesServicer(), server)
    return grpc_server.service_names(roles_pb2.DESCRIPTOR, "Roles")
