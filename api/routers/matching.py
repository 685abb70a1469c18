"""Suggestions for one client and assignments for a cohort (officers)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, ORJSONResponse

from api.deps import Lang, Officer, Svc
from api.errors import InvalidInput, Problem, not_found
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
from matcher.validate import InputProblem

router = APIRouter(prefix="/v1", tags=["matching"], responses=PROBLEM_RESPONSES)


@router.post(
    "/suggestions",
    response_model=SuggestionResponse,
    response_class=ORJSONResponse,
    summary="Top-k eligible sites with room for one client, and why others were rejected",
)
def suggest(body: SuggestionRequest, services: Svc, who: Officer, lang: Lang) -> ORJSONResponse:
    """The hot path of an officer's page: the service's dict goes out through orjson as it is
    (``response_model`` documents it; ``tests/api`` check the payload against it), so no
    per-request pydantic validation of the response."""
    if (body.client_id is None) == (body.client is None):
        raise InvalidInput(
            [
                InputProblem(
                    "body", "client_id", body.client_id, "give client_id or client, not both"
                )
            ]
        )
    with services.db.reading() as s:
        if body.client_id is not None:
            client, bapas = client_svc.for_matching(s, who, body.client_id)
        else:
            assert body.client is not None
            client = validate_client(body.client.model_dump(mode="json"), source="body.client")
            bapas = target_bapas(s, who, None)
        reg = services.registry.get(s, bapas)
        out = suggestions.suggest_for(s, reg, client, services.policy, top=body.top, lang=lang)
    return ORJSONResponse(out)


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
    with services.db.reading() as s:
        bapas = target_bapas(s, who, body.bapas_id)
        pending = client_svc.pending_ids(s, bapas) if body.pending else []
    size = len(set(body.client_ids) | set(pending)) + len(body.clients)
    if size > settings.max_cohort:
        raise Problem(
            413,
            "cohort-too-large",
            f"Kohort {size} klien melebihi batas {settings.max_cohort}; bagi menjadi beberapa.",
            f"A cohort of {size} clients exceeds the limit of {settings.max_cohort}; split it.",
            cohort=size,
            max_cohort=settings.max_cohort,
        )
    inline = [c.model_dump(mode="json", exclude={"bapas_id"}) for c in body.clients]

    def work(progress: Progress | None = None) -> dict[str, Any]:
        return assignments.plan(
            services.db,
            who,
            services.registry.get,
            services.policy,
            bapas=bapas,
            client_ids=body.client_ids,
            inline=inline,
            pending=body.pending,
            dry_run=body.dry_run,
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
