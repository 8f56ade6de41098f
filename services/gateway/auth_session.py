"""The logged-in session as the gateway sees it: an opaque id in a cookie, the data
held by the auth service (kept a few seconds by session_cache.py). A stale or forged
cookie gets the "session ended" page."""

from __future__ import annotations

import functools
import hashlib

import grpc
from flask import after_this_request, current_app, g, make_response, render_template, request

from services.gateway.clients import ServiceError, client, session_cache
from ssp.auth.v1 import auth_pb2 as pb

COOKIE = "ssp_session"
# Names the session's context (entity, quality, role, profiles) as this browser last set
# it. A worker serves a kept copy of the session (session_cache.py) only to a request that
# names the copy's context: never a copy from before a change this browser made through
# another worker, and never to a request with the session cookie alone (a copied cookie
# replayed after logout always goes to auth). Not a secret: a digest bound to the session.
CONTEXT_COOKIE = "ssp_context"


def context_tag(sid: str, session: pb.Session) -> str:
    fields = [sid, session.entity_id, session.quality_id, session.role, *session.profiles]
    return hashlib.sha256("\x1f".join(fields).encode()).hexdigest()[:32]


def _set(response, name: str, value: str) -> None:
    response.set_cookie(name, value, httponly=True, samesite="Lax", path="/",
                        secure=current_app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def opened(response, session_id: str, session: pb.Session) -> None:
    """A new session (auth's answer to a login): its id and its context, none yet, whatever
    the browser held before; kept for the next page (nothing can have changed it before the
    browser has its id)."""
    _set(response, COOKIE, session_id)
    _set(response, CONTEXT_COOKIE, context_tag(session_id, session))
    cache = session_cache()
    cache.put_own(session_id, session, cache.generation())


def clear_cookie(response) -> None:
    for name in (COOKIE, CONTEXT_COOKIE):
        response.delete_cookie(name, path="/", httponly=True, samesite="Lax")


def session_id() -> str:
    return request.cookies.get(COOKIE, "")


def current() -> pb.Session | None:
    """The live session of this request, or None; read once per request."""
    if "ssp_session" not in g:
        sid = session_id()
        g.ssp_session = None
        if sid:
            g.ssp_session = _read(sid)
    return g.ssp_session


def _read(sid: str) -> pb.Session | None:
    cache = session_cache()
    named = request.cookies.get(CONTEXT_COOKIE)
    copy = cache.get(sid) if named else None
    if copy is not None and context_tag(sid, copy) == named:
        return copy
    generation = cache.generation()
    try:
        session = client("auth").GetSession(pb.GetSessionRequest(session_id=sid))
    except ServiceError as exc:
        if exc.code != grpc.StatusCode.NOT_FOUND:
            raise
        return None
    if named:  # a copy is only ever served to a request naming a context
        cache.put(sid, session, generation)
    return session


def update_context(**fields) -> pb.Session:
    """Sets the session's context (UpdateSessionContext) and tells the browser, whose next
    page may be served by another worker before auth's event reaches it."""
    sid = session_id()
    cache = session_cache()
    generation = cache.generation()
    updated = client("auth").UpdateSessionContext(pb.UpdateSessionContextRequest(session_id=sid, **fields))
    cache.put_own(sid, updated, generation)  # for the next page, which names this context
    g.ssp_session = updated
    tag = context_tag(sid, updated)

    @after_this_request
    def remember(response):
        _set(response, CONTEXT_COOKIE, tag)
        return response

    return updated


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
