"""The supervision report for the prosecutor (Pasal 85(8)): per client, the hours ordered and
done, the deadline, the days left, and an at-risk flag; for a placed client also the work
calendar (next day, the shortfall), attendance (mangkir), warnings and the breach state
(``matcher.attendance``); and a monthly summary per site for the site's own supervisor.

At risk: the hours still to do exceed what fits before the deadline at the verdict's hours per
day (capped by the site's), on the days both the client and the site work, public holidays
excluded (``matcher.workdays``). Days are counted from ``as_of``, or from the next day when hours
were already logged on ``as_of``. A client without an active placement is counted on their own
available days; a completed or revoked-without-replacement client is never at risk.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.auth import Principal
from api.services import attendance as att
from api.storage.models import ClientRow, HoursRow, PlacementRow, SiteRow
from matcher.attendance import OUTCOMES
from matcher.policy import Policy, default_policy
from matcher.workdays import day_bits, weekday_counts

_EPOCH = dt.date(1970, 1, 1)
_ORDER = {"active": 0, "proposed": 1, "completed": 2, "revoked": 3}
COLUMNS = (
    "client_id",
    "placement_id",
    "site_id",
    "status",
    "hours_ordered",
    "hours_done",
    "hours_remaining",
    "hours_per_day",
    "start_date",
    "deadline",
    "days_left",
    "workdays_left",
    "at_risk",
    "state",
    "mangkir",
    "warnings",
    "breach",
    "next_day",
    "shortfall",
)


def supervision(
    s: Session,
    who: Principal,
    *,
    bapas_id: str | None,
    as_of: dt.date,
    policy: Policy | None = None,
) -> dict[str, Any]:
    scope = who.bapas_id or bapas_id
    q = select(ClientRow).order_by(ClientRow.client_id)
    if scope is not None:
        q = q.where(ClientRow.bapas_id == scope)
    clients = s.scalars(q).all()
    pq = select(PlacementRow)
    if scope is not None:
        pq = pq.where(PlacementRow.bapas_id == scope)
    best: dict[str, PlacementRow] = {}
    for row in s.scalars(pq.order_by(PlacementRow.placement_id)):
        held = best.get(row.client_id)
        if held is None or _ORDER[row.status] <= _ORDER[held.status]:
            best[row.client_id] = row
    hq = (
        select(PlacementRow.client_id, func.sum(HoursRow.hours), func.max(HoursRow.work_date))
        .join(HoursRow, HoursRow.placement_id == PlacementRow.placement_id)
        .group_by(PlacementRow.client_id)
    )
    if scope is not None:
        hq = hq.where(PlacementRow.bapas_id == scope)
    done = {cid: (float(h or 0), last) for cid, h, last in s.execute(hq).all()}
    site_ids = {p.site_id for p in best.values()}
    sites = {r.site_id: r for r in s.scalars(select(SiteRow).where(SiteRow.site_id.in_(site_ids)))}
    rows: list[dict[str, Any]] = []
    starts: list[int] = []
    ends: list[int] = []
    bits: list[int] = []
    hpd: list[int] = []
    for c in clients:
        p: PlacementRow | None = best.get(c.client_id)
        h_done, last = done.get(c.client_id, (0.0, None))
        begin = max(as_of, c.start_date)
        if last is not None and last >= begin:
            begin = last + dt.timedelta(days=1)
        client_days = frozenset(c.record.get("available_days") or [])
        per_day = c.hours_per_day
        if p is not None and p.status == "active" and p.site_id in sites:
            site = sites[p.site_id].record
            client_days &= frozenset(site.get("open_days") or [])
            per_day = min(per_day, int(site.get("hours_per_day") or 8))
        starts.append((begin - _EPOCH).days)
        ends.append((c.deadline - _EPOCH).days)
        bits.append(day_bits(client_days))
        hpd.append(per_day)
        rows.append(
            {
                "client_id": c.client_id,
                "placement_id": p.placement_id if p else None,
                "site_id": p.site_id if p else None,
                "status": p.status if p else "unplaced",
                "hours_ordered": c.hours,
                "hours_done": round(h_done, 2),
                "hours_remaining": round(max(c.hours - h_done, 0.0), 2),
                "hours_per_day": c.hours_per_day,
                "start_date": c.start_date,
                "deadline": c.deadline,
                "days_left": (c.deadline - as_of).days,
            }
        )
    if rows:
        start_a, end_a = np.array(starts, np.int64), np.array(ends, np.int64)
        counts = weekday_counts(start_a, np.maximum(end_a, start_a - 1), np.array(bits, np.int64))
        workdays = np.where(end_a >= start_a, counts.sum(axis=1), 0)
    else:
        workdays = np.zeros(0, np.int64)
    for item, w, per_day in zip(rows, workdays.tolist(), hpd, strict=True):
        item["workdays_left"] = int(w)
        finished = item["hours_remaining"] <= 0 or item["status"] == "completed"
        item["at_risk"] = (not finished) and item["hours_remaining"] > int(w) * per_day
        _attendance(s, item, best.get(item["client_id"]), policy or default_policy(), as_of)
    return {
        "bapas_id": scope,
        "as_of": as_of,
        "clients": len(rows),
        "at_risk": sum(1 for r in rows if r["at_risk"]),
        "rows": rows,
    }


def _attendance(
    s: Session, item: dict[str, Any], p: PlacementRow | None, policy: Policy, as_of: dt.date
) -> None:
    """The calendar, attendance, warnings and breach of a confirmed placement."""
    item.update(state=None, mangkir=0, warnings=0, breach=False, next_day=None, shortfall=None)
    if p is None or p.status not in ("active", "completed"):
        return
    _, st = att.current(s, p, policy, as_of)
    item["state"] = st.status
    item["mangkir"] = st.counts["mangkir"]
    item["warnings"] = sum(1 for x in st.steps if x.kind == "peringatan")
    item["breach"] = st.breach is not None
    if st.calendar.slots and not st.done:
        item["next_day"] = st.calendar.slots[0].day
    if st.calendar.shortfall is not None and not st.done:
        item["shortfall"] = st.calendar.shortfall.message_id


def site_month(
    s: Session, who: Principal, *, bapas_id: str | None, month: dt.date
) -> dict[str, Any]:
    """Per site, one month's attendance: clients, each outcome's days, hours worked; per client
    at the site the same (no health, religion or offence: the site's supervisor reads it)."""
    scope = who.bapas_id or bapas_id
    first = month.replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    q = (
        select(
            PlacementRow.site_id,
            PlacementRow.client_id,
            HoursRow.outcome,
            func.count(HoursRow.log_id),
            func.coalesce(func.sum(HoursRow.hours), 0.0),
        )
        .join(HoursRow, HoursRow.placement_id == PlacementRow.placement_id)
        .where(HoursRow.work_date >= first, HoursRow.work_date < nxt)
        .group_by(PlacementRow.site_id, PlacementRow.client_id, HoursRow.outcome)
        .order_by(PlacementRow.site_id, PlacementRow.client_id)
    )
    if scope is not None:
        q = q.where(PlacementRow.bapas_id == scope)
    sites: dict[str, dict[str, Any]] = {}
    for site_id, client_id, outcome, days, hours in s.execute(q).all():
        entry = sites.setdefault(
            site_id,
            {"site_id": site_id, "days": dict.fromkeys(OUTCOMES, 0), "hours": 0.0, "clients": {}},
        )
        entry["days"][outcome] = entry["days"].get(outcome, 0) + int(days)
        entry["hours"] += float(hours)
        c = entry["clients"].setdefault(
            client_id, {"client_id": client_id, "days": dict.fromkeys(OUTCOMES, 0), "hours": 0.0}
        )
        c["days"][outcome] = c["days"].get(outcome, 0) + int(days)
        c["hours"] += float(hours)
    names = {
        r.site_id: r.name
        for r in s.scalars(select(SiteRow).where(SiteRow.site_id.in_(list(sites))))
    }
    return {
        "bapas_id": scope,
        "month": first.strftime("%Y-%m"),
        "sites": [
            {
                **v,
                "name": names.get(k, k),
                "hours": round(v["hours"], 2),
                "clients": list(v["clients"].values()),
            }
            for k, v in sorted(sites.items())
        ],
    }


def as_csv(report: dict[str, Any]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COLUMNS)
    for r in report["rows"]:
        w.writerow(
            [
                "" if r[k] is None else (str(r[k]).lower() if isinstance(r[k], bool) else r[k])
                for k in COLUMNS
            ]
        )
    return out.getvalue()
