"""The containers' HEALTHCHECK for the gRPC services, against a real server on loopback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from devtools import grpc_health_probe
from devtools.deploy_checks import ROOT
from services.common import grpc_server
from tests.support import free_port


@pytest.fixture
def server():
    running = grpc_server.start(lambda s: [], host="127.0.0.1", port=0)
    yield running
    running.stop(grace=0.5)


def probe(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "devtools/grpc_health_probe.py"), *args],
        env={"PATH": "/usr/bin:/bin", **(env or {})}, capture_output=True, text=True, timeout=30, check=False,
    )


def test_a_serving_server_passes(server):
    assert probe(str(server.port)).returncode == 0


def test_the_port_is_read_from_the_services_variable(server):
    assert probe("PORTAL_PORT=1", env={"PORTAL_PORT": str(server.port)}).returncode == 0


def test_nothing_listening_fails_with_one_line(server):
    result = probe(str(server.port), str(free_port()), "--timeout", "0.5")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "not serving (plaintext: UNAVAILABLE)" in result.stderr


def test_a_server_shutting_down_fails(server):
    server.health.enter_graceful_shutdown()
    result = probe(str(server.port))
    assert result.returncode == 1 and "NOT_SERVING" in result.stderr


def test_with_tls_files_set_a_plaintext_server_still_passes(server, tmp_path):
    for name in ("ca", "cert", "key"):
        (tmp_path / name).write_text("not a certificate")
    env = {"TLS_CA_FILE": str(tmp_path / "ca"), "TLS_CERT_FILE": str(tmp_path / "cert"),
           "TLS_KEY_FILE": str(tmp_path / "key")}
    assert probe(str(server.port), "--timeout", "1", env=env).returncode == 0


def test_a_bad_port_argument_is_refused():
    with pytest.raises(SystemExit):
        grpc_health_probe.main(["not-a-port"])
