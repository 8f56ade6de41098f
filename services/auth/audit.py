"""The authentication audit trail: a Redis stream of what happened to which card and
which person. Never a PIN or a PUK: the record() signature has no place for one."""

from __future__ import annotations

import time
from dataclasses import dataclass

import redis

STREAM = "audit:auth"
MAX_ENTRIES = 1_000_000  # trimmed approximately, oldest first

EVENTS = frozenset(
    {
        "login_success", "wrong_pin", "card_blocked", "blocked_card_refused", "certificate_refused",
        "signature_invalid", "logout", "card_unblocked", "wrong_puk", "puk_blocked",
    }
)


@dataclass(frozen=True)
class AuditEntry:
    id: str
    time: float
    event: str
    card_number: str
    national_register_nr: str
    detail: str


class AuditTrail:
    def __init__(self, client: redis.Redis, stream: str = STREAM):
        self.client = client
        self.stream = stream

    def record(self, event: str, *, card_number: str = "", national_register_nr: str = "", detail: str = "") -> None:
        if event not in EVENTS:
            raise ValueError(f"unknown audit event {event!r}")
        self.client.xadd(
            self.stream,
            {"time": f"{time.time():.3f}", "event": event, "card": card_number,
             "nrn": national_register_nr, "detail": detail},
            maxlen=MAX_ENTRIES, approximate=True,
        )

    def latest(self, count: int = 50) -> list[AuditEntry]:
        """The `count` newest entries, oldest first."""
        rows = self.client.xrevrange(self.stream, count=count)
        return [self._entry(i, f) for i, f in reversed(rows)]

    @staticmethod
    def _entry(entry_id, fields) -> AuditEntry:
        get = {(k.decode() if isinstance(k, bytes) else k): (v.decode() if isinstance(v, bytes) else v)
               for k, v in fields.items()}
        return AuditEntry(
            id=entry_id.decode() if isinstance(entry_id, bytes) else entry_id,
            time=float(get.get("time", 0)), event=get.get("event", ""), card_number=get.get("card", ""),
            national_register_nr=get.get("nrn", ""), detail=get.get("detail", ""),
        )
