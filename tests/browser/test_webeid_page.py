"""The Web eID page in Debian's Chromium: the page's own script (static/webeid.js) talking
the Web eID page-to-extension message protocol.

The Web eID browser extension and native application are outside the machine: the tests
put a *test double of the extension* in the page (`FAKE_WEB_EID_EXTENSION`, injected with
add_init_script, as the real extension injects its content script). It answers the
protocol's messages as the real one does (an ack at once, then a success or a failure);
for `web-eid:authenticate` it hands the request to the test (`webEidTestDouble`, a
Playwright binding), which plays the native application and the card: a token signed by
the stack's demo card through PKCS#11 (tests/service/webeid_tokens.py), or a failure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.walk import SOPHIE, name
from tests.service.webeid_tokens import CardSigner, token_fields
from tests.system.test_webeid_login import auth_origin, page_text, signers_for, stack_cards

pytestmark = pytest.mark.browser

PAGE = "/identification/web-eid"

# A stand-in for the Web eID browser extension's content script (the real extension is a
# program outside this machine). The answer to an authenticate request comes from the test.
FAKE_WEB_EID_EXTENSION = """
(() => {
  const answer = (message) => window.postMessage(message, window.location.origin);
  window.addEventListener("message", async (event) => {
    if (event.source !== window || !event.data) return;
    const request = event.data;
    if (request.action === "web-eid:status") {
      answer({ action: "web-eid:status-ack" });
      answer({ action: "web-eid:status-success", library: request.libraryVersion,
               extension: "2.6.0", nativeApp: "2.7.0" });
    } else if (request.action === "web-eid:authenticate") {
      answer({ action: "web-eid:authenticate-ack" });
      answer(await window.webEidTestDouble(request));
    }
  });
})();
"""


@pytest.fixture(scope="module")
def sophie_card(stack) -> Iterator[CardSigner]:
    with stack_cards(stack) as readers:
        yield signers_for(readers, SOPHIE)[SOPHIE.card_number]


class FakeWebEid:
    """What the test double of the extension answers, and the requests it received."""

    def __init__(self, page: Page, answer):
        self.requests: list[dict] = []
        self._answer = answer
        page.expose_function("webEidTestDouble", self._received)
        page.add_init_script(FAKE_WEB_EID_EXTENSION)

    def _received(self, request: dict) -> dict:
        self.requests.append(request)
        return self._answer(request)


def test_without_the_extension_the_page_explains_how_to_install_it(stack, page, journey):
    page.goto(stack.url + PAGE)
    install = page.locator("#webeid-install")
    expect(install).to_be_visible()
    expect(install.get_by_role("heading", level=2)).to_have_text(page_text("Install Web eID"))
    expect(page.locator("#webeid-error")).to_have_text(
        page_text("The Web eID extension is not installed or not enabled in this browser."))
    expect(page.get_by_role("button", name=page_text("Log in with Web eID"))).to_be_hidden()
    # The other path is offered.
    other = page.get_by_role("link", name=page_text("eID (card in the reader of your computer)"), exact=True)
    expect(other).to_have_attribute("href", "/identification/certificat")
    journey.step(page, "web-eid-without-extension")


def test_a_token_from_the_extension_logs_in(stack, page, journey, sophie_card):
    origin = auth_origin(stack)
    # The double plays the native application and the card: Sophie's card signs the
    # challenge the page got from the gateway (for the origin the auth service checks).
    fake = FakeWebEid(page, lambda request: {"action": "web-eid:authenticate-success",
                                             **token_fields(sophie_card, origin, request["challengeNonce"])})
    page.goto(stack.url + "/identification?service=primaweb")
    page.get_by_role("link", name=re.compile("^" + re.escape(page_text("eID via the Web eID extension")))).click()
    expect(page).to_have_url(stack.url + PAGE)
    expect(page.get_by_role("status")).to_have_text(
        page_text("Web eID is ready. Insert your eID card in your card reader, then log in."))
    journey.step(page, "web-eid-ready")

    page.get_by_role("button", name=page_text("Log in with Web eID")).click()
    expect(page).to_have_url(stack.url + "/entites")
    expect(page.locator(".connected")).to_contain_text(f"Connecté en tant que {name(SOPHIE)}")
    journey.step(page, "web-eid-logged-in")

    [request] = fake.requests
    assert request["action"] == "web-eid:authenticate"
    assert request["libraryVersion"].startswith("2.")
    assert re.fullmatch(r"[A-Za-z0-9+/]{43}=", request["challengeNonce"])  # 32 bytes, base64
    assert request["options"]["lang"] == "fr"


def test_a_cancelled_authentication_shows_its_translated_message(stack, page, journey):
    fake = FakeWebEid(page, lambda request: {"action": "web-eid:authenticate-failure",
                                             "error": {"code": "ERR_WEBEID_USER_CANCELLED",
                                                       "message": "the user cancelled"}})
    page.goto(stack.url + PAGE)
    start = page.get_by_role("button", name=page_text("Log in with Web eID"))
    expect(start).to_be_enabled()
    start.click()
    expect(page.locator("#webeid-error")).to_have_text(
        page_text("You cancelled the Web eID login. You can try again when you are ready."))
    expect(page).to_have_url(stack.url + PAGE)
    expect(start).to_be_enabled()  # ready for another try
    assert len(fake.requests) == 1
    journey.step(page, "web-eid-cancelled")
