"""Suggestions for one client and assignments for a cohort (officers)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response

from api.deps import Lang, Officer, Svc
from api.errors import InvalidInput
from api.schemas.common import PROBLEM_RESPONSES, PathId
from api.schemas.matching import (
    AssignmentJob,
    AssignmentRequest,
    AssignmentResult,
    SuggestionRequest,
    SuggestionResponse,
)
from api.services import assignments, jobs, suggestions
from api.services import clients as client_svc
from api.services.records import validate_client
from api.services.scope import target_bapas
from api.worker import submit
from matcher.rules import V
from matcher.validate import InputProblem

router = APIRouter(prefix="/v1", tags=["matching"], responses=PROBLEM_RESPONSES)


@router.post(
    "/suggestions",
    response_model=SuggestionResponse,
    summary="Top-k eligible sites with room for one client, and why others were rejected",
)
def suggest(body: SuggestionRequest, services: Svc, who: Officer, lang: Lang) -> Response:
    """The hot path of an officer's page. The service's ``SuggestionResponse`` is serialised
    once, by pydantic-core, and sent as it is: returning the model would make FastAPI validate
    it again against ``response_model`` (which stays, for the OpenAPI document)."""
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
        out = suggestions.suggest_for(s, reg, client, services.policy, top=body.top, lang=lang)
    return Response(out.model_dump_json(), media_type="application/json")


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

    if size > settings.async_cohort:
        job = submit(
            services.db,
            services.queue,
            who,
            kind="assignment",
            bapas_id=bapas,
            size=size,
            payload={
                "bapas": bapas,
                "client_ids": list(request.client_ids),
                "inline": list(request.inline),
                "pending": request.pending,
                "dry_run": request.dry_run,
                "lang": lang,
            },
        )
        return JSONResponse(
            jsonable_encoder(job),
            status_code=202,
            headers={"Location": f"/v1/assignments/{job['job_id']}"},
        )
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
    )


@router.get(
    "/assignments/{job_id}", response_model=AssignmentJob, summary="A background cohort job"
)
def assignment_job(job_id: PathId, services: Svc, who: Officer) -> dict[str, Any]:
    return jobs.public(jobs.visible(services.db, who, job_id, kind="assignment"))
