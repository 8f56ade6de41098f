"""JSON log lines with `service`, `request_id` and `event`.

The gateway gives each HTTP request an id and sends it along as gRPC metadata
(REQUEST_ID_HEADER); each service puts it back in this context variable, so one journey
can be followed across every process by grepping a single id.
"""

from __future__ import annotations

import atexit
import contextvars
import json
import logging
import queue
import sys
import time
from logging.handlers import QueueHandler, QueueListener

REQUEST_ID_HEADER = "x-request-id"
request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


class _ContextFilter(logging.Filter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def filter(self, record: logging.LogRecord) -> bool:
        record.service = self.service
        record.request_id = request_id.get()
        return True


# The attributes every LogRecord has: anything else on a record came from `extra=`.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}


class JsonLines(logging.Formatter):
    """One JSON object per record: time, level, service, request_id, event, then the
    record's extra fields. Written for the hot path (every gRPC call and HTTP request logs
    a line): the time text is made once per second, and json.dumps does the rest in C."""

    def __init__(self) -> None:
        super().__init__()
        self._second = -1
        self._second_text = ""

    def _time(self, created: float) -> str:
        second = int(created)
        if second != self._second:  # one writer thread formats: no lock needed
            self._second, self._second_text = second, time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(second))
        return f"{self._second_text},{int((created - second) * 1000):03d}"

    def format(self, record: logging.LogRecord) -> str:
        fields = {
            "time": self._time(record.created),
            "level": record.levelname,
            "service": getattr(record, "service", ""),
            "request_id": getattr(record, "request_id", "-"),
            "event": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in fields:
                fields[key] = value
        if record.exc_info:
            fields["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(fields, ensure_ascii=False, default=str)


_listener: QueueListener | None = None
_configured: tuple[str, str] | None = None  # (service, level) of the running setup


def setup(service: str, level: str = "INFO") -> None:
    """Send every log record of the process to stderr as one JSON object per line.

    Records are queued by the thread that logs (which stamps the request id there) and
    written by one background thread, so a request never waits on a slow log pipe.
    """
    global _listener, _configured
    if _configured == (service, level) and _listener is not None:
        return  # a service logs before grpc_server.run() sets up again: keep the one writer
    _configured = (service, level)
    writer = logging.StreamHandler(sys.stderr)
    writer.setFormatter(JsonLines())
    records: queue.SimpleQueue = queue.SimpleQueue()
    enqueue = QueueHandler(records)
    enqueue.addFilter(_ContextFilter(service))
    if _listener is not None:
        _listener.stop()
    _listener = QueueListener(records, writer)
    _listener.start()
    atexit.register(_listener.stop)
    logging._srcfile = None  # no caller lookup per record: the event names say where
    root = logging.getLogger()
    root.handlers[:] = [enqueue]
    root.setLevel(level)
