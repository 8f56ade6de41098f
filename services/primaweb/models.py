"""The PrimaWeb service's tables (SQLAlchemy 2, typed declarative).

The schema itself is made by the Alembic migrations in `migrations/`, never by
`create_all`; these classes describe it for queries (and for `alembic revision
--autogenerate`, which compares them with the database).

- Every row of files, forms, messages and history carries the entity (enterprise
  number) it belongs to, and every query of the CPAS side filters on it.
- Times are timezone-aware UTC (`UTCDateTime`: timestamptz on PostgreSQL, naive UTC text on
  SQLite). Dates are SQL dates.
- Amounts are exact euros (`Euros`): NUMERIC(12,2) on PostgreSQL; on SQLite, which has no
  decimal type (NUMERIC there is a float), whole cents in an INTEGER. Python sees
  `Decimal` with 2 decimals on both, never a float.
- Names are stored twice: as typed, and as a search key (accents removed, case folded)
  with the byte-wise "C" collation on PostgreSQL, so that a name prefix is an index range
  scan on both databases.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from services.common.sql import NAMING_CONVENTION, UTCDateTime, utcnow  # noqa: F401 (re-exported)

CENT = Decimal("0.01")


def euros_column_type():
    """The SQL type of an amount column (also used by the migrations)."""
    return Numeric(12, 2).with_variant(BigInteger(), "sqlite")


class Euros(TypeDecorator[Decimal]):
    """Exact euros: NUMERIC(12,2) on PostgreSQL, integer cents on SQLite."""

    impl = Numeric(12, 2)
    cache_ok = True

    def load_dialect_impl(self, dialect):
        return dialect.type_descriptor(BigInteger() if dialect.name == "sqlite" else Numeric(12, 2, asdecimal=True))

    def process_bind_param(self, value: Decimal | None, dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise TypeError(f"amounts are Decimal, not {type(value).__name__}")
        if value != value.quantize(CENT):
            raise ValueError(f"amount {value} has more than 2 decimals")
        return int(value * 100) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return (Decimal(int(value)) / 100).quantize(CENT)
        return Decimal(value).quantize(CENT)


def name_key_type(length: int = 100):
    """A search key column: byte-wise collation on PostgreSQL (prefix ranges use the index)."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime, Decimal: Euros, date: Date}


class Counter(Base):
    """Named counters, incremented with UPDATE ... RETURNING inside the transaction that
    uses the value: the row lock makes concurrent users queue, so values are handed out
    in commit order and a rolled-back transaction leaves no gap.

    - "sent-forms": the sequence of forms sent to the SPP IS (seeded by the migration);
    - "file:<enterprise number>:<year>": the last file number of a CPAS in a year.
    """

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


class File(Base):
    """A beneficiary's file (dossier) in a CPAS, under one law."""

    __tablename__ = "files"
    __table_args__ = (
        UniqueConstraint("enterprise_number", "number", name="uq_files_number"),
        # One open file per person and law in a CPAS: the database itself refuses a second,
        # even from two requests racing.
        Index("uq_files_open_person", "enterprise_number", "nrn", "law", unique=True,
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
        Index("ix_files_name", "enterprise_number", "last_name_key", "first_name_key", "id"),
        Index("ix_files_first_name", "enterprise_number", "first_name_key"),
        Index("ix_files_nrn", "enterprise_number", "nrn"),
        Index("ix_files_status", "enterprise_number", "status", "law"),
        Index("ix_files_social_worker", "enterprise_number", "social_worker_nrn", "last_name_key",
              "first_name_key", "id"),
        CheckConstraint("law IN ('ris-2002', 'aide-sociale-1965')", name="law"),
        CheckConstraint("category IN ('cohabitant', 'isole', 'famille-a-charge')", name="category"),
        CheckConstraint("status IN ('open', 'closed')", name="status"),
        CheckConstraint("sex IN ('M', 'F')", name="sex"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    enterprise_number: Mapped[str] = mapped_column(String(10))
    number: Mapped[str] = mapped_column(String(11))  # "2026/000123"
    nrn: Mapped[str] = mapped_column(String(11))
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    first_name_key: Mapped[str] = mapped_column(name_key_type())
    last_name_key: Mapped[str] = mapped_column(name_key_type())
    birth_date: Mapped[date | None]
    sex: Mapped[str] = mapped_column(String(1))
    street: Mapped[str] = mapped_column(String(200))
    postal_code: Mapped[str] = mapped_column(String(4))
    municipality: Mapped[str] = mapped_column(String(100))
    law: Mapped[str] = mapped_column(String(32))
    category: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    social_worker_nrn: Mapped[str] = mapped_column(String(11))
    social_worker_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_nrn: Mapped[str] = mapped_column(String(11))
    created_by_name: Mapped[str] = mapped_column(String(200))
    closed_at: Mapped[datetime | None]
    # The number of the latest decision (0: none yet) and its outcome, kept here so that a
    # search page needs no join.
    decisions: Mapped[int] = mapped_column(Integer, default=0)
    latest_outcome: Mapped[str | None] = mapped_column(String(16))


class Decision(Base):
    """A decision of the Conseil de l'Action Sociale on a file. Never updated: a revision is
    a new decision with the next number."""

    __tablename__ = "decisions"
    __table_args__ = (
        UniqueConstraint("file_id", "number", name="uq_decisions_number"),
        CheckConstraint("outcome IN ('granted', 'refused')", name="outcome"),
        CheckConstraint(
            "(outcome = 'granted' AND monthly_amount IS NOT NULL AND period_start IS NOT NULL"
            " AND period_end IS NOT NULL) OR (outcome = 'refused' AND monthly_amount IS NULL)",
            name="granted_has_amount_and_period"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"))
    number: Mapped[int] = mapped_column(Integer)
    decided_on: Mapped[date]
    outcome: Mapped[str] = mapped_column(String(16))
    monthly_amount: Mapped[Decimal | None]
    period_start: Mapped[date | None]
    period_end: Mapped[date | None]
    note: Mapped[str] = mapped_column(String(1000), default="")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_nrn: Mapped[str] = mapped_column(String(11))
    recorded_by_name: Mapped[str] = mapped_column(String(200))


class Form(Base):
    """A reimbursement form (formulaire B). The beneficiary's data are copied from the file
    when the form is prepared; once sent, no column changes but the answer's."""

    __tablename__ = "forms"
    __table_args__ = (
        UniqueConstraint("public_id", name="uq_forms_public_id"),
        UniqueConstraint("sequence", name="uq_forms_sequence"),
        # A form is corrected at most once (a discarded correction does not count).
        Index("uq_forms_corrects", "corrects_id", unique=True,
              sqlite_where=text("corrects_id IS NOT NULL AND status <> 'discarded'"),
              postgresql_where=text("corrects_id IS NOT NULL AND status <> 'discarded'")),
        Index("ix_forms_entity_status", "enterprise_number", "status", "id"),
        Index("ix_forms_file", "file_id", "id"),
        Index("ix_forms_sent_at", "sent_at"),
        CheckConstraint("status IN ('draft', 'sent', 'accepted', 'rejected', 'discarded')", name="status"),
        CheckConstraint("(status IN ('draft', 'discarded')) = (sequence IS NULL)", name="sent_has_sequence"),
        CheckConstraint("period_start <= period_end", name="period"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    public_id: Mapped[str] = mapped_column(String(36))  # a UUID: the form id of the contract
    enterprise_number: Mapped[str] = mapped_column(String(10))
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"))
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"))
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("forms.id"))
    status: Mapped[str] = mapped_column(String(16))
    period_start: Mapped[date]
    period_end: Mapped[date]
    monthly_amount: Mapped[Decimal]
    total_amount: Mapped[Decimal]
    # Copied from the file and the decision when prepared.
    file_number: Mapped[str] = mapped_column(String(11))
    decision_number: Mapped[int] = mapped_column(Integer)
    decided_on: Mapped[date]
    nrn: Mapped[str] = mapped_column(String(11))
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[date | None]
    sex: Mapped[str] = mapped_column(String(1))
    law: Mapped[str] = mapped_column(String(32))
    category: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_nrn: Mapped[str] = mapped_column(String(11))
    created_by_name: Mapped[str] = mapped_column(String(200))
    # Sending: the sequence is the SPP IS listing's order (Counter "sent-forms").
    sequence: Mapped[int | None] = mapped_column(BigInteger)
    sent_at: Mapped[datetime | None]
    sent_by_nrn: Mapped[str | None] = mapped_column(String(11))
    sent_by_name: Mapped[str | None] = mapped_column(String(200))
    # The SPP IS's answer.
    answered_at: Mapped[datetime | None]
    answer_reason: Mapped[str | None] = mapped_column(String(1000))
    answered_by: Mapped[str | None] = mapped_column(String(200))


class Message(Base):
    """A message from the SPP IS to a CPAS: its answer to a form."""

    __tablename__ = "messages"
    __table_args__ = (
        CheckConstraint("answer IN ('accepted', 'rejected')", name="answer"),
        Index("ix_messages_entity", "enterprise_number", "id"),
        Index("ix_messages_unread", "enterprise_number", "read_at"),
        Index("ix_messages_file", "file_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    enterprise_number: Mapped[str] = mapped_column(String(10))
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"))
    form_id: Mapped[int] = mapped_column(ForeignKey("forms.id"))
    answer: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    read_by_nrn: Mapped[str | None] = mapped_column(String(11))


class FileEvent(Base):
    """One entry of a file's history: who, when, what (a kind and its values)."""

    __tablename__ = "file_events"
    __table_args__ = (Index("ix_file_events_file", "file_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_nrn: Mapped[str | None] = mapped_column(String(11))  # NULL for the SPP IS
    actor_name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    form_id: Mapped[int | None] = mapped_column(ForeignKey("forms.id"))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class RequestKey(Base):
    """Idempotency keys: the first request with a key does the work and records what it
    made here, in the same transaction; a later one with the same key finds the row and
    answers that result. The primary key is what makes concurrent duplicates safe."""

    __tablename__ = "request_keys"

    scope: Mapped[str] = mapped_column(String(16), primary_key=True)  # enterprise number, or "spp-is"
    request_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    operation: Mapped[str] = mapped_column(String(32))
    fingerprint: Mapped[str] = mapped_column(String(64))  # sha256 of the request's values
    file_id: Mapped[int | None] = mapped_column(ForeignKey("files.id"))
    form_id: Mapped[int | None] = mapped_column(ForeignKey("forms.id"))
    decision_number: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


SENT_FORMS_COUNTER = "sent-forms"  # seeded by the first migration
