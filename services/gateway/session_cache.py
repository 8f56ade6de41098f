"""Sessions read from auth, kept a few seconds by each gateway worker, so that a page view
makes one gRPC call (its data) instead of two (the session first). The session stays
auth's: this is a copy of its answer, dropped the moment auth says the session changed.

A copy is used only while auth's WatchSessions stream is live in this worker: READY came,
and a message (a change or a heartbeat) within the last LIVE_GRACE seconds. A change to a
session (logout, a context change, profiles changed) removes its copies in every worker
as it is made; a stream that fails or falls silent empties the cache and turns it off
until the stream is back. A read begun before a change is not kept after it (the
generation), so a copy is never older than the last change auth told us of.

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
        if not self.enabled:
            return
        now = time.monotonic()
        # Never past the session's end as auth said it (idle timeout or absolute end), nor
        # after a change told since the read began.
        lifetime = min(self.keep, session.expires_at.seconds - time.time())
        with self._lock:
            if lifetime <= 0 or now >= self._live_until or generation != self._generation:
                return
            if len(self._copies) >= MOST:
                self._copies = {k: c for k, c in self._copies.items() if c[0] > now}
                if len(self._copies) >= MOST:
                    return
            self._copies[key_of(session_id)] = (now + lifetime, session)

    def forget(self, session_id: str) -> None:
        """This worker's own change (logout, a context change): at once, before any event."""
        self._drop_key(key_of(session_id))

    def forget_person(self, entity_id: str, nrn: str) -> None:
        """The sessions of a person acting for an entity (their profiles changed)."""
        with self._lock:
            self._generation += 1
            for key in [k for k, (_end, s) in self._copies.items()
                        if (s.entity_id, s.national_register_nr) == (entity_id, nrn)]:
                del self._copies[key]

    def _drop_key(self, key: str) -> None:
        with self._lock:
            self._generation += 1
            self._copies.pop(key, None)

    def _off(self) -> None:
        with self._lock:
            self._live_until = 0.0
            self._generation += 1
            self._copies.clear()

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
        elif event.kind in (Event.ENDED, Event.CHANGED):
            self._drop_key(event.session_key)
        elif event.kind == Event.PROFILES_CHANGED:
            self.forget_person(event.entity_id, event.national_register_nr)
        # Any message, a heartbeat too, says the stream is alive.
        self._live_until = time.monotonic() + LIVE_GRACE
