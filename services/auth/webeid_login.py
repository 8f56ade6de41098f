"""Login with a Web eID token: the card is in the person's own reader, the browser (Web eID
extension + native app) had it sign our challenge, and we verify.

The transaction, in the order the PKCS#11 login follows (see `login.py`):

1. the browser's challenge is consumed (single use, whatever follows): CHALLENGE_MISSING /
   CHALLENGE_EXPIRED;
2. the token is parsed (size, JSON, format, certificate); a certificate locked by earlier
   failures is refused here, before any revocation request goes out: CERTIFICATE_LOCKED;
3. the certificate is checked (purpose, policies, validity, chain, revocation) and the
   identity read from it (a valid national register number): a refused certificate costs
   no try, as in the PKCS#11 path — it would be refused the same way every time;
4. one try is reserved for the certificate, atomically, *before* the proof is checked;
5. the signature over hash(origin) ‖ hash(nonce) is verified: a failure keeps the try
   (SIGNATURE_INVALID with the tries left, the last one CERTIFICATE_LOCKED_NOW); a success
   resets the count and opens a session with method "web-eid".

Counting. The card counts the PIN itself here (the PIN never reaches us), so what we count
is failed *proofs* per certificate: the signature step (wrong origin, another challenge, a
tampered token, an algorithm that does not fit the key). A legitimate Web eID app never
produces one, so they mean a bug or somebody replaying or forging tokens with a
certificate that is not theirs. The counter is the project's TryCounter (key
"webeid:<SHA-256 fingerprint of the certificate>"), with the same Lua reservation, plus an
expiry: the count lives `lock_seconds` (default 15 minutes) after the last counted failure.
Why an expiry when PIN counters have none: authentication certificates are public, so
anyone holding a copy could lock its owner out of Web eID for good with three bad tokens;
a lock that lifts by itself bounds that, and nobody needs the commune to unlock it (there
is nothing to unlock on the card). Default limit 3, like PINs: no legitimate use needs a
retry of a failed proof, and the same number keeps one rule for the helpdesk.

SessionData.card_number stays empty for this method: a Web eID token does not tell the
card number (the certificate serial is not one); the audit trail records the certificate
serial in its detail instead. Audit events reuse the PKCS#11 path's names with a "web-eid"
detail: login_success, certificate_refused, signature_invalid, card_blocked (the
certificate just got locked), blocked_card_refused (a locked certificate was presented).
"""

from __future__ import annotations

import logging
import re
import threading
from collections import defaultdict

import redis
from stdnum.be import nn

from services.auth import errors
from services.auth.audit import AuditTrail
from services.auth.chain import read_identity
from services.auth.login import check_format
from services.auth.sessions import SessionData, Sessions
from services.auth.try_counter import TriesExhausted, TryCounter
from services.auth.webeid import (
    CertificateRefused,
    ProofRefused,
    TokenRefused,
    WebEidToken,
    WebEidValidator,
    identity_of,
)
from services.auth.webeid_challenges import Challenge, WebEidChallenges

log = logging.getLogger(__name__)

METHOD_WEB_EID = "web-eid"
# The gateway's pre-login session identifier: opaque, but long enough to be unguessable.
BINDING_FORMAT = re.compile(r"^[\x21-\x7e]{16,256}\Z")
TRY_PREFIX = "webeid"
DEFAULT_TRY_LIMIT = 3
DEFAULT_LOCK_SECONDS = 900


class CertificateLocked(errors.AuthError):
    """Too many failed Web eID proofs with this certificate: refused until the lock lifts."""

    def __init__(self, just_now: bool = False):
        super().__init__("certificate locked for Web eID after failed proofs")
        self.just_now = just_now


# TryCounter's reservation, plus an expiry set with each counted try (a refused one, when
# every try is used, leaves the expiry alone: pressing on does not prolong the lock).
_RESERVE_WITH_EXPIRY = """
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used >= tonumber(ARGV[1]) then return -1 end
local now = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return now
"""


class ExpiringTryCounter(TryCounter):
    """A TryCounter whose count disappears `expire_seconds` after the last reserved try."""

    def __init__(self, client: redis.Redis, prefix: str, limit: int, expire_seconds: int):
        super().__init__(client, prefix, limit)
        self.expire_ms = expire_seconds * 1000
        self._reserve_expiring = client.register_script(_RESERVE_WITH_EXPIRY)

    def reserve(self, card_number: str) -> int:
        used = int(self._reserve_expiring(keys=[self._key(card_number)], args=[self.limit, self.expire_ms]))
        if used < 0:
            raise TriesExhausted(card_number)
        return used


def _holder_nrn(token: WebEidToken) -> str:
    """The subject's national number for the audit trail, when it is one (unverified)."""
    number = identity_of(token).national_number
    return nn.compact(number) if nn.is_valid(number) else ""


class WebEidLogin:
    def __init__(self, validator: WebEidValidator, challenges: WebEidChallenges, tries: TryCounter,
                 sessions: Sessions, audit: AuditTrail):
        self.validator = validator
        self.challenges = challenges
        self.tries = tries
        self.sessions = sessions
        self.audit = audit
        # As in login.py: without it, more than `limit` simultaneous *good* tokens for one
        # certificate would find every try reserved.
        self._locks: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)

    def challenge(self, binding: str) -> Challenge:
        check_format("binding", binding, BINDING_FORMAT, "16 to 256 printable ASCII characters")
        return self.challenges.issue(binding)

    def login(self, token_json: str | bytes, binding: str) -> tuple[str, SessionData]:
        check_format("binding", binding, BINDING_FORMAT, "16 to 256 printable ASCII characters")
        nonce = self.challenges.consume(binding)
        token = self.validator.parse(token_json)
        key = token.certificate_fingerprint
        detail = f"web-eid cert={token.certificate.serial_number:x}"
        if self.tries.blocked(key):
            self.audit.record("blocked_card_refused", national_register_nr=_holder_nrn(token), detail=detail)
            raise CertificateLocked()
        try:
            self.validator.check_certificate(token)
            identity = read_identity(token.certificate)  # a valid national register number
        except (CertificateRefused, errors.CertificateError) as exc:
            reason = exc.reason if isinstance(exc, TokenRefused) else type(exc).__name__
            self.audit.record("certificate_refused", national_register_nr=_holder_nrn(token),
                              detail=f"{detail} {reason}")
            raise
        with self._locks[key]:
            return self._prove(token, nonce, identity, key, detail)

    def _prove(self, token: WebEidToken, nonce: str, identity, key: str, detail: str) -> tuple[str, SessionData]:
        nrn = identity.nrn
        try:
            used = self.tries.reserve(key)
        except TriesExhausted:
            self.audit.record("blocked_card_refused", national_register_nr=nrn, detail=detail)
            raise CertificateLocked() from None
        try:
            self.validator.verify_signature(token, nonce)
        except ProofRefused as exc:
            left = self.tries.limit - used
            if left <= 0:
                self.audit.record("card_blocked", national_register_nr=nrn, detail=f"{detail} {exc.reason} locked")
                raise CertificateLocked(just_now=True) from None
            self.audit.record("signature_invalid", national_register_nr=nrn,
                              detail=f"{detail} {exc.reason} tries_left={left}")
            exc.tries_left = left  # type: ignore[attr-defined]
            raise
        self.tries.reset(key)
        session_id, data = self.sessions.open(
            national_register_nr=nrn, first_name=identity.first_name, last_name=identity.last_name,
            card_number="", method=METHOD_WEB_EID,
        )
        self.audit.record("login_success", national_register_nr=nrn, detail=detail)
        return session_id, data

