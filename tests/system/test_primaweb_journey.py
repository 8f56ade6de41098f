"""Steps 8 to 13 over HTTP: entities, "connected as", the PrimaWeb role choice, the home
that follows the profiles, profile management, and profiles that apply only after a
complete logout and a new login."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from services.auth.demo_cards import DEMO_PEOPLE
from ssp.roles.v1 import roles_pb2, roles_pb2_grpc
from tests.support import ROOT
from tests.system.browser import Browser

pytestmark = pytest.mark.system

SOPHIE = DEMO_PEOPLE["social_worker"]
MARC = DEMO_PEOPLE["primaweb_manager"]
ANNE = DEMO_PEOPLE["colleague"]
RESTRICTED = "Votre accès à PrimaWeb est restreint."


def enter_primaweb(user: Browser, card, role: str | None = None):
    entities = user.login(card)
    assert entities.url.endswith("/entites")
    choices = re.findall(r'<h2>(.*?)</h2>.*?name="choice" value="([0-9]{10}:action-sociale)"', entities.text, re.S)
    choice = dict(choices)["CPAS de Herstappe"]
    connected = user.post("/entites", {"choice": choice})
    assert "Vous êtes connecté en tant que CPAS de Herstappe" in connected.text
    assert f"{card.first_name} {card.last_name}" in connected.text
    started = user.post("/primaweb/demarrer", {})
    if role is not None:
        assert started.url.endswith("/primaweb/role")
        assert "Agent Social" in started.text and "Gestion PrimaWeb" in started.text
        started = user.post("/primaweb/role", {"role": role})
    assert started.url.endswith("/primaweb/")
    return started


def part_titles(page) -> list[str]:
    return re.findall(r'<li class="card" id="part-[a-z-]+">.*?<strong>(.*?)</strong>', page.text, re.S)


def test_first_login_is_restricted_until_a_manager_assigns_profiles_and_a_new_login(stack):
    sophie = Browser(stack)
    home = enter_primaweb(sophie, SOPHIE)  # one role: straight to the home
    assert RESTRICTED in home.text
    assert "un gestionnaire PrimaWeb de votre CPAS doit vous attribuer des profils".lower() in home.text.lower()
    assert "Agent Social" in home.text and "CPAS de Herstappe" in home.text  # the header

    marc = Browser(stack)
    manager_home = enter_primaweb(marc, MARC, role="gestion-primaweb")
    assert part_titles(manager_home) == ["Gestion des profils"]
    management = marc.get("/primaweb/gestion")
    assert "Sophie Demo-Lambert" in management.text  # registered by her first start
    saved = marc.post("/primaweb/gestion", {"agent_nrn": SOPHIE.nrn, "profiles": ["consultation", "encodage-ris"]})
    assert "Les profils de Sophie Demo-Lambert sont enregistrés" in saved.text
    assert saved.text.count("attribué par Marc Demo-Dubois") >= 2

    same_session = sophie.get("/primaweb/")
    assert RESTRICTED in same_session.text  # the running session keeps its profiles
    assert "Vos profils PrimaWeb ont été modifiés depuis votre connexion" in same_session.text

    sophie.post("/deconnexion", {})
    ended = sophie.get("/primaweb/")  # the whole session has ended
    assert (ended.status_code, ended.url) == (401, stack.url + "/primaweb/")
    assert "<h1>Vous n'êtes pas connecté</h1>" in ended.text
    again = enter_primaweb(Browser(stack), SOPHIE)
    assert RESTRICTED not in again.text
    assert part_titles(again) == ["Rechercher un dossier", "Mes dossiers", "Nouveau dossier — intégration sociale"]
    assert "ont été modifiés" not in again.text


def test_the_manager_can_also_work_as_agent(stack):
    home = enter_primaweb(Browser(stack), MARC, role="agent-social")
    assert "Rechercher un dossier" in part_titles(home)
    assert "Gestion des profils" not in part_titles(home)


def test_an_agent_cannot_manage_profiles(stack):
    sophie = Browser(stack)
    enter_primaweb(sophie, SOPHIE)
    assert sophie.get("/primaweb/gestion").status_code == 403
    refused = sophie.post("/primaweb/gestion", {"agent_nrn": SOPHIE.nrn, "profiles": ["rapports"]})
    assert refused.status_code == 403


def test_a_colleague_known_for_two_entities_chooses_one(stack):
    anne = Browser(stack)
    entities = anne.login(ANNE)
    names = re.findall(r"<h2>(.*?)</h2>", entities.text)
    assert "CPAS de Herstappe" in names and len(names) == 2
    other = [n for n in names if n != "CPAS de Herstappe"][0]
    choice = dict(re.findall(r'<h2>(.*?)</h2>.*?name="choice" value="([0-9:a-z-]+)"', entities.text, re.S))[other]
    connected = anne.post("/entites", {"choice": choice})
    assert f"Vous êtes connecté en tant que {other}" in connected.text


def test_a_choice_outside_the_memberships_is_refused(stack):
    sophie = Browser(stack)
    sophie.login(SOPHIE)
    assert sophie.post("/entites", {"choice": "0403170701:action-sociale"}).status_code == 400


def test_pages_after_login_need_a_session(stack):
    for path in ("/entites", "/entites/connecte", "/primaweb/", "/primaweb/gestion"):
        reply = Browser(stack).get(path)
        assert (reply.status_code, reply.url) == (401, stack.url + path)
        assert "<h1>Vous n'êtes pas connecté</h1>" in reply.text
        assert 'href="/identification?service=primaweb">Se connecter</a>' in reply.text


def test_a_person_known_for_no_entity_then_granted_a_quality_without_a_role(stack):
    newcomer = dict(first="Lucas", last="Demo-Nouveau", nrn="90021512345", card="592099990003", pin="8642")
    from stdnum.be import nn

    nrn = newcomer["nrn"][:9] + f"{97 - int(newcomer['nrn'][:9]) % 97:02d}"
    assert nn.is_valid(nrn)
    made = subprocess.run(
        [sys.executable, "-m", "services.auth.demo_cards", "--dir", str(stack.run_dir / "eid"), "issue-card",
         "--first", newcomer["first"], "--last", newcomer["last"], "--nrn", nrn,
         "--card-number", newcomer["card"], "--pin", newcomer["pin"], "--puk", "86428642", "--key", "ec"],
        cwd=ROOT, env=stack.env, capture_output=True, text=True, timeout=60,
    )
    assert made.returncode == 0, made.stderr
    card = type("Card", (), {"card_number": newcomer["card"], "pin": newcomer["pin"]})

    lucas = Browser(stack)
    nowhere = lucas.login(card)
    assert "Vous n'êtes connu pour aucune entité" in nowhere.text
    assert "gestionnaire d'accès" in nowhere.text

    # The access manager of Herstappe (Marc) grants the quality through the federal API.
    roles = roles_pb2_grpc.AccessManagementStub(stack.channel("roles", "access-manager"))
    memberships = roles_pb2_grpc.RolesStub(stack.channel("roles", "gateway"))
    herstappe = next(m.entity.enterprise_number for m in memberships.ListMemberships(
        roles_pb2.ListMembershipsRequest(acting_nrn=MARC.nrn)).memberships if m.entity.name == "CPAS de Herstappe")
    roles.GrantQuality(roles_pb2.QualityRequest(acting_nrn=MARC.nrn, enterprise_number=herstappe, person_nrn=nrn,
                                                first_name="Lucas", last_name="Demo-Nouveau",
                                                quality_id="action-sociale"), timeout=10)
    entities = lucas.get("/entites")
    connected = lucas.post("/entites", {"choice": f"{herstappe}:action-sociale"})
    assert "CPAS de Herstappe" in entities.text and "Démarrer l'application" in connected.text
    refused = lucas.post("/primaweb/demarrer", {})
    assert refused.status_code == 403
    assert "PrimaWeb ne vous est pas ouvert pour cette entité" in refused.text
