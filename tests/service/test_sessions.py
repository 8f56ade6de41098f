"""Sessions in a real Redis with short configured times."""

from __future__ import annotations

import time

import pytest

from services.auth.sessions import SessionNotFound, Sessions


def open_one(sessions: Sessions):
    return sessions.open(national_register_nr="85073003328", first_name="Sophie", last_name="Demo-Lambert",
                         card_number="591000000001", method="eid-reader")


def test_a_session_has_a_fresh_256_bit_id_each_time(redis_client):
    sessions = Sessions(redis_client)
    first, _ = open_one(sessions)
    second, _ = open_one(sessions)
    assert len(first) == 64 and int(first, 16) and first != second
    # Redis holds the id's hash, not the id: a dump gives no usable cookie.
    assert not any(first in key.decode() for key in redis_client.keys("*"))


def test_activity_slides_the_idle_timeout(redis_client):
    sessions = Sessions(redis_client, idle_seconds=1, absolute_seconds=60)
    session_id, _ = open_one(sessions)
    for _ in range(4):
        time.sleep(0.6)
        assert sessions.get(session_id).first_name == "Sophie"  # 2.4 s in all, > idle


def test_an_idle_session_expires(redis_client):
    sessions = Sessions(redis_client, idle_seconds=1, absolute_seconds=60)
    session_id, _ = open_one(sessions)
    time.sleep(1.3)
    with pytest.raises(SessionNotFound):
        sessions.get(session_id)


def test_the_absolute_lifetime_ends_even_an_active_session(redis_client):
    sessions = Sessions(redis_client, idle_seconds=1, absolute_seconds=2)
    session_id, _ = open_one(sessions)
    for _ in range(3):
        time.sleep(0.6)
        sessions.get(session_id)
    time.sleep(0.6)  # 2.4 s after login, always active
    with pytest.raises(SessionNotFound):
        sessions.get(session_id)


def test_logout_removes_the_session_server_side(redis_client):
    sessions = Sessions(redis_client)
    session_id, _ = open_one(sessions)
    sessions.close(session_id)
    with pytest.raises(SessionNotFound):
        sessions.get(session_id)
    assert redis_client.keys("sess:*") == []


@pytest.mark.parametrize("forged", ["", "abc", "g" * 64, "0" * 64, "../../etc/passwd", "A" * 64])
def test_forged_or_unknown_ids_are_not_found(redis_client, forged):
    with pytest.raises(SessionNotFound):
        Sessions(redis_client).get(forged)


def test_the_chosen_context_is_kept(redis_client):
    sessions = Sessions(redis_client)
    session_id, _ = open_one(sessions)
    sessions.update(session_id, entity_id="0212345678", quality_id="action-sociale", role="agent-social",
                    profiles=["consultation"])
    data = sessions.get(session_id)
    assert (data.entity_id, data.role, data.profiles) == ("0212345678", "agent-social", ["consultation"])


def test_a_profile_change_after_the_start_is_reported_but_not_applied(redis_client):
    sessions = Sessions(redis_client)
    before, _ = open_one(sessions)
    sessions.update(before, entity_id="0999000129", role="agent-social", profiles=[])
    assert not sessions.get(before).profiles_changed
    time.sleep(0.01)
    sessions.note_profiles_changed("0999000129", "85073003328")
    assert sessions.get(before).profiles_changed
    assert sessions.get(before).profiles == []  # the running session keeps what it started with
    after, _ = open_one(sessions)
    sessions.update(after, entity_id="0999000129", role="agent-social", profiles=["consultation"])
    assert not sessions.get(after).profiles_changed  # started after the change: nothing to say
    sessions.update(before, entity_id="0999000128", role="agent-social", profiles=[])
    assert not sessions.get(before).profiles_changed  # another entity's change does not count


def test_auth_reads_redis_replies_with_the_c_parser(redis_client):
    from redis._parsers import _HiredisParser

    from services.auth.server import redis_client as auth_redis_client

    url = "redis://{host}:{port}/0".format(**redis_client.connection_pool.connection_kwargs)
    client = auth_redis_client(url)
    connection = client.connection_pool.get_connection()
    try:
        assert isinstance(connection._parser, _HiredisParser)  # hiredis: ~35 µs less CPU per command
        assert client.ping()
    finally:
        client.connection_pool.release(connection)
