"""Reports for the prosecutor (Pasal 85(8))."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query
from fastapi.responses import PlainTextResponse, Response

from api.deps import Reporter, Svc
from api.messages import pick_language
from api.schemas.common import ID_PATTERN, PROBLEM_RESPONSES, Day
from api.schemas.reports import SiteMonthReport, SupervisionReport
from api.services import reports as svc
from api.services.imports import XLSX

router = APIRouter(prefix="/v1/reports", tags=["reports"], responses=PROBLEM_RESPONSES)


@router.get(
    "/supervision",
    response_model=SupervisionReport,
    summary="Hours ordered and done, deadline, days left, at risk: JSON or CSV",
    responses={
        200: {
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                XLSX: {"schema": {"type": "string", "format": "binary"}},
            }
        }
    },
)
def supervision(
    services: Svc,
    who: Reporter,
    format: Annotated[
        Literal["json", "csv", "xlsx"] | None,
        Query(description="or send Accept: text/csv (xlsx: an Excel workbook)"),
    ] = None,
    as_of: Annotated[
        Day | None, Query(description="the report date, 2000-2099 (default today)")
    ] = None,
    bapas_id: Annotated[str | None, Query(pattern=ID_PATTERN)] = None,
    accept: Annotated[str | None, Header()] = None,
    accept_language: Annotated[str | None, Header()] = None,
) -> Any:
    day = as_of or dt.date.today()
    with services.db.reading() as s:
        report = svc.supervision(s, who, bapas_id=bapas_id, as_of=day, policy=services.policy)
    if format == "xlsx" or (format is None and XLSX in (accept or "")):
        from api.files.workbooks import supervision_xlsx

        name = f"supervision-{report['bapas_id'] or 'all'}-{day.isoformat()}.xlsx"
        lang = pick_language(accept_language)
        return Response(
            supervision_xlsx(report, svc.COLUMNS, lang),
            media_type=XLSX,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    wants_csv = format == "csv" or (format is None and "text/csv" in (accept or ""))
    if wants_csv:
        name = f"supervision-{report['bapas_id'] or 'all'}-{day.isoformat()}.csv"
        return PlainTextResponse(
            svc.as_csv(report),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    return SupervisionReport.model_validate(report)


@router.get(
    "/sites-monthly",
    response_model=SiteMonthReport,
    summary="One month's attendance per site (days by outcome, hours, clients)",
)
def sites_monthly(
    services: Svc,
    who: Reporter,
    month: Annotated[
        str | None,
        Query(pattern=r"^(19|20)\d{2}-(0[1-9]|1[0-2])$", description="YYYY-MM (default now)"),
    ] = None,
    bapas_id: Annotated[str | None, Query(pattern=ID_PATTERN)] = None,
) -> Any:
    first = dt.date.fromisoformat(f"{month}-01") if month else dt.date.today().replace(day=1)
    with services.db.reading() as s:
        return svc.site_month(s, who, bapas_id=bapas_id, month=first)
