"""What `make run` prints: the ready line with the URL, and not the lines that tell the user
nothing (gunicorn's "Listening at" before the stack is ready, Redis's banner and its
memory-overcommit warning)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.support import ROOT

pytestmark = pytest.mark.system


def test_the_log_of_a_start_holds_the_ready_line_and_no_noise(stack):
    said = stack.output()
    assert f"Social Security Portal (demo) is ready: {stack.url}/" in said
    for noise in ("Listening at", "Booting worker", "Memory overcommit", "Redis is starting", "Configuration loaded"):
        assert noise not in said


def test_the_filter_passes_every_other_line_and_the_exit_status():
    done = subprocess.run(
        [sys.executable, "-m", "devtools.quiet_logs", "redis", "--", "sh", "-c",
         "echo '1:M # Server initialized'; echo '1:M # WARNING Memory overcommit must be enabled!';"
         " echo '1:M # Could not create server TCP listening socket *:6379: bind: Address already in use'; exit 3"],
        cwd=ROOT, capture_output=True, text=True, timeout=30,
    )
    assert done.returncode == 3
    assert done.stdout == "1:M # Could not create server TCP listening socket *:6379: bind: Address already in use\n"
