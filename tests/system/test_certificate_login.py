"""The certificate login (TLS client authentication) through the real TLS terminator of
`make run` (nginx), with a real TLS client whose key stays on its token: curl with
OpenSSL's PKCS#11 engine (libengine-pkcs11-openssl) on the demo cards in SoftHSM2, as a
browser with the eID middleware would. The PIN goes to the token, never to the portal."""

from __future__ import annotations

import html
import re
import subprocess
import urllib.parse
from pathlib import Path

import pytest

from services.auth.demo_cards import DEMO_PEOPLE
from tests.system.browser import Browser

pytestmark = pytest.mark.system

SOPHIE = DEMO_PEOPLE["social_worker"]
PAUL = DEMO_PEOPLE["revoked"]
SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so"


class CertificateClient:
    """One browser: its cookies on the main origin (a requests session, which the gateway
    sees as any browser), and curl for the handshake on the certificate host."""

    def __init__(self, stack, tmp_path: Path):
        self.stack = stack
        self.browser = Browser(stack)
        self.tmp = tmp_path

    def attempt_url(self) -> str:
        page = self.browser.get("/identification/certificat")
        assert page.status_code == 200
        return html.unescape(re.search(r'href="(https://[^"]+)"', page.text).group(1))

    def handshake(self, url: str, card=None, pin: str | None = None,
                  headers: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
        """curl on the certificate host, the card's key used on its token; prints where it is sent."""
        host = urllib.parse.urlsplit(url).hostname
        command = ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}",
                   "--resolve", f"{host}:{self.stack.ports['terminator']}:127.0.0.1",
                   "--cacert", str(self.stack.run_dir / "tls" / "ca.pem")]
        for header in headers:
            command += ["-H", header]
        if card is not None:
            token = f"pkcs11:token=BELPIC%20DEMO%20{card.card_number};object=Authentication"
            command += ["--engine", "pkcs11", "--cert-type", "ENG", "--cert", f"{token};type=cert",
                        "--key-type", "ENG", "--key", f"{token};type=private;pin-value={pin or card.pin}"]
        env = {"SOFTHSM2_CONF": str(self.stack.run_dir / "eid" / "softhsm2.conf"),
               "PKCS11_MODULE_PATH": SOFTHSM_MODULE, "PATH": "/usr/bin:/bin"}
        return subprocess.run(command + [url], env=env, capture_output=True, text=True, timeout=30)

    def follow(self, done: subprocess.CompletedProcess[str]):
        """Back on the main origin, with this browser's cookies."""
        status, location = done.stdout.split(" ", 1)
        assert status == "303" and location.startswith(self.stack.url), done.stdout
        return self.browser.get(location[len(self.stack.url):])

    def login(self, card, pin: str | None = None):
        return self.follow(self.handshake(self.attempt_url(), card, pin))


@pytest.fixture
def client(stack, tmp_path):
    return CertificateClient(stack, tmp_path)


def test_the_right_pin_on_the_token_logs_in_at_the_entity_page(client):
    page = client.login(SOPHIE)
    assert page.status_code == 200 and page.url.endswith("/entites")
    assert f"{SOPHIE.first_name} {SOPHIE.last_name}" in page.text
    assert "ssp_session" in client.browser.http.cookies


def test_a_wrong_pin_is_refused_by_the_token_and_opens_no_session(client):
    done = client.handshake(client.attempt_url(), SOPHIE, pin="9999")
    assert done.returncode != 0 and "private key" in done.stderr  # the token refused the PIN
    assert "ssp_session" not in client.browser.http.cookies
    assert client.login(SOPHIE).url.endswith("/entites")  # and the card still works


def test_a_revoked_certificate_gets_the_refusal_page_and_costs_no_try(client):
    page = client.login(PAUL)
    assert page.status_code == 403
    assert "révoqué" in page.text and "Aucun essai de code PIN n'a été utilisé." in page.text
    again = html.unescape(re.search(r'href="(https://[^"]+)"', page.text).group(1))
    assert ".eid.localhost:" in again  # choose again, on a fresh host
    assert "ssp_session" not in client.browser.http.cookies


def test_no_certificate_gives_the_explanation_page(client):
    page = client.follow(client.handshake(client.attempt_url()))
    assert page.status_code == 400 and "Aucun certificat n'a été choisi" in page.text


def test_each_attempt_uses_a_fresh_host_name_on_the_certificate_host(client):
    first, second = (urllib.parse.urlsplit(client.attempt_url()) for _ in range(2))
    assert first.hostname != second.hostname
    assert all(u.hostname.endswith(".eid.localhost") and u.scheme == "https" for u in (first, second))


def test_a_code_works_once_and_only_in_the_browser_that_asked(client, stack, tmp_path):
    done = client.handshake(client.attempt_url(), SOPHIE)
    location = done.stdout.split(" ", 1)[1][len(stack.url):]
    other = Browser(stack)
    other.get("/identification/certificat")  # a pre-login session of its own
    assert other.get(location).status_code == 403  # another browser: refused, code used up
    assert client.browser.get(location).status_code == 403
    assert "ssp_session" not in client.browser.http.cookies


def test_the_certificate_header_is_believed_only_from_the_terminator(client, stack):
    pem = (stack.run_dir / "eid" / "pki" / "citizen-ca.pem").read_text()
    forged = f"ssl-client-cert: {urllib.parse.quote(pem)}"
    url = client.attempt_url()
    # straight to the gateway: refused
    straight = client.browser.get("/identification/certificat/tls?" + urllib.parse.urlsplit(url).query,
                                  headers={"ssl-client-cert": urllib.parse.quote(pem)})
    assert straight.status_code == 403
    # through the terminator without a certificate: the forged header is replaced by nothing
    page = client.follow(client.handshake(url, headers=(forged,)))
    assert page.status_code == 400 and "Aucun certificat n'a été choisi" in page.text


def test_the_certificate_host_serves_the_handshake_and_nothing_else(client, stack):
    url = urllib.parse.urlsplit(client.attempt_url())
    for path in ("/", "/primaweb/", "/identification/eid", "/static/portal.css"):
        done = client.handshake(f"{url.scheme}://{url.netloc}{path}", SOPHIE)
        assert done.stdout.startswith("404"), (path, done.stdout)
