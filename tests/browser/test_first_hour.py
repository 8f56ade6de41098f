"""What a newcomer and a clerk tripped over in their first hour (issue 15), in the browser:
the pages say why before the user has to guess."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from services.common.times import in_brussels
from ssp.roles.v1 import roles_pb2
from tests.browser.walk import (
    ANNE,
    HERSTAPPE_NUMBER,
    MARC,
    PAUL,
    Profiles,
    enter_primaweb,
    expect_current_step,
    login,
    logout,
    name,
)


def test_primaweb_without_a_session_says_why_and_offers_to_log_in(stack, context, journey):
    page = context.new_page()
    reply = page.goto(stack.url + "/primaweb/")
    assert reply.status == 401
    expect(page).to_have_url(stack.url + "/primaweb/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vous n'êtes pas connecté")
    journey.step(page, "not-connected")

    # A session that ended (its id unknown to the auth service) is said as such.
    context.add_cookies([{"name": "ssp_session", "value": "f" * 64, "url": stack.url}])
    page.goto(stack.url + "/primaweb/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre session a pris fin")
    expect(page.get_by_role("status")).to_contain_text("Identifiez-vous à nouveau pour continuer.")
    journey.step(page, "session-ended")
    assert [c for c in context.cookies() if c["name"] == "ssp_session"] == []  # the stale cookie is dropped

    page.get_by_role("link", name="Se connecter", exact=True).click()
    expect(page).to_have_url(stack.url + "/identification?service=primaweb")
    expect_current_step(page, "Méthode")


def test_the_certificate_list_says_which_cards_cannot_be_used_before_any_pin(stack, page, journey):
    page.goto(stack.url + "/identification/eid")
    paul = page.get_by_role("radio", name=re.compile(name(PAUL)))
    expect(paul).to_be_disabled()
    expect(paul).to_have_accessible_description(
        "Inutilisable : Le certificat de cette carte a été révoqué. Contactez votre commune.")
    expect(page.get_by_role("radio", name=re.compile(name(ANNE)))).to_be_enabled()
    # French typography: a no-break space before the colon, on every line of a card.
    card = page.locator("label.certificate", has=page.locator(f'input[value="{ANNE.card_number}"]'))
    text = card.evaluate("e => e.textContent")
    for label in ("Numéro de registre national", "Émis par", "Numéro de carte"):
        assert f"{label}\u00a0: " in text
    journey.step(page, "certificates-one-revoked")


def test_the_managers_page_in_french_with_brussels_times_and_who_is_listed(stack, new_context, journey):
    page = new_context().new_page()
    enter_primaweb(page, stack, journey, MARC, role="Gestion PrimaWeb")
    expect(page.locator("header .connected")).to_contain_text("Rôle\u00a0: Gestion PrimaWeb")
    page.get_by_role("link", name="Gestion des profils").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Profils des agents du CPAS de Herstappe")
    expect(page.locator("#who-is-listed")).to_have_text(re.compile(
        "^Seuls les agents qui ont déjà démarré PrimaWeb au moins une fois sont listés."))
    anne = page.locator("section.agent", has=page.get_by_role("heading", name=name(ANNE), exact=True))
    expect(anne.locator("legend")).to_have_text(f"Profils d'{name(ANNE)}")
    expect(anne.get_by_role("button")).to_have_text("Enregistrer les profils d'Anne")

    profiles = Profiles(stack)
    try:
        agent = profiles.roles.GetAgent(roles_pb2.GetAgentRequest(
            acting_nrn=MARC.nrn, enterprise_number=HERSTAPPE_NUMBER, agent_nrn=ANNE.nrn), timeout=10)
    finally:
        profiles.close()
    held = agent.profiles[0]
    when = in_brussels(held.assigned_at).strftime("%d/%m/%Y %H:%M")  # the same moment as the messages show
    expect(anne).to_contain_text(f"attribué par {held.assigned_by_name} le {when}")
    journey.step(page, "profile-management")
    logout(page, stack, journey)


def test_the_login_step_bar_ends_where_primaweb_begins(stack, page, journey):
    """Anne has one role at Herstappe: no role screen, so "Rôle" is never ticked, and
    PrimaWeb's pages have no step bar of the login."""
    login(page, stack, journey, ANNE)
    herstappe = page.locator("li.entity", has=page.get_by_role("heading", name="CPAS de Herstappe", exact=True))
    herstappe.get_by_role("button", name="Action sociale").click()
    steps = page.get_by_role("list", name="Étapes du parcours")
    expect(steps.locator("li.done")).to_have_text(["Méthode", "Certificat", "Code PIN", "Entité"])
    page.get_by_role("button", name="Démarrer l'application").click()
    expect(page).to_have_url(stack.url + "/primaweb/")
    expect(page.get_by_role("list", name="Étapes du parcours")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_have_text("PrimaWeb — CPAS de Herstappe")
    journey.step(page, "primaweb-home-no-step-bar")
    logout(page, stack, journey)


@pytest.mark.parametrize("language", ["fr", "nl", "de"])
def test_log_out_stays_on_one_line_with_a_long_name_and_entity(stack, new_context, journey, language):
    page = new_context().new_page()
    enter_primaweb(page, stack, journey, MARC, role="Gestion PrimaWeb")  # name, entity and role in the header
    page.goto(f"{stack.url}/primaweb/?lang={language}")
    # The longest names the registers hold, in the header as the page shows them.
    page.locator(".connected strong").first.evaluate(
        "e => e.textContent = 'Marie-Christine Van den Bossche-de Ghellinck d\\'Elseghem'")
    page.locator(".connected strong").nth(1).evaluate(
        "e => e.textContent = 'Centre public d\\'action sociale de Saint-Josse-ten-Noode'")
    button = page.locator(".connected").get_by_role("button")
    lines = button.evaluate("e => { const r = document.createRange(); r.selectNodeContents(e);"
                            " return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; }")
    assert lines == 1
    # On the row of the name, not pushed below it: the names wrap in their place instead.
    box, who = button.bounding_box(), page.locator(".connected span").first.bounding_box()
    assert box["y"] < who["y"] + who["height"] and who["y"] < box["y"] + box["height"]
    assert box["x"] + box["width"] <= 1280
    journey.step(page, f"long-names-{language}")
