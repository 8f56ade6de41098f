"""Prometheus metrics shared by every process: gRPC calls by method and code, with their
latency. Services add their own (logins, sessions...) next to their code."""

from __future__ import annotations

import logging

from prometheus_client import Counter, Histogram, start_http_server

from services.common import config

log = logging.getLogger(__name__)

_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)

GRPC_HANDLED = Counter(
    "grpc_server_handled_total", "gRPC calls completed, by method and status code",
    ["grpc_service", "grpc_method", "grpc_code"],
)
GRPC_SECONDS = Histogram(
    "grpc_server_handling_seconds", "Time to answer a gRPC call", ["grpc_service", "grpc_method"], buckets=_BUCKETS,
)
GRPC_REFUSED_CALLERS = Counter(
    "grpc_server_refused_callers_total", "Calls refused because the caller is not on the method's list",
    ["grpc_service", "grpc_method"],
)


def split_method(full_method: str) -> tuple[str, str]:
    """'/ssp.portal.v1.PortalCatalogue/GetSector' -> ('ssp.portal.v1.PortalCatalogue', 'GetSector')."""
    service, _, method = full_method.lstrip("/").partition("/")
    return service, method


def serve_from_env() -> None:
    """Expose /metrics on METRICS_HOST:METRICS_PORT when METRICS_PORT is set (Prometheus scrapes it)."""
    port = config.env_int("METRICS_PORT", 0)
    if port:
        start_http_server(port, addr=config.env_str("METRICS_HOST", "127.0.0.1"))
        log.info("metrics_serving", extra={"port": port})
