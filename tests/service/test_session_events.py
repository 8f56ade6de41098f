"""WatchSessions: every change to a session reaches the watchers (the gateway's workers,
which keep sessions a few seconds), over a real auth gRPC server and a real Redis."""

from __future__ import annotations

import hashlib
import queue
import threading

import grpc
import redis

from devtools import service_pki
from services.auth import server as auth_server
from services.auth.demo_cards import DEMO_PEOPLE
from services.auth.session_events import SessionWatch
from services.common import grpc_server, tls
from ssp.auth.v1 import auth_pb2 as pb
from ssp.auth.v1 import auth_pb2_grpc
from tests.service import eid_fixtures, test_auth_service
from tests.service.test_auth_service import AuthUnderTest

eid_world = eid_fixtures.eid_world
card_readers = eid_fixtures.card_readers
service = test_auth_service.service
SOPHIE = DEMO_PEOPLE["social_worker"]
Event = pb.SessionEvent


class Watcher:
    """A WatchSessions stream read by a thread into a queue."""

    def __init__(self, stub: auth_pb2_grpc.IdentificationStub):
        self.call = stub.WatchSessions(pb.WatchSessionsRequest())
        self.events: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        try:
            for event in self.call:
                self.events.put(event)
        except grpc.RpcError as exc:
            self.events.put(exc)

    def next(self, timeout: float = 5) -> pb.SessionEvent | grpc.RpcError:
        return self.events.get(timeout=timeout)

    def next_change(self, timeout: float = 5) -> pb.SessionEvent | grpc.RpcError:
        while isinstance(event := self.next(timeout), pb.SessionEvent) and event.kind == Event.HEARTBEAT:
            pass
        return event


def key_of(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def test_each_change_to_a_session_is_told_to_the_watchers_after_ready(service):
    watcher = Watcher(service.auth)
    assert watcher.next().kind == Event.READY
    login = service.login(SOPHIE)
    updated = service.auth.UpdateSessionContext(pb.UpdateSessionContextRequest(
        session_id=login.session_id, entity_id="0999000129", quality_id="action-sociale", entity_name="CPAS"))
    changed = watcher.next_change()
    assert (changed.kind, changed.session_key) == (Event.CHANGED, key_of(login.session_id))
    # The event names the content after the change: the revision the change answered and
    # reads answer from then on, not the login's.
    read = service.auth.GetSession(pb.GetSessionRequest(session_id=login.session_id))
    assert changed.revision == updated.revision == read.revision != login.session.revision
    assert login.session_id not in str(changed)  # the hash travels, never the id

    service.auth.NoteProfilesChanged(pb.NoteProfilesChangedRequest(entity_id="0999000129",
                                                                national_register_nr=SOPHIE.nrn))
    profiles = watcher.next_change()
    assert (profiles.kind, profiles.entity_id, profiles.national_register_nr) == (
        Event.PROFILES_CHANGED, "0999000129", SOPHIE.nrn)

    service.auth.Logout(pb.LogoutRequest(session_id=login.session_id))
    ended = watcher.next_change()
    assert (ended.kind, ended.session_key) == (Event.ENDED, key_of(login.session_id))
    watcher.call.cancel()


def test_the_session_read_says_when_it_ends_unless_used(service):
    login = service.login(SOPHIE)
    session = service.auth.GetSession(pb.GetSessionRequest(session_id=login.session_id))
    sessions = service.identification.sessions
    lifetime = session.expires_at.seconds - session.authenticated_at.seconds
    assert abs(lifetime - min(sessions.idle, sessions.absolute)) <= 1  # the idle timeout, here


def test_a_quiet_stream_beats_and_the_watchers_are_capped(card_readers, eid_world, redis_server):
    client = redis.Redis.from_url(redis_server.url)
    under_test = AuthUnderTest(card_readers, eid_world.checker(), redis_server.url)
    under_test.public.stop(0)
    under_test.identification.session_watch = SessionWatch(client, watchers=1, heartbeat_seconds=0.2)
    running = grpc_server.start(auth_server.identification_registrar(under_test.identification), port=0,
                                max_workers=3)
    try:
        stub = auth_pb2_grpc.IdentificationStub(grpc.insecure_channel(f"127.0.0.1:{running.port}"))
        first = Watcher(stub)
        assert first.next().kind == Event.READY
        assert first.next(timeout=2).kind == Event.HEARTBEAT
        second = Watcher(stub)
        refused = second.next()
        assert isinstance(refused, grpc.RpcError) and refused.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
        first.call.cancel()
    finally:
        running.stop(0)
        under_test.stop()


def test_only_the_gateway_may_watch_sessions(tmp_path, card_readers, eid_world, redis_server):
    service_pki.init(tmp_path)
    under_test = AuthUnderTest(card_readers, eid_world.checker(), redis_server.url)
    running = grpc_server.start(auth_server.identification_registrar(under_test.identification), port=0,
                                tls_files=tls.files_in(tmp_path, "auth"), policy=tls.CallerPolicy(auth_server.CALLERS))
    try:
        def watch_as(identity: str) -> Watcher:
            channel = grpc.secure_channel(f"localhost:{running.port}",
                                          tls.channel_credentials(tls.files_in(tmp_path, identity)))
            return Watcher(auth_pb2_grpc.IdentificationStub(channel))

        refused = watch_as("commune").next()
        assert isinstance(refused, grpc.RpcError) and refused.code() == grpc.StatusCode.PERMISSION_DENIED
        gateway = watch_as("gateway")
        assert gateway.next().kind == Event.READY
        gateway.call.cancel()
    finally:
        running.stop(0)
        under_test.stop()


def test_a_dropped_subscription_ends_the_stream_rather_than_missing_changes(service, redis_server):
    watcher = Watcher(service.auth)
    assert watcher.next().kind == Event.READY
    # Redis pub/sub delivers at most once: what is published while a subscriber is away
    # is lost to it. The stream ends, so that its watcher drops what it kept.
    assert redis.Redis.from_url(redis_server.url).client_kill_filter(_type="pubsub") >= 1
    ended = watcher.next_change()
    assert isinstance(ended, grpc.RpcError) and ended.code() == grpc.StatusCode.UNAVAILABLE
