"""Start the stack the way `make run` does, from another program: the system tests and
the benchmarks use this, with free ports and a run folder of their own."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from devtools import stack as launcher
from devtools.stack import port_is_free

ROOT = Path(__file__).resolve().parent.parent


_handed_out: set[int] = set()


def free_port() -> int:
    """A port free now, outside the kernel's ephemeral range (32768-60999 on Linux), where
    outgoing connections would otherwise grab it between this choice and the bind."""
    import random

    for _ in range(1000):
        port = random.randint(20000, 32000)
        if port not in _handed_out and port_is_free(port):
            _handed_out.add(port)
            return port
    raise RuntimeError("no free port between 20000 and 32000")


class RunningStack:
    """The launcher as a child process; stop() ends it and everything it started."""

    def __init__(self, run_dir: Path, extra_env: dict[str, str] | None = None, timeout: float = 90):
        self.run_dir = run_dir
        for _ in range(3):
            if self._start(run_dir, extra_env, timeout):
                return
            self._log.close()
            output = self.output()
            # redis "Address already in use", gunicorn "Connection in use", grpc "Failed to bind"
            if "in use" not in output and "Failed to bind" not in output:
                break  # a port taken by someone else since we chose it: try other ports
        raise RuntimeError(f"stack did not start:\n{self.output()[-4000:]}")

    def _start(self, run_dir: Path, extra_env: dict[str, str] | None, timeout: float) -> bool:
        self.ports = {name: free_port() for name in launcher.PORTS}
        env = dict(os.environ, RUN_DIR=str(run_dir), **(extra_env or {}))
        env.update({var: str(self.ports[name]) for name, (var, _) in launcher.PORTS.items()})
        self.env = env
        run_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = run_dir / "stack-output.log"
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "devtools.stack"], cwd=ROOT, env=env,
            stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        return self._wait_ready(timeout)

    def _wait_ready(self, timeout: float) -> bool:
        ready = self.run_dir / "ready.json"
        deadline = time.monotonic() + timeout
        while not ready.exists():
            if self.process.poll() is not None:
                return False
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"stack did not start in {timeout:.0f} s:\n{self.output()[-4000:]}")
            time.sleep(0.1)
        self.url = json.loads(ready.read_text())["url"].rstrip("/")
        return True

    def channel(self, service: str, identity: str):
        """A gRPC channel to one of the stack's services, as `identity` (a certificate of
        the stack's deployment CA: gateway, commune, access-manager, spp-is, ops)."""
        import grpc

        from services.common import tls

        files = tls.files_in(self.run_dir / "tls", identity)
        return grpc.secure_channel(f"127.0.0.1:{self.ports[service]}", tls.channel_credentials(files))

    def pids(self) -> dict[str, int]:
        """The pid of each process of the Procfile now: the last `<name> started (pid N)` line
        of the supervisor (devtools/supervisor.py)."""
        import re

        found = re.findall(r" system\s+\| (\S+) started \(pid ([0-9]+)\)", self.output())
        return {name: int(pid) for name, pid in found}

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def output_when(self, said, timeout: float = 5.0) -> str:
        """The output once `said(output)` holds, or as it is after `timeout` seconds: each
        process writes its log lines a few milliseconds after making them (logs.LineWriter)."""
        deadline = time.monotonic() + timeout
        while not said(text := self.output()) and time.monotonic() < deadline:
            time.sleep(0.05)
        return text

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log.close()
        return self.process.returncode


@contextlib.contextmanager
def gunicorn_serving(app: str, env: dict[str, str], ready_path: str = "/", timeout: float = 20) -> Iterator[str]:
    """Another gunicorn with the gateway's settings (services/gateway/gunicorn.conf.py)
    serving `app` on env's GATEWAY_PORT; yields its URL once it answers, stops it after.
    For a gateway wired to other addresses, or the benchmark's bare page."""
    import requests

    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "services/gateway/gunicorn.conf.py", app],
        cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{env['GATEWAY_PORT']}"
        deadline = time.monotonic() + timeout
        while True:
            try:
                requests.get(url + ready_path, timeout=1)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(f"gunicorn serving {app} did not answer on {url}") from None
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)
