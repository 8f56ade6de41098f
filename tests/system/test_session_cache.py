"""The gateway's workers keep the sessions they read a few seconds (session_cache.py),
through the whole stack: page views seldom ask auth, and a logout or a context change made
through one worker holds on every worker at once."""

from __future__ import annotations

import re
import time

import pytest
import requests

from services.auth.demo_cards import DEMO_PEOPLE
from tests.system.browser import Browser
from tests.system.test_primaweb_journey import enter_primaweb

pytestmark = pytest.mark.system
MARC = DEMO_PEOPLE["primaweb_manager"]


GET_SESSION = re.compile(r'^grpc_server_handled_total\{[^}]*grpc_method="GetSession"[^}]*\} (\S+)', re.M)


def session_reads(stack) -> int:
    text = requests.get(f"http://127.0.0.1:{stack.ports['auth-metrics']}/metrics", timeout=10).text
    return sum(int(float(n)) for n in GET_SESSION.findall(text))


def fresh_connection_get(stack, path: str, cookies: dict) -> requests.Response:
    """One request on a new connection: the gateway's workers take them in turn, as they come."""
    return requests.get(stack.url + path, cookies=cookies, timeout=15, allow_redirects=False)


def test_home_views_read_the_session_from_auth_only_now_and_then(stack):
    user = Browser(stack)
    enter_primaweb(user, MARC, role="agent-social")
    before = session_reads(stack)
    for _ in range(40):
        assert user.get("/primaweb/").status_code == 200
    assert session_reads(stack) - before <= 4  # kept 10 s per worker; was one read per view


def test_the_pages_after_a_login_or_a_context_change_made_by_a_worker_do_not_ask_auth_again(stack):
    warm = Browser(stack)
    enter_primaweb(warm, MARC, role="agent-social")
    for _ in range(12):  # on connections of their own, which both workers take: each watches auth's changes
        fresh_connection_get(stack, "/primaweb/", dict(warm.http.cookies))
    time.sleep(0.3)
    user = Browser(stack)  # one kept-alive connection: one worker serves every page
    before = session_reads(stack)
    enter_primaweb(user, MARC, role="agent-social")  # 5 pages that read the session after the login
    out = user.post("/deconnexion", {})  # and a page that says nobody is connected any more
    assert "Vous êtes déconnecté" in out.text and "Connecté en tant que" not in out.text
    # Each page is served the answer of the login or of the change that came before it, and
    # the logout's page knows without asking (bench/load.py's journey read it 5 times before).
    assert session_reads(stack) - before == 0


def test_a_logout_holds_in_every_worker(stack):
    user = Browser(stack)
    enter_primaweb(user, MARC, role="agent-social")
    jar = dict(user.http.cookies)  # a copy of every cookie, as someone who stole them would hold
    before = session_reads(stack)
    for _ in range(20):  # copies kept in both workers, and used
        assert fresh_connection_get(stack, "/primaweb/", jar).status_code == 200
    assert session_reads(stack) - before <= 4
    user.post("/deconnexion", {})
    time.sleep(0.1)  # auth's event reaches every worker within milliseconds: a margin for a busy machine
    replies = [fresh_connection_get(stack, "/primaweb/", jar).status_code for _ in range(20)]
    assert set(replies) == {401}


def test_a_context_change_made_through_one_worker_is_seen_by_the_next_page_on_any(stack):
    user = Browser(stack)
    entities = user.login(MARC)
    choice = re.search(r'name="choice" value="(0999000129:action-sociale)"', entities.text).group(1)
    user.post("/entites", {"choice": choice})
    for _ in range(20):  # copies with the entity but no role yet, in both workers
        assert fresh_connection_get(stack, "/entites/connecte", dict(user.http.cookies)).status_code == 200
    started = user.post("/primaweb/demarrer", {})
    assert started.url.endswith("/primaweb/role")
    user.http.post(stack.url + "/primaweb/role", data={"role": "agent-social", "csrf_token": user.csrf},
                   allow_redirects=False, timeout=15)
    jar = dict(user.http.cookies)
    pages = [fresh_connection_get(stack, "/primaweb/", jar) for _ in range(20)]
    assert {p.status_code for p in pages} == {200}  # none sent back to choose a role
    assert all("<h1>PrimaWeb — CPAS de Herstappe</h1>" in p.text for p in pages)
