"""The auth service's own Prometheus metrics: logins by outcome, cards blocked, sessions open."""

from __future__ import annotations

import redis
from prometheus_client import Counter, Gauge

LOGINS = Counter("ssp_logins_total", "Login attempts by outcome (success or the refusal)", ["method", "outcome"])
CARDS_BLOCKED = Counter("ssp_cards_blocked_total", "Cards blocked by a third wrong PIN")
CARDS_UNBLOCKED = Counter("ssp_cards_unblocked_total", "Cards unblocked by the commune with the PUK")
SESSIONS_OPEN = Gauge("ssp_sessions_open", "Sessions alive in Redis (counted at scrape time)")


def count_sessions_with(sessions) -> None:
    """Counts `sess:*` keys when Prometheus scrapes (a SCAN, not a KEYS); NaN while Redis
    does not answer (a scrape must not fail, nor leave a traceback, for that)."""

    def count() -> float:
        try:
            return sum(1 for _ in sessions.client.scan_iter("sess:*", count=1000))
        except (redis.ConnectionError, redis.TimeoutError):
            return float("nan")

    SESSIONS_OPEN.set_function(count)
