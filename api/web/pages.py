"""Sign-in, language, Beranda, Laporan, Perencanaan and the admin's users page."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api.deps import Svc
from api.errors import Problem
from api.files.study import brief
from api.services import planning, reports, users
from api.storage.models import ROLES
from api.web import svgmap
from api.web.core import (
    LANG_COOKIE,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    FormPage,
    Page,
    PageRoute,
    Visitor,
    needs,
    problem_view,
    redirect,
    render,
    secure,
)
from api.web.words import word

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def _safe_next(path: str | None) -> str:
    """Only a path of this app (no scheme, no other host)."""
    if path and path.startswith("/") and not path.startswith("//") and "\\" not in path:
        return path
    return "/beranda"


# --------------------------------------------------------------------------------------------
# Sign-in, sign-out, language


def _login_page(
    request: Request, *, error: str = "", next_path: str = "", status: int = 200
) -> Response:
    token = secrets.token_urlsafe(32)
    response = render(
        request, "login.html", None, status=status, error=error, csrf=token, next=next_path
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        secure=secure(request),
        samesite="strict",
        max_age=3600,
        path="/",
    )
    return response


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request, services: Svc, next: Annotated[str, Query(max_length=500)] = ""
) -> Response:
    """The sign-in page, or Beranda for a visitor already signed in."""
    with services.db.reading() as s:
        if users.session_user(s, request.cookies.get(SESSION_COOKIE)) is not None:
            return redirect(_safe_next(next))
    return _login_page(request, next_path=next)


@router.post("/masuk")
def sign_in(
    request: Request,
    services: Svc,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=200)],
    csrf: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not cookie or not secrets.compare_digest(cookie.encode(), csrf.encode()):
        return _login_page(request, error="bad_csrf", next_path=next, status=403)
    with services.db.writing() as s:
        opened = users.sign_in(s, username=username, password=password)
    if opened is None:
        return _login_page(request, error="bad_login", next_path=next, status=401)
    secret, _ = opened
    response = redirect(_safe_next(next))
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        httponly=True,
        secure=secure(request),
        samesite="strict",
        max_age=users.SESSION_HOURS * 3600,
        path="/",
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
    return response


@router.post("/keluar")
def sign_out(request: Request, services: Svc, visitor: FormPage) -> Response:
    with services.db.writing() as s:
        users.sign_out(s, request.cookies.get(SESSION_COOKIE))
    response = redirect("/")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/bahasa")
def language(
    request: Request,
    lang: Annotated[str, Query(pattern="^(id|en)$")],
    next: Annotated[str, Query(max_length=500)] = "/",
) -> RedirectResponse:
    response = redirect(_safe_next(next) if next != "/" else "/")
    response.set_cookie(
        LANG_COOKIE, lang, secure=secure(request), samesite="strict", max_age=365 * 86400
    )
    return response


# --------------------------------------------------------------------------------------------
# Beranda


@router.get("/beranda", response_class=HTMLResponse)
def beranda(request: Request, services: Svc, visitor: Page) -> Response:
    today = dt.date.today()
    if visitor.who.role == "planner":
        return render(request, "home_planner.html", visitor, today=today)
    needs(visitor, "officer")
    with services.db.reading() as s:
        report = reports.supervision(s, visitor.who, bapas_id=None, as_of=today)
    rows = report["rows"]
    waiting = [r for r in rows if r["status"] == "unplaced" and r["hours_remaining"] > 0]
    at_risk = [r for r in rows if r["at_risk"] and r["status"] in ("active", "proposed")]
    week = today + dt.timedelta(days=7)
    ending = [r for r in rows if r["status"] == "active" and today <= r["deadline"] <= week]
    to_log = [r for r in rows if r["status"] == "active" and r["hours_remaining"] > 0]
    proposed = [r for r in rows if r["status"] == "proposed"]
    return render(
        request,
        "home.html",
        visitor,
        today=today,
        waiting=waiting,
        at_risk=at_risk,
        ending=ending,
        to_log=to_log,
        proposed=proposed,
    )


# --------------------------------------------------------------------------------------------
# Laporan


def _report(services: Svc, visitor: Page, as_of: dt.date | None) -> dict[str, Any]:
    needs(visitor, "officer", "planner")
    with services.db.reading() as s:
        return reports.supervision(s, visitor.who, bapas_id=None, as_of=as_of or dt.date.today())


@router.get("/laporan", response_class=HTMLResponse)
def laporan(
    request: Request,
    services: Svc,
    visitor: Page,
    as_of: Annotated[dt.date | None, Query()] = None,
    risk: Annotated[bool, Query()] = False,
) -> Response:
    report = _report(services, visitor, as_of)
    rows = [r for r in report["rows"] if r["at_risk"]] if risk else report["rows"]
    return render(request, "report.html", visitor, report=report, rows=rows, risk=risk)


@router.get("/laporan.csv")
def laporan_csv(
    services: Svc, visitor: Page, as_of: Annotated[dt.date | None, Query()] = None
) -> PlainTextResponse:
    report = _report(services, visitor, as_of)
    name = f"laporan-pengawasan-{report['bapas_id'] or 'semua'}-{report['as_of'].isoformat()}.csv"
    return PlainTextResponse(
        reports.as_csv(report),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# --------------------------------------------------------------------------------------------
# Perencanaan


def _planning_map(run: planning.StudyRun, lang: str) -> Any:
    study = run.study
    base = study.comparison.base
    by_area = {a.name: a for a in base.areas}
    top = max((a.unplaced for a in base.areas), default=0) or 1
    areas = []
    for name, geom in zip(run.areas.names, run.areas.geometry, strict=True):
        a = by_area.get(name)
        unplaced = a.unplaced if a else 0
        areas.append(
            svgmap.Area(geom, name, shade=unplaced / top, label=str(unplaced) if unplaced else "")
        )
    names = {s.site_id: s for s in study.candidates}
    chosen = study.facility.chosen if study.facility is not None else ()
    marks = [
        svgmap.Mark(s.lon, s.lat, "new", label=s.name, title=s.name)
        for sid in chosen
        if (s := names.get(sid)) is not None
    ]
    legend = [("shade", word("belum_ditempatkan_kec", lang)), ("new", word("lokasi_baru", lang))]
    spec = svgmap.MapSpec(
        marks=marks,
        areas=areas,
        legend=legend,
        title=word("peta_perencanaan", lang),
        fit_areas=True,
    )
    return svgmap.draw(spec, width=720, height=560)


@router.get("/perencanaan", response_class=HTMLResponse)
def perencanaan(request: Request, visitor: Page) -> Response:
    return _planning_page(request, visitor)


def _planning_page(
    request: Request,
    visitor: Visitor,
    *,
    problem: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    run = planning.latest(visitor.who)
    context: dict[str, Any] = {"run": run, "problem": problem}
    if run is not None:
        study = run.study
        base = study.comparison.base
        sims = []
        for pc in study.simulations:
            rows = []
            for r in pc.runs:
                m = r.metrics()
                share = pc.share_of_optimum(r)
                rows.append(
                    {
                        "policy": r.policy,
                        "placed": f"{m['placed']}/{m['arrived']}",
                        "on_time": f"{100 * m['share_finished_by_deadline']:.1f}%",
                        "wait": f"{m['waiting_days_mean']:.1f} / {m['waiting_days_p90']:.0f}",
                        "use": f"{100 * m['utilisation_mean']:.0f}%",
                        "optimum": "-"
                        if share is None
                        else (f"{share[0]:.1f}" if share[0] == share[1] else f"≥{share[0]:.1f}"),
                        "km": f"{m['mean_km']:.2f}",
                    }
                )
            h = pc.hindsight
            sims.append(
                {
                    "scenario": pc.scenario,
                    "hindsight": f"{h.lower}..{h.upper}" if h is not None else "",
                    "rows": rows,
                }
            )
        names = {s.site_id: s for s in study.candidates}
        new_sites = []
        if study.facility is not None:
            for sid in study.facility.chosen:
                site = names.get(sid)
                new_sites.append(
                    {
                        "site_id": sid,
                        "name": site.name if site else sid,
                        "subdistrict": site.subdistrict if site else "",
                        "served": study.facility.served.get(sid, 0),
                    }
                )
        site_names = {s.site_id: s.name for s in base.sites}
        context.update(
            base=base,
            outcomes=list(study.comparison.outcomes()),
            sims=sims,
            new_sites=new_sites,
            facility=study.facility,
            marginal=[(m, site_names.get(m.site_id, "")) for m in study.marginal],
            brief=brief(study),
            map_svg=_planning_map(run, visitor.lang),
        )
    return render(request, "planning.html", visitor, status=status, **context)


@router.post("/perencanaan/jalankan")
def perencanaan_run(visitor: FormPage) -> Response:
    planning.run_example(visitor.who)
    return redirect("/perencanaan")


@router.post("/perencanaan/unggah", response_class=HTMLResponse)
async def perencanaan_upload(
    request: Request, visitor: FormPage, berkas: Annotated[UploadFile, File()]
) -> Response:
    """Run an uploaded scenario file (TOML with a generated base); its problems on the page."""
    data = await berkas.read(planning.MAX_SCENARIO_BYTES + 1)
    name = berkas.filename or "scenario.toml"
    try:
        await run_in_threadpool(planning.run_upload, visitor.who, name, data)
    except Problem as p:
        if p.status not in (409, 413, 422):
            raise
        view = problem_view(p, visitor.lang)
        return await run_in_threadpool(
            _planning_page, request, visitor, problem=view, status=p.status
        )
    return redirect("/perencanaan")


# --------------------------------------------------------------------------------------------
# Admin: users


@router.get("/admin/pengguna", response_class=HTMLResponse)
def admin_users(request: Request, services: Svc, visitor: Page) -> Response:
    with services.db.reading() as s:
        people = users.list_users(s, visitor.who)
        bapas = users.list_bapas(s, visitor.who)
    return render(
        request, "admin_users.html", visitor, people=people, bapas=bapas, roles=ROLES, shown=None
    )


@router.post("/admin/pengguna", response_class=HTMLResponse)
def admin_create_user(
    request: Request,
    services: Svc,
    visitor: FormPage,
    username: Annotated[str, Form(max_length=64)],
    role: Annotated[str, Form(max_length=16)],
    bapas_id: Annotated[str, Form(max_length=64)] = "",
    display_name: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    chosen = password or users.new_password()
    with services.db.writing() as s:
        made = users.create_user(
            s,
            visitor.who,
            username=username,
            password=chosen,
            role=role,
            bapas_id=bapas_id or None,
            display_name=display_name,
        )
    with services.db.reading() as s:
        people = users.list_users(s, visitor.who)
        bapas = users.list_bapas(s, visitor.who)
    shown = (made["username"], chosen) if not password else None
    return render(
        request,
        "admin_users.html",
        visitor,
        people=people,
        bapas=bapas,
        roles=ROLES,
        shown=shown,
        created=made["username"],
    )


@router.post("/admin/pengguna/{user_id}/sandi", response_class=HTMLResponse)
def admin_reset_password(
    request: Request,
    services: Svc,
    visitor: FormPage,
    user_id: int,
) -> Response:
    chosen = users.new_password()
    with services.db.writing() as s:
        person = users.reset_password(s, visitor.who, user_id, password=chosen)
    with services.db.reading() as s:
        people = users.list_users(s, visitor.who)
        bapas = users.list_bapas(s, visitor.who)
    return render(
        request,
        "admin_users.html",
        visitor,
        people=people,
        bapas=bapas,
        roles=ROLES,
        shown=(person["username"], chosen),
    )
