"""The commune clerk's card tool against the running stack, with nothing but the stack's own
settings in the environment (its ports and RUN_DIR, as after `make run`): one sentence per
outcome, in the language of the environment."""

from __future__ import annotations

import pytest

from services.auth.demo_cards import DEMO_PEOPLE
from tests.support import auth_cli

pytestmark = pytest.mark.system

SOPHIE = DEMO_PEOPLE["social_worker"]
PAUL = DEMO_PEOPLE["revoked"]  # his certificate is revoked: unblocking his card disturbs no login test


@pytest.mark.parametrize(("language", "sentence"), [
    ("fr", "La carte 592012345656 n'est pas bloquée ; essais de code PIN restants : 3."),
    ("nl", "Kaart 592012345656 is niet geblokkeerd; resterende pogingen voor de pincode: 3."),
    ("de", "Die Karte 592012345656 ist nicht gesperrt; verbleibende PIN-Versuche: 3."),
    ("", "La carte 592012345656 n'est pas bloquée ; essais de code PIN restants : 3."),  # LANG=C.UTF-8
])
def test_the_status_is_one_sentence_in_the_language_of_the_environment(stack, language, sentence):
    done = auth_cli(stack, "status", "--card", SOPHIE.card_number, language=language)
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, sentence, "")


def test_a_wrong_puk_then_the_right_one(stack):
    wrong = auth_cli(stack, "unblock", "--card", PAUL.card_number, stdin=f"00000000\n{PAUL.pin}\n", language="nl")
    assert wrong.returncode == 1
    assert wrong.stderr.strip() == "Foute PUK-code, er is niets gewijzigd; resterende pogingen voor de PUK-code: 2."
    right = auth_cli(stack, "unblock", "--card", PAUL.card_number, stdin=f"{PAUL.puk}\n{PAUL.pin}\n")
    assert right.returncode == 0, right.stderr
    assert right.stdout.strip().endswith(
        "La carte 592045678997 est débloquée et son nouveau code PIN est enregistré ; essais de code PIN restants : 3.")
    said = (wrong.stdout + wrong.stderr + right.stdout + right.stderr).replace(PAUL.card_number, "")
    for secret in (PAUL.puk, PAUL.pin, "00000000"):
        assert secret not in said


@pytest.mark.parametrize(("stdin", "sentence"), [
    ("", "Aucun code PUK n'a été tapé ; rien n'a été changé."),
    (f"{PAUL.puk}\n", "Aucun nouveau code PIN n'a été tapé ; rien n'a été changé."),
    (f"{PAUL.puk}\n12\n", "Le nouveau code PIN doit compter 4 à 12 chiffres ; rien n'a été changé."),
    ("12ab\n", "Le code PUK se compose de 4 à 12 chiffres ; rien n'a été changé."),
])
def test_missing_or_malformed_codes_are_said_plainly(stack, stdin, sentence):
    done = auth_cli(stack, "unblock", "--card", PAUL.card_number, stdin=stdin)
    assert done.returncode == 1
    assert done.stderr.strip() == sentence


def test_an_unknown_card_and_a_stopped_portal(stack):
    missing = auth_cli(stack, "status", "--card", "592099999999", language="de")
    assert missing.stderr.strip() == "Die Karte 592099999999 steckt in keinem Kartenleser; prüfen Sie ihre Nummer."
    elsewhere = auth_cli(_Moved(stack), "status", "--card", SOPHIE.card_number)
    assert elsewhere.returncode == 1
    assert elsewhere.stderr.strip().startswith("Le service d'authentification ne répond pas à l'adresse 127.0.0.1:")


def test_the_audit_trail_shows_brussels_time(stack):
    import datetime as dt
    from zoneinfo import ZoneInfo

    unblocked = auth_cli(stack, "unblock", "--card", PAUL.card_number, stdin=f"{PAUL.puk}\n{PAUL.pin}\n")
    assert unblocked.returncode == 0, unblocked.stderr
    done = auth_cli(stack, "audit", "--count", "5")
    assert done.returncode == 0, done.stderr
    latest = done.stdout.splitlines()[-1]
    assert "card_unblocked" in latest
    when = dt.datetime.strptime(latest[:19], "%Y-%m-%d %H:%M:%S").replace(tzinfo=ZoneInfo("Europe/Brussels"))
    assert abs((dt.datetime.now(dt.UTC) - when).total_seconds()) < 120


class _Moved:
    """The stack's settings with the admin port of nothing that listens."""

    def __init__(self, stack):
        from tests.support import free_port

        self.env = dict(stack.env, AUTH_ADMIN_PORT=str(free_port()))
