"""The tables. Clients carry a pseudonymous id and no names; health, religion and offence live
only inside the client's ``record`` (the validated data-contract fields), never in the audit log.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

PLACEMENT_STATUSES = ("proposed", "active", "completed", "revoked")
ROLES = ("officer", "planner", "admin")


class Base(DeclarativeBase):
    pass


class BapasRow(Base):
    """A probation office. ``sites_version`` changes with every write to its site registry, so
    every process knows when its in-memory copy of the registry is stale."""

    __tablename__ = "bapas"

    bapas_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    sites_version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())


class TokenRow(Base):
    """A bearer token, stored as the SHA-256 of the secret (the secret is shown once)."""

    __tablename__ = "tokens"

    token_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    bapas_id: Mapped[str | None] = mapped_column(ForeignKey("bapas.bapas_id"), nullable=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class SiteRow(Base):
    """A work site; ``record`` holds every data-contract field as validated."""

    __tablename__ = "sites"

    site_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    bapas_id: Mapped[str] = mapped_column(ForeignKey("bapas.bapas_id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    subdistrict: Mapped[str] = mapped_column(String(100), default="")
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    capacity: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.now(), onupdate=func.now()
    )


class ClientRow(Base):
    """A client (pseudonymous id, no names) and the court order, validated by Pasal 85."""

    __tablename__ = "clients"

    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    bapas_id: Mapped[str] = mapped_column(ForeignKey("bapas.bapas_id"), index=True)
    hours: Mapped[int] = mapped_column(Integer)
    hours_per_day: Mapped[int] = mapped_column(Integer)
    start_date: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, server_default=func.now(), onupdate=func.now()
    )


class SeparationRow(Base):
    """A client's ``separate_from`` list, one row per named co-offender (looked up both ways)."""

    __tablename__ = "client_separations"

    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    other_id: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class PlacementRow(Base):
    """A client at a site: proposed -> active -> completed, or revoked (with a reason).

    At most one open (proposed or active) placement per client: a partial unique index.
    """

    __tablename__ = "placements"
    __table_args__ = (
        Index("ix_placements_site_status", "site_id", "status"),
        Index(
            "uq_placements_open_client",
            "client_id",
            unique=True,
            sqlite_where=text("status IN ('proposed', 'active')"),
            postgresql_where=text("status IN ('proposed', 'active')"),
        ),
    )

    placement_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("clients.client_id"), index=True)
    site_id: Mapped[str] = mapped_column(ForeignKey("sites.site_id"))
    bapas_id: Mapped[str] = mapped_column(ForeignKey("bapas.bapas_id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    distance_km: Mapped[float | None] = mapped_column(Float, nullable=True)
    revoke_reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    pk_anak: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class HoursRow(Base):
    """One scheduled day's attendance at a placement: the outcome (``matcher.attendance``), the
    izin reason, and the hours worked (0 unless hadir or dipulangkan)."""

    __tablename__ = "hours_logs"

    log_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.placement_id"), index=True)
    work_date: Mapped[date] = mapped_column(Date)
    hours: Mapped[float] = mapped_column(Float)
    outcome: Mapped[str] = mapped_column(String(16), server_default="hadir", default="hadir")
    reason: Mapped[str] = mapped_column(String(16), server_default="", default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())


class AuditRow(Base):
    """Who did what, when, with the ids before and after. Never field values of a client."""

    __tablename__ = "audit_log"

    audit_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now(), index=True)
    token_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    role: Mapped[str] = mapped_column(String(16))
    bapas_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
