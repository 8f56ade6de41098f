"""The gateway's gRPC clients, one lazily made channel per service and worker process.

A failed call comes out as ServiceError naming the part of the system that answered,
so the error pages can say which part is unavailable.

A stalled service must not take the gateway down: every call has a deadline, and each
part may hold at most `calls_per_service` of a worker's threads at once (a bulkhead). A
call that finds no free place within WAIT_FOR_PLACE seconds is UNAVAILABLE at once (the
503 page naming the part), so the other threads stay free for /healthz, the public pages
and the parts that answer.

Answers that cannot change while the answering service runs (FIXED_ANSWERS: the portal's
catalogue, read from files at its start; auth's identification methods, its settings) are
kept by each worker for `catalogue_cache_seconds`: a journey's public pages then make no call.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import grpc
from flask import Flask, current_app

from services.common.grpc_channels import LazyStub
from services.gateway.session_cache import SessionCache
from services.gateway.settings import Settings
from ssp.auth.v1 import auth_pb2_grpc
from ssp.portal.v1 import portal_pb2_grpc
from ssp.primaweb.v1 import primaweb_pb2_grpc
from ssp.roles.v1 import roles_pb2_grpc


class ServiceError(Exception):
    def __init__(self, part: str, code: grpc.StatusCode, details: str, metadata: dict[str, str] | None = None):
        super().__init__(f"{part}: {code.name}: {details}")
        self.part = part
        self.code = code
        self.details = details
        self.metadata = metadata or {}  # the status's trailing metadata, e.g. a refusal reason


WAIT_FOR_PLACE = 0.5
FIXED_ANSWERS = {
    "portal": frozenset({"ListAudiences", "GetAudience", "GetSector", "GetQuality", "GetOnlineService"}),
    "auth": frozenset({"ListMethods"}),
}
MAX_KEPT = 1024  # answers a worker keeps per part; all dropped when full (ids are checked at the edge)


def _copy(message):
    fresh = type(message)()
    fresh.CopyFrom(message)
    return fresh


class Client:
    """Calls `client.Method(request)` on the stub and turns RpcError into ServiceError.

    The answers of the `kept` methods are kept `keep_seconds`, per request message; a copy
    is handed out each time, so no caller can change what the next one gets. Errors are
    never kept."""

    def __init__(self, part: str, stub: LazyStub, places: int = 16, kept: frozenset[str] = frozenset(),
                 keep_seconds: float = 0.0):
        self.part = part
        self._stub = stub
        self._places = threading.BoundedSemaphore(places)
        self._kept = kept if keep_seconds > 0 else frozenset()
        self._keep_seconds = keep_seconds
        self._answers: dict[tuple[str, bytes], tuple[float, Any]] = {}

    def __getattr__(self, method: str) -> Any:
        if method in self._kept:
            return self._keeping(method)
        return self._calling(method)

    def _keeping(self, method: str):
        call = self._calling(method)

        def kept(request, **kwargs):
            key = (method, request.SerializeToString(deterministic=True))
            found = self._answers.get(key)
            if found is not None and found[0] > time.monotonic():
                return _copy(found[1])
            answer = call(request, **kwargs)
            if len(self._answers) >= MAX_KEPT:
                self._answers.clear()
            self._answers[key] = (time.monotonic() + self._keep_seconds, _copy(answer))
            return answer

        return kept

    def _calling(self, method: str):
        def call(request, **kwargs):
            if not self._places.acquire(timeout=WAIT_FOR_PLACE):
                raise ServiceError(self.part, grpc.StatusCode.UNAVAILABLE, "too many calls waiting for an answer")
            try:
                return getattr(self._stub.get(), method)(request, **kwargs)
            except grpc.RpcError as exc:
                trailing = dict(exc.trailing_metadata() or ())
                raise ServiceError(self.part, exc.code(), exc.details() or "", trailing) from None
            finally:
                self._places.release()

        return call


def install(app: Flask, settings: Settings) -> None:
    timeout, places = settings.grpc_timeout, settings.calls_per_service
    stubs = {
        "portal": LazyStub(portal_pb2_grpc.PortalCatalogueStub, settings.portal_addr, timeout),
        "auth": LazyStub(auth_pb2_grpc.IdentificationStub, settings.auth_addr, timeout),
        "roles": LazyStub(roles_pb2_grpc.RolesStub, settings.roles_addr, timeout),
        "primaweb": LazyStub(primaweb_pb2_grpc.PrimaWebStub, settings.primaweb_addr, timeout),
    }
    app.extensions["ssp_clients"] = {
        part: Client(part, stub, places, FIXED_ANSWERS.get(part, frozenset()), settings.catalogue_cache_seconds)
        for part, stub in stubs.items()
    }
    # Its own stream, outside the bulkhead: it holds no page's thread.
    app.extensions["ssp_session_cache"] = SessionCache(stubs["auth"], settings.session_cache_seconds)


def client(part: str) -> Client:
    return current_app.extensions["ssp_clients"][part]


def session_cache() -> SessionCache:
    return current_app.extensions["ssp_session_cache"]
