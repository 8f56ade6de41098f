"""The portal's servicers, registered on a server built by the shared bootstrap."""

from __future__ import annotations

from services.common import grpc_server
from services.portal import catalogue
from services.portal.servicer import PortalCatalogueServicer
from ssp.portal.v1 import portal_pb2, portal_pb2_grpc


def registrar(data: catalogue.Catalogue) -> grpc_server.Registrar:
    def register(server):
        portal_pb2_grpc.add_PortalCatalogueServicer_to_server(PortalCatalogueServicer(data), server)
        return grpc_server.service_names(portal_pb2.DESCRIPTOR, "PortalCatalogue")

    return register
