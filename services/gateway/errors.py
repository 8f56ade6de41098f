"""From failures to pages: one table mapping gRPC statuses to HTTP pages, never a stack
trace. The 503 page names the part of the system that did not answer."""

from __future__ import annotations

import logging

import grpc
from flask import Flask, g, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from services.gateway import auth_session
from services.gateway.clients import ServiceError

log = logging.getLogger(__name__)

PART_NAMES = {
    "portal": _l("the portal catalogue"),
    "auth": _l("the identification service"),
    "roles": _l("the roles and access service"),
    "primaweb": _l("PrimaWeb"),
}

_STATUS_TO_HTTP = {
    grpc.StatusCode.NOT_FOUND: 404,
    grpc.StatusCode.INVALID_ARGUMENT: 400,
    grpc.StatusCode.UNAVAILABLE: 503,
    grpc.StatusCode.DEADLINE_EXCEEDED: 503,
    grpc.StatusCode.RESOURCE_EXHAUSTED: 503,  # a service out of threads or memory: try again
    grpc.StatusCode.ABORTED: 503,
    grpc.StatusCode.CANCELLED: 503,
    grpc.StatusCode.UNIMPLEMENTED: 501,
    grpc.StatusCode.PERMISSION_DENIED: 403,
}


class BadInput(Exception):
    """A value of the address or of a form that the portal cannot accept, said next to
    the field's name on the 400 page (views raise it; see `whole_number`)."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1


def whole_number(text: str, field: str, minimum: int = 0, maximum: int = INT32_MAX) -> int:
    """A whole number of a form or an address within the range of the field it fills (a
    proto int32 by default); anything else is BadInput naming the field."""
    text = text.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 19) or not minimum <= int(text) <= maximum:
        raise BadInput(field, _("a whole number from %(minimum)s to %(maximum)s is expected.",
                                minimum=minimum, maximum=maximum))
    return int(text)


def render_error(status: int, part: str | None = None, detail: str | None = None):
    """The error page; when the identification service fails too, without the session's
    header (the page must render whatever is down)."""
    try:
        auth_session.current()
    except ServiceError:
        g.ssp_session = None
    return render_template("error.html", status=status, part=PART_NAMES.get(part or ""), detail=detail), status


def install(app: Flask) -> None:
    @app.errorhandler(ServiceError)
    def service_error(exc: ServiceError):
        status = _STATUS_TO_HTTP.get(exc.code, 500)
        level = logging.WARNING if status in (503, 500) else logging.INFO
        log.log(level, "service_error", extra={"part": exc.part, "code": exc.code.name, "status": status})
        return render_error(status, exc.part)

    @app.errorhandler(BadInput)
    def bad_input(exc: BadInput):
        log.info("bad_input", extra={"field": exc.field})
        return render_error(400, detail=str(exc))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return render_error(exc.code or 500)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unexpected_error")
        return render_error(500)
