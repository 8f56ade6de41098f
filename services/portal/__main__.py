"""`python -m services.portal`: serve the catalogue on PORTAL_PORT (default 50052).

The catalogue file (PORTAL_CATALOGUE) is validated before anything listens: a malformed
file stops the process with a message naming the file and the entry.
"""

import sys
from pathlib import Path

from services.common import config, grpc_server
from services.portal import catalogue, server


def main() -> None:
    path = Path(config.env_str("PORTAL_CATALOGUE", str(catalogue.DEFAULT_FILE)))
    try:
        data = catalogue.load(path)
    except catalogue.CatalogueError as exc:
        sys.exit(f"portal: {exc}")
    grpc_server.run("portal", server.registrar(data), port_variable="PORTAL_PORT", default_port=50052,
                    callers=server.CALLERS)


if __name__ == "__main__":
    main()
