"""Identification with Web eID through the gateway of the whole stack, over HTTP.

The test plays the page's script (ask the gateway for a challenge, put the token in the
server-rendered form) and, with tests/service/webeid_tokens.py, the Web eID application:
its tokens are signed by the stack's own demo cards through PKCS#11, as the application
has a card sign them. The gateway checks the size and the CSRF token, the auth service the
challenge (bound to the browser's pre-login session), the origin and the signature.

The helpers at the top are shared with tests/browser/test_webeid_page.py.

PKCS#11 in this process. python-pkcs11 loads SoftHSM2 once per process, and SoftHSM2 reads
SOFTHSM2_CONF (its token folder) only when initialised; the service tests may have loaded it
already with their own folder. `stack_cards` therefore points SOFTHSM2_CONF at the stack's
folder (stack.run_dir/eid) and re-initialises the module (`CardReaders.refresh()`), and on
the way out puts the previous folder back and re-initialises again, so that the service
tests' session-wide `card_readers` sees its own tokens as before.
"""

from __future__ import annotations

import base64
import contextlib
import html
import os
import re
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
import requests
from babel.support import Translations

from devtools import stack as launcher
from services.auth.cards import CardReaders
from services.auth.demo_cards import DEMO_PEOPLE
from services.auth.settings import Settings
from services.auth.webeid import normalise_origin
from ssp.auth.v1 import auth_pb2 as pb
from ssp.auth.v1 import auth_pb2_grpc
from tests.service import eid_fixtures
from tests.service.webeid_tokens import CardSigner, build_token, token_fields
from tests.support import ROOT
from tests.system.browser import Browser

pytestmark = pytest.mark.system

SOPHIE = DEMO_PEOPLE["social_worker"]  # RSA
MARC = DEMO_PEOPLE["primaweb_manager"]  # EC P-384
ANNE = DEMO_PEOPLE["colleague"]  # EC P-384
PAUL = DEMO_PEOPLE["revoked"]
PAGE = "/identification/web-eid"
CHALLENGE = "/identification/web-eid/challenge"
ANSWER_FIELD = "webeid_token"
ANOTHER_ORIGIN = "https://portail.example.be"
TRANSLATIONS = ROOT / "services" / "gateway" / "translations"

# The gateway's texts, in English (the source language); `page_text` gives them as a page shows them.
TRIES_LEFT = ("The signature of your card could not be verified for this login. Make sure you opened the portal "
              "at its usual address, then try again. Tries left before this certificate is locked for a while: "
              "%(left)d.")
CHALLENGE_USED = ("This Web eID login was already used, or replaced by a newer one (in another tab, for instance). "
                  "Please try again.")
TOO_LARGE = ("The answer received is too large to be a Web eID login (more than %(limit)d KB). Please try again.")
UNREADABLE = ("The answer of the Web eID application could not be read. Please try again; if it happens again, "
              "update Web eID.")
REVOKED = "The certificate of this card has been revoked. Contact your commune."


# --- shared with the browser tests ------------------------------------------------------------


def page_text(msgid: str, language: str = "fr", **values) -> str:
    """A text as the gateway shows it in `language`: its catalogue's translation (the
    English text itself while the translation is not in the catalogue yet)."""
    text = Translations.load(str(TRANSLATIONS), [language]).gettext(msgid)
    return text % values if values else text


def auth_origin(stack) -> str:
    """The origin the stack's auth service checks tokens against: the WEBEID_ORIGIN the
    launcher gives it (the gateway's URL, once the launcher sets it), else the service's
    default. A real extension signs for the page's origin; the two are the same when the
    launcher sets WEBEID_ORIGIN to the gateway URL."""
    with mock.patch.dict(os.environ, stack.env, clear=True):
        env = launcher.environment(Path(stack.run_dir), stack.ports)
    return normalise_origin(env.get("WEBEID_ORIGIN") or Settings.webeid_origin)


@contextlib.contextmanager
def stack_cards(stack) -> Iterator[CardReaders]:
    """The stack's demo cards, through SoftHSM2 loaded in this process (see the module doc)."""
    previous = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(Path(stack.run_dir) / "eid" / "softhsm2.conf")
    try:
        readers = CardReaders(eid_fixtures.SOFTHSM_MODULE)
        readers.refresh()  # the module may have been initialised earlier with another folder
        yield readers
    finally:
        if previous is None:
            os.environ.pop("SOFTHSM2_CONF", None)
        else:
            os.environ["SOFTHSM2_CONF"] = previous
            CardReaders(eid_fixtures.SOFTHSM_MODULE).refresh()  # the previous folder's tokens again


def signers_for(readers: CardReaders, *people) -> dict[str, CardSigner]:
    return {p.card_number: CardSigner(readers, p.card_number, p.pin) for p in people}


# --- this module ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def signers(stack) -> Iterator[dict[str, CardSigner]]:
    with stack_cards(stack) as readers:
        yield signers_for(readers, SOPHIE, MARC, ANNE, PAUL)


@pytest.fixture(scope="module")
def origin(stack) -> str:
    return auth_origin(stack)


class WebEidUser(Browser):
    """A browser on the Web eID page, doing over HTTP what the page's script does."""

    def open(self):
        page = self.get(PAGE)
        assert page.status_code == 200, page.text
        return page

    def challenge(self) -> str:
        reply = self.http.post(self.base + CHALLENGE, headers={"X-CSRFToken": self.csrf}, timeout=15)
        assert reply.status_code == 200, reply.text
        assert reply.headers["Cache-Control"] == "no-store"
        return reply.json()["nonce"]

    def send(self, token: str, with_csrf: bool = True):
        return self.post(PAGE, {ANSWER_FIELD: token}, with_csrf=with_csrf)


def refusal(reply) -> str:
    found = re.search(r'id="webeid-refusal"><p>(.*?)</p>', reply.text, re.S)
    return html.unescape(found.group(1)).strip() if found else ""


def logged_in(reply) -> bool:
    return reply.url.endswith("/entites") and "ssp_session=" in reply.history[0].headers.get("Set-Cookie", "")


def session_of(stack, session_id: str) -> pb.Session:
    with stack.channel("auth", "gateway") as channel:
        return auth_pb2_grpc.IdentificationStub(channel).GetSession(pb.GetSessionRequest(session_id=session_id))


def test_the_methods_page_leads_to_the_web_eid_page(stack):
    user = WebEidUser(stack)
    methods = user.get("/identification?service=primaweb")
    assert f'href="{PAGE}"' in methods.text
    assert page_text("eID via the Web eID extension") in html.unescape(methods.text)
    page = user.open()
    # The script's texts come translated in a JSON block; the token goes in a CSRF-protected form.
    assert '<script type="application/json" id="webeid-messages">' in page.text
    assert '<script src="/static/webeid.js" defer></script>' in page.text
    assert f'name="{ANSWER_FIELD}"' in page.text and 'name="csrf_token"' in page.text
    assert "<noscript>" in page.text
    script = requests.get(stack.url + "/static/webeid.js", timeout=10)
    assert script.status_code == 200 and "web-eid:authenticate" in script.text


def test_a_token_from_the_card_logs_in_as_the_reader_path_does(stack, signers, origin):
    user = WebEidUser(stack)
    user.get("/")
    user.open()
    before = dict(user.http.cookies)
    token = build_token(signers[SOPHIE.card_number], origin, user.challenge())

    home = user.send(token)
    assert logged_in(home), home.text
    assert "Connecté en tant que <strong>Sophie Demo-Lambert</strong>" in home.text
    session_id = user.http.cookies["ssp_session"]
    assert re.fullmatch(r"[0-9a-f]{64}", session_id)
    assert session_id not in before.values()
    assert user.http.cookies.get("session") != before.get("session")  # pre-login session replaced
    set_cookie = [h for h in home.history[0].raw.headers.getlist("Set-Cookie") if h.startswith("ssp_session=")][0]
    assert "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie and "Path=/" in set_cookie
    assert session_of(stack, session_id).method == "web-eid"


def test_a_token_is_good_once_replaying_the_form_is_refused(stack, signers, origin):
    user = WebEidUser(stack)
    user.open()
    token = build_token(signers[SOPHIE.card_number], origin, user.challenge())
    pre_login_cookies, csrf = user.http.cookies.copy(), user.csrf
    assert logged_in(user.send(token))

    # Somebody holding the pre-login cookies and the token sends the form again.
    replay = requests.Session()
    replay.cookies.update(pre_login_cookies)
    again = replay.post(stack.url + PAGE, data={ANSWER_FIELD: token, "csrf_token": csrf}, timeout=15)
    assert again.status_code == 403
    assert refusal(again) == page_text(CHALLENGE_USED)
    assert "ssp_session" not in replay.cookies


def test_a_token_signed_for_another_origin_is_refused(stack, signers, origin):
    user = WebEidUser(stack)
    user.open()
    token = build_token(signers[MARC.card_number], ANOTHER_ORIGIN, user.challenge())
    refused = user.send(token)
    assert refused.status_code == 403
    assert refusal(refused) == page_text(TRIES_LEFT, left=2)
    assert "ssp_session" not in user.http.cookies
    # The page stays usable: a new challenge and a good token log in (and reset the count).
    assert logged_in(user.send(build_token(signers[MARC.card_number], origin, user.challenge())))


def _flip_signature(token_fields: dict) -> dict:
    signature = bytearray(base64.b64decode(token_fields["signature"]))
    signature[len(signature) // 2] ^= 0x01
    return {"signature": base64.b64encode(bytes(signature)).decode()}


@pytest.mark.parametrize("tampering", ["signature", "not-json"])
def test_a_tampered_token_is_refused(stack, signers, origin, tampering):
    user = WebEidUser(stack)
    user.open()
    signer = signers[ANNE.card_number]
    nonce = user.challenge()
    if tampering == "signature":
        token = build_token(signer, origin, nonce, **_flip_signature(token_fields(signer, origin, nonce)))
        expected = page_text(TRIES_LEFT, left=2)
    else:
        token = build_token(signer, origin, nonce)[:-1] + ","
        expected = page_text(UNREADABLE)
    refused = user.send(token)
    assert refused.status_code == 403
    assert refusal(refused) == expected
    assert "ssp_session" not in user.http.cookies


def test_a_revoked_card_is_refused_with_its_message(stack, signers, origin):
    user = WebEidUser(stack)
    user.open()
    refused = user.send(build_token(signers[PAUL.card_number], origin, user.challenge()))
    assert refused.status_code == 403
    assert refusal(refused) == page_text(REVOKED)


def test_an_oversize_token_is_refused_at_the_gateway(stack, signers, origin):
    user = WebEidUser(stack)
    user.open()
    nonce = user.challenge()
    token = build_token(signers[SOPHIE.card_number], origin, nonce)
    padded = token[:-1] + ',"padding":"' + "A" * 13_000 + '"}'
    refused = user.send(padded)
    assert refused.status_code == 413
    assert refusal(refused) == page_text(TOO_LARGE, limit=12)
    # It never reached the auth service: the challenge is still there for the real token.
    assert logged_in(user.send(token))


def test_forms_without_the_csrf_token_are_refused(stack, signers, origin):
    user = WebEidUser(stack)
    user.open()
    no_header = user.http.post(stack.url + CHALLENGE, timeout=15)
    assert no_header.status_code == 400
    token = build_token(signers[SOPHIE.card_number], origin, user.challenge())
    refused = user.send(token, with_csrf=False)
    assert refused.status_code == 400
    assert "ssp_session" not in user.http.cookies
    # Refused by the gateway: the challenge was not used up.
    assert logged_in(user.send(token))


def test_a_token_without_any_challenge_asked_is_refused(stack, signers, origin):
    user = WebEidUser(stack)
    user.open()
    stray = build_token(signers[SOPHIE.card_number], origin, base64.b64encode(os.urandom(32)).decode())
    refused = user.send(stray)
    assert refused.status_code == 403
    assert refusal(refused) == page_text(CHALLENGE_USED)
