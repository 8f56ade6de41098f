"""A service's SQL database: one Engine per process, and its Alembic migrations. For the
services that own one (roles, primaweb); their dependency groups bring SQLAlchemy.

SQLite (a file, the local default) and PostgreSQL (by URL in compose and Kubernetes).
On SQLite every connection gets WAL (readers never wait for the writer), foreign keys
and a busy timeout; write transactions start with BEGIN IMMEDIATE, so two writers queue
on the lock instead of one failing when it upgrades a read snapshot to a write.

The schema is made by Alembic (the service's `migrations/`), configured from Python: no
alembic.ini. `upgrade()` runs at every start of the service; on PostgreSQL it holds an
advisory lock meanwhile, so replicas starting together migrate one after the other.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import DateTime, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.types import TypeDecorator

from services.common import config

# The database could not be reached, dropped the connection, stayed locked, or no pooled
# connection came free in time: the servicers answer UNAVAILABLE naming their database.
UNAVAILABLE_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError, PoolTimeout)

# PostgreSQL: no statement or lock wait longer than this (SQLite: its busy timeout, 5 s);
# migrations lift it for their own transaction.
STATEMENT_TIMEOUT_MS = 4000
CONNECT_TIMEOUT_SECONDS = 2
POOL_TIMEOUT_SECONDS = 3

_WRITE = "ssp_write"  # execution option: this transaction will write


class SqlDatabase:
    def __init__(self, name: str, migrations: Path, migration_lock: int):
        self.name = name
        self.migrations = migrations
        self.migration_lock = migration_lock  # pg_advisory_xact_lock key, one per service

    def default_url(self) -> str:
        """DATABASE_URL, else a SQLite file <name>.sqlite3 in RUN_DIR (default ./run)."""
        run_dir = Path(config.env_str("RUN_DIR", "run")).resolve()
        return config.env_str("DATABASE_URL", f"sqlite:///{run_dir / f'{self.name}.sqlite3'}")

    @staticmethod
    def make_engine(url: str, *, pool_size: int = 8) -> Engine:
        """The process's one Engine. `pool_size` near the gRPC worker count."""
        parsed = make_url(url)
        if parsed.get_backend_name() != "sqlite":
            # Bounded waits: a database that does not answer frees the gRPC thread within
            # seconds (UNAVAILABLE), instead of holding it until the pool runs dry.
            return create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True,
                                 pool_recycle=1800, pool_timeout=POOL_TIMEOUT_SECONDS,
                                 connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS,
                                               "options": f"-c statement_timeout={STATEMENT_TIMEOUT_MS}"
                                                          f" -c lock_timeout={STATEMENT_TIMEOUT_MS}"})
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_timeout=POOL_TIMEOUT_SECONDS)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):
            # Transactions are begun by _on_begin below, not by the sqlite3 module.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=5000"):
                cursor.execute(f"PRAGMA {pragma}")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(connection):
            write = connection.get_execution_options().get(_WRITE, False)
            connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine

    @staticmethod
    def writer(engine: Engine) -> Engine:
        """The same Engine (same pool) for transactions that write."""
        return engine.execution_options(**{_WRITE: True})

    def alembic_config(self, engine: Engine) -> Config:
        cfg = Config()
        cfg.set_main_option("script_location", str(self.migrations))
        cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
        return cfg

    def _run(self, engine: Engine, action, revision: str) -> None:
        cfg = self.alembic_config(engine)
        with self.writer(engine).begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SET LOCAL statement_timeout = 0"))  # a migration may take long,
                connection.execute(text("SET LOCAL lock_timeout = 0"))  # or wait for another replica's
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": self.migration_lock})
            cfg.attributes["connection"] = connection
            action(cfg, revision)

    def upgrade(self, engine: Engine, revision: str = "head") -> None:
        """Bring the schema (and the reference data) to `revision`."""
        self._run(engine, command.upgrade, revision)

    def downgrade(self, engine: Engine, revision: str) -> None:
        self._run(engine, command.downgrade, revision)

    def ready_engine(self, *, pool_size: int) -> Engine:
        """The service's Engine at start: the schema migrated to head, or SystemExit
        naming the database (never its password) and what went wrong."""
        import logging

        from sqlalchemy.exc import SQLAlchemyError

        logging.getLogger("alembic").setLevel(logging.WARNING)  # database_ready says what changed
        engine = self.make_engine(self.default_url(), pool_size=pool_size)
        where = engine.url.render_as_string(hide_password=True)
        try:
            before = self.current_revision(engine)
            self.upgrade(engine)
            after = self.current_revision(engine)
        except SQLAlchemyError as exc:
            raise SystemExit(f"{self.name}: database {where}: {exc.__class__.__name__}: {exc}") from None
        logging.getLogger(f"services.{self.name}").info(
            "database_ready", extra={"database": where, "revision_before": before, "revision": after})
        return engine

    def load_demo(self, load, what: str) -> None:
        """`python -m services.<name>.demo_data`: migrate, run `load(engine)` (which returns
        what it added) and say what changed."""
        engine = self.make_engine(self.default_url(), pool_size=1)
        try:
            self.upgrade(engine)
            added = load(engine)
        finally:
            engine.dispose()
        where = engine.url.render_as_string(hide_password=True)
        if added:
            print(f"{self.name} demo data: {len(added)} {what} in {where}")
            for item in added:
                print(f"  + {item}")
        else:
            print(f"{self.name} demo data: {where} already holds data (the demo is loaded into an empty "
                  "database only); nothing changed")

    @staticmethod
    def current_revision(engine: Engine) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()


# --- for the services' models and migrations -------------------------------------------

# Constraint names the same on every database, so migrations can name what they drop.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every database: timestamptz on PostgreSQL, naive
    UTC on SQLite; aware UTC datetimes back, and only aware ones accepted."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: only aware UTC times are stored")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def run_migrations(target_metadata) -> None:
    """The body of a service's migrations/env.py: on the connection SqlDatabase passes in
    `config.attributes`, else on the URL (the alembic command line)."""
    from alembic import context

    config = context.config

    def configure(connection) -> None:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",  # ALTER TABLE by copy on SQLite
            compare_type=True,
        )

    if context.is_offline_mode():
        context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                          literal_binds=True, dialect_opts={"paramstyle": "named"})
        with context.begin_transaction():
            context.run_migrations()
        return
    connection = config.attributes.get("connection")
    if connection is not None:
        configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as connection:
        configure(connection)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
