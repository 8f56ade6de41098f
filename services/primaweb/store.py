"""Sessions on the PrimaWeb database: short read transactions, and write transactions that
run again when a concurrent writer got there first."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from services.primaweb import database

T = TypeVar("T")
ATTEMPTS = 3


class Store:
    def __init__(self, engine: Engine):
        self.engine = engine
        self._reader = sessionmaker(engine, expire_on_commit=False)
        self._writer = sessionmaker(database.writer(engine), expire_on_commit=False)

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        with self._reader() as session:
            yield session

    @contextlib.contextmanager
    def reading_rows(self) -> Iterator[Connection]:
        """A read transaction on a plain connection, for hot reads of rows, not ORM objects
        (the home's counts and latest messages): half the CPU of a Session."""
        with self.engine.connect() as connection:
            yield connection

    def writing(self, work: Callable[[Session], T]) -> T:
        """Run `work` in one transaction and commit.

        The work reads before it writes (is this request id known? is there an open file
        for this person?). When two requests race (PostgreSQL runs them side by side; on
        SQLite, BEGIN IMMEDIATE queues writers so this does not happen), the loser's
        insert fails on a unique constraint when the winner commits, its transaction is
        rolled back whole, and the work runs again: this time it finds what the winner
        wrote (the request key: replay; the open file: refusal naming it)."""
        for attempt in range(1, ATTEMPTS + 1):
            try:
                with self._writer.begin() as session:
                    return work(session)
            except IntegrityError:
                if attempt == ATTEMPTS:
                    raise
        raise AssertionError("unreachable")
