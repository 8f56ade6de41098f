"""devtools/system-packages.sh, run for real with a PATH that lacks the packages and holds a
stand-in apt-get that records its arguments: the hint fits the machine, the package lock is
waited for and the wait is said."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import ROOT

SCRIPT = ROOT / "devtools" / "system-packages.sh"
TOOLS = ("bash", "sort", "id", "stat", "awk", "head", "ps", "cat")


def bin_folder(tmp_path: Path, apt_exit: int | None, python: Path | None = None) -> Path:
    """Only the shell tools the script uses, and apt-get if asked: no sudo, no redis-server, no wrk."""
    folder = tmp_path / "bin"
    folder.mkdir()
    for tool in TOOLS:
        os.symlink(shutil.which(tool), folder / tool)
    os.symlink(python or Path(sys.executable).resolve(), folder / "python3")  # the interpreter, not a shim
    if apt_exit is not None:
        (folder / "apt-get").write_text(f'#!/bin/bash\necho "$*" >> {tmp_path}/apt-get.calls\nexit {apt_exit}\n')
        (folder / "apt-get").chmod(0o755)
    os.chmod(tmp_path, 0o755)  # noqa: S103 (the test as "nobody" must reach the tools)
    return folder


def run(folder: Path, *prefix: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([*prefix, str(folder / "bash"), str(SCRIPT), "bench"], capture_output=True, text=True,
                          env={"PATH": str(folder), **env}, timeout=30)


@pytest.mark.skipif(os.geteuid() != 0, reason="the hint for root")
def test_as_root_the_hint_has_no_sudo(tmp_path):
    done = run(bin_folder(tmp_path, apt_exit=100))
    assert done.returncode == 1
    assert "Install them by hand: apt-get install -y redis-server softhsm2 wrk" in done.stderr
    assert "sudo" not in done.stderr


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("runuser") or not Path("/usr/bin/python3").exists(),
                    reason="needs root to become another user, and a python3 that user may run")
def test_without_root_nor_sudo_the_hint_says_to_become_root():
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="ssp-packages-"))  # not under pytest's folders, private to root
    try:
        done = run(bin_folder(folder, apt_exit=None, python=Path("/usr/bin/python3")),
                   shutil.which("runuser"), "-u", "nobody", "--")
    finally:
        shutil.rmtree(folder)
    assert done.returncode == 1
    assert "su -c 'apt-get install -y redis-server softhsm2 wrk'   (as root)" in done.stderr
    assert "sudo apt-get" not in done.stderr


def test_a_held_package_lock_is_waited_for_and_said(tmp_path):
    folder = bin_folder(tmp_path, apt_exit=0)
    lock = tmp_path / "lock-frontend"
    with lock.open("w") as held:
        fcntl.lockf(held, fcntl.LOCK_EX)  # as another apt-get would
        done = run(folder, APT_LOCK_FILES=str(lock), APT_LOCK_TIMEOUT="120")
    assert done.returncode == 0, done.stderr
    assert f"Another package installation holds the package lock (process {os.getpid()}:" in done.stdout
    assert "waiting for it to finish (up to 2 min" in done.stdout
    calls = (tmp_path / "apt-get.calls").read_text().splitlines()
    assert calls[0].startswith("-o DPkg::Lock::Timeout=120 update")
    assert calls[1].startswith("-o DPkg::Lock::Timeout=120 install -y")


def test_no_wait_is_announced_when_the_lock_is_free(tmp_path):
    lock = tmp_path / "lock-frontend"
    lock.write_text("")
    done = run(bin_folder(tmp_path, apt_exit=0), APT_LOCK_FILES=str(lock))
    assert done.returncode == 0, done.stderr
    assert "waiting" not in done.stdout
