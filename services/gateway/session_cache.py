"""Sessions read from auth, kept a few seconds by each gateway worker, so that a page view
makes one gRPC call (its data) instead of two (the session first). The session stays
auth's: this is a copy of its answer, dropped the moment auth says the session changed.

A copy is used only while auth's WatchSessions stream is live in this worker: READY came,
and a message (a change or a heartbeat) within the last LIVE_GRACE seconds. A change to a
session (logout, a context change, profiles changed) removes, in every worker, the copies
of what it held before, as it is made; a stream that fails or falls silent empties the cache and turns it off
until the stream is back.

A copy is never older than the last change auth told us of. Each session answer names its
stored content (its revision) and each CHANGED event the content after the change: a copy
whose revision differs from the last one told for its session is dropped, or not kept
(a read begun before the change). So the answer of this worker's own change (a login, a
context change) is kept for the browser's next page, and auth's event for that change
leaves it. Changes told without a session (profiles changed, the stream lost) refuse every
read begun before them (the generation).

What the stream cannot cover, the caller does (auth_session.py): the worker that makes a
change and the one that serves the browser's next page may differ, and the event may reach
the second a moment after the browser does; so a copy is used only for the context the
browser last set (its ssp_context cookie).
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time

import grpc

from services.common.grpc_channels import LazyStub
from ssp.auth.v1 import auth_pb2 as pb

log = logging.getLogger(__name__)

LIVE_GRACE = 15.0  # seconds of silence after which the stream is taken for lost (auth beats every 5 s)
MOST = 20_000  # copies kept at most (a worker's sessions of the last few seconds)
TOLD_FOR = 60.0  # seconds a change told is remembered: far longer than any read of a session lasts
_RETRY_AFTER = (0.5, 1, 2, 5)  # seconds between tries to open the stream again
_RETRY_WHEN_FULL = 30.0  # auth's watchers all taken (SESSION_WATCHERS): this worker asks auth meanwhile
Event = pb.SessionEvent


def key_of(session_id: str) -> str:
    """The name auth gives a session in its events: the hex SHA-256 of its id."""
    return hashlib.sha256(session_id.encode()).hexdigest()


class SessionCache:
    def __init__(self, auth: LazyStub, keep_seconds: float):
        self.auth = auth
        self.keep = keep_seconds
        self._copies: dict[str, tuple[float, pb.Session]] = {}  # key -> (monotonic end, session)
        self._told: dict[str, tuple[float, str | None]] = {}  # key -> (monotonic when, revision; None: ended)
        self._lock = threading.Lock()
        self._generation = 0
        self._live_until = 0.0
        self._watcher_pid: int | None = None

    @property
    def enabled(self) -> bool:
        return self.keep > 0

    @property
    def live(self) -> bool:
        """Whether auth's stream is live in this worker, hence copies may be used."""
        return time.monotonic() < self._live_until

    def get(self, session_id: str) -> pb.Session | None:
        if not self.enabled:
            return None
        self._watch()
        if not self.live:
            return None
        copy = self._copies.get(key_of(session_id))
        return copy[1] if copy is not None and time.monotonic() < copy[0] else None

    def generation(self) -> int:
        """Taken before reading a session from auth, and given back to put()."""
        return self._generation

    def put(self, session_id: str, session: pb.Session, generation: int) -> None:
        """Keeps auth's answer (a read, or the outcome of a change made here), taken after
        `generation()`: not when a change told since names other content."""
        if not self.enabled:
            return
        now = time.monotonic()
        key = key_of(session_id)
        # Never past the session's end as auth said it (idle timeout or absolute end).
        lifetime = min(self.keep, session.expires_at.seconds - time.time())
        with self._lock:
            if lifetime <= 0:
                self._copies.pop(key, None)
                return
            told = self._told.get(key)
            if (now >= self._live_until or generation != self._generation or not session.revision
                    or (told is not None and told[1] != session.revision)):
                return  # a copy already kept, if any, is the one told
            if len(self._copies) >= MOST:
                self._copies = {k: c for k, c in self._copies.items() if c[0] > now}
                if len(self._copies) >= MOST:
                    return
            self._copies[key] = (now + lifetime, session)

    def put_own(self, session_id: str, session: pb.Session, generation: int) -> None:
        """The outcome of a change made by this worker (a login, a context change): told here
        at once, before auth's event, then kept."""
        if not self.enabled:
            return
        self._told_of(key_of(session_id), session.revision or None)
        self.put(session_id, session, generation)

    def forget(self, session_id: str) -> None:
        """This worker's own logout: at once, before auth's event."""
        self._told_of(key_of(session_id), None)

    def forget_person(self, entity_id: str, nrn: str) -> None:
        """The sessions of a person acting for an entity (their profiles changed)."""
        with self._lock:
            self._generation += 1
            for key in [k for k, (_end, s) in self._copies.items()
                        if (s.entity_id, s.national_register_nr) == (entity_id, nrn)]:
                del self._copies[key]

    def _told_of(self, key: str, revision: str | None) -> None:
        """A change to one session: its content is now `revision` (None: it ended)."""
        now = time.monotonic()
        with self._lock:
            if len(self._told) >= MOST:
                self._told = {k: t for k, t in self._told.items() if now - t[0] < TOLD_FOR}
                if len(self._told) >= MOST:  # a storm of changes: refuse every read in flight instead
                    self._generation += 1
                    self._told.clear()
            self._told[key] = (now, revision)
            copy = self._copies.get(key)
            if copy is not None and copy[1].revision != revision:
                del self._copies[key]

    def _off(self) -> None:
        with self._lock:
            self._live_until = 0.0
            self._generation += 1
            self._copies.clear()
            self._told.clear()

    # The stream, read by one thread per worker process (started at first use: gunicorn
    # forks its workers, and a thread does not survive a fork).

    def _watch(self) -> None:
        if self._watcher_pid != os.getpid():
            with self._lock:
                if self._watcher_pid != os.getpid():
                    self._watcher_pid = os.getpid()
                    self._live_until, self._copies = 0.0, {}
                    threading.Thread(target=self._watch_forever, name="session-watch", daemon=True).start()

    def _watch_forever(self) -> None:
        failures = 0
        while True:
            pause = _RETRY_AFTER[min(failures, len(_RETRY_AFTER) - 1)]
            try:
                for event in self.auth.get().WatchSessions(pb.WatchSessionsRequest()):
                    failures = 0
                    self._on(event)
                log.warning("session_watch_lost", extra={"code": "ENDED"})
            except grpc.RpcError as exc:
                log.warning("session_watch_lost", extra={"code": exc.code().name})
                if exc.code() == grpc.StatusCode.RESOURCE_EXHAUSTED:
                    pause = _RETRY_WHEN_FULL
            except Exception:  # noqa: BLE001 (the watcher must outlive any surprise; said once)
                log.exception("session_watch_failed")
            self._off()
            time.sleep(pause)
            failures += 1

    def _on(self, event: pb.SessionEvent) -> None:
        if event.kind == Event.READY:
            self._off()  # whatever was kept before may have missed a change
        elif event.kind == Event.ENDED:
            self._told_of(event.session_key, None)
        elif event.kind == Event.CHANGED:
            self._told_of(event.session_key, event.revision or None)  # an auth without revisions: as ended
        elif event.kind == Event.PROFILES_CHANGED:
            self.forget_person(event.entity_id, event.national_register_nr)
        # Any message, a heartbeat too, says the stream is alive.
        self._live_until = time.monotonic() + LIVE_GRACE
