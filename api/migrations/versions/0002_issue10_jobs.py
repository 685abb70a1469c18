"""Jobs live in the database (any API instance answers for any job); ids sort bytewise on
PostgreSQL too (the "C" collation), as they do on SQLite.

Revision ID: issue10_jobs
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "issue10_jobs"
down_revision = "0001"
branch_labels = None
depends_on = None

# (table, column): every id column, referenced ones first.
_ID_COLUMNS = (
    ("bapas", "bapas_id"),
    ("tokens", "bapas_id"),
    ("sites", "site_id"),
    ("sites", "bapas_id"),
    ("clients", "client_id"),
    ("clients", "bapas_id"),
    ("client_separations", "client_id"),
    ("client_separations", "other_id"),
    ("placements", "client_id"),
    ("placements", "site_id"),
    ("placements", "bapas_id"),
    ("audit_log", "bapas_id"),
    ("audit_log", "entity_id"),
)


def _id() -> sa.types.TypeEngine[str]:
    return sa.String(length=64).with_variant(sa.String(length=64, collation="C"), "postgresql")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, column in _ID_COLUMNS:
            op.execute(f'ALTER TABLE {table} ALTER COLUMN {column} TYPE varchar(64) COLLATE "C"')
    op.create_table(
        "jobs",
        sa.Column("job_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("bapas_id", _id(), nullable=True),
        sa.Column("token_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("principal_bapas", _id(), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("stage", sa.String(length=32), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("cancel_requested", sa.Boolean(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("worker", sa.String(length=200), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("error", sa.JSON(), nullable=True),
        sa.Column("peak_memory_mb", sa.Float(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("job_id"),
    )
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_jobs_bapas_id"), ["bapas_id"], unique=False)
        batch_op.create_index("ix_jobs_state_heartbeat", ["state", "heartbeat_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_jobs_state_heartbeat")
        batch_op.drop_index(batch_op.f("ix_jobs_bapas_id"))
    op.drop_table("jobs")
    if op.get_bind().dialect.name == "postgresql":
        for table, column in reversed(_ID_COLUMNS):
            op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE varchar(64)")
