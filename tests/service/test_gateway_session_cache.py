"""The gateway's copies of sessions (services/gateway/session_cache.py) against a real auth
gRPC server and Redis: used while auth's stream is live, dropped as auth tells a change,
all dropped when the stream is lost."""

from __future__ import annotations

import time

import redis

from services.auth.demo_cards import DEMO_PEOPLE
from services.common.grpc_channels import LazyStub
from services.gateway.session_cache import SessionCache
from ssp.auth.v1 import auth_pb2 as pb
from ssp.auth.v1 import auth_pb2_grpc
from tests.service import eid_fixtures
from tests.service.test_auth_service import AuthUnderTest

eid_world = eid_fixtures.eid_world
card_readers = eid_fixtures.card_readers
SOPHIE, MARC = DEMO_PEOPLE["social_worker"], DEMO_PEOPLE["primaweb_manager"]


def eventually(check, within: float = 3.0) -> bool:
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_copies_are_used_while_the_stream_is_live_and_dropped_at_each_change(card_readers, eid_world, redis_server):
    redis.Redis.from_url(redis_server.url).flushdb()
    auth = AuthUnderTest(card_readers, eid_world.checker(), redis_server.url)
    cache = SessionCache(LazyStub(auth_pb2_grpc.IdentificationStub, f"127.0.0.1:{auth.public.port}"), 10)
    try:
        sophie, marc = auth.login(SOPHIE), auth.login(MARC)
        assert cache.get(sophie.session_id) is None  # starts the watcher
        assert eventually(lambda: cache.live)

        def keep(login):
            generation = cache.generation()
            session = auth.auth.GetSession(pb.GetSessionRequest(session_id=login.session_id))
            cache.put(login.session_id, session, generation)
            return session

        kept = keep(sophie)
        assert cache.get(sophie.session_id) is kept
        keep(marc)

        # A read begun before a change is not kept after it.
        generation = cache.generation()
        auth.auth.UpdateSessionContext(pb.UpdateSessionContextRequest(
            session_id=marc.session_id, entity_id="0999000129", quality_id="action-sociale"))
        assert eventually(lambda: cache.get(marc.session_id) is None)
        cache.put(marc.session_id, kept, generation)
        assert cache.get(marc.session_id) is None
        assert cache.get(sophie.session_id) is kept  # the other copies stay

        # A logout through another worker (here: straight to auth) reaches this one.
        auth.auth.Logout(pb.LogoutRequest(session_id=sophie.session_id))
        assert eventually(lambda: cache.get(sophie.session_id) is None, within=1.0)

        # The stream lost: nothing is used any more.
        keep(marc)
        assert cache.get(marc.session_id) is not None
        auth.public.stop(0)
        assert eventually(lambda: not cache.live and cache.get(marc.session_id) is None, within=2.0)
    finally:
        auth.stop()


def test_a_copy_never_outlives_its_session(card_readers, eid_world, redis_server):
    auth = AuthUnderTest(card_readers, eid_world.checker(), redis_server.url)
    cache = SessionCache(LazyStub(auth_pb2_grpc.IdentificationStub, f"127.0.0.1:{auth.public.port}"), 10)
    try:
        login = auth.login(SOPHIE)
        cache.get(login.session_id)
        assert eventually(lambda: cache.live)
        session = auth.auth.GetSession(pb.GetSessionRequest(session_id=login.session_id))
        ending = pb.Session()
        ending.CopyFrom(session)
        ending.expires_at.seconds = int(time.time()) - 1  # its absolute end has passed
        cache.put(login.session_id, ending, cache.generation())
        assert cache.get(login.session_id) is None
        off = SessionCache(cache.auth, 0)  # GATEWAY_SESSION_CACHE_SECONDS=0
        off.put(login.session_id, session, off.generation())
        assert off.get(login.session_id) is None
    finally:
        auth.stop()


def test_the_answer_of_a_change_made_here_is_kept_and_auth_s_event_for_it_leaves_it(
        card_readers, eid_world, redis_server):
    auth = AuthUnderTest(card_readers, eid_world.checker(), redis_server.url)
    cache = SessionCache(LazyStub(auth_pb2_grpc.IdentificationStub, f"127.0.0.1:{auth.public.port}"), 10)
    try:
        sophie, marc = auth.login(SOPHIE), auth.login(MARC)
        cache.get(sophie.session_id)
        assert eventually(lambda: cache.live)

        # A login's answer: kept as it is, with its revision.
        cache.put_own(sophie.session_id, sophie.session, cache.generation())
        assert sophie.session.revision and cache.get(sophie.session_id) is sophie.session

        def told_so_far():  # auth's events come in order: once marc's is here, sophie's came before it
            cache.put(marc.session_id, auth.auth.GetSession(pb.GetSessionRequest(session_id=marc.session_id)),
                      cache.generation())
            auth.auth.UpdateSessionContext(pb.UpdateSessionContextRequest(
                session_id=marc.session_id, entity_id="0999000129", quality_id=str(time.monotonic_ns())[-6:]))
            assert eventually(lambda: cache.get(marc.session_id) is None)

        # A context change made here: its answer is kept, and auth's event for it leaves it.
        generation = cache.generation()
        before = auth.auth.GetSession(pb.GetSessionRequest(session_id=sophie.session_id))
        changed = auth.auth.UpdateSessionContext(pb.UpdateSessionContextRequest(
            session_id=sophie.session_id, entity_id="0999000129", quality_id="action-sociale"))
        assert changed.revision != before.revision == sophie.session.revision
        cache.put_own(sophie.session_id, changed, generation)
        told_so_far()
        assert cache.get(sophie.session_id) is changed

        # A read begun before that change, answered after the copy was kept: not kept.
        cache.put(sophie.session_id, before, generation)
        assert cache.get(sophie.session_id) is changed

        # A change made elsewhere (another worker: here, straight to auth) names other content.
        auth.auth.UpdateSessionContext(pb.UpdateSessionContextRequest(
            session_id=sophie.session_id, entity_id="0999000129", quality_id="administration"))
        assert eventually(lambda: cache.get(sophie.session_id) is None)
        cache.put(sophie.session_id, changed, cache.generation())  # the answer of a read begun before it
        assert cache.get(sophie.session_id) is None

        # Logged out: no read of it is kept any more, whatever its revision.
        now = auth.auth.GetSession(pb.GetSessionRequest(session_id=sophie.session_id))
        auth.auth.Logout(pb.LogoutRequest(session_id=sophie.session_id))
        told_so_far()
        cache.put(sophie.session_id, now, cache.generation())
        assert cache.get(sophie.session_id) is None
    finally:
        auth.stop()
