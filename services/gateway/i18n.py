"""Language of the pages: French by default; NL, DE and EN chosen by the user and kept
in a cookie. The same code is passed to the services for the catalogue's labels."""

from __future__ import annotations

import contextvars
from urllib.parse import urlencode

from flask import Flask, request
from flask_babel import get_locale, get_translations
from markupsafe import Markup

LANGUAGES = ("fr", "nl", "de", "en")
DEFAULT = "fr"
COOKIE = "lang"
LANGUAGE_NAMES = {"fr": "Français", "nl": "Nederlands", "de": "Deutsch", "en": "English"}


def select_locale() -> str:
    chosen = request.args.get("lang") or request.cookies.get(COOKIE)
    return chosen if chosen in LANGUAGES else DEFAULT


def url_for_language(code: str) -> str:
    """The current page in another language (other query arguments kept).

    A query-only reference ("?lang=nl"): the browser resolves it against the page's own
    address, so it can never lead off the origin, whatever the path holds (a path such as
    `/\\evil.example` written back as an href is read as `//evil.example` by browsers)."""
    if not request.args:  # most pages: three links a page, no arguments to keep
        return f"?lang={code}"
    args = request.args.to_dict()
    args["lang"] = code
    return f"?{urlencode(args)}"


# The request's translations, looked up once per request. Flask-Babel's own template
# callables look them up again for every {{ _("...") }} (~13 µs each, through several
# context-local proxies): with dozens of texts a page, that was a large part of a page's
# CPU. Reset after each request, so a thread never lends one request's language to the next.
_translations: contextvars.ContextVar = contextvars.ContextVar("translations", default=None)
_language: contextvars.ContextVar[str] = contextvars.ContextVar("language", default="")


def _current():
    return _translations.get() or get_translations()


def language() -> str:
    """The request's language code ("fr"), looked up once per request like its translations."""
    return _language.get() or str(get_locale())


def template_gettext(string: str, **variables) -> Markup:
    """`{{ _("...") }}`: what Jinja's newstyle gettext does in an HTML template (the
    translation is markup, the variables are escaped into it), in one plain call instead of
    two of Jinja's context calls and two lookups of the translations: ~15 texts a page."""
    # The catalogue is ours (reviewed .po files), as trusted as the templates themselves.
    translated = Markup(_current().ugettext(string))  # noqa: S704
    # Most texts have no variables and no "%": formatting them would only copy them.
    return translated % variables if variables or "%" in translated else translated


def install_template_gettext(app: Flask) -> None:
    """Template gettext bound to the request's translations (same newstyle behaviour)."""

    def remember() -> None:
        _translations.set(get_translations())
        _language.set(str(get_locale()))

    def forget(_exc=None) -> None:
        _translations.set(None)
        _language.set("")

    app.before_request_funcs.setdefault(None, []).insert(0, remember)  # first: error pages too
    app.teardown_request(forget)
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _current().ugettext(s),
        ngettext=lambda s, p, n: _current().ungettext(s, p, n),
        pgettext=lambda c, s: _current().upgettext(c, s),
        npgettext=lambda c, s, p, n: _current().unpgettext(c, s, p, n),
        newstyle=True,
    )
    # Every template is HTML (autoescaped): `_` may skip the newstyle wrapper's check.
    app.jinja_env.globals["_"] = template_gettext
