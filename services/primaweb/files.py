"""Files (dossiers): opening one for a beneficiary, the Conseil's decisions, closing,
searching and reading one with everything it holds.

Every query filters on the actor's entity: a file of another CPAS is simply not found.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, or_, select, union_all
from sqlalchemy.orm import Session, aliased

from services.primaweb import counters, history, idempotency, validation
from services.primaweb.errors import FailedPrecondition, NotFound, Problems
from services.primaweb.gates import LAWS, Action, Actor
from services.primaweb.models import Decision, File, utcnow
from services.primaweb.store import Store

CATEGORIES = ("cohabitant", "isole", "famille-a-charge")
OPEN, CLOSED = "open", "closed"
STATUSES = (OPEN, CLOSED)
GRANTED, REFUSED = "granted", "refused"
OUTCOMES = (GRANTED, REFUSED)
NOTE_MAX = 1000
_AFTER_EVERY_CHARACTER = "\U0010ffff"  # the greatest code point: key < prefix + this <=> key starts with prefix


@dataclass(frozen=True)
class FileView:
    file: File
    decision: Decision | None  # the current (latest) decision


@dataclass(frozen=True)
class Result:
    view: FileView
    replayed: bool
    decision_number: int = 0


def _require_some_encodage(actor: Actor) -> None:
    """Before the file's law is known: the encodage profile of at least one law."""
    actor.require(Action.CHANGE_FILE_ANY_LAW)


def find(session: Session, entity: str, number: str, *, lock: bool = False, field: str = "file_number") -> File:
    stmt = select(File).where(File.enterprise_number == entity, File.number == number)
    if lock:
        stmt = stmt.with_for_update()
    found = session.scalars(stmt).one_or_none()
    if found is None:
        raise NotFound(field, "file-not-found", number=number)
    return found


def current_decision(session: Session, file: File) -> Decision | None:
    if not file.decisions:
        return None
    return session.scalars(select(Decision).where(Decision.file_id == file.id, Decision.number == file.decisions)).one()


def view(session: Session, file: File) -> FileView:
    return FileView(file, current_decision(session, file))


# --- opening a file ---------------------------------------------------------------------


def create_file(store: Store, actor: Actor, request_id: str, *, nrn: str, first_name: str, last_name: str,
                street: str, postal_code: str, municipality: str, law: str, category: str,
                social_worker_nrn: str = "", social_worker_name: str = "") -> Result:
    """Opens a file. The birth date and the sex come from the national register number."""
    _require_some_encodage(actor)
    with Problems() as p:
        key = p.check(validation.request_id, "request_id", request_id)
        nrn = p.check(validation.nrn, "nrn", nrn)
        first_name = p.check(validation.text, "first_name", first_name)
        last_name = p.check(validation.text, "last_name", last_name)
        street = p.check(validation.text, "street", street, maximum=200)
        postal_code = p.check(validation.postal_code, "postal_code", postal_code)
        municipality = p.check(validation.text, "municipality", municipality)
        law = p.check(validation.choice, "law", law, LAWS)
        category = p.check(validation.choice, "category", category, CATEGORIES)
        worker_nrn = p.check(validation.nrn, "social_worker_nrn", social_worker_nrn) if social_worker_nrn \
            else actor.nrn
        worker_name = p.check(validation.text, "social_worker_name", social_worker_name, maximum=200,
                              required=bool(worker_nrn) and worker_nrn != actor.nrn)
    actor.require(Action.CHANGE_FILE, law)
    worker_name = worker_name or actor.name
    values = dict(nrn=nrn, first_name=first_name, last_name=last_name, street=street, postal_code=postal_code,
                  municipality=municipality, law=law, category=category, social_worker_nrn=worker_nrn,
                  social_worker_name=worker_name, actor=actor.nrn)

    def work(session: Session) -> Result:
        claimed, replayed = idempotency.claim(session, actor.entity, key, "create-file", values)
        if replayed:
            return Result(view(session, session.get(File, claimed.file_id)), True)
        existing = session.scalars(select(File).where(
            File.enterprise_number == actor.entity, File.nrn == nrn, File.law == law, File.status == OPEN)).first()
        if existing is not None:
            raise FailedPrecondition("nrn", "duplicate-open-file", number=existing.number,
                                     name=f"{existing.first_name} {existing.last_name}")
        now = utcnow()
        rank = counters.next_value(session, counters.file_counter(actor.entity, now.year))
        file = File(
            enterprise_number=actor.entity, number=f"{now.year}/{rank:06d}", nrn=nrn,
            first_name=first_name, last_name=last_name, first_name_key=validation.name_key(first_name),
            last_name_key=validation.name_key(last_name), birth_date=validation.birth_date(nrn),
            sex=validation.sex(nrn), street=street, postal_code=postal_code, municipality=municipality, law=law,
            category=category, status=OPEN, social_worker_nrn=worker_nrn, social_worker_name=worker_name,
            created_at=now, created_by_nrn=actor.nrn, created_by_name=actor.name, decisions=0,
        )
        session.add(file)
        session.flush()
        history.record(session, file, "file-created",
                       {"number": file.number, "law": law, "category": category, "social_worker_nrn": worker_nrn,
                        "social_worker_name": worker_name},
                       actor_nrn=actor.nrn, actor_name=actor.name, at=now)
        claimed.file_id = file.id
        return Result(FileView(file, None), False)

    return store.writing(work)


# --- decisions and closing ---------------------------------------------------------------


def record_decision(store: Store, actor: Actor, request_id: str, *, file_number: str, decided_on: str,
                    outcome: str, monthly_amount: str = "", period_start: str = "", period_end: str = "",
                    note: str = "") -> Result:
    """Records a decision of the Conseil on an open file; the latest is the current one."""
    _require_some_encodage(actor)
    with Problems() as p:
        key = p.check(validation.request_id, "request_id", request_id)
        number = p.check(validation.file_number, "file_number", file_number)
        decided = p.check(validation.iso_date, "decided_on", decided_on)
        if decided is not None and decided > date.today():
            p.add("decided_on", "date-future")
        outcome = p.check(validation.choice, "outcome", outcome, OUTCOMES)
        if outcome == REFUSED and monthly_amount:
            p.add("monthly_amount", "amount-not-allowed")
            amount = None
        else:
            amount = p.check(validation.amount, "monthly_amount", monthly_amount, required=outcome == GRANTED)
        start, end = _period(p, period_start, period_end, required=outcome == GRANTED)
        note = p.check(validation.text, "note", note, maximum=NOTE_MAX, required=False) or ""
    values = dict(file=number, decided_on=decided, outcome=outcome, amount=amount, start=start, end=end, note=note,
                  actor=actor.nrn)

    def work(session: Session) -> Result:
        claimed, replayed = idempotency.claim(session, actor.entity, key, "record-decision", values)
        if replayed:
            return Result(view(session, session.get(File, claimed.file_id)), True, claimed.decision_number or 0)
        file = find(session, actor.entity, number, lock=True)
        actor.require(Action.CHANGE_FILE, file.law)
        if file.status != OPEN:
            raise FailedPrecondition("file_number", "file-closed", number=file.number)
        now = utcnow()
        file.decisions += 1
        file.latest_outcome = outcome
        decision = Decision(file_id=file.id, number=file.decisions, decided_on=decided, outcome=outcome,
                            monthly_amount=amount, period_start=start, period_end=end, note=note, recorded_at=now,
                            recorded_by_nrn=actor.nrn, recorded_by_name=actor.name)
        session.add(decision)
        history.record(session, file, "decision-recorded",
                       {"decision": decision.number, "decided_on": decided, "outcome": outcome,
                        "monthly_amount": validation.euros(amount) if amount is not None else None,
                        "period_start": start, "period_end": end, "note": note},
                       actor_nrn=actor.nrn, actor_name=actor.name, at=now)
        session.flush()
        claimed.file_id, claimed.decision_number = file.id, decision.number
        return Result(FileView(file, decision), False, decision.number)

    return store.writing(work)


def _period(p: Problems, start_text: str, end_text: str, *, required: bool,
            prefix: str = "period_") -> tuple[date | None, date | None]:
    """A period of at most 12 months, both ends given (required) or both empty."""
    start = p.check(validation.iso_date, f"{prefix}start", start_text, required=required)
    end = p.check(validation.iso_date, f"{prefix}end", end_text, required=required)
    if p.failed(f"{prefix}start", f"{prefix}end"):
        return None, None
    if (start is None) != (end is None):
        p.add(f"{prefix}end" if end is None else f"{prefix}start", "period-incomplete")
        return None, None
    if start is not None and end is not None:
        if end < start:
            p.add(f"{prefix}end", "period-order")
        elif end >= validation.add_months(start, 12):
            p.add(f"{prefix}end", "period-too-long")
    return start, end


def close_file(store: Store, actor: Actor, request_id: str, *, file_number: str) -> Result:
    _require_some_encodage(actor)
    with Problems() as p:
        key = p.check(validation.request_id, "request_id", request_id)
        number = p.check(validation.file_number, "file_number", file_number)

    def work(session: Session) -> Result:
        claimed, replayed = idempotency.claim(session, actor.entity, key, "close-file",
                                              {"file": number, "actor": actor.nrn})
        if replayed:
            return Result(view(session, session.get(File, claimed.file_id)), True)
        file = find(session, actor.entity, number, lock=True)
        actor.require(Action.CHANGE_FILE, file.law)
        if file.status != OPEN:
            raise FailedPrecondition("file_number", "file-closed", number=file.number)
        file.status, file.closed_at = CLOSED, utcnow()
        history.record(session, file, "file-closed", {}, actor_nrn=actor.nrn, actor_name=actor.name,
                       at=file.closed_at)
        claimed.file_id = file.id
        return Result(view(session, file), False)

    return store.writing(work)


# --- searching and reading ------------------------------------------------------------------


@dataclass(frozen=True)
class SearchResult:
    files: list[File]
    total: int
    page: validation.Page


def _prefix(column, key: str):
    return and_(column >= key, column < key + _AFTER_EVERY_CHARACTER)


def search(store: Store, actor: Actor, *, number: str = "", name: str = "", nrn: str = "", law: str = "",
           status: str = "", mine: bool = False, page: int = 0, page_size: int = 0) -> SearchResult:
    """The entity's files matching every criterion given, by last name, first name, id."""
    actor.require(Action.SEARCH_FILES)
    with Problems() as p:
        number = p.check(validation.file_number, "number", number) if number else ""
        name = p.check(validation.text, "name", name, required=False) or ""
        nrn = p.check(validation.nrn, "nrn", nrn) if nrn else ""
        law = p.check(validation.choice, "law", law, LAWS) if law else ""
        status = p.check(validation.choice, "status", status, STATUSES) if status else ""
        paging = p.check(validation.page, page, page_size)
    where = [File.enterprise_number == actor.entity]
    if number:
        where.append(File.number == number)
    if nrn:
        where.append(File.nrn == nrn)
    if law:
        where.append(File.law == law)
    if status:
        where.append(File.status == status)
    if mine:
        where.append(File.social_worker_nrn == actor.nrn)
    order = ("last_name_key", "first_name_key", "id")
    if name:
        key = validation.name_key(name)
        by_last, by_first = _prefix(File.last_name_key, key), _prefix(File.first_name_key, key)
        count = select(func.count()).select_from(File).where(*where, or_(by_last, by_first))
        # The page: two index range scans (last names; first names not already found)
        # appended, then sorted. With a plain OR the PostgreSQL planner may walk the whole
        # name index in order, filtering as it goes, to fill a page.
        both = union_all(select(File).where(*where, by_last),
                         select(File).where(*where, by_first, ~by_last)).subquery()
        found = aliased(File, both)
        page_query = select(found).order_by(*(getattr(found, c) for c in order))
    else:
        count = select(func.count()).select_from(File).where(*where)
        page_query = select(File).where(*where).order_by(*(getattr(File, c) for c in order))
    with store.reading() as session:
        total = session.scalar(count) or 0
        rows: list[File] = []
        if total > paging.offset:
            rows = list(session.scalars(page_query.offset(paging.offset).limit(paging.size)))
    return SearchResult(rows, total, paging)


@dataclass(frozen=True)
class FileContents:
    view: FileView
    decisions: list[Decision]  # newest first
    forms: list  # forms.FormView, newest first
    messages: list  # messages.MessageView, newest first
    history: list[history.Entry]  # oldest first


def get(store: Store, actor: Actor, number: str) -> FileContents:
    """A file with its decisions, forms, messages and history, read in one transaction."""
    from services.primaweb import forms, messages  # they build on this module

    actor.require(Action.VIEW_FILE)
    with Problems() as p:
        number = p.check(validation.file_number, "number", number)
    with store.reading() as session:
        file = find(session, actor.entity, number, field="number")
        decisions = list(session.scalars(
            select(Decision).where(Decision.file_id == file.id).order_by(Decision.number.desc())))
        return FileContents(
            view=FileView(file, decisions[0] if decisions else None),
            decisions=decisions,
            forms=forms.of_file(session, file.id),
            messages=messages.of_file(session, file.id),
            history=history.of_file(session, file.id),
        )
