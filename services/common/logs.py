"""JSON log lines with `service`, `request_id` and `event`.

The gateway gives each HTTP request an id and sends it along as gRPC metadata
(REQUEST_ID_HEADER); each service puts it back in this context variable, so one journey
can be followed across every process by grepping a single id.
"""

from __future__ import annotations

import contextvars
import logging
import sys

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


def setup(service: str, level: str = "INFO") -> None:
    """Send every log record of the process to stderr as one JSON object per line."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_ContextFilter(service))
    handler.setFormatter(
        JsonFormatter(
            "%(asctime)s %(levelname)s %(service)s %(request_id)s %(message)s",
            rename_fields={"asctime": "time", "levelname": "level", "message": "event"},
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
