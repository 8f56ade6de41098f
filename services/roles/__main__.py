"""`python -m services.roles`: migrate the database to head, then serve on ROLES_PORT
(default 50053).

DATABASE_URL names the database (default: the SQLite file RUN_DIR/roles.sqlite3, RUN_DIR
defaulting to ./run). Nothing listens until the schema is current; a database that
cannot be reached or migrated stops the process with a message. Demo data is never
loaded here: `python -m services.roles.demo_data` does it, when asked.
"""

from __future__ import annotations

from services.common import config, grpc_server, logs
from services.roles import database, server
from services.roles.store import Store


def main() -> None:
    logs.setup("roles", config.env_str("LOG_LEVEL", "INFO"))
    engine = database.DATABASE.ready_engine(pool_size=config.env_int("DATABASE_POOL_SIZE", 8, minimum=1))
    grpc_server.run("roles", server.registrar(Store(engine)), port_variable="ROLES_PORT", default_port=50053,
                    callers=server.CALLERS)


if __name__ == "__main__":
    main()
