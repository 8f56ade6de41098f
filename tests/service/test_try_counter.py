"""PIN and PUK tries in a real Redis: atomic reservation, persistence across restarts."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import redis

from services.auth.try_counter import TriesExhausted, TryCounter
from tests.support import RedisServer


def test_three_reservations_then_blocked(redis_client):
    tries = TryCounter(redis_client, "pin", 3)
    assert [tries.reserve("591000000001") for _ in range(3)] == [1, 2, 3]
    with pytest.raises(TriesExhausted):
        tries.reserve("591000000001")
    assert tries.blocked("591000000001") and tries.left("591000000001") == 0
    assert tries.left("591000000002") == 3  # other cards are untouched


def test_the_blocked_cards_of_a_list_are_read_at_once(redis_client):
    tries = TryCounter(redis_client, "pin", 3)
    for _ in range(3):
        tries.reserve("591000000001")
    tries.reserve("591000000002")
    listed = ["591000000001", "591000000002", "591000000003"]
    assert tries.blocked_among(listed) == {"591000000001"}
    assert tries.blocked_among([]) == set()


def test_success_resets_and_release_gives_back_one_try(redis_client):
    tries = TryCounter(redis_client, "pin", 3)
    tries.reserve("c1")
    tries.reserve("c1")
    tries.release("c1")
    assert tries.used("c1") == 1
    tries.reset("c1")
    assert tries.left("c1") == 3
    tries.release("c1")  # never below zero
    assert tries.used("c1") == 0


def test_any_number_of_concurrent_reservations_gets_at_most_the_limit(redis_server):
    def attempt(_):
        client = redis.Redis.from_url(redis_server.url)
        try:
            TryCounter(client, "pin-race", 3).reserve("591234567890")
            return True
        except TriesExhausted:
            return False
        finally:
            client.close()

    with ThreadPoolExecutor(max_workers=20) as pool:
        granted = list(pool.map(attempt, range(50)))
    assert granted.count(True) == 3


@pytest.mark.parametrize("crash", [False, True], ids=["restart", "crash"])
def test_the_count_survives_a_redis_restart(tmp_path, crash):
    server = RedisServer(tmp_path / "redis")
    try:
        client = redis.Redis.from_url(server.url)
        TryCounter(client, "pin", 3).reserve("591111111111")
        TryCounter(client, "pin", 3).reserve("591111111111")
        client.close()
        server.restart(crash=crash)
        client = redis.Redis.from_url(server.url)
        assert TryCounter(client, "pin", 3).left("591111111111") == 1
        client.close()
    finally:
        server.stop()
