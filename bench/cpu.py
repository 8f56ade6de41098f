"""CPU seconds (user + system) that processes have spent, read from /proc: what the
benchmarks report per view, per journey and per call."""

from __future__ import annotations

import os
from pathlib import Path


def cpu_seconds(pids) -> float:
    """The sum over `pids`; a process that has gone counts for nothing."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except OSError:
            pass
    return total
