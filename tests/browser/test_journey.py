"""The training's journey in Debian's Chromium, step by step, a screenshot and an axe
check at each page: the demo people from the portal home to the PrimaWeb home and
logout, the certificate choice, wrong PINs and a blocked card."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.walk import (
    ANNE,
    MARC,
    PAUL,
    RESTRICTED,
    SOPHIE,
    THREE_TRIES,
    Profiles,
    admin,
    choose_card,
    enter_pin,
    enter_primaweb,
    expect_current_step,
    logout,
    name,
    part_titles,
    to_certificates,
)

pytestmark = pytest.mark.browser

# Not the profiles tests/system gives Sophie (consultation, encodage-ris): what she sees
# after the new login can only come from this test's assignment.
ASSIGNED = {"encodage-aide-sociale", "envoi-formulaires"}
PARTS_OPENED = ["Nouveau dossier — aide sociale", "Formulaires à envoyer", "Messages du SPP IS"]


def test_first_home_is_restricted_until_a_manager_assigns_profiles_and_a_new_login_shows_them(
        stack, new_context, journey):
    profiles = Profiles(stack)
    before = profiles.of(SOPHIE)
    try:
        if before:
            profiles.set(SOPHIE, set())  # Sophie as on her first day: no profile yet

        # Sophie, social worker: one role, so no role choice; no profile, so restricted.
        sophie = new_context().new_page()
        journey.who = "sophie"
        enter_primaweb(sophie, stack, journey, SOPHIE, start="home")
        expect(sophie.locator(".restricted")).to_contain_text(RESTRICTED)
        expect(sophie.locator(".restricted")).to_contain_text("gestionnaire PrimaWeb de votre CPAS")
        expect(sophie.locator(".restricted")).to_contain_text("enregistré comme agent du CPAS de Herstappe")
        assert part_titles(sophie) == []
        journey.step(sophie, "primaweb-home-restricted")
        refused = sophie.goto(stack.url + "/primaweb/gestion")
        assert refused.status == 403
        expect(sophie.get_by_role("heading", level=1)).to_have_text("Accès refusé")
        journey.step(sophie, "profile-management-refused")

        # Marc, manager: chooses the role Gestion PrimaWeb and assigns Sophie's profiles.
        marc = new_context().new_page()
        journey.who = "marc"
        enter_primaweb(marc, stack, journey, MARC, role="Gestion PrimaWeb", start="home")
        assert part_titles(marc) == ["Gestion des profils"]
        journey.step(marc, "primaweb-home-manager")
        marc.get_by_role("link", name="Gestion des profils").click()
        expect(marc.get_by_role("heading", level=1)).to_have_text("Profils des agents du CPAS de Herstappe")
        journey.step(marc, "profile-management")
        section = marc.locator("section.agent", has=marc.get_by_role("heading", name=name(SOPHIE), exact=True))
        boxes = section.get_by_role("checkbox")
        for box in boxes.all():
            box.set_checked(box.get_attribute("value") in ASSIGNED)
        section.get_by_role("button", name="Enregistrer les profils de Sophie").click()
        expect(marc.get_by_role("status")).to_have_text(
            "Les profils de Sophie Demo-Lambert sont enregistrés. Ils s'appliqueront à sa prochaine connexion.")
        section = marc.locator("section.agent", has=marc.get_by_role("heading", name=name(SOPHIE), exact=True))
        for code in ASSIGNED:
            expect(section.locator(f'input[value="{code}"]')).to_be_checked()
        expect(section.get_by_text("attribué par Marc Demo-Dubois")).to_have_count(len(ASSIGNED))
        journey.step(marc, "profiles-saved")
        logout(marc, stack, journey)

        journey.who = "sophie"
        # Sophie's running session keeps its profiles and tells her they changed.
        sophie.goto(stack.url + "/primaweb/")
        expect(sophie.locator(".restricted")).to_contain_text(RESTRICTED)
        expect(sophie.get_by_role("status")).to_contain_text(
            "Vos profils PrimaWeb ont été modifiés depuis votre connexion")
        journey.step(sophie, "told-profiles-changed")
        logout(sophie, stack, journey)
        sophie.goto(stack.url + "/primaweb/")
        expect(sophie.get_by_role("heading", level=1)).to_have_text("Vous n'êtes pas connecté")  # the session ended

        # A new, complete login (from PrimaWeb's page: she knows the way by now).
        again = new_context().new_page()
        journey.who = "sophie-new-login"
        enter_primaweb(again, stack, journey, SOPHIE, start="service")
        expect(again.locator(".restricted")).to_have_count(0)
        assert part_titles(again) == PARTS_OPENED
        expect(again.get_by_text("ont été modifiés")).to_have_count(0)
        journey.step(again, "primaweb-home-with-profiles")
        logout(again, stack, journey)
    finally:
        # What other tests (tests/system) expect: Sophie's first home is restricted.
        profiles.set(SOPHIE, before or set())
        profiles.close()


def test_the_certificate_is_chosen_among_all_the_cards_in_the_readers(stack, page, journey):
    page.goto(stack.url + "/services/primaweb")  # the public part is walked in the test above
    to_certificates(page, journey)
    group = page.get_by_role("group", name="Certificats d'authentification présents")
    radios = group.get_by_role("radio")
    expect(radios.first).to_be_visible()
    assert radios.count() >= 4  # the four demo cards (tests/system may insert one more)
    for card in (SOPHIE, MARC, ANNE, PAUL):
        choice = group.locator("label.certificate", has=page.locator(f'input[value="{card.card_number}"]'))
        expect(choice).to_contain_text(name(card))
        expect(choice).to_contain_text(f"Numéro de carte\u00a0: {card.card_number}")
        expect(choice).to_contain_text("*******" + card.nrn[-4:])
        expect(choice).not_to_contain_text(card.nrn)
        expect(choice).to_contain_text("Demo Citizen CA")
    for radio in radios.all():
        expect(radio).not_to_be_checked()  # several cards: nothing chosen for the user

    # The whole label is the target: a click on Anne's name chooses her card.
    group.get_by_text(name(ANNE)).click()
    expect(page.locator(f'input[value="{ANNE.card_number}"]')).to_be_checked()
    journey.step(page, "anne-chosen")
    page.get_by_role("radio", name=name(MARC), exact=False).check()
    expect(page.locator(f'input[value="{ANNE.card_number}"]')).not_to_be_checked()
    journey.step(page, "marc-chosen")
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_text(f"Carte de {name(MARC)}, numéro {MARC.card_number}.")).to_be_visible()
    expect_current_step(page, "Code PIN")
    journey.step(page, "pin-for-marc")

    # "Choose another certificate" leads back to the list.
    page.get_by_role("link", name="Choisir un autre certificat").click()
    expect(page.locator(f'input[value="{SOPHIE.card_number}"]')).not_to_be_checked()


def test_a_wrong_pin_is_announced_next_to_the_field_then_the_right_one_logs_in(stack, page, journey):
    page.goto(stack.url + "/identification/eid")
    choose_card(page, MARC)
    pin = page.get_by_label("Code PIN")
    expect(pin).to_be_focused()  # autofocus: the user types at once
    expect(pin).not_to_have_attribute("aria-invalid", "true")
    journey.step(page, "pin")

    enter_pin(page, "86429")
    error = page.locator("#pin-error")
    expect(error).to_have_text("Code PIN incorrect. Essais restants : 2.")
    expect(error).to_have_attribute("role", "alert")  # announced by screen readers
    pin = page.get_by_label("Code PIN")
    expect(pin).to_have_attribute("aria-invalid", "true")
    expect(pin).to_have_accessible_description("Code PIN incorrect. Essais restants : 2.")
    expect(pin).to_be_focused()  # back in the field, ready for the next try
    expect(pin).to_have_value("")  # a PIN is never sent back to the page
    # Next to the field: between its label and the input, in the same block.
    label_box = page.locator('label[for="pin"]').bounding_box()
    error_box = error.bounding_box()
    input_box = pin.bounding_box()
    assert label_box["y"] < error_box["y"] < input_box["y"]
    assert input_box["y"] - (error_box["y"] + error_box["height"]) < 24
    assert abs(error_box["x"] - input_box["x"]) < 4
    # One line: ": 2." is never left alone (a no-break space before the colon, room enough).
    assert error.evaluate("e => e.textContent").endswith("restants\u00a0: 2.")
    assert error.evaluate("e => { const r = document.createRange(); r.selectNodeContents(e);"
                          " return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; }") == 1
    journey.step(page, "pin-wrong")

    enter_pin(page, "12")  # the format is checked before any try is used
    expect(page.locator("#pin-error")).to_have_text("Le code PIN se compose de 4 à 12 chiffres.")
    journey.step(page, "pin-bad-format")

    enter_pin(page, MARC.pin)
    expect(page).to_have_url(stack.url + "/entites")
    expect(page.locator(".connected")).to_contain_text(f"Connecté en tant que {name(MARC)}")
    expect_current_step(page, "Entité")
    journey.step(page, "entities")
    assert admin(stack, "status", "--card", MARC.card_number).stdout.strip().endswith(THREE_TRIES)
    logout(page, stack, journey)


def test_a_card_is_blocked_after_three_wrong_pins(stack, page, journey):
    try:
        page.goto(stack.url + "/identification/eid")
        choose_card(page, ANNE)
        for left in (2, 1):
            enter_pin(page, "0000")
            expect(page.locator("#pin-error")).to_have_text(f"Code PIN incorrect. Essais restants : {left}.")
        journey.step(page, "pin-one-try-left")
        enter_pin(page, "0000")
        expect(page.get_by_role("heading", level=1)).to_have_text("Carte bloquée")
        alert = page.get_by_role("alert")
        expect(alert).to_contain_text("la carte est maintenant bloquée")
        expect(page.get_by_text("PUK")).to_be_visible()
        expect(page.get_by_text("commune", exact=False).first).to_be_visible()
        journey.step(page, "blocked-now")

        # Back on the list, the card says it is blocked and what to do, and cannot be chosen:
        # no PIN is asked for it.
        page.get_by_role("link", name="Choisir un autre certificat").click()
        anne = page.get_by_role("radio", name=re.compile(name(ANNE)))
        expect(anne).to_be_disabled()
        expect(anne).to_have_accessible_description(re.compile(
            "Cette carte est bloquée après trois codes PIN erronés. Seule votre commune peut la débloquer, "
            "avec le code PUK reçu avec la carte."))
        expect(page.locator(".connected")).to_have_count(0)
        journey.step(page, "blocked-on-the-list")
        assert "est bloquée" in admin(stack, "status", "--card", ANNE.card_number).stdout
    finally:
        # The commune unblocks it with the PUK and the same PIN: other tests use Anne.
        done = admin(stack, "unblock", "--card", ANNE.card_number, stdin=f"{ANNE.puk}\n{ANNE.pin}\n")
        assert done.returncode == 0, done.stderr
        assert THREE_TRIES in done.stdout
