"""Files, decisions, reimbursement forms, SPP IS messages, file histories, request keys and
counters; the "sent-forms" counter seeded at 0.

Types are written out here (not taken from models.py) so that this revision means the
same thing forever. Amounts: NUMERIC(12,2) on PostgreSQL, integer cents on SQLite (which
has no exact decimal type). Name search keys: "C" collation on PostgreSQL.

Revision ID: 0001
Revises:
Create Date: 2026-01-12
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

UTC_TIME = sa.DateTime(timezone=True)


def _euros():
    return sa.Numeric(12, 2).with_variant(sa.BigInteger(), "sqlite")


def _name_key():
    return sa.String(100).with_variant(sa.String(100, collation="C"), "postgresql")


def upgrade() -> None:
    counters = op.create_table(
        "counters",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_counters"),
    )
    op.bulk_insert(counters, [{"name": "sent-forms", "value": 0}])

    op.create_table(
        "files",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("enterprise_number", sa.String(10), nullable=False),
        sa.Column("number", sa.String(11), nullable=False),
        sa.Column("nrn", sa.String(11), nullable=False),
        sa.Column("first_name", sa.String(100), nullable=False),
        sa.Column("last_name", sa.String(100), nullable=False),
        sa.Column("first_name_key", _name_key(), nullable=False),
        sa.Column("last_name_key", _name_key(), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("sex", sa.String(1), nullable=False),
        sa.Column("street", sa.String(200), nullable=False),
        sa.Column("postal_code", sa.String(4), nullable=False),
        sa.Column("municipality", sa.String(100), nullable=False),
        sa.Column("law", sa.String(32), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("social_worker_nrn", sa.String(11), nullable=False),
        sa.Column("social_worker_name", sa.String(200), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("created_by_nrn", sa.String(11), nullable=False),
        sa.Column("created_by_name", sa.String(200), nullable=False),
        sa.Column("closed_at", UTC_TIME, nullable=True),
        sa.Column("decisions", sa.Integer(), nullable=False),
        sa.Column("latest_outcome", sa.String(16), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_files"),
        sa.UniqueConstraint("enterprise_number", "number", name="uq_files_number"),
        sa.CheckConstraint("law IN ('ris-2002', 'aide-sociale-1965')", name="ck_files_law"),
        sa.CheckConstraint("category IN ('cohabitant', 'isole', 'famille-a-charge')", name="ck_files_category"),
        sa.CheckConstraint("status IN ('open', 'closed')", name="ck_files_status"),
        sa.CheckConstraint("sex IN ('M', 'F')", name="ck_files_sex"),
    )
    op.create_index("uq_files_open_person", "files", ["enterprise_number", "nrn", "law"], unique=True,
                    sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))
    op.create_index("ix_files_name", "files", ["enterprise_number", "last_name_key", "first_name_key", "id"])
    op.create_index("ix_files_first_name", "files", ["enterprise_number", "first_name_key"])
    op.create_index("ix_files_nrn", "files", ["enterprise_number", "nrn"])
    op.create_index("ix_files_status", "files", ["enterprise_number", "status", "law"])
    op.create_index("ix_files_social_worker", "files",
                    ["enterprise_number", "social_worker_nrn", "last_name_key", "first_name_key", "id"])

    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("monthly_amount", _euros(), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("note", sa.String(1000), nullable=False),
        sa.Column("recorded_at", UTC_TIME, nullable=False),
        sa.Column("recorded_by_nrn", sa.String(11), nullable=False),
        sa.Column("recorded_by_name", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_decisions"),
        sa.ForeignKeyConstraint(["file_id"], ["files.id"], name="fk_decisions_file_id_files"),
        sa.UniqueConstraint("file_id", "number", name="uq_decisions_number"),
        sa.CheckConstraint("outcome IN ('granted', 'refused')", name="ck_decisions_outcome"),
        sa.CheckConstraint(
            "(outcome = 'granted' AND monthly_amount IS NOT NULL AND period_start IS NOT NULL"
            " AND period_end IS NOT NULL) OR (outcome = 'refused' AND monthly_amount IS NULL)",
            name="ck_decisions_granted_has_amount_and_period"),
    )

    op.create_table(
        "forms",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("public_id", sa.String(36), nullable=False),
        sa.Column("enterprise_number", sa.String(10), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("corrects_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("monthly_amount", _euros(), nullable=False),
        sa.Column("total_amount", _euros(), nullable=False),
        sa.Column("file_number", sa.String(11), nullable=False),
        sa.Column("decision_number", sa.Integer(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("nrn", sa.String(11), nullable=False),
        sa.Column("first_name", sa.String(100), nullable=False),
        sa.Column("last_name", sa.String(100), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("sex", sa.String(1), nullable=False),
        sa.Column("law", sa.String(32), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("created_by_nrn", sa.String(11), nullable=False),
        sa.Column("created_by_name", sa.String(200), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=True),
        sa.Column("sent_at", UTC_TIME, nullable=True),
        sa.Column("sent_by_nrn", sa.String(11), nullable=True),
        sa.Column("sent_by_name", sa.String(200), nullable=True),
        sa.Column("answered_at", UTC_TIME, nullable=True),
        sa.Column("answer_reason", sa.String(1000), nullable=True),
        sa.Column("answered_by", sa.String(200), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_forms"),
        sa.ForeignKeyConstraint(["file_id"], ["files.id"], name="fk_forms_file_id_files"),
        sa.ForeignKeyConstraint(["decision_id"], ["decisions.id"], name="fk_forms_decision_id_decisions"),
        sa.ForeignKeyConstraint(["corrects_id"], ["forms.id"], name="fk_forms_corrects_id_forms"),
        sa.UniqueConstraint("public_id", name="uq_forms_public_id"),
        sa.UniqueConstraint("sequence", name="uq_forms_sequence"),
        sa.CheckConstraint("status IN ('draft', 'sent', 'accepted', 'rejected', 'discarded')",
                           name="ck_forms_status"),
        sa.CheckConstraint("(status IN ('draft', 'discarded')) = (sequence IS NULL)",
                           name="ck_forms_sent_has_sequence"),
        sa.CheckConstraint("period_start <= period_end", name="ck_forms_period"),
    )
    op.create_index("uq_forms_corrects", "forms", ["corrects_id"], unique=True,
                    sqlite_where=sa.text("corrects_id IS NOT NULL AND status <> 'discarded'"),
                    postgresql_where=sa.text("corrects_id IS NOT NULL AND status <> 'discarded'"))
    op.create_index("ix_forms_entity_status", "forms", ["enterprise_number", "status", "id"])
    op.create_index("ix_forms_file", "forms", ["file_id", "id"])
    op.create_index("ix_forms_sent_at", "forms", ["sent_at"])

    op.create_table(
        "messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("enterprise_number", sa.String(10), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.Integer(), nullable=False),
        sa.Column("answer", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(1000), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("read_at", UTC_TIME, nullable=True),
        sa.Column("read_by_nrn", sa.String(11), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_messages"),
        sa.ForeignKeyConstraint(["file_id"], ["files.id"], name="fk_messages_file_id_files"),
        sa.ForeignKeyConstraint(["form_id"], ["forms.id"], name="fk_messages_form_id_forms"),
        sa.CheckConstraint("answer IN ('accepted', 'rejected')", name="ck_messages_answer"),
    )
    op.create_index("ix_messages_entity", "messages", ["enterprise_number", "id"])
    op.create_index("ix_messages_unread", "messages", ["enterprise_number", "read_at"])
    op.create_index("ix_messages_file", "messages", ["file_id"])

    op.create_table(
        "file_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("at", UTC_TIME, nullable=False),
        sa.Column("actor_nrn", sa.String(11), nullable=True),
        sa.Column("actor_name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("form_id", sa.Integer(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_file_events"),
        sa.ForeignKeyConstraint(["file_id"], ["files.id"], name="fk_file_events_file_id_files"),
        sa.ForeignKeyConstraint(["form_id"], ["forms.id"], name="fk_file_events_form_id_forms"),
    )
    op.create_index("ix_file_events_file", "file_events", ["file_id", "id"])

    op.create_table(
        "request_keys",
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("request_id", sa.String(64), nullable=False),
        sa.Column("operation", sa.String(32), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=True),
        sa.Column("form_id", sa.Integer(), nullable=True),
        sa.Column("decision_number", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("scope", "request_id", name="pk_request_keys"),
        sa.ForeignKeyConstraint(["file_id"], ["files.id"], name="fk_request_keys_file_id_files"),
        sa.ForeignKeyConstraint(["form_id"], ["forms.id"], name="fk_request_keys_form_id_forms"),
    )


def downgrade() -> None:
    for table in ("request_keys", "file_events", "messages", "forms", "decisions", "files", "counters"):
        op.drop_table(table)
