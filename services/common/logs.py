"""JSON log lines with `service`, `request_id` and `event`.

The gateway gives each HTTP request an id and sends it along as gRPC metadata
(REQUEST_ID_HEADER); each service puts it back in this context variable, so one journey
can be followed across every process by grepping a single id.
"""

from __future__ import annotations

import atexit
import contextvars
import logging
import queue
import sys
from logging.handlers import QueueHandler, QueueListener

from pythonjsonlogger.json import JsonFormatter

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
    writer.setFormatter(
        JsonFormatter(
            "%(asctime)s %(levelname)s %(service)s %(request_id)s %(message)s",
            rename_fields={"asctime": "time", "levelname": "level", "message": "event"},
        )
    )
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
