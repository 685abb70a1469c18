"""Placements: propose, confirm, log hours, complete, revoke, list (officers)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from api.deps import Officer, Svc
from api.schemas.common import ID_PATTERN, MAX_ROW_ID, PROBLEM_RESPONSES, PlacementStatus
from api.schemas.placements import (
    HoursCreate,
    PlacementCreate,
    PlacementDetail,
    PlacementPage,
    PlacementPublic,
    RevokeRequest,
)
from api.services import placements as svc

router = APIRouter(prefix="/v1/placements", tags=["placements"], responses=PROBLEM_RESPONSES)

PlacementId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]


@router.get("", response_model=PlacementPage, summary="Placements by site, client or status")
def list_placements(
    services: Svc,
    who: Officer,
    site_id: Annotated[str | None, Query(pattern=ID_PATTERN)] = None,
    client_id: Annotated[str | None, Query(pattern=ID_PATTERN)] = None,
    status: PlacementStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> dict[str, Any]:
    with services.db.reading() as s:
        return svc.list_placements(
            s,
            who,
            site_id=site_id,
            client_id=client_id,
            status=status,
            limit=limit,
            offset=offset,
        )


@router.post(
    "",
    response_model=PlacementPublic,
    status_code=201,
    summary="Propose a client at a site (eligibility checked; no place is held yet)",
)
def propose(body: PlacementCreate, services: Svc, who: Officer) -> dict[str, Any]:
    with services.db.writing() as s:
        return svc.propose(
            s, who, client_id=body.client_id, site_id=body.site_id, policy=services.policy
        )


@router.get("/{placement_id}", response_model=PlacementDetail, summary="One placement and hours")
def get_placement(placement_id: PlacementId, services: Svc, who: Officer) -> dict[str, Any]:
    with services.db.reading() as s:
        return svc.public(s, svc.get_row(s, who, placement_id), detail=True)


@router.post(
    "/{placement_id}/confirm",
    response_model=PlacementPublic,
    summary="proposed -> active: takes a place (409 when the site is full)",
)
def confirm(placement_id: PlacementId, services: Svc, who: Officer) -> dict[str, Any]:
    with services.db.writing() as s:
        return svc.confirm(s, who, placement_id, policy=services.policy)


@router.post(
    "/{placement_id}/hours",
    response_model=PlacementDetail,
    status_code=201,
    summary="Log hours worked on a date",
)
def log_hours(
    placement_id: PlacementId, body: HoursCreate, services: Svc, who: Officer
) -> dict[str, Any]:
    with services.db.writing() as s:
        return svc.log_hours(s, who, placement_id, work_date=body.date, hours=body.hours)


@router.post(
    "/{placement_id}/complete",
    response_model=PlacementPublic,
    summary="active -> completed, once every hour ordered is done",
)
def complete(placement_id: PlacementId, services: Svc, who: Officer) -> dict[str, Any]:
    with services.db.writing() as s:
        return svc.complete(s, who, placement_id)


@router.post(
    "/{placement_id}/revoke",
    response_model=PlacementPublic,
    summary="proposed/active -> revoked, with a reason",
)
def revoke(
    placement_id: PlacementId, body: RevokeRequest, services: Svc, who: Officer
) -> dict[str, Any]:
    with services.db.writing() as s:
        return svc.revoke(s, who, placement_id, reason=body.reason)
