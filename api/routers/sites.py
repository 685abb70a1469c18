"""The site registry (planners write, every role reads)."""

from __future__ import annotations

import base64
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from api.deps import Caller, Planner, Svc
from api.schemas.common import ID_PATTERN, PROBLEM_RESPONSES, PathId
from api.schemas.jobs import JobPublic
from api.schemas.sites import ImportReport, Occupancy, SiteCreate, SitePage, SitePublic, SiteUpdate
from api.services import sites as svc
from api.services.imports import XLSX, Uploaded
from api.services.scope import target_bapas
from api.worker import submit
from matcher.vocab import SiteKind

_NUM = r"-?[0-9]{1,3}(\.[0-9]{1,12})?"
BBOX_PATTERN = rf"^{_NUM},{_NUM},{_NUM},{_NUM}$"

router = APIRouter(prefix="/v1/sites", tags=["sites"], responses=PROBLEM_RESPONSES)

_IMPORT_BODY = {
    "requestBody": {
        "required": True,
        "description": "a CSV file (text/csv; as Excel writes it: `,` `;` or tab, UTF-8 or "
        "Windows-1252), an Excel workbook (first sheet, or ?sheet=) or a GeoJSON "
        "FeatureCollection of Points (application/geo+json), with the fields of the data contract",
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            XLSX: {"schema": {"type": "string", "format": "binary"}},
            "application/geo+json": {"schema": {"type": "object"}},
        },
    }
}


@router.get(
    "", response_model=SitePage, summary="List sites (filters: kecamatan, kind, room, bbox)"
)
def list_sites(
    services: Svc,
    who: Caller,
    kecamatan: Annotated[str | None, Query(max_length=100, description="subdistrict")] = None,
    kind: SiteKind | None = None,
    has_room: Annotated[bool | None, Query(description="only sites with (or without) room")] = None,
    bbox: Annotated[
        str | None,
        Query(
            description="min_lon,min_lat,max_lon,max_lat (WGS84)",
            max_length=200,
            pattern=BBOX_PATTERN,
        ),
    ] = None,
    bapas_id: Annotated[str | None, Query(pattern=ID_PATTERN)] = None,
    include_inactive: bool = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> dict[str, Any]:
    box = svc.parse_bbox(bbox)
    with services.db.reading() as s:
        return svc.list_sites(
            s,
            who,
            bapas_id=bapas_id,
            kecamatan=kecamatan,
            kind=kind,
            has_room=has_room,
            bbox=box,
            include_inactive=include_inactive,
            limit=limit,
            offset=offset,
        )


@router.post("", response_model=SitePublic, status_code=201, summary="Add a site")
def create_site(body: SiteCreate, services: Svc, who: Planner) -> dict[str, Any]:
    values = body.model_dump(mode="json", exclude={"bapas_id"})
    with services.db.writing() as s:
        return svc.create_site(
            s, who, values=values, bapas_id=body.bapas_id, extent=services.policy.extent
        )


@router.post(
    "/import",
    response_model=ImportReport,
    summary="Import sites from XLSX, CSV or GeoJSON: all rows or none (422 lists every bad row)",
    openapi_extra=_IMPORT_BODY,
    responses={
        415: PROBLEM_RESPONSES[422] | {"description": "not XLSX, CSV or GeoJSON"},
        202: {"model": JobPublic, "description": "a large file: a job, its result the report"},
    },
)
async def import_sites(
    services: Svc,
    who: Planner,
    upload: Uploaded,
    bapas_id: Annotated[str | None, Query(pattern=ID_PATTERN)] = None,
) -> dict[str, Any] | JSONResponse:
    data, media_type, sheet = upload.data, upload.media_type, upload.sheet
    if len(data) > services.settings.async_import_bytes:

        def queue() -> dict[str, Any]:
            with services.db.reading() as s:
                bapas = target_bapas(s, who, bapas_id)
            svc.check_media_type(media_type)
            payload = {
                "data": base64.b64encode(data).decode("ascii"),
                "media_type": media_type,
                "bapas_id": bapas,
                "sheet": sheet,
            }
            return submit(
                services.db,
                services.queue,
                who,
                kind="import",
                bapas_id=bapas,
                size=len(data),
                payload=payload,
            )

        job = await run_in_threadpool(queue)
        return JSONResponse(
            jsonable_encoder(job),
            status_code=202,
            headers={"Location": f"/v1/jobs/{job['job_id']}"},
        )

    def work() -> dict[str, Any]:
        with services.db.writing() as s:
            return svc.import_sites(
                s,
                who,
                data=data,
                media_type=media_type,
                bapas_id=bapas_id,
                sheet=sheet,
                extent=services.policy.extent,
            )

    return await run_in_threadpool(work)


@router.get(
    "/export",
    summary="The registry as GeoJSON",
    response_class=JSONResponse,
    responses={200: {"content": {"application/geo+json": {"schema": {"type": "object"}}}}},
)
def export_sites(
    services: Svc,
    who: Caller,
    bapas_id: Annotated[str | None, Query(pattern=ID_PATTERN)] = None,
    include_inactive: bool = False,
) -> JSONResponse:
    with services.db.reading() as s:
        doc = svc.export_geojson(s, who, bapas_id=bapas_id, include_inactive=include_inactive)
    return JSONResponse(doc, media_type="application/geo+json")


@router.get("/{site_id}", response_model=SitePublic, summary="One site")
def get_site(site_id: PathId, services: Svc, who: Caller) -> dict[str, Any]:
    with services.db.reading() as s:
        return svc.read_site(s, who, site_id)


@router.patch("/{site_id}", response_model=SitePublic, summary="Change some fields of a site")
def update_site(site_id: PathId, body: SiteUpdate, services: Svc, who: Planner) -> dict[str, Any]:
    changes = body.model_dump(mode="json", exclude_unset=True)
    with services.db.writing() as s:
        return svc.update_site(s, who, site_id, changes=changes, extent=services.policy.extent)


@router.post("/{site_id}/deactivate", response_model=SitePublic, summary="Take a site out of use")
def deactivate_site(site_id: PathId, services: Svc, who: Planner) -> dict[str, Any]:
    with services.db.writing() as s:
        return svc.set_active(s, who, site_id, active=False)


@router.post("/{site_id}/activate", response_model=SitePublic, summary="Put a site back in use")
def activate_site(site_id: PathId, services: Svc, who: Planner) -> dict[str, Any]:
    with services.db.writing() as s:
        return svc.set_active(s, who, site_id, active=True)


@router.get(
    "/{site_id}/occupancy", response_model=Occupancy, summary="Capacity, active, free places"
)
def site_occupancy(site_id: PathId, services: Svc, who: Caller) -> dict[str, Any]:
    with services.db.reading() as s:
        return svc.occupancy(s, who, site_id)
