"""Sessions on the roles database: short read transactions, and write transactions that
are retried once when a concurrent writer got there first."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from services.roles import database

T = TypeVar("T")


class Store:
    def __init__(self, engine: Engine):
        self.engine = engine
        self._reader = sessionmaker(engine, expire_on_commit=False)
        self._writer = sessionmaker(database.writer(engine), expire_on_commit=False)

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        with self._reader() as session:
            yield session

    def writing(self, work: Callable[[Session], T]) -> T:
        """Run `work` in one transaction and commit. The work reads before it writes
        (a profile held? an agent registered?); when two requests race to insert the same
        row, the loser's insert fails on the primary key and the work runs again, and
        then finds the row there: the operations are idempotent."""
        try:
            with self._writer.begin() as session:
                return work(session)
        except IntegrityError:
            with self._writer.begin() as session:
                return work(session)
