"""Alembic environment of the roles service, configured from Python by
`services.roles.database` (which passes an open connection in `config.attributes`).

By hand, from the repository root:
    .venv/bin/python -c "from services.roles import database as d; d.upgrade(d.make_engine(d.default_url()))"
"""

from services.common.sql import run_migrations
from services.roles.models import Base

run_migrations(Base.metadata)
