"""A job: long work that a worker runs (``/v1/jobs/{job_id}``)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from api.schemas.common import ProblemDetails, UtcDateTime

JobState = Literal["queued", "running", "done", "failed", "cancelled"]


class JobPublic(BaseModel):
    """A job's state; ``result`` is the body the request would have answered with when run
    inline (an assignment result, a study, an import report), once ``status`` is ``done``."""

    job_id: str
    kind: Literal["assignment", "scenario", "import"]
    status: JobState
    stage: str
    progress: float = Field(ge=0, le=1)
    size: int = Field(description="clients of a cohort, sites of a study, bytes of an import")
    cancel_requested: bool
    attempt: int = Field(description="runs started (a run is retried when its worker dies)")
    created_at: UtcDateTime | None = None
    started_at: UtcDateTime | None = None
    finished_at: UtcDateTime | None = None
    peak_memory_mb: float | None = Field(None, description="the run's peak resident memory")
    result: dict[str, Any] | None = None
    error: ProblemDetails | None = None
