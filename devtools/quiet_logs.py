"""Run one program of the local stack and pass its output on, minus the lines that tell the
user of `make run` nothing: `python -m devtools.quiet_logs redis -- redis-server ...`.

Redis prints a start banner and the kernel's memory-overcommit warning on every start, and
three lines on every stop, even at `--loglevel warning`. The overcommit setting matters to a
server that forks for background saves under memory pressure, not to a demo on a laptop
(and is the host's business in Kubernetes). Every other line, errors included, passes.
Signals are passed to the program, whose exit status becomes ours.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys

NOISE: dict[str, re.Pattern[bytes]] = {
    "redis": re.compile(
        rb"oO0OoO0OoO0Oo Redis is starting|# Redis version=|# Configuration loaded|# Server initialized"
        rb"|WARNING Memory overcommit must be enabled|Received SIG(TERM|INT) scheduling shutdown"
        rb"|# User requested shutdown|# Redis is now ready to exit"
    ),
}


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "--" or argv[0] not in NOISE:
        sys.exit(f"usage: python -m devtools.quiet_logs {{{','.join(NOISE)}}} -- <command> [args...]")
    noise = NOISE[argv[0]]
    child = subprocess.Popen(argv[2:], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(number, lambda received, _frame: child.send_signal(received))
    out = sys.stdout.buffer
    for line in child.stdout:  # type: ignore[union-attr]
        if not noise.search(line):
            out.write(line)
            out.flush()
    return child.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
