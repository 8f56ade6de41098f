"""Sessions in Redis: an opaque 256-bit id for the cookie, the data under the id's
SHA-256 (a Redis dump reveals no usable cookie), a sliding idle timeout and an
absolute lifetime."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import secrets
import time

import redis

_ID = re.compile(r"^[0-9a-f]{64}$")
_CHANGES_PREFIX = "profiles-changed:"
_KEY_PREFIX = "sess:"

# Every change to a session is published here, in the same transaction as the change, for
# the callers that keep sessions a few seconds (the gateway, through WatchSessions):
# "ended <key hash>", "changed <key hash> <revision>", "profiles <entity id>:<nrn>".
EVENTS_CHANNEL = "sess:events"

# One round trip per session read (every page behind a session reads it): the data, its
# time to live, and when it holds a role, whether that person's profiles changed since.
# The "profiles changed" key is named from the data, so it cannot be declared in KEYS:
# fine on a standalone Redis, as the design has (not on Redis Cluster).
_READ = """
local raw = redis.call('GET', KEYS[1])
if not raw then return false end
local changed = false
local ok, data = pcall(cjson.decode, raw)
if ok and type(data['role']) == 'string' and data['role'] ~= '' then
  changed = redis.call('GET', ARGV[1] .. data['entity_id'] .. ':' .. data['national_register_nr'])
end
return {raw, redis.call('PTTL', KEYS[1]), changed}
"""


class SessionNotFound(Exception):
    """Unknown, malformed, expired or closed: the holder must log in again."""


@dataclasses.dataclass
class SessionData:
    national_register_nr: str
    first_name: str
    last_name: str
    card_number: str
    method: str
    authenticated_at: float
    expires_at: float  # the absolute end, whatever the activity
    entity_id: str = ""
    entity_name: str = ""
    quality_id: str = ""
    role: str = ""
    profiles: list[str] = dataclasses.field(default_factory=list)
    started_at: float = 0.0  # when the application started (role and profiles taken)
    profiles_changed: bool = False  # computed when read (what is stored does not count)
    ends_by: float = 0.0  # computed when read: the idle timeout or the absolute end, the earlier
    revision: str = ""  # computed when read or written: names what is stored (_stored)


def _stored(data: SessionData) -> str:
    """The JSON kept in Redis, and the data's revision set to name it. Without a counter: two
    changes made at once through two auth processes cannot get the same revision unless
    they store the same thing (the revision names content, not an order)."""
    raw = json.dumps(dataclasses.asdict(dataclasses.replace(data, revision="")))
    data.revision = _revision(raw)
    return raw


def _revision(raw: str | bytes) -> str:
    return hashlib.sha256(raw.encode() if isinstance(raw, str) else raw).hexdigest()[:16]


def log_ref(session_id: str) -> str:
    """What logs may show of a session: a short prefix of its key's hash."""
    return hashlib.sha256(session_id.encode()).hexdigest()[:12]


class Sessions:
    def __init__(
        self,
        client: redis.Redis,
        *,
        idle_seconds: int = 1800,
        absolute_seconds: int = 36000,
        touch_interval: float = 60,
        clock=time.time,
    ):
        self.client = client
        self.idle = idle_seconds
        self.absolute = absolute_seconds
        # Sliding the idle timeout at most once a minute keeps page views free of writes.
        self.touch_ms = int(min(touch_interval, idle_seconds / 4) * 1000)
        self.clock = clock
        self._read = client.register_script(_READ)

    @staticmethod
    def _key(session_id: str) -> str:
        if not _ID.match(session_id):
            raise SessionNotFound
        return _KEY_PREFIX + hashlib.sha256(session_id.encode()).hexdigest()

    def _write_and_tell(self, event: str, write) -> list:
        """`write(pipeline)` and the event saying so, in one transaction (one round trip):
        no caller can hear of a change that was not made, or miss one that was."""
        pipeline = self.client.pipeline(transaction=True)
        write(pipeline)
        pipeline.publish(EVENTS_CHANNEL, event)
        return pipeline.execute()

    @staticmethod
    def _event(kind: str, key: str) -> str:
        return f"{kind} {key.removeprefix(_KEY_PREFIX)}"

    def _ttl_ms(self, data: SessionData) -> int:
        return max(1, int(min(self.idle, data.expires_at - self.clock()) * 1000))

    def open(self, *, national_register_nr: str, first_name: str, last_name: str, card_number: str,
             method: str) -> tuple[str, SessionData]:
        """A new session with a fresh id (never one the browser had before login)."""
        now = self.clock()
        data = SessionData(
            national_register_nr=national_register_nr, first_name=first_name, last_name=last_name,
            card_number=card_number, method=method, authenticated_at=now, expires_at=now + self.absolute,
            ends_by=now + min(self.idle, self.absolute),
        )
        session_id = secrets.token_hex(32)
        self.client.set(self._key(session_id), _stored(data), px=self._ttl_ms(data))
        return session_id, data

    def get(self, session_id: str) -> SessionData:
        key = self._key(session_id)
        found = self._read(keys=[key], args=[_CHANGES_PREFIX])
        if not found:
            raise SessionNotFound
        raw, ttl_ms, changed_at = found
        data = SessionData(**json.loads(raw))
        data.revision = _revision(raw)
        if data.expires_at <= self.clock():
            self._write_and_tell(self._event("ended", key), lambda p: p.delete(key))
            raise SessionNotFound
        wanted = self._ttl_ms(data)
        if wanted - ttl_ms >= self.touch_ms:
            self.client.pexpire(key, wanted)
            ttl_ms = wanted
        data.ends_by = min(data.expires_at, self.clock() + ttl_ms / 1000)
        if data.role:
            data.profiles_changed = changed_at is not None and float(changed_at) > data.started_at
        return data

    def update(self, session_id: str, **changes) -> SessionData:
        if changes.get("role"):
            changes["started_at"] = self.clock()
        data = dataclasses.replace(self.get(session_id), **changes, profiles_changed=False)
        key = self._key(session_id)
        raw = _stored(data)
        # KEEPTTL: a context change is activity, but get() above already slid the timeout.
        written, _listeners = self._write_and_tell(
            f"{self._event('changed', key)} {data.revision}", lambda p: p.set(key, raw, xx=True, keepttl=True))
        if not written:
            raise SessionNotFound
        return data

    @staticmethod
    def _changes_key(entity_id: str, nrn: str) -> str:
        return f"{_CHANGES_PREFIX}{entity_id}:{nrn}"  # _READ builds the same name

    def note_profiles_changed(self, entity_id: str, nrn: str) -> None:
        """Sessions of this person for this entity started before now will say so."""
        self._write_and_tell(f"profiles {entity_id}:{nrn}", lambda p: p.set(
            self._changes_key(entity_id, nrn), f"{self.clock():.6f}", ex=self.absolute))

    def close(self, session_id: str) -> None:
        try:
            key = self._key(session_id)
        except SessionNotFound:
            return
        self._write_and_tell(self._event("ended", key), lambda p: p.delete(key))
