"""Suggestions for one client and assignments for a cohort (officers)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from api.deps import Lang, Officer, Svc
from api.errors import InvalidInput, not_found
from api.schemas.common import PROBLEM_RESPONSES, PathId
from api.schemas.matching import (
    AssignmentJob,
    AssignmentRequest,
    AssignmentResult,
    SuggestionRequest,
    SuggestionResponse,
)
from api.services import assignments, suggestions
from api.services import clients as client_svc
from api.services.jobs import Progress
from api.services.records import validate_client
from api.services.scope import target_bapas
from matcher.rules import V
from matcher.validate import InputProblem

router = APIRouter(prefix="/v1", tags=["matching"], responses=PROBLEM_RESPONSES)


@router.post(
    "/suggestions",
    response_model=SuggestionResponse,
    summary="Top-k eligible sites with room for one client, and why others were rejected",
)
def suggest(body: SuggestionRequest, services: Svc, who: Officer, lang: Lang) -> SuggestionResponse:
    if (body.client_id is None) == (body.client is None):
        raise InvalidInput(
            [InputProblem("body", "client_id", body.client_id, V["client_or_inline"].say())]
        )
    with services.db.reading() as s:
        if body.client_id is not None:
            client, bapas = client_svc.for_matching(s, who, body.client_id)
        else:
            assert body.client is not None
            client = validate_client(body.client.model_dump(mode="json"), source="body.client")
            bapas = target_bapas(s, who, None)
        reg = services.registry.get(s, bapas)
        return suggestions.suggest_for(s, reg, client, services.policy, top=body.top, lang=lang)


@router.post(
    "/assignments",
    response_model=AssignmentResult,
    summary="Place a cohort optimally against the free places (dry run or proposals)",
    responses={202: {"model": AssignmentJob, "description": "a large cohort: a background job"}},
)
def assign(
    body: AssignmentRequest, services: Svc, who: Officer, lang: Lang
) -> dict[str, Any] | JSONResponse:
    settings = services.settings
    request = assignments.CohortRequest(
        client_ids=body.client_ids,
        inline=[c.model_dump(mode="json", exclude={"bapas_id"}) for c in body.clients],
        pending=body.pending,
        dry_run=body.dry_run,
    )
    with services.db.reading() as s:
        bapas = target_bapas(s, who, body.bapas_id)
        size = len(assignments.cohort_ids(s, bapas, request, settings.max_cohort))
    size += len(request.inline)

    def work(progress: Progress | None = None) -> dict[str, Any]:
        return assignments.plan(
            services.db,
            who,
            services.registry.get,
            services.policy,
            bapas=bapas,
            request=request,
            max_cohort=settings.max_cohort,
            time_limit_s=settings.solver_time_limit_s,
            lang=lang,
            progress=progress,
        )

    if size > settings.async_cohort:
        job = services.jobs.submit(bapas_id=bapas, cohort=size, work=work)
        return JSONResponse(
            jsonable_encoder(job.public()),
            status_code=202,
            headers={"Location": f"/v1/assignments/{job.job_id}"},
        )
    return work()


@router.get(
    "/assignments/{job_id}", response_model=AssignmentJob, summary="A background cohort job"
)
def assignment_job(job_id: PathId, services: Svc, who: Officer) -> dict[str, Any]:
    job = services.jobs.get(job_id)
    if job is None or (job.bapas_id is not None and not who.can_see(job.bapas_id)):
        raise not_found("Job", job_id)
    return job.public()
