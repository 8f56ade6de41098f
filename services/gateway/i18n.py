"""Language of the pages: French by default; NL, DE and EN chosen by the user and kept
in a cookie. The same code is passed to the services for the catalogue's labels."""

from __future__ import annotations

from flask import request

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
    from urllib.parse import urlencode

    args = request.args.to_dict()
    args["lang"] = code
    return f"?{urlencode(args)}"
