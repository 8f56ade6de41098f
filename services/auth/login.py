"""The login transaction and the unblocking by the commune, in the order a card imposes.

Login: certificate checks first (a refused certificate costs no try), then one PIN try
reserved in Redis *before* the card is touched (a blocked card is never tried), then
C_Login and a signature over a fresh nonce, verified with the certificate; success
resets the counter and opens a session. Every outcome goes to the audit trail.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

from services.auth import errors
from services.auth.audit import AuditTrail
from services.auth.cards import CardReaders, verify_signature
from services.auth.chain import CertificateChecker
from services.auth.sessions import SessionData, SessionNotFound, Sessions
from services.auth.try_counter import TriesExhausted, TryCounter

PIN_FORMAT = re.compile(r"^[0-9]{4,12}$")
CARD_NUMBER_FORMAT = re.compile(r"^[0-9]{12}$")
METHOD_EID_READER = "eid-reader"


class CardBlocked(errors.CardError):
    """Every PIN try is used: only the commune, with the PUK, can unblock the card."""

    def __init__(self, card_number: str, just_now: bool = False):
        super().__init__(card_number)
        self.just_now = just_now


class PukBlocked(errors.CardError):
    """Every PUK try is used: the card must be replaced."""


class InvalidInput(errors.AuthError):
    """A field is malformed; the message names the field."""


@dataclass
class Timings:
    """Where one login spent its time, in seconds (for the benchmark)."""

    pkcs11: float = 0.0
    redis: float = 0.0
    certificate: float = 0.0
    steps: dict[str, float] = field(default_factory=dict)


class _Clock:
    def __init__(self, timings: Timings | None):
        self.timings = timings

    def __call__(self, part: str):
        return _Timed(self.timings, part)


class _Timed:
    def __init__(self, timings: Timings | None, part: str):
        self.timings, self.part = timings, part

    def __enter__(self):
        self.started = time.perf_counter()

    def __exit__(self, *exc):
        if self.timings is not None:
            setattr(self.timings, self.part, getattr(self.timings, self.part) + time.perf_counter() - self.started)
        return False


def check_format(field_name: str, value: str, pattern: re.Pattern, expected: str) -> None:
    if not pattern.match(value):
        raise InvalidInput(f"{field_name}: {expected}")


class Identification:
    def __init__(self, readers: CardReaders | None, checker: CertificateChecker, pin_tries: TryCounter,
                 puk_tries: TryCounter, sessions: Sessions, audit: AuditTrail):
        self.readers = readers  # None: the simulated readers are off (production)
        self.checker = checker
        self.pin_tries = pin_tries
        self.puk_tries = puk_tries
        self.sessions = sessions
        self.audit = audit
        # A card does one thing at a time. Without this, more than three *correct* logins
        # at once on one card would find every try reserved and be told it is blocked.
        self._card_locks: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)

    def _one_at_a_time(self, card_number: str) -> threading.Lock:
        return self._card_locks[card_number]  # defaultdict insertion is atomic under the GIL

    def login(self, card_number: str, pin: str, timings: Timings | None = None) -> tuple[str, SessionData]:
        check_format("card_number", card_number, CARD_NUMBER_FORMAT, "12 digits")
        check_format("pin", pin, PIN_FORMAT, "4 to 12 digits")
        timed = _Clock(timings)
        with timed("pkcs11"):
            card = self.readers.certificate(card_number)
        try:
            with timed("certificate"):
                identity = self.checker.check(card.certificate)
        except errors.CertificateError as exc:
            self.audit.record("certificate_refused", card_number=card_number, national_register_nr=card.nrn,
                              detail=type(exc).__name__)
            raise
        with self._one_at_a_time(card_number):
            return self._try_pin(card, identity, pin, timed)

    def _try_pin(self, card, identity, pin: str, timed: _Clock) -> tuple[str, SessionData]:
        card_number, nrn = card.card_number, identity.nrn
        try:
            with timed("redis"):
                used = self.pin_tries.reserve(card_number)
        except TriesExhausted:
            self.audit.record("blocked_card_refused", card_number=card_number, national_register_nr=nrn)
            raise CardBlocked(card_number) from None

        nonce = secrets.token_bytes(32)
        try:
            with timed("pkcs11"):
                signature = self.readers.login_and_sign(card_number, pin, nonce)
        except errors.PinIncorrect:
            left = self.pin_tries.limit - used
            if left <= 0:
                self.audit.record("card_blocked", card_number=card_number, national_register_nr=nrn)
                raise CardBlocked(card_number, just_now=True) from None
            self.audit.record("wrong_pin", card_number=card_number, national_register_nr=nrn,
                              detail=f"tries_left={left}")
            raise errors.PinIncorrect(tries_left=left) from None
        except errors.PinLockedOnToken:
            self.audit.record("blocked_card_refused", card_number=card_number, national_register_nr=nrn,
                              detail="locked on the card")
            raise CardBlocked(card_number) from None
        except (errors.CardNotFound, errors.CardOperationFailed):
            self.pin_tries.release(card_number)  # the PIN was never checked
            raise

        try:
            with timed("certificate"):
                verify_signature(card.certificate, nonce, signature)
        except errors.SignatureInvalid:
            self.pin_tries.release(card_number)  # the PIN was right; the card is not
            self.audit.record("signature_invalid", card_number=card_number, national_register_nr=nrn)
            raise

        with timed("redis"):
            self.pin_tries.reset(card_number)
            session_id, data = self.sessions.open(
                national_register_nr=nrn, first_name=identity.first_name, last_name=identity.last_name,
                card_number=card_number, method=METHOD_EID_READER,
            )
            self.audit.record("login_success", card_number=card_number, national_register_nr=nrn)
        return session_id, data

    def logout(self, session_id: str) -> None:
        try:
            data = self.sessions.get(session_id)
        except SessionNotFound:  # already gone: logout is idempotent (Redis failing is not "gone")
            return
        self.sessions.close(session_id)
        self.audit.record("logout", card_number=data.card_number, national_register_nr=data.national_register_nr)

    def unblock(self, card_number: str, puk: str, new_pin: str) -> None:
        """The commune's act: the PUK (the token's SO PIN) and a new PIN, tries reset."""
        check_format("card_number", card_number, CARD_NUMBER_FORMAT, "12 digits")
        check_format("puk", puk, PIN_FORMAT, "4 to 12 digits")
        check_format("new_pin", new_pin, PIN_FORMAT, "4 to 12 digits")
        card = self.readers.certificate(card_number)
        with self._one_at_a_time(card_number):
            self._try_puk(card, puk, new_pin)

    def _try_puk(self, card, puk: str, new_pin: str) -> None:
        card_number = card.card_number
        try:
            used = self.puk_tries.reserve(card_number)
        except TriesExhausted:
            raise PukBlocked(card_number) from None
        try:
            self.readers.unblock(card_number, puk, new_pin)
        except errors.PukIncorrect:
            left = self.puk_tries.limit - used
            event = "puk_blocked" if left <= 0 else "wrong_puk"
            self.audit.record(event, card_number=card_number, national_register_nr=card.nrn,
                              detail=f"tries_left={left}")
            if left <= 0:
                raise PukBlocked(card_number) from None
            raise errors.PukIncorrect(tries_left=left) from None
        except (errors.CardNotFound, errors.CardOperationFailed):
            self.puk_tries.release(card_number)
            raise
        self.puk_tries.reset(card_number)
        self.pin_tries.reset(card_number)
        self.audit.record("card_unblocked", card_number=card_number, national_register_nr=card.nrn)

    def certificate_refusal(self, card) -> errors.CertificateError | None:
        """What is wrong with the card's certificate (None: nothing), found without using a
        try and without an audit entry: for a list that warns before a PIN is asked. Login
        checks again."""
        try:
            self.checker.check(card.certificate)
        except errors.CertificateError as exc:
            return exc
        return None

    def blocked_cards(self, card_numbers: list[str]) -> set[str]:
        return self.pin_tries.blocked_among(card_numbers)

    def card_status(self, card_number: str) -> tuple[int, bool]:
        check_format("card_number", card_number, CARD_NUMBER_FORMAT, "12 digits")
        self.readers.certificate(card_number)  # CardNotFound: a mistyped number is not "3 tries left"
        return self.pin_tries.left(card_number), self.pin_tries.blocked(card_number)
