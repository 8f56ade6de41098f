"""The journey in a real browser, by clicks, the way a user walks it (French pages).
Each helper leaves the page at the next step and records it with `journey.step`."""

from __future__ import annotations

import re
import subprocess

import grpc
from playwright.sync_api import Page, expect

from services.auth.demo_cards import DEMO_PEOPLE
from services.gateway.grammar import french_of
from ssp.roles.v1 import roles_pb2, roles_pb2_grpc
from tests.support import auth_cli

SOPHIE = DEMO_PEOPLE["social_worker"]
MARC = DEMO_PEOPLE["primaweb_manager"]
ANNE = DEMO_PEOPLE["colleague"]
PAUL = DEMO_PEOPLE["revoked"]
THREE_TRIES = "essais de code PIN restants : 3."  # the end of the CLI's status sentence
HERSTAPPE = "CPAS de Herstappe"
HERSTAPPE_NUMBER = "0999000129"
RESTRICTED = "Votre accès à PrimaWeb est restreint."


def name(person) -> str:
    return f"{person.first_name} {person.last_name}"


def starts(text: str) -> re.Pattern:
    """An accessible name that starts with the text (card links also hold a description)."""
    return re.compile("^" + re.escape(text))


def public_part(page: Page, stack, journey) -> None:
    """Steps 1 to 4: portal home -> professionals -> CPAS -> Action sociale -> PrimaWeb."""
    page.goto(stack.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    journey.step(page, "portal-home")
    page.get_by_role("link", name=starts("Fonctionnaires et autres professionnels")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fonctionnaires et autres professionnels")
    journey.step(page, "audience-professionals")
    page.get_by_role("link", name=starts("CPAS & SPP Intégration sociale")).click()
    journey.step(page, "sector-cpas")
    page.get_by_role("link", name=starts("Action sociale")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Services en ligne — Action sociale")
    journey.step(page, "quality-action-sociale")
    page.get_by_role("link", name="PrimaWeb", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("PrimaWeb")
    # The breadcrumb shows the way taken, the current page last.
    crumbs = page.get_by_role("navigation", name="Vous êtes ici").get_by_role("listitem")
    expect(crumbs).to_have_text(["Accueil", "Fonctionnaires et autres professionnels",
                                 "CPAS & SPP Intégration sociale", "Action sociale", "PrimaWeb"])
    journey.step(page, "service-primaweb")


def to_methods(page: Page, journey) -> None:
    """Steps 4 to 5: Se connecter -> the identification methods."""
    page.get_by_role("link", name="Se connecter").click()
    expect(page).to_have_url(re.compile(r"/identification\?service=primaweb$"))
    expect_current_step(page, "Méthode")
    journey.step(page, "identification-methods")


def to_certificates(page: Page, journey) -> None:
    """Steps 4 to 6: Se connecter -> method -> confirmation -> the certificates on the simulated readers."""
    to_methods(page, journey)
    page.get_by_role("link", name=starts("Carte eID dans un lecteur simulé")).click()
    # As in the training: a confirmation that the card is in the reader before the list is read.
    expect(page).to_have_url(re.compile(r"/identification/eid/attention$"))
    expect_current_step(page, "Méthode")
    expect(page.get_by_role("note")).to_have_text("Attention, votre eID doit déjà se trouver dans votre lecteur.")
    journey.step(page, "reader-warning")
    page.get_by_role("link", name="Continuer", exact=True).click()
    expect(page).to_have_url(re.compile(r"/identification/eid$"))
    expect_current_step(page, "Certificat")
    journey.step(page, "certificates")


def choose_card(page: Page, card) -> None:
    page.locator(f'input[name="card_number"][value="{card.card_number}"]').check()
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Introduisez votre code PIN")
    expect(page.get_by_text(f"Carte {french_of(name(card))}, numéro {card.card_number}.")).to_be_visible()


def enter_pin(page: Page, pin: str) -> None:
    page.get_by_label("Code PIN").fill(pin)
    page.get_by_role("button", name="Se connecter", exact=True).click()


def login(page: Page, stack, journey, card, start: str = "certificates") -> None:
    """To the entities page (step 8), logged in with the card; the way starts at the portal
    home ("home"), at the PrimaWeb service page ("service") or at the certificates."""
    if start == "home":
        public_part(page, stack, journey)
    elif start == "service":
        page.goto(stack.url + "/services/primaweb")
    if start in ("home", "service"):
        to_certificates(page, journey)
    else:
        page.goto(stack.url + "/identification/eid")
    choose_card(page, card)
    expect_current_step(page, "Code PIN")
    journey.step(page, "pin")
    enter_pin(page, card.pin)
    expect(page).to_have_url(stack.url + "/entites")
    expect(page.locator(".connected")).to_contain_text(f"Connecté en tant que {name(card)}")
    journey.step(page, "entities")


def enter_primaweb(page: Page, stack, journey, card, role: str | None = None, start: str = "certificates") -> None:
    """Login, then steps 8 to 11: entity -> connected as -> (role) -> the PrimaWeb home."""
    login(page, stack, journey, card, start=start)
    entities_to_primaweb(page, stack, journey, card, role)


def entities_to_primaweb(page: Page, stack, journey, card, role: str | None = None) -> None:
    """Steps 8 to 11, from the entities page: entity -> connected as -> (role) -> PrimaWeb home."""
    herstappe = page.locator("li.entity", has=page.get_by_role("heading", name=HERSTAPPE, exact=True))
    herstappe.get_by_role("button", name="Action sociale").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Vous êtes connecté en tant que {HERSTAPPE}")
    expect_header(page, card)
    expect_current_step(page, "Connexion")
    journey.step(page, "connected-as")
    page.get_by_role("button", name="Démarrer l'application").click()
    if role is not None:
        expect(page).to_have_url(stack.url + "/primaweb/role")
        expect_current_step(page, "Rôle")
        journey.step(page, "role-choice")
        page.get_by_role("radio", name=starts(role)).check()
        page.get_by_role("button", name="Sélectionner").click()
    expect(page).to_have_url(stack.url + "/primaweb/")
    expect(page.get_by_role("list", name="Étapes du parcours")).to_have_count(0)  # the login is over
    expect_header(page, card, role or "Agent Social")


def logout(page: Page, stack, journey) -> None:
    page.locator(".connected").get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vous êtes déconnecté")
    expect(page.locator(".connected")).to_have_count(0)
    journey.step(page, "logged-out")


def expect_current_step(page: Page, label: str) -> None:
    """The stepper marks exactly one step as the current one."""
    current = page.get_by_role("list", name="Étapes du parcours").locator('[aria-current="step"]')
    expect(current).to_have_count(1)
    expect(current).to_have_text(label)


def expect_header(page: Page, person, role: str | None = None) -> None:
    """The connected person, the entity and quality, and the role, in the header."""
    header = page.locator("header .connected")
    expect(header).to_contain_text(f"Connecté en tant que {name(person)}")
    expect(header).to_contain_text(f"pour {HERSTAPPE} — Action sociale")
    if role:
        expect(header).to_contain_text(f"Rôle\u00a0: {role}")


def part_titles(page: Page) -> list[str]:
    return page.locator('.home-parts li[id^="part-"] strong').all_inner_texts()


def admin(stack, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    """The auth admin CLI, in French, as a commune clerk runs it."""
    return auth_cli(stack, *args, stdin=stdin)


class Profiles:
    """Sophie's PrimaWeb profiles at Herstappe, read and set through the roles API as Marc
    (her manager): to start from a known state and to put back what other tests expect."""

    def __init__(self, stack):
        self.channel = stack.channel("roles", "gateway")  # mutual TLS: the Roles API answers the gateway
        self.roles = roles_pb2_grpc.RolesStub(self.channel)

    def _request(self, agent, **extra):
        return dict(acting_nrn=MARC.nrn, enterprise_number=HERSTAPPE_NUMBER, agent_nrn=agent.nrn, **extra)

    def of(self, agent) -> set[str] | None:
        """None when the person has never started PrimaWeb (not an agent yet)."""
        try:
            found = self.roles.GetAgent(roles_pb2.GetAgentRequest(**self._request(agent)), timeout=10)
        except grpc.RpcError as exc:
            if exc.code() == grpc.StatusCode.NOT_FOUND:
                return None
            raise
        return {p.profile for p in found.profiles}

    def set(self, agent, wanted: set[str]) -> None:
        held = self.of(agent) or set()
        for profile in sorted(wanted - held):
            self.roles.AssignProfile(roles_pb2.ChangeProfileRequest(**self._request(agent, profile=profile)),
                                     timeout=10)
        for profile in sorted(held - wanted):
            self.roles.WithdrawProfile(roles_pb2.ChangeProfileRequest(**self._request(agent, profile=profile)),
                                       timeout=10)

    def close(self) -> None:
        self.channel.close()
