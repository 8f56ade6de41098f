"""Alembic environment of the PrimaWeb service, configured from Python by
`services.primaweb.database` (which passes an open connection in `config.attributes`).

By hand, from the repository root:
    .venv/bin/python -c "from services.primaweb import database as d; d.upgrade(d.make_engine(d.default_url()))"
"""

from services.common.sql import run_migrations
from services.primaweb.models import Base

run_migrations(Base.metadata)
