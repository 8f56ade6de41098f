"""Reimbursement forms (formulaire B): prepared from a granted decision, edited while a
draft, sent to the SPP IS, then immutable; corrected by a new form that references the
one it corrects.

    draft --send--> sent --SPP IS answer--> accepted | rejected
      \\--discard--> discarded          sent/accepted/rejected --correct--> new draft (corrects_id)

Sending takes the next value of the "sent-forms" counter as the form's sequence, last
thing in the transaction: the SPP IS lists forms in that order (see spp.py).
"""

from __future__ import annotations

import calendar
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.primaweb import counters, files, history, idempotency, validation
from services.primaweb.errors import FailedPrecondition, NotFound, Problems
from services.primaweb.gates import Action, Actor
from services.primaweb.models import SENT_FORMS_COUNTER, Decision, File, Form, utcnow
from services.primaweb.store import Store

DRAFT, SENT, ACCEPTED, REJECTED, DISCARDED = "draft", "sent", "accepted", "rejected", "discarded"
STATUSES = (DRAFT, SENT, ACCEPTED, REJECTED, DISCARDED)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class FormView:
    form: Form
    corrects: str  # public id of the form it corrects, or ""
    corrected_by: str  # public id of its (non-discarded) correction, or ""


@dataclass(frozen=True)
class Result:
    view: FormView
    replayed: bool


def total_amount(monthly: Decimal, start: date, end: date) -> Decimal:
    """The amount for a period: per calendar month, monthly x days covered / days in the
    month, rounded half-up to the cent (a whole month is exactly the monthly amount)."""
    total = Decimal("0.00")
    day = start
    while day <= end:
        days_in_month = calendar.monthrange(day.year, day.month)[1]
        last = min(end, day.replace(day=days_in_month))
        covered = (last - day).days + 1
        total += (monthly * covered / days_in_month).quantize(CENT, rounding=ROUND_HALF_UP)
        day = last + timedelta(days=1)
    return total


def views(session: Session, forms: list[Form]) -> list[FormView]:
    """Forms with the public ids of the forms they correct and of their corrections."""
    if not forms:
        return []
    ids = [f.id for f in forms]
    corrected = {f.corrects_id for f in forms if f.corrects_id}
    corrects: dict[int, str] = {}
    if corrected:
        corrects = dict(session.execute(select(Form.id, Form.public_id).where(Form.id.in_(corrected))).all())
    corrections = dict(session.execute(
        select(Form.corrects_id, Form.public_id).where(Form.corrects_id.in_(ids), Form.status != DISCARDED)
    ).all())
    return [FormView(f, corrects.get(f.corrects_id or 0, ""), corrections.get(f.id, "")) for f in forms]


def of_file(session: Session, file_id: int) -> list[FormView]:
    return views(session, list(session.scalars(select(Form).where(Form.file_id == file_id).order_by(Form.id.desc()))))


def _find(session: Session, actor: Actor, public_id: str, *, lock: bool = False) -> Form:
    stmt = select(Form).where(Form.public_id == public_id, Form.enterprise_number == actor.entity)
    if lock:
        stmt = stmt.with_for_update()
    form = session.scalars(stmt).one_or_none()
    if form is None:
        raise NotFound("form_id", "form-not-found", form_id=public_id)
    return form


def _check_against_decision(decision: Decision, start: date, end: date, amount: Decimal) -> None:
    """A form claims at most what the decision granted: within its period, at most its
    monthly amount."""
    with Problems() as p:
        if end < start:
            p.add("period_end", "period-order")
        else:
            bounds = {"start": decision.period_start, "end": decision.period_end}
            if not decision.period_start <= start <= decision.period_end:
                p.add("period_start", "period-outside-decision", **bounds)
            if not decision.period_start <= end <= decision.period_end:
                p.add("period_end", "period-outside-decision", **bounds)
        if amount > decision.monthly_amount:
            p.add("monthly_amount", "amount-max", max=decision.monthly_amount)


def _values(p: Problems, start_text: str, end_text: str, amount_text: str, *, required: bool):
    """The period and amount given; when not required, an empty value is None (it then
    defaults to the decision's, or the corrected form's)."""
    start = p.check(validation.iso_date, "period_start", start_text, required=required)
    end = p.check(validation.iso_date, "period_end", end_text, required=required)
    if not p.failed("period_start", "period_end") and start is not None and end is not None and end < start:
        p.add("period_end", "period-order")
    amount = p.check(validation.amount, "monthly_amount", amount_text, required=required)
    return start, end, amount


def _new_form(actor: Actor, file: File, decision: Decision, start: date, end: date, amount: Decimal,
              corrects: Form | None = None) -> Form:
    source = corrects
    return Form(
        public_id=str(uuid.uuid4()), enterprise_number=actor.entity, file_id=file.id, decision_id=decision.id,
        corrects_id=corrects.id if corrects is not None else None, status=DRAFT, period_start=start, period_end=end,
        monthly_amount=amount, total_amount=total_amount(amount, start, end),
        file_number=file.number, decision_number=decision.number, decided_on=decision.decided_on,
        nrn=source.nrn if source else file.nrn, first_name=source.first_name if source else file.first_name,
        last_name=source.last_name if source else file.last_name,
        birth_date=source.birth_date if source else file.birth_date, sex=source.sex if source else file.sex,
        law=source.law if source else file.law, category=source.category if source else file.category,
        created_at=utcnow(), created_by_nrn=actor.nrn, created_by_name=actor.name,
    )


def _period_details(form: Form) -> dict[str, object]:
    return {"form": form.public_id, "period_start": form.period_start, "period_end": form.period_end,
            "monthly_amount": validation.euros(form.monthly_amount),
            "total_amount": validation.euros(form.total_amount)}


def _replay(session: Session, form_id: int | None) -> Result:
    return Result(views(session, [session.get(Form, form_id)])[0], True)


# --- the actions --------------------------------------------------------------------------


def prepare(store: Store, actor: Actor, request_id: str, *, file_number: str, decision_number: int = 0,
            period_start: str = "", period_end: str = "", monthly_amount: str = "") -> Result:
    """A draft from a granted decision (the current one unless a number is given); the
    period and monthly amount default to the decision's."""
    actor.require(Action.HANDLE_FORMS)
    with Problems() as p:
        key = p.check(validation.request_id, "request_id", request_id)
        number = p.check(validation.file_number, "file_number", file_number)
        if decision_number < 0:
            p.add("decision_number", "page")
        start, end, amount = _values(p, period_start, period_end, monthly_amount, required=False)
    values = dict(file=number, decision=decision_number, start=start, end=end, amount=amount, actor=actor.nrn)

    def work(session: Session) -> Result:
        claimed, replayed = idempotency.claim(session, actor.entity, key, "prepare-form", values)
        if replayed:
            return _replay(session, claimed.form_id)
        file = files.find(session, actor.entity, number)
        wanted = decision_number or file.decisions
        if not wanted:
            raise FailedPrecondition("file_number", "no-decision", number=file.number)
        decision = session.scalars(select(Decision).where(Decision.file_id == file.id,
                                                          Decision.number == wanted)).one_or_none()
        if decision is None:
            raise NotFound("decision_number", "decision-not-found", decision=wanted, number=file.number)
        if decision.outcome != files.GRANTED:
            raise FailedPrecondition("decision_number", "decision-not-granted", decision=wanted, number=file.number)
        form_start, form_end = start or decision.period_start, end or decision.period_end
        form_amount = amount or decision.monthly_amount
        _check_against_decision(decision, form_start, form_end, form_amount)
        form = _new_form(actor, file, decision, form_start, form_end, form_amount)
        session.add(form)
        session.flush()
        history.record(session, file, "form-prepared", _period_details(form), actor_nrn=actor.nrn,
                       actor_name=actor.name, form=form, at=form.created_at)
        claimed.form_id, claimed.file_id = form.id, file.id
        return Result(FormView(form, "", ""), False)

    return store.writing(work)


def _draft_action(store: Store, actor: Actor, request_id: str, form_id: str, operation: str, change,
                  parse=None) -> Result:
    """The frame of update, discard and send: a draft of the actor's entity, locked."""
    actor.require(Action.HANDLE_FORMS)
    with Problems() as p:
        key = p.check(validation.request_id, "request_id", request_id)
        public_id = p.check(validation.form_id, "form_id", form_id)
        parsed = parse(p) if parse is not None else None
    values = {"form": public_id, "values": parsed, "actor": actor.nrn}

    def work(session: Session) -> Result:
        claimed, replayed = idempotency.claim(session, actor.entity, key, operation, values)
        if replayed:
            return _replay(session, claimed.form_id)
        form = _find(session, actor, public_id, lock=True)
        if form.status != DRAFT:
            raise FailedPrecondition("form_id", "form-not-draft", status=form.status)
        file = session.get(File, form.file_id)
        change(session, form, file, parsed)
        claimed.form_id, claimed.file_id = form.id, file.id
        return Result(views(session, [form])[0], False)

    return store.writing(work)


def update(store: Store, actor: Actor, request_id: str, *, form_id: str, period_start: str, period_end: str,
           monthly_amount: str) -> Result:
    """New period and monthly amount of a draft, within the decision's."""

    def parse(p: Problems):
        return _values(p, period_start, period_end, monthly_amount, required=True)

    def change(session: Session, form: Form, file: File, parsed) -> None:
        start, end, amount = parsed
        _check_against_decision(session.get(Decision, form.decision_id), start, end, amount)
        form.period_start, form.period_end, form.monthly_amount = start, end, amount
        form.total_amount = total_amount(amount, start, end)
        history.record(session, file, "form-updated", _period_details(form), actor_nrn=actor.nrn,
                       actor_name=actor.name, form=form)

    return _draft_action(store, actor, request_id, form_id, "update-form", change, parse)


def discard(store: Store, actor: Actor, request_id: str, *, form_id: str) -> Result:
    def change(session: Session, form: Form, file: File, _parsed) -> None:
        form.status = DISCARDED
        history.record(session, file, "form-discarded", {"form": form.public_id}, actor_nrn=actor.nrn,
                       actor_name=actor.name, form=form)

    return _draft_action(store, actor, request_id, form_id, "discard-form", change)


def send(store: Store, actor: Actor, request_id: str, *, form_id: str) -> Result:
    """The draft goes to the SPP IS: it takes the next sequence number, then is immutable."""

    def change(session: Session, form: Form, file: File, _parsed) -> None:
        # Last: the counter's row lock is held from here to the commit, the shorter the better.
        form.sequence = counters.next_value(session, SENT_FORMS_COUNTER)
        form.status, form.sent_at = SENT, utcnow()  # after the lock: sent_at follows the sequence
        form.sent_by_nrn, form.sent_by_name = actor.nrn, actor.name
        history.record(session, file, "form-sent", _period_details(form), actor_nrn=actor.nrn,
                       actor_name=actor.name, form=form, at=form.sent_at)

    return _draft_action(store, actor, request_id, form_id, "send-form", change)


def correct(store: Store, actor: Actor, request_id: str, *, form_id: str, period_start: str = "",
            period_end: str = "", monthly_amount: str = "") -> Result:
    """A new draft correcting a sent form; empty values are those of the form corrected."""
    actor.require(Action.HANDLE_FORMS)
    with Problems() as p:
        key = p.check(validation.request_id, "request_id", request_id)
        public_id = p.check(validation.form_id, "form_id", form_id)
        start, end, amount = _values(p, period_start, period_end, monthly_amount, required=False)
    values = dict(form=public_id, start=start, end=end, amount=amount, actor=actor.nrn)

    def work(session: Session) -> Result:
        claimed, replayed = idempotency.claim(session, actor.entity, key, "correct-form", values)
        if replayed:
            return _replay(session, claimed.form_id)
        original = _find(session, actor, public_id, lock=True)
        if original.status not in (SENT, ACCEPTED, REJECTED):
            raise FailedPrecondition("form_id", "form-not-sent", status=original.status)
        existing = session.scalars(select(Form.public_id).where(Form.corrects_id == original.id,
                                                                Form.status != DISCARDED)).first()
        if existing is not None:
            raise FailedPrecondition("form_id", "form-already-corrected", form_id=existing)
        decision = session.get(Decision, original.decision_id)
        file = session.get(File, original.file_id)
        form_start, form_end = start or original.period_start, end or original.period_end
        form_amount = amount or original.monthly_amount
        _check_against_decision(decision, form_start, form_end, form_amount)
        form = _new_form(actor, file, decision, form_start, form_end, form_amount, corrects=original)
        session.add(form)
        session.flush()
        history.record(session, file, "form-correction-prepared",
                       {**_period_details(form), "corrects": original.public_id}, actor_nrn=actor.nrn,
                       actor_name=actor.name, form=form, at=form.created_at)
        claimed.form_id, claimed.file_id = form.id, file.id
        return Result(FormView(form, original.public_id, ""), False)

    return store.writing(work)


# --- reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Listing:
    forms: list[FormView]
    total: int
    page: validation.Page


def listing(store: Store, actor: Actor, *, status: str = "", file_number: str = "", page: int = 0,
            page_size: int = 0) -> Listing:
    actor.require(Action.VIEW_FORMS)
    with Problems() as p:
        status = p.check(validation.choice, "status", status, STATUSES) if status else ""
        number = p.check(validation.file_number, "file_number", file_number) if file_number else ""
        paging = p.check(validation.page, page, page_size)
    where = [Form.enterprise_number == actor.entity]
    if status:
        where.append(Form.status == status)
    if number:
        where.append(Form.file_number == number)
    with store.reading() as session:
        total = session.scalar(select(func.count()).select_from(Form).where(*where)) or 0
        rows = list(session.scalars(select(Form).where(*where).order_by(Form.id.desc())
                                    .offset(paging.offset).limit(paging.size))) if total > paging.offset else []
        return Listing(views(session, rows), total, paging)


def get(store: Store, actor: Actor, form_id: str) -> FormView:
    actor.require(Action.VIEW_FORMS)
    with Problems() as p:
        public_id = p.check(validation.form_id, "form_id", form_id)
    with store.reading() as session:
        return views(session, [_find(session, actor, public_id)])[0]


def count_drafts(session: Session, entity: str) -> int:
    return session.scalar(select(func.count()).select_from(Form).where(
        Form.enterprise_number == entity, Form.status == DRAFT)) or 0

