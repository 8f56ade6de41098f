"""The one place where gRPC client channels are made: a deadline on every call, retries
of UNAVAILABLE with backoff, and the request id sent along as metadata.

Channels are made lazily and once per process: grpcio is not fork-safe with live
channels, and gunicorn forks its workers after loading the app.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from typing import Any, NamedTuple

import grpc

from services.common import logs, tls

# Retries only what is safe to retry: the call never reached the server.
_SERVICE_CONFIG = json.dumps(
    {
        "methodConfig": [
            {
                "name": [{}],
                "retryPolicy": {
                    "maxAttempts": 3,
                    "initialBackoff": "0.05s",
                    "maxBackoff": "0.4s",
                    "backoffMultiplier": 2,
                    "retryableStatusCodes": ["UNAVAILABLE"],
                },
            }
        ]
    }
)


class _CallDetails(NamedTuple):
    method: str
    timeout: float | None
    metadata: Any
    credentials: Any
    wait_for_ready: Any
    compression: Any


class _DeadlineAndRequestId(grpc.UnaryUnaryClientInterceptor):
    def __init__(self, default_timeout: float):
        self.default_timeout = default_timeout

    def intercept_unary_unary(self, continuation, details, request):
        metadata = list(details.metadata or [])
        metadata.append((logs.REQUEST_ID_HEADER, logs.request_id.get()))
        timeout = details.timeout if details.timeout is not None else self.default_timeout
        new = _CallDetails(
            details.method, timeout, metadata, details.credentials,
            details.wait_for_ready, details.compression,
        )
        return continuation(new, request)


_FROM_ENV = object()


def make_channel(target: str, *, timeout: float = 3.0, tls_files=_FROM_ENV) -> grpc.Channel:
    """A channel with mutual TLS when TLS_CA_FILE/TLS_CERT_FILE/TLS_KEY_FILE are set (this
    process's own certificate is its identity), plaintext otherwise."""
    files = tls.files_from_env() if tls_files is _FROM_ENV else tls_files
    options = [("grpc.enable_retries", 1), ("grpc.service_config", _SERVICE_CONFIG)]
    if files is None:
        channel = grpc.insecure_channel(target, options=options)
    else:
        channel = grpc.secure_channel(target, tls.channel_credentials(files), options=options)
    return grpc.intercept_channel(channel, _DeadlineAndRequestId(timeout))


class LazyStub:
    """A stub whose channel is made at first use in each process (after any fork)."""

    def __init__(self, stub_class: Callable[[grpc.Channel], Any], target: str, timeout: float = 3.0):
        self._stub_class = stub_class
        self.target = target
        self._timeout = timeout
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._stub: Any = None

    def get(self) -> Any:
        pid = os.getpid()
        if self._pid != pid:
            with self._lock:
                if self._pid != pid:
                    self._stub = self._stub_class(make_channel(self.target, timeout=self._timeout))
                    self._pid = pid
        return self._stub
