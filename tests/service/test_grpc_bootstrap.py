"""The shared bootstrap: request ids cross the wire, every call has a deadline, a
service that is down fails fast with UNAVAILABLE."""

from __future__ import annotations

import time

import grpc
import pytest

from services.common import grpc_server, logs
from services.common.grpc_channels import LazyStub, make_channel
from tests.support import free_port


def _identity(raw: bytes) -> bytes:
    return raw


def register_probe(server):
    def echo_request_id(_request, _context):
        return logs.request_id.get().encode()

    def slow(_request, _context):
        time.sleep(2)
        return b"late"

    handlers = {
        "RequestId": grpc.unary_unary_rpc_method_handler(echo_request_id, _identity, _identity),
        "Slow": grpc.unary_unary_rpc_method_handler(slow, _identity, _identity),
    }
    server.add_generic_rpc_handlers([grpc.method_handlers_generic_handler("test.Probe", handlers)])
    return []


@pytest.fixture(scope="module")
def probe_port():
    running = grpc_server.start(register_probe, port=0)
    yield running.port
    running.stop(grace=0)


def test_the_request_id_travels_as_metadata(probe_port):
    channel = make_channel(f"127.0.0.1:{probe_port}")
    token = logs.request_id.set("journey-1234abcd")
    try:
        assert channel.unary_unary("/test.Probe/RequestId")(b"") == b"journey-1234abcd"
    finally:
        logs.request_id.reset(token)
        channel.close()


def test_every_call_gets_the_default_deadline(probe_port):
    channel = make_channel(f"127.0.0.1:{probe_port}", timeout=0.3)
    started = time.monotonic()
    with pytest.raises(grpc.RpcError) as err:
        channel.unary_unary("/test.Probe/Slow")(b"")
    assert err.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
    assert time.monotonic() - started < 1.5
    channel.close()


def test_a_service_that_is_down_fails_fast_with_unavailable():
    channel = make_channel(f"127.0.0.1:{free_port()}", timeout=3)
    started = time.monotonic()
    with pytest.raises(grpc.RpcError) as err:
        channel.unary_unary("/test.Probe/RequestId")(b"")
    assert err.value.code() == grpc.StatusCode.UNAVAILABLE
    assert time.monotonic() - started < 2.5
    channel.close()


def test_lazy_stub_makes_one_channel_per_process():
    made = []
    stub = LazyStub(lambda ch: made.append(ch) or len(made), "127.0.0.1:1")
    assert stub.get() == stub.get() == 1
    assert len(made) == 1


def test_health_turns_not_serving_on_graceful_stop():
    from grpc_health.v1 import health_pb2

    running = grpc_server.start(register_probe, port=0)
    running.health.enter_graceful_shutdown()
    reply = running.health.Check(health_pb2.HealthCheckRequest(service=""), None)
    assert reply.status == health_pb2.HealthCheckResponse.NOT_SERVING
    running.stop(grace=0)
