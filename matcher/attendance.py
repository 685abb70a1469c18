"""Attendance on the work calendar: one outcome per scheduled day, the checks on every entry,
the warning ladder, and the placement's state (berjalan, pelanggaran, selesai).

Outcomes (the UK Community Payback's, in the Bapas' words):

* ``hadir``: attended and worked (hours > 0);
* ``izin``: absent with a valid reason: ``sakit``, ``bekerja``, ``keluarga`` or ``sidang``;
* ``mangkir``: absent without a valid reason (Pasal 85(7): "tanpa alasan yang sah");
* ``dipulangkan``: sent home by the site (the hours worked before, if any, count);
* ``dibatalkan``: stood down by the site (no fault of the client).

Only ``mangkir`` climbs the warning ladder (policy data, ``[attendance] ladder``). The product
keeps the record, warns and writes the notice; it never decides the consequence (Pasal 85(7)
KUHP; for a child Pasal 76(2) UU SPPA).

Pure: dates and records in, refusals and states out; no clock (``today`` is always given).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, get_args

from matcher.calendar import Terms, WorkCalendar, capacity, hours_allowed, schedule, why_not
from matcher.law import OrderLaw, law_of
from matcher.rules import RULES

Outcome = Literal["hadir", "izin", "mangkir", "dipulangkan", "dibatalkan"]
IzinReason = Literal["sakit", "bekerja", "keluarga", "sidang"]
OUTCOMES: tuple[str, ...] = get_args(Outcome)
IZIN_REASONS: tuple[str, ...] = get_args(IzinReason)
WITH_HOURS = frozenset({"hadir", "dipulangkan"})

OUTCOME_ID = {
    "hadir": "hadir",
    "izin": "izin",
    "mangkir": "mangkir (tanpa alasan yang sah)",
    "dipulangkan": "dipulangkan",
    "dibatalkan": "dibatalkan oleh lokasi",
}


@dataclass(frozen=True, slots=True)
class DayRecord:
    """The outcome of one scheduled day."""

    day: date
    outcome: str
    hours: float = 0.0
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why an entry is refused: the rule (``matcher.rules``), the order's Pasal, and the detail."""

    rule: str
    pasal: str
    field: str
    value: object
    detail_id: str
    detail_en: str

    @property
    def message_id(self) -> str:
        cite = f" ({self.pasal})" if self.pasal else ""
        return f"{RULES[self.rule].indonesian}{cite}: {self.detail_id}"

    @property
    def message_en(self) -> str:
        cite = f" ({self.pasal})" if self.pasal else ""
        return f"{RULES[self.rule].english}{cite}: {self.detail_en}"


def _pasal(rule: str, law: OrderLaw) -> str:
    """The rule's citation for this order's law (a child's order cites the SPPA)."""
    by_law = {
        "log_not_scheduled": law.pasal_per_day,
        "log_over_day_limit": law.pasal_per_day,
        "log_before_start": law.pasal_period,
        "log_after_deadline": law.pasal_period,
        "log_after_completion": law.pasal_hours,
        "log_beyond_remaining": law.pasal_hours,
        "log_izin_reason": law.pasal_breach,
    }
    return by_law.get(rule, RULES[rule].pasal)


def hours_done(records: Sequence[DayRecord]) -> float:
    return float(sum(r.hours for r in records))


def check_entry(
    terms: Terms,
    records: Sequence[DayRecord],
    entry: DayRecord,
    *,
    today: date,
    completed: bool = False,
) -> list[Refusal]:
    """Every rule the entry breaks (empty: it may be recorded). Nothing is changed here."""
    law = law_of(terms.sentence)
    out: list[Refusal] = []
    day = entry.day.isoformat()

    def refuse(rule: str, field: str, value: object, detail_id: str, detail_en: str) -> None:
        out.append(Refusal(rule, _pasal(rule, law), field, value, detail_id, detail_en))

    if entry.outcome not in OUTCOMES:
        raise ValueError(f"outcome {entry.outcome!r}: one of {', '.join(OUTCOMES)}")
    done = hours_done(records)
    remaining = terms.hours - done
    if completed or remaining <= 0:
        refuse(
            "log_after_completion",
            "date",
            day,
            f"{done:g} dari {terms.hours:g} jam sudah selesai",
            f"{done:g} of {terms.hours:g} hours are done",
        )
    if entry.day > today:
        refuse("log_in_future", "date", day, f"hari ini {today}", f"today is {today}")
    if entry.day < terms.start:
        refuse(
            "log_before_start",
            "date",
            day,
            f"mulai {terms.start.isoformat()}",
            f"the start is {terms.start.isoformat()}",
        )
    elif entry.day > terms.deadline:
        refuse(
            "log_after_deadline",
            "date",
            day,
            f"tenggat {terms.deadline.isoformat()}",
            f"the deadline is {terms.deadline.isoformat()}",
        )
    else:
        allowed = hours_allowed(terms, entry.day)
        if allowed <= 0:
            reason = why_not(terms, entry.day)
            refuse("log_not_scheduled", "date", day, f"{day}: {reason}", f"{day}: {reason}")
        elif entry.hours > allowed:
            refuse(
                "log_over_day_limit",
                "hours",
                entry.hours,
                f"paling banyak {allowed} jam pada {day}",
                f"at most {allowed} hours on {day}",
            )
    if any(r.day == entry.day for r in records):
        refuse("log_day_recorded", "date", day, day, day)
    if entry.outcome == "hadir" and entry.hours <= 0:
        refuse("log_hours_outcome", "hours", entry.hours, "hadir perlu jam > 0", "hadir needs > 0")
    if entry.outcome not in WITH_HOURS and entry.hours > 0:
        refuse(
            "log_hours_outcome",
            "hours",
            entry.hours,
            f"{entry.outcome} tidak mendapat jam",
            f"{entry.outcome} earns no hours",
        )
    if entry.outcome == "izin" and entry.reason not in IZIN_REASONS:
        refuse(
            "log_izin_reason",
            "reason",
            entry.reason,
            f"alasan: {', '.join(IZIN_REASONS)}",
            f"reasons: {', '.join(IZIN_REASONS)}",
        )
    if entry.hours > 0 and remaining > 0 and entry.hours > remaining + 1e-9:
        refuse(
            "log_beyond_remaining",
            "hours",
            entry.hours,
            f"sisa {remaining:g} jam",
            f"{remaining:g} hours remain",
        )
    return out


@dataclass(frozen=True, slots=True)
class Step:
    """One step of the warning ladder reached: the ``count``-th mangkir on ``day``.

    ``kind`` is ``peringatan`` (written warning ``number``), ``pelanggaran`` (breach notice to the
    jaksa) or ``catat`` (recorded only).
    """

    count: int
    day: date
    kind: str
    number: int


def ladder_steps(records: Sequence[DayRecord], ladder: Sequence[str]) -> list[Step]:
    """The steps the mangkir days reach, in order (after the last step, the last repeats)."""
    steps: list[Step] = []
    warnings = 0
    for k, r in enumerate(sorted((r for r in records if r.outcome == "mangkir"), key=_day), 1):
        kind = ladder[min(k, len(ladder)) - 1]
        if kind == "peringatan":
            warnings += 1
        steps.append(Step(k, r.day, kind, warnings if kind == "peringatan" else 0))
    return steps


def _day(r: DayRecord) -> date:
    return r.day


@dataclass(frozen=True, slots=True)
class State:
    """Where the order stands on ``as_of``."""

    as_of: date
    hours_done: float
    remaining: float
    counts: dict[str, int]
    steps: tuple[Step, ...]
    breach: Step | None
    done: bool
    calendar: WorkCalendar

    @property
    def status(self) -> str:
        """``selesai`` (every hour done), ``pelanggaran`` (breach notice due) or ``berjalan``."""
        if self.done:
            return "selesai"
        return "pelanggaran" if self.breach is not None else "berjalan"


def state(
    terms: Terms, records: Sequence[DayRecord], ladder: Sequence[str], *, as_of: date
) -> State:
    """The record replayed: hours, outcome counts, ladder steps, breach, and the calendar from the
    day after ``as_of`` (or ``as_of`` itself when it has no record yet), with the day the
    remaining hours first stopped fitting."""
    recs = sorted(records, key=_day)
    done = hours_done(recs)
    counts = {o: sum(1 for r in recs if r.outcome == o) for o in OUTCOMES}
    steps = ladder_steps(recs, ladder)
    breach = next((s for s in steps if s.kind == "pelanggaran"), None)
    recorded = {r.day for r in recs}
    start_from = as_of if as_of not in recorded else as_of + timedelta(days=1)
    since = _short_since(terms, recs, start_from)
    cal = schedule(terms, from_day=start_from, hours_done=done, recorded=recorded, since=since)
    return State(
        as_of=as_of,
        hours_done=done,
        remaining=max(terms.hours - done, 0.0),
        counts=counts,
        steps=tuple(steps),
        breach=breach,
        done=done >= terms.hours,
        calendar=cal,
    )


def _short_since(terms: Terms, recs: Sequence[DayRecord], until: date) -> date | None:
    """The first recorded day after which the remaining hours no longer fit (None: they fit
    until the last record, so the shortfall, if any, starts at ``until``)."""
    if terms.hours > capacity(terms, terms.start) and until > terms.start:
        return terms.start
    done = 0.0
    taken: set[date] = set()
    for r in recs:
        if r.day >= until:
            break
        done += r.hours
        taken.add(r.day)
        if terms.hours - done > capacity(terms, r.day + timedelta(days=1), skip=taken) + 1e-9:
            return r.day
    return None
