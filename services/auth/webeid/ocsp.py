"""OCSP (RFC 6960) status of one certificate, with cryptography's `x509.ocsp`.

`check_status` builds a request for the certificate (CertID with SHA-1, which every
responder understands, RFC 5019) carrying a fresh 32-byte nonce, POSTs it over HTTP with a
timeout, and accepts the answer only when:

* the response is successful and decodes;
* it has exactly one response (we asked about one certificate), about this very
  certificate (serial, issuer name and key hash);
* it is signed by the issuing CA itself, by a responder certificate that is included in
  the response, directly issued by that CA, valid now and marked for OCSP signing
  (id-kp-OCSPSigning) — RFC 6960 §4.2.2.2 — or by the configured `responder_certificate`
  of a designated responder (trusted by local configuration, valid now);
* its thisUpdate is neither in the future (beyond `max_skew`) nor older than `max_age`;
  its nextUpdate, when present, has not passed (within `max_skew`) and is not before
  its thisUpdate (an answer that contradicts itself);
* it carries our nonce — or no nonce at all, for responders that do not support nonces
  (many pre-produce their answers): any *other* nonce is a replay and refused. The nonce
  is compared last, as the reference validator does: a "revoked" or "unknown" answer
  refuses the certificate whoever it was meant for; only "good" must be ours.

The responder URL is the configured one, or the AIA URL of a certificate that already
chains to a trust anchor (revocation is checked after the chain): a token cannot make the
service call an address of the sender's choosing.

Then "good" passes, "revoked" raises CertificateRevoked, "unknown" RevocationUnknown.
Network trouble and tryLater/internalError answers raise OcspUnavailable; every other
defect OcspResponseInvalid.
"""

from __future__ import annotations

import datetime as dt
import http.client
import secrets
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID, SignatureAlgorithmOID

from .refusals import (
    CertificateRevoked,
    OcspNonceMismatch,
    OcspResponseInvalid,
    OcspUnavailable,
    RevocationUnknown,
)

# (url, DER request, timeout in seconds) -> DER response; raises OSError on network trouble.
Transport = Callable[[str, bytes, float], bytes]

MAX_RESPONSE_BYTES = 64 * 1024
NONCE_BYTES = 32


@dataclass(frozen=True)
class OcspOptions:
    """How (and whether) to ask OCSP. Off by default: a login then makes no network call.

    url: a designated responder for every certificate; None means the certificate's own
         Authority Information Access OCSP URL (refused as revocation_unknown when absent).
    responder_certificate: the designated responder's own certificate, trusted as signer of
         its answers for every CA (RFC 6960 §4.2.2.2, "local configuration").
    timeout: seconds, for connecting and for each read.
    use_nonce: send a nonce (an answer without one is still accepted, see module doc).
    max_skew: tolerance for the responder's clock against ours.
    max_age: how old an answer's thisUpdate may be; the defaults of skew and age are the
         reference validator's (15 and 2 minutes). Raise it for a responder that serves
         pre-produced answers (RFC 5019), whose thisUpdate may be hours old.

    Meaningless values (a timeout, skew or age of zero or less) are refused here, so that a
    wrong setting stops the service at start instead of refusing every login.
    """

    enabled: bool = False
    url: str | None = None
    timeout: float = 5.0
    use_nonce: bool = True
    max_skew: dt.timedelta = dt.timedelta(minutes=15)
    max_age: dt.timedelta = dt.timedelta(minutes=2)
    responder_certificate: x509.Certificate | None = None
    transport: Transport | None = None  # None: HTTP POST with urllib

    def __post_init__(self) -> None:
        if not self.timeout > 0:
            raise ValueError(f"OCSP timeout must be more than 0 seconds, not {self.timeout}")
        for name in ("max_skew", "max_age"):
            value = getattr(self, name)
            if not isinstance(value, dt.timedelta) or value <= dt.timedelta(0):
                raise ValueError(f"OCSP {name} must be a duration of more than 0, not {value}")


def http_post(url: str, request_der: bytes, timeout: float) -> bytes:
    """POST an OCSP request (RFC 6960 appendix A.1) and return the body of a 200 answer."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise OSError(f"OCSP URL scheme not allowed: {url!r}")
    req = urllib.request.Request(  # noqa: S310 (scheme checked just above)
        url,
        data=request_der,
        method="POST",
        headers={"Content-Type": "application/ocsp-request", "Accept": "application/ocsp-response"},
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as answer:  # noqa: S310
            body = answer.read(MAX_RESPONSE_BYTES + 1)
    except (urllib.error.URLError, http.client.HTTPException, TimeoutError, ValueError) as exc:
        raise OSError(f"OCSP request failed: {exc}") from None
    if len(body) > MAX_RESPONSE_BYTES:
        raise OSError("OCSP response too large")
    return body


def responder_url(cert: x509.Certificate, options: OcspOptions) -> str | None:
    """The designated responder if configured, else the certificate's AIA OCSP URL."""
    if options.url:
        return options.url
    try:
        aia = cert.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    except x509.ExtensionNotFound:
        return None
    for desc in aia:
        if desc.access_method == x509.AuthorityInformationAccessOID.OCSP and isinstance(
            desc.access_location, x509.UniformResourceIdentifier
        ):
            return desc.access_location.value
    return None


def check_status(
    cert: x509.Certificate,
    issuer: x509.Certificate,
    now: dt.datetime,
    options: OcspOptions,
) -> None:
    """Return when OCSP says "good"; raise the RevocationRefused saying why not otherwise."""
    url = responder_url(cert, options)
    if url is None:
        raise RevocationUnknown("no OCSP responder: none configured and no AIA OCSP URL in the certificate")
    builder = ocsp.OCSPRequestBuilder().add_certificate(cert, issuer, hashes.SHA1())  # noqa: S303 (CertID, RFC 5019)
    nonce = secrets.token_bytes(NONCE_BYTES) if options.use_nonce else None
    if nonce is not None:
        builder = builder.add_extension(x509.OCSPNonce(nonce), critical=False)
    request = builder.build()

    transport = options.transport or http_post
    try:
        body = transport(url, request.public_bytes(serialization.Encoding.DER), options.timeout)
    except OSError as exc:  # includes socket timeouts
        raise OcspUnavailable(f"OCSP responder did not answer: {type(exc).__name__}") from None
    try:
        response = ocsp.load_der_ocsp_response(body)
    except ValueError:
        raise OcspResponseInvalid("OCSP response does not decode") from None

    status = response.response_status
    if status in (ocsp.OCSPResponseStatus.TRY_LATER, ocsp.OCSPResponseStatus.INTERNAL_ERROR):
        raise OcspUnavailable(f"OCSP responder answered {status.name}")
    if status != ocsp.OCSPResponseStatus.SUCCESSFUL:
        raise OcspResponseInvalid(f"OCSP responder answered {status.name}")

    single = _single_response(response, cert, issuer)
    _verify_response_signature(response, issuer, now, options.responder_certificate)
    _check_times(single, now, options.max_skew, options.max_age)

    if single.certificate_status == ocsp.OCSPCertStatus.REVOKED:
        reason = single.revocation_reason.name if single.revocation_reason else "unspecified"
        raise CertificateRevoked(f"OCSP: revoked ({reason})")
    if single.certificate_status != ocsp.OCSPCertStatus.GOOD:
        raise RevocationUnknown("OCSP: status unknown")
    if nonce is not None:
        _check_nonce(response, nonce)


# --- response checks -----------------------------------------------------------------------


def _key_hash(cert: x509.Certificate) -> bytes:
    """SHA-1 of the subjectPublicKey bits (the OCSP ResponderID byKey, RFC 6960 §4.2.1)."""
    return x509.SubjectKeyIdentifier.from_public_key(cert.public_key()).digest  # type: ignore[arg-type]


def _is_responder(response: ocsp.OCSPResponse, cert: x509.Certificate) -> bool:
    if response.responder_key_hash is not None:
        return response.responder_key_hash == _key_hash(cert)
    return response.responder_name == cert.subject


def _verify_response_signature(
    response: ocsp.OCSPResponse, issuer: x509.Certificate, now: dt.datetime, designated: x509.Certificate | None
) -> None:
    if _is_responder(response, issuer):
        signer = issuer
    elif designated is not None and _is_responder(response, designated):
        signer = designated
        if not designated.not_valid_before_utc <= now <= designated.not_valid_after_utc:
            raise OcspResponseInvalid("designated OCSP responder certificate not valid now")
    else:
        signer = next((c for c in response.certificates if _is_responder(response, c)), None)
        if signer is None:
            raise OcspResponseInvalid("OCSP response signed by an unknown responder")
        _check_delegated_responder(signer, issuer, now)
    try:
        _verify(signer.public_key(), response.signature, response.tbs_response_bytes,
                response.signature_hash_algorithm, response.signature_algorithm_oid)
    except (InvalidSignature, UnsupportedAlgorithm, TypeError, ValueError):
        raise OcspResponseInvalid("OCSP response signature does not verify") from None


def _check_delegated_responder(signer: x509.Certificate, issuer: x509.Certificate, now: dt.datetime) -> None:
    try:
        signer.verify_directly_issued_by(issuer)
    except (InvalidSignature, ValueError, TypeError, UnsupportedAlgorithm):
        raise OcspResponseInvalid("OCSP responder certificate not issued by the certificate's issuer") from None
    try:
        usages = signer.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        usages = None
    if usages is None or ExtendedKeyUsageOID.OCSP_SIGNING not in usages:
        raise OcspResponseInvalid("OCSP responder certificate lacks id-kp-OCSPSigning")
    if not signer.not_valid_before_utc <= now <= signer.not_valid_after_utc:
        raise OcspResponseInvalid("OCSP responder certificate not valid now")


def _verify(key, signature: bytes, data: bytes, hash_alg: hashes.HashAlgorithm | None, oid) -> None:
    if isinstance(key, rsa.RSAPublicKey):
        if hash_alg is None:
            raise UnsupportedAlgorithm("RSA signature without a hash")
        if oid == SignatureAlgorithmOID.RSASSA_PSS:
            pad: padding.AsymmetricPadding = padding.PSS(padding.MGF1(hash_alg), padding.PSS.AUTO)
        else:
            pad = padding.PKCS1v15()
        key.verify(signature, data, pad, hash_alg)
    elif isinstance(key, ec.EllipticCurvePublicKey):
        if hash_alg is None:
            raise UnsupportedAlgorithm("ECDSA signature without a hash")
        key.verify(signature, data, ec.ECDSA(hash_alg))
    elif isinstance(key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
        key.verify(signature, data)
    else:
        raise UnsupportedAlgorithm(f"responder key type {type(key).__name__}")


def _check_nonce(response: ocsp.OCSPResponse, sent: bytes) -> None:
    try:
        received = response.extensions.get_extension_for_class(x509.OCSPNonce).value.nonce
    except x509.ExtensionNotFound:
        return  # the responder does not support nonces: freshness rests on the time checks
    if received != sent:
        raise OcspNonceMismatch("OCSP response nonce differs from the request's")


def _single_response(response: ocsp.OCSPResponse, cert: x509.Certificate, issuer: x509.Certificate):
    singles = list(response.responses)
    if len(singles) != 1:  # we asked about one certificate
        raise OcspResponseInvalid(f"OCSP response has {len(singles)} responses, expected 1")
    single = singles[0]
    try:
        expected = ocsp.OCSPRequestBuilder().add_certificate(cert, issuer, single.hash_algorithm).build()
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise OcspResponseInvalid("OCSP response uses an unsupported CertID hash") from None
    if (single.serial_number, single.issuer_name_hash, single.issuer_key_hash) != (
        cert.serial_number, expected.issuer_name_hash, expected.issuer_key_hash
    ):
        raise OcspResponseInvalid("OCSP response is not about this certificate")
    return single


def _check_times(single, now: dt.datetime, skew: dt.timedelta, max_age: dt.timedelta) -> None:
    this_update, next_update = single.this_update_utc, single.next_update_utc
    if this_update > now + skew:
        raise OcspResponseInvalid("OCSP response thisUpdate is in the future")
    if this_update < now - max_age:
        raise OcspResponseInvalid(f"OCSP response thisUpdate is older than {max_age}")
    if next_update is None:
        return  # RFC 6960 §4.2.2.1: newer information is available at any time
    if next_update < now - skew:
        raise OcspResponseInvalid("OCSP response is outdated (nextUpdate passed)")
    if next_update < this_update:
        raise OcspResponseInvalid("OCSP response nextUpdate is before its thisUpdate")
