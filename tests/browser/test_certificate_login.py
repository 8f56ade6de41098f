"""The certificate login in Chromium, the way a civil servant's PC does it: the browser
finds the certificate in its NSS database and presents it in the TLS handshake with the
local nginx, on a fresh *.eid.localhost host per attempt.

The card here is a SOFTWARE STAND-IN, named as such: an authentication certificate issued
by the demo Citizen CA for Sophie, with its key in the NSS database of a throw-away HOME
(on a real PC the eID middleware registers the card's PKCS#11 module there and asks the
PIN; headless Chromium cannot show that dialog). The deployment CA is trusted in that
database, as the README tells a developer to do. Chromium's certificate dialog is answered
by the AutoSelectCertificateForUrls policy, limited to this run's certificate host.
"""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import NoEncryption, pkcs12
from playwright.sync_api import Browser, Page, expect

from services.auth.demo_pki import DemoPki, Holder, issue_software_stand_in
from tests.browser import walk
from tests.browser.conftest import VIEWPORT, launch_chromium

POLICIES = Path("/etc/chromium/policies/managed")


def nss_home(stack, folder: Path, holder: Holder | None) -> Path:
    """A HOME whose NSS database trusts the deployment CA and holds the stand-in, if any."""
    db = folder / ".pki" / "nssdb"
    db.mkdir(parents=True)
    nss = f"sql:{db}"
    subprocess.run(["certutil", "-N", "-d", nss, "--empty-password"], check=True, capture_output=True)
    subprocess.run(["certutil", "-A", "-d", nss, "-n", "SSP demo deployment CA", "-t", "C,,",
                    "-i", str(stack.run_dir / "tls" / "ca.pem")], check=True, capture_output=True)
    if holder is not None:
        pki = DemoPki.load(stack.run_dir / "eid" / "pki")
        cert, key = issue_software_stand_in(pki.citizen, holder)
        name = f"{holder.first_name} {holder.last_name} (software stand-in, not a card)".encode()
        p12 = folder / "stand-in.p12"
        p12.write_bytes(pkcs12.serialize_key_and_certificates(name, key, cert, [pki.citizen.certificate],
                                                             NoEncryption()))
        subprocess.run(["pk12util", "-i", str(p12), "-d", nss, "-W", ""], check=True, capture_output=True)
    return folder


@pytest.fixture
def certificate_policy(stack) -> Iterator[None]:
    """Chromium picks the demo Citizen CA's certificate for this run's certificate host."""
    rule = {"pattern": f"https://[*.]eid.localhost:{stack.ports['terminator']}",
            "filter": {"ISSUER": {"CN": "Demo Citizen CA"}}}
    path = POLICIES / f"ssp-test-{uuid.uuid4().hex}.json"
    try:
        POLICIES.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"AutoSelectCertificateForUrls": [json.dumps(rule)]}))
    except PermissionError:
        pytest.skip(f"Chromium's policies are machine-wide: {POLICIES} is writable by root only")
    yield
    path.unlink()


def chromium_with(playwright, home: Path) -> Iterator[Browser]:
    """A Chromium of its own, whose NSS database is the one in `home`."""
    browser = launch_chromium(playwright, env={**os.environ, "HOME": str(home)})
    yield browser
    browser.close()


def new_page(browser: Browser) -> Page:
    page = browser.new_context(viewport=VIEWPORT, locale="fr-BE").new_page()
    page.set_default_timeout(15_000)
    return page


def test_the_whole_journey_with_the_certificate_of_the_card(stack, playwright, journey, certificate_policy, tmp_path):
    sophie = walk.SOPHIE
    home = nss_home(stack, tmp_path, Holder(sophie.first_name, sophie.last_name, sophie.nrn))
    for browser in chromium_with(playwright, home):
        page = new_page(browser)
        walk.public_part(page, stack, journey)
        walk.to_methods(page, journey)
        page.get_by_role("link", name=walk.starts("eID (carte dans le lecteur de votre ordinateur)")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Identification avec votre carte eID")
        expect(page.locator("main")).to_contain_text("votre eID doit déjà se trouver dans le lecteur")
        walk.expect_current_step(page, "Certificat")
        journey.step(page, "certificate-explained")
        page.get_by_role("link", name="Choisir mon certificat").click()
        expect(page).to_have_url(stack.url + "/entites")
        expect(page.locator(".connected")).to_contain_text(f"Connecté en tant que {walk.name(sophie)}")
        journey.step(page, "entities")
        walk.entities_to_primaweb(page, stack, journey, sophie)
        journey.step(page, "primaweb-home")
        walk.logout(page, stack, journey)


def test_without_a_certificate_the_page_says_so_and_offers_a_fresh_try(stack, playwright, journey, tmp_path):
    for browser in chromium_with(playwright, nss_home(stack, tmp_path, None)):
        page = new_page(browser)
        page.goto(stack.url + "/identification/certificat")
        first = page.get_by_role("link", name="Choisir mon certificat").get_attribute("href")
        page.get_by_role("link", name="Choisir mon certificat").click()
        expect(page).to_have_url(stack.url + "/identification/certificat/retour?absent=1")
        expect(page.get_by_role("heading", level=1)).to_have_text("Aucun certificat n'a été choisi")
        expect(page.locator(".error-box")).to_contain_text("Votre navigateur n'a envoyé aucun certificat")
        journey.step(page, "no-certificate")
        again = page.get_by_role("link", name="Réessayer").get_attribute("href")
        assert again.split("/")[2] != first.split("/")[2]  # another host: the browser asks again
