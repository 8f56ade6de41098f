"""The PrimaWeb service's servicers. The methods answer UNIMPLEMENTED (the generated base
class) until the PrimaWeb issues give them their data; no fake data is served meanwhile."""

from __future__ import annotations

from services.common import grpc_server
from ssp.primaweb.v1 import primaweb_pb2, primaweb_pb2_grpc


def register(server):
    primaweb_pb2_grpc.add_PrimaWebServicer_to_server(primaweb_pb2_grpc.PrimaWebServicer(), server)
    return grpc_server.service_names(primaweb_pb2.DESCRIPTOR, "PrimaWeb")
