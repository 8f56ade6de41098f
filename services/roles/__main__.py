"""`python -m services.roles`: migrate the database to head, then serve on ROLES_PORT
(default 50053).

DATABASE_URL names the database (default: the SQLite file RUN_DIR/roles.sqlite3, RUN_DIR
defaulting to ./run). Nothing listens until the schema is current; a database that
cannot be reached or migrated stops the process with a message. Demo data is never
loaded here: `python -m services.roles.demo_data` does it, when asked.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError

from services.common import config, grpc_server, logs
from services.roles import database, server
from services.roles.store import Store

log = logging.getLogger("services.roles")
WORKERS = 16  # the bootstrap's thread pool; the connection pool follows it


def main() -> None:
    logs.setup("roles", config.env_str("LOG_LEVEL", "INFO"))
    logging.getLogger("alembic").setLevel(logging.WARNING)  # database_ready says what changed
    engine = database.make_engine(database.default_url(), pool_size=config.env_int("DATABASE_POOL_SIZE", 8, minimum=1))
    where = engine.url.render_as_string(hide_password=True)
    try:
        before = database.current_revision(engine)
        database.upgrade(engine)
        after = database.current_revision(engine)
    except SQLAlchemyError as exc:
        raise SystemExit(f"roles: database {where}: {exc.__class__.__name__}: {exc}") from None
    log.info("database_ready", extra={"database": where, "revision_before": before, "revision": after})
    grpc_server.run("roles", server.registrar(Store(engine)), port_variable="ROLES_PORT", default_port=50053,
                    callers=server.CALLERS)


if __name__ == "__main__":
    main()
