"""Steps 5 to 7 and logout over HTTP, through the gateway of the whole stack, with the
demo cards that `make run` makes."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import requests

from services.auth.demo_cards import DEMO_PEOPLE
from tests.support import ROOT
from tests.system.browser import Browser

pytestmark = pytest.mark.system

SOPHIE = DEMO_PEOPLE["social_worker"]
MARC = DEMO_PEOPLE["primaweb_manager"]
ANNE = DEMO_PEOPLE["colleague"]
PAUL = DEMO_PEOPLE["revoked"]


def error_text(html: str) -> str:
    found = re.search(r'class="(?:field-error|error-box)"[^>]*>(.*?)</', html, re.S)
    return found.group(1).strip() if found else ""


def admin(stack, *args, stdin=""):
    env = dict(stack.env, AUTH_ADMIN_ADDR=f"127.0.0.1:{stack.ports['auth-admin']}",
               REDIS_URL=f"redis://127.0.0.1:{stack.ports['redis']}/0")
    return subprocess.run([sys.executable, "-m", "services.auth.cli", *args], cwd=ROOT, env=env,
                          input=stdin, capture_output=True, text=True, timeout=30)


def test_methods_page_offers_the_card_first_and_names_the_simulation(stack):
    page = Browser(stack).get("/identification?service=primaweb")
    first, simulated = (page.text.index(text) for text in (
        "eID (carte dans le lecteur de votre ordinateur)", "Carte eID dans un lecteur simulé (formation)"))
    assert first < page.text.index("eID via l'extension Web eID") < simulated
    assert page.text.count("Non proposé dans cette installation.") == 4
    assert 'href="/identification/eid"' in page.text


def test_every_card_in_the_readers_is_offered_with_masked_numbers(stack):
    page = Browser(stack).get("/identification/eid")
    for card in (SOPHIE, MARC, ANNE, PAUL):
        assert f"{card.first_name} {card.last_name}" in page.text
        assert card.card_number in page.text
        assert "*******" + card.nrn[-4:] in page.text
        assert card.nrn not in page.text
    assert "Demo Citizen CA" in page.text


def test_the_whole_identification_path_to_a_logged_in_page(stack):
    user = Browser(stack)
    user.get("/")  # a visitor's cookies before login
    pin_page = user.choose(SOPHIE)
    assert pin_page.url.endswith("/identification/eid/pin")
    assert "Carte de Sophie Demo-Lambert" in pin_page.text
    before = dict(user.http.cookies)

    wrong = user.post("/identification/eid/pin", {"pin": "86429"})
    assert error_text(wrong.text) == "Code PIN incorrect. Essais restants : 2."

    home = user.post("/identification/eid/pin", {"pin": SOPHIE.pin})
    assert home.url.endswith("/entites")
    assert "Connecté en tant que <strong>Sophie Demo-Lambert</strong>" in home.text
    session_id = user.http.cookies["ssp_session"]
    assert re.fullmatch(r"[0-9a-f]{64}", session_id)
    assert session_id not in before.values()  # no fixation: a fresh id at login
    assert user.http.cookies.get("session") != before.get("session")
    set_cookie = [h for h in home.history[0].raw.headers.getlist("Set-Cookie") if h.startswith("ssp_session=")][0]
    assert "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie and "Path=/" in set_cookie

    # A new login starts again from 3 tries.
    assert admin(stack, "status", "--card", SOPHIE.card_number).stdout.strip().endswith("3 PIN tries left")

    out = user.post("/deconnexion", {})
    assert "Vous êtes déconnecté" in out.text
    assert "ssp_session" not in user.http.cookies
    # The old id is dead server side: replaying it leads back to the portal.
    replay = requests.get(stack.url + "/entites", cookies={"ssp_session": session_id}, timeout=10)
    assert replay.url == stack.url + "/"
    assert "Votre session a pris fin" in replay.text


def test_the_pin_format_is_checked_first(stack):
    user = Browser(stack)
    user.choose(MARC)
    for bad in ("12", "12345678901234", "12a4", ""):
        reply = user.post("/identification/eid/pin", {"pin": bad})
        assert reply.status_code == 400
        assert error_text(reply.text) == "Le code PIN se compose de 4 à 12 chiffres."
    assert admin(stack, "status", "--card", MARC.card_number).stdout.strip().endswith("3 PIN tries left")


def test_a_card_blocked_after_three_wrong_pins_is_unblocked_by_the_commune(stack):
    user = Browser(stack)
    user.choose(ANNE)
    user.post("/identification/eid/pin", {"pin": "0000"})
    user.post("/identification/eid/pin", {"pin": "0000"})
    blocked = user.post("/identification/eid/pin", {"pin": "0000"})
    assert blocked.status_code == 403
    assert "la carte est maintenant bloquée" in blocked.text
    assert "commune" in blocked.text and "PUK" in blocked.text
    refused = user.post("/identification/eid/pin", {"pin": ANNE.pin})
    assert "Cette carte est bloquée après trois codes PIN erronés" in refused.text

    wrong_puk = admin(stack, "unblock", "--card", ANNE.card_number, stdin="00000000\n4444\n")
    assert wrong_puk.returncode == 1 and "PUK_INCORRECT" in wrong_puk.stderr
    done = admin(stack, "unblock", "--card", ANNE.card_number, stdin=f"{ANNE.puk}\n{ANNE.pin}\n")
    assert done.returncode == 0, done.stderr
    assert "3 PIN tries left" in done.stdout

    again = Browser(stack).login(ANNE)
    assert again.url.endswith("/entites")
    trail = admin(stack, "audit", "--count", "200").stdout
    assert "card_blocked" in trail and "card_unblocked" in trail and "wrong_puk" in trail


def test_a_revoked_card_is_refused_without_using_a_try(stack):
    user = Browser(stack)
    user.choose(PAUL)
    refused = user.post("/identification/eid/pin", {"pin": PAUL.pin})
    assert refused.status_code == 403
    assert "Le certificat de cette carte a été révoqué." in refused.text
    assert "Aucun essai de code PIN n'a été utilisé." in refused.text
    assert admin(stack, "status", "--card", PAUL.card_number).stdout.strip().endswith("3 PIN tries left")


def test_forms_without_a_csrf_token_are_refused(stack):
    user = Browser(stack)
    user.choose(SOPHIE)
    reply = user.post("/identification/eid/pin", {"pin": SOPHIE.pin}, with_csrf=False)
    assert reply.status_code == 400
    assert "ssp_session" not in user.http.cookies


def test_a_forged_session_cookie_leads_back_to_the_portal(stack):
    for forged in ("f" * 64, "not-an-id", "' or 1=1 --"):
        reply = requests.get(stack.url + "/entites", cookies={"ssp_session": forged}, timeout=10)
        assert reply.status_code == 200
        assert reply.url == stack.url + "/"


def test_no_pin_ever_reaches_the_logs(stack):
    user = Browser(stack)
    user.choose(MARC)
    user.post("/identification/eid/pin", {"pin": "97312468"})
    user.post("/identification/eid/pin", {"pin": MARC.pin})
    assert "97312468" not in stack.output()
    assert "ssp_session" in user.http.cookies
    assert user.http.cookies["ssp_session"] not in stack.output()
