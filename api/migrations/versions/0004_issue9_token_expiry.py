"""Tokens expire: ``tokens.expires_at`` (issue 9).

Tokens issued before this migration get no expiry (NULL) and keep working until revoked;
``penempatan token list`` shows them so an operator can revoke them.

Revision ID: issue9_token_expiry
Revises: issue11_users
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "issue9_token_expiry"
down_revision = "issue11_users"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tokens") as batch:
        batch.add_column(sa.Column("expires_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tokens") as batch:
        batch.drop_column("expires_at")
