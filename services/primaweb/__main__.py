"""`python -m services.primaweb`: migrate the database to head, then serve on PRIMAWEB_PORT
(default 50054).

DATABASE_URL names the database (default: the SQLite file RUN_DIR/primaweb.sqlite3,
RUN_DIR defaulting to ./run). Nothing listens until the schema is current; a database
that cannot be reached or migrated stops the process with a message. Demo data is never
loaded here: `python -m services.primaweb.demo_data` does it, when asked.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError

from services.common import config, grpc_server, logs
from services.primaweb import database, server
from services.primaweb.store import Store

log = logging.getLogger("services.primaweb")


def main() -> None:
    logs.setup("primaweb", config.env_str("LOG_LEVEL", "INFO"))
    logging.getLogger("alembic").setLevel(logging.WARNING)  # database_ready says what changed
    engine = database.make_engine(database.default_url(), pool_size=config.env_int("DATABASE_POOL_SIZE", 8, minimum=1))
    where = engine.url.render_as_string(hide_password=True)
    try:
        before = database.current_revision(engine)
        database.upgrade(engine)
        after = database.current_revision(engine)
    except SQLAlchemyError as exc:
        raise SystemExit(f"primaweb: database {where}: {exc.__class__.__name__}: {exc}") from None
    log.info("database_ready", extra={"database": where, "revision_before": before, "revision": after})
    grpc_server.run("primaweb", server.registrar(Store(engine)), port_variable="PRIMAWEB_PORT", default_port=50054,
                    callers=server.CALLERS)


if __name__ == "__main__":
    main()
