"""Messages from the SPP IS to a CPAS (its answers to the forms), newest first. The read
flag belongs to the CPAS: one agent reading a message reads it for the whole team."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Row, bindparam, func, select, update
from sqlalchemy.orm import Session

from services.primaweb import texts, validation
from services.primaweb.errors import InvalidArgument, NotFound, Problems
from services.primaweb.gates import Action, Actor
from services.primaweb.models import Form, Message, utcnow
from services.primaweb.store import Store

LATEST_ON_HOME = 5


@dataclass(frozen=True)
class MessageView:
    message: Row  # the message's columns below (_MESSAGE), not an ORM object: cheaper to read
    file_number: str
    form_id: str  # the form's public id
    period_start: str
    period_end: str

    def summary(self, lang: str) -> str:
        return texts.summary(f"message/{self.message.answer}", {
            "file_number": self.file_number, "period_start": self.period_start, "period_end": self.period_end,
            "reason": self.message.reason}, lang)


# What a view shows of a message: plain rows, no ORM identity map or instances (a home view
# of an agent reads the latest messages, and that was half of its database time).
_MESSAGE = (Message.id, Message.answer, Message.reason, Message.created_at, Message.read_at)


def _select():
    return select(*_MESSAGE, Form.file_number, Form.public_id, Form.period_start, Form.period_end).join(
        Form, Form.id == Message.form_id)


def _views(rows) -> list[MessageView]:
    return [MessageView(row, row.file_number, row.public_id, row.period_start.isoformat(), row.period_end.isoformat())
            for row in rows]


def of_file(session: Session, file_id: int) -> list[MessageView]:
    return _views(session.execute(_select().where(Message.file_id == file_id).order_by(Message.id.desc())).all())


# Built once: every PrimaWeb home view of an agent reads the latest messages.
_LATEST = _select().where(Message.enterprise_number == bindparam("entity")).order_by(Message.id.desc()).limit(
    bindparam("count"))


def latest(session: Session | Connection, entity: str, count: int = LATEST_ON_HOME) -> list[MessageView]:
    return _views(session.execute(_LATEST, {"entity": entity, "count": count}).all())


def count_unread(session: Session, entity: str) -> int:
    return session.scalar(select(func.count()).select_from(Message).where(
        Message.enterprise_number == entity, Message.read_at.is_(None))) or 0


@dataclass(frozen=True)
class Listing:
    messages: list[MessageView]
    total: int
    unread: int
    page: validation.Page


def listing(store: Store, actor: Actor, *, unread_only: bool = False, page: int = 0, page_size: int = 0) -> Listing:
    actor.require(Action.READ_MESSAGES)
    with Problems() as p:
        paging = p.check(validation.page, page, page_size)
    where = [Message.enterprise_number == actor.entity]
    if unread_only:
        where.append(Message.read_at.is_(None))
    with store.reading() as session:
        total = session.scalar(select(func.count()).select_from(Message).where(*where)) or 0
        rows = session.execute(_select().where(*where).order_by(Message.id.desc())
                               .offset(paging.offset).limit(paging.size)).all() if total > paging.offset else []
        return Listing(_views(rows), total, count_unread(session, actor.entity), paging)


def mark_read(store: Store, actor: Actor, message_ids: list[int]) -> int:
    """Marks the entity's messages read (those already read keep their first reading);
    NotFound if one is not the entity's. Returns the unread count left."""
    actor.require(Action.READ_MESSAGES)
    ids = sorted(set(message_ids))
    if not ids:
        raise InvalidArgument("message_ids", "required")

    def work(session: Session) -> int:
        found = set(session.scalars(select(Message.id).where(Message.id.in_(ids),
                                                             Message.enterprise_number == actor.entity)))
        missing = [i for i in ids if i not in found]
        if missing:
            raise NotFound("message_ids", "message-not-found", message_id=missing[0])
        session.execute(update(Message).where(Message.id.in_(ids), Message.read_at.is_(None))
                        .values(read_at=utcnow(), read_by_nrn=actor.nrn))
        return count_unread(session, actor.entity)

    return store.writing(work)
