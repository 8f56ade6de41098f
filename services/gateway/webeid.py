"""Identification with Web eID: the eID card in the person's *own* reader, through the Web
eID browser extension and native application (the other path, `identification.py`, uses
the readers of the machine the portal runs on).

The page (`webeid.html` + `static/webeid.js`) talks to the extension with the Web eID
page-to-extension message protocol; the gateway only does three things:

1. `GET /identification/web-eid`: the page, with the translated messages of every case
   the script may meet (the script holds no user text) and the form the token goes in.
2. `POST /identification/web-eid/challenge` (CSRF token in the X-CSRFToken header): a
   challenge nonce from the auth service, bound to this browser's pre-login session: a
   random *binding* (32 bytes, urlsafe base64) kept in the Flask session and passed to
   auth as `binding`. One live challenge per binding; asking again replaces it.
3. `POST /identification/web-eid`: the token, as the server-rendered form field the script
   filled. Refused *before the body is parsed* when larger than MAX_BODY_BYTES (413, a
   clear page), then CSRF-checked, then sent to auth with the same binding. Success opens the
   session exactly as the PKCS#11 path does (`identification._logged_in`); each refusal
   has its message. The origin the card signed for is checked by auth (WEBEID_ORIGIN).

CSRF. Flask-WTF checks every POST in a before_request hook, which reads the form, i.e. the
whole body. The login view is exempted from that hook and calls the very same check
(`CSRFProtect.protect()`) itself, right after the size check, so an oversize body is
refused without being parsed and a form without the CSRF token still never reaches auth.
"""

from __future__ import annotations

import secrets

import grpc
from flask import Blueprint, current_app, jsonify, render_template, request, session
from flask_babel import lazy_gettext as _l

from services.gateway.clients import ServiceError, client
from services.gateway.errors import render_error
from services.gateway.identification import REFUSAL_MESSAGES, _logged_in
from ssp.auth.v1 import auth_pb2 as pb

bp = Blueprint("webeid", __name__)

METHOD_ID = "web-eid"
BINDING_KEY = "webeid_binding"
ANSWER_FIELD = "webeid_token"  # the form field the script puts the token in
# A Web eID token is ~3 KB (auth refuses more than 10,000 characters); form-encoded it
# grows a little. Anything above this is not a token and is refused at the gateway.
MAX_BODY_BYTES = 12 * 1024
STEP = 6  # the Web eID application asks for the certificate and the PIN itself

# What the script shows, by case: the script maps the protocol's error codes to these keys.
SCRIPT_MESSAGES = {
    "checking": _l("Looking for the Web eID extension in this browser…"),
    "ready": _l("Web eID is ready. Insert your eID card in your card reader, then log in."),
    "working": _l("Follow the Web eID window: choose your certificate, then enter your PIN."),
    "extension_missing": _l("The Web eID extension is not installed or not enabled in this browser."),
    "native_missing": _l("The Web eID extension is installed, but the Web eID application is missing. "
                         "Install the Web eID application, then reload this page."),
    "update": _l("Your Web eID extension or application is too old. Update Web eID, then reload this page."),
    "cancelled": _l("You cancelled the Web eID login. You can try again when you are ready."),
    "timeout": _l("The time to insert your card and enter your PIN ran out. Please try again."),
    "card": _l("The Web eID application could not read your card. Check that the card reader is connected "
               "and that your eID card is inserted, then try again."),
    "insecure": _l("Web eID only works when the portal is opened at its secure (https) address."),
    "pending": _l("A Web eID login is already in progress: finish it in the Web eID window."),
    "server": _l("The portal could not start the Web eID login. Please try again in a moment."),
    "unknown": _l("Web eID reported an unexpected problem. Please try again."),
}

_UNREADABLE = _l("The answer of the Web eID application could not be read. Please try again; "
                 "if it happens again, update Web eID.")
_NOT_CONFIRMED = _l("The validity of your certificate could not be confirmed. Please try again later.")
_ALGORITHM = _l("The Web eID application signed in a way the portal does not accept. "
                "Update Web eID, then try again.")

# Refusals of LoginWithWebEid (the auth contract's Refusal names) -> what the holder reads.
# The certificate refusals shared with the card-reader path keep that path's messages.
WEBEID_REFUSAL_MESSAGES = {
    **REFUSAL_MESSAGES,
    "CHALLENGE_MISSING": _l("This Web eID login was already used, or replaced by a newer one (in another tab, "
                            "for instance). Please try again."),
    "CHALLENGE_EXPIRED": _l("This Web eID login took more than 5 minutes. Please try again."),
    "TOKEN_SIZE": _UNREADABLE,
    "TOKEN_MALFORMED": _UNREADABLE,
    "TOKEN_FORMAT_UNSUPPORTED": _UNREADABLE,
    "CERTIFICATE_MALFORMED": _UNREADABLE,
    "CERTIFICATE_POLICY_DISALLOWED": _l("This certificate may not be used to log in to the portal."),
    "OCSP_UNAVAILABLE": _l("The validity of your certificate cannot be checked at the moment. "
                           "Please try again in a few minutes."),
    "OCSP_RESPONSE_INVALID": _NOT_CONFIRMED,
    "OCSP_NONCE_MISMATCH": _NOT_CONFIRMED,
    "ALGORITHM_UNSUPPORTED": _ALGORITHM,
    "ALGORITHM_MISMATCH": _ALGORITHM,
    "CERTIFICATE_LOCKED": _l("Too many failed Web eID logins with this certificate: it is locked for Web eID "
                             "for a while. Try again later, or use another identification method."),
    "CERTIFICATE_LOCKED_NOW": _l("This was the last failed try allowed: this certificate is now locked for "
                                 "Web eID for a while. Try again later, or use another identification method."),
}


@bp.record_once
def _check_csrf_in_the_view(state) -> None:
    """The login view checks CSRF itself, after the size check (see the module doc)."""
    state.app.extensions["csrf"].exempt(login)


def _offered() -> bool:
    methods = client("auth").ListMethods(pb.ListMethodsRequest()).methods
    return any(m.id == METHOD_ID and m.offered for m in methods)


def _page(error=None, status: int = 200):
    return render_template(
        "identification/webeid.html", step=STEP, error=error,
        messages={key: str(text) for key, text in SCRIPT_MESSAGES.items()},
        token_field=ANSWER_FIELD,
    ), status


@bp.get("/identification/web-eid")
def page():
    if not _offered():
        return render_error(501)
    return _page()


@bp.post("/identification/web-eid/challenge")
def challenge():
    """A fresh nonce for the script, bound to this browser (CSRF-checked by the app hook)."""
    binding = session.get(BINDING_KEY)
    if not binding:
        binding = session[BINDING_KEY] = secrets.token_urlsafe(32)
    issued = client("auth").GetWebEidChallenge(pb.GetWebEidChallengeRequest(binding=binding))
    response = jsonify(nonce=issued.nonce, expires_at=issued.expires_at.ToJsonString())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/identification/web-eid")
def login():
    size = request.content_length
    if size is None or size > MAX_BODY_BYTES:
        # Refused by its Content-Length, before anything parses the body (the CSRF check included).
        return _page(_l("The answer received is too large to be a Web eID login (more than %(limit)d KB). "
                        "Please try again.", limit=MAX_BODY_BYTES // 1024), 413)
    current_app.extensions["csrf"].protect()  # raises CSRFError (400), as the app hook would
    token = request.form.get(ANSWER_FIELD, "")
    binding = session.get(BINDING_KEY, "")
    if not token:
        return _page(_l("No answer from Web eID was received. Please try again."), 400)
    if not binding:  # no challenge was ever asked from this browser
        return _page(WEBEID_REFUSAL_MESSAGES["CHALLENGE_MISSING"], 403)
    try:
        reply = client("auth").LoginWithWebEid(pb.LoginWithWebEidRequest(token_json=token, binding=binding))
    except ServiceError as exc:
        return _refused(exc)
    return _logged_in(reply)


def _refused(exc: ServiceError):
    if exc.code != grpc.StatusCode.FAILED_PRECONDITION:
        raise exc
    refusal = exc.metadata.get("ssp-refusal", "")
    if refusal == "SIGNATURE_INVALID":
        left = int(exc.metadata.get("ssp-tries-left", "0"))
        message = _l("The signature of your card could not be verified for this login. Make sure you opened the "
                     "portal at its usual address, then try again. Tries left before this certificate is locked "
                     "for a while: %(left)d.", left=left)
    else:
        message = WEBEID_REFUSAL_MESSAGES.get(refusal, _l("This card cannot be used to identify you."))
    return _page(message, 403)
