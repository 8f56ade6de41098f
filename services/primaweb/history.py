"""The history of a file: who did what, when. Entries are only ever added.

Each entry stores a kind ("decision-recorded", ...) and the values of the change (ISO
dates, amounts as "1234.56"); its one-line summary is made when read, in the reader's
language (`texts.SUMMARIES`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.primaweb import texts
from services.primaweb.models import File, FileEvent, Form, utcnow

SPP_IS = "SPP IS"


def record(session: Session, file: File, kind: str, details: dict[str, Any], *, actor_nrn: str | None,
           actor_name: str, form: Form | None = None, at: datetime | None = None) -> FileEvent:
    event = FileEvent(file_id=file.id, at=at or utcnow(), actor_nrn=actor_nrn, actor_name=actor_name, kind=kind,
                      form_id=form.id if form is not None else None,
                      details={k: ("" if v is None else str(v)) for k, v in details.items()})
    session.add(event)
    return event


@dataclass(frozen=True)
class Entry:
    at: datetime
    actor_nrn: str
    actor_name: str
    kind: str
    details: dict[str, str]
    form_id: str  # the form's public id, or ""

    def summary(self, lang: str) -> str:
        variant = self.details.get("outcome") or self.details.get("answer")
        key = f"{self.kind}/{variant}" if variant and f"{self.kind}/{variant}" in texts.SUMMARIES else self.kind
        return texts.summary(key, self.details, lang)


def of_file(session: Session, file_id: int) -> list[Entry]:
    rows = session.execute(
        select(FileEvent, Form.public_id).outerjoin(Form, Form.id == FileEvent.form_id)
        .where(FileEvent.file_id == file_id).order_by(FileEvent.id)
    ).all()
    return [Entry(e.at, e.actor_nrn or "", e.actor_name, e.kind, dict(e.details or {}), public_id or "")
            for e, public_id in rows]
