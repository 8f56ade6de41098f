"""Web eID authentication tokens for the tests, made as the Web eID native app makes them.

What the app does (web-eid-app, `authenticate` command; Web eID authentication token
format specification): with the hash H of the card's signature algorithm (SHA-256 for
RS256/PS256/ES256, SHA-384 for ES384, ...), it computes H(H(origin) ‖ H(nonce)) — origin
as UTF-8, the nonce as the base64 *string* the site issued, UTF-8 — and has the card sign
that digest with its authentication key: PKCS#1 v1.5 (the card adds the DigestInfo), PSS,
or plain ECDSA whose result is the raw r ‖ s. The token is a JSON object with
unverifiedCertificate (base64 DER), algorithm, signature (base64), format "web-eid:1.0"
and appVersion; Qt writes the keys in alphabetical order, compact.

The card signs here through PKCS#11 on the demo SoftHSM2 tokens, with the *raw*
mechanisms a card applet offers (CKM_RSA_PKCS over DigestInfo ‖ digest, CKM_RSA_PKCS_PSS
over the digest, CKM_ECDSA over the digest): exactly a card's operation on the digest the
app computed. `CardReaders.login_and_sign` signs *data* with hashing mechanisms, so rather
than add a method to cards.py for the tests, `CardSigner` opens the token itself through the
CardReaders' loaded module and under its process-wide PKCS#11 lock (`cards._PKCS11_LOCK`,
`CardReaders._find`): the module may only be called from one thread at a time.

`SoftwareSigner` does the same with a key in memory, for certificates with odd extensions
that no demo card carries (a disallowed policy, an extendedKeyUsage without clientAuth).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from dataclasses import dataclass

import pkcs11
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed, decode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import ExtendedKeyUsageOID
from pkcs11 import MGF, Mechanism, ObjectClass

from services.auth import cards, demo_pki
from services.auth.cards import CardReaders
from services.auth.demo_pki import CertificateAuthority, Holder, Usage

APP_VERSION = "https://web-eid.eu/web-eid-app/releases/2.7.0+965"
TOKEN_FORMAT = "web-eid:1.0"

_HASHES = {"256": hashes.SHA256, "384": hashes.SHA384, "512": hashes.SHA512}
# DER DigestInfo prefixes (RFC 8017 §9.2, note 1): what a card puts before the digest.
_DIGEST_INFO = {
    "sha256": bytes.fromhex("3031300d060960864801650304020105000420"),
    "sha384": bytes.fromhex("3041300d060960864801650304020205000430"),
    "sha512": bytes.fromhex("3051300d060960864801650304020305000440"),
}
_PSS_PARAMS = {
    "sha256": (Mechanism.SHA256, MGF.SHA256, 32),
    "sha384": (Mechanism.SHA384, MGF.SHA384, 48),
    "sha512": (Mechanism.SHA512, MGF.SHA512, 64),
}


def hash_of(algorithm: str) -> hashes.HashAlgorithm:
    return _HASHES[algorithm[-3:]]()


def digest_to_sign(origin: str, nonce: str, algorithm: str) -> bytes:
    """H(H(origin) ‖ H(nonce)): what the native app hands to the card."""
    name = hash_of(algorithm).name
    concatenated = hashlib.new(name, origin.encode()).digest() + hashlib.new(name, nonce.encode()).digest()
    return hashlib.new(name, concatenated).digest()


def default_algorithm(cert: x509.Certificate) -> str:
    """The algorithm the app reports for a card's key: RS256 for RSA, ES<n> by curve."""
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return "RS256"
    assert isinstance(key, ec.EllipticCurvePublicKey)
    return {"secp256r1": "ES256", "secp384r1": "ES384", "secp521r1": "ES512"}[key.curve.name]


class CardSigner:
    """A demo card's authentication key, used as the card is used by the Web eID app."""

    def __init__(self, readers: CardReaders, card_number: str, pin: str):
        self.readers = readers
        self.card_number = card_number
        self.pin = pin
        self.certificate = readers.certificate(card_number).certificate

    def sign_digest(self, digest: bytes, algorithm: str) -> bytes:
        hash_name = hash_of(algorithm).name
        with cards._PKCS11_LOCK:
            _slot, token = self.readers._find(self.card_number)
            with token.open(user_pin=self.pin) as session:
                key = session.get_key(object_class=ObjectClass.PRIVATE_KEY, label=cards.AUTHENTICATION_LABEL)
                if algorithm.startswith("RS"):
                    return key.sign(_DIGEST_INFO[hash_name] + digest, mechanism=Mechanism.RSA_PKCS)
                if algorithm.startswith("PS"):
                    return key.sign(digest, mechanism=Mechanism.RSA_PKCS_PSS, mechanism_param=_PSS_PARAMS[hash_name])
                if key.key_type == pkcs11.KeyType.EC:
                    return key.sign(digest, mechanism=Mechanism.ECDSA)  # PKCS#11 gives raw r ‖ s
                raise ValueError(f"{algorithm} cannot be made with this card's key")

    def mechanisms(self) -> set:
        with cards._PKCS11_LOCK:
            slot, _token = self.readers._find(self.card_number)
            return set(slot.get_mechanisms())


class SoftwareSigner:
    """The same operations with a private key in memory (ECDSA converted to raw r ‖ s)."""

    def __init__(self, key, certificate: x509.Certificate):
        self.key = key
        self.certificate = certificate

    def sign_digest(self, digest: bytes, algorithm: str) -> bytes:
        h = hash_of(algorithm)
        if isinstance(self.key, rsa.RSAPrivateKey):
            pad = padding.PKCS1v15() if algorithm.startswith("RS") else padding.PSS(padding.MGF1(h), h.digest_size)
            return self.key.sign(digest, pad, Prehashed(h))
        r, s = decode_dss_signature(self.key.sign(digest, ec.ECDSA(Prehashed(h))))
        size = (self.key.curve.key_size + 7) // 8
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def token_fields(signer, origin: str, nonce: str, algorithm: str | None = None) -> dict[str, str]:
    """The token's fields, signed for `origin` and `nonce`."""
    algorithm = algorithm or default_algorithm(signer.certificate)
    signature = signer.sign_digest(digest_to_sign(origin, nonce, algorithm), algorithm)
    return {
        "unverifiedCertificate": base64.b64encode(signer.certificate.public_bytes(Encoding.DER)).decode(),
        "algorithm": algorithm,
        "signature": base64.b64encode(signature).decode(),
        "format": TOKEN_FORMAT,
        "appVersion": APP_VERSION,
    }


def to_json(fields: dict) -> str:
    """As QJsonDocument writes a QVariantMap: keys sorted, compact."""
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def build_token(signer, origin: str, nonce: str, algorithm: str | None = None, **changes) -> str:
    """A token as the app sends it; `changes` replace fields after signing (for tampering)."""
    fields = token_fields(signer, origin, nonce, algorithm)
    fields.update(changes)
    return to_json(fields)


# --- certificates with odd extensions (software keys, issued by the demo Citizen CA) --------

@dataclass(frozen=True)
class OddCertificate:
    key: object
    certificate: x509.Certificate

    @property
    def signer(self) -> SoftwareSigner:
        return SoftwareSigner(self.key, self.certificate)


def issue_odd_certificate(
    ca: CertificateAuthority,
    holder: Holder,
    *,
    extended_key_usage: list[x509.ObjectIdentifier] | None = None,
    policies: list[str] = (),
    digital_signature: bool = True,
    critical_extended_key_usage: bool = False,
    key=None,
) -> OddCertificate:
    """An authentication certificate like the demo cards', with the given differences."""
    key = key or ec.generate_private_key(ec.SECP384R1())
    now = dt.datetime.now(dt.UTC)
    usage = x509.KeyUsage(
        digital_signature=digital_signature, content_commitment=not digital_signature, key_encipherment=False,
        data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False, encipher_only=False,
        decipher_only=False,
    )
    builder = (
        x509.CertificateBuilder()
        .subject_name(demo_pki.card_subject(holder, Usage.AUTHENTICATION))
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(
                ca.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
            ),
            critical=False,
        )
    )
    if extended_key_usage is None:
        extended_key_usage = [ExtendedKeyUsageOID.CLIENT_AUTH]
    if extended_key_usage:
        builder = builder.add_extension(x509.ExtendedKeyUsage(extended_key_usage), critical=critical_extended_key_usage)
    if policies:
        builder = builder.add_extension(
            x509.CertificatePolicies([x509.PolicyInformation(x509.ObjectIdentifier(p), None) for p in policies]),
            critical=False,
        )
    return OddCertificate(key, builder.sign(ca.private_key, hashes.SHA384()))
