"""The JSON log lines every process writes: one object per record, the fixed fields first,
then the record's extras; never a traceback spread over several lines."""

from __future__ import annotations

import json
import logging
import sys
import threading
import time

from services.common.logs import JsonLines, LineWriter, request_id


def record(message: str, level: int = logging.INFO, exc_info=None, **extra) -> logging.LogRecord:
    made = logging.LogRecord("test", level, __file__, 1, message, None, exc_info)
    made.service, made.request_id = "auth", request_id.get()
    made.__dict__.update(extra)
    return made


def test_a_line_holds_the_fixed_fields_then_the_extras():
    line = JsonLines().format(record("grpc_call", method="/ssp.auth.v1.Identification/GetSession", ms=0.5))
    assert "\n" not in line
    fields = json.loads(line)
    assert list(fields)[:5] == ["time", "level", "service", "request_id", "event"]
    assert fields["level"] == "INFO" and fields["service"] == "auth" and fields["event"] == "grpc_call"
    assert fields["method"] == "/ssp.auth.v1.Identification/GetSession" and fields["ms"] == 0.5
    assert len(fields["time"]) == len("2026-11-29 23:47:27,967") and fields["time"][-4] == ","


def test_values_json_cannot_hold_are_written_as_text_and_a_traceback_stays_on_one_line():
    try:
        raise ValueError("boom")
    except ValueError:
        line = JsonLines().format(record("unexpected_error", logging.ERROR, sys.exc_info(), where={1, 2}))
    fields = json.loads(line)
    assert "\n" not in line and "ValueError: boom" in fields["exc_info"]
    assert fields["where"] == "{1, 2}"


def test_the_time_text_follows_the_clock_within_a_second():
    formatter = JsonLines()
    first, second = record("a"), record("b")
    second.created = first.created + 0.5
    later = record("c")
    later.created = first.created + 2
    times = [json.loads(formatter.format(r))["time"] for r in (first, second, later)]
    assert times[0][:19] <= times[1][:19] < times[2][:19]
    assert times[1][-3:] == f"{int((second.created % 1) * 1000):03d}"


class _Pipe:
    """What the writer writes to: records each write, as a pipe to the log reader would."""

    def __init__(self):
        self.writes: list[str] = []

    def write(self, text: str) -> None:
        self.writes.append(text)

    def flush(self) -> None:
        pass


def test_lines_logged_by_many_threads_are_all_written_whole_and_soon():
    pipe = _Pipe()
    writer = LineWriter(pipe)
    writer.setFormatter(JsonLines())

    def log_many(thread: int) -> None:
        for n in range(500):
            writer.handle(record("grpc_call", worker=thread, n=n))

    threads = [threading.Thread(target=log_many, args=(t,)) for t in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    deadline = time.monotonic() + 2
    while sum(w.count("\n") for w in pipe.writes) < 4000 and time.monotonic() < deadline:
        time.sleep(0.01)
    lines = "".join(pipe.writes).splitlines()
    assert len(lines) == 4000, "a line was lost or written twice"
    fields = [json.loads(line) for line in lines]  # each line whole: no two lines mixed
    for thread in range(8):
        assert [f["n"] for f in fields if f["worker"] == thread] == list(range(500))  # each thread's order kept
    assert len(pipe.writes) < 4000 / 10, "lines are gathered into few writes"
    writer.close()


def test_closing_writes_what_is_left_and_a_bad_record_never_breaks_the_caller(monkeypatch):
    pipe = _Pipe()
    writer = LineWriter(pipe)
    writer.setFormatter(JsonLines())
    monkeypatch.setattr(logging, "raiseExceptions", False)  # logging's own rule in production
    writer.handle(record("%s %s", args=("one",)))  # getMessage() fails: one argument for two
    writer.handle(record("stopping"))
    writer.close()
    assert [json.loads(line)["event"] for line in "".join(pipe.writes).splitlines()] == ["stopping"]


def test_a_warning_is_written_at_once_not_gathered():
    pipe = _Pipe()
    writer = LineWriter(pipe)
    writer.GATHER_SECONDS = 5.0  # an info line would wait that long
    writer.setFormatter(JsonLines())
    writer.handle(record("caller_refused", logging.WARNING))
    deadline = time.monotonic() + 2
    while not pipe.writes and time.monotonic() < deadline:
        time.sleep(0.01)
    assert pipe.writes and json.loads(pipe.writes[0])["event"] == "caller_refused"
    writer.close()
