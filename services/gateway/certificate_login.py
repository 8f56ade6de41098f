"""Identification with the eID card in the reader of the person's own computer, by TLS client
authentication: the browser's certificate dialog, then the eID middleware's PIN dialog.

1. `GET /identification/certificat` (main origin): what will happen, and a button to a fresh
   certificate host, `CERTIFICATE_LOGIN_URL` with a new label for `{attempt}` (browsers
   remember the certificate chosen for a host: a new host asks again). The link carries the
   binding kept in this browser's pre-login session (made here, random).
2. `GET /identification/certificat/tls?binding=…` (certificate host, through the TLS
   terminator only): the certificate the browser presented goes to the auth service, which
   answers a one-time code whatever the outcome; the browser is sent back to the main origin
   with it (never a session id in a URL). No certificate: back with `absent=1`.
3. `GET /identification/certificat/retour?code=…` (main origin): the code is redeemed with
   this browser's binding: a session opens as on the other paths, or the refusal is told in
   the person's language, with a button to try again on a fresh host. Nothing costs a try.
"""

from __future__ import annotations

import re
import secrets
import urllib.parse

import grpc
from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l

from services.gateway import terminator
from services.gateway.clients import ServiceError, client
from services.gateway.errors import render_error
from services.gateway.identification import REFUSAL_MESSAGES, _logged_in
from services.gateway.webeid import WEBEID_REFUSAL_MESSAGES
from ssp.auth.v1 import auth_pb2 as pb

bp = Blueprint("certificate_login", __name__)

METHOD_ID = "eid-certificate"
BINDING_KEY = "certificate_binding"
BINDING = re.compile(r"^[A-Za-z0-9_-]{43}$")
CODE = re.compile(r"^[A-Za-z0-9_-]{43}$")
STEP = 6  # the browser's certificate dialog, then the middleware's PIN dialog

_CODE_MISSING = _l("This login took too long, was already used, or was started in another browser. "
                   "Please start again.")
# Refusals of RedeemCertificateLogin -> what the holder reads; the certificate refusals keep
# the wording of the other paths, those that name a card reader or Web eID get their own.
REFUSALS = {
    **{name: WEBEID_REFUSAL_MESSAGES[name] for name in (
        "CERTIFICATE_POLICY_DISALLOWED", "OCSP_UNAVAILABLE", "OCSP_RESPONSE_INVALID", "OCSP_NONCE_MISMATCH")},
    **REFUSAL_MESSAGES,
    "CERTIFICATE_UNUSABLE": _l("The certificate chosen is not the authentication certificate of an eID card. "
                               "Choose the certificate whose name ends with “(Authentication)”."),
    "CERTIFICATE_MALFORMED": _l("Your browser sent a certificate that could not be read."),
    "LOGIN_CODE_MISSING": _CODE_MISSING,
}


def offered() -> bool:
    return bool(current_app.config["CERTIFICATE_LOGIN_URL"])


def _attempt_url() -> str:
    """The certificate host for a new attempt, with this browser's binding."""
    binding = session.get(BINDING_KEY)
    if not binding:
        binding = session[BINDING_KEY] = secrets.token_urlsafe(32)
    base = current_app.config["CERTIFICATE_LOGIN_URL"].replace("{attempt}", secrets.token_hex(6))
    return f"{base}{url_for('.handshake')}?{urllib.parse.urlencode({'binding': binding})}"


def _again(template: str, status: int, **context):
    return render_template(template, step=STEP, attempt_url=_attempt_url(), **context), status


@bp.before_app_request
def _terminator_serves_the_handshake_only():
    """Through the TLS terminator, the handshake's landing page and nothing else: the
    certificate host is no second door to the portal."""
    if request.environ.get(terminator.FROM_TERMINATOR) and request.endpoint != "certificate_login.handshake":
        return render_error(404)
    return None


@bp.get("/identification/certificat")
def explain():
    if not offered():
        return render_error(501)
    return _again("identification/certificate_login.html", 200)


@bp.get("/identification/certificat/tls")
def handshake():
    if not request.environ.get(terminator.FROM_TERMINATOR):
        # Straight to the gateway: nobody proved anything with a key here.
        return render_error(403)
    back = f"{current_app.config['GATEWAY_PUBLIC_URL']}{url_for('.back')}"
    certificate = terminator.client_certificate_der(request.environ)
    binding = request.args.get("binding", "")
    if certificate is None:
        return redirect(f"{back}?absent=1", 303)
    if not BINDING.match(binding):
        return redirect(f"{back}?code=", 303)  # told "start again" on the main origin
    issued = client("auth").StartCertificateLogin(
        pb.StartCertificateLoginRequest(certificate_der=certificate, binding=binding))
    return redirect(f"{back}?{urllib.parse.urlencode({'code': issued.code})}", 303)


@bp.get("/identification/certificat/retour")
def back():
    if request.args.get("absent"):
        return _again("identification/certificate_missing.html", 400)
    code, binding = request.args.get("code", ""), session.get(BINDING_KEY, "")
    if not (CODE.match(code) and binding):
        return _again("identification/certificate_refused.html", 403, message=_CODE_MISSING)
    try:
        reply = client("auth").RedeemCertificateLogin(pb.RedeemCertificateLoginRequest(code=code, binding=binding))
    except ServiceError as exc:
        if exc.code != grpc.StatusCode.FAILED_PRECONDITION:
            raise
        refusal = exc.metadata.get("ssp-refusal", "")
        message = REFUSALS.get(refusal, _l("This certificate cannot be used to identify you."))
        return _again("identification/certificate_refused.html", 403, message=message)
    return _logged_in(reply)
