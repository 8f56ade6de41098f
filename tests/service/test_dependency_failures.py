"""Faults at the services' edges (issue 12), on real gRPC servers: Redis refusing or
stalled and a database out of reach are UNAVAILABLE naming the part; a malformed message
is INVALID_ARGUMENT with one log line; a field out of its range is INVALID_ARGUMENT
naming the field. Never UNKNOWN, never a traceback."""

from __future__ import annotations

import logging
import math
import signal
import time

import grpc
import pytest
from prometheus_client import REGISTRY
from sqlalchemy import create_engine

from services.auth import server as auth_server
from services.auth.audit import AuditTrail
from services.auth.login import Identification
from services.auth.sessions import Sessions
from services.auth.try_counter import TryCounter
from services.portal import catalogue
from services.portal import server as portal_server
from services.primaweb import database as primaweb_database
from services.primaweb import server as primaweb_server
from services.primaweb.store import Store as PrimaWebStore
from services.roles import server as roles_server
from services.roles.store import Store as RolesStore
from ssp.auth.v1 import auth_pb2, auth_pb2_grpc
from ssp.primaweb.v1 import primaweb_pb2, primaweb_pb2_grpc
from ssp.roles.v1 import roles_pb2, roles_pb2_grpc
from tests.service.grpc_support import serving
from tests.support import RedisServer, free_port

SOPHIE = "78051408405"
HERSTAPPE = "0403170701"


def _auth_on(redis_url: str):
    client = auth_server.redis_client(redis_url)
    identification = Identification(
        readers=None, checker=None, pin_tries=TryCounter(client, "pin", 3),  # type: ignore[arg-type]
        puk_tries=TryCounter(client, "puk", 3), sessions=Sessions(client), audit=AuditTrail(client),
    )
    return serving(auth_server.identification_registrar(identification, webeid=None))


def _refusal(call) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as caught:
        call()
    return caught.value


def _no_traceback(caplog) -> None:
    assert not [r for r in caplog.records if r.exc_info], [r.getMessage() for r in caplog.records if r.exc_info]


def test_redis_refusing_connections_is_unavailable_naming_the_session_store(caplog):
    with _auth_on(f"redis://127.0.0.1:{free_port()}/0") as channel:
        stub = auth_pb2_grpc.IdentificationStub(channel)
        for call in (lambda: stub.GetSession(auth_pb2.GetSessionRequest(session_id="ab" * 32), timeout=5),
                     lambda: stub.NoteProfilesChanged(auth_pb2.NoteProfilesChangedRequest(
                         national_register_nr=SOPHIE, entity_id=HERSTAPPE), timeout=5),
                     lambda: stub.Logout(auth_pb2.LogoutRequest(session_id="ab" * 32), timeout=5)):
            refused = _refusal(call)
            assert refused.code() == grpc.StatusCode.UNAVAILABLE, refused
            assert "session store" in refused.details()
        # A Prometheus scrape meanwhile: no failure, the count is unknown.
        assert math.isnan(REGISTRY.get_sample_value("ssp_sessions_open"))
    assert any(r.getMessage() == "redis_unavailable" for r in caplog.records)
    _no_traceback(caplog)


def test_a_stalled_redis_is_unavailable_within_the_gateways_deadline(tmp_path, caplog):
    redis_server = RedisServer(tmp_path / "redis")
    try:
        with _auth_on(redis_server.url) as channel:
            stub = auth_pb2_grpc.IdentificationStub(channel)
            redis_server.process.send_signal(signal.SIGSTOP)
            try:
                started = time.monotonic()
                refused = _refusal(lambda: stub.GetSession(auth_pb2.GetSessionRequest(session_id="ab" * 32),
                                                           timeout=10))
                elapsed = time.monotonic() - started
            finally:
                redis_server.process.send_signal(signal.SIGCONT)
            assert refused.code() == grpc.StatusCode.UNAVAILABLE and elapsed < 3.0, (refused, elapsed)
            # Redis back: served again, without restarting anything.
            again = _refusal(lambda: stub.GetSession(auth_pb2.GetSessionRequest(session_id="ab" * 32), timeout=5))
            assert again.code() == grpc.StatusCode.NOT_FOUND
    finally:
        redis_server.stop()
    _no_traceback(caplog)


def _unreachable_sqlite(tmp_path):
    """A database file in a folder that does not exist: every connection fails."""
    return create_engine(f"sqlite:///{tmp_path / 'gone' / 'db.sqlite3'}")


def test_the_roles_database_out_of_reach_is_unavailable_naming_it(tmp_path, caplog):
    with serving(roles_server.registrar(RolesStore(_unreachable_sqlite(tmp_path)))) as channel:
        refused = _refusal(lambda: roles_pb2_grpc.RolesStub(channel).ListMemberships(
            roles_pb2.ListMembershipsRequest(acting_nrn=SOPHIE), timeout=5))
    assert refused.code() == grpc.StatusCode.UNAVAILABLE
    assert "roles database" in refused.details()
    _no_traceback(caplog)


def test_the_primaweb_database_out_of_reach_is_unavailable_naming_it(tmp_path, caplog):
    with serving(primaweb_server.registrar(PrimaWebStore(_unreachable_sqlite(tmp_path)))) as channel:
        refused = _refusal(lambda: primaweb_pb2_grpc.SppIntegrationStub(channel).ListSentForms(
            primaweb_pb2.ListSentFormsRequest(), timeout=5))
    assert refused.code() == grpc.StatusCode.UNAVAILABLE
    assert "primaweb database" in refused.details()
    _no_traceback(caplog)


@pytest.fixture(scope="module")
def primaweb_channel(tmp_path_factory):
    engine = primaweb_database.make_engine(f"sqlite:///{tmp_path_factory.mktemp('pw') / 'primaweb.sqlite3'}")
    primaweb_database.upgrade(engine)
    with serving(primaweb_server.registrar(PrimaWebStore(engine))) as channel:
        yield channel
    engine.dispose()


@pytest.mark.parametrize("seconds, nanos", [(2**62, 0), (-(2**62), 0), (253402300800, 0), (0, -1), (0, 10**9)])
def test_a_since_out_of_range_is_invalid_argument_naming_the_field(primaweb_channel, caplog, seconds, nanos):
    request = primaweb_pb2.ListSentFormsRequest()
    request.since.seconds, request.since.nanos = seconds, nanos
    refused = _refusal(lambda: primaweb_pb2_grpc.SppIntegrationStub(primaweb_channel).ListSentForms(request,
                                                                                                  timeout=5))
    assert refused.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert refused.details().startswith("since: "), refused.details()
    _no_traceback(caplog)


@pytest.mark.parametrize("payload", [b"\xff\xff\xff\xff", b"\x0a\x05ab", b"\x08" + b"\xff" * 11])
def test_a_malformed_message_is_refused_in_one_concise_log_line(caplog, payload):
    caplog.set_level(logging.INFO)
    with serving(portal_server.registrar(catalogue.load())) as channel:
        call = channel.unary_unary("/ssp.portal.v1.PortalCatalogue/ListAudiences",
                                   request_serializer=lambda raw: raw, response_deserializer=lambda raw: raw)
        refused = _refusal(lambda: call(payload, timeout=5))
    assert refused.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "not a valid request message" in refused.details()
    lines = [r for r in caplog.records if r.name == "services.common.grpc_server" or r.levelno >= logging.WARNING]
    assert [(r.getMessage(), r.code, r.method) for r in lines] == [
        ("malformed_request", "INVALID_ARGUMENT", "/ssp.portal.v1.PortalCatalogue/ListAudiences")]
    _no_traceback(caplog)


def test_a_postgresql_statement_that_does_not_end_is_cut_and_counts_as_unavailable(postgres_server):
    from sqlalchemy import text as sql_text

    from services.common import sql

    engine = sql.SqlDatabase.make_engine(postgres_server.create_database("stalled_statement"), pool_size=1)
    try:
        started = time.monotonic()
        with pytest.raises(sql.UNAVAILABLE_ERRORS), engine.connect() as connection:
            connection.execute(sql_text("SELECT pg_sleep(30)"))
        assert time.monotonic() - started < sql.STATEMENT_TIMEOUT_MS / 1000 + 2
    finally:
        engine.dispose()
