"""The PrimaWeb service's servicers, registered on a server built by the shared bootstrap."""

from __future__ import annotations

from services.common import grpc_server
from services.primaweb.servicer import PrimaWebServicer
from ssp.primaweb.v1 import primaweb_pb2, primaweb_pb2_grpc

# Who may call what: the gateway acts for the CPAS agents; the SPP IS has its own service.
CALLERS = {
    "/ssp.primaweb.v1.PrimaWeb/*": ["gateway"],
    "/ssp.primaweb.v1.SppIntegration/*": ["spp-is"],
}


def register(server):
    primaweb_pb2_grpc.add_PrimaWebServicer_to_server(PrimaWebServicer(), server)
    return grpc_server.service_names(primaweb_pb2.DESCRIPTOR, "PrimaWeb")
