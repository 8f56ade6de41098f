"""Runs the processes of a Procfile, restarts one that dies, stops them all on request.

Why not honcho (used until issue 12): it stops everything when one process exits, by
design. Why not supervisord: it wants its own configuration file and daemon, keeps the
processes' output in log files and would duplicate the Procfile, which stays the one list
of the stack's processes (whatever lines it gains, e.g. a TLS terminator). This is the
small part of both that `make run` needs, the way the kubelet does it in Kubernetes:

- each line `name: command` runs under `/bin/sh -c`, in a process group of its own (a
  gunicorn master and its workers go together), its output relayed line by line with the
  prefix `HH:MM:SS name.1 | ` (as honcho wrote it);
- a process that exits is restarted after a backoff (0.5 s, doubled each time up to 30 s,
  back to 0.5 s once it has run a minute), and the supervisor says so on its own output:
  `HH:MM:SS system | auth exited (SIGKILL) after 12.3 s; restart 1 in 0.5 s`. What is
  left of its process group (orphaned workers holding its port) is killed first;
- `stop()` sends SIGTERM to every group, waits, then SIGKILLs what is left; if the
  supervisor is killed outright, the kernel sends each process SIGTERM (setpriv).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

FIRST_BACKOFF = 0.5
MAX_BACKOFF = 30.0
STABLE_AFTER = 60.0  # seconds up after which the next restart starts from FIRST_BACKOFF again
# Should the supervisor itself be killed (SIGKILL, OOM), each process gets SIGTERM from the
# kernel (PR_SET_PDEATHSIG, set by util-linux's setpriv, kept across exec) instead of running
# on without anyone to stop it.
_ORPHAN_GUARD = ["setpriv", "--pdeathsig", "TERM", "--"] if shutil.which("setpriv") else []


def read_procfile(path: Path) -> dict[str, str]:
    """`name: command` lines, in order; blank lines and `#` comments skipped."""
    processes: dict[str, str] = {}
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, sep, command = line.partition(":")
        if not sep or not name.strip() or not command.strip() or " " in name.strip():
            raise ValueError(f"{path}:{number}: expected `name: command`")
        processes[name.strip()] = command.strip()
    return processes


@dataclass
class _Process:
    name: str
    command: str
    popen: subprocess.Popen | None = None
    started_at: float = 0.0
    restarts: int = 0
    backoff: float = FIRST_BACKOFF
    restart_at: float | None = None  # when a dead process is due to start again
    relay: threading.Thread | None = field(default=None, repr=False)


class Supervisor:
    def __init__(self, processes: dict[str, str], env: dict[str, str], cwd: Path, out: TextIO = sys.stdout):
        self.env = env
        self.cwd = cwd
        self.out = out
        self._write_lock = threading.Lock()
        self.processes = {name: _Process(name, command) for name, command in processes.items()}
        self.width = max((len(name) for name in self.processes), default=6) + 2

    # --- output -----------------------------------------------------------------------------

    def say(self, source: str, text: str) -> None:
        line = f"{time.strftime('%H:%M:%S')} {source.ljust(self.width)} | {text}\n"
        with self._write_lock:
            self.out.write(line)
            self.out.flush()

    def _relay(self, proc: _Process, stream) -> None:
        """The process's output, each line prefixed. Read and written by the chunk, not the
        line: under load every request logs a line in three processes, and a write and a
        flush per line cost more CPU than the request's own logging."""
        label = f"{proc.name}.1".ljust(self.width)
        fd, pending = stream.fileno(), b""
        while chunk := os.read(fd, 65536):
            *lines, pending = (pending + chunk).split(b"\n")
            if lines:
                prefix = f"{time.strftime('%H:%M:%S')} {label} | "
                text = "".join(f"{prefix}{line.decode('utf-8', 'replace')}\n" for line in lines)
                with self._write_lock:
                    self.out.write(text)
                    self.out.flush()
        if pending:
            self.say(label.strip(), pending.decode("utf-8", "replace"))
        stream.close()

    # --- life of the processes -----------------------------------------------------------------

    def start(self) -> None:
        for proc in self.processes.values():
            self._spawn(proc)

    def _spawn(self, proc: _Process) -> None:
        proc.popen = subprocess.Popen(
            [*_ORPHAN_GUARD, "/bin/sh", "-c", proc.command], env=self.env, cwd=self.cwd, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
        )
        proc.started_at = time.monotonic()
        proc.restart_at = None
        proc.relay = threading.Thread(target=self._relay, args=(proc, proc.popen.stdout), daemon=True,
                                      name=f"relay-{proc.name}")
        proc.relay.start()
        self.say("system", f"{proc.name} started (pid {proc.popen.pid})")

    def pid(self, name: str) -> int | None:
        popen = self.processes[name].popen
        return popen.pid if popen is not None and popen.poll() is None else None

    def exited(self) -> list[str]:
        """The processes that have exited and are not yet due for a restart."""
        return [p.name for p in self.processes.values()
                if p.popen is not None and p.popen.poll() is not None and p.restart_at is None]

    def tend(self) -> None:
        """One round of supervision: schedule the restart of each process that died, start
        those whose backoff has passed. Call it often (every 0.1-0.2 s)."""
        now = time.monotonic()
        for proc in self.processes.values():
            if proc.popen is None:
                continue
            code = proc.popen.poll()
            if code is not None and proc.restart_at is None:
                lived = now - proc.started_at
                if lived >= STABLE_AFTER:
                    proc.backoff = FIRST_BACKOFF
                proc.restarts += 1
                proc.restart_at = now + proc.backoff
                self._kill_group(proc, signal.SIGKILL)  # leftovers (workers) of the dead process
                how = f"signal {signal.Signals(-code).name}" if code < 0 else f"code {code}"
                self.say("system", f"{proc.name} exited ({how}) after {lived:.1f} s; "
                                   f"restart {proc.restarts} in {proc.backoff:.1f} s")
                proc.backoff = min(proc.backoff * 2, MAX_BACKOFF)
            elif proc.restart_at is not None and now >= proc.restart_at:
                if proc.relay is not None:
                    proc.relay.join(timeout=1)
                self._spawn(proc)
                self.say("system", f"{proc.name} restarted (restart {proc.restarts})")

    def _kill_group(self, proc: _Process, sig: int) -> None:
        if proc.popen is None:
            return
        try:
            os.killpg(proc.popen.pid, sig)  # the group is the process's own (start_new_session)
        except (ProcessLookupError, PermissionError):
            pass

    def stop(self, timeout: float = 20.0) -> None:
        """SIGTERM to every process group, then SIGKILL to what is still there after `timeout`."""
        running = [p for p in self.processes.values() if p.popen is not None]
        for proc in running:
            if proc.popen.poll() is None:
                self.say("system", f"sending SIGTERM to {proc.name} (pid {proc.popen.pid})")
            self._kill_group(proc, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for proc in running:
            try:
                proc.popen.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.say("system", f"{proc.name} did not stop in {timeout:.0f} s: SIGKILL")
            self._kill_group(proc, signal.SIGKILL)  # the group's leftovers, if any
            proc.popen.wait()
            if proc.relay is not None:
                proc.relay.join(timeout=2)
