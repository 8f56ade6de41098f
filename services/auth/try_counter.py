"""Counting tries per card in Redis, the way a card counts them: a try is reserved
*before* the card is touched, atomically, so no number of concurrent attempts can get
more than `limit` tries; only a success gives them back.

Keys have no TTL and Redis runs with AOF (appendfsync always), so a restart or a crash
never hands out free tries.
"""

from __future__ import annotations

import redis

# Returns the number of tries used, this one included, or -1 when none is left.
_RESERVE = """
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used >= tonumber(ARGV[1]) then return -1 end
return redis.call('INCR', KEYS[1])
"""

# Gives back a reservation whose try never reached the card (card pulled out, reader error).
_RELEASE = """
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used <= 0 then return 0 end
if used == 1 then redis.call('DEL', KEYS[1]) return 0 end
return redis.call('DECR', KEYS[1])
"""


class TriesExhausted(Exception):
    """Every try is used: the card is blocked for this counter."""


class TryCounter:
    def __init__(self, client: redis.Redis, prefix: str, limit: int = 3):
        self.client = client
        self.prefix = prefix
        self.limit = limit
        self._reserve = client.register_script(_RESERVE)
        self._release = client.register_script(_RELEASE)

    def _key(self, card_number: str) -> str:
        return f"{self.prefix}:{card_number}"

    def reserve(self, card_number: str) -> int:
        """Take one try; returns how many are used now. Raises TriesExhausted."""
        used = int(self._reserve(keys=[self._key(card_number)], args=[self.limit]))
        if used < 0:
            raise TriesExhausted(card_number)
        return used

    def release(self, card_number: str) -> None:
        self._release(keys=[self._key(card_number)])

    def reset(self, card_number: str) -> None:
        self.client.delete(self._key(card_number))

    def used(self, card_number: str) -> int:
        return int(self.client.get(self._key(card_number)) or 0)

    def left(self, card_number: str) -> int:
        return max(0, self.limit - self.used(card_number))

    def blocked(self, card_number: str) -> bool:
        return self.used(card_number) >= self.limit

    def blocked_among(self, card_numbers: list[str]) -> set[str]:
        """The blocked ones, in one round trip (a list of cards shows each one's state)."""
        if not card_numbers:
            return set()
        used = self.client.mget([self._key(n) for n in card_numbers])
        return {n for n, u in zip(card_numbers, used, strict=True) if int(u or 0) >= self.limit}
