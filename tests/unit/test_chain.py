"""Certificate checks with the demo PKI and software keys (no card, no SoftHSM)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

from services.auth import demo_pki
from services.auth.chain import CertificateChecker, Identity
from services.auth.demo_pki import DemoPki, Holder, Usage, Validity
from services.auth.errors import (
    CertificateExpired,
    CertificateNotYetValid,
    CertificateRevoked,
    CertificateUntrusted,
    CertificateUnusable,
    RevocationStatusUnknown,
)

SOPHIE = Holder("Sophie", "Demo-Lambert", "78051408405")


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> DemoPki:
    return DemoPki.create_or_load(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def card_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP384R1())


def checker_for(pki: DemoPki, crls: list[Path] | None = None) -> CertificateChecker:
    return CertificateChecker.from_files(
        pki.trust_anchors_path, pki.intermediates_path, [pki.crl_pem_path] if crls is None else crls
    )


def card_cert(pki: DemoPki, key, usage: Usage = Usage.AUTHENTICATION, **kwargs) -> x509.Certificate:
    return demo_pki.issue_card_certificate(pki.citizen, key.public_key(), SOPHIE, usage, **kwargs)


def test_a_valid_ec_certificate_gives_the_identity(pki: DemoPki, card_key) -> None:
    cert = card_cert(pki, card_key)
    identity = checker_for(pki).check(cert)
    assert identity == Identity(
        nrn="78051408405",
        first_name="Sophie",
        last_name="Demo-Lambert",
        card_issuer="Demo Citizen CA",
        certificate_serial=f"{cert.serial_number:x}",
    )


def test_a_valid_rsa_certificate_gives_the_identity(pki: DemoPki) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert checker_for(pki).check(card_cert(pki, key)).nrn == "78051408405"


def test_the_subject_looks_like_a_belgian_eid(pki: DemoPki, card_key) -> None:
    cert = card_cert(pki, card_key)
    assert cert.subject.rfc4514_string() == (
        "2.5.4.5=78051408405,2.5.4.42=Sophie,2.5.4.4=Demo-Lambert,CN=Sophie Demo-Lambert (Authentication),C=BE"
    )
    assert cert.issuer.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value == "Demo Citizen CA"


def test_cryptography_default_client_policy_rejects_eid_certificates_without_san(pki: DemoPki, card_key) -> None:
    # Why chain.py relaxes exactly one rule of the Web PKI end-entity policy.
    verifier = PolicyBuilder().store(Store([pki.root.certificate])).time(demo_pki.utcnow()).build_client_verifier()
    with pytest.raises(VerificationError, match="2.5.29.17"):
        verifier.verify(card_cert(pki, card_key), [pki.citizen.certificate])


def test_an_expired_certificate_is_refused(pki: DemoPki, card_key) -> None:
    with pytest.raises(CertificateExpired):
        checker_for(pki).check(card_cert(pki, card_key, validity=Validity.EXPIRED))


def test_a_not_yet_valid_certificate_is_refused(pki: DemoPki, card_key) -> None:
    with pytest.raises(CertificateNotYetValid):
        checker_for(pki).check(card_cert(pki, card_key, validity=Validity.NOT_YET_VALID))


def test_a_certificate_from_a_foreign_ca_is_untrusted(pki: DemoPki, card_key) -> None:
    cert = demo_pki.issue_card_certificate(pki.foreign, card_key.public_key(), SOPHIE, Usage.AUTHENTICATION)
    with pytest.raises(CertificateUntrusted):
        checker_for(pki).check(cert)


def test_a_revoked_certificate_is_refused(tmp_path: Path, card_key) -> None:
    pki = DemoPki.create_or_load(tmp_path)
    cert = card_cert(pki, card_key)
    other = card_cert(pki, card_key)
    pki.revoke([cert.serial_number])
    with pytest.raises(CertificateRevoked):
        checker_for(pki).check(cert)
    assert checker_for(pki).check(other).nrn == SOPHIE.nrn


def test_the_signature_certificate_is_unusable_for_login(pki: DemoPki, card_key) -> None:
    with pytest.raises(CertificateUnusable):
        checker_for(pki).check(card_cert(pki, card_key, Usage.SIGNATURE))


def test_a_certificate_for_another_purpose_is_refused(pki: DemoPki, card_key) -> None:
    now = demo_pki.utcnow()
    server_cert = (
        x509.CertificateBuilder()
        .subject_name(demo_pki.card_subject(SOPHIE, Usage.AUTHENTICATION))
        .issuer_name(pki.citizen.certificate.subject)
        .public_key(card_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(pki.citizen.private_key.public_key()), critical=False
        )
        .sign(pki.citizen.private_key, hashes.SHA384())
    )
    # cryptography's client verifier checks the EKU (clientAuth) itself.
    with pytest.raises(CertificateUntrusted, match="EKU") as caught:
        checker_for(pki).check(server_cert)
    assert SOPHIE.nrn not in str(caught.value)


def test_without_a_crl_the_revocation_status_is_unknown(pki: DemoPki, card_key) -> None:
    with pytest.raises(RevocationStatusUnknown):
        checker_for(pki, crls=[]).check(card_cert(pki, card_key))


def test_a_stale_crl_is_not_trusted(pki: DemoPki, card_key) -> None:
    later = demo_pki.utcnow() + demo_pki.CRL_LIFETIME + dt.timedelta(days=1)
    with pytest.raises(RevocationStatusUnknown):
        checker_for(pki).check(card_cert(pki, card_key), now=later)


def test_a_crl_not_signed_by_the_issuer_is_ignored(pki: DemoPki, card_key, tmp_path: Path) -> None:
    cert = card_cert(pki, card_key)
    forged_ca = demo_pki.CertificateAuthority(pki.citizen.certificate, pki.foreign.private_key)
    forged = demo_pki.build_crl(forged_ca, {})
    path = tmp_path / "forged.crl.pem"
    path.write_bytes(forged.public_bytes(demo_pki.serialization.Encoding.PEM))
    with pytest.raises(RevocationStatusUnknown):
        checker_for(pki, crls=[path]).check(cert)


def test_the_crl_is_refreshed_before_it_expires(tmp_path: Path) -> None:
    pki = DemoPki.create_or_load(tmp_path)
    assert not pki.refresh_crl_if_due()
    first = pki.load_crl()
    assert pki.refresh_crl_if_due(now=demo_pki.utcnow() + dt.timedelta(days=25))
    assert pki.load_crl().next_update_utc > first.next_update_utc


def test_national_register_numbers_are_checked() -> None:
    assert demo_pki.make_nrn(dt.date(1978, 5, 14), 84) == "78051408405"
    with pytest.raises(demo_pki.InvalidNationalNumber, match="not a valid Belgian national register number"):
        Holder("Bad", "Demo-Number", "78051408406")
