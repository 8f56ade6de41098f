"""The roles service's tables (SQLAlchemy 2, typed declarative).

The schema itself is made by the Alembic migrations in `migrations/`, never by
`create_all`; these classes describe it for queries (and for `alembic revision
--autogenerate`, which compares them with the database).

Times are timezone-aware UTC everywhere: `UTCDateTime` stores them as `timestamptz` on
PostgreSQL and as naive UTC text on SQLite, and always gives back aware UTC datetimes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, ForeignKeyConstraint, Index, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from services.common.sql import NAMING_CONVENTION, UTCDateTime, utcnow  # noqa: F401 (re-exported)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime}


class Person(Base):
    __tablename__ = "persons"

    nrn: Mapped[str] = mapped_column(String(11), primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Entity(Base):
    __tablename__ = "entities"

    enterprise_number: Mapped[str] = mapped_column(String(10), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    commune: Mapped[str] = mapped_column(String(100))


class QualityHeld(Base):
    """A person holds a quality (a quality id of the portal catalogue) for an entity."""

    __tablename__ = "qualities_held"

    person_nrn: Mapped[str] = mapped_column(ForeignKey("persons.nrn"), primary_key=True)
    enterprise_number: Mapped[str] = mapped_column(ForeignKey("entities.enterprise_number"), primary_key=True)
    quality_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The access manager who granted it; NULL when loaded by an administrator (demo data).
    granted_by_nrn: Mapped[str | None] = mapped_column(ForeignKey("persons.nrn"))


class ApplicationRole(Base):
    """A person holds a role in an application for an entity."""

    __tablename__ = "application_roles"

    person_nrn: Mapped[str] = mapped_column(ForeignKey("persons.nrn"), primary_key=True)
    enterprise_number: Mapped[str] = mapped_column(ForeignKey("entities.enterprise_number"), primary_key=True)
    application: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[str] = mapped_column(String(64), primary_key=True)
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
    granted_by_nrn: Mapped[str | None] = mapped_column(ForeignKey("persons.nrn"))


class Agent(Base):
    """A person registered as a PrimaWeb agent of an entity (at their first start)."""

    __tablename__ = "agents"

    enterprise_number: Mapped[str] = mapped_column(ForeignKey("entities.enterprise_number"), primary_key=True)
    person_nrn: Mapped[str] = mapped_column(ForeignKey("persons.nrn"), primary_key=True)
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When a profile was last assigned or withdrawn; NULL if never.
    profiles_changed_at: Mapped[datetime | None]


class Profile(Base):
    """The PrimaWeb profile catalogue (reference data, seeded by a migration)."""

    __tablename__ = "profiles"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    display_order: Mapped[int] = mapped_column(unique=True)
    label_fr: Mapped[str] = mapped_column(String(200))
    label_nl: Mapped[str] = mapped_column(String(200))
    label_de: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))
    description_fr: Mapped[str] = mapped_column(String(500))
    description_nl: Mapped[str] = mapped_column(String(500))
    description_de: Mapped[str] = mapped_column(String(500))
    description_en: Mapped[str] = mapped_column(String(500))


class ProfileAssignment(Base):
    """A profile an agent holds now, and who assigned it when."""

    __tablename__ = "profile_assignments"
    __table_args__ = (
        ForeignKeyConstraint(
            ["enterprise_number", "agent_nrn"], ["agents.enterprise_number", "agents.person_nrn"],
            name="fk_profile_assignments_agent",
        ),
    )

    enterprise_number: Mapped[str] = mapped_column(String(10), primary_key=True)
    agent_nrn: Mapped[str] = mapped_column(String(11), primary_key=True)
    profile_code: Mapped[str] = mapped_column(ForeignKey("profiles.code"), primary_key=True)
    assigned_by_nrn: Mapped[str] = mapped_column(ForeignKey("persons.nrn"))
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProfileChange(Base):
    """The history of profile assignments and withdrawals: append-only."""

    __tablename__ = "profile_changes"
    __table_args__ = (
        ForeignKeyConstraint(
            ["enterprise_number", "agent_nrn"], ["agents.enterprise_number", "agents.person_nrn"],
            name="fk_profile_changes_agent",
        ),
        CheckConstraint("change IN ('assigned', 'withdrawn')", name="change"),
        Index("ix_profile_changes_agent", "enterprise_number", "agent_nrn", "changed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    enterprise_number: Mapped[str] = mapped_column(String(10))
    agent_nrn: Mapped[str] = mapped_column(String(11))
    profile_code: Mapped[str] = mapped_column(ForeignKey("profiles.code"))
    change: Mapped[str] = mapped_column(String(16))
    changed_by_nrn: Mapped[str] = mapped_column(ForeignKey("persons.nrn"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
