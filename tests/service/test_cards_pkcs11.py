"""CardReaders against real SoftHSM2 tokens: listing, PIN login + signature, PUK unblock,
and the certificate checks on the certificates read from the cards."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import pkcs11
import pytest
from pkcs11 import Attribute, ObjectClass

from services.auth import cards as cards_module
from services.auth.cards import CardReaders, verify_signature
from services.auth.demo_cards import DEMO_PEOPLE, CardSpec
from services.auth.errors import (
    CardNotFound,
    CertificateExpired,
    CertificateNotYetValid,
    CertificateRevoked,
    CertificateUntrusted,
    CertificateUnusable,
    PinIncorrect,
    PukIncorrect,
    SignatureInvalid,
)
from tests.service import eid_fixtures
from tests.service.eid_fixtures import (
    ALL_CARDS,
    EXPIRED_CARD,
    FOREIGN_CARD,
    NOT_YET_VALID_CARD,
    SOFTHSM_MODULE,
    EidWorld,
    demo_cards_cli,
    issue_args,
)

# The shared session fixtures (kept out of conftest.py on purpose).
eid_world = eid_fixtures.eid_world
card_readers = eid_fixtures.card_readers

SOPHIE = DEMO_PEOPLE["social_worker"]  # RSA-2048
MARC = DEMO_PEOPLE["primaweb_manager"]  # EC P-384
ANNE = DEMO_PEOPLE["colleague"]  # EC P-384
PAUL = DEMO_PEOPLE["revoked"]  # RSA-2048
NONCE = os.urandom(32)


def test_lists_the_authentication_certificate_of_every_card(card_readers: CardReaders) -> None:
    listed = {c.card_number: c for c in card_readers.list_certificates()}
    assert set(listed) >= {c.card_number for c in ALL_CARDS}
    sophie = listed[SOPHIE.card_number]
    assert sophie.holder_name == "Sophie Demo-Lambert"
    assert sophie.nrn == SOPHIE.nrn
    assert sophie.label == "Authentication" and sophie.key_id == b"\x02"
    assert sophie.token_label == "BELPIC DEMO 592012345656"
    assert sophie.issuer == "Demo Citizen CA"
    assert sophie.key_type == "RSA-2048"
    assert sophie.not_before < sophie.not_after
    assert listed[MARC.card_number].key_type == "EC P-384"
    assert listed[FOREIGN_CARD.card_number].issuer == "Demo Foreign CA"


@pytest.mark.parametrize("card", [SOPHIE, MARC], ids=["rsa", "ec"])
def test_card_signs_and_the_certificate_verifies_the_signature(card_readers: CardReaders, card: CardSpec) -> None:
    signature = card_readers.login_and_sign(card.card_number, card.pin, NONCE)
    cert = card_readers.certificate(card.card_number).certificate
    verify_signature(cert, NONCE, signature)
    with pytest.raises(SignatureInvalid):
        verify_signature(cert, NONCE + b"!", signature)


def test_ec_signature_is_der_encoded(card_readers: CardReaders) -> None:
    signature = card_readers.login_and_sign(ANNE.card_number, ANNE.pin, NONCE)
    assert signature[0] == 0x30  # SEQUENCE { r, s }, not raw r || s (which is 96 bytes)


def test_a_wrong_pin_raises_pin_incorrect(card_readers: CardReaders) -> None:
    with pytest.raises(PinIncorrect) as caught:
        card_readers.login_and_sign(SOPHIE.card_number, "0000", NONCE)
    assert "0000" not in str(caught.value)


def test_softhsm_itself_never_locks_the_pin(card_readers: CardReaders) -> None:
    # Why the service counts tries in Redis: SoftHSM2 accepts the right PIN after any
    # number of wrong ones (real cards lock after three).
    for _ in range(5):
        with pytest.raises(PinIncorrect):
            card_readers.login_and_sign(ANNE.card_number, "9999", NONCE)
    assert card_readers.login_and_sign(ANNE.card_number, ANNE.pin, NONCE)


def test_unblock_with_the_puk_sets_a_new_pin(card_readers: CardReaders) -> None:
    # Wrong PINs first: python-pkcs11 leaves their sessions open, which would make the SO
    # login fail with CKR_SESSION_READ_ONLY_EXISTS if CardReaders did not close them.
    with pytest.raises(PinIncorrect):
        card_readers.login_and_sign(MARC.card_number, "0000", NONCE)
    card_readers.unblock(MARC.card_number, MARC.puk, "7531")
    try:
        with pytest.raises(PinIncorrect):
            card_readers.login_and_sign(MARC.card_number, MARC.pin, NONCE)
        assert card_readers.login_and_sign(MARC.card_number, "7531", NONCE)
    finally:
        card_readers.unblock(MARC.card_number, MARC.puk, MARC.pin)
    assert card_readers.login_and_sign(MARC.card_number, MARC.pin, NONCE)


def test_a_wrong_puk_raises_puk_incorrect(card_readers: CardReaders) -> None:
    with pytest.raises(PukIncorrect):
        card_readers.unblock(SOPHIE.card_number, "00000000", "1111")
    assert card_readers.login_and_sign(SOPHIE.card_number, SOPHIE.pin, NONCE)


def test_a_new_pin_must_be_4_to_12_digits(card_readers: CardReaders) -> None:
    with pytest.raises(ValueError):
        card_readers.unblock(SOPHIE.card_number, SOPHIE.puk, "12")


def test_an_absent_card_raises_card_not_found(card_readers: CardReaders) -> None:
    with pytest.raises(CardNotFound):
        card_readers.login_and_sign("592099999999", "1234", NONCE)
    with pytest.raises(CardNotFound):
        card_readers.certificate("592099999999")
    with pytest.raises(CardNotFound):
        card_readers.unblock("592099999999", "11111111", "1234")


def test_private_keys_are_sensitive_and_never_extractable(card_readers: CardReaders) -> None:
    lib = pkcs11.lib(SOFTHSM_MODULE)  # the instance CardReaders loaded
    with cards_module._PKCS11_LOCK:
        token = lib.get_token(token_serial=SOPHIE.card_number.encode())
        with token.open(user_pin=SOPHIE.pin) as session:
            keys = list(session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY}))
            assert sorted(k.label for k in keys) == ["Authentication", "Signature"]
            for key in keys:
                assert key[Attribute.SENSITIVE] and key[Attribute.ALWAYS_SENSITIVE]
                assert not key[Attribute.EXTRACTABLE] and key[Attribute.NEVER_EXTRACTABLE]
                assert key[Attribute.LOCAL]  # generated on the token
                with pytest.raises(pkcs11.exceptions.AttributeSensitive):
                    key[Attribute.PRIVATE_EXPONENT]


def test_parallel_logins_are_serialised_safely(card_readers: CardReaders) -> None:
    people = [SOPHIE, MARC, ANNE, PAUL] * 4
    with ThreadPoolExecutor(max_workers=8) as pool:
        signatures = list(pool.map(lambda c: card_readers.login_and_sign(c.card_number, c.pin, NONCE), people))
    for card, signature in zip(people, signatures, strict=True):
        verify_signature(card_readers.certificate(card.card_number).certificate, NONCE, signature)


# --- the certificates read from the cards, through the chain checks -------------------


def test_a_good_card_gives_the_holder_identity(card_readers: CardReaders, eid_world: EidWorld) -> None:
    identity = eid_world.checker().check(card_readers.certificate(SOPHIE.card_number).certificate)
    assert (identity.nrn, identity.first_name, identity.last_name) == (SOPHIE.nrn, "Sophie", "Demo-Lambert")
    assert identity.card_issuer == "Demo Citizen CA"


@pytest.mark.parametrize(
    ("card", "error"),
    [
        (PAUL, CertificateRevoked),
        (EXPIRED_CARD, CertificateExpired),
        (NOT_YET_VALID_CARD, CertificateNotYetValid),
        (FOREIGN_CARD, CertificateUntrusted),
    ],
    ids=["revoked", "expired", "not-yet-valid", "foreign-ca"],
)
def test_unacceptable_cards_raise_their_own_error(
    card_readers: CardReaders, eid_world: EidWorld, card: CardSpec, error: type[Exception]
) -> None:
    # The card still signs: refusing it is the certificate check's job.
    assert card_readers.login_and_sign(card.card_number, card.pin, NONCE)
    with pytest.raises(error):
        eid_world.checker().check(card_readers.certificate(card.card_number).certificate)


def test_the_signature_certificate_is_not_for_logging_in(card_readers: CardReaders, eid_world: EidWorld) -> None:
    from cryptography import x509

    lib = pkcs11.lib(SOFTHSM_MODULE)
    with cards_module._PKCS11_LOCK:
        token = lib.get_token(token_serial=SOPHIE.card_number.encode())
        with token.open() as session:
            obj = next(session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.LABEL: "Signature"}))
            cert = x509.load_der_x509_certificate(obj[Attribute.VALUE])
    with pytest.raises(CertificateUnusable):
        eid_world.checker().check(cert)


# Last in the file: it adds a token to the session folder.
def test_a_card_issued_while_running_appears_after_refresh(card_readers: CardReaders, eid_world: EidWorld) -> None:
    late = CardSpec("Lea", "Demo-Late", "86022814856", "592090123488", "2468", "88888888", "ec")
    demo_cards_cli(eid_world.folder.root, *issue_args(late))
    # SoftHSM2 scans its token folder only in C_Initialize: C_GetSlotList does not see it.
    assert late.card_number not in {c.card_number for c in card_readers.list_certificates()}
    assert late.card_number in {c.card_number for c in card_readers.list_certificates(rescan=True)}
    signature = card_readers.login_and_sign(late.card_number, late.pin, NONCE)
    verify_signature(card_readers.certificate(late.card_number).certificate, NONCE, signature)


# After the one above: it adds a token, then takes it out again.
def test_a_look_at_unchanged_readers_reads_no_card_again(card_readers: CardReaders, eid_world: EidWorld) -> None:
    import shutil

    first = card_readers.list_certificates(rescan=True)
    looks = card_readers.full_looks
    assert card_readers.list_certificates(rescan=True) == first  # nothing inserted, taken out or written
    assert card_readers.full_looks == looks
    tokens = eid_world.folder.tokens_dir
    before = set(tokens.iterdir())
    inserted = CardSpec("Lou", "Demo-Inserted", "86022814856", "592090123477", "2468", "88888888", "ec")
    demo_cards_cli(eid_world.folder.root, *issue_args(inserted))
    listed = {c.card_number for c in card_readers.list_certificates(rescan=True)}
    assert inserted.card_number in listed and card_readers.full_looks == looks + 1
    (token,) = set(tokens.iterdir()) - before
    shutil.rmtree(token)  # taken out of its reader
    assert inserted.card_number not in {c.card_number for c in card_readers.list_certificates(rescan=True)}
    assert card_readers.full_looks == looks + 2
