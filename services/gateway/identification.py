"""Steps 5 to 7 of the journey (identification method, certificate, PIN), logout, and
the first page after login. The auth service does the work; this maps its answers to
pages, in one table."""

from __future__ import annotations

import re

import grpc
from flask import Blueprint, current_app, g, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from services.gateway import auth_session
from services.gateway.clients import ServiceError, client, session_cache
from services.gateway.errors import BadInput
from ssp.auth.v1 import auth_pb2 as pb

bp = Blueprint("identification", __name__)

PIN_FORMAT = re.compile(r"^[0-9]{4,12}$")
SERVICE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")  # a catalogue id, as in the portal contract
CARD_NUMBER_FORMAT = re.compile(r"^[0-9]{12}$")

METHOD_LABELS = {
    "eid-certificate": _l("eID (card in the reader of your computer)"),
    "eid-reader": _l("eID card in a simulated reader (training)"),
    "itsme": _l("itsme"),
    "mobile-app-code": _l("Security code via a mobile app"),
    "sms-code": _l("Security code via SMS"),
    "eidas": _l("European eID (eIDAS)"),
}

# Refusals of the auth service -> what the holder reads. Certificate refusals cost no try.
REFUSAL_MESSAGES = {
    "CERTIFICATE_EXPIRED": _l("The certificate of this card has expired. The card must be renewed at the commune."),
    "CERTIFICATE_NOT_YET_VALID": _l("The certificate of this card is not valid yet. Try again once it is activated."),
    "CERTIFICATE_REVOKED": _l("The certificate of this card has been revoked. Contact your commune."),
    "CERTIFICATE_UNTRUSTED": _l("This card was not issued by an authority the portal trusts."),
    "CERTIFICATE_UNUSABLE": _l("This certificate cannot be used to identify you."),
    "SIGNATURE_INVALID": _l("The card did not prove that it holds the key of its certificate."),
}


def _service_id() -> str:
    return session.get("service", "primaweb")


@bp.get("/identification")
def methods():
    service_id = request.args.get("service", "primaweb")
    if not SERVICE_ID.match(service_id):
        raise BadInput("service", _("lowercase letters, digits and dashes expected."))
    session["service"] = service_id
    listed = client("auth").ListMethods(pb.ListMethodsRequest()).methods
    # The certificate login needs the gateway's side too: the certificate host and its terminator.
    configured = {"eid-certificate": bool(current_app.config["CERTIFICATE_LOGIN_URL"])}
    methods = [(m.id, METHOD_LABELS.get(m.id, m.label), m.offered and configured.get(m.id, True)) for m in listed]
    return render_template("identification/methods.html", methods=methods, service_id=service_id, step=5)


@bp.get("/identification/eid/attention")
def reader_warning():
    """The training's confirmation step: the card must be in the reader before the list is read."""
    return render_template("identification/reader_warning.html", step=5)


@bp.route("/identification/eid", methods=["GET", "POST"])
def certificates():
    looking = request.method == "GET"  # the user looks at the readers: see inserted cards
    found = client("auth").ListCertificates(pb.ListCertificatesRequest(rescan=looking)).certificates
    unusable = {c.card_number: reason for c in found if (reason := _unusable(c))}
    error = None
    if request.method == "POST":
        card = request.form.get("card_number", "")
        if card in unusable:
            error = unusable[card]
        elif CARD_NUMBER_FORMAT.match(card) and any(c.card_number == card for c in found):
            session["card_number"] = card
            return redirect(url_for(".pin"))
        else:
            error = _l("Choose one of the certificates listed.")
    return render_template("identification/certificates.html", certificates=found, unusable=unusable,
                           usable=len(found) - len(unusable), error=error, step=6), 400 if error else 200


def _unusable(certificate: pb.Certificate):
    """Why no PIN should be asked for this card (blocked, or a certificate auth refuses), or None."""
    if certificate.blocked:
        return _l("This card is blocked after three wrong PINs in a row. Only your commune can unblock it, "
                  "with the PUK code you received with the card.")
    if certificate.refusal:
        return REFUSAL_MESSAGES.get(pb.Refusal.Name(certificate.refusal),
                                    _l("This card cannot be used to identify you."))
    return None


@bp.route("/identification/eid/pin", methods=["GET", "POST"])
def pin():
    card_number = session.get("card_number")
    if not card_number:
        return redirect(url_for(".certificates"))
    entered = request.form.get("pin", "")
    if request.method == "POST" and PIN_FORMAT.match(entered):
        # Login itself finds the card (or says it is gone): the list is read only for a page
        # that shows the certificate, which a successful login does not.
        try:
            reply = client("auth").Login(pb.LoginRequest(card_number=card_number, pin=entered))
        except ServiceError as exc:
            return _refused(exc, card_number)
        return _logged_in(reply)
    certificate = _certificate(card_number)
    if certificate is None:
        return _card_missing()
    if request.method == "GET":
        return render_template("identification/pin.html", certificate=certificate, step=7)
    return _pin_form(certificate, _l("The PIN is made of 4 to 12 digits."), 400)


def _certificate(card_number: str) -> pb.Certificate | None:
    found = client("auth").ListCertificates(pb.ListCertificatesRequest()).certificates
    return next((c for c in found if c.card_number == card_number), None)


def _card_missing():
    return render_template("identification/card_missing.html", step=7), 409


def _pin_form(certificate, error, status):
    return render_template("identification/pin.html", certificate=certificate, error=error, step=7), status


def _refused(exc: ServiceError, card_number: str):
    if exc.code == grpc.StatusCode.NOT_FOUND:
        return _card_missing()
    if exc.code != grpc.StatusCode.FAILED_PRECONDITION:
        raise exc
    certificate = _certificate(card_number)
    if certificate is None:  # taken out of the reader since
        return _card_missing()
    refusal = exc.metadata.get("ssp-refusal", "")
    if refusal == "PIN_INCORRECT":
        left = int(exc.metadata.get("ssp-tries-left", "0"))
        return _pin_form(certificate, _l("Incorrect PIN. Tries left: %(left)d.", left=left), 401)
    if refusal in ("CARD_BLOCKED", "CARD_BLOCKED_NOW"):
        return render_template("identification/blocked.html", certificate=certificate,
                               just_now=refusal == "CARD_BLOCKED_NOW", step=7), 403
    message = REFUSAL_MESSAGES.get(refusal, _l("This card cannot be used to identify you."))
    return render_template("identification/refused.html", certificate=certificate, message=message,
                           step=7), 403


def _logged_in(reply: pb.LoginResponse):
    service_id = _service_id()
    session.clear()  # new CSRF token and nothing from before login (no fixation)
    session["service"] = service_id
    response = make_response(redirect(url_for("entities.choose")))
    auth_session.opened(response, reply.session_id, reply.session)
    return response


@bp.post("/deconnexion")
def logout():
    session_id = request.cookies.get(auth_session.COOKIE, "")
    if session_id:
        client("auth").Logout(pb.LogoutRequest(session_id=session_id))
        session_cache().forget(session_id)
    g.ssp_session = None  # ended: the page says nobody is connected without asking auth again
    session.clear()
    response = make_response(render_template("identification/logged_out.html"))
    auth_session.clear_cookie(response)
    return response
