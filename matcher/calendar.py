"""The work calendar of a placement: the dates and hours that finish the order by its deadline.

A day is a working day when all hold (each is a rule a person can read in ``matcher.rules``):

* it lies from the start (the later of the placement's confirmation and the verdict's
  ``start_date``) to the ``deadline``, inclusive;
* its weekday is one of the client's available days and one of the site's open days;
* it is not an Indonesian public holiday (the ``holidays`` package, as ``matcher.workdays``);
* for a child (``pelayanan_masyarakat``), it is not a school day, unless the children's policy
  allows hours after school (then at most that many hours).

A working day holds at most ``day_limit`` hours: the verdict's hours a day, the site's, and for
a child the children's policy cap. The calendar puts the remaining hours on the earliest working
days ("as soon as possible", so that a missed day leaves the most room to catch up) and is
recomputed from the attendance record: hours done are subtracted, days already recorded are
skipped. When the remaining hours no longer fit before the deadline, the calendar carries a
**shortfall**: the hours short, and the advice a PK can act on (work on a day the site is open but
the client is not yet available, e.g. "tambah 2 hari Sabtu", or ask for an extension).

Pure: dates in, dataclasses out; no files, no clock (``as_of`` is always given).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

from matcher.arrays import day_limit, work_days
from matcher.law import law_of
from matcher.model import Client, Site
from matcher.policy import Policy
from matcher.vocab import WEEKDAYS

DAY_NAMES_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
DAY_NAMES_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@lru_cache(maxsize=32)
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("ID", years=year))


def is_holiday(day: date) -> bool:
    """An Indonesian public holiday (the same source as ``matcher.workdays``)."""
    return day in _holidays(day.year)


def holiday_name(day: date) -> str:
    """The holiday's Indonesian name (empty when ``day`` is none)."""
    return str(holidays.country_holidays("ID", years=day.year, language="id").get(day) or "")


@dataclass(frozen=True, slots=True)
class Terms:
    """What decides the calendar of one placement.

    Attributes
    ----------
    hours:
        Hours ordered (less those done at an earlier placement of the same order).
    start, deadline:
        The first and the last day work may be done (inclusive).
    client_days, site_days:
        Weekdays (``mon``..``sun``) the client may work (a child: outside school unless the
        policy allows after-school hours) and the site is open.
    day_limit:
        Hours a working day holds: min(verdict, site, a child's policy cap).
    school_days, school_day_limit:
        A child's school days and the hours allowed on them (0: none; then they are not in
        ``client_days`` at all).
    sentence:
        The order's type (``matcher.law``), for citations.
    """

    hours: float
    start: date
    deadline: date
    client_days: frozenset[str]
    site_days: frozenset[str]
    day_limit: int
    school_days: frozenset[str] = frozenset()
    school_day_limit: int = 0
    sentence: str = "kerja_sosial"


def terms_for(client: Client, site: Site, policy: Policy, confirmed: date) -> Terms:
    """The calendar terms of ``client`` at ``site``, confirmed on ``confirmed``."""
    limit = min(day_limit(client, policy), site.hours_per_day)
    school_limit = 0
    if client.is_child and policy.children.after_school_hours:
        school_limit = min(limit, policy.children.after_school_hours)
    return Terms(
        hours=client.hours,
        start=max(confirmed, client.start_date),
        deadline=client.deadline,
        client_days=work_days(client, policy),
        site_days=site.open_days,
        day_limit=limit,
        school_days=client.school_days if client.is_child else frozenset(),
        school_day_limit=school_limit,
        sentence=client.sentence,
    )


def hours_allowed(terms: Terms, day: date) -> int:
    """Hours the calendar allows on ``day`` (0: not a working day)."""
    if not terms.start <= day <= terms.deadline:
        return 0
    wd = WEEKDAYS[day.weekday()]
    if wd not in terms.client_days or wd not in terms.site_days or is_holiday(day):
        return 0
    if wd in terms.school_days:
        return terms.school_day_limit
    return terms.day_limit


def why_not(terms: Terms, day: date) -> str:
    """Why ``day`` is not a working day, in Indonesian (empty when it is one)."""
    wd = WEEKDAYS[day.weekday()]
    name = DAY_NAMES_ID[day.weekday()]
    if day < terms.start:
        return f"sebelum mulai {terms.start.isoformat()}"
    if day > terms.deadline:
        return f"setelah tenggat {terms.deadline.isoformat()}"
    if is_holiday(day):
        return f"hari libur nasional ({holiday_name(day)})"
    if wd in terms.school_days and not terms.school_day_limit:
        return f"hari sekolah Anak ({name})"
    if wd not in terms.client_days:
        return f"klien tidak tersedia hari {name}"
    if wd not in terms.site_days:
        return f"lokasi tutup hari {name}"
    return ""


def _days(start: date, end: date) -> Iterator[date]:
    for k in range((end - start).days + 1):
        yield start + timedelta(days=k)


@dataclass(frozen=True, slots=True)
class Slot:
    """One scheduled day and its hours."""

    day: date
    hours: int


@dataclass(frozen=True, slots=True)
class Shortfall:
    """The remaining hours do not fit before the deadline.

    ``extra_weekday``/``extra_days``: a weekday the site is open but the client is not (yet)
    available, and how many such days before the deadline would close the gap (None when no such
    weekday would); ``since``: the first day the record left the order short.
    """

    hours: float
    extra_weekday: str | None
    extra_days: int | None
    since: date | None

    @property
    def message_id(self) -> str:
        h = f"{self.hours:g}"
        if self.extra_weekday is not None and self.extra_days:
            day = DAY_NAMES_ID[WEEKDAYS.index(self.extra_weekday)]
            return f"kurang {h} jam: tambah {self.extra_days} hari {day} atau ajukan perpanjangan"
        return f"kurang {h} jam: ajukan perpanjangan"

    @property
    def message_en(self) -> str:
        h = f"{self.hours:g}"
        if self.extra_weekday is not None and self.extra_days:
            day = DAY_NAMES_EN[WEEKDAYS.index(self.extra_weekday)]
            return (
                f"{h} hours short: add {self.extra_days} {day}"
                f"{'s' if self.extra_days != 1 else ''} or ask for an extension"
            )
        return f"{h} hours short: ask for an extension"


@dataclass(frozen=True, slots=True)
class WorkCalendar:
    """The schedule from ``from_day`` for the hours still to do.

    ``slots`` sum to ``min(remaining, capacity)``; ``finishes`` is the last slot's day when every
    remaining hour is scheduled (None otherwise, or when nothing remains).
    """

    terms: Terms
    from_day: date
    hours_done: float
    remaining: float
    capacity: int
    slots: tuple[Slot, ...]
    finishes: date | None
    shortfall: Shortfall | None

    @property
    def fits(self) -> bool:
        return self.shortfall is None


def capacity(terms: Terms, from_day: date, *, skip: Iterable[date] = ()) -> int:
    """Hours the working days from ``from_day`` to the deadline hold (``skip``: days taken)."""
    taken = set(skip)
    return sum(
        hours_allowed(terms, d)
        for d in _days(max(from_day, terms.start), terms.deadline)
        if d not in taken
    )


def _extra(terms: Terms, from_day: date, short: float) -> tuple[str | None, int | None]:
    """A weekday the site is open but the client is not, whose days would cover ``short``."""
    per_day = terms.day_limit
    need = math.ceil(short / per_day)
    # the weekend first: a client's missing weekdays are usually his livelihood (Pasal 85(5))
    prefer = ("sat", "sun", "mon", "tue", "wed", "thu", "fri")
    for wd in sorted(terms.site_days - terms.client_days - terms.school_days, key=prefer.index):
        free = sum(
            1
            for d in _days(max(from_day, terms.start), terms.deadline)
            if WEEKDAYS[d.weekday()] == wd and not is_holiday(d)
        )
        if free >= need:
            return wd, need
    return None, None


def schedule(
    terms: Terms,
    *,
    from_day: date,
    hours_done: float = 0.0,
    recorded: Iterable[date] = (),
    since: date | None = None,
) -> WorkCalendar:
    """The remaining hours on the earliest working days from ``from_day`` (recorded days skipped).

    Hours are whole on the calendar (the verdict's hours a day are whole); a fractional remainder
    (a part day logged) is rounded up on the last slot's day, capped by the day's limit.
    """
    remaining = max(terms.hours - hours_done, 0.0)
    taken = set(recorded)
    slots: list[Slot] = []
    left = math.ceil(remaining - 1e-9)
    total = 0
    for d in _days(max(from_day, terms.start), terms.deadline):
        if d in taken:
            continue
        h = hours_allowed(terms, d)
        if h <= 0:
            continue
        total += h
        if left > 0:
            take = min(h, left)
            slots.append(Slot(d, take))
            left -= take
    shortfall = None
    if remaining > total + 1e-9:
        short = round(remaining - total, 2)
        wd, n = _extra(terms, from_day, short)
        shortfall = Shortfall(short, wd, n, since or from_day)
    finishes = slots[-1].day if slots and shortfall is None else None
    return WorkCalendar(
        terms=terms,
        from_day=from_day,
        hours_done=hours_done,
        remaining=remaining,
        capacity=total,
        slots=tuple(slots),
        finishes=finishes,
        shortfall=shortfall,
    )


def pasal_of_period(terms: Terms) -> str:
    """The law that sets the order's period (for the shortfall's citation)."""
    return law_of(terms.sentence).pasal_period
