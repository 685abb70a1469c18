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
JOB_STATES = ("queued", "running", "done", "failed", "cancelled")

# Ids compare and sort byte by byte on every database: SQLite does so by default, PostgreSQL
# only with the "C" collation (a server in en_US.UTF-8 would put "S-10" before "S1", and the
# registry's order decides the solver's ties, hence its answers).
Id = String(64).with_variant(String(64, collation="C"), "postgresql")


class Base(DeclarativeBase):
    pass


class BapasRow(Base):
    """A probation office. ``sites_version`` changes with every write to its site registry, so
    every process knows when its in-memory copy of the registry is stale."""

    __tablename__ = "bapas"

    bapas_id: Mapped[str] = mapped_column(Id, primary_key=True)
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

    site_id: Mapped[str] = mapped_column(Id, primary_key=True)
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

    client_id: Mapped[str] = mapped_column(Id, primary_key=True)
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

    client_id: Mapped[str] = mapped_column(Id, primary_key=True)
    other_id: Mapped[str] = mapped_column(Id, primary_key=True, index=True)


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
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class HoursRow(Base):
    """Hours worked on one date for a placement."""

    __tablename__ = "hours_logs"

    log_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.placement_id"), index=True)
    work_date: Mapped[date] = mapped_column(Date)
    hours: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())


class AuditRow(Base):
    """Who did what, when, with the ids before and after. Never field values of a client."""

    __tablename__ = "audit_log"

    audit_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now(), index=True)
    token_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    role: Mapped[str] = mapped_column(String(16))
    bapas_id: Mapped[str | None] = mapped_column(Id, nullable=True)
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(Id)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class JobRow(Base):
    """A piece of long work (a cohort, a planning study, a large import) run by a worker.

    The queue (huey) carries only the job id; everything an API instance answers about a job
    lives here, so any instance answers for any job, and a restart loses none. ``attempt``
    counts the runs a worker started: a run writes its outcome only while it is still the
    current attempt, so a run taken over after its worker died can never overwrite the new one.
    """

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_state_heartbeat", "state", "heartbeat_at"),)

    job_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    bapas_id: Mapped[str | None] = mapped_column(Id, nullable=True, index=True)
    token_id: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(16))
    principal_bapas: Mapped[str | None] = mapped_column(Id, nullable=True)
    size: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(16), default="queued")
    stage: Mapped[str] = mapped_column(String(32), default="queued")
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    attempt: Mapped[int] = mapped_column(Integer, default=0)
    worker: Mapped[str | None] = mapped_column(String(200), nullable=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    error: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    peak_memory_mb: Mapped[float | None] = mapped_column(Float, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    started_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class UserRow(Base):
    """A person who signs in to the web pages: a user name, an argon2 hash (pwdlib), a role and
    a Bapas (``None``: an admin of every Bapas). The password itself is never stored."""

    __tablename__ = "users"

    user_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    bapas_id: Mapped[str | None] = mapped_column(Id, ForeignKey("bapas.bapas_id"), nullable=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    password_set_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class WebSessionRow(Base):
    """A signed-in browser: the SHA-256 of the cookie's secret, its CSRF token and expiry."""

    __tablename__ = "web_sessions"

    session_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.user_id"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime)
