"""Issue 12 at the gateway, over HTTP on the running stack: values out of their field's
range, a Host header that is not one, a path that tries to lead the language links off
the site, the error page when the identification service is down too, and pages behind
a session that no browser or proxy may keep."""

from __future__ import annotations

import re
import socket

import pytest
import requests

from devtools.local_stack import gunicorn_serving
from services.auth.demo_cards import DEMO_PEOPLE
from tests.support import free_port
from tests.system.browser import Browser
from tests.system.test_primaweb_files_journey import enter_primaweb

pytestmark = pytest.mark.system

ANNE = DEMO_PEOPLE["colleague"]


@pytest.fixture(scope="module")
def agent(stack):
    user, _home = enter_primaweb(stack, ANNE)
    return user


@pytest.mark.parametrize("path", ["/%5Cevil.example", "/%5C%5Cevil.example/", "//evil.example", "/%2F%2Fevil.example"])
def test_language_links_stay_on_the_origin(stack, path):
    page = requests.get(stack.url + path, timeout=10)
    links = re.findall(r'href="([^"]*)"[^>]*hreflang=', page.text)
    assert len(links) == 3, page.text[:2000]
    assert all(link.startswith("?lang=") for link in links), links


def test_language_links_keep_the_other_arguments(stack):
    page = requests.get(stack.url + "/identification?service=primaweb", timeout=10)
    assert 'href="?service=primaweb&amp;lang=nl"' in page.text


@pytest.mark.parametrize("value", ["2147483648", "-1", "99999999999999999999999", "1e3", "١"])
def test_a_decision_number_out_of_range_is_a_400_naming_the_field(agent, value):
    page = agent.post("/primaweb/dossiers/2026-000001/formulaires", {"decision_number": value})
    assert page.status_code == 400, page.status_code
    assert "decision_number" in page.text and "2147483647" in page.text
    assert "Traceback" not in page.text


@pytest.mark.parametrize("value", ["9223372036854775808", "0", "abc", ""])
def test_a_message_id_out_of_range_is_a_400_naming_the_field(agent, value):
    page = agent.post("/primaweb/messages/lus", {"message_id": value})
    assert page.status_code == 400
    assert "message_id" in page.text and "9223372036854775807" in page.text


def _raw_get(port: int, host: str) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(f"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize("host", ["a..b", "-a.example", "a_b.example:80", "exa mple", "[::1", "a.example:99999999"])
def test_a_host_header_that_is_not_one_gets_the_400_page_with_the_usual_headers(stack, host):
    reply = _raw_get(stack.ports["gateway"], host)
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400"), head
    assert b"Content-Security-Policy: default-src 'self'" in head and b"X-Frame-Options: DENY" in head
    assert b"<h1>" in body and b"/static/portal.css" in body


def test_a_proper_host_header_is_served(stack):
    assert _raw_get(stack.ports["gateway"], "portal.example.be:8443").startswith(b"HTTP/1.1 200")


def test_pages_behind_a_session_are_never_stored(stack, agent):
    for path in ("/primaweb/?lang=en", "/primaweb/dossiers", "/primaweb/messages", "/entites", "/"):
        reply = agent.get(path)
        assert reply.status_code == 200, path
        assert reply.headers.get("Cache-Control") == "no-store", path
    anonymous = requests.get(stack.url + "/secteurs/cpas", timeout=10)
    assert "no-store" not in anonymous.headers.get("Cache-Control", "")
    assert "no-store" not in agent.get("/static/portal.css").headers.get("Cache-Control", "")  # the same for all


def test_the_login_answer_that_sets_the_session_cookie_is_not_stored(stack):
    user = Browser(stack)
    user.choose(ANNE)
    reply = user.http.post(stack.url + "/identification/eid/pin", data={"pin": ANNE.pin, "csrf_token": user.csrf},
                           timeout=15, allow_redirects=False)
    assert "ssp_session=" in reply.headers.get("Set-Cookie", "")
    assert reply.headers.get("Cache-Control") == "no-store"


def test_the_error_page_renders_when_the_identification_service_is_down_too(stack):
    """A second gateway whose portal and auth addresses answer nothing, asked with a
    session cookie: the 503 page names the portal catalogue, without the session header."""
    env = dict(stack.env, GATEWAY_PORT=str(free_port()), PORTAL_ADDR=f"127.0.0.1:{free_port()}",
               AUTH_ADDR=f"127.0.0.1:{free_port()}", GATEWAY_SECRET_KEY="x" * 64,
               GATEWAY_WORKERS="1", METRICS_PORT="0", PROMETHEUS_MULTIPROC_DIR="")
    with gunicorn_serving("services.gateway.app:create_app()", env, "/healthz") as url:
        reply = requests.get(url + "/secteurs/cpas", cookies={"ssp_session": "ab" * 32}, timeout=15)
        assert reply.status_code == 503
        assert "le catalogue du portail" in reply.text
        assert "Traceback" not in reply.text
        assert reply.headers.get("Cache-Control") == "no-store"


def test_saving_profiles_with_one_unknown_code_saves_nothing_and_names_it(stack):
    from ssp.roles.v1 import roles_pb2, roles_pb2_grpc
    from tests.system.test_primaweb_journey import MARC
    from tests.system.test_primaweb_journey import enter_primaweb as enter_as

    marc = Browser(stack)
    enter_as(marc, MARC, role="gestion-primaweb")
    herstappe = "0999000129"

    def annes_profiles() -> list[str]:
        with stack.channel("roles", "gateway") as channel:
            agent = roles_pb2_grpc.RolesStub(channel).GetAgent(roles_pb2.GetAgentRequest(
                acting_nrn=MARC.nrn, enterprise_number=herstappe, agent_nrn=ANNE.nrn), timeout=5)
        return [p.profile for p in agent.profiles]

    before = annes_profiles()
    refused = marc.post("/primaweb/gestion", {"agent_nrn": ANNE.nrn,
                                              "profiles": ["consultation", "rapports", "astronaute"]})
    assert refused.status_code == 400
    assert "profiles" in refused.text and "astronaute" in refused.text
    assert annes_profiles() == before


def test_unknown_codes_in_addresses_and_forms_are_400_naming_the_field(stack, agent):
    for reply, field in ((agent.get("/primaweb/formulaires?status=bogus"), "status"),
                         (agent.get("/identification?service=Not_A_Service"), "service"),
                         (agent.post("/entites", {"choice": "0403170701:action-sociale"}), "choice")):
        assert reply.status_code == 400, (field, reply.status_code)
        assert f"<code>{field}: " in reply.text, field
