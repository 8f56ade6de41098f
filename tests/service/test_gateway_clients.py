"""The gateway's clients keep the answers fixed while their service runs (the catalogue)
against a real portal gRPC server: one call per request message and language, copies handed
out, errors never kept, nothing kept when turned off."""

from __future__ import annotations

import time

import grpc
import pytest
from prometheus_client import REGISTRY

from services.common import grpc_server
from services.common.grpc_channels import LazyStub
from services.gateway.clients import FIXED_ANSWERS, Client, ServiceError
from services.portal import catalogue, server
from ssp.auth.v1 import auth_pb2
from ssp.portal.v1 import portal_pb2 as pb
from ssp.portal.v1 import portal_pb2_grpc


@pytest.fixture(scope="module")
def portal_address():
    running = grpc_server.start(server.registrar(catalogue.load()), host="127.0.0.1", port=0)
    try:
        yield f"127.0.0.1:{running.port}"
    finally:
        running.stop(grace=1)


def answered(method: str, code: str = "OK") -> float:
    """Calls the portal answered so far, from its own metrics (the server runs in this process)."""
    return REGISTRY.get_sample_value("grpc_server_handled_total", {
        "grpc_service": "ssp.portal.v1.PortalCatalogue", "grpc_method": method, "grpc_code": code}) or 0.0


def portal_client(address: str, keep_seconds: float) -> Client:
    stub = LazyStub(portal_pb2_grpc.PortalCatalogueStub, address)
    return Client("portal", stub, kept=FIXED_ANSWERS["portal"], keep_seconds=keep_seconds)


def test_one_call_per_request_and_language_and_each_caller_gets_its_own_copy(portal_address):
    portal = portal_client(portal_address, 300)
    before = answered("GetSector")
    first = portal.GetSector(pb.GetSectorRequest(sector_id="cpas", language="fr"))
    first.label = "changed by a careless page"
    again = [portal.GetSector(pb.GetSectorRequest(sector_id="cpas", language="fr")) for _ in range(5)]
    dutch = portal.GetSector(pb.GetSectorRequest(sector_id="cpas", language="nl"))
    assert answered("GetSector") - before == 2  # French once, Dutch once
    assert {a.label for a in again} == {again[0].label} and again[0].label != first.label
    again[0].qualities[0].label = "changed too"
    assert portal.GetSector(pb.GetSectorRequest(sector_id="cpas", language="fr")).qualities[0].label != "changed too"
    assert dutch.label != again[0].label


def test_errors_are_never_kept(portal_address):
    portal = portal_client(portal_address, 300)
    before = answered("GetSector", "NOT_FOUND")
    for _ in range(3):
        with pytest.raises(ServiceError) as refused:
            portal.GetSector(pb.GetSectorRequest(sector_id="nowhere", language="fr"))
        assert refused.value.code == grpc.StatusCode.NOT_FOUND
    assert answered("GetSector", "NOT_FOUND") - before == 3


def test_answers_are_asked_again_once_their_time_is_over_and_never_kept_at_zero(portal_address):
    brief = portal_client(portal_address, 0.3)
    before = answered("ListAudiences")
    brief.ListAudiences(pb.ListAudiencesRequest(language="de"))
    brief.ListAudiences(pb.ListAudiencesRequest(language="de"))
    time.sleep(0.4)
    brief.ListAudiences(pb.ListAudiencesRequest(language="de"))
    assert answered("ListAudiences") - before == 2
    off = portal_client(portal_address, 0)
    before = answered("ListAudiences")
    for _ in range(3):
        off.ListAudiences(pb.ListAudiencesRequest(language="de"))
    assert answered("ListAudiences") - before == 3


def test_kept_methods_are_the_catalogue_and_auth_answers_that_depend_on_nothing_but_the_language():
    catalogue_methods = {m.name for m in pb.DESCRIPTOR.services_by_name["PortalCatalogue"].methods}
    assert FIXED_ANSWERS["portal"] == catalogue_methods  # a read-only catalogue: every method
    identification = auth_pb2.DESCRIPTOR.services_by_name["Identification"]
    for name in FIXED_ANSWERS["auth"]:
        asked = {field.name for field in identification.methods_by_name[name].input_type.fields}
        assert asked <= {"language"}  # no session, card or person: the same answer for every caller
