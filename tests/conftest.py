"""Fixtures that start real things and always stop them."""

from __future__ import annotations

import pytest
import redis

from tests.support import RedisServer, RunningStack


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """One real redis-server for the session; tests use their own keys or flush."""
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@pytest.fixture
def redis_client(redis_server):
    client = redis.Redis.from_url(redis_server.url)
    client.flushdb()
    yield client
    client.close()


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    """The whole system, started by the launcher of `make run`, for the session."""
    running = RunningStack(tmp_path_factory.mktemp("run"))
    yield running
    running.stop()


@pytest.fixture(scope="session")
def postgres_server():
    """One real PostgreSQL cluster for the session; each test module makes its databases."""
    from tests.support import PostgresServer

    server = PostgresServer()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_stack(tmp_path_factory, postgres_server):
    """The whole system with roles and primaweb on PostgreSQL (the databases compose and
    Kubernetes use), started by the same launcher."""
    running = RunningStack(tmp_path_factory.mktemp("run-pg"), extra_env={
        "ROLES_DATABASE_URL": postgres_server.create_database("stack_roles"),
        "PRIMAWEB_DATABASE_URL": postgres_server.create_database("stack_primaweb"),
    })
    said = running.output_when(lambda text: text.count('"database_ready"') >= 2)
    ready = [line for line in said.splitlines() if '"database_ready"' in line]
    assert len(ready) == 2 and all("postgresql+psycopg://" in line for line in ready), ready
    yield running
    running.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_stack(request):
    """The stack on each database: SQLite (make run's default) and PostgreSQL."""
    return request.getfixturevalue("stack" if request.param == "sqlite" else "pg_stack")
