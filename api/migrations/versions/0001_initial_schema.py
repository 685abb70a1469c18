"""Initial schema: bapas, tokens, sites, clients, separations, placements, hours, audit.

Revision ID: 0001
Revises:
Create Date: 2026-11-22 18:07:25.564660
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("audit_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column(
            "at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column("token_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("bapas_id", sa.String(length=64), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("audit_id"),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)

    op.create_table(
        "bapas",
        sa.Column("bapas_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("sites_version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("bapas_id"),
    )
    op.create_table(
        "client_separations",
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("other_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("client_id", "other_id"),
    )
    with op.batch_alter_table("client_separations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_client_separations_other_id"), ["other_id"], unique=False
        )
    op.create_table(
        "clients",
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("bapas_id", sa.String(length=64), nullable=False),
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.Column("hours_per_day", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["bapas_id"],
            ["bapas.bapas_id"],
        ),
        sa.PrimaryKeyConstraint("client_id"),
    )
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_clients_bapas_id"), ["bapas_id"], unique=False)

    op.create_table(
        "sites",
        sa.Column("site_id", sa.String(length=64), nullable=False),
        sa.Column("bapas_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("subdistrict", sa.String(length=100), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["bapas_id"],
            ["bapas.bapas_id"],
        ),
        sa.PrimaryKeyConstraint("site_id"),
    )
    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sites_bapas_id"), ["bapas_id"], unique=False)

    op.create_table(
        "tokens",
        sa.Column("token_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("bapas_id", sa.String(length=64), nullable=True),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["bapas_id"],
            ["bapas.bapas_id"],
        ),
        sa.PrimaryKeyConstraint("token_id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_table(
        "placements",
        sa.Column("placement_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("site_id", sa.String(length=64), nullable=False),
        sa.Column("bapas_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("distance_km", sa.Float(), nullable=True),
        sa.Column("revoke_reason", sa.String(length=500), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("confirmed_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["bapas_id"],
            ["bapas.bapas_id"],
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.client_id"],
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.site_id"],
        ),
        sa.PrimaryKeyConstraint("placement_id"),
    )
    with op.batch_alter_table("placements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_placements_bapas_id"), ["bapas_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_placements_client_id"), ["client_id"], unique=False)
        batch_op.create_index("ix_placements_site_status", ["site_id", "status"], unique=False)
        batch_op.create_index(
            "uq_placements_open_client",
            ["client_id"],
            unique=True,
            sqlite_where=sa.text("status IN ('proposed', 'active')"),
            postgresql_where=sa.text("status IN ('proposed', 'active')"),
        )

    op.create_table(
        "hours_logs",
        sa.Column("log_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("work_date", sa.Date(), nullable=False),
        sa.Column("hours", sa.Float(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["placement_id"],
            ["placements.placement_id"],
        ),
        sa.PrimaryKeyConstraint("log_id"),
    )
    with op.batch_alter_table("hours_logs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hours_logs_placement_id"), ["placement_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("hours_logs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hours_logs_placement_id"))

    op.drop_table("hours_logs")
    with op.batch_alter_table("placements", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_placements_open_client",
            sqlite_where=sa.text("status IN ('proposed', 'active')"),
            postgresql_where=sa.text("status IN ('proposed', 'active')"),
        )
        batch_op.drop_index("ix_placements_site_status")
        batch_op.drop_index(batch_op.f("ix_placements_client_id"))
        batch_op.drop_index(batch_op.f("ix_placements_bapas_id"))

    op.drop_table("placements")
    op.drop_table("tokens")
    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sites_bapas_id"))

    op.drop_table("sites")
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clients_bapas_id"))

    op.drop_table("clients")
    with op.batch_alter_table("client_separations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_client_separations_other_id"))
    op.drop_table("client_separations")
    op.drop_table("bapas")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))

    op.drop_table("audit_log")
