"""The supervisor of `make run` with real processes: a process that dies is restarted
with a growing backoff and said so; the others are left alone; stop() ends them all."""

from __future__ import annotations

import io
import os
import time

import pytest

from devtools.supervisor import Supervisor, read_procfile


def test_a_procfile_is_read_in_order_and_a_bad_line_is_named(tmp_path):
    good = tmp_path / "Procfile"
    good.write_text("# the stack\nweb: exec gunicorn app\n\nworker: python -m worker --x=1: y\n")
    assert read_procfile(good) == {"web": "exec gunicorn app", "worker": "python -m worker --x=1: y"}
    bad = tmp_path / "Bad"
    bad.write_text("web: ok\nno command here\n")
    with pytest.raises(ValueError, match=r"Bad:2: expected `name: command`"):
        read_procfile(bad)


def test_a_dead_process_is_restarted_with_backoff_and_the_others_keep_running(tmp_path):
    out = io.StringIO()
    supervisor = Supervisor({"flaky": "echo hello from flaky; exit 3", "steady": "exec sleep 60"},
                            dict(os.environ), tmp_path, out=out)
    supervisor.start()
    steady = supervisor.pid("steady")
    try:
        deadline = time.monotonic() + 3.0
        while time.monotonic() < deadline:
            supervisor.tend()
            time.sleep(0.05)
        log = out.getvalue()
        assert "flaky exited (code 3) after" in log
        assert "restart 1 in 0.5 s" in log and "restart 2 in 1.0 s" in log  # 0.5 s, then 1 s, ...
        assert "restart 4 in" not in log
        assert log.count("flaky.1") >= 2 and "| hello from flaky" in log
        assert supervisor.pid("steady") == steady and "steady exited" not in log
    finally:
        supervisor.stop(timeout=5)
    assert supervisor.pid("steady") is None
    with pytest.raises(ProcessLookupError):
        os.kill(steady, 0)
    assert "sending SIGTERM to steady" in out.getvalue()
