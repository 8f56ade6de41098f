"""Steps 5 to 7 and logout over HTTP, through the gateway of the whole stack, with the
demo cards that `make run` makes."""

from __future__ import annotations

import re
import shutil

import pytest
import requests

from services.auth.demo_cards import DEMO_PEOPLE, CardSpec
from tests.service.eid_fixtures import demo_cards_cli, issue_args
from tests.support import auth_cli
from tests.system.browser import Browser

pytestmark = pytest.mark.system

SOPHIE = DEMO_PEOPLE["social_worker"]
MARC = DEMO_PEOPLE["primaweb_manager"]
ANNE = DEMO_PEOPLE["colleague"]
PAUL = DEMO_PEOPLE["revoked"]
THREE_TRIES = "essais de code PIN restants : 3."  # the end of the CLI's status sentence


def error_text(html: str) -> str:
    found = re.search(r'class="(?:field-error|error-box)"[^>]*>(.*?)</', html, re.S)
    return found.group(1).strip() if found else ""


def admin(stack, *args, stdin=""):
    return auth_cli(stack, *args, stdin=stdin)


def test_methods_page_offers_the_card_first_and_names_the_simulation(stack):
    page = Browser(stack).get("/identification?service=primaweb")
    first, simulated = (page.text.index(text) for text in (
        "eID (carte dans le lecteur de votre ordinateur)", "Carte eID dans un lecteur simulé (formation)"))
    assert first < page.text.index("eID via l'extension Web eID") < simulated
    assert page.text.count("Non proposé dans cette installation.") == 4
    assert 'href="/identification/eid/attention"' in page.text  # the training's confirmation step
    confirm = Browser(stack).get("/identification/eid/attention")
    assert "Attention, votre eID doit déjà se trouver dans votre lecteur." in confirm.text
    assert 'href="/identification/eid">Continuer</a>' in confirm.text


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
    assert error_text(wrong.text) == "Code PIN incorrect. Essais restants\u00a0: 2."  # no-break space

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
    assert admin(stack, "status", "--card", SOPHIE.card_number).stdout.strip().endswith(THREE_TRIES)

    out = user.post("/deconnexion", {})
    assert "Vous êtes déconnecté" in out.text
    assert "ssp_session" not in user.http.cookies
    # The old id is dead server side: replaying it gets the page that says so.
    replay = requests.get(stack.url + "/entites", cookies={"ssp_session": session_id}, timeout=10)
    assert (replay.status_code, replay.url) == (401, stack.url + "/entites")
    assert "<h1>Votre session a pris fin</h1>" in replay.text
    assert 'href="/identification?service=primaweb"' in replay.text


def test_the_pin_format_is_checked_first(stack):
    user = Browser(stack)
    user.choose(MARC)
    for bad in ("12", "12345678901234", "12a4", ""):
        reply = user.post("/identification/eid/pin", {"pin": bad})
        assert reply.status_code == 400
        assert error_text(reply.text) == "Le code PIN se compose de 4 à 12 chiffres."
    assert admin(stack, "status", "--card", MARC.card_number).stdout.strip().endswith(THREE_TRIES)


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
    # The list says it before any PIN is asked, and the card cannot be chosen.
    chosen = Browser(stack).choose(ANNE)
    assert chosen.status_code == 400
    assert error_text(chosen.text).startswith("Cette carte est bloquée après trois codes PIN erronés. Seule")

    wrong_puk = admin(stack, "unblock", "--card", ANNE.card_number, stdin="00000000\n4444\n")
    assert wrong_puk.returncode == 1
    assert wrong_puk.stderr.startswith("Code PUK incorrect, rien n'a été changé ; essais de code PUK restants :")
    done = admin(stack, "unblock", "--card", ANNE.card_number, stdin=f"{ANNE.puk}\n{ANNE.pin}\n")
    assert done.returncode == 0, done.stderr
    assert THREE_TRIES in done.stdout

    again = Browser(stack).login(ANNE)
    assert again.url.endswith("/entites")
    trail = admin(stack, "audit", "--count", "200").stdout
    assert "card_blocked" in trail and "card_unblocked" in trail and "wrong_puk" in trail


def test_a_card_taken_out_before_its_pin_is_sent_is_said_missing(stack):
    # A card of its own, issued into the stack's readers, so that taking it out touches no other test.
    lea = CardSpec("Lea", "Demo-Taken", "86022814856", "592090123499", "2468", "88888888", "ec")
    tokens = stack.run_dir / "eid" / "tokens"
    before = set(tokens.iterdir())
    demo_cards_cli(stack.run_dir / "eid", *issue_args(lea))
    (token,) = set(tokens.iterdir()) - before
    user = Browser(stack)
    assert "Carte de Lea Demo-Taken" in user.choose(lea).text  # the list was read again: the card is in
    shutil.rmtree(token)  # taken out of the reader...
    Browser(stack).get("/identification/eid")  # ...which the readers show at their next look
    gone = user.post("/identification/eid/pin", {"pin": lea.pin})
    assert gone.status_code == 409
    assert "La carte n'est plus dans le lecteur" in gone.text
    assert "ssp_session" not in user.http.cookies


def test_a_revoked_card_is_said_on_the_list_and_no_pin_is_asked(stack):
    listed = Browser(stack).get("/identification/eid")
    paul = listed.text[listed.text.index(f'value="{PAUL.card_number}"') - 80:]
    assert re.match(r'.*<input type="radio" name="card_number" value="592045678997" required disabled', paul, re.S)
    assert "Le certificat de cette carte a été révoqué. Contactez votre commune." in paul[:2000]
    user = Browser(stack)
    refused = user.choose(PAUL)
    assert refused.status_code == 400
    assert error_text(refused.text) == "Le certificat de cette carte a été révoqué. Contactez votre commune."
    # Auth still refuses it at login, should a card be revoked between the list and the
    # PIN: tests/service/test_auth_service.py.
    assert admin(stack, "status", "--card", PAUL.card_number).stdout.strip().endswith(THREE_TRIES)


def test_forms_without_a_csrf_token_are_refused(stack):
    user = Browser(stack)
    user.choose(SOPHIE)
    reply = user.post("/identification/eid/pin", {"pin": SOPHIE.pin}, with_csrf=False)
    assert reply.status_code == 400
    assert "ssp_session" not in user.http.cookies


def test_a_forged_session_cookie_is_an_ended_session(stack):
    for forged in ("f" * 64, "not-an-id", "' or 1=1 --"):
        reply = requests.get(stack.url + "/entites", cookies={"ssp_session": forged}, timeout=10)
        assert reply.status_code == 401
        assert 'href="/identification?service=primaweb">Se connecter</a>' in reply.text
    # A well-formed id the auth service does not know: said as an ended session, the cookie dropped.
    reply = requests.get(stack.url + "/entites", cookies={"ssp_session": "f" * 64}, timeout=10)
    assert "<h1>Votre session a pris fin</h1>" in reply.text
    assert reply.headers["Set-Cookie"].startswith("ssp_session=; Expires=Thu, 01 Jan 1970")


def test_no_pin_ever_reaches_the_logs(stack):
    user = Browser(stack)
    user.choose(MARC)
    wrong = user.post("/identification/eid/pin", {"pin": "97312468"})
    right = user.post("/identification/eid/pin", {"pin": MARC.pin})
    # Once the lines of both answers are written (the last request's own line names its id):
    said = stack.output_when(lambda text: right.history[0].headers["X-Request-Id"] in text
                             and wrong.headers["X-Request-Id"] in text)
    assert right.history[0].headers["X-Request-Id"] in said
    assert "97312468" not in said
    assert "ssp_session" in user.http.cookies
    assert user.http.cookies["ssp_session"] not in said
