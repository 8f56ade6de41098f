"""gRPC face of the auth service: proto in, domain call, proto out. One table maps the
domain's errors to gRPC statuses and refusal reasons."""

from __future__ import annotations

import functools
import logging
import re
import threading
import time

import grpc
import redis
from cryptography.hazmat.primitives import hashes
from google.protobuf.timestamp_pb2 import Timestamp

from services.auth import errors, metrics
from services.auth.cards import CardCertificate
from services.auth.certificate_login import CertificateLogin, LoginCodeMissing
from services.auth.login import CardBlocked, Identification, InvalidInput, PukBlocked, check_format
from services.auth.session_events import SessionWatch
from services.auth.sessions import SessionData, SessionNotFound, log_ref
from services.auth.webeid import TokenRefused
from services.auth.webeid_challenges import ChallengeExpired, ChallengeMissing
from services.auth.webeid_login import CertificateLocked, WebEidLogin
from ssp.auth.v1 import auth_pb2 as pb
from ssp.auth.v1 import auth_pb2_grpc

log = logging.getLogger(__name__)

REFUSAL_KEY = "ssp-refusal"
TRIES_LEFT_KEY = "ssp-tries-left"

# Identification methods of the portal, in the order the page lists them; the first three
# are offered when configured (see ListMethods).
METHODS = [
    ("eid-certificate", "eID card in the reader of your computer", True),
    ("web-eid", "eID via the Web eID extension", True),
    ("eid-reader", "Simulated card readers (training)", True),
    ("itsme", "itsme", False),
    ("mobile-app-code", "Security code via a mobile app", False),
    ("sms-code", "Security code via SMS", False),
    ("eidas", "European eID (eIDAS)", False),
]

_REFUSALS: list[tuple[type[Exception], int]] = [
    (errors.CertificateExpired, pb.CERTIFICATE_EXPIRED),
    (errors.CertificateNotYetValid, pb.CERTIFICATE_NOT_YET_VALID),
    (errors.CertificateRevoked, pb.CERTIFICATE_REVOKED),
    (errors.CertificateUntrusted, pb.CERTIFICATE_UNTRUSTED),
    (errors.CertificateUnusable, pb.CERTIFICATE_UNUSABLE),
    (errors.SignatureInvalid, pb.SIGNATURE_INVALID),
    (errors.PinIncorrect, pb.PIN_INCORRECT),
    (errors.PukIncorrect, pb.PUK_INCORRECT),
    (PukBlocked, pb.PUK_BLOCKED),
    (ChallengeMissing, pb.CHALLENGE_MISSING),
    (ChallengeExpired, pb.CHALLENGE_EXPIRED),
    (LoginCodeMissing, pb.LOGIN_CODE_MISSING),
]

# Web eID validator reasons (services.auth.webeid.refusals) -> refusals, in validation order.
WEBEID_REFUSALS: dict[str, int] = {
    "token_size": pb.TOKEN_SIZE,
    "token_malformed": pb.TOKEN_MALFORMED,
    "token_format_unsupported": pb.TOKEN_FORMAT_UNSUPPORTED,
    "certificate_malformed": pb.CERTIFICATE_MALFORMED,
    "certificate_purpose": pb.CERTIFICATE_UNUSABLE,
    "certificate_policy_disallowed": pb.CERTIFICATE_POLICY_DISALLOWED,
    "certificate_not_yet_valid": pb.CERTIFICATE_NOT_YET_VALID,
    "certificate_expired": pb.CERTIFICATE_EXPIRED,
    "certificate_untrusted": pb.CERTIFICATE_UNTRUSTED,
    "certificate_revoked": pb.CERTIFICATE_REVOKED,
    "revocation_unknown": pb.CERTIFICATE_UNTRUSTED,  # as RevocationStatusUnknown in the PKCS#11 path
    "ocsp_unavailable": pb.OCSP_UNAVAILABLE,
    "ocsp_response_invalid": pb.OCSP_RESPONSE_INVALID,
    "ocsp_nonce_mismatch": pb.OCSP_NONCE_MISMATCH,
    "algorithm_unsupported": pb.ALGORITHM_UNSUPPORTED,
    "algorithm_mismatch": pb.ALGORITHM_MISMATCH,
    "signature_invalid": pb.SIGNATURE_INVALID,
}


def _abort(context: grpc.ServicerContext, exc: Exception):
    """The one mapping from domain errors to statuses (the message never holds a PIN)."""
    if isinstance(exc, InvalidInput):
        context.abort(grpc.StatusCode.INVALID_ARGUMENT, str(exc))
    if isinstance(exc, errors.CardNotFound):
        context.abort(grpc.StatusCode.NOT_FOUND, "card not present in any reader")
    if isinstance(exc, SessionNotFound):
        context.abort(grpc.StatusCode.NOT_FOUND, "no such session")
    if isinstance(exc, CardBlocked):
        refusal = pb.CARD_BLOCKED_NOW if exc.just_now else pb.CARD_BLOCKED
        _refuse(context, refusal, 0)
    if isinstance(exc, CertificateLocked):
        _refuse(context, pb.CERTIFICATE_LOCKED_NOW if exc.just_now else pb.CERTIFICATE_LOCKED, 0)
    if isinstance(exc, TokenRefused):
        log.info("certificate_refused", extra={"reason": exc.reason})  # Web eID or the certificate login
        _refuse(context, WEBEID_REFUSALS[exc.reason], getattr(exc, "tries_left", None))
    for kind, refusal in _REFUSALS:
        if isinstance(exc, kind):
            _refuse(context, refusal, getattr(exc, "tries_left", None))
    if isinstance(exc, errors.CardOperationFailed):
        log.warning("card_operation_failed", extra={"reason": str(exc)})
        context.abort(grpc.StatusCode.UNAVAILABLE, "the card or its reader did not answer")
    raise exc


def _store_answers(cls):
    """Every method of the servicer: Redis refusing connections or not answering within
    its socket timeout is UNAVAILABLE ("the identification service" on the gateway's 503
    page), in one log line. A login then tried nothing: the try is reserved in Redis first."""

    def guarded(method):
        @functools.wraps(method)
        def wrapper(self, request, context):
            try:
                return method(self, request, context)
            except (redis.ConnectionError, redis.TimeoutError) as exc:
                log.warning("redis_unavailable", extra={"error": type(exc).__name__})
                context.abort(grpc.StatusCode.UNAVAILABLE, "the session store did not answer")

        return wrapper

    for name, method in list(vars(cls).items()):
        if name[:1].isupper() and callable(method):
            setattr(cls, name, guarded(method))
    return cls


def _refuse(context: grpc.ServicerContext, refusal: int, tries_left: int | None):
    if refusal == pb.CARD_BLOCKED_NOW:
        metrics.CARDS_BLOCKED.inc()
    metadata = [(REFUSAL_KEY, pb.Refusal.Name(refusal))]
    if tries_left is not None:
        metadata.append((TRIES_LEFT_KEY, str(tries_left)))
    context.set_trailing_metadata(metadata)
    context.abort(grpc.StatusCode.FAILED_PRECONDITION, pb.Refusal.Name(refusal))


_ENTERPRISE_NUMBER = re.compile(r"^([0-9]{10})?$")
_CODE = re.compile(r"^([a-z0-9][a-z0-9-]{0,63})?$")
_NRN = re.compile(r"^[0-9]{11}$")


def check_context(request: pb.UpdateSessionContextRequest) -> None:
    """The shapes only: what the entity, role and profiles mean is the roles service's."""
    check_format("entity_id", request.entity_id, _ENTERPRISE_NUMBER, "10 digits")
    for name in ("quality_id", "role"):
        check_format(name, getattr(request, name), _CODE, "lowercase letters, digits and dashes")
    for profile in request.profiles:
        check_format("profiles", profile, _CODE, "lowercase letters, digits and dashes")
    if len(request.entity_name) > 200 or len(request.profiles) > 50:
        raise InvalidInput("entity_name or profiles: too long")


def _timestamp(seconds: float) -> Timestamp:
    ts = Timestamp()
    ts.FromNanoseconds(int(seconds * 1e9))
    return ts


def _masked(nrn: str) -> str:
    return "*" * (len(nrn) - 4) + nrn[-4:] if len(nrn) > 4 else "*" * len(nrn)


def session_proto(data: SessionData) -> pb.Session:
    return pb.Session(
        national_register_nr=data.national_register_nr, first_name=data.first_name, last_name=data.last_name,
        method=data.method, authenticated_at=_timestamp(data.authenticated_at), entity_id=data.entity_id,
        quality_id=data.quality_id, role=data.role, profiles=data.profiles, entity_name=data.entity_name,
        profiles_changed=data.profiles_changed, expires_at=_timestamp(data.ends_by or data.expires_at),
        revision=data.revision,
    )


def _refusal_of(exc: Exception | None) -> int:
    """The refusal Login would answer for this certificate error (the table of _abort)."""
    if exc is None:
        return pb.REFUSAL_UNSPECIFIED
    return next((refusal for kind, refusal in _REFUSALS if isinstance(exc, kind)), pb.CERTIFICATE_UNUSABLE)


def certificate_proto(card: CardCertificate, blocked: bool = False, refusal: int = 0) -> pb.Certificate:
    return pb.Certificate(
        card_number=card.card_number, holder_name=card.holder_name, national_register_nr_masked=_masked(card.nrn),
        issuer=card.issuer, not_before=_timestamp(card.not_before.timestamp()),
        not_after=_timestamp(card.not_after.timestamp()), key_type=card.key_type, blocked=blocked, refusal=refusal,
    )


RESCAN_SECONDS = 1.0
CHECK_SECONDS = 60.0


def _fingerprint(card: CardCertificate) -> bytes:
    return card.certificate.fingerprint(hashes.SHA256())


def _require(part, context: grpc.ServicerContext, missing: str) -> None:
    """A method of a way in that this installation does not offer: UNIMPLEMENTED."""
    if part is None:
        context.abort(grpc.StatusCode.UNIMPLEMENTED, missing)


def _require_simulated_readers(identification: Identification, context: grpc.ServicerContext) -> None:
    _require(identification.readers, context, "the simulated card readers are off in this installation")


@_store_answers
class IdentificationServicer(auth_pb2_grpc.IdentificationServicer):
    def __init__(self, identification: Identification, webeid: WebEidLogin | None = None,
                 certificate_login: CertificateLogin | None = None, watch: SessionWatch | None = None):
        self.id = identification
        self.webeid = webeid
        self.certificate_login = certificate_login
        self.watch = watch or SessionWatch(identification.sessions.client)
        self._scan_lock = threading.Lock()
        self._scanned_at = float("-inf")
        self._cards: list[CardCertificate] = []
        self._checked: dict[bytes, tuple[float, int]] = {}  # certificate fingerprint -> (when, refusal)

    def ListMethods(self, request, context):
        configured = {"web-eid": self.webeid is not None, "eid-reader": self.id.readers is not None,
                      "eid-certificate": self.certificate_login is not None}
        return pb.ListMethodsResponse(
            methods=[pb.IdentificationMethod(id=i, label=label, offered=offered and configured.get(i, True))
                     for i, label, offered in METHODS]
        )

    def ListCertificates(self, request, context):
        _require_simulated_readers(self.id, context)
        cards = self._present_cards(request.rescan)
        blocked = self.id.blocked_cards([c.card_number for c in cards])
        return pb.ListCertificatesResponse(certificates=[
            certificate_proto(c, blocked=c.card_number in blocked, refusal=self._refusal(c)) for c in cards
        ])

    def _present_cards(self, rescan: bool) -> list[CardCertificate]:
        """The cards in the readers; rescanned when asked, or when the last look is older
        than RESCAN_SECONDS (one journey lists them several times)."""
        with self._scan_lock:
            if rescan or time.monotonic() - self._scanned_at > RESCAN_SECONDS:
                self._cards = self.id.readers.list_certificates(rescan=True)
                self._scanned_at = time.monotonic()
                present = {_fingerprint(c) for c in self._cards}  # forget the cards taken out
                self._checked = {k: v for k, v in self._checked.items() if k in present}
            return self._cards

    def _refusal(self, card: CardCertificate) -> int:
        """Why a login with this certificate would be refused (0: it would not), as of at
        most CHECK_SECONDS ago: the trust anchors and CRLs are fixed while the service
        runs, only validity depends on the clock. The try counters, which change with every
        login, are read at each listing instead; and Login checks again, always."""
        key = _fingerprint(card)
        now = time.monotonic()
        checked = self._checked.get(key)
        if checked is None or now - checked[0] > CHECK_SECONDS:
            checked = self._checked[key] = (now, _refusal_of(self.id.certificate_refusal(card)))
        return checked[1]

    def Login(self, request, context):
        _require_simulated_readers(self.id, context)
        try:
            session_id, data = self.id.login(request.card_number, request.pin)
        except Exception as exc:  # noqa: BLE001 (mapped or re-raised by _abort)
            metrics.LOGINS.labels("eid-reader", type(exc).__name__).inc()
            _abort(context, exc)
        metrics.LOGINS.labels("eid-reader", "success").inc()
        log.info("login", extra={"card_number": request.card_number, "session": log_ref(session_id)})
        return pb.LoginResponse(session_id=session_id, session=session_proto(data))

    def GetSession(self, request, context):
        try:
            return session_proto(self.id.sessions.get(request.session_id))
        except SessionNotFound as exc:
            _abort(context, exc)

    def UpdateSessionContext(self, request, context):
        try:
            check_context(request)
            data = self.id.sessions.update(
                request.session_id, entity_id=request.entity_id, quality_id=request.quality_id,
                role=request.role, profiles=list(request.profiles), entity_name=request.entity_name,
            )
        except (SessionNotFound, InvalidInput) as exc:
            _abort(context, exc)
        return session_proto(data)

    def NoteProfilesChanged(self, request, context):
        try:
            check_format("national_register_nr", request.national_register_nr, _NRN, "11 digits")
            check_format("entity_id", request.entity_id, _ENTERPRISE_NUMBER, "10 digits")
        except InvalidInput as exc:
            _abort(context, exc)
        self.id.sessions.note_profiles_changed(request.entity_id, request.national_register_nr)
        return pb.NoteProfilesChangedResponse()

    def WatchSessions(self, request, context):
        return self.watch.stream(context)

    def Logout(self, request, context):
        self.id.logout(request.session_id)
        return pb.LogoutResponse()

    def GetWebEidChallenge(self, request, context):
        _require(self.webeid, context, "Web eID is not configured")
        try:
            challenge = self.webeid.challenge(request.binding)
        except InvalidInput as exc:
            _abort(context, exc)
        return pb.WebEidChallenge(nonce=challenge.nonce, expires_at=_timestamp(challenge.expires_at))

    def LoginWithWebEid(self, request, context):
        _require(self.webeid, context, "Web eID is not configured")
        try:
            session_id, data = self.webeid.login(request.token_json, request.binding)
        except Exception as exc:  # noqa: BLE001 (mapped or re-raised by _abort)
            _abort(context, exc)
        log.info("login", extra={"method": "web-eid", "session": log_ref(session_id)})
        return pb.LoginResponse(session_id=session_id, session=session_proto(data))

    def StartCertificateLogin(self, request, context):
        _require(self.certificate_login, context, "the certificate login is not configured")
        try:
            code = self.certificate_login.start(request.certificate_der, request.binding)
        except InvalidInput as exc:
            _abort(context, exc)
        return pb.CertificateLoginCode(code=code.code, expires_at=_timestamp(code.expires_at))

    def RedeemCertificateLogin(self, request, context):
        _require(self.certificate_login, context, "the certificate login is not configured")
        try:
            session_id, data = self.certificate_login.redeem(request.code, request.binding)
        except Exception as exc:  # noqa: BLE001 (mapped or re-raised by _abort)
            metrics.LOGINS.labels("eid-certificate", type(exc).__name__).inc()
            _abort(context, exc)
        metrics.LOGINS.labels("eid-certificate", "success").inc()
        log.info("login", extra={"method": "eid-certificate", "session": log_ref(session_id)})
        return pb.LoginResponse(session_id=session_id, session=session_proto(data))


@_store_answers
class CardAdminServicer(auth_pb2_grpc.CardAdminServicer):
    def __init__(self, identification: Identification):
        self.id = identification

    def _status(self, card_number: str) -> pb.CardStatus:
        left, blocked = self.id.card_status(card_number)
        return pb.CardStatus(card_number=card_number, pin_tries_left=left, blocked=blocked)

    def GetCardStatus(self, request, context):
        _require_simulated_readers(self.id, context)
        try:
            return self._status(request.card_number)
        except Exception as exc:  # noqa: BLE001 (mapped or re-raised by _abort)
            _abort(context, exc)

    def UnblockCard(self, request, context):
        _require_simulated_readers(self.id, context)
        try:
            self.id.unblock(request.card_number, request.puk, request.new_pin)
        except Exception as exc:  # noqa: BLE001
            _abort(context, exc)
        metrics.CARDS_UNBLOCKED.inc()
        return self._status(request.card_number)
