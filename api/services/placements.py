"""Placements: propose, confirm (the race-free step), log hours, complete, revoke, list.

Confirmation runs in one write transaction (``Database.writing``: ``BEGIN IMMEDIATE`` on SQLite)
that locks the site row (``SELECT ... FOR UPDATE`` on PostgreSQL), counts the active placements
there and re-checks the client's eligibility; two officers can never both take a site's last
place: the second waits for the first to commit and then sees the site full (409).
A proposal holds no place: only confirmation does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.auth import Principal
from api.errors import Problem, not_found
from api.services import attendance as att
from api.services import audit
from api.services import clients as client_svc
from api.services import sites as site_svc
from api.services.records import load_client, load_site
from api.services.registry import counts_by_site
from api.services.scope import visible_row, where_given
from api.services.suggestions import child_apart_sites, partner_sites
from api.storage.models import ClientRow, HoursRow, PlacementRow, SiteRow
from geo.distance import road_km
from matcher.attendance import DayRecord
from matcher.model import Client, Site
from matcher.pipeline import pair_failures
from matcher.policy import Policy
from matcher.rules import RULES


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def get_row(s: Session, who: Principal, placement_id: int, *, lock: bool = False) -> PlacementRow:
    row: PlacementRow = visible_row(
        s, who, PlacementRow.placement_id, placement_id, "Placement", lock=lock
    )
    return row


def hours_done(s: Session, client_id: str) -> float:
    """Hours logged for the client at any of its placements (work done counts wherever)."""
    q = (
        select(func.coalesce(func.sum(HoursRow.hours), 0.0))
        .join(PlacementRow, PlacementRow.placement_id == HoursRow.placement_id)
        .where(PlacementRow.client_id == client_id)
    )
    return float(s.scalar(q) or 0.0)


def public(s: Session, row: PlacementRow, *, detail: bool = False) -> dict[str, Any]:
    client = s.get(ClientRow, row.client_id)
    out: dict[str, Any] = {
        "placement_id": row.placement_id,
        "client_id": row.client_id,
        "site_id": row.site_id,
        "bapas_id": row.bapas_id,
        "status": row.status,
        "distance_km": row.distance_km,
        "hours_ordered": client.hours if client else 0,
        "hours_done": hours_done(s, row.client_id),
        "created_at": row.created_at,
        "confirmed_at": row.confirmed_at,
        "closed_at": row.closed_at,
        "revoke_reason": row.revoke_reason,
        "pk_anak": row.pk_anak,
    }
    if detail:
        logs = s.scalars(
            select(HoursRow)
            .where(HoursRow.placement_id == row.placement_id)
            .order_by(HoursRow.work_date, HoursRow.log_id)
        )
        out["hours_log"] = [
            {
                "log_id": h.log_id,
                "date": h.work_date,
                "hours": h.hours,
                "outcome": h.outcome,
                "reason": h.reason or None,
            }
            for h in logs
        ]
    return out


def _state(row: PlacementRow, wanted: tuple[str, ...], action_id: str, action_en: str) -> None:
    if row.status not in wanted:
        raise Problem(
            409,
            "invalid-state",
            f"Penempatan {row.placement_id} berstatus {row.status}; {action_id} hanya untuk "
            f"status {' / '.join(wanted)}.",
            f"Placement {row.placement_id} is {row.status}; {action_en} needs status "
            f"{' / '.join(wanted)}.",
            placement_status=row.status,
        )


def _not_eligible(client: Client, site: Site, failed: list[str]) -> Problem:
    rules = [RULES[key] for key in failed]
    errors: list[dict[str, Any]] = [
        {
            "path": "body.site_id",
            "value": site.site_id,
            "rule": (f"{r.key}: {r.indonesian}", f"{r.key}: {r.english}"),
            "pasal": r.pasal or None,
        }
        for r in rules
    ]
    names_id = ", ".join(r.indonesian for r in rules)
    names_en = ", ".join(r.english for r in rules)
    return Problem(
        422,
        "not-eligible",
        f"Klien {client.client_id} tidak memenuhi syarat di lokasi {site.site_id}: {names_id}.",
        f"Client {client.client_id} is not eligible at site {site.site_id}: {names_en}.",
        errors=errors,
        failed_rules=failed,
    )


def check_pair(s: Session, client: Client, site_row: SiteRow, policy: Policy) -> Site:
    """422 unless the client may work at this active site (all rules, fixed site, separation)."""
    site = load_site(site_row)
    failed = [] if site_row.active else ["site_inactive"]
    if client.fixed_site_id is not None and client.fixed_site_id != site.site_id:
        failed.append("fixed_site")
    failed += pair_failures(client, site, policy)
    if site.site_id in partner_sites(s, client.client_id):
        failed.append("separation")
    if _child_apart_clash(s, client, site.site_id, policy):
        failed.append("child_adult_offender")
    if failed:
        raise _not_eligible(client, site, failed)
    return site


def _child_apart_clash(s: Session, client: Client, site_id: str, policy: Policy) -> bool:
    """Children's policy: a child never works beside an adult sexual or violent offender."""
    return site_id in child_apart_sites(s, client, policy)


def _distance(client: Client, site: Site, policy: Policy) -> float:
    return round(float(road_km(client.lat, client.lon, site.lat, site.lon, policy.road_factor)), 3)


def propose(
    s: Session,
    who: Principal,
    *,
    client_id: str,
    site_id: str,
    policy: Policy,
    pk_anak: str | None = None,
) -> dict[str, Any]:
    """A proposed placement (replacing an earlier proposal of the same client). A child's
    placement names its PK Anak when the children's policy asks for one."""
    crow = client_svc.get_row(s, who, client_id)
    srow = site_svc.get_row(s, who, site_id)
    if srow.bapas_id != crow.bapas_id:
        raise not_found("Site", site_id)
    client = load_client(crow)
    if client.is_child and policy.children.require_pk_anak and not pk_anak:
        raise _not_eligible(client, load_site(srow), ["child_pk_anak"])
    site = check_pair(s, client, srow, policy)
    current = client_svc.open_placement(s, client_id)
    superseded = None
    if current is not None and current.status == "active":
        raise Problem(
            409,
            "conflict",
            f"Klien {client_id} sudah aktif di lokasi {current.site_id} "
            f"(penempatan {current.placement_id}); cabut dulu sebelum memindahkan.",
            f"Client {client_id} is already active at site {current.site_id} "
            f"(placement {current.placement_id}); revoke it before moving.",
            placement_id=current.placement_id,
        )
    if current is not None:
        current.status, current.closed_at = "revoked", _now()
        current.revoke_reason = "superseded"
        superseded = current.placement_id
        s.flush()
    row = PlacementRow(
        client_id=client_id,
        site_id=site_id,
        bapas_id=crow.bapas_id,
        status="proposed",
        distance_km=_distance(client, site, policy),
        pk_anak=pk_anak if client.is_child else None,
    )
    s.add(row)
    s.flush()
    audit.record(
        s,
        who,
        "placement.propose",
        "placement",
        row.placement_id,
        before={"placement_id": superseded} if superseded else None,
        after={"client_id": client_id, "site_id": site_id, "status": "proposed"},
    )
    return public(s, row)


def confirm(s: Session, who: Principal, placement_id: int, *, policy: Policy) -> dict[str, Any]:
    """proposed -> active, if the site still has a free place and the pair is still eligible."""
    row = get_row(s, who, placement_id, lock=True)
    _state(row, ("proposed",), "konfirmasi", "confirming")
    site_row = s.scalars(
        select(SiteRow).where(SiteRow.site_id == row.site_id).with_for_update()
    ).one()
    active = counts_by_site(s, "active", [row.site_id]).get(row.site_id, 0)
    if active >= site_row.capacity:
        raise Problem(
            409,
            "site-full",
            f"Lokasi {row.site_id} sudah penuh ({active} dari {site_row.capacity} tempat terisi).",
            f"Site {row.site_id} is full ({active} of {site_row.capacity} places taken).",
            site_id=row.site_id,
            capacity=site_row.capacity,
            active=active,
        )
    client = load_client(s.get_one(ClientRow, row.client_id))
    if client.is_child and policy.children.require_pk_anak and not row.pk_anak:
        raise _not_eligible(client, load_site(site_row), ["child_pk_anak"])
    check_pair(s, client, site_row, policy)
    row.status, row.confirmed_at = "active", _now()
    audit.record(
        s,
        who,
        "placement.confirm",
        "placement",
        placement_id,
        before={"status": "proposed"},
        after={"status": "active", "site_id": row.site_id, "client_id": row.client_id},
    )
    s.flush()
    return public(s, row)


def log_hours(
    s: Session,
    who: Principal,
    placement_id: int,
    *,
    work_date: dt.date,
    hours: float,
    policy: Policy,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Hours worked on a day: attendance ``hadir`` with its hours (see :func:`attend`)."""
    return attend(
        s,
        who,
        placement_id,
        entry=DayRecord(work_date, "hadir", hours),
        policy=policy,
        today=today,
    )


def attend(
    s: Session,
    who: Principal,
    placement_id: int,
    *,
    entry: DayRecord,
    policy: Policy,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Record one scheduled day's outcome on an active placement, by the calendar's rules
    (``matcher.attendance``); when the last hour is done, the placement is completed and its
    place freed."""
    row = get_row(s, who, placement_id, lock=True)
    # a completed placement is refused by the rule (log_after_completion), with its Pasal
    _state(row, ("active", "completed"), "mencatat kehadiran", "recording attendance")
    today = today or dt.date.today()
    att.record_day(s, who, row, entry=entry, policy=policy, today=today)
    crow = s.get_one(ClientRow, row.client_id)
    if row.status == "active" and hours_done(s, row.client_id) >= crow.hours:
        row.status, row.closed_at = "completed", _now()
        audit.record(
            s,
            who,
            "placement.complete",
            "placement",
            placement_id,
            before={"status": "active"},
            after={"status": "completed"},
        )
        s.flush()
    return public(s, row, detail=True)


def complete(s: Session, who: Principal, placement_id: int) -> dict[str, Any]:
    """active -> completed, once the hours ordered are all done."""
    row = get_row(s, who, placement_id, lock=True)
    _state(row, ("active",), "menyelesaikan", "completing")
    crow = s.get_one(ClientRow, row.client_id)
    done = hours_done(s, row.client_id)
    if done < crow.hours:
        raise Problem(
            409,
            "invalid-state",
            f"Baru {done:g} dari {crow.hours} jam yang selesai.",
            f"Only {done:g} of {crow.hours} hours are done.",
            hours_done=done,
            hours_ordered=crow.hours,
        )
    row.status, row.closed_at = "completed", _now()
    audit.record(
        s,
        who,
        "placement.complete",
        "placement",
        placement_id,
        before={"status": "active"},
        after={"status": "completed"},
    )
    return public(s, row)


def revoke(s: Session, who: Principal, placement_id: int, *, reason: str) -> dict[str, Any]:
    """proposed/active -> revoked, with the reason kept on the placement (not in the log)."""
    row = get_row(s, who, placement_id, lock=True)
    _state(row, ("proposed", "active"), "mencabut", "revoking")
    before = row.status
    row.status, row.closed_at, row.revoke_reason = "revoked", _now(), reason
    audit.record(
        s,
        who,
        "placement.revoke",
        "placement",
        placement_id,
        before={"status": before},
        after={"status": "revoked"},
    )
    return public(s, row)


def list_placements(
    s: Session,
    who: Principal,
    *,
    site_id: str | None,
    client_id: str | None,
    status: str | None,
    limit: int,
    offset: int,
) -> dict[str, Any]:
    q = where_given(
        select(PlacementRow).order_by(PlacementRow.placement_id),
        (PlacementRow.bapas_id, who.bapas_id),
        (PlacementRow.site_id, site_id),
        (PlacementRow.client_id, client_id),
        (PlacementRow.status, status),
    )
    total = s.scalar(select(func.count()).select_from(q.subquery())) or 0
    rows = s.scalars(q.limit(limit).offset(offset)).all()
    return {
        "items": [public(s, r) for r in rows],
        "total": total,
        "limit": limit,
        "offset": offset,
    }
