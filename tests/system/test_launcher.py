"""The launcher of `make run`: one instance per run folder, clear messages, and a
stop that leaves nothing running."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from tests.support import ROOT, RunningStack, port_is_free

pytestmark = pytest.mark.system


def test_starting_again_while_running_gives_a_clear_message(stack):
    again = subprocess.run(
        [sys.executable, "-m", "devtools.stack"], cwd=ROOT, env=stack.env,
        capture_output=True, text=True, timeout=60,
    )
    assert again.returncode != 0
    assert "already running" in again.stderr
    assert "Traceback" not in again.stderr


def test_a_port_taken_by_another_program_is_named(stack, tmp_path):
    env = dict(stack.env, RUN_DIR=str(tmp_path / "other"))  # another folder, same ports
    taken = subprocess.run(
        [sys.executable, "-m", "devtools.stack"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )
    assert taken.returncode != 0
    assert "already in use by another program" in taken.stderr
    assert "Traceback" not in taken.stderr


def test_ctrl_c_stops_every_process(tmp_path):
    running = RunningStack(tmp_path / "run")
    assert not any(port_is_free(p) for p in running.ports.values())
    assert running.stop(signal.SIGINT) == 0
    deadline = time.monotonic() + 5  # forked workers notice their master is gone within a second
    while not all(port_is_free(p) for p in running.ports.values()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert all(port_is_free(p) for p in running.ports.values()), running.output()[-3000:]
    assert "Logging error" not in running.output()
    assert not (tmp_path / "run" / "ready.json").exists()


def test_a_launcher_killed_outright_leaves_nothing_running(tmp_path):
    """SIGKILL to the launcher (no chance to stop anything): the kernel tells each process."""
    running = RunningStack(tmp_path / "run")
    running.process.kill()
    running.process.wait()
    deadline = time.monotonic() + 20
    while not all(port_is_free(p) for p in running.ports.values()) and time.monotonic() < deadline:
        time.sleep(0.2)
    taken = {name: port for name, port in running.ports.items() if not port_is_free(port)}
    running.stop()
    assert not taken, taken
