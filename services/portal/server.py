"""The portal's servicers, registered on a server built by the shared bootstrap."""

from __future__ import annotations

from services.common import grpc_server
from services.portal import catalogue
from services.portal.servicer import PortalCatalogueServicer
from ssp.portal.v1 import portal_pb2, portal_pb2_grpc

# Who may call what (identities are the common names of the callers' certificates).
CALLERS = {"/ssp.portal.v1.PortalCatalogue/*": ["gateway"]}


def registrar(data: catalogue.Catalogue) -> grpc_server.Registrar:
    def register(server):
        portal_pb2_grpc.add_PortalCatalogueServicer_to_server(PortalCatalogueServicer(data), server)
        return grpc_server.service_names(portal_pb2.DESCRIPTOR, "PortalCatalogue")

    return register
