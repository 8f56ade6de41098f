"""The roles service's servicers, Roles and AccessManagement, on one server built by the
shared bootstrap."""

from __future__ import annotations

from services.common import grpc_server
from services.roles.servicer import AccessManagementServicer, RolesServicer
from services.roles.store import Store
from ssp.roles.v1 import roles_pb2, roles_pb2_grpc

# Who may call what: the gateway for the journey, the federal access-management client for
# granting qualities and roles.
CALLERS = {
    "/ssp.roles.v1.Roles/*": ["gateway"],
    "/ssp.roles.v1.AccessManagement/*": ["access-manager"],
}


def registrar(store: Store) -> grpc_server.Registrar:
    def register(server):
        roles_pb2_grpc.add_RolesServicer_to_server(RolesServicer(store), server)
        roles_pb2_grpc.add_AccessManagementServicer_to_server(AccessManagementServicer(store), server)
        return grpc_server.service_names(roles_pb2.DESCRIPTOR, "Roles", "AccessManagement")

    return register
