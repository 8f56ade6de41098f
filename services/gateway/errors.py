"""From failures to pages: one table mapping gRPC statuses to HTTP pages, never a stack
trace. The 503 page names the part of the system that did not answer."""

from __future__ import annotations

import logging

import grpc
from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

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
    grpc.StatusCode.UNIMPLEMENTED: 501,
    grpc.StatusCode.PERMISSION_DENIED: 403,
}


def render_error(status: int, part: str | None = None):
    return render_template("error.html", status=status, part=PART_NAMES.get(part or "")), status


def install(app: Flask) -> None:
    @app.errorhandler(ServiceError)
    def service_error(exc: ServiceError):
        status = _STATUS_TO_HTTP.get(exc.code, 500)
        level = logging.WARNING if status in (503, 500) else logging.INFO
        log.log(level, "service_error", extra={"part": exc.part, "code": exc.code.name, "status": status})
        return render_error(status, exc.part)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return render_error(exc.code or 500)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unexpected_error")
        return render_error(500)
