"""Service settings, read from the environment with the ``PENEMPATAN_`` prefix.

``PENEMPATAN_DATABASE_URL`` switches from the embedded SQLite file to PostgreSQL
(``postgresql+psycopg://user:pass@host/db``); ``PENEMPATAN_QUEUE_URL`` switches the job queue
from its embedded SQLite file to Redis (``redis://host:6379/0``) so that workers on other
machines take jobs; everything else has a working default.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """What an operator may set; each field is ``PENEMPATAN_<NAME>`` in the environment."""

    model_config = SettingsConfigDict(env_prefix="PENEMPATAN_", extra="ignore")

    environment: str = Field(default="development", description="development | production")
    database_url: str = Field(
        default="sqlite:///var/penempatan.db", description="SQLAlchemy URL; SQLite file by default"
    )
    policy_path: Path | None = Field(
        default=None, description="a Bapas' policy TOML overriding defaults"
    )
    max_body_bytes: int = Field(default=1_000_000, description="largest request body (413 above)")
    max_import_bytes: int = Field(
        default=20_000_000, description="largest site import body (413 above)"
    )
    max_cohort: int = Field(default=25_000, description="largest assignment cohort (413 above)")
    async_cohort: int = Field(
        default=400, description="cohorts larger than this run as a background job (202 + job id)"
    )
    solver_time_limit_s: float = Field(default=30.0, description="CP-SAT time limit per component")
    busy_timeout_ms: int = Field(
        default=30_000, description="SQLite: wait this long for the write lock"
    )
    pool_size: int = Field(default=20, description="database connections kept open")
    queue_url: str = Field(
        default="sqlite:///var/queue.db",
        description="job queue (huey): a SQLite file by default, or redis://host:port/db",
    )
    queue_name: str = Field(default="penempatan", description="the queue's name (Redis key)")
    job_time_limit_s: float = Field(
        default=1800.0, gt=0, description="a job running longer than this is stopped and failed"
    )
    job_memory_mb: int = Field(
        default=6144, gt=0, description="a job using more memory than this is stopped and failed"
    )
    job_stale_s: float = Field(
        default=30.0,
        gt=0,
        description="a running job whose worker has not reported for this long is taken over",
    )
    job_attempts: int = Field(
        default=2, ge=1, description="runs a job gets when its worker dies under it"
    )
    async_import_bytes: int = Field(
        default=2_000_000, description="site imports larger than this run as a job (202)"
    )

    @field_validator("database_url")
    @classmethod
    def _known_scheme(cls, v: str) -> str:
        if not v.startswith(("sqlite", "postgresql")):
            raise ValueError("PENEMPATAN_DATABASE_URL must be a sqlite:// or postgresql:// URL")
        return v

    @field_validator("queue_url")
    @classmethod
    def _known_queue(cls, v: str) -> str:
        if not v.startswith(("sqlite:///", "redis://", "rediss://")):
            raise ValueError("PENEMPATAN_QUEUE_URL must be a sqlite:/// or redis:// URL")
        return v

    @field_validator("environment")
    @classmethod
    def _known_environment(cls, v: str) -> str:
        if v not in ("development", "production", "test"):
            raise ValueError("PENEMPATAN_ENVIRONMENT must be development, production or test")
        return v

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process' settings (read once)."""
    return Settings()
