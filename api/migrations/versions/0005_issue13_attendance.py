"""Attendance outcomes on the hours log (outcome, reason) and a PK Anak on a placement.

Revision ID: issue13_attendance
Revises: issue9_token_expiry
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "issue13_attendance"
down_revision = "issue9_token_expiry"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("hours_logs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("outcome", sa.String(length=16), server_default="hadir", nullable=False)
        )
        batch_op.add_column(
            sa.Column("reason", sa.String(length=16), server_default="", nullable=False)
        )
    with op.batch_alter_table("placements", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pk_anak", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("placements", schema=None) as batch_op:
        batch_op.drop_column("pk_anak")
    with op.batch_alter_table("hours_logs", schema=None) as batch_op:
        batch_op.drop_column("reason")
        batch_op.drop_column("outcome")
