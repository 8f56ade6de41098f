"""Is this eID authentication certificate acceptable, and whose is it?

`CertificateChecker.check` runs, in this order, each failure raising its own error:

1. validity period of the card certificate -> CertificateExpired / CertificateNotYetValid
   (checked first and by us, because the library reports both as one generic error);
2. chain to a configured trust anchor with `cryptography.x509.verification` (signatures,
   CA constraints, path length, validity of every CA, algorithms) -> CertificateUntrusted;
3. key usage digitalSignature (an authentication key, not the non-repudiation one)
   -> CertificateUnusable;
4. revocation, with the CRLs given (issuer's signature on the CRL, nextUpdate not passed,
   serial not listed) -> CertificateRevoked, or RevocationStatusUnknown (a
   CertificateUntrusted) when no usable CRL is at hand: we fail closed;
5. the identity in the subject (serialNumber must be a valid national register number).

About the verifier and subjectAltName: cryptography's client verifier applies the Web PKI
(CA/B Forum) profile, whose end-entity policy *requires* a subjectAltName. Belgian eID
certificates have none (the identity is in the subject DN), so verification fails with
"2.5.29.17: Certificate is missing required extension". The end-entity policy is therefore
the Web PKI default with one change: subjectAltName *may* be present. Everything else keeps
the defaults, including the extendedKeyUsage check (when present it must allow clientAuth;
a certificate with another EKU is reported as CertificateUntrusted) and the CA policy.

CRLs are taken from configuration, not fetched from the distribution point: the demo's URL
is fake, and the service should not make outgoing calls during a login.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import NameOID
from cryptography.x509.verification import (
    Criticality,
    ExtensionPolicy,
    PolicyBuilder,
    Store,
    VerificationError,
)
from stdnum.be import nn

from services.auth.errors import (
    CertificateExpired,
    CertificateNotYetValid,
    CertificateRevoked,
    CertificateUntrusted,
    CertificateUnusable,
    RevocationStatusUnknown,
)


@dataclass(frozen=True)
class Identity:
    """Who a verified authentication certificate belongs to."""

    nrn: str  # national register number, 11 digits
    first_name: str
    last_name: str
    card_issuer: str  # common name of the issuing CA, e.g. "Demo Citizen CA"
    certificate_serial: str  # hex, for the audit trail


def _attr(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def read_identity(cert: x509.Certificate) -> Identity:
    """The holder as written in an eID certificate's subject (no trust decision here).

    Raises CertificateUnusable when the subject carries no valid national register number.
    """
    nrn = _attr(cert.subject, NameOID.SERIAL_NUMBER)
    if not nn.is_valid(nrn):
        raise CertificateUnusable("subject serialNumber is not a national register number")
    return Identity(
        nrn=nn.compact(nrn),
        first_name=_attr(cert.subject, NameOID.GIVEN_NAME),
        last_name=_attr(cert.subject, NameOID.SURNAME),
        card_issuer=_attr(cert.issuer, NameOID.COMMON_NAME),
        certificate_serial=f"{cert.serial_number:x}",
    )


def _load_certs(pem: bytes | str) -> list[x509.Certificate]:
    data = pem.encode() if isinstance(pem, str) else pem
    return x509.load_pem_x509_certificates(data) if data.strip() else []


def _load_crls(pem: bytes | str) -> list[x509.CertificateRevocationList]:
    # A file may hold several CRLs; cryptography loads one PEM block at a time.
    text = pem.decode() if isinstance(pem, bytes) else pem
    end = "-----END X509 CRL-----"
    blocks = [b + end for b in text.split(end) if "-----BEGIN X509 CRL-----" in b]
    return [x509.load_pem_x509_crl(b.strip().encode()) for b in blocks]


def _ee_policy() -> ExtensionPolicy:
    # The single relaxation: eID certificates carry no subjectAltName (see module doc).
    return ExtensionPolicy.webpki_defaults_ee().may_be_present(x509.SubjectAlternativeName, Criticality.AGNOSTIC, None)


class CertificateChecker:
    """Validates eID authentication certificates against fixed trust anchors and CRLs."""

    def __init__(
        self,
        trust_anchors_pem: bytes | str,
        intermediates_pem: bytes | str,
        crl_pems: Iterable[bytes | str],
    ) -> None:
        roots = _load_certs(trust_anchors_pem)
        if not roots:
            raise ValueError("no trust anchor given")
        self._store = Store(roots)
        self._intermediates = _load_certs(intermediates_pem)
        self._crls = [crl for pem in crl_pems for crl in _load_crls(pem)]
        # CRLs are fixed for the checker's life: verify each one's signature once per issuer.
        self._crl_signature_ok: dict[tuple[int, bytes], bool] = {}

    @classmethod
    def from_files(cls, trust_anchors: Path, intermediates: Path, crls: Iterable[Path]) -> CertificateChecker:
        return cls(
            trust_anchors.read_bytes(),
            intermediates.read_bytes(),
            [p.read_bytes() for p in crls],
        )

    def check(self, cert: x509.Certificate, now: dt.datetime | None = None) -> Identity:
        """Return the holder's identity, or raise the CertificateError saying what is wrong."""
        now = now or dt.datetime.now(dt.UTC)
        if now > cert.not_valid_after_utc:
            raise CertificateExpired(f"expired on {cert.not_valid_after_utc:%Y-%m-%d}")
        if now < cert.not_valid_before_utc:
            raise CertificateNotYetValid(f"valid from {cert.not_valid_before_utc:%Y-%m-%d}")

        chain = self._verify_chain(cert, now)
        _require_digital_signature(cert)
        # chain = [leaf, issuer, ..., root]: check each non-root link that has a CRL, and
        # insist on one for the card's own issuer.
        for i, (subject, issuer) in enumerate(zip(chain, chain[1:], strict=False)):
            self._check_revocation(subject, issuer, now, required=i == 0)
        return read_identity(cert)

    def _verify_chain(self, cert: x509.Certificate, now: dt.datetime) -> list[x509.Certificate]:
        verifier = (
            PolicyBuilder()
            .store(self._store)
            .time(now)
            .extension_policies(ca_policy=ExtensionPolicy.webpki_defaults_ca(), ee_policy=_ee_policy())
            .build_client_verifier()
        )
        try:
            return verifier.verify(cert, self._intermediates).chain
        except VerificationError as exc:
            # The library appends the certificate's subject, i.e. the holder's NRN: keep
            # personal data out of messages that may end up in logs.
            raise CertificateUntrusted(str(exc).split(" (encountered processing")[0]) from None

    def _check_revocation(
        self,
        cert: x509.Certificate,
        issuer: x509.Certificate,
        now: dt.datetime,
        *,
        required: bool,
    ) -> None:
        crl = self._current_crl(issuer, now)
        if crl is None:
            if required:
                raise RevocationStatusUnknown(
                    f"no valid, current CRL from {_attr(issuer.subject, NameOID.COMMON_NAME)!r}"
                )
            return
        if crl.get_revoked_certificate_by_serial_number(cert.serial_number) is not None:
            raise CertificateRevoked(f"serial {cert.serial_number:x} is on the issuer's CRL")

    def _current_crl(self, issuer: x509.Certificate, now: dt.datetime) -> x509.CertificateRevocationList | None:
        """The newest CRL from `issuer` whose signature verifies and which is current."""
        usable = [
            crl
            for index, crl in enumerate(self._crls)
            if crl.issuer == issuer.subject
            and self._signed_by(index, crl, issuer)
            and crl.last_update_utc <= now
            and crl.next_update_utc is not None
            and now <= crl.next_update_utc
        ]
        return max(usable, key=lambda c: c.last_update_utc, default=None)

    def _signed_by(self, index: int, crl: x509.CertificateRevocationList, issuer: x509.Certificate) -> bool:
        key = (index, issuer.fingerprint(hashes.SHA256()))
        if key not in self._crl_signature_ok:
            self._crl_signature_ok[key] = crl.is_signature_valid(issuer.public_key())  # type: ignore[arg-type]
        return self._crl_signature_ok[key]


def _require_digital_signature(cert: x509.Certificate) -> None:
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        raise CertificateUnusable("no keyUsage: not an authentication certificate") from None
    if not usage.digital_signature:
        raise CertificateUnusable("keyUsage lacks digitalSignature: not for authentication")
