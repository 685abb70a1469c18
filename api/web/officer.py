"""The officer's pages: Klien (list, client, "Cari lokasi", propose and confirm), Jam kerja and
Penempatan kohort. Every decision is the services' (``api.services``), as for the API."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from api.deps import Services, Svc
from api.errors import Problem
from api.services import assignments, placements, reports, suggestions
from api.services import clients as client_svc
from api.services import sites as site_svc
from api.services.registry import Registry
from api.services.scope import target_bapas
from api.web import svgmap
from api.web.core import FormPage, Page, PageRoute, Visitor, needs, problem_view, redirect, render
from geo.district import available_districts
from matcher.workdays import holidays_between

router = APIRouter(route_class=PageRoute, include_in_schema=False)

MESSAGES = ("diusulkan_ok", "dikonfirmasi_ok", "tersimpan")
PAGE_SIZE = 50


def _areas(reg: Registry) -> list[svgmap.Area]:
    """The kecamatan of the registry's district, when the project packages its geometry."""
    districts = {s.district.lower() for s in reg.sites if s.district}
    known = set(available_districts())
    for d in sorted(districts):
        if d in known:
            return svgmap.plain_areas(d)
    return []


def _report_row(s: Session, visitor: Visitor, client_id: str) -> dict[str, Any] | None:
    report = reports.supervision(s, visitor.who, bapas_id=None, as_of=dt.date.today())
    return next((r for r in report["rows"] if r["client_id"] == client_id), None)


# --------------------------------------------------------------------------------------------
# Klien


@router.get("/klien", response_class=HTMLResponse)
def klien(
    request: Request,
    services: Svc,
    visitor: Page,
    q: Annotated[str, Query(max_length=64)] = "",
    tampil: Annotated[str, Query(pattern="^(semua|belum|sudah)$")] = "semua",
    hal: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    needs(visitor, "officer")
    unplaced = {"semua": None, "belum": True, "sudah": False}[tampil]
    with services.db.reading() as s:
        page = client_svc.list_clients(
            s,
            visitor.who,
            bapas_id=None,
            unplaced=unplaced,
            limit=PAGE_SIZE,
            offset=(hal - 1) * PAGE_SIZE,
            search=q or None,
        )
    pages = max((page["total"] + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    return render(
        request, "clients.html", visitor, page=page, q=q, tampil=tampil, hal=hal, pages=pages
    )


def _suggest(
    s: Session, services: Services, visitor: Visitor, client_id: str
) -> tuple[dict[str, Any], Registry]:
    client, bapas = client_svc.for_matching(s, visitor.who, client_id)
    reg = services.registry.get(s, bapas)
    result = suggestions.suggest_for(s, reg, client, services.policy, top=5, lang=visitor.lang)
    return result.model_dump(), reg


def _client_map(
    visitor: Visitor,
    client: dict[str, Any],
    reg: Registry,
    sugg: dict[str, Any] | None,
    current_site: str | None,
) -> Any:
    t = visitor.t
    marks: list[svgmap.Mark] = []
    lines = []
    legend: list[tuple[str, str]] = []
    show_home = visitor.who.role == "officer"
    home = svgmap.Mark(client["lon"], client["lat"], "home", t("rumah"), t("rumah"))
    if show_home:
        marks.append(home)
        legend.append(("home", t("rumah")))
    if sugg is not None:
        for item in sugg["suggestions"]:
            site = reg.sites[reg.index[item["site_id"]]]
            mark = svgmap.Mark(
                site.lon,
                site.lat,
                "suggested",
                str(item["rank"]),
                f"{item['rank']}. {site.site_id} {site.name} ({item['distance_km']:.1f} km)",
            )
            marks.append(mark)
            if show_home and item["rank"] == 1:
                lines.append((home, mark))
        for sid in sugg["eligible_full"]:
            j = reg.index.get(sid)
            if j is not None:
                site = reg.sites[j]
                marks.append(
                    svgmap.Mark(site.lon, site.lat, "full", "", f"{sid} {site.name}: penuh/full")
                )
        legend.append(("suggested", t("disarankan")))
        legend.append(("full", t("lokasi_penuh")))
    if current_site and current_site in reg.index:
        site = reg.sites[reg.index[current_site]]
        marks.append(svgmap.Mark(site.lon, site.lat, "current", site.site_id, site.name))
        legend.append(("current", t("lokasi_kini")))
    if not marks:
        return None
    spec = svgmap.MapSpec(
        marks=marks, lines=lines, areas=_areas(reg), legend=legend, title=t("peta_klien")
    )
    return svgmap.draw(spec)


def _client_page(
    request: Request,
    services: Services,
    visitor: Visitor,
    client_id: str,
    *,
    cari: bool,
    message: str = "",
    race: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    needs(visitor, "officer")
    with services.db.reading() as s:
        client = client_svc.read_client(s, visitor.who, client_id)
        history = placements.list_placements(
            s, visitor.who, site_id=None, client_id=client_id, status=None, limit=50, offset=0
        )["items"]
        row = _report_row(s, visitor, client_id)
        sugg, reg = _suggest(s, services, visitor, client_id) if cari else (None, None)
        if reg is None:
            reg = services.registry.get(s, client["bapas_id"])
        current = client.get("placement")
        current_site = current["site_id"] if current else None
        site_names = {p["site_id"]: _site_name(reg, p["site_id"]) for p in history}
    map_svg = _client_map(visitor, client, reg, sugg, current_site)
    return render(
        request,
        "client.html",
        visitor,
        status=status,
        client=client,
        history=history,
        row=row,
        sugg=sugg,
        map_svg=map_svg,
        message=message,
        race=race,
        site_names=site_names,
        cari=cari,
    )


def _site_name(reg: Registry, site_id: str) -> str:
    j = reg.index.get(site_id)
    return reg.sites[j].name if j is not None else ""


@router.get("/klien/{client_id}", response_class=HTMLResponse)
def klien_detail(
    request: Request,
    services: Svc,
    visitor: Page,
    client_id: str,
    cari: Annotated[bool, Query()] = False,
    pesan: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    message = visitor.t(pesan) if pesan in MESSAGES else ""
    return _client_page(request, services, visitor, client_id, cari=cari, message=message)


@router.post("/klien/{client_id}/usulkan")
def klien_propose(
    services: Svc,
    visitor: FormPage,
    client_id: str,
    site_id: Annotated[str, Form(max_length=64)],
) -> Response:
    needs(visitor, "officer")
    with services.db.writing() as s:
        placements.propose(
            s, visitor.who, client_id=client_id, site_id=site_id, policy=services.policy
        )
    return redirect(f"/klien/{client_id}?pesan=diusulkan_ok")


@router.post("/penempatan/{placement_id}/konfirmasi")
def placement_confirm(
    request: Request, services: Svc, visitor: FormPage, placement_id: int
) -> Response:
    needs(visitor, "officer")
    with services.db.reading() as s:
        client_id = placements.get_row(s, visitor.who, placement_id).client_id
    try:
        with services.db.writing() as s:
            placements.confirm(s, visitor.who, placement_id, policy=services.policy)
    except Problem as p:
        if p.status != 409:
            raise
        race = problem_view(p, visitor.lang)
        race["site_id"] = p.extra.get("site_id", "")
        return _client_page(request, services, visitor, client_id, cari=True, race=race, status=409)
    return redirect(f"/klien/{client_id}?pesan=dikonfirmasi_ok")


# --------------------------------------------------------------------------------------------
# Jam kerja


@router.get("/jam", response_class=HTMLResponse)
def jam(request: Request, services: Svc, visitor: Page) -> Response:
    needs(visitor, "officer")
    with services.db.reading() as s:
        report = reports.supervision(s, visitor.who, bapas_id=None, as_of=dt.date.today())
    rows = [r for r in report["rows"] if r["status"] == "active"]
    return render(request, "hours_list.html", visitor, rows=rows)


def _calendar(
    start: dt.date, end: dt.date, days: frozenset[str], logged: dict[dt.date, float]
) -> list[dict[str, Any]]:
    """Months from ``start`` to ``end``: each day a working day, a holiday or neither."""
    names = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    holidays = set(holidays_between(start, end))
    months = []
    cursor = dt.date(start.year, start.month, 1)
    while cursor <= end:
        weeks = []
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(cursor.year, cursor.month):
            cells: list[dict[str, Any] | None] = []
            for day in week:
                if day.month != cursor.month:
                    cells.append(None)
                    continue
                if day < start or day > end:
                    kind = "outside"
                elif day in holidays:
                    kind = "holiday"
                elif names[day.weekday()] in days:
                    kind = "work"
                else:
                    kind = "off"
                cells.append({"date": day, "kind": kind, "hours": logged.get(day)})
            weeks.append(cells)
        months.append({"year": cursor.year, "month": cursor.month, "weeks": weeks})
        cursor = (cursor.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months


def _hours_page(
    request: Request,
    services: Services,
    visitor: Visitor,
    placement_id: int,
    *,
    chosen: dt.date | None = None,
    message: str = "",
    problem: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    needs(visitor, "officer")
    with services.db.reading() as s:
        detail = placements.public(s, placements.get_row(s, visitor.who, placement_id), detail=True)
        client = client_svc.read_client(s, visitor.who, detail["client_id"])
        site = site_svc.read_site(s, visitor.who, detail["site_id"])
        row = _report_row(s, visitor, detail["client_id"])
    days = frozenset(client.get("available_days") or []) & frozenset(site.get("open_days") or [])
    logged: dict[dt.date, float] = {}
    for entry in detail["hours_log"]:
        logged[entry["date"]] = logged.get(entry["date"], 0.0) + entry["hours"]
    start = dt.date.fromisoformat(str(client["start_date"]))
    end = dt.date.fromisoformat(str(client["deadline"]))
    months = _calendar(start, end, days, logged)
    today = dt.date.today()
    per_day = min(int(client["hours_per_day"]), int(site.get("hours_per_day") or 8))
    return render(
        request,
        "hours.html",
        visitor,
        status=status,
        detail=detail,
        client=client,
        site=site,
        row=row,
        months=months,
        chosen=chosen or today,
        per_day=per_day,
        message=message,
        problem=problem,
        today=today,
    )


@router.get("/jam/{placement_id}", response_class=HTMLResponse)
def jam_detail(
    request: Request,
    services: Svc,
    visitor: Page,
    placement_id: int,
    tanggal: Annotated[dt.date | None, Query()] = None,
    pesan: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    message = visitor.t(pesan) if pesan in MESSAGES else ""
    return _hours_page(request, services, visitor, placement_id, chosen=tanggal, message=message)


@router.post("/jam/{placement_id}", response_class=HTMLResponse)
def jam_log(
    request: Request,
    services: Svc,
    visitor: FormPage,
    placement_id: int,
    tanggal: Annotated[dt.date, Form()],
    jam: Annotated[float, Form(gt=0, le=8)],
) -> Response:
    needs(visitor, "officer")
    try:
        with services.db.writing() as s:
            placements.log_hours(s, visitor.who, placement_id, work_date=tanggal, hours=jam)
    except Problem as p:
        if p.status != 422:
            raise
        return _hours_page(
            request,
            services,
            visitor,
            placement_id,
            chosen=tanggal,
            problem=problem_view(p, visitor.lang),
            status=422,
        )
    return redirect(f"/jam/{placement_id}?pesan=tersimpan")


# --------------------------------------------------------------------------------------------
# Penempatan kohort


def _cohort_map(
    visitor: Visitor, reg: Registry, result: dict[str, Any], homes: dict[str, Any]
) -> Any:
    t = visitor.t
    marks: list[svgmap.Mark] = []
    lines = []
    used: dict[str, int] = {}
    for p in result["placements"]:
        used[p["site_id"]] = used.get(p["site_id"], 0) + 1
    for sid, n in sorted(used.items()):
        j = reg.index.get(sid)
        if j is None:
            continue
        site = reg.sites[j]
        marks.append(svgmap.Mark(site.lon, site.lat, "suggested", "", f"{sid} {site.name}: {n}"))
    legend = [("suggested", t("lokasi")), ("site", t("lokasi_lain"))]
    for site in reg.sites:
        if site.site_id not in used:
            marks.append(svgmap.Mark(site.lon, site.lat, "site", "", f"{site.site_id} {site.name}"))
    if visitor.who.role == "officer":
        legend.insert(0, ("home", t("rumah")))
        for p in result["placements"]:
            home = homes.get(p["client_id"])
            j = reg.index.get(p["site_id"])
            if home is None or j is None:
                continue
            site = reg.sites[j]
            lines.append(
                (
                    svgmap.Mark(home[1], home[0], "home"),
                    svgmap.Mark(site.lon, site.lat, "suggested"),
                )
            )
    spec = svgmap.MapSpec(
        marks=marks, lines=lines, areas=_areas(reg), legend=legend, title=t("peta_kohort")
    )
    return svgmap.draw(spec, width=720, height=560)


@router.get("/kohort", response_class=HTMLResponse)
def kohort(request: Request, visitor: Page) -> Response:
    needs(visitor, "officer")
    return render(request, "cohort.html", visitor, result=None, outcomes=None)


@router.post("/kohort/uji", response_class=HTMLResponse)
def kohort_dry_run(request: Request, services: Svc, visitor: FormPage) -> Response:
    needs(visitor, "officer")
    settings = services.settings
    with services.db.reading() as s:
        bapas = target_bapas(s, visitor.who, None)
    result = assignments.plan(
        services.db,
        visitor.who,
        services.registry.get,
        services.policy,
        bapas=bapas,
        request=assignments.CohortRequest(client_ids=[], inline=[], pending=True, dry_run=True),
        max_cohort=settings.max_cohort,
        time_limit_s=settings.solver_time_limit_s,
        lang=visitor.lang,
    )
    with services.db.reading() as s:
        reg = services.registry.get(s, bapas)
        homes = {}
        if visitor.who.role == "officer":
            for p in result["placements"]:
                c = client_svc.read_client(s, visitor.who, p["client_id"])
                homes[p["client_id"]] = (c["lat"], c["lon"])
    names = {site.site_id: site.name for site in reg.sites}
    return render(
        request,
        "cohort.html",
        visitor,
        result=result,
        outcomes=None,
        names=names,
        map_svg=_cohort_map(visitor, reg, result, homes),
    )


@router.post("/kohort/konfirmasi", response_class=HTMLResponse)
def kohort_confirm(
    request: Request,
    services: Svc,
    visitor: FormPage,
    pair: Annotated[list[str], Form(max_length=25_000)] = [],  # noqa: B006 (FastAPI form default)
) -> Response:
    """Propose and confirm each chosen (client, site) of the reviewed dry run, one by one: a
    place taken meanwhile fails that row alone, in plain words, and leaves the others."""
    needs(visitor, "officer")
    outcomes = []
    for item in pair[:25_000]:
        client_id, _, site_id = item.partition("|")
        try:
            with services.db.writing() as s:
                made = placements.propose(
                    s, visitor.who, client_id=client_id, site_id=site_id, policy=services.policy
                )
            with services.db.writing() as s:
                placements.confirm(s, visitor.who, made["placement_id"], policy=services.policy)
            outcomes.append({"client_id": client_id, "site_id": site_id, "ok": True, "detail": ""})
        except Problem as p:
            view = problem_view(p, visitor.lang)
            outcomes.append(
                {"client_id": client_id, "site_id": site_id, "ok": False, "detail": view["detail"]}
            )
    return render(request, "cohort.html", visitor, result=None, outcomes=outcomes)
