"""The SPP Intégration sociale's side: the forms sent by every CPAS, in sending order, and
the answers to them.

The listing's order is each form's `sequence`, taken from the "sent-forms" counter when
the form is sent (counters.py), never a timestamp: two forms may be sent in the same
microsecond, and with several writers a timestamp taken early can commit late. Because
the counter's row lock is held until the commit, sequence n+1 is never visible before n:
"every form with a sequence above the cursor" misses nothing and repeats nothing, page
after page, while new forms arrive at the end.

The page token is opaque to clients: base64url of "sent:<last sequence returned>". It
carries nothing secret (the SPP IS sees every sent form anyway); a token this service did
not make is refused.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.primaweb import forms, history, idempotency, validation
from services.primaweb.errors import FailedPrecondition, InvalidArgument, NotFound, Problems
from services.primaweb.models import File, Form, Message, utcnow
from services.primaweb.store import Store

_CURSOR_PREFIX = "sent:"
PAGE_SIZE_DEFAULT = 100
PAGE_SIZE_MAX = 1000
REASON_MAX = 1000
ANSWERS = (forms.ACCEPTED, forms.REJECTED)


def encode_token(sequence: int) -> str:
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{sequence}".encode()).decode().rstrip("=")


def decode_token(token: str, field: str = "page_token") -> int:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidArgument(field, "page-token") from None
    digits = raw.removeprefix(_CURSOR_PREFIX)
    if not raw.startswith(_CURSOR_PREFIX) or not digits.isdigit() or len(digits) > 18:
        raise InvalidArgument(field, "page-token")
    return int(digits)


@dataclass(frozen=True)
class Page:
    forms: list[forms.FormView]
    next_token: str
    more: bool


def list_sent(store: Store, *, since: datetime | None = None, page_token: str = "", page_size: int = 0) -> Page:
    """Sent forms after the token's position (or from `since`, or from the first one)."""
    with Problems() as p:
        after = p.check(decode_token, page_token) if page_token else None
        if page_size < 0 or page_size > PAGE_SIZE_MAX:
            p.add("page_size", "page-size", max=PAGE_SIZE_MAX)
    size = page_size or PAGE_SIZE_DEFAULT
    with store.reading() as session:
        if after is None:
            after = _start(session, since)
        rows = list(session.scalars(select(Form).where(Form.sequence > after).order_by(Form.sequence)
                                    .limit(size + 1)))
        more = len(rows) > size
        rows = rows[:size]
        last = rows[-1].sequence if rows else after
        return Page(forms.views(session, rows), encode_token(last), more)


def _start(session: Session, since: datetime | None) -> int:
    """The position just before the first form sent at or after `since` (sent_at follows
    the sequence: it is taken after the counter, under its lock)."""
    if since is None:
        return 0
    first = session.scalar(select(Form.sequence).where(Form.sent_at >= since)
                           .order_by(Form.sent_at, Form.sequence).limit(1))
    if first is not None:
        return first - 1
    return session.scalar(select(func.max(Form.sequence))) or 0


@dataclass(frozen=True)
class Answered:
    view: forms.FormView
    replayed: bool


def answer(store: Store, request_id: str, *, form_id: str, outcome: str, reason: str = "",
           answered_by: str = "") -> Answered:
    """Accepts or rejects a sent form, once: the CPAS gets a message, the file a history
    entry."""
    with Problems() as p:
        key = p.check(validation.request_id, "request_id", request_id)
        public_id = p.check(validation.form_id, "form_id", form_id)
        outcome = p.check(validation.choice, "answer", outcome, ANSWERS)
        reason = p.check(validation.text, "reason", reason, maximum=REASON_MAX,
                         required=outcome == forms.REJECTED) or ""
        officer = p.check(validation.text, "answered_by", answered_by, maximum=200, required=False) or history.SPP_IS
    values = dict(form=public_id, outcome=outcome, reason=reason, by=officer)

    def work(session: Session) -> Answered:
        claimed, replayed = idempotency.claim(session, idempotency.SPP_SCOPE, key, "answer-form", values)
        if replayed:
            return Answered(forms.views(session, [session.get(Form, claimed.form_id)])[0], True)
        form = session.scalars(select(Form).where(Form.public_id == public_id, Form.sequence.is_not(None))
                               .with_for_update()).one_or_none()
        if form is None:
            raise NotFound("form_id", "form-not-found", form_id=public_id)
        if form.status != forms.SENT:
            raise FailedPrecondition("form_id", "form-already-answered", answer=form.status)
        now = utcnow()
        form.status, form.answered_at, form.answer_reason, form.answered_by = outcome, now, reason, officer
        session.add(Message(enterprise_number=form.enterprise_number, file_id=form.file_id, form_id=form.id,
                            answer=outcome, reason=reason, created_at=now))
        history.record(session, session.get(File, form.file_id), "form-answered",
                       {"form": form.public_id, "answer": outcome, "reason": reason,
                        "period_start": form.period_start, "period_end": form.period_end},
                       actor_nrn=None, actor_name=officer, form=form, at=now)
        claimed.form_id, claimed.file_id = form.id, form.file_id
        return Answered(forms.views(session, [form])[0], False)

    return store.writing(work)
