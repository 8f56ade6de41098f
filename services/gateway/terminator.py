"""Which requests came through the TLS terminator of the certificate login, and the client
certificate it passed on.

The terminator (nginx locally, ingress-nginx in Kubernetes) requests a client certificate
on the certificate host and sends it in the `ssl-client-cert` header, URL-escaped PEM
(ingress-nginx's name and format). Anybody can write that header, so the gateway believes
it only on connections that arrived on the terminator's own listener
(GATEWAY_TERMINATOR_BIND, one of gunicorn's binds: a private unix socket locally, a port
that only the ingress controller may reach in Kubernetes). On every other connection the
header is removed before any view runs.

The listener is told by the connection's local address (gunicorn hands the socket to the
app as `gunicorn.socket`), not by anything in the request.
"""

from __future__ import annotations

import ssl
import urllib.parse

HEADER = "HTTP_SSL_CLIENT_CERT"  # WSGI name of the ssl-client-cert header
FROM_TERMINATOR = "ssp.from_terminator"


def _listener(bind: str) -> str | int | None:
    """The socket path (unix:...) or the port of a gunicorn bind; None when unset."""
    if not bind:
        return None
    if bind.startswith("unix:"):
        return bind[len("unix:"):]
    return int(bind.rsplit(":", 1)[-1])


class TerminatorOnly:
    """WSGI middleware: marks requests from the terminator's listener, strips the header
    from all others."""

    def __init__(self, app, bind: str):
        self.app = app
        self.listener = _listener(bind)

    def _arrived_on_listener(self, environ) -> bool:
        sock = environ.get("gunicorn.socket")
        if self.listener is None or sock is None:
            return False
        try:
            local = sock.getsockname()
        except OSError:
            return False
        if isinstance(self.listener, str):
            return local == self.listener
        return isinstance(local, tuple) and local[1] == self.listener

    def __call__(self, environ, start_response):
        environ[FROM_TERMINATOR] = self._arrived_on_listener(environ)
        if not environ[FROM_TERMINATOR]:
            environ.pop(HEADER, None)
        return self.app(environ, start_response)


def client_certificate_der(environ) -> bytes | None:
    """The certificate the browser presented (DER), None when it presented none. Bytes that
    are no PEM certificate are passed on as they are: the auth service judges them."""
    escaped = environ.get(HEADER, "") if environ.get(FROM_TERMINATOR) else ""
    if not escaped:
        return None
    pem = urllib.parse.unquote(escaped)
    try:
        return ssl.PEM_cert_to_DER_cert(pem.strip())
    except ValueError:
        return pem.encode("utf-8", "replace")
