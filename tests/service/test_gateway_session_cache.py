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
