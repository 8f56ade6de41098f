"""Real gRPC servers on free loopback ports, built by the shared bootstrap."""

from __future__ import annotations

import contextlib

import grpc

from services.common import grpc_server


@contextlib.contextmanager
def serving(register):
    running = grpc_server.start(register, host="127.0.0.1", port=0)
    channel = grpc.insecure_channel(f"127.0.0.1:{running.port}")
    try:
        yield channel
    finally:
        channel.close()
        running.stop(grace=1)
