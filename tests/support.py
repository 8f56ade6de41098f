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


class PostgresServer:
    """A real PostgreSQL cluster in a temporary folder, on a free loopback port.

    initdb refuses to run as root, so when the tests run as root (CI) the cluster
    belongs to the `postgres` system user that the Debian package creates.
    """

    def __init__(self):
        import glob
        import os
        import pwd
        import shutil
        import tempfile

        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
        if not bins:
            raise RuntimeError("PostgreSQL is not installed (make test installs it)")
        self.bin = Path(bins[-1])
        self.port = free_port()
        # Not under pytest's folders: those are private to root, and the server may not be.
        self.root = Path(tempfile.mkdtemp(prefix="ssp-postgres-"))
        self.data_dir = data_dir = self.root / "data"
        self.socket_dir = self.root / "socket"
        self.run_as: list[str] = []
        data_dir.mkdir()
        self.socket_dir.mkdir()
        os.chmod(self.root, 0o755)  # noqa: S103 (the postgres user must reach its folders)
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            for path in (data_dir, self.socket_dir):
                shutil.chown(path, user.pw_uid, user.pw_gid)
            self.run_as = ["runuser", "-u", "postgres", "--"]
        self._run("initdb", "-D", str(data_dir), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        self._run("pg_ctl", "-D", str(data_dir), "-w", "-l", str(data_dir / "server.log"), "-o",
                  f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run([*self.run_as, str(self.bin / tool), *args], check=True, capture_output=True, timeout=60)

    def create_database(self, name: str) -> str:
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        import shutil

        subprocess.run([*self.run_as, str(self.bin / "pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "-w", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(self.root, ignore_errors=True)


def auth_cli(stack, *args: str, stdin: str = "", language: str = "fr") -> subprocess.CompletedProcess:
    """`python -m services.auth.cli` as a clerk runs it after `make run`: only the stack's
    own settings (its ports and RUN_DIR) and a language in the environment."""
    import sys

    env = {k: v for k, v in stack.env.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    env["LANGUAGE" if language else "LANG"] = language or "C.UTF-8"
    return subprocess.run([sys.executable, "-m", "services.auth.cli", *args], cwd=ROOT, env=env,
                          input=stdin, capture_output=True, text=True, timeout=30)
