"""The running stack: each gRPC method answers only the identities on its list, and every
process exposes Prometheus metrics on its own port."""

from __future__ import annotations

import grpc
import pytest
import requests

from services.auth.demo_cards import DEMO_PEOPLE
from ssp.auth.v1 import auth_pb2, auth_pb2_grpc
from ssp.portal.v1 import portal_pb2, portal_pb2_grpc
from ssp.roles.v1 import roles_pb2, roles_pb2_grpc
from tests.system.browser import Browser

pytestmark = pytest.mark.system
MARC = DEMO_PEOPLE["primaweb_manager"]


def refused(call) -> grpc.StatusCode:
    with pytest.raises(grpc.RpcError) as err:
        call()
    return err.value.code()


def test_each_method_answers_only_its_callers(stack):
    grant = roles_pb2.RoleRequest(acting_nrn=MARC.nrn, enterprise_number="0999000129", person_nrn=MARC.nrn,
                                  application="primaweb", role="agent-social")
    # The gateway may not use the federal access-management API, nor unblock cards.
    as_gateway = roles_pb2_grpc.AccessManagementStub(stack.channel("roles", "gateway"))
    assert refused(lambda: as_gateway.GrantRole(grant, timeout=5)) == grpc.StatusCode.PERMISSION_DENIED
    unblock = auth_pb2.GetCardStatusRequest(card_number=MARC.card_number)
    admin_as_gateway = auth_pb2_grpc.CardAdminStub(stack.channel("auth-admin", "gateway"))
    assert refused(lambda: admin_as_gateway.GetCardStatus(unblock, timeout=5)) == grpc.StatusCode.PERMISSION_DENIED
    # A federal client may not read the portal's journey APIs meant for the gateway.
    as_spp = portal_pb2_grpc.PortalCatalogueStub(stack.channel("portal", "spp-is"))
    assert refused(lambda: as_spp.ListAudiences(portal_pb2.ListAudiencesRequest(), timeout=5)) == \
        grpc.StatusCode.PERMISSION_DENIED
    # The allowed callers pass.
    as_manager = roles_pb2_grpc.AccessManagementStub(stack.channel("roles", "access-manager"))
    assert as_manager.GrantRole(grant, timeout=5).role == "agent-social"
    as_commune = auth_pb2_grpc.CardAdminStub(stack.channel("auth-admin", "commune"))
    assert as_commune.GetCardStatus(unblock, timeout=5).card_number == MARC.card_number


def test_plaintext_callers_are_refused(stack):
    with grpc.insecure_channel(f"127.0.0.1:{stack.ports['portal']}") as channel:
        stub = portal_pb2_grpc.PortalCatalogueStub(channel)
        assert refused(lambda: stub.ListAudiences(portal_pb2.ListAudiencesRequest(), timeout=3)) == \
            grpc.StatusCode.UNAVAILABLE
    assert "caller_refused" in stack.output_when(lambda said: "caller_refused" in said)


def metrics(stack, name: str) -> str:
    return requests.get(f"http://127.0.0.1:{stack.ports[name + '-metrics']}/metrics", timeout=10).text


def test_every_process_exposes_its_metrics(stack):
    user = Browser(stack)
    user.login(MARC)
    user.get("/nulle-part")
    gateway = metrics(stack, "gateway")
    assert 'gateway_http_requests_total{route="/entites",status="200"}' in gateway
    assert 'status="404"' in gateway
    auth = metrics(stack, "auth")
    assert 'ssp_logins_total{method="eid-reader",outcome="success"}' in auth
    assert "ssp_sessions_open" in auth and "ssp_cards_blocked_total" in auth
    assert 'grpc_server_handled_total{grpc_code="OK",grpc_method="Login",grpc_service="ssp.auth.v1.Identification"}' \
        in auth
    for service in ("portal", "roles", "primaweb"):
        assert "grpc_server_handling_seconds_bucket" in metrics(stack, service)


def test_the_documented_federal_client_example_works_with_its_certificate(stack):
    import subprocess
    import sys

    from tests.support import ROOT

    def run(identity: str):
        return subprocess.run(
            [sys.executable, "examples/federal_access_manager.py", "--target", f"127.0.0.1:{stack.ports['roles']}",
             "--tls-dir", str(stack.run_dir / "tls"), "--identity", identity, "--acting", MARC.nrn,
             "--entity", "0999000129", "--person", "91010112319", "--first", "Zoé", "--last", "Demo-Exemple"],
            cwd=ROOT, capture_output=True, text=True, timeout=30,
        )

    assert "PERMISSION_DENIED" in run("gateway").stderr
    granted = run("access-manager")
    assert granted.returncode == 0, granted.stderr
    assert "granted action-sociale for CPAS de Herstappe" in granted.stdout
