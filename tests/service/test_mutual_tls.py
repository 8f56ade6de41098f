"""Mutual TLS between services: only certificates of the deployment CA get in, and each
method only to the identities on its list."""

from __future__ import annotations

import logging

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from devtools import service_pki
from services.common import grpc_server, tls
from services.portal import catalogue, server
from ssp.portal.v1 import portal_pb2 as pb
from ssp.portal.v1 import portal_pb2_grpc


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    ours = tmp_path_factory.mktemp("tls")
    service_pki.init(ours)
    foreign = tmp_path_factory.mktemp("foreign-tls")
    service_pki.init(foreign)  # another CA, with the same names
    return ours, foreign


@pytest.fixture(scope="module")
def portal_port(pki):
    ours, _ = pki
    running = grpc_server.start(server.registrar(catalogue.load()), port=0,
                                tls_files=tls.files_in(ours, "portal"), policy=tls.CallerPolicy(server.CALLERS))
    yield running.port
    running.stop(0)


def call_as(port: int, folder, identity: str | None):
    if identity is None:
        channel = grpc.insecure_channel(f"127.0.0.1:{port}")
    else:
        channel = grpc.secure_channel(f"127.0.0.1:{port}", tls.channel_credentials(tls.files_in(folder, identity)))
    with channel:
        return portal_pb2_grpc.PortalCatalogueStub(channel).ListAudiences(pb.ListAudiencesRequest(), timeout=5)


def test_the_gateway_is_allowed(pki, portal_port):
    assert call_as(portal_port, pki[0], "gateway").audiences


def test_a_caller_without_a_certificate_is_refused(pki, portal_port):
    with pytest.raises(grpc.RpcError) as err:
        call_as(portal_port, pki[0], None)
    assert err.value.code() == grpc.StatusCode.UNAVAILABLE


def test_a_certificate_from_another_ca_is_refused(pki, portal_port):
    with pytest.raises(grpc.RpcError) as err:
        call_as(portal_port, pki[1], "gateway")
    assert err.value.code() == grpc.StatusCode.UNAVAILABLE


def test_a_caller_not_on_the_methods_list_is_refused_and_logged(pki, portal_port, caplog):
    caplog.set_level(logging.WARNING, logger="services.common.grpc_server")
    with pytest.raises(grpc.RpcError) as err:
        call_as(portal_port, pki[0], "spp-is")
    assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED
    refused = [r for r in caplog.records if r.getMessage() == "caller_refused"]
    assert refused and refused[0].caller == "spp-is"
    assert refused[0].method == "/ssp.portal.v1.PortalCatalogue/ListAudiences"


def test_health_is_open_to_any_certificate_of_the_ca(pki, portal_port):
    creds = tls.channel_credentials(tls.files_in(pki[0], "ops"))
    with grpc.secure_channel(f"127.0.0.1:{portal_port}", creds) as channel:
        reply = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=5)
    assert reply.status == health_pb2.HealthCheckResponse.SERVING


def test_policy_rules_exact_then_patterns_and_closed_by_default():
    policy = tls.CallerPolicy({"/a.B/*": ["gateway"], "/a.B/Admin": ["commune"]})
    assert policy.allows("/a.B/Read", "gateway")
    assert policy.allows("/a.B/Admin", "commune") and not policy.allows("/a.B/Admin", "gateway")
    assert not policy.allows("/x.Y/Read", "gateway")
    assert policy.allows("/grpc.health.v1.Health/Check", "anyone-with-a-cert")


def test_the_allow_list_can_be_replaced_by_configuration(monkeypatch):
    monkeypatch.setenv("GRPC_ALLOWED_CALLERS", '{"/ssp.portal.v1.PortalCatalogue/*": ["kiosk"]}')
    policy = tls.CallerPolicy.from_env(server.CALLERS)
    assert policy.allows("/ssp.portal.v1.PortalCatalogue/GetSector", "kiosk")
    assert not policy.allows("/ssp.portal.v1.PortalCatalogue/GetSector", "gateway")
    monkeypatch.setenv("GRPC_ALLOWED_CALLERS", "not json")
    with pytest.raises(SystemExit, match="GRPC_ALLOWED_CALLERS"):
        tls.CallerPolicy.from_env(server.CALLERS)


def test_kubelet_probes_get_a_plaintext_health_only_listener(pki, monkeypatch):
    from tests.support import free_port

    running = grpc_server.start(server.registrar(catalogue.load()), port=0,
                                tls_files=tls.files_in(pki[0], "portal"), policy=tls.CallerPolicy(server.CALLERS))
    monkeypatch.setenv("HEALTH_PORT", str(free_port()))
    probes = grpc_server.health_listener_from_env(running)
    try:
        with grpc.insecure_channel(f"127.0.0.1:{probes.port}") as channel:
            reply = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=5)
            assert reply.status == health_pb2.HealthCheckResponse.SERVING
            catalogue_stub = portal_pb2_grpc.PortalCatalogueStub(channel)
            with pytest.raises(grpc.RpcError) as err:  # nothing but health there
                catalogue_stub.ListAudiences(pb.ListAudiencesRequest(), timeout=5)
            assert err.value.code() == grpc.StatusCode.UNIMPLEMENTED
        running.health.enter_graceful_shutdown()
        with grpc.insecure_channel(f"127.0.0.1:{probes.port}") as channel:
            reply = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=5)
            assert reply.status == health_pb2.HealthCheckResponse.NOT_SERVING
    finally:
        probes.server.stop(0)
        running.server.stop(0)
