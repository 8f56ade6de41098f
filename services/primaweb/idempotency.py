"""Request keys against double submission (a refresh, a double click, a retry).

Every request that creates or changes something carries a request id chosen by the
client, once per form shown. The work of such a request starts with `claim()`, in its
own transaction:

- the key is new: its row is inserted at once (before any other write), the work goes
  on and records what it made in the row; the commit makes both visible together;
- the key is known: the work is not done again; the row says what the first request
  made, and that is the answer (replayed);
- two requests with the same key at the same time: on SQLite, BEGIN IMMEDIATE runs them
  one after the other; on PostgreSQL the second one's insert waits on the primary key
  until the first commits, then fails, and `Store.writing` runs the work again, which
  now finds the key. Inserting the key first matters: the loser must wait on the key,
  not collide later on another constraint (it would then be refused instead of replayed).

A request refused (invalid, not allowed, wrong state) rolls back its claim too: the same
key can be used again once the form is corrected. A key reused for a different request
(another operation or other values) is refused. Keys are kept; a purge of keys older
than a few days could be added without changing the contract.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from services.primaweb.errors import FailedPrecondition
from services.primaweb.models import RequestKey, utcnow

SPP_SCOPE = "spp-is"  # the scope of the SPP IS's keys (CPAS keys are scoped by entity)


def fingerprint(operation: str, values: Mapping[str, Any]) -> str:
    canonical = json.dumps({"operation": operation, **values}, sort_keys=True, default=str, ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def claim(session: Session, scope: str, request_id: str, operation: str,
          values: Mapping[str, Any]) -> tuple[RequestKey, bool]:
    """The key's row and whether it was already done (True: replay what it names)."""
    digest = fingerprint(operation, values)
    row = session.get(RequestKey, (scope, request_id))
    if row is not None:
        if row.operation != operation or row.fingerprint != digest:
            raise FailedPrecondition("request_id", "request-id-reused")
        return row, True
    row = RequestKey(scope=scope, request_id=request_id, operation=operation, fingerprint=digest,
                     created_at=utcnow())
    session.add(row)
    session.flush()
    return row, False
