"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from api.deps import Svc
from api.errors import Problem
from api.schemas.admin import Health
from api.schemas.common import PROBLEM_RESPONSES

router = APIRouter(tags=["health"])


@router.get(
    "/healthz", response_model=Health, response_model_exclude_none=True, summary="The process is up"
)
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    response_model=Health,
    summary="The database answers and is migrated",
    responses={503: PROBLEM_RESPONSES[422] | {"description": "not ready"}},
)
def readyz(services: Svc) -> dict[str, str | None]:
    try:
        with services.db.reading() as s:
            version = s.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception as exc:
        raise Problem(
            503, "not-ready", "Basis data belum siap.", "The database is not ready."
        ) from exc
    return {"status": "ready", "version": version}
