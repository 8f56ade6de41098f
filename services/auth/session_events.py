"""WatchSessions: the changes to sessions (sessions.EVENTS_CHANNEL) as a gRPC stream, for
the callers that keep sessions they read for a few seconds (the gateway's workers).

Each stream listens on Redis itself (pub/sub), so a change made through any auth process
reaches every watcher. A stream holds a server thread for its whole life (grpcio's
sync server), so their number is capped: the server gets that many threads on top of the
ones for calls, and a watcher past the cap is told RESOURCE_EXHAUSTED and reads sessions
with GetSession meanwhile."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator

import grpc
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from services.auth.sessions import EVENTS_CHANNEL
from ssp.auth.v1 import auth_pb2 as pb

log = logging.getLogger(__name__)

_KINDS = {"ended": pb.SessionEvent.ENDED, "changed": pb.SessionEvent.CHANGED}


def event_of(message: bytes | str) -> pb.SessionEvent | None:
    """The event a published message says, or None for one this version does not know."""
    text = message.decode() if isinstance(message, bytes) else message
    kind, _, about = text.partition(" ")
    if kind in _KINDS:
        key, _, revision = about.partition(" ")
        return pb.SessionEvent(kind=_KINDS[kind], session_key=key, revision=revision)
    if kind == "profiles":
        entity_id, _, nrn = about.partition(":")
        return pb.SessionEvent(kind=pb.SessionEvent.PROFILES_CHANGED, entity_id=entity_id, national_register_nr=nrn)
    return None


class SessionWatch:
    def __init__(self, client: redis.Redis, *, watchers: int = 48, heartbeat_seconds: float = 5.0):
        # The same Redis, on connections that are never silently retried: Redis pub/sub
        # delivers at most once, so a subscription that dropped may have missed a change,
        # and the stream must end (its watchers then drop their copies), not resubscribe.
        pool = client.connection_pool
        self.client = redis.Redis(connection_pool=redis.ConnectionPool(
            connection_class=pool.connection_class,
            **{**pool.connection_kwargs, "retry": Retry(NoBackoff(), 0), "socket_timeout": None}))
        self.watchers = watchers
        self.heartbeat = heartbeat_seconds
        self._places = threading.BoundedSemaphore(watchers)

    def stream(self, context: grpc.ServicerContext) -> Iterator[pb.SessionEvent]:
        if not self._places.acquire(blocking=False):
            context.abort(grpc.StatusCode.RESOURCE_EXHAUSTED,
                          f"{self.watchers} session watchers already listen: use GetSession")
        try:
            yield from self._listen(context)
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            log.warning("redis_unavailable", extra={"error": type(exc).__name__, "during": "WatchSessions"})
            context.abort(grpc.StatusCode.UNAVAILABLE, "the session store did not answer")
        finally:
            self._places.release()

    def _listen(self, context: grpc.ServicerContext) -> Iterator[pb.SessionEvent]:
        pubsub = self.client.pubsub()
        try:
            pubsub.subscribe(EVENTS_CHANNEL)
            # READY only once Redis confirms the subscription: from then on nothing is missed.
            deadline = time.monotonic() + 2
            while (confirmed := pubsub.get_message(timeout=0.5)) is None or confirmed["type"] != "subscribe":
                if time.monotonic() > deadline:
                    raise redis.TimeoutError("no subscription confirmation")
            yield pb.SessionEvent(kind=pb.SessionEvent.READY)
            quiet_since = time.monotonic()
            while context.is_active():
                message = pubsub.get_message(timeout=min(1.0, self.heartbeat))
                if message is not None and message["type"] == "message":
                    event = event_of(message["data"])
                    if event is not None:
                        yield event
                        quiet_since = time.monotonic()
                if time.monotonic() - quiet_since >= self.heartbeat:
                    yield pb.SessionEvent(kind=pb.SessionEvent.HEARTBEAT)
                    quiet_since = time.monotonic()
        finally:
            pubsub.close()
