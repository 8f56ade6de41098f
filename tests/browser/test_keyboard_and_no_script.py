"""The journey without a mouse (Tab, Shift+Tab, Space and Enter only, focus always
visible) and without JavaScript (server-rendered forms only)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.walk import (
    HERSTAPPE,
    HERSTAPPE_NUMBER,
    MARC,
    SOPHIE,
    choose_card,
    enter_pin,
    expect_current_step,
    expect_header,
    logout,
    name,
    public_part,
    to_certificates,
)

pytestmark = pytest.mark.browser

# What has the focus, and can one see it: an outline or a ring, and :focus-visible.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(), id: el.id, href: el.getAttribute('href') || '',
    value: el.value || '', type: el.type || '', text: (el.innerText || '').trim().slice(0, 80),
    focusVisible: el.matches(':focus-visible'),
    ring: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== 'none',
    onScreen: box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0
              && box.left < innerWidth && box.top < innerHeight,
  };
}"""


def focused(page: Page) -> dict | None:
    return page.evaluate(FOCUSED)


def tab_to(page: Page, wanted, backwards: bool = False, limit: int = 40) -> dict:
    """Presses Tab (or Shift+Tab) until the focused element matches; each element met on
    the way must show its focus."""
    key = "Shift+Tab" if backwards else "Tab"
    met = []
    # After a navigation by Enter, the stylesheet may still be loading on a busy machine:
    # the focus ring is only there once it has.
    page.wait_for_load_state("load")
    for _ in range(limit):
        page.keyboard.press(key)
        now = focused(page)
        if now is None:
            continue
        met.append(now.get("href") or now.get("text") or now.get("value"))
        assert now["focusVisible"] and now["ring"], f"focus not visible on {now}"
        assert now["onScreen"], f"focused element is off screen: {now}"
        if wanted(now):
            return now
    raise AssertionError(f"never reached by {key}; met: {met}")


def link(href: str):
    return lambda el: el["tag"] == "a" and el["href"] == href


def test_the_whole_journey_with_the_keyboard_alone(stack, page, journey):
    page.goto(stack.url + "/")
    # The skip link comes first, shows itself, and leads into the content.
    skip = tab_to(page, lambda el: el["tag"] == "a" and el["href"] == "#main", limit=1)
    assert skip["text"] == "Aller au contenu"
    journey.step(page, "skip-link-focused")
    page.keyboard.press("Enter")
    expect(page).to_have_url(stack.url + "/#main")
    expect(page.locator("main")).to_be_focused()

    for href in ("/audiences/professionnels", "/secteurs/cpas", "/secteurs/cpas/qualites/action-sociale",
                 "/services/primaweb"):
        tab_to(page, link(href))
        journey.step(page, "focus-" + href.rsplit("/", 1)[-1])
        page.keyboard.press("Enter")
        expect(page).to_have_url(stack.url + href)
    tab_to(page, lambda el: el["tag"] == "a" and el["href"].startswith("/identification?service=primaweb"))
    page.keyboard.press("Enter")
    expect_current_step(page, "Méthode")
    tab_to(page, link("/identification/eid/attention"))
    journey.step(page, "focus-eid-reader")
    page.keyboard.press("Enter")
    expect(page).to_have_url(stack.url + "/identification/eid/attention")
    tab_to(page, link("/identification/eid"))  # "Continuer", once the card is in the reader
    page.keyboard.press("Enter")
    expect_current_step(page, "Certificat")

    # The card: the first radio of the group takes the focus, Space chooses it.
    tab_to(page, lambda el: el["type"] == "radio")
    assert focused(page)["value"] == SOPHIE.card_number  # Sophie's card comes first in the readers
    page.keyboard.press("Space")
    expect(page.locator(f'input[value="{SOPHIE.card_number}"]')).to_be_checked()
    journey.step(page, "card-chosen")
    tab_to(page, lambda el: el["tag"] == "button" and el["text"] == "Continuer")
    page.keyboard.press("Enter")

    # The PIN field has the focus when the page opens.
    expect_current_step(page, "Code PIN")
    expect(page.get_by_label("Code PIN")).to_be_focused()
    page.keyboard.type(SOPHIE.pin)
    journey.step(page, "pin-typed")
    page.keyboard.press("Enter")
    expect(page).to_have_url(stack.url + "/entites")

    tab_to(page, lambda el: el["tag"] == "button" and el["value"] == f"{HERSTAPPE_NUMBER}:action-sociale")
    journey.step(page, "focus-entity")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Vous êtes connecté en tant que {HERSTAPPE}")
    tab_to(page, lambda el: el["tag"] == "button" and el["text"] == "Démarrer l'application")
    journey.step(page, "focus-start")
    page.keyboard.press("Enter")
    expect(page).to_have_url(stack.url + "/primaweb/")
    expect_header(page, SOPHIE, "Agent Social")

    # Skip to the content, then back (Shift+Tab) to the header's logout button.
    tab_to(page, lambda el: el["href"] == "#main", limit=1)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    tab_to(page, lambda el: el["tag"] == "button" and el["text"] == "Se déconnecter", backwards=True)
    journey.step(page, "focus-logout")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vous êtes déconnecté")
    tab_to(page, link("/"))
    journey.step(page, "logged-out-focus-home")


def test_the_journey_works_with_javascript_disabled(stack, new_context, journey):
    page = new_context(java_script_enabled=False).new_page()
    journey.use_axe = False  # axe runs in the page's JavaScript: the same pages pass it elsewhere
    public_part(page, stack, journey)
    to_certificates(page, journey)
    choose_card(page, MARC)
    enter_pin(page, "86429")  # the server answers the wrong PIN in the page itself
    expect(page.locator("#pin-error")).to_have_text("Code PIN incorrect. Essais restants : 2.")
    journey.step(page, "pin-wrong")
    enter_pin(page, MARC.pin)
    expect(page).to_have_url(stack.url + "/entites")
    journey.step(page, "entities")
    page.locator("li.entity", has=page.get_by_role("heading", name=HERSTAPPE, exact=True)).get_by_role(
        "button", name="Action sociale").click()
    expect_header(page, MARC)
    journey.step(page, "connected-as")
    page.get_by_role("button", name="Démarrer l'application").click()
    expect(page).to_have_url(stack.url + "/primaweb/role")
    page.get_by_role("radio", name="Gestion PrimaWeb", exact=False).check()
    journey.step(page, "role-choice")
    page.get_by_role("button", name="Sélectionner").click()
    expect(page).to_have_url(stack.url + "/primaweb/")
    expect_header(page, MARC, "Gestion PrimaWeb")
    journey.step(page, "primaweb-home-manager")
    page.get_by_role("link", name="Gestion des profils").click()
    # Marc's own form, sent unchanged: a server-rendered answer, no data changed.
    own = page.locator("section.agent", has=page.get_by_role("heading", name=name(MARC), exact=True))
    own.get_by_role("button").click()
    expect(page.get_by_role("status")).to_have_text(f"Rien n'a changé pour {name(MARC)}.")
    journey.step(page, "profiles-unchanged")
    page.get_by_role("link", name="Retour à l'accueil PrimaWeb").click()
    expect(page).to_have_url(stack.url + "/primaweb/")
    logout(page, stack, journey)
