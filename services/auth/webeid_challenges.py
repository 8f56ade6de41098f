"""Web eID challenge nonces in Redis: 32 random bytes, base64, single use, valid 5 minutes,
bound to the browser's pre-login session.

The Web eID token carries no nonce (by design: the site must reconstruct what was signed
from its own state), so the nonce is looked up by the *binding*: an opaque value the
gateway holds for this browser before login (its pre-login session identifier). One live
challenge per binding: asking again replaces the previous one, as a session-backed store
does in the reference implementations.

Keys: `webeid:challenge:<sha256(binding)>` (the binding itself is never stored), value JSON
{"nonce", "expires_at"}. `consume` takes the value with GETDEL, atomically: of two
concurrent logins with one challenge, one gets it and the other finds nothing. The key
lives `GRACE_SECONDS` past the challenge's end so that a late login is told "expired"
rather than "missing"; the validity itself is checked against `expires_at`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

import redis

from services.auth import errors

NONCE_BYTES = 32
TTL_SECONDS = 300
GRACE_SECONDS = 60


class ChallengeMissing(errors.AuthError):
    """No live challenge for this browser: never issued, already used, or another browser's."""


class ChallengeExpired(errors.AuthError):
    """The challenge was issued more than its lifetime ago (it is consumed all the same)."""


@dataclass(frozen=True)
class Challenge:
    nonce: str  # base64 of 32 random bytes: what the page passes to web-eid.js authenticate()
    expires_at: float  # seconds since the epoch


class WebEidChallenges:
    def __init__(
        self,
        client: redis.Redis,
        *,
        ttl_seconds: int = TTL_SECONDS,
        clock: Callable[[], float] = time.time,
        prefix: str = "webeid:challenge",
    ) -> None:
        self.client = client
        self.ttl = ttl_seconds
        self.clock = clock
        self.prefix = prefix

    def _key(self, binding: str) -> str:
        return f"{self.prefix}:{hashlib.sha256(binding.encode()).hexdigest()}"

    def issue(self, binding: str) -> Challenge:
        """A fresh challenge for this binding, replacing any earlier one."""
        nonce = base64.b64encode(secrets.token_bytes(NONCE_BYTES)).decode("ascii")
        challenge = Challenge(nonce=nonce, expires_at=self.clock() + self.ttl)
        value = json.dumps({"nonce": challenge.nonce, "expires_at": challenge.expires_at})
        self.client.set(self._key(binding), value, px=(self.ttl + GRACE_SECONDS) * 1000)
        return challenge

    def consume(self, binding: str) -> str:
        """The binding's nonce, removed for good. Raises ChallengeMissing or ChallengeExpired."""
        raw = self.client.getdel(self._key(binding))
        if raw is None:
            raise ChallengeMissing("no live Web eID challenge for this browser")
        data = json.loads(raw)
        if self.clock() > float(data["expires_at"]):
            raise ChallengeExpired("the Web eID challenge has expired")
        return str(data["nonce"])
