"""The demo card maker, checked from the outside with pkcs11-tool and openssl."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from stdnum.be import nn

from services.auth.demo_cards import DEMO_CARDS, DEMO_PEOPLE, CardSpec, softhsm_slot_id
from tests.service import eid_fixtures
from tests.service.eid_fixtures import (
    ALL_CARDS,
    SOFTHSM_MODULE,
    EidWorld,
    demo_cards_cli,
    issue_args,
)

# The shared session fixture (kept out of conftest.py on purpose).
eid_world = eid_fixtures.eid_world


def pkcs11_tool(world: EidWorld, *args: str) -> str:
    result = subprocess.run(
        ["pkcs11-tool", "--module", SOFTHSM_MODULE, *args],
        env=world.softhsm_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def read_certificate(world: EidWorld, card: CardSpec, label: str, out: Path) -> Path:
    der = out / f"{card.card_number}-{label}.der"
    pkcs11_tool(
        world, "--token-label", card.token_label, "--read-object", "--type", "cert",
        "--label", label, "--output-file", str(der),
    )  # fmt: skip
    pem = out / f"{card.card_number}-{label}.pem"
    pem.write_bytes(x509.load_der_x509_certificate(der.read_bytes()).public_bytes(Encoding.PEM))
    return pem


def openssl_verify(world: EidWorld, cert: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["openssl", "verify", "-CAfile", str(world.root_pem), "-untrusted", str(world.citizen_pem), *extra, str(cert)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_demo_table_has_valid_distinct_identities() -> None:
    assert {c.persona for c in DEMO_CARDS} == {"social_worker", "primaweb_manager", "colleague", "revoked"}
    assert DEMO_PEOPLE["social_worker"].nrn == "78051408405"
    for card in DEMO_CARDS:
        assert nn.is_valid(card.nrn)
        assert 1970 <= nn.get_birth_date(card.nrn).year < 1990
        assert len(card.card_number) == 12 and card.card_number.isdigit()
        assert "pin=" not in repr(card) and "puk=" not in repr(card)
    assert len({c.card_number for c in ALL_CARDS}) == len(ALL_CARDS)
    assert len({softhsm_slot_id(c.card_number) for c in ALL_CARDS}) == len(ALL_CARDS)


def test_init_writes_pki_tokens_and_softhsm_conf(eid_world: EidWorld) -> None:
    folder = eid_world.folder
    conf = folder.softhsm_conf.read_text()
    assert f"directories.tokendir = {folder.tokens_dir}" in conf
    assert "objectstore.backend = file" in conf and "log.level = ERROR" in conf
    anchors = x509.load_pem_x509_certificates(eid_world.root_pem.read_bytes())
    assert [a.subject.rfc4514_string() for a in anchors] == ["CN=Demo Belgium Root CA,O=Demo eID (not a real PKI),C=BE"]
    for name in ("citizen-ca.crl", "citizen-ca.crl.pem", "root-ca.key", "citizen-ca.key", "foreign-ca.pem"):
        assert (folder.pki_dir / name).exists(), name
    assert (folder.pki_dir / "citizen-ca.key").stat().st_mode & 0o077 == 0
    assert len([d for d in folder.tokens_dir.iterdir() if d.is_dir()]) >= len(ALL_CARDS)


def test_init_again_is_a_quick_no_op(eid_world: EidWorld) -> None:
    tokens_before = sorted(p.name for p in eid_world.folder.tokens_dir.iterdir())
    started = time.monotonic()
    result = demo_cards_cli(eid_world.folder.root, "init")
    assert time.monotonic() - started < 1.0
    assert "nothing to do" in result.stdout
    assert sorted(p.name for p in eid_world.folder.tokens_dir.iterdir()) == tokens_before


def test_each_token_has_the_card_number_as_serial(eid_world: EidWorld) -> None:
    slots = pkcs11_tool(eid_world, "--list-slots")
    for card in ALL_CARDS:
        assert f"token label        : {card.token_label}" in slots
        assert f"serial num         : {card.card_number}" in slots


@pytest.mark.parametrize("card", DEMO_CARDS, ids=lambda c: c.persona)
def test_pkcs11_tool_lists_both_key_pairs_and_certificates(eid_world: EidWorld, card: CardSpec) -> None:
    public = pkcs11_tool(eid_world, "-O", "--token-label", card.token_label)
    for label, key_id in (("Authentication", "02"), ("Signature", "03")):
        assert f"label:      {label}\n  subject:    DN: C=BE, CN={card.first_name} {card.last_name} ({label})" in public
        assert f"serialNumber={card.nrn}" in public
        assert f"ID:         {key_id}" in public
    private = pkcs11_tool(eid_world, "-O", "--token-label", card.token_label, "--login", "--pin", card.pin)
    key_kind = "RSA" if card.key == "rsa" else "EC"
    assert private.count(f"Private Key Object; {key_kind}") == 2
    # Private keys were generated on the token and can never be read out.
    assert private.count("Access:     sensitive, always sensitive, never extractable, local") == 2


@pytest.mark.parametrize("card", DEMO_CARDS, ids=lambda c: c.persona)
def test_openssl_accepts_each_chain(eid_world: EidWorld, card: CardSpec, tmp_path: Path) -> None:
    for label in ("Authentication", "Signature"):
        cert = read_certificate(eid_world, card, label, tmp_path)
        assert openssl_verify(eid_world, cert).returncode == 0
        with_crl = openssl_verify(eid_world, cert, "-crl_check", "-CRLfile", str(eid_world.crl_pem))
        if card.revoked:
            assert with_crl.returncode != 0 and "revoked" in with_crl.stdout + with_crl.stderr
        else:
            assert with_crl.returncode == 0, with_crl.stdout + with_crl.stderr


def test_certificates_say_what_they_are_for(eid_world: EidWorld, tmp_path: Path) -> None:
    card = DEMO_PEOPLE["social_worker"]
    auth = x509.load_pem_x509_certificate(read_certificate(eid_world, card, "Authentication", tmp_path).read_bytes())
    sign = x509.load_pem_x509_certificate(read_certificate(eid_world, card, "Signature", tmp_path).read_bytes())
    auth_ku = auth.extensions.get_extension_for_class(x509.KeyUsage)
    assert auth_ku.critical and auth_ku.value.digital_signature and not auth_ku.value.content_commitment
    eku = auth.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert x509.oid.ExtendedKeyUsageOID.CLIENT_AUTH in eku
    sign_ku = sign.extensions.get_extension_for_class(x509.KeyUsage)
    assert sign_ku.critical and sign_ku.value.content_commitment and not sign_ku.value.digital_signature
    dp = auth.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    assert dp[0].full_name[0].value == "http://crl.demo.invalid/citizen.crl"
    assert auth.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier)
    assert auth.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)


def test_revoked_card_has_both_certificates_on_the_crl(eid_world: EidWorld) -> None:
    crl = x509.load_pem_x509_crl(eid_world.crl_pem.read_bytes())
    der = x509.load_der_x509_crl((eid_world.folder.pki_dir / "citizen-ca.crl").read_bytes())
    assert {r.serial_number for r in crl} == {r.serial_number for r in der}
    revoked = next(c for c in eid_world.folder.issued() if c["card_number"] == DEMO_PEOPLE["revoked"].card_number)
    assert {int(s, 16) for s in revoked["certificate_serials"].values()} <= {r.serial_number for r in crl}
    assert len(list(crl)) == 2  # nobody else


def test_the_manifest_keeps_no_pin_or_puk(eid_world: EidWorld) -> None:
    cards = json.loads(eid_world.folder.manifest.read_text())["cards"]
    assert {c["card_number"] for c in cards} >= {c.card_number for c in ALL_CARDS}
    assert all("pin" not in c and "puk" not in c for c in cards)


def test_a_bad_national_register_number_is_refused(eid_world: EidWorld) -> None:
    tokens_before = sorted(p.name for p in eid_world.folder.tokens_dir.iterdir())
    bad = CardSpec("Bad", "Demo-Number", "78051408406", "592089012345", "1234", "12345678", "rsa")
    result = demo_cards_cli(eid_world.folder.root, *issue_args(bad), check=False)
    assert result.returncode == 2
    assert "not a valid Belgian national register number" in result.stderr
    assert sorted(p.name for p in eid_world.folder.tokens_dir.iterdir()) == tokens_before


def test_an_existing_card_number_is_refused(eid_world: EidWorld) -> None:
    again = DEMO_PEOPLE["colleague"]
    result = demo_cards_cli(eid_world.folder.root, *issue_args(again), check=False)
    assert result.returncode == 2 and "already exists" in result.stderr


def test_a_card_number_that_would_share_a_softhsm_slot_is_refused(eid_world: EidWorld) -> None:
    # Same last 8 digits as Sophie's card: SoftHSM2 would give both the same slot id.
    twin = CardSpec("Twin", "Demo-Slot", "78051408405", "111112345656", "1234", "12345678", "rsa")
    result = demo_cards_cli(eid_world.folder.root, *issue_args(twin), check=False)
    assert result.returncode == 2 and "collide" in result.stderr


def test_list_shows_every_card_without_pins(eid_world: EidWorld) -> None:
    out = demo_cards_cli(eid_world.folder.root, "list").stdout
    for card in ALL_CARDS:
        assert card.card_number in out and card.nrn in out
    assert "[revoked]" in out and "[expired]" in out and "Demo Foreign CA" in out
    assert "PIN" not in out
