"""Helpers shared by the test layers: real Redis servers, and (from devtools) free ports
and the stack launched the way `make run` does."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from devtools.local_stack import ROOT, RunningStack, free_port, port_is_free  # noqa: F401


class RedisServer:
    """A real redis-server on a free loopback port, AOF on, data in its own folder."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None
        data_dir.mkdir(parents=True, exist_ok=True)
        self.start()

    def start(self) -> None:
        import redis

        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.data_dir),
             "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: redis flushes the AOF and exits
            self.process.wait(timeout=10)

    def kill(self) -> None:
        """A crash: no chance to flush anything more."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def restart(self, crash: bool = False) -> None:
        self.kill() if crash else self.stop()
        self.start()
