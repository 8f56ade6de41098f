"""The logged-in session as the gateway sees it: an opaque id in a cookie, the data
held by the auth service. A stale or forged cookie gets the "session ended" page."""

from __future__ import annotations

import functools

import grpc
from flask import current_app, g, make_response, render_template, request

from services.gateway.clients import ServiceError, client
from ssp.auth.v1 import auth_pb2 as pb

COOKIE = "ssp_session"


def set_cookie(response, session_id: str) -> None:
    response.set_cookie(
        COOKIE, session_id, httponly=True, samesite="Lax", path="/",
        secure=current_app.config["SESSION_COOKIE_SECURE"] or request.is_secure,
    )


def clear_cookie(response) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="Lax")


def session_id() -> str:
    return request.cookies.get(COOKIE, "")


def current() -> pb.Session | None:
    """The live session of this request, or None; read once per request."""
    if "ssp_session" not in g:
        sid = session_id()
        g.ssp_session = None
        if sid:
            try:
                g.ssp_session = client("auth").GetSession(pb.GetSessionRequest(session_id=sid))
            except ServiceError as exc:
                if exc.code != grpc.StatusCode.NOT_FOUND:
                    raise
    return g.ssp_session


def login_required(view):
    """Pages after login: without a live session, a page that says why (never connected, or
    the session ended) and offers to log in, at the same address; a stale cookie is dropped."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if current() is None:
            expired = bool(request.cookies.get(COOKIE))
            response = make_response(render_template("identification/login_needed.html", expired=expired), 401)
            if expired:
                clear_cookie(response)
            return response
        return view(*args, **kwargs)

    return wrapper
