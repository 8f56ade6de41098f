"""Counters handed out inside the transaction that uses their value.

`next_value` increments a row with UPDATE ... RETURNING: the row stays locked until the
transaction ends, so concurrent users queue on it and get consecutive values in the order
they commit (on SQLite, the write lock of BEGIN IMMEDIATE does the same). A transaction
rolled back gives its value back. This is what makes the SPP IS listing's order safe:
form n+1 can only be committed after form n, so a reader that has seen n+1 has seen n.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.primaweb.models import Counter


def next_value(session: Session, name: str) -> int:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(Counter).values(name=name, value=0).on_conflict_do_nothing(index_elements=["name"]))
    return session.execute(
        update(Counter).where(Counter.name == name).values(value=Counter.value + 1).returning(Counter.value)
    ).scalar_one()


def file_counter(enterprise_number: str, year: int) -> str:
    return f"file:{enterprise_number}:{year}"
