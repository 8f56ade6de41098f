"""`python -m services.primaweb`: migrate the database to head, then serve on PRIMAWEB_PORT
(default 50054).

DATABASE_URL names the database (default: the SQLite file RUN_DIR/primaweb.sqlite3,
RUN_DIR defaulting to ./run). Nothing listens until the schema is current; a database
that cannot be reached or migrated stops the process with a message. Demo data is never
loaded here: `python -m services.primaweb.demo_data` does it, when asked.
"""

from __future__ import annotations

from services.common import config, grpc_server, logs
from services.primaweb import database, server
from services.primaweb.store import Store


def main() -> None:
    logs.setup("primaweb", config.env_str("LOG_LEVEL", "INFO"))
    engine = database.DATABASE.ready_engine(pool_size=config.env_int("DATABASE_POOL_SIZE", 8, minimum=1))
    grpc_server.run("primaweb", server.registrar(Store(engine)), port_variable="PRIMAWEB_PORT", default_port=50054,
                    callers=server.CALLERS)


if __name__ == "__main__":
    main()
