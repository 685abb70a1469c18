"""A placement after confirmation: its work calendar, attendance, warnings, breach, letters.

Every rule lives in ``matcher.calendar`` / ``matcher.attendance`` (texts in ``matcher.rules``);
this module loads the placement's rows, asks the core, and stores what it allows. A refused
entry changes nothing: a 422 names each rule broken and its Pasal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.auth import Principal
from api.errors import Problem
from api.files.letters import Case, breach_notice, completion_statement, warning_letter
from api.services import audit
from api.services.records import load_client, load_site
from api.storage.models import BapasRow, ClientRow, HoursRow, PlacementRow, SiteRow
from matcher.attendance import DayRecord, Refusal, State, check_entry, state
from matcher.calendar import Terms, WorkCalendar, terms_for
from matcher.law import law_of
from matcher.policy import Policy
from matcher.rules import RULES

_PATHS = {"date": "body.date", "hours": "body.hours", "reason": "body.reason"}


def _confirmed(row: PlacementRow) -> dt.date:
    return (row.confirmed_at or row.created_at).date()


def records(s: Session, placement_id: int) -> list[DayRecord]:
    rows = s.scalars(
        select(HoursRow)
        .where(HoursRow.placement_id == placement_id)
        .order_by(HoursRow.work_date, HoursRow.log_id)
    )
    return [DayRecord(h.work_date, h.outcome, float(h.hours), h.reason or "") for h in rows]


def _earlier_hours(s: Session, row: PlacementRow) -> float:
    """Hours the client did at earlier placements (work done counts wherever)."""
    q = (
        select(func.coalesce(func.sum(HoursRow.hours), 0.0))
        .join(PlacementRow, PlacementRow.placement_id == HoursRow.placement_id)
        .where(
            PlacementRow.client_id == row.client_id,
            PlacementRow.placement_id != row.placement_id,
        )
    )
    return float(s.scalar(q) or 0.0)


def terms(s: Session, row: PlacementRow, policy: Policy) -> Terms:
    """The calendar terms of the placement: the order's hours less those done elsewhere."""
    client = load_client(s.get_one(ClientRow, row.client_id))
    site = load_site(s.get_one(SiteRow, row.site_id))
    t = terms_for(client, site, policy, _confirmed(row))
    earlier = _earlier_hours(s, row)
    return replace(t, hours=max(t.hours - earlier, 0.0)) if earlier else t


def current(s: Session, row: PlacementRow, policy: Policy, as_of: dt.date) -> tuple[Terms, State]:
    t = terms(s, row, policy)
    return t, state(t, records(s, row.placement_id), policy.ladder, as_of=as_of)


def _refused(refusals: list[Refusal]) -> Problem:
    errors = [
        {
            "path": _PATHS.get(r.field, f"body.{r.field}"),
            "value": r.value,
            "rule": (f"{r.rule}: {r.message_id}", f"{r.rule}: {r.message_en}"),
            "pasal": r.pasal or None,
        }
        for r in refusals
    ]
    return Problem(
        422,
        "validation",
        f"{len(errors)} masalah pada catatan kehadiran; tidak ada yang disimpan.",
        f"{len(errors)} problems in the attendance entry; nothing was saved.",
        errors=errors,
        failed_rules=[r.rule for r in refusals],
    )


def record_day(
    s: Session,
    who: Principal,
    row: PlacementRow,
    *,
    entry: DayRecord,
    policy: Policy,
    today: dt.date,
) -> HoursRow:
    """Store one day's outcome if every rule allows it, else 422 with each rule and Pasal."""
    if row.status not in ("active", "completed"):
        raise Problem(
            409,
            "invalid-state",
            f"Penempatan {row.placement_id} berstatus {row.status}; kehadiran hanya dicatat "
            "untuk penempatan aktif.",
            f"Placement {row.placement_id} is {row.status}; attendance is recorded only for an "
            "active placement.",
            placement_status=row.status,
        )
    t = terms(s, row, policy)
    refusals = check_entry(
        t, records(s, row.placement_id), entry, today=today, completed=row.status == "completed"
    )
    if refusals:
        raise _refused(refusals)
    log = HoursRow(
        placement_id=row.placement_id,
        work_date=entry.day,
        hours=entry.hours,
        outcome=entry.outcome,
        reason=entry.reason,
    )
    s.add(log)
    s.flush()
    audit.record(
        s,
        who,
        "placement.hours" if entry.outcome == "hadir" else "placement.attendance",
        "placement",
        row.placement_id,
        after={"log_id": log.log_id, "outcome": entry.outcome, "hours": entry.hours},
    )
    return log


def calendar_public(row: PlacementRow, t: Terms, cal: WorkCalendar) -> dict[str, Any]:
    sf = cal.shortfall
    law = law_of(t.sentence)
    return {
        "placement_id": row.placement_id,
        "client_id": row.client_id,
        "site_id": row.site_id,
        "sentence": t.sentence,
        "start": t.start,
        "deadline": t.deadline,
        "day_limit": t.day_limit,
        "client_days": sorted(t.client_days),
        "site_days": sorted(t.site_days),
        "hours": t.hours,
        "hours_done": cal.hours_done,
        "remaining": cal.remaining,
        "from_day": cal.from_day,
        "days": [{"date": x.day, "hours": x.hours} for x in cal.slots],
        "finishes": cal.finishes,
        "shortfall": None
        if sf is None
        else {
            "hours": sf.hours,
            "since": sf.since,
            "extra_weekday": sf.extra_weekday,
            "extra_days": sf.extra_days,
            "message_id": sf.message_id,
            "message_en": sf.message_en,
            "rule": "calendar_shortfall",
            "pasal": law.pasal_period,
            "rule_text": RULES["calendar_shortfall"].indonesian,
        },
    }


def state_public(row: PlacementRow, t: Terms, st: State) -> dict[str, Any]:
    return {
        "placement_id": row.placement_id,
        "as_of": st.as_of,
        "status": st.status,
        "hours_ordered": t.hours,
        "hours_done": st.hours_done,
        "remaining": st.remaining,
        "counts": st.counts,
        "steps": [
            {"count": x.count, "date": x.day, "kind": x.kind, "number": x.number} for x in st.steps
        ],
        "breach": None
        if st.breach is None
        else {
            "count": st.breach.count,
            "date": st.breach.day,
            "kind": st.breach.kind,
            "number": st.breach.number,
        },
        "calendar": calendar_public(row, t, st.calendar),
    }


def case_of(s: Session, row: PlacementRow, t: Terms) -> Case:
    crow = s.get_one(ClientRow, row.client_id)
    srow = s.get_one(SiteRow, row.site_id)
    bapas = s.get(BapasRow, row.bapas_id)
    return Case(
        client_id=row.client_id,
        placement_id=row.placement_id,
        site_id=row.site_id,
        site_name=srow.name,
        sentence=t.sentence,
        hours=t.hours,
        deadline=t.deadline,
        start=t.start,
        bapas=bapas.name if bapas else row.bapas_id,
        pk=row.pk_anak or "",
        replaced_prison_months=crow.record.get("imposed_prison_months"),
        replaced_fine_rp=crow.record.get("imposed_fine_rp"),
    )


def letters(s: Session, row: PlacementRow, policy: Policy, as_of: dt.date) -> dict[str, Any]:
    """Every letter the record calls for up to ``as_of``: each warning, the breach notice, the
    completion statement."""
    t, st = current(s, row, policy, as_of)
    recs = [r for r in records(s, row.placement_id) if r.day <= as_of]
    case = case_of(s, row, t)
    warnings = []
    for step in st.steps:
        if step.kind != "peringatan":
            continue
        at = state(t, [r for r in recs if r.day <= step.day], policy.ladder, as_of=step.day)
        warnings.append(
            {"number": step.number, "date": step.day, "text": warning_letter(case, step, at)}
        )
    notice = None
    if st.breach is not None:
        at = state(
            t, [r for r in recs if r.day <= st.breach.day], policy.ladder, as_of=st.breach.day
        )
        notice = breach_notice(case, at, recs)
    done = None
    if st.done:
        last = max((r.day for r in recs if r.hours > 0), default=as_of)
        done = completion_statement(case, st, recs, day=max(last, as_of))
    return {
        "placement_id": row.placement_id,
        "as_of": as_of,
        "status": st.status,
        "warnings": warnings,
        "breach_notice": notice,
        "completion_statement": done,
    }
