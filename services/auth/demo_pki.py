"""A demo PKI shaped like the Belgian eID one, for the demo and the tests.

    Demo Belgium Root CA  (self-signed; the only trust anchor)
      └─ Demo Citizen CA  (pathlen 0; signs the cards' certificates and the CRL)
           ├─ CN=<First> <Last> (Authentication)   keyUsage digitalSignature, EKU clientAuth
           └─ CN=<First> <Last> (Signature)        keyUsage nonRepudiation
    Demo Foreign CA       (self-signed, never a trust anchor: for "untrusted issuer" cases)

Every name says "Demo". The CA keys are ordinary unencrypted files generated at run time
in the PKI folder (never committed): these CAs only exist to be thrown away. Card keys are
not handled here: `issue_card_certificate` takes the public key read from the card, so the
private key never leaves the token.

CA keys are EC P-384 (fast to generate, like the newer Belgian roots); card keys may be
RSA or EC. This module knows nothing of PKCS#11, gRPC or the folder layout of the cards.
"""

from __future__ import annotations

import datetime as dt
import enum
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from stdnum.be import nn

ROOT_CA_NAME = "Demo Belgium Root CA"
CITIZEN_CA_NAME = "Demo Citizen CA"
FOREIGN_CA_NAME = "Demo Foreign CA"
ORGANIZATION = "Demo eID (not a real PKI)"
CRL_URL = "http://crl.demo.invalid/citizen.crl"
ROOT_CRL_URL = "http://crl.demo.invalid/belgium-root.crl"

# CAs are back-dated so that the "expired" test certificate was issued during their life.
CA_BACKDATE = dt.timedelta(days=3 * 365)
ROOT_LIFETIME = dt.timedelta(days=20 * 365)
CITIZEN_CA_LIFETIME = dt.timedelta(days=15 * 365)
CARD_LIFETIME = dt.timedelta(days=10 * 365)  # like real eID certificates
CRL_LIFETIME = dt.timedelta(days=30)
CLOCK_SKEW = dt.timedelta(minutes=5)

CaPrivateKey = ec.EllipticCurvePrivateKey


class InvalidNationalNumber(ValueError):
    """Not a valid Belgian national register number (11 digits, mod-97 check)."""


class Usage(enum.Enum):
    """The two key pairs of a Belgian eID card; the value is the PKCS#11 label."""

    AUTHENTICATION = "Authentication"
    SIGNATURE = "Signature"


class Validity(enum.Enum):
    """Validity period of a card certificate relative to now (the odd ones are for tests)."""

    VALID = "valid"
    EXPIRED = "expired"
    NOT_YET_VALID = "not-yet-valid"


@dataclass(frozen=True)
class Holder:
    first_name: str
    last_name: str
    nrn: str  # national register number, 11 digits

    def __post_init__(self) -> None:
        object.__setattr__(self, "nrn", validate_nrn(self.nrn))


@dataclass(frozen=True)
class CertificateAuthority:
    certificate: x509.Certificate
    private_key: CaPrivateKey

    @property
    def name(self) -> str:
        return common_name(self.certificate.subject)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def validate_nrn(nrn: str) -> str:
    """Return the NRN as 11 digits, or raise InvalidNationalNumber with a clear reason."""
    try:
        return nn.validate(nrn)
    except Exception as exc:  # stdnum raises ValidationError subclasses
        raise InvalidNationalNumber(
            f"{nrn!r} is not a valid Belgian national register number "
            f"(11 digits: birth date YYMMDD, 3-digit sequence, 2 check digits): {exc}"
        ) from None


def make_nrn(birth: dt.date, sequence: int) -> str:
    """Build a valid NRN for a birth date and day sequence (odd: man, even: woman)."""
    if not 1 <= sequence <= 998:
        raise ValueError("sequence must be 1..998")
    base = f"{birth:%y%m%d}{sequence:03d}"
    # People born from 2000 on have a "2" prefixed before the mod-97 computation.
    value = int(("2" + base) if birth.year >= 2000 else base)
    return validate_nrn(f"{base}{97 - value % 97:02d}")


def common_name(name: x509.Name) -> str:
    attrs = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(attrs[0].value) if attrs else ""


def _ca_name(cn: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "BE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANIZATION),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def card_subject(holder: Holder, usage: Usage) -> x509.Name:
    """The subject the Belgian eID uses: C, CN, SN, GN, serialNumber (= NRN)."""
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "BE"),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{holder.first_name} {holder.last_name} ({usage.value})"),
            x509.NameAttribute(NameOID.SURNAME, holder.last_name),
            x509.NameAttribute(NameOID.GIVEN_NAME, holder.first_name),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, holder.nrn),
        ]
    )


def _ca_key_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=False,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=True,
        encipher_only=False,
        decipher_only=False,
    )


def _card_key_usage(usage: Usage) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=usage is Usage.AUTHENTICATION,
        content_commitment=usage is Usage.SIGNATURE,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )


def _crl_dp(url: str) -> x509.CRLDistributionPoints:
    return x509.CRLDistributionPoints(
        [
            x509.DistributionPoint(
                full_name=[x509.UniformResourceIdentifier(url)],
                relative_name=None,
                reasons=None,
                crl_issuer=None,
            )
        ]
    )


def _aki(issuer: x509.Certificate) -> x509.AuthorityKeyIdentifier:
    ski = issuer.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    return x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski)


def create_root_ca(cn: str = ROOT_CA_NAME, now: dt.datetime | None = None) -> CertificateAuthority:
    """A self-signed root: CA, keyCertSign + cRLSign."""
    now = now or utcnow()
    key = ec.generate_private_key(ec.SECP384R1())
    name = _ca_name(cn)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - CA_BACKDATE)
        .not_valid_after(now + ROOT_LIFETIME)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_ca_key_usage(), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA384())
    )
    return CertificateAuthority(cert, key)


def create_intermediate_ca(
    issuer: CertificateAuthority, cn: str = CITIZEN_CA_NAME, now: dt.datetime | None = None
) -> CertificateAuthority:
    """An issuing CA under `issuer`, path length 0 (it may only sign end entities)."""
    now = now or utcnow()
    key = ec.generate_private_key(ec.SECP384R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_ca_name(cn))
        .issuer_name(issuer.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - CA_BACKDATE)
        .not_valid_after(min(now + CITIZEN_CA_LIFETIME, issuer.certificate.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_ca_key_usage(), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(_aki(issuer.certificate), critical=False)
        .add_extension(_crl_dp(ROOT_CRL_URL), critical=False)
        .sign(issuer.private_key, hashes.SHA384())
    )
    return CertificateAuthority(cert, key)


def card_validity(validity: Validity, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    if validity is Validity.EXPIRED:
        return now - dt.timedelta(days=2 * 365), now - dt.timedelta(days=1)
    if validity is Validity.NOT_YET_VALID:
        return now + dt.timedelta(days=30), now + CARD_LIFETIME
    return now - CLOCK_SKEW, now + CARD_LIFETIME


def issue_card_certificate(
    ca: CertificateAuthority,
    public_key: x509.CertificatePublicKeyTypes,
    holder: Holder,
    usage: Usage,
    *,
    validity: Validity = Validity.VALID,
    now: dt.datetime | None = None,
) -> x509.Certificate:
    """Sign a card certificate for a public key read from the card."""
    not_before, not_after = card_validity(validity, now or utcnow())
    not_after = min(not_after, ca.certificate.not_valid_after_utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(card_subject(holder, usage))
        .issuer_name(ca.certificate.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(_card_key_usage(usage), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(_aki(ca.certificate), critical=False)
        .add_extension(_crl_dp(CRL_URL), critical=False)
    )
    if usage is Usage.AUTHENTICATION:
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
    return builder.sign(ca.private_key, hashes.SHA384())


def build_crl(
    ca: CertificateAuthority,
    revoked: Mapping[int, dt.datetime],
    *,
    number: int = 1,
    now: dt.datetime | None = None,
    lifetime: dt.timedelta = CRL_LIFETIME,
) -> x509.CertificateRevocationList:
    """A CRL signed by `ca` listing `revoked` (serial number -> revocation date)."""
    now = now or utcnow()
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.certificate.subject)
        .last_update(now - CLOCK_SKEW)
        .next_update(now + lifetime)
        .add_extension(x509.CRLNumber(number), critical=False)
        .add_extension(_aki(ca.certificate), critical=False)
    )
    for serial, when in sorted(revoked.items()):
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when).build()
        )
    return builder.sign(ca.private_key, hashes.SHA384())


# --- the PKI folder ---------------------------------------------------------------------


def _write_atomic(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write then rename, so a reader (the auth service) never sees half a file."""
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(tmp, path)


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


class DemoPki:
    """The demo CAs and the Citizen CA's CRL, kept as files in one folder.

    Files: root-ca.{pem,key}, citizen-ca.{pem,key}, foreign-ca.{pem,key},
    trust-anchors.pem (the demo root only), intermediates.pem (the Citizen CA),
    citizen-ca.crl.pem and citizen-ca.crl (DER).
    """

    def __init__(
        self, folder: Path, root: CertificateAuthority, citizen: CertificateAuthority, foreign: CertificateAuthority
    ) -> None:
        self.folder = folder
        self.root = root
        self.citizen = citizen
        self.foreign = foreign

    # Paths other code (the auth service's configuration, tests) points at.
    @property
    def trust_anchors_path(self) -> Path:
        return self.folder / "trust-anchors.pem"

    @property
    def intermediates_path(self) -> Path:
        return self.folder / "intermediates.pem"

    @property
    def crl_pem_path(self) -> Path:
        return self.folder / "citizen-ca.crl.pem"

    @property
    def crl_der_path(self) -> Path:
        return self.folder / "citizen-ca.crl"

    @classmethod
    def exists(cls, folder: Path) -> bool:
        return (
            all((folder / f"{n}-ca.key").exists() for n in ("root", "citizen", "foreign"))
            and (folder / "citizen-ca.crl.pem").exists()
        )

    @classmethod
    def load(cls, folder: Path) -> DemoPki:
        def ca(stem: str) -> CertificateAuthority:
            cert = x509.load_pem_x509_certificate((folder / f"{stem}.pem").read_bytes())
            key = serialization.load_pem_private_key((folder / f"{stem}.key").read_bytes(), None)
            if not isinstance(key, ec.EllipticCurvePrivateKey):
                raise ValueError(f"{stem}.key: expected an EC key")
            return CertificateAuthority(cert, key)

        return cls(folder, ca("root-ca"), ca("citizen-ca"), ca("foreign-ca"))

    @classmethod
    def create_or_load(cls, folder: Path, now: dt.datetime | None = None) -> DemoPki:
        """Load the PKI in `folder`, creating it first if it is not there (idempotent)."""
        if cls.exists(folder):
            return cls.load(folder)
        folder.mkdir(parents=True, exist_ok=True)
        root = create_root_ca(ROOT_CA_NAME, now)
        pki = cls(
            folder, root, create_intermediate_ca(root, CITIZEN_CA_NAME, now), create_root_ca(FOREIGN_CA_NAME, now)
        )
        for stem, ca in (("root-ca", pki.root), ("citizen-ca", pki.citizen), ("foreign-ca", pki.foreign)):
            key_pem = ca.private_key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            _write_atomic(folder / f"{stem}.key", key_pem, 0o600)
            _write_atomic(folder / f"{stem}.pem", _pem(ca.certificate))
        _write_atomic(pki.trust_anchors_path, _pem(root.certificate))
        _write_atomic(pki.intermediates_path, _pem(pki.citizen.certificate))
        # The CRL is written last: its presence marks a complete PKI folder (see exists()).
        pki._write_crl({}, number=1, now=now)
        return pki

    def load_crl(self) -> x509.CertificateRevocationList:
        return x509.load_pem_x509_crl(self.crl_pem_path.read_bytes())

    def revoked_serials(self) -> dict[int, dt.datetime]:
        return {r.serial_number: r.revocation_date_utc for r in self.load_crl()}

    def revoke(self, serials: Iterable[int], now: dt.datetime | None = None) -> None:
        """Add serial numbers of Citizen CA certificates to the CRL and re-sign it."""
        now = now or utcnow()
        revoked = self.revoked_serials()
        for serial in serials:
            revoked.setdefault(serial, now - CLOCK_SKEW)
        self._write_crl(revoked, number=self._crl_number() + 1, now=now)

    def refresh_crl_if_due(self, now: dt.datetime | None = None, margin: dt.timedelta = dt.timedelta(days=7)) -> bool:
        """Re-sign the CRL when it expires within `margin` (the demo has no CRL publisher)."""
        now = now or utcnow()
        crl = self.load_crl()
        if crl.next_update_utc is not None and crl.next_update_utc - margin > now:
            return False
        self._write_crl(self.revoked_serials(), number=self._crl_number() + 1, now=now)
        return True

    def _crl_number(self) -> int:
        try:
            ext = self.load_crl().extensions.get_extension_for_class(x509.CRLNumber)
        except (FileNotFoundError, x509.ExtensionNotFound):
            return 0
        return ext.value.crl_number

    def _write_crl(self, revoked: Mapping[int, dt.datetime], *, number: int, now: dt.datetime | None) -> None:
        crl = build_crl(self.citizen, revoked, number=number, now=now)
        _write_atomic(self.crl_der_path, crl.public_bytes(serialization.Encoding.DER))
        _write_atomic(self.crl_pem_path, crl.public_bytes(serialization.Encoding.PEM))


def issue_software_stand_in(
    ca: CertificateAuthority, holder: Holder, *, validity: Validity = Validity.VALID, now: dt.datetime | None = None
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    """An authentication certificate whose key is an ordinary file, NOT on a card: a software
    stand-in for a card, for browsers driven by tests (and for trying the certificate login
    without a card reader). Same profile as a card's authentication certificate."""
    key = ec.generate_private_key(ec.SECP384R1())
    cert = issue_card_certificate(ca, key.public_key(), holder, Usage.AUTHENTICATION, validity=validity, now=now)
    return cert, key
