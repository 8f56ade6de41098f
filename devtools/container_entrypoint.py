"""ENTRYPOINT of the service images: load secrets given as files, then exec the command.

    python /app/devtools/container_entrypoint.py python -m services.auth

The services read their configuration from environment variables only, but a secret is
best handed to a container as a file (compose `secrets:`, a Kubernetes Secret volume): a
file does not show in `docker inspect`, in the pod spec or in /proc/<pid>/environ of other
processes. For each variable of SECRET_VARIABLES, when NAME is unset and NAME_FILE is set,
NAME gets the file's content (surrounding whitespace removed); then the process is
replaced by the command (exec: signals reach the service directly, no extra process).

Only the names below are expanded, on purpose: TLS_CERT_FILE, TLS_KEY_FILE and friends are
paths the services read themselves, and must never be turned into variables holding keys.
The file's content is never printed; a missing or unreadable file stops the container with
a message naming the variable and the path.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SECRET_VARIABLES = ("GATEWAY_SECRET_KEY", "DATABASE_URL", "REDIS_URL")


def load_secret_files(environ: dict[str, str]) -> None:
    for name in SECRET_VARIABLES:
        path = environ.get(f"{name}_FILE")
        if not path or environ.get(name):
            continue
        try:
            value = Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise SystemExit(f"{name}_FILE={path}: cannot read the file ({exc.strerror})") from None
        if not value:
            raise SystemExit(f"{name}_FILE={path}: the file is empty")
        environ[name] = value
        del environ[f"{name}_FILE"]


def main(argv: list[str]) -> None:
    if not argv:
        raise SystemExit("usage: container_entrypoint.py COMMAND [ARG...]")
    environ = dict(os.environ)
    load_secret_files(environ)
    os.execvpe(argv[0], argv, environ)  # noqa: S606 (the service replaces this process; no shell)


if __name__ == "__main__":
    main(sys.argv[1:])
