"""Jobs (any role may follow the jobs of its Bapas): state, progress, result; cancel."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.deps import Caller, Svc
from api.schemas.common import PROBLEM_RESPONSES, PathId
from api.schemas.jobs import JobPublic
from api.services import jobs

router = APIRouter(prefix="/v1/jobs", tags=["jobs"], responses=PROBLEM_RESPONSES)


@router.get("/{job_id}", response_model=JobPublic, summary="A job's state, progress and result")
def get_job(job_id: PathId, services: Svc, who: Caller) -> dict[str, Any]:
    return jobs.public(jobs.visible(services.db, who, job_id))


@router.post(
    "/{job_id}/cancel",
    response_model=JobPublic,
    summary="Cancel a job: at once when queued, within a second when running",
)
def cancel_job(job_id: PathId, services: Svc, who: Caller) -> dict[str, Any]:
    jobs.visible(services.db, who, job_id)
    jobs.request_cancel(services.db, job_id)
    return jobs.public(jobs.visible(services.db, who, job_id))
