"""Validation of Web eID authentication tokens (format "web-eid:1.x").

The token (Web eID authentication token format specification, web-eid-system-architecture-doc
`docs/web-eid-auth-token-v2-format-spec.md`) is the JSON object the Web eID browser
extension hands to the page after the native application had the card sign:

    {"unverifiedCertificate": "<base64 DER>", "algorithm": "ES384",
     "signature": "<base64>", "format": "web-eid:1.0",
     "appVersion": "https://web-eid.eu/web-eid-app/releases/2.7.0"}

The signed value is hash(origin) ‖ hash(challenge nonce), the hash being the one of the
`algorithm` (SHA-384 for ES384), origin the site's ASCII-serialised origin
("https://host[:port]", no trailing slash) and the nonce the base64 *string* the site issued
(its UTF-8 bytes, not the decoded bytes). RSA signatures are PKCS#1 v1.5 (RS*) or PSS with
a salt as long as the hash (PS*); ECDSA signatures are raw r ‖ s as cards produce them.
Neither the origin nor the nonce travels in the token: the site supplies both from its
own trusted state, so a signature that verifies proves both at once.

`WebEidValidator.validate(token, nonce)` runs these steps in this order, each refusing
with its own `TokenRefused` subclass and `reason` code (see `refusals`):

 1. size (100 to 10,000 characters) and structure (UTF-8 JSON object, the four string
    fields present, no duplicate keys, base64 signature)  token_size, token_malformed
 2. `format` is "web-eid:1" or "web-eid:1.<minor>"         token_format_unsupported
 3. the certificate decodes (base64, DER X.509; its public key is decoded at step 7,
    so that a real card's harmless key-encoding deviation does not hide an expiry)
                                                           certificate_malformed
 4. keyUsage digitalSignature; when an extendedKeyUsage is present (critical or not, as
    RFC 5280 allows), it holds clientAuth                   certificate_purpose
 5. no certificate policy on the disallowed list           certificate_policy_disallowed
 6. valid now                                              certificate_not_yet_valid / _expired
 7. the public key decodes                                 certificate_malformed
    a chain to a configured trust anchor (cryptography's verifier, Web PKI client profile
    except that subjectAltName may be absent and extendedKeyUsage critical, as on eID
    cards)                                                 certificate_untrusted
 8. revocation: the issuer's current CRL when one is configured, then OCSP when enabled;
    fail closed when neither answered                      certificate_revoked,
                                                           revocation_unknown, ocsp_*
 9. the signature, with the hash of `algorithm`, over hash(origin) ‖ hash(nonce)
                                                           algorithm_unsupported,
                                                           algorithm_mismatch,
                                                           signature_invalid

Steps 1-3 are `parse`, 4-8 `check_certificate`, 9 `verify_signature`: a login service
may call them one by one, for instance to count failed proofs per certificate between 8
and 9. `check_client_certificate(cert)` runs steps 4-8 on a bare certificate (a TLS client
certificate) and returns its holder.

The origin is https://, or http:// on the developer's machine only (localhost, 127.0.0.1,
[::1]); anything else is refused when the validator is made (ValueError), as are OCSP
timeouts, skews and ages of zero or less (see `OcspOptions`).

Conformance with the reference validator (web-eid-authtoken-validation-java) is tested
case by case in tests/unit/test_webeid_reference.py.

Issuing, storing and consuming the nonce (single use, bound to the browser session, with a
lifetime) is the caller's business: this module keeps no state.

Only `cryptography` is needed; no web framework, no storage.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import ipaddress
import json
import re
import urllib.parse
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from cryptography.x509.verification import (
    Criticality,
    ExtensionPolicy,
    PolicyBuilder,
    Store,
    VerificationError,
)

from . import ocsp as _ocsp
from .ocsp import OcspOptions
from .refusals import (
    AlgorithmMismatch,
    AlgorithmUnsupported,
    CertificateExpired,
    CertificateMalformed,
    CertificateNotYetValid,
    CertificatePolicyDisallowed,
    CertificatePurposeRefused,
    CertificateRevoked,
    CertificateUntrusted,
    RevocationUnknown,
    SignatureInvalid,
    TokenFormatUnsupported,
    TokenMalformed,
    TokenSizeRefused,
)

MIN_TOKEN_LENGTH = 100  # characters; a real token with a certificate is always longer
MAX_TOKEN_LENGTH = 10_000  # as the reference (Java) validator
FORMAT = re.compile(r"web-eid:1(\.[0-9]{1,9})?")  # matched whole (fullmatch)
_BASE64 = re.compile(r"[A-Za-z0-9+/_-]*={0,2}")  # matched whole (fullmatch)


@dataclass(frozen=True)
class _Algorithm:
    scheme: str  # "pkcs1", "pss", "ecdsa"
    hash: type[hashes.HashAlgorithm]
    curve: str | None = None  # the only curve an ES* algorithm may be used with (RFC 7518 §3.4)


# RFC 7518 §3.3-3.5, the set the Web eID specification allows.
ALGORITHMS: dict[str, _Algorithm] = {
    "RS256": _Algorithm("pkcs1", hashes.SHA256),
    "RS384": _Algorithm("pkcs1", hashes.SHA384),
    "RS512": _Algorithm("pkcs1", hashes.SHA512),
    "PS256": _Algorithm("pss", hashes.SHA256),
    "PS384": _Algorithm("pss", hashes.SHA384),
    "PS512": _Algorithm("pss", hashes.SHA512),
    "ES256": _Algorithm("ecdsa", hashes.SHA256, "secp256r1"),
    "ES384": _Algorithm("ecdsa", hashes.SHA384, "secp384r1"),
    "ES512": _Algorithm("ecdsa", hashes.SHA512, "secp521r1"),
}


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _is_loopback(host: str) -> bool:
    """Hosts whose http:// origins browsers treat as secure contexts (W3C Secure Contexts
    §3.2, "potentially trustworthy"): localhost and its subdomains, the loopback addresses."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def normalise_origin(origin: str) -> str:
    """The origin as browsers serialise it: "scheme://host[:port]", lowercase, no slash.

    Raises ValueError for anything else (a path, a query, credentials, a default port that
    browsers would leave out): such an origin would never match what the card signed. Only
    https, except on the developer's own machine (localhost, 127.0.0.1, [::1]): elsewhere an
    http:// page is no secure context, so the Web eID extension would not run there anyway,
    and a token signed for it would have crossed the network in the clear.
    """
    if not isinstance(origin, str):
        raise ValueError("origin is required: https://host[:port]")
    parts = urllib.parse.urlsplit(origin)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError(f"origin {origin!r}: expected https://host[:port]")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ValueError(
            f"origin {origin!r}: http:// only for local development (localhost, 127.0.0.1, [::1]); use https://"
        )
    if parts.path or parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"origin {origin!r}: no path, query, fragment or credentials (and no trailing slash)")
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"origin {origin!r}: bad port") from None
    if port is not None and port == {"https": 443, "http": 80}[parts.scheme]:
        raise ValueError(f"origin {origin!r}: leave out the default port, as browsers do")
    host = parts.hostname
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    return f"{parts.scheme}://{host}" + (f":{port}" if port is not None else "")


def _b64decode(text: str) -> bytes:
    """Standard or URL-safe base64, padding optional (the Web eID app sends standard, padded)."""
    if not _BASE64.fullmatch(text):
        raise ValueError("not base64")
    core = text.rstrip("=").replace("-", "+").replace("_", "/")
    return base64.b64decode(core + "=" * (-len(core) % 4), validate=True)


def _attr(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


# --- trust anchors and CRLs ----------------------------------------------------------------


def _client_auth_when_present(_policy: object, _cert: x509.Certificate, eku: x509.ExtendedKeyUsage | None) -> None:
    if eku is not None and not {ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE} & set(eku):
        raise ValueError("extendedKeyUsage without clientAuth")


def _with_eid_extensions(policy: ExtensionPolicy) -> ExtensionPolicy:
    # Two departures from the Web PKI profile, both within RFC 5280 and as the reference
    # validator: eID certificates may carry no subjectAltName (the identity is in the subject
    # DN), and national CAs and cards (Estonian ones among them) mark extendedKeyUsage
    # critical (RFC 5280 §4.2.1.12 allows it; the Web PKI profile wants it non-critical).
    # When present, it must still allow client authentication (step 4 says so first for the
    # card, with its own reason).
    return policy.may_be_present(x509.SubjectAlternativeName, Criticality.AGNOSTIC, None).may_be_present(
        x509.ExtendedKeyUsage, Criticality.AGNOSTIC, _client_auth_when_present
    )


def _pem_blocks(data: bytes | str, label: str) -> list[bytes]:
    text = data.decode() if isinstance(data, bytes) else data
    begin, end = f"-----BEGIN {label}-----", f"-----END {label}-----"
    return [(begin + chunk.split(end)[0] + end).encode() for chunk in text.split(begin)[1:]]


class TrustStore:
    """Trust anchors (any CA certificate may be one, root or intermediate), the
    intermediates that may complete a chain, and the CRLs at hand."""

    def __init__(
        self,
        trust_anchors: Iterable[x509.Certificate],
        intermediates: Iterable[x509.Certificate] = (),
        crls: Iterable[x509.CertificateRevocationList] = (),
    ) -> None:
        anchors = list(trust_anchors)
        if not anchors:
            raise ValueError("no trust anchor given")
        self._store = Store(anchors)
        self.intermediates = list(intermediates)
        self.crls = list(crls)
        self._crl_signature_ok: dict[tuple[int, bytes], bool] = {}

    @classmethod
    def from_pem(
        cls,
        trust_anchors_pem: bytes | str,
        intermediates_pem: bytes | str = b"",
        crls: Iterable[bytes | str] = (),
    ) -> TrustStore:
        """Certificates as PEM (several per file allowed); CRLs as PEM (several per file) or DER."""
        load = x509.load_pem_x509_certificate
        loaded_crls = []
        for data in crls:
            if isinstance(data, bytes) and not data.lstrip().startswith(b"-----"):
                loaded_crls.append(x509.load_der_x509_crl(data))
            else:
                loaded_crls.extend(x509.load_pem_x509_crl(b) for b in _pem_blocks(data, "X509 CRL"))
        return cls(
            [load(b) for b in _pem_blocks(trust_anchors_pem, "CERTIFICATE")],
            [load(b) for b in _pem_blocks(intermediates_pem, "CERTIFICATE")],
            loaded_crls,
        )

    def verify_chain(self, cert: x509.Certificate, now: dt.datetime) -> list[x509.Certificate]:
        """[cert, issuer, ..., anchor]; raises CertificateUntrusted."""
        verifier = (
            PolicyBuilder()
            .store(self._store)
            .time(now)
            .extension_policies(
                ca_policy=_with_eid_extensions(ExtensionPolicy.webpki_defaults_ca()),
                ee_policy=_with_eid_extensions(ExtensionPolicy.webpki_defaults_ee()),
            )
            .build_client_verifier()
        )
        try:
            return list(verifier.verify(cert, self.intermediates).chain)
        except VerificationError as exc:
            # The library appends the subject (the holder's national number): keep it out.
            raise CertificateUntrusted(str(exc).split(" (encountered processing")[0]) from None

    def current_crl(self, issuer: x509.Certificate, now: dt.datetime) -> x509.CertificateRevocationList | None:
        """The newest CRL from `issuer` whose signature verifies and that is current at `now`."""
        usable = [
            crl
            for index, crl in enumerate(self.crls)
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
            try:
                self._crl_signature_ok[key] = crl.is_signature_valid(issuer.public_key())  # type: ignore[arg-type]
            except (TypeError, ValueError, UnsupportedAlgorithm):
                self._crl_signature_ok[key] = False
        return self._crl_signature_ok[key]


# --- the token and the result --------------------------------------------------------------


@dataclass(frozen=True)
class WebEidToken:
    """A token that parsed (steps 1-3); nothing in it is verified yet."""

    certificate: x509.Certificate
    algorithm: str
    signature: bytes
    format: str
    app_version: str

    @property
    def certificate_fingerprint(self) -> str:
        """SHA-256 of the certificate's DER, hex: a stable key for per-certificate counters."""
        return self.certificate.fingerprint(hashes.SHA256()).hex()


@dataclass(frozen=True)
class WebEidIdentity:
    """The holder of a certificate whose token passed every step."""

    national_number: str  # subject serialNumber: the national register number on Belgian eID cards
    first_name: str  # subject givenName
    last_name: str  # subject surname
    common_name: str
    country: str
    certificate: x509.Certificate = field(repr=False)
    algorithm: str = ""
    app_version: str = ""


def identity_of(token: WebEidToken) -> WebEidIdentity:
    return _identity(token.certificate, token.algorithm, token.app_version)


def _identity(cert: x509.Certificate, algorithm: str = "", app_version: str = "") -> WebEidIdentity:
    subject = cert.subject
    return WebEidIdentity(
        national_number=_attr(subject, NameOID.SERIAL_NUMBER),
        first_name=_attr(subject, NameOID.GIVEN_NAME),
        last_name=_attr(subject, NameOID.SURNAME),
        common_name=_attr(subject, NameOID.COMMON_NAME),
        country=_attr(subject, NameOID.COUNTRY_NAME),
        certificate=cert,
        algorithm=algorithm,
        app_version=app_version,
    )


# --- the validator -------------------------------------------------------------------------


class WebEidValidator:
    """Validates Web eID authentication tokens for one site. Immutable, thread-safe.

    origin:               the site's origin, from configuration, never from the request
    trust:                trust anchors, intermediates and CRLs
    clock:                returns the current time (aware, UTC)
    disallowed_policies:  certificate policy OIDs (dotted strings) that must not be present
    check_crl:            check the issuer's CRL when one is in `trust`
    ocsp:                 OCSP options; off by default
    require_revocation_status: refuse (revocation_unknown) when neither a CRL nor OCSP
                          gave the certificate's status; turn off only for test cards
                          whose CA publishes nothing reachable
    """

    def __init__(
        self,
        *,
        origin: str,
        trust: TrustStore,
        clock: Callable[[], dt.datetime] = utc_now,
        disallowed_policies: Iterable[str] = (),
        check_crl: bool = True,
        ocsp: OcspOptions | None = None,
        require_revocation_status: bool = True,
        max_token_length: int = MAX_TOKEN_LENGTH,
    ) -> None:
        self.origin = normalise_origin(origin)
        self.trust = trust
        self.clock = clock
        self.disallowed_policies = frozenset(x509.ObjectIdentifier(oid).dotted_string for oid in disallowed_policies)
        self.check_crl = check_crl
        self.ocsp = ocsp or OcspOptions()
        self.require_revocation_status = require_revocation_status
        self.max_token_length = max_token_length

    # -- the whole validation ---------------------------------------------------------------

    def validate(self, token: bytes | str | WebEidToken, nonce: str) -> WebEidIdentity:
        """Every step in order; the holder's identity, or the TokenRefused of the first failure."""
        parsed = token if isinstance(token, WebEidToken) else self.parse(token)
        self.check_certificate(parsed)
        self.verify_signature(parsed, nonce)
        return identity_of(parsed)

    # -- steps 1-3 --------------------------------------------------------------------------

    def parse(self, token: bytes | str) -> WebEidToken:
        """Size, JSON structure, format, certificate decoding."""
        allowed = f"allowed {MIN_TOKEN_LENGTH}-{self.max_token_length}"
        if isinstance(token, bytes | bytearray):
            if not MIN_TOKEN_LENGTH <= len(token) <= self.max_token_length:
                raise TokenSizeRefused(f"token of {len(token)} bytes ({allowed})")
            try:
                token = bytes(token).decode("utf-8")
            except UnicodeDecodeError:
                raise TokenMalformed("token is not UTF-8") from None
        if not isinstance(token, str):
            raise TokenMalformed("token must be bytes or str")
        if not MIN_TOKEN_LENGTH <= len(token) <= self.max_token_length:
            raise TokenSizeRefused(f"token of {len(token)} characters ({allowed})")

        fields = _json_object(token)
        cert_b64 = _string_field(fields, "unverifiedCertificate")
        algorithm = _string_field(fields, "algorithm")
        signature_b64 = _string_field(fields, "signature")
        token_format = _string_field(fields, "format")
        app_version = fields.get("appVersion", "")
        if not isinstance(app_version, str):
            raise TokenMalformed("'appVersion' must be a string")
        try:
            signature = _b64decode(signature_b64)
        except (ValueError, binascii.Error):
            raise TokenMalformed("'signature' is not base64") from None

        if not FORMAT.fullmatch(token_format):
            raise TokenFormatUnsupported(f"format {token_format[:40]!r} is not web-eid:1.x")

        return WebEidToken(
            certificate=_decode_certificate(cert_b64),
            algorithm=algorithm,
            signature=signature,
            format=token_format,
            app_version=app_version,
        )

    # -- steps 4-8 --------------------------------------------------------------------------

    def check_certificate(self, token: WebEidToken, now: dt.datetime | None = None) -> None:
        """Purpose, policies, validity period, chain, revocation."""
        self._check_certificate(token.certificate, now or self._now())

    def check_client_certificate(self, cert: x509.Certificate, now: dt.datetime | None = None) -> WebEidIdentity:
        """Steps 4-8 on a bare certificate, e.g. the client certificate of a TLS handshake
        (whose proof of possession the handshake already made): the holder, or the
        CertificateRefused (or CertificateMalformed, for a key that does not decode) of the
        first failing step. The same checks, in the same order, as for a token."""
        if not isinstance(cert, x509.Certificate):
            raise TypeError("an x509.Certificate is expected")
        self._check_certificate(cert, now or self._now())
        return _identity(cert)

    def _check_certificate(self, cert: x509.Certificate, now: dt.datetime) -> None:
        _check_purpose(cert)
        self._check_policies(cert)
        if now < cert.not_valid_before_utc:
            raise CertificateNotYetValid(f"valid from {cert.not_valid_before_utc:%Y-%m-%d %H:%M} UTC")
        if now > cert.not_valid_after_utc:
            raise CertificateExpired(f"expired on {cert.not_valid_after_utc:%Y-%m-%d %H:%M} UTC")
        _public_key(cert)
        chain = self.trust.verify_chain(cert, now)
        self._check_revocation(chain, now)

    def _check_policies(self, cert: x509.Certificate) -> None:
        if not self.disallowed_policies:
            return
        try:
            policies = cert.extensions.get_extension_for_class(x509.CertificatePolicies).value
        except x509.ExtensionNotFound:
            return
        for policy in policies:
            if policy.policy_identifier.dotted_string in self.disallowed_policies:
                raise CertificatePolicyDisallowed(f"policy {policy.policy_identifier.dotted_string} is not allowed")

    def _check_revocation(self, chain: Sequence[x509.Certificate], now: dt.datetime) -> None:
        cert, issuer = chain[0], chain[1]
        answered = False
        if self.check_crl:
            # Every link below the anchor that has a CRL at hand; the card's own one counts
            # as an answer about the card.
            for i, (subject, its_issuer) in enumerate(zip(chain, chain[1:], strict=False)):
                crl = self.trust.current_crl(its_issuer, now)
                if crl is None:
                    continue
                if crl.get_revoked_certificate_by_serial_number(subject.serial_number) is not None:
                    what = "certificate" if i == 0 else "issuing CA certificate"
                    raise CertificateRevoked(f"{what} serial {subject.serial_number:x} is on its issuer's CRL")
                answered = answered or i == 0
        if self.ocsp.enabled:
            _ocsp.check_status(cert, issuer, now, self.ocsp)
            answered = True
        if not answered and self.require_revocation_status:
            issuer_name = _attr(issuer.subject, NameOID.COMMON_NAME)
            raise RevocationUnknown(f"no current CRL from {issuer_name!r} and OCSP is off")

    # -- step 9 -----------------------------------------------------------------------------

    def verify_signature(self, token: WebEidToken, nonce: str) -> None:
        """The signature over hash(origin) ‖ hash(nonce), with the algorithm's hash."""
        if not isinstance(nonce, str) or not nonce:
            raise ValueError("the expected nonce is required (the base64 string that was issued)")
        alg = ALGORITHMS.get(token.algorithm)
        if alg is None:
            raise AlgorithmUnsupported(f"algorithm {token.algorithm[:20]!r} is not allowed")
        key = _public_key(token.certificate)
        digest = alg.hash.name
        signed = (
            hashlib.new(digest, self.origin.encode("utf-8")).digest()
            + hashlib.new(digest, nonce.encode("utf-8")).digest()
        )
        try:
            if alg.scheme in ("pkcs1", "pss"):
                if not isinstance(key, rsa.RSAPublicKey):
                    raise AlgorithmMismatch(f"{token.algorithm} needs an RSA key")
                pad: padding.AsymmetricPadding = (
                    padding.PKCS1v15()
                    if alg.scheme == "pkcs1"
                    else padding.PSS(mgf=padding.MGF1(alg.hash()), salt_length=alg.hash.digest_size)
                )
                key.verify(token.signature, signed, pad, alg.hash())
            else:
                if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != alg.curve:
                    raise AlgorithmMismatch(f"{token.algorithm} needs an EC key on {alg.curve}")
                size = (key.curve.key_size + 7) // 8
                if len(token.signature) != 2 * size:
                    raise SignatureInvalid(f"ECDSA signature must be r||s of {2 * size} bytes")
                r = int.from_bytes(token.signature[:size], "big")
                s = int.from_bytes(token.signature[size:], "big")
                key.verify(encode_dss_signature(r, s), signed, ec.ECDSA(alg.hash()))
        except InvalidSignature:
            raise SignatureInvalid("signature does not verify for this origin and challenge") from None

    def _now(self) -> dt.datetime:
        now = self.clock()
        if now.tzinfo is None:
            raise ValueError("the clock must return an aware datetime")
        return now


# --- helpers of the steps ------------------------------------------------------------------


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise TokenMalformed("duplicate key in the token")
    return dict(pairs)


def _json_object(text: str) -> dict[str, object]:
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates)
    except (ValueError, RecursionError):
        raise TokenMalformed("token is not JSON") from None
    if not isinstance(value, dict):
        raise TokenMalformed("token is not a JSON object")
    return value


def _string_field(fields: dict[str, object], name: str) -> str:
    value = fields.get(name)
    if not isinstance(value, str) or not value:
        raise TokenMalformed(f"'{name}' is missing, empty or not a string")
    return value


def _decode_certificate(text: str) -> x509.Certificate:
    try:
        cert = x509.load_der_x509_certificate(_b64decode(text))
        _ = cert.extensions  # parsed lazily: a malformed extension must refuse here
    except (ValueError, binascii.Error):
        raise CertificateMalformed("unverifiedCertificate is not a DER X.509 certificate") from None
    return cert


def _public_key(cert: x509.Certificate):
    # Decoded when first needed (step 7), not at step 3: some real card certificates encode
    # their RSA modulus with a superfluous leading zero, which cryptography refuses; the
    # reference validator still reports such a certificate as expired or untrusted first.
    try:
        return cert.public_key()
    except (ValueError, UnsupportedAlgorithm):
        raise CertificateMalformed("the certificate's public key does not decode") from None


def _check_purpose(cert: x509.Certificate) -> None:
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        raise CertificatePurposeRefused("no keyUsage extension") from None
    if not usage.digital_signature:
        raise CertificatePurposeRefused("keyUsage lacks digitalSignature")
    try:
        extended = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return  # digitalSignature alone: an authentication certificate (as on some eID cards)
    if ExtendedKeyUsageOID.CLIENT_AUTH not in extended:
        raise CertificatePurposeRefused("extendedKeyUsage present without clientAuth")
