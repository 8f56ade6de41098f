"""What one gRPC call costs before any servicer work, for bench/load.py: CPU per unary call
in the calling process and in the server process, measured apart (the server runs in a
process of its own, as the services do).

Two servers answer grpc.health.v1.Health/Check, the cheapest call there is:
- "ours": the services' own server (services/common/grpc_server.py: mutual TLS, the caller
  policy, request id, metrics) called through the gateway's own channel (grpc_channels:
  deadline, retries, request id), with the certificates of `make run`;
- "bare": grpcio with nothing added, plaintext: grpcio's own floor on this machine.

    .venv/bin/python -m bench.grpc_floor RUN_DIR/tls     (prints one JSON line per server)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from concurrent import futures
from pathlib import Path

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from bench.cpu import cpu_seconds
from services.common import grpc_channels, grpc_server, tls

ROOT = Path(__file__).resolve().parent.parent
CALLS = 3000


def serve(kind: str, tls_dir: Path) -> None:
    if kind == "ours":
        running = grpc_server.start(lambda _server: [], tls_files=tls.files_in(tls_dir, "primaweb"),
                                    policy=tls.CallerPolicy({}))
        server, port = running.server, running.port
    else:
        server = grpc.server(futures.ThreadPoolExecutor(max_workers=16))
        health_pb2_grpc.add_HealthServicer_to_server(health.HealthServicer(), server)
        port = server.add_insecure_port("127.0.0.1:0")
        server.start()
    print(port, flush=True)  # `server` stays referenced: a collected grpc.Server stops
    sys.stdin.read()  # until the measuring process closes the pipe


def measure(kind: str, tls_dir: Path, calls: int = CALLS) -> dict[str, float]:
    server = subprocess.Popen([sys.executable, "-m", "bench.grpc_floor", "--serve", kind, str(tls_dir)], cwd=ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT), "LOG_LEVEL": "INFO"})
    try:
        port = int(server.stdout.readline())
        if kind == "ours":
            channel = grpc_channels.make_channel(f"localhost:{port}", tls_files=tls.files_in(tls_dir, "gateway"))
        else:
            channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        stub = health_pb2_grpc.HealthStub(channel)
        request = health_pb2.HealthCheckRequest()
        for _ in range(300):  # connection, TLS handshake, warm paths
            stub.Check(request)
        client_before, server_before, started = time.process_time(), cpu_seconds([server.pid]), time.perf_counter()
        for _ in range(calls):
            stub.Check(request)
        elapsed = time.perf_counter() - started
        return {"server": kind, "client_ms": 1000 * (time.process_time() - client_before) / calls,
                "server_ms": 1000 * (cpu_seconds([server.pid]) - server_before) / calls,
                "wall_ms": 1000 * elapsed / calls}
    finally:
        server.stdin.close()
        server.wait(timeout=10)


if __name__ == "__main__":
    if sys.argv[1] == "--serve":
        serve(sys.argv[2], Path(sys.argv[3]))
    else:
        for server_kind in ("ours", "bare"):
            print(json.dumps(measure(server_kind, Path(sys.argv[1]))))
