"""Every page of the journey passes axe-core, in every language for the home; every
request of the journey stays on the gateway's origin (no CDN, no external font)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.walk import (
    MARC,
    SOPHIE,
    choose_card,
    enter_pin,
    enter_primaweb,
    expect_current_step,
    logout,
    part_titles,
    public_part,
    to_certificates,
)

pytestmark = pytest.mark.browser

HOMES = {
    "fr": "Bienvenue sur le portail de la sécurité sociale",
    "nl": "Welkom op het portaal van de sociale zekerheid",
    "de": "Willkommen auf dem Portal der sozialen Sicherheit",
}


def test_every_page_of_the_journey_passes_axe(stack, page: Page, journey):
    """Each step() runs axe (no serious or critical violation). The blocked card, the
    restricted home and the profile change notice are checked in test_journey.py, by the
    same step()."""
    for lang in ("nl", "de", "en", "fr"):  # French last: the language is kept in a cookie
        page.goto(f"{stack.url}/?lang={lang}")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.get_by_role("heading", level=1)).not_to_be_empty()
        if lang in HOMES:
            expect(page.get_by_role("heading", level=1)).to_have_text(HOMES[lang])
        journey.step(page, f"home-{lang}")
    page.goto(stack.url + "/audiences/citoyen")  # an audience whose services are not offered here
    journey.step(page, "audience-not-offered")
    for lang in ("nl", "fr"):
        missing = page.goto(f"{stack.url}/nulle-part?lang={lang}")
        assert missing.status == 404
        journey.step(page, f"not-found-{lang}")

    public_part(page, stack, journey)
    to_certificates(page, journey)
    choose_card(page, MARC)
    journey.step(page, "pin")
    enter_pin(page, "86429")
    expect(page.locator("#pin-error")).to_be_visible()
    journey.step(page, "pin-with-error")
    enter_pin(page, MARC.pin)
    expect_current_step(page, "Entité")
    journey.step(page, "entities")
    page.get_by_role("button", name="Action sociale").first.click()
    journey.step(page, "connected-as")
    page.get_by_role("button", name="Démarrer l'application").click()
    expect_current_step(page, "Rôle")
    journey.step(page, "role-choice")
    page.get_by_role("radio", name="Gestion PrimaWeb", exact=False).check()
    page.get_by_role("button", name="Sélectionner").click()
    journey.step(page, "primaweb-home-manager")
    page.get_by_role("link", name="Gestion des profils").click()
    journey.step(page, "profile-management")
    logout(page, stack, journey)

    # Marc again, as agent: a home with the parts his profiles open.
    journey.who = "as-agent"
    enter_primaweb(page, stack, journey, MARC, role="Agent Social")
    assert "Rechercher un dossier" in part_titles(page)
    journey.step(page, "primaweb-home-full")
    logout(page, stack, journey)


def test_no_request_leaves_the_gateway_origin(stack, context, journey):
    requests: list[str] = []
    failed: list[str] = []
    errors: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    context.on("requestfailed", lambda r: failed.append(f"{r.url}: {r.failure}"))
    context.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page = context.new_page()

    page.goto(stack.url + "/?lang=nl")
    page.wait_for_load_state("load")
    with page.expect_navigation(wait_until="load"):  # no step while the last one still loads
        page.get_by_role("link", name="FR", exact=True).click()
    enter_primaweb(page, stack, journey, SOPHIE, start="home")
    journey.step(page, "primaweb-home")
    logout(page, stack, journey)
    page.get_by_role("link", name="Retour à l'accueil du portail").click()
    expect(page).to_have_url(stack.url + "/")

    assert len(requests) > 20
    outside = [url for url in requests if not url.startswith(stack.url + "/")]
    assert outside == [], f"requests outside {stack.url}: {outside}"
    assert failed == [] and errors == []
    assert stack.url + "/static/portal.css" in requests  # the look is served by the gateway itself
    for element in page.locator("link[href], script[src], img[src]").all():
        address = element.get_attribute("href") or element.get_attribute("src")
        assert address.startswith("/") and not address.startswith("//"), address

