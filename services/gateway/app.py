"""The gateway's Flask app factory: `create_app()` is what gunicorn loads."""

from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, abort, g, request
from flask_babel import Babel
from flask_wtf.csrf import CSRFProtect
from prometheus_client import Counter, Histogram
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import BaseConverter

from services.common import config, logs
from services.gateway import (
    auth_session,
    certificate_login,
    clients,
    entities,
    errors,
    grammar,
    host_header,
    i18n,
    identification,
    labels,
    moments,
    primaweb,
    public,
)
from services.gateway.files import bp as files_bp
from services.gateway.settings import Settings
from services.gateway.terminator import TerminatorOnly
from services.gateway.webeid import bp as webeid_bp

log = logging.getLogger("gateway.access")
HTTP_REQUESTS = Counter("gateway_http_requests_total", "HTTP requests by route and status", ["route", "status"])
HTTP_SECONDS = Histogram("gateway_http_request_seconds", "Time to answer an HTTP request", ["route"],
                         buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0))
_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")

# No script, style or font from anywhere but the gateway itself.
_SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def _behind_session(response) -> bool:
    """Whether the answer was made for a logged-in session: the request carries the session
    cookie, or the answer sets or clears it (login, logout)."""
    cookie = auth_session.COOKIE + "="
    return bool(request.cookies.get(auth_session.COOKIE)) or any(
        value.startswith(cookie) for value in response.headers.getlist("Set-Cookie"))


class IdConverter(BaseConverter):
    """Catalogue ids in URLs: anything else is a 404 before any service is called."""

    regex = r"[a-z0-9][a-z0-9-]{0,63}"


def create_app(settings: Settings | None = None) -> Flask:
    logs.setup("gateway", config.env_str("LOG_LEVEL", "INFO"))
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        WTF_CSRF_TIME_LIMIT=3600,
        CERTIFICATE_LOGIN_URL=settings.certificate_login_url,
        GATEWAY_PUBLIC_URL=settings.public_url,
    )
    app.wsgi_app = host_header.HostCheck(app.wsgi_app)  # type: ignore[method-assign]
    if settings.trusted_proxies:
        # Behind TLS-terminating proxies: request.is_secure then sees the browser's https.
        n = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]
    # The client-certificate header is believed only from the TLS terminator's listener.
    app.wsgi_app = TerminatorOnly(app.wsgi_app, settings.terminator_bind)  # type: ignore[method-assign]
    app.url_map.converters["id"] = IdConverter
    app.add_template_filter(moments.moment, "moment")
    Babel(app, locale_selector=i18n.select_locale)
    i18n.install_template_gettext(app)
    CSRFProtect(app)
    clients.install(app, settings)
    errors.install(app)
    app.register_blueprint(public.bp)
    app.register_blueprint(identification.bp)
    app.register_blueprint(webeid_bp)
    app.register_blueprint(certificate_login.bp)
    app.register_blueprint(entities.bp)
    app.register_blueprint(primaweb.bp)
    app.register_blueprint(files_bp)

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    @app.before_request
    def start_request():
        incoming = request.headers.get("X-Request-Id", "")
        g.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        g.started = time.perf_counter()
        logs.request_id.set(g.request_id)
        if request.environ.get(host_header.REFUSED):
            abort(400)

    @app.after_request
    def finish_request(response):
        chosen = request.args.get("lang")
        if chosen in i18n.LANGUAGES:
            response.set_cookie(
                i18n.COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax",
                secure=settings.secure_cookies, httponly=True,
            )
        response.headers.update(_SECURITY_HEADERS)
        if request.endpoint != "static" and _behind_session(response):
            # National register numbers, files, names: never kept by a browser or a proxy.
            response.headers["Cache-Control"] = "no-store"
        response.headers["X-Request-Id"] = g.get("request_id", "")
        if request.endpoint not in ("healthz", "static"):
            route = request.url_rule.rule if request.url_rule else "unmatched"
            elapsed = time.perf_counter() - g.get("started", time.perf_counter())
            HTTP_REQUESTS.labels(route, str(response.status_code)).inc()
            HTTP_SECONDS.labels(route).observe(elapsed)
            log.info("http_request", extra={"method": request.method, "route": route,
                                            "status": response.status_code, "ms": round(elapsed * 1000, 2)})
        return response

    @app.context_processor
    def page_globals():
        return {
            "languages": i18n.LANGUAGE_NAMES,
            "current_language": i18n.language(),
            "url_for_language": i18n.url_for_language,
            "connected_session": auth_session.current,
            "role_label": labels.role_label,
            "quality_label": labels.quality_label,
            "of": grammar.of,
            "of_entity": grammar.of_entity,
        }

    return app
