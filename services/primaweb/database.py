"""The PrimaWeb service's database (services/common/sql.py): SQLite by default, PostgreSQL by
DATABASE_URL, its schema made by the Alembic migrations beside this file."""

from __future__ import annotations

from pathlib import Path

from services.common.sql import SqlDatabase

DATABASE = SqlDatabase("primaweb", Path(__file__).with_name("migrations"), migration_lock=7_305_310_002)
MIGRATIONS = DATABASE.migrations

default_url = DATABASE.default_url
make_engine = DATABASE.make_engine
writer = DATABASE.writer
alembic_config = DATABASE.alembic_config
upgrade = DATABASE.upgrade
downgrade = DATABASE.downgrade
current_revision = DATABASE.current_revision
