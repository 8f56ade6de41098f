"""Login with the certificate a browser presented in a TLS handshake (client authentication):
the eID card is in the reader of the person's own PC, the browser showed its certificate
dialog and the eID middleware asked the PIN. The card counted the PIN tries; we never see
the PIN. The TLS terminator proved that the browser holds the certificate's key (the
handshake's CertificateVerify) and passed the certificate on without judging it; judging
it is done here.

Two steps, because the handshake happens on a host of its own (so that the browser asks
afresh each time) and the session belongs to the portal's main origin:

1. `start(certificate_der, binding)`, called on the certificate host: the certificate gets
   the Web eID validator's checks (one implementation: purpose, policies, validity, chain,
   CRL and OCSP) and the holder's identity is read (a valid national register number).
   The outcome, accepted identity or refusal reason, is stored under a fresh one-time code
   (256 bits, 2 minutes, key `certlogin:<sha256(code)>`, with the binding's hash). Refusals
   cost no try: there is nothing to count, the card counts PINs itself.
2. `redeem(code, binding)`, called on the main origin with the binding of the same
   browser: GETDEL takes the code (single use, atomically); a code made for another binding
   is refused like a missing one (it is used up too). An accepted outcome opens the session
   (method "eid-certificate"); a refusal is raised again, so the page of the main origin
   tells it in the person's language.

Why the binding: without it, someone could log in on the certificate host with their own
card and slip the code to another person's browser (login CSRF). The binding is the random
value the gateway keeps in the pre-login session of the main origin and passes in the link
to the certificate host; the code works only with it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

import redis
from cryptography import x509

from services.auth import errors
from services.auth.audit import AuditTrail
from services.auth.chain import read_identity
from services.auth.login import InvalidInput, check_format
from services.auth.sessions import SessionData, Sessions
from services.auth.webeid import TokenRefused, WebEidValidator
from services.auth.webeid import refusals as webeid_refusals
from services.auth.webeid_login import BINDING_FORMAT

METHOD = "eid-certificate"
CODE_TTL_SECONDS = 120
MAX_CERTIFICATE_BYTES = 16 * 1024
CODE_FORMAT = re.compile(r"^[A-Za-z0-9_-]{43}\Z")
_IDENTITY_UNUSABLE = "identity_unusable"  # no valid national register number in the subject

# Reason codes of the validator -> the class that says it again at redemption.
_REFUSAL_CLASSES: dict[str, type[TokenRefused]] = {
    cls.reason: cls
    for cls in vars(webeid_refusals).values()
    if isinstance(cls, type) and issubclass(cls, TokenRefused) and "reason" in vars(cls)
}


class LoginCodeMissing(errors.AuthError):
    """No such code: never made, already used, expired, or made for another browser."""


@dataclass(frozen=True)
class LoginCode:
    code: str
    expires_at: float  # seconds since the epoch


class CertificateLogin:
    def __init__(self, validator: WebEidValidator, client: redis.Redis, sessions: Sessions, audit: AuditTrail,
                 *, ttl_seconds: int = CODE_TTL_SECONDS, clock: Callable[[], float] = time.time):
        self.validator = validator
        self.client = client
        self.sessions = sessions
        self.audit = audit
        self.ttl = ttl_seconds
        self.clock = clock

    @staticmethod
    def _key(code: str) -> str:
        return f"certlogin:{hashlib.sha256(code.encode()).hexdigest()}"

    @staticmethod
    def _hash(binding: str) -> str:
        return hashlib.sha256(binding.encode()).hexdigest()

    def start(self, certificate_der: bytes, binding: str) -> LoginCode:
        check_format("binding", binding, BINDING_FORMAT, "16 to 256 printable ASCII characters")
        if not 0 < len(certificate_der) <= MAX_CERTIFICATE_BYTES:
            raise InvalidInput(f"certificate_der: 1 to {MAX_CERTIFICATE_BYTES} bytes of DER")
        outcome = self._judge(certificate_der)
        code = LoginCode(secrets.token_urlsafe(32), self.clock() + self.ttl)
        record = {"binding": self._hash(binding), "expires_at": code.expires_at, **outcome}
        self.client.set(self._key(code.code), json.dumps(record), px=self.ttl * 1000)
        return code

    def _judge(self, certificate_der: bytes) -> dict[str, str]:
        """The identity to log in, or the refusal reason (audited), as a storable record."""
        try:
            cert = x509.load_der_x509_certificate(certificate_der)
            _ = cert.extensions  # parsed lazily: a malformed extension refuses here
        except ValueError:
            self.audit.record("certificate_refused", detail=f"{METHOD} certificate_malformed")
            return {"refusal": webeid_refusals.CertificateMalformed.reason}
        detail = f"{METHOD} cert={cert.serial_number:x}"
        try:
            self.validator.check_client_certificate(cert)
            identity = read_identity(cert)
        except (TokenRefused, errors.CertificateUnusable) as exc:
            reason = exc.reason if isinstance(exc, TokenRefused) else _IDENTITY_UNUSABLE
            self.audit.record("certificate_refused", detail=f"{detail} {reason}")
            return {"refusal": reason}
        return {"nrn": identity.nrn, "first_name": identity.first_name, "last_name": identity.last_name,
                "detail": detail}

    def redeem(self, code: str, binding: str) -> tuple[str, SessionData]:
        check_format("code", code, CODE_FORMAT, "43 URL-safe base64 characters")
        check_format("binding", binding, BINDING_FORMAT, "16 to 256 printable ASCII characters")
        raw = self.client.getdel(self._key(code))
        if raw is None:
            raise LoginCodeMissing("no such login code")
        record = json.loads(raw)
        if record["expires_at"] < self.clock() or not hmac.compare_digest(record["binding"], self._hash(binding)):
            raise LoginCodeMissing("login code expired or made for another browser")
        refusal = record.get("refusal")
        if refusal == _IDENTITY_UNUSABLE:
            raise errors.CertificateUnusable("no national register number in the certificate")
        if refusal:
            raise _REFUSAL_CLASSES[refusal]()
        session_id, data = self.sessions.open(
            national_register_nr=record["nrn"], first_name=record["first_name"], last_name=record["last_name"],
            card_number="", method=METHOD,
        )
        self.audit.record("login_success", national_register_nr=record["nrn"], detail=record["detail"])
        return session_id, data
