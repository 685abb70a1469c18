"""Placements: propose, confirm, log hours, complete, revoke, list (officers)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Path, Query
from fastapi.responses import PlainTextResponse, Response

from api.deps import Officer, Svc
from api.schemas.common import ID_PATTERN, MAX_ROW_ID, PROBLEM_RESPONSES, PlacementStatus
from api.schemas.placements import (
    AttendanceCreate,
    AttendanceState,
    CalendarPublic,
    HoursCreate,
    Letters,
    PlacementCreate,
    PlacementDetail,
    PlacementPage,
    PlacementPublic,
    RevokeRequest,
)
from api.services import attendance as att
from api.services import placements as svc
from matcher.attendance import DayRecord

router = APIRouter(prefix="/v1/placements", tags=["placements"], responses=PROBLEM_RESPONSES)

# The day an order is looked at (the calendar, warnings and letters depend on it).
AsOf = Annotated[dt.date | None, Query(description="default today")]

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
            s,
            who,
            client_id=body.client_id,
            site_id=body.site_id,
            policy=services.policy,
            pk_anak=body.pk_anak,
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
    summary="Log hours worked on a scheduled day (attendance hadir); refused off the calendar",
)
def log_hours(
    placement_id: PlacementId, body: HoursCreate, services: Svc, who: Officer
) -> dict[str, Any]:
    with services.db.writing() as s:
        return svc.log_hours(
            s, who, placement_id, work_date=body.date, hours=body.hours, policy=services.policy
        )


@router.post(
    "/{placement_id}/attendance",
    response_model=AttendanceState,
    status_code=201,
    summary="Record a scheduled day: hadir, izin (with reason), mangkir, dipulangkan, dibatalkan",
)
def attend(
    placement_id: PlacementId, body: AttendanceCreate, services: Svc, who: Officer
) -> dict[str, Any]:
    entry = DayRecord(body.date, body.outcome, body.hours, body.reason or "")
    with services.db.writing() as s:
        svc.attend(s, who, placement_id, entry=entry, policy=services.policy)
        row = svc.get_row(s, who, placement_id)
        t, st = att.current(s, row, services.policy, max(body.date, dt.date.today()))
        return att.state_public(row, t, st)


@router.get(
    "/{placement_id}/attendance",
    response_model=AttendanceState,
    summary="Where the order stands: hours, outcomes, warnings, breach, the calendar",
)
def attendance_state(
    placement_id: PlacementId,
    services: Svc,
    who: Officer,
    as_of: AsOf = None,
) -> dict[str, Any]:
    with services.db.reading() as s:
        row = svc.get_row(s, who, placement_id)
        t, st = att.current(s, row, services.policy, as_of or dt.date.today())
        return att.state_public(row, t, st)


@router.get(
    "/{placement_id}/calendar",
    response_model=CalendarPublic,
    summary="The work calendar: JSON, CSV or iCalendar (.ics)",
    responses={
        200: {
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "text/calendar": {"schema": {"type": "string"}},
            }
        }
    },
)
def calendar(
    placement_id: PlacementId,
    services: Svc,
    who: Officer,
    format: Annotated[
        Literal["json", "csv", "ics"] | None, Query(description="or send Accept")
    ] = None,
    as_of: AsOf = None,
    accept: Annotated[str | None, Header()] = None,
) -> Any:
    from api.files.workcalendar import calendar_csv, calendar_ics
    from api.storage.models import SiteRow

    with services.db.reading() as s:
        row = svc.get_row(s, who, placement_id)
        t, st = att.current(s, row, services.policy, as_of or dt.date.today())
        site_name = s.get_one(SiteRow, row.site_id).name
    kind = format or (
        "ics"
        if "text/calendar" in (accept or "")
        else "csv"
        if "text/csv" in (accept or "")
        else "json"
    )
    name = f"kalender-{placement_id}"
    if kind == "csv":
        return PlainTextResponse(
            calendar_csv(st.calendar),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    if kind == "ics":
        return Response(
            calendar_ics(st.calendar, placement_id=placement_id, site_name=site_name),
            media_type="text/calendar; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.ics"'},
        )
    return CalendarPublic.model_validate(att.calendar_public(row, t, st.calendar))


@router.get(
    "/{placement_id}/letters",
    response_model=Letters,
    summary="Warning letters, the breach notice for the jaksa, the completion statement",
)
def letters(
    placement_id: PlacementId,
    services: Svc,
    who: Officer,
    as_of: AsOf = None,
) -> dict[str, Any]:
    with services.db.reading() as s:
        row = svc.get_row(s, who, placement_id)
        return att.letters(s, row, services.policy, as_of or dt.date.today())


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
