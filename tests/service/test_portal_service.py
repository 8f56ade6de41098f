"""The portal service over real gRPC on loopback."""

from __future__ import annotations

import subprocess
import sys

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from services.portal import catalogue, server
from ssp.portal.v1 import portal_pb2 as pb
from ssp.portal.v1 import portal_pb2_grpc
from tests.service.grpc_support import serving
from tests.support import ROOT


@pytest.fixture(scope="module")
def channel():
    with serving(server.registrar(catalogue.load())) as ch:
        yield ch


@pytest.fixture(scope="module")
def portal(channel):
    return portal_pb2_grpc.PortalCatalogueStub(channel)


def test_health_reports_serving_for_the_server_and_the_service(channel):
    health = health_pb2_grpc.HealthStub(channel)
    for name in ("", "ssp.portal.v1.PortalCatalogue"):
        reply = health.Check(health_pb2.HealthCheckRequest(service=name))
        assert reply.status == health_pb2.HealthCheckResponse.SERVING


def test_reflection_lists_the_catalogue_service(channel):
    stub = reflection_pb2_grpc.ServerReflectionStub(channel)
    replies = stub.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(list_services="")]))
    names = {s.name for reply in replies for s in reply.list_services_response.service}
    assert "ssp.portal.v1.PortalCatalogue" in names


def test_audiences_come_in_the_asked_language(portal):
    fr = portal.ListAudiences(pb.ListAudiencesRequest()).audiences
    nl = portal.ListAudiences(pb.ListAudiencesRequest(language="nl")).audiences
    assert [a.id for a in fr] == [a.id for a in nl]
    assert "Fonctionnaires et autres professionnels" in [a.label for a in fr]
    assert "Ambtenaren en andere professionals" in [a.label for a in nl]


def test_professionals_have_at_least_six_sectors_starting_with_cpas(portal):
    audience = portal.GetAudience(pb.GetAudienceRequest(audience_id="professionnels"))
    assert audience.sectors[0].label == "CPAS & SPP Intégration sociale"
    assert len(audience.sectors) >= 6


def test_action_sociale_lists_primaweb_and_four_other_services_with_summaries(portal):
    quality = portal.GetQuality(pb.GetQualityRequest(sector_id="cpas", quality_id="action-sociale", language="en"))
    assert quality.services[0].id == "primaweb"
    assert len(quality.services) >= 5
    assert all(s.summary for s in quality.services)
    assert quality.trail.sector_label == "Public social welfare centres & PPS Social Integration"
    assert quality.trail.audience_id == "professionnels"


def test_primaweb_page_offers_the_login_and_carries_its_trail(portal):
    service = portal.GetOnlineService(pb.GetOnlineServiceRequest(service_id="primaweb", language="de"))
    assert service.login_offered
    assert "ÖSHZ" in service.description
    assert (service.trail.sector_id, service.trail.quality_id) == ("cpas", "action-sociale")
    other = portal.GetOnlineService(pb.GetOnlineServiceRequest(service_id="dolsis"))
    assert not other.login_offered


@pytest.mark.parametrize(
    "call",
    [
        lambda p: p.GetAudience(pb.GetAudienceRequest(audience_id="martiens")),
        lambda p: p.GetSector(pb.GetSectorRequest(sector_id="spatial")),
        lambda p: p.GetQuality(pb.GetQualityRequest(sector_id="cpas", quality_id="astronaute")),
        lambda p: p.GetQuality(pb.GetQualityRequest(sector_id="hopitaux", quality_id="action-sociale")),
        lambda p: p.GetOnlineService(pb.GetOnlineServiceRequest(service_id="teleportation")),
    ],
)
def test_unknown_ids_are_not_found(portal, call):
    with pytest.raises(grpc.RpcError) as err:
        call(portal)
    assert err.value.code() == grpc.StatusCode.NOT_FOUND


def test_malformed_arguments_are_refused_naming_the_field(portal):
    with pytest.raises(grpc.RpcError) as err:
        portal.GetSector(pb.GetSectorRequest(sector_id="../etc/passwd"))
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert err.value.details().startswith("sector_id:")
    with pytest.raises(grpc.RpcError) as err:
        portal.ListAudiences(pb.ListAudiencesRequest(language="it"))
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert err.value.details().startswith("language:")


def test_a_malformed_catalogue_stops_the_process_naming_file_and_entry(tmp_path):
    bad = tmp_path / "catalogue.yaml"
    bad.write_text(catalogue.DEFAULT_FILE.read_text(encoding="utf-8").replace("nl: Burger, ", ""), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "services.portal"], cwd=ROOT, capture_output=True, text=True, timeout=30,
        env={"PATH": "/usr/bin:/bin", "PORTAL_CATALOGUE": str(bad), "PORTAL_PORT": "0"},
    )
    assert done.returncode != 0
    assert f"catalogue file {bad}: entry audiences[0] (id 'citoyen').label.nl" in done.stderr
    assert "Traceback" not in done.stderr
