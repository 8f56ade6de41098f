"""Steps 1 to 4 of the journey over HTTP, against the whole stack started by the
launcher of `make run`: every page, every language, the 404 and 503 cases."""

from __future__ import annotations

import re
import time

import pytest
import requests

from devtools.local_stack import gunicorn_serving
from tests.support import free_port

pytestmark = pytest.mark.system


def get(stack, path, session=None, **kwargs):
    return (session or requests).get(stack.url + path, timeout=10, **kwargs)


def links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def test_the_public_journey_to_primaweb_in_french_by_default(stack):
    home = get(stack, "/")
    assert home.status_code == 200
    assert '<html lang="fr">' in home.text
    assert "Fonctionnaires et autres professionnels" in home.text
    assert "/audiences/professionnels" in links(home.text)

    professionals = get(stack, "/audiences/professionnels")
    assert "CPAS &amp; SPP Intégration sociale" in professionals.text
    assert len(re.findall(r'href="/secteurs/[a-z-]+"', professionals.text)) >= 6

    sector = get(stack, "/secteurs/cpas")
    assert "/secteurs/cpas/qualites/action-sociale" in links(sector.text)

    services = get(stack, "/secteurs/cpas/qualites/action-sociale")
    assert "Services en ligne — Action sociale" in services.text
    service_links = re.findall(r'href="/services/([a-z-]+)"', services.text)
    assert service_links[0] == "primaweb" and len(service_links) >= 5

    primaweb = get(stack, "/services/primaweb")
    assert "Se connecter" in primaweb.text
    login = re.search(r'href="([^"]*identification[^"]*)"', primaweb.text).group(1)
    # The breadcrumb leads back along the way taken.
    for crumb in ("/audiences/professionnels", "/secteurs/cpas", "/secteurs/cpas/qualites/action-sociale"):
        assert crumb in links(primaweb.text)

    identification = get(stack, login.replace("&amp;", "&"))
    assert identification.status_code != 500
    assert "Identification" in identification.text


@pytest.mark.parametrize(
    ("lang", "home_text", "quality_text"),
    [
        ("nl", "Ambtenaren en andere professionals", "Onlinediensten — Maatschappelijk welzijn"),
        ("de", "Beamte und andere Fachleute", "Online-Dienste — Sozialhilfe"),
        ("en", "Civil servants and other professionals", "Online services — Social welfare"),
        ("fr", "Fonctionnaires et autres professionnels", "Services en ligne — Action sociale"),
    ],
)
def test_each_language_is_chosen_and_kept(stack, lang, home_text, quality_text):
    browser = requests.Session()
    home = get(stack, f"/?lang={lang}", browser)
    assert f'<html lang="{lang}">' in home.text
    assert home_text in home.text
    # The choice is kept in a cookie for the next pages.
    quality = get(stack, "/secteurs/cpas/qualites/action-sociale", browser)
    assert quality_text in quality.text


def test_an_unknown_language_falls_back_to_french(stack):
    assert '<html lang="fr">' in get(stack, "/?lang=xx").text


@pytest.mark.parametrize(
    "path",
    [
        "/audiences/martiens",
        "/secteurs/spatial",
        "/secteurs/cpas/qualites/astronaute",
        "/secteurs/hopitaux/qualites/action-sociale",
        "/services/teleportation",
        "/secteurs/CPAS",  # malformed ids never reach a service
        "/nulle-part",
    ],
)
def test_unknown_ids_give_a_404_page_in_the_chosen_language(stack, path):
    fr = get(stack, path)
    assert fr.status_code == 404
    assert "Page introuvable" in fr.text
    nl = get(stack, path, cookies={"lang": "nl"})
    assert nl.status_code == 404
    assert "Pagina niet gevonden" in nl.text


def test_pages_are_protected_and_carry_a_request_id(stack):
    reply = get(stack, "/", headers={"X-Request-Id": "journey-test-0001"})
    assert reply.headers["X-Request-Id"] == "journey-test-0001"
    assert "default-src 'self'" in reply.headers["Content-Security-Policy"]
    assert reply.headers["X-Frame-Options"] == "DENY"


def test_the_request_id_follows_the_journey_into_the_portal_service(stack):
    # An unknown sector: the gateway keeps the catalogue's answers, never its refusals, so
    # this one reaches the portal whatever pages the worker has shown before.
    reply = get(stack, "/secteurs/suis-moi", headers={"X-Request-Id": "follow-me-42424242"})
    assert reply.status_code == 404

    def seen_in(process: str) -> bool:
        # the supervisor prefixes each line with "HH:MM:SS <process>.1 | "
        return any(
            f" {process}.1 " in line.split("|")[0] and "follow-me-42424242" in line
            for line in stack.output().splitlines()
        )

    deadline = time.monotonic() + 5
    while not (seen_in("portal") and seen_in("gateway")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert seen_in("portal") and seen_in("gateway")


def test_the_catalogue_is_asked_once_per_worker_and_page_not_once_per_view(stack):
    def audience_reads() -> int:
        text = requests.get(f"http://127.0.0.1:{stack.ports['portal-metrics']}/metrics", timeout=10).text
        found = re.search(r'^grpc_server_handled_total\{[^}]*grpc_method="GetAudience"[^}]*\} (\S+)', text, re.M)
        return int(float(found.group(1))) if found else 0

    before = audience_reads()
    for _ in range(12):  # a new connection each time: both workers serve some
        reply = get(stack, "/audiences/professionnels?lang=nl")
        assert reply.status_code == 200 and 'lang="nl"' in reply.text
    assert audience_reads() - before <= 2  # at most once per worker (GATEWAY_CATALOGUE_CACHE_SECONDS)


def test_a_service_that_is_down_gives_a_503_page_naming_it(stack, tmp_path):
    """A second gateway whose portal address answers nothing."""
    env = dict(stack.env, GATEWAY_PORT=str(free_port()), PORTAL_ADDR=f"127.0.0.1:{free_port()}",
               GATEWAY_SECRET_KEY="x" * 64, GATEWAY_WORKERS="1")
    with gunicorn_serving("services.gateway.app:create_app()", env, "/healthz") as url:
        reply = requests.get(url + "/secteurs/cpas", timeout=10)
        assert reply.status_code == 503
        assert "Service temporairement indisponible" in reply.text
        assert "le catalogue du portail" in reply.text
        assert "Traceback" not in reply.text
        de = requests.get(url + "/?lang=de", timeout=10)
        assert de.status_code == 503 and "der Katalog des Portals" in de.text
