"""The work calendar: never a holiday, a closed day or more than the day's limit; finishes by the
deadline whenever it says it fits; the shortfall is exactly what does not fit, with advice."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
from builders import client, policy, site
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.calendar import Terms, capacity, hours_allowed, schedule, terms_for, why_not
from matcher.vocab import WEEKDAYS

ID_HOLIDAYS = holidays.country_holidays("ID", years=range(2025, 2029))
DAYS = st.frozensets(st.sampled_from(WEEKDAYS), min_size=1)


@st.composite
def terms(draw: st.DrawFn) -> Terms:
    start = draw(st.dates(date(2025, 1, 1), date(2027, 12, 31)))
    deadline = start + timedelta(days=draw(st.integers(0, 183)))
    school = draw(st.frozensets(st.sampled_from(WEEKDAYS)))
    limit = draw(st.integers(1, 8))
    return Terms(
        hours=draw(st.integers(1, 240)),
        start=start,
        deadline=deadline,
        client_days=draw(DAYS),
        site_days=draw(DAYS),
        day_limit=limit,
        school_days=school,
        school_day_limit=draw(st.integers(0, limit)),
    )


def limit_on(t: Terms, d: date) -> int:
    """An independent reading of the rules for one day (the holidays package directly)."""
    wd = WEEKDAYS[d.weekday()]
    if not t.start <= d <= t.deadline or d in ID_HOLIDAYS:
        return 0
    if wd not in t.client_days or wd not in t.site_days:
        return 0
    return t.school_day_limit if wd in t.school_days else t.day_limit


@settings(max_examples=150, deadline=None)
@given(terms(), st.integers(0, 60), st.floats(0, 60))
def test_a_calendar_keeps_every_rule_and_finishes_when_it_says_so(
    t: Terms, offset: int, done: float
) -> None:
    """No holiday, no day the client or the site does not work, never more than the day's limit,
    nothing outside start..deadline; when it fits, every remaining hour is scheduled and the last
    day is on or before the deadline; when it does not, the shortfall is what the days lack."""
    from_day = t.start + timedelta(days=offset)
    cal = schedule(t, from_day=from_day, hours_done=done)
    for slot in cal.slots:
        assert slot.day not in ID_HOLIDAYS
        assert WEEKDAYS[slot.day.weekday()] in t.client_days & t.site_days
        assert 0 < slot.hours <= limit_on(t, slot.day)
        assert max(t.start, from_day) <= slot.day <= t.deadline
    days = [s.day for s in cal.slots]
    assert days == sorted(set(days))
    cap = sum(limit_on(t, max(t.start, from_day) + timedelta(days=k)) for k in range(200))
    assert cal.capacity == cap
    scheduled = sum(s.hours for s in cal.slots)
    if cal.fits:
        assert scheduled >= cal.remaining - 1e-9
        assert scheduled < cal.remaining + 1  # whole hours: at most the part hour rounded up
        if cal.slots:
            assert cal.finishes == cal.slots[-1].day and cal.finishes <= t.deadline
    else:
        assert cal.shortfall is not None and cal.finishes is None
        assert scheduled == cap
        assert abs(cal.shortfall.hours - (cal.remaining - cap)) <= 0.005 + 1e-9  # 2 decimals


@settings(max_examples=100, deadline=None)
@given(terms(), st.dates(date(2025, 1, 1), date(2028, 6, 30)))
def test_hours_allowed_agrees_with_an_independent_reading(t: Terms, d: date) -> None:
    assert hours_allowed(t, d) == limit_on(t, d)
    assert (why_not(t, d) == "") == (limit_on(t, d) > 0)


MWF = frozenset({"mon", "wed", "fri"})
SIX = frozenset({"mon", "tue", "wed", "thu", "fri", "sat"})


def test_the_shortfall_names_the_hours_and_a_saturday_remedy() -> None:
    """52 hours at 4 h on Monday, Wednesday, Friday from 4 to 29 January 2027: 12 days hold
    48 hours; the site is open on Saturdays: 'kurang 4 jam: tambah 1 hari Sabtu atau ...'."""
    t = Terms(52, date(2027, 1, 4), date(2027, 1, 29), MWF, SIX, 4)
    cal = schedule(t, from_day=t.start)
    assert cal.capacity == 48
    assert cal.shortfall is not None
    assert cal.shortfall.message_id == "kurang 4 jam: tambah 1 hari Sabtu atau ajukan perpanjangan"
    assert cal.shortfall.message_en == "4 hours short: add 1 Saturday or ask for an extension"


def test_without_a_spare_day_the_only_advice_is_an_extension() -> None:
    t = Terms(52, date(2027, 1, 4), date(2027, 1, 29), MWF, MWF, 4)
    cal = schedule(t, from_day=t.start)
    assert cal.shortfall is not None
    assert cal.shortfall.message_id == "kurang 4 jam: ajukan perpanjangan"


def test_holidays_are_skipped_and_named() -> None:
    """Christmas Day 2026 is a Friday: skipped, and named in Indonesian."""
    t = Terms(16, date(2026, 12, 21), date(2026, 12, 31), MWF, SIX, 4)
    cal = schedule(t, from_day=t.start)
    assert [s.day.day for s in cal.slots] == [21, 23, 28, 30]
    assert "Natal" in why_not(t, date(2026, 12, 25))


def test_recorded_days_are_skipped_and_hours_done_subtracted() -> None:
    t = Terms(16, date(2027, 1, 4), date(2027, 1, 31), MWF, SIX, 4)
    cal = schedule(t, from_day=t.start, hours_done=4, recorded=[date(2027, 1, 4)])
    assert cal.remaining == 12
    assert [s.day.day for s in cal.slots] == [6, 8, 11]
    assert capacity(t, t.start, skip=[date(2027, 1, 4)]) == capacity(t, t.start) - 4


def test_terms_take_the_smallest_day_and_a_childs_school() -> None:
    """min(verdict, site, children's cap); a child's school days are off the calendar."""
    adult = client(hours_per_day=6, available_days=SIX)
    s = site(hours_per_day=5, open_days=SIX)
    t = terms_for(adult, s, policy(), date(2026, 3, 10))
    assert t.day_limit == 5 and t.start == date(2026, 3, 10)
    kid = client(
        sentence="pelayanan_masyarakat",
        age=14,
        hours_per_day=6,
        available_days=SIX,
        school_days=frozenset({"mon", "tue", "wed", "thu", "fri"}),
    )
    tk = terms_for(kid, s, policy(), date(2026, 3, 1))
    assert tk.day_limit == 4 and tk.client_days == frozenset({"sat"})
    assert all(sl.day.weekday() == 5 for sl in schedule(tk, from_day=tk.start).slots)
