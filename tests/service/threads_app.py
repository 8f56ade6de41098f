"""A WSGI app for tests/service/test_gateway_worker.py: which process and thread answered,
and a slow page."""

from __future__ import annotations

import os
import threading
import time


def app(environ, start_response):
    if environ["PATH_INFO"] == "/slow":
        time.sleep(0.3)
    body = f"{os.getpid()}:{threading.get_ident()}".encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
