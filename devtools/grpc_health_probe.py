"""Container health probe for the gRPC services: exit 0 when every listener named answers
SERVING on the standard grpc.health.v1 service at 127.0.0.1, 1 otherwise.

    python devtools/grpc_health_probe.py AUTH_PORT=50051 AUTH_ADMIN_PORT=50061
    python devtools/grpc_health_probe.py 50052 --service ssp.portal.v1.PortalCatalogue

Each port is a number, or NAME=DEFAULT: the port is then read from the environment
variable NAME (the one the service itself reads), DEFAULT when unset, so the Dockerfiles'
exec-form HEALTHCHECK follows a port changed at run time.

Used by the Dockerfiles' HEALTHCHECK (Kubernetes uses its own `grpc:` probes). Standalone on
purpose: it needs grpcio and grpcio-health-checking only, imports nothing of the project,
and prints one line saying what failed, never a traceback.

Mutual TLS: when TLS_CA_FILE, TLS_CERT_FILE and TLS_KEY_FILE are all set, the probe first
connects with them (checking the server's certificate against the name given by
--tls-name, default "localhost": put that name in each service certificate), then, if that
fails, in plaintext, so the same image works before and after a service turns TLS on. The
probe learns only SERVING or not; it sends and reads nothing else.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

HOST = "127.0.0.1"


def _port(spec: str) -> int:
    name, _, default = spec.partition("=")
    raw = (os.environ.get(name) or default) if default else spec
    try:
        port = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{spec!r}: expected PORT or NAME=DEFAULT_PORT") from None
    if not 0 < port < 65536:
        raise argparse.ArgumentTypeError(f"{spec!r}: {port} is not a port")
    return port


def _tls_files() -> tuple[bytes, bytes, bytes] | None:
    paths = [os.environ.get(name, "") for name in ("TLS_CA_FILE", "TLS_CERT_FILE", "TLS_KEY_FILE")]
    if not all(paths):
        return None
    try:
        ca, cert, key = (Path(path).read_bytes() for path in paths)
    except OSError:
        return None
    return ca, cert, key


def check(port: int, service: str = "", timeout: float = 2.0, tls_name: str = "localhost") -> str | None:
    """None when SERVING, else a short reason."""
    import grpc
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    target = f"{HOST}:{port}"
    attempts: list[tuple[str, grpc.Channel]] = []
    tls = _tls_files()
    if tls is not None:
        ca, cert, key = tls
        credentials = grpc.ssl_channel_credentials(root_certificates=ca, private_key=key, certificate_chain=cert)
        attempts.append(
            ("tls", grpc.secure_channel(target, credentials, options=[("grpc.ssl_target_name_override", tls_name)]))
        )
    attempts.append(("plaintext", grpc.insecure_channel(target)))
    reasons = []
    for kind, channel in attempts:
        with channel:
            try:
                reply = health_pb2_grpc.HealthStub(channel).Check(
                    health_pb2.HealthCheckRequest(service=service), timeout=timeout
                )
            except grpc.RpcError as exc:
                reasons.append(f"{kind}: {exc.code().name}")
                continue
        if reply.status == health_pb2.HealthCheckResponse.SERVING:
            return None
        return f"{health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status)}"
    return ", ".join(reasons)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ports", nargs="+", type=_port, metavar="PORT|NAME=DEFAULT")
    parser.add_argument("--service", default="", help="service name to check (default: the whole server)")
    parser.add_argument("--timeout", type=float, default=2.0, help="seconds per call (default 2)")
    parser.add_argument("--tls-name", default="localhost", help="name expected in the server certificate")
    args = parser.parse_args(argv)
    failed = False
    for port in args.ports:
        reason = check(port, args.service, args.timeout, args.tls_name)
        if reason is not None:
            print(f"grpc health {HOST}:{port}: not serving ({reason})", file=sys.stderr)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
