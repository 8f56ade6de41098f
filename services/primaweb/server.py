"""The PrimaWeb service's servicers, PrimaWeb (for the gateway, acting for CPAS agents) and
SppIntegration (for the SPP IS's federal client), on one server built by the shared
bootstrap."""

from __future__ import annotations

from services.common import grpc_server
from services.primaweb.servicer import PrimaWebServicer, SppIntegrationServicer
from services.primaweb.store import Store
from ssp.primaweb.v1 import primaweb_pb2, primaweb_pb2_grpc

# Who may call what: the gateway acts for the CPAS agents; the SPP IS has its own service.
CALLERS = {
    "/ssp.primaweb.v1.PrimaWeb/*": ["gateway"],
    "/ssp.primaweb.v1.SppIntegration/*": ["spp-is"],
}


def registrar(store: Store) -> grpc_server.Registrar:
    def register(server):
        primaweb_pb2_grpc.add_PrimaWebServicer_to_server(PrimaWebServicer(store), server)
        primaweb_pb2_grpc.add_SppIntegrationServicer_to_server(SppIntegrationServicer(store), server)
        return grpc_server.service_names(primaweb_pb2.DESCRIPTOR, "PrimaWeb", "SppIntegration")

    return register
