"""The Host header, checked before Flask reads it.

Flask cannot build any URL for a request whose Host it finds invalid (`a..b`), so even its
400 page failed and gunicorn answered a bare 500 without the security headers. This WSGI
layer refuses such a Host the portal's way: the header is replaced by the server's own
address (so the pages can be built) and the request is marked for the 400 page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

REFUSED = "ssp.host_refused"

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_VALID_HOST = re.compile(rf"^(?:{_LABEL}(?:\.{_LABEL})*\.?|\[[0-9A-Fa-f:.]+\])(?::[0-9]{{1,5}})?$")


def host_is_valid(host: str) -> bool:
    """A DNS name (labels of letters, digits, inner dashes), an IPv4 or a bracketed IPv6
    address, an optional port: what a browser can send."""
    return len(host) <= 255 and bool(_VALID_HOST.match(host))


class HostCheck:
    def __init__(self, app: Callable[..., Iterable[bytes]]):
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response):
        host = environ.get("HTTP_HOST")
        if host is not None and not host_is_valid(host):
            environ[REFUSED] = True
            environ["HTTP_HOST"] = f"{environ.get('SERVER_NAME', 'localhost')}:{environ.get('SERVER_PORT', '80')}"
        return self.app(environ, start_response)
