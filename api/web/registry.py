"""Lokasi: the site registry with occupancy and a map; add, edit, deactivate (planners); upload
a CSV or GeoJSON file that imports every row or none, with each row's problems named."""

from __future__ import annotations

from typing import Annotated, Any, get_args

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from api.deps import Services, Svc
from api.errors import Problem
from api.services import sites as site_svc
from api.web import svgmap
from api.web.core import (
    FormPage,
    Page,
    PageRoute,
    Visitor,
    needs,
    problem_view,
    redirect,
    render,
)
from geo.district import available_districts
from matcher import vocab

router = APIRouter(route_class=PageRoute, include_in_schema=False)

LIST_FIELDS = ("open_days", "population", "hazards", "work_types")
BOOL_FIELDS = ("approved", "commercial")
TEXT_FIELDS = (
    "site_id",
    "name",
    "kind",
    "lat",
    "lon",
    "capacity",
    "hours_per_day",
    "physical_demand",
    "gender_policy",
    "supervisor_gender",
    "religion",
    "district",
    "subdistrict",
)
CHOICES = {
    "kind": get_args(vocab.SiteKind),
    "physical_demand": get_args(vocab.Demand),
    "gender_policy": get_args(vocab.GenderPolicy),
    "supervisor_gender": get_args(vocab.SupervisorGender),
    "religion": ("", *get_args(vocab.ReligionName)),
    "open_days": get_args(vocab.Weekday),
    "population": get_args(vocab.Population),
    "hazards": get_args(vocab.Hazard),
    "work_types": get_args(vocab.WorkType),
}
MESSAGES = ("tersimpan_lokasi",)


def _registry_map(visitor: Visitor, items: list[dict[str, Any]]) -> Any:
    t = visitor.t
    marks = []
    for site in items:
        if not site["active"]:
            kind = "inactive"
        elif site["free"] <= 0:
            kind = "full"
        else:
            kind = "suggested"
        marks.append(
            svgmap.Mark(
                site["lon"],
                site["lat"],
                kind,
                "",
                f"{site['site_id']} {site['name']}: {site['active_placements']}/{site['capacity']}",
            )
        )
    districts = {str(s.get("district", "")).lower() for s in items}
    areas: list[svgmap.Area] = []
    for d in sorted(districts & set(available_districts())):
        areas = svgmap.plain_areas(d)
        break
    legend = [
        ("suggested", t("ada_tempat")),
        ("full", t("lokasi_penuh")),
        ("inactive", t("nonaktif")),
    ]
    spec = svgmap.MapSpec(marks=marks, areas=areas, legend=legend, title=t("peta_lokasi"))
    return svgmap.draw(spec, width=720, height=560)


def _list(services: Services, visitor: Visitor) -> list[dict[str, Any]]:
    with services.db.reading() as s:
        items: list[dict[str, Any]] = site_svc.list_sites(
            s,
            visitor.who,
            bapas_id=None,
            kecamatan=None,
            kind=None,
            has_room=None,
            bbox=None,
            include_inactive=True,
            limit=1000,
            offset=0,
        )["items"]
    return items


def _registry_page(
    request: Request,
    services: Services,
    visitor: Visitor,
    *,
    message: str = "",
    upload: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    items = _list(services, visitor)
    return render(
        request,
        "sites.html",
        visitor,
        status=status,
        items=items,
        map_svg=_registry_map(visitor, items) if items else None,
        message=message,
        upload=upload,
        can_edit=visitor.who.role in ("planner", "admin"),
    )


@router.get("/lokasi", response_class=HTMLResponse)
def lokasi(request: Request, services: Svc, visitor: Page, pesan: str = "") -> Response:
    message = visitor.t(pesan) if pesan in MESSAGES else ""
    return _registry_page(request, services, visitor, message=message)


@router.post("/lokasi/unggah", response_class=HTMLResponse)
async def lokasi_upload(
    request: Request,
    services: Svc,
    visitor: FormPage,
    berkas: Annotated[UploadFile, File()],
) -> Response:
    needs(visitor, "planner")
    limit = services.settings.max_import_bytes
    data = await berkas.read(limit + 1)
    name = (berkas.filename or "").lower()
    if len(data) > limit:
        raise Problem(
            413,
            "payload-too-large",
            f"Berkas melebihi {limit} byte.",
            f"The file exceeds {limit} bytes.",
        )
    if name.endswith(".csv"):
        media = "text/csv"
    elif name.endswith((".geojson", ".json")):
        media = "application/geo+json"
    else:
        media = (berkas.content_type or "").split(";")[0].strip().lower()

    def work() -> dict[str, Any]:
        with services.db.writing() as s:
            return site_svc.import_sites(s, visitor.who, data=data, media_type=media, bapas_id=None)

    try:
        done = await run_in_threadpool(work)
    except Problem as p:
        if p.status not in (415, 422):
            raise
        view = problem_view(p, visitor.lang)
        view["filename"] = berkas.filename or ""
        return await run_in_threadpool(
            _registry_page, request, services, visitor, upload=view, status=p.status
        )
    message = visitor.t("impor_ok", created=done["created"], updated=done["updated"])
    return await run_in_threadpool(_registry_page, request, services, visitor, message=message)


def _blank() -> dict[str, Any]:
    return {
        "site_id": "",
        "name": "",
        "kind": "village_office",
        "lat": "",
        "lon": "",
        "capacity": 2,
        "open_days": ["mon", "tue", "wed", "thu", "fri"],
        "hours_per_day": 8,
        "approved": True,
        "commercial": False,
        "population": [],
        "hazards": [],
        "physical_demand": "light",
        "gender_policy": "any",
        "supervisor_gender": "mixed",
        "religion": "",
        "work_types": [],
        "district": "",
        "subdistrict": "",
    }


def _form_values(form: Any) -> dict[str, Any]:
    """The site fields of a posted form, as the API's JSON body would carry them."""
    values: dict[str, Any] = {}
    for key in TEXT_FIELDS:
        raw = form.get(key)
        if raw is None:
            continue
        text = str(raw).strip()
        if key in ("lat", "lon"):
            values[key] = _number(text, float)
        elif key in ("capacity", "hours_per_day"):
            values[key] = _number(text, int)
        else:
            values[key] = text
    for key in LIST_FIELDS:
        values[key] = [str(v) for v in form.getlist(key)]
    for key in BOOL_FIELDS:
        values[key] = form.get(key) == "true"
    return values


def _number(text: str, kind: type) -> Any:
    try:
        return kind(text)
    except ValueError:
        return text  # the validator names the field and the value


def _edit_page(
    request: Request,
    visitor: Visitor,
    site: dict[str, Any],
    *,
    new: bool,
    problem: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    return render(
        request,
        "site_form.html",
        visitor,
        status=status,
        site=site,
        new=new,
        choices=CHOICES,
        problem=problem,
        can_edit=visitor.who.role in ("planner", "admin"),
    )


@router.get("/lokasi/baru", response_class=HTMLResponse)
def lokasi_new(request: Request, visitor: Page) -> Response:
    needs(visitor, "planner")
    return _edit_page(request, visitor, _blank(), new=True)


async def _posted(request: Request) -> dict[str, Any]:
    """The posted site fields (``FormPage`` has already checked the form's CSRF token)."""
    return _form_values(await request.form())


@router.post("/lokasi/baru", response_class=HTMLResponse)
async def lokasi_create(request: Request, services: Svc, visitor: FormPage) -> Response:
    needs(visitor, "planner")
    values = await _posted(request)

    def work() -> None:
        with services.db.writing() as s:
            site_svc.create_site(s, visitor.who, values=values, bapas_id=None)

    try:
        await run_in_threadpool(work)
    except Problem as p:
        if p.status not in (409, 422):
            raise
        return _edit_page(
            request,
            visitor,
            {**_blank(), **values},
            new=True,
            problem=problem_view(p, visitor.lang),
            status=p.status,
        )
    return redirect("/lokasi?pesan=tersimpan_lokasi")


@router.get("/lokasi/{site_id}", response_class=HTMLResponse)
def lokasi_edit(request: Request, services: Svc, visitor: Page, site_id: str) -> Response:
    with services.db.reading() as s:
        site = site_svc.read_site(s, visitor.who, site_id)
    return _edit_page(request, visitor, site, new=False)


@router.post("/lokasi/{site_id}", response_class=HTMLResponse)
async def lokasi_update(
    request: Request, services: Svc, visitor: FormPage, site_id: str
) -> Response:
    needs(visitor, "planner")
    values = await _posted(request)
    values.pop("site_id", None)

    def work() -> None:
        with services.db.writing() as s:
            site_svc.update_site(s, visitor.who, site_id, changes=values)

    try:
        await run_in_threadpool(work)
    except Problem as p:
        if p.status != 422:
            raise
        return _edit_page(
            request,
            visitor,
            {**values, "site_id": site_id, "active": True},
            new=False,
            problem=problem_view(p, visitor.lang),
            status=422,
        )
    return redirect("/lokasi?pesan=tersimpan_lokasi")


@router.post("/lokasi/{site_id}/nonaktif")
def lokasi_deactivate(services: Svc, visitor: FormPage, site_id: str) -> Response:
    needs(visitor, "planner")
    with services.db.writing() as s:
        site_svc.set_active(s, visitor.who, site_id, active=False)
    return redirect("/lokasi?pesan=tersimpan_lokasi")


@router.post("/lokasi/{site_id}/aktif")
def lokasi_activate(services: Svc, visitor: FormPage, site_id: str) -> Response:
    needs(visitor, "planner")
    with services.db.writing() as s:
        site_svc.set_active(s, visitor.who, site_id, active=True)
    return redirect("/lokasi?pesan=tersimpan_lokasi")
