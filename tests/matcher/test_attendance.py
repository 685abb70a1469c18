"""Attendance: each refusal rule satisfied and violated (with its Pasal), the warning ladder, the
breach and completion states; two walks from confirmation: one to a breach notice, one to the
completion statement."""

from __future__ import annotations

from datetime import date

import pytest

from matcher.attendance import DayRecord, check_entry, ladder_steps, state
from matcher.calendar import Terms

MWF = frozenset({"mon", "wed", "fri"})
SIX = frozenset({"mon", "tue", "wed", "thu", "fri", "sat"})
# 16 hours, 4 h a day, Monday/Wednesday/Friday, 4 January to 26 February 2027
T = Terms(16, date(2027, 1, 4), date(2027, 2, 26), MWF, SIX, 4)
CHILD = Terms(
    16,
    date(2027, 1, 4),
    date(2027, 2, 26),
    frozenset({"sat"}),
    SIX,
    3,
    sentence="pelayanan_masyarakat",
)
TODAY = date(2027, 3, 1)
MON, TUE, WED = date(2027, 1, 4), date(2027, 1, 5), date(2027, 1, 6)


def broken(entry: DayRecord, records: tuple[DayRecord, ...] = (), terms: Terms = T, **kw: object):
    return {r.rule: r for r in check_entry(terms, records, entry, today=TODAY, **kw)}  # type: ignore[arg-type]


# rule: (a satisfying entry, a breaking entry, records before, the expected Pasal)
CASES = {
    "log_not_scheduled": (
        DayRecord(MON, "hadir", 4),
        DayRecord(TUE, "hadir", 4),  # the client works Mon/Wed/Fri
        (),
        "Pasal 85(5)-(6) KUHP",
    ),
    "log_over_day_limit": (
        DayRecord(MON, "hadir", 4),
        DayRecord(MON, "hadir", 5),
        (),
        "Pasal 85(5)-(6) KUHP",
    ),
    "log_before_start": (
        DayRecord(MON, "hadir", 4),
        DayRecord(date(2027, 1, 1), "hadir", 4),
        (),
        "Pasal 85(5) KUHP",
    ),
    "log_after_deadline": (
        DayRecord(date(2027, 2, 26), "hadir", 4),
        DayRecord(date(2027, 3, 1), "hadir", 4),
        (),
        "Pasal 85(5) KUHP",
    ),
    "log_beyond_remaining": (
        DayRecord(date(2027, 1, 13), "hadir", 1),
        DayRecord(date(2027, 1, 13), "hadir", 4),
        (
            *(DayRecord(date(2027, 1, d), "hadir", 4) for d in (4, 6, 8)),
            DayRecord(date(2027, 1, 11), "hadir", 3),
        ),
        "Pasal 85(4) KUHP",
    ),
    "log_after_completion": (
        DayRecord(date(2027, 1, 13), "hadir", 4),
        DayRecord(date(2027, 1, 13), "hadir", 4),
        tuple(DayRecord(date(2027, 1, d), "hadir", 4) for d in (4, 6, 8, 11)),
        "Pasal 85(4) KUHP",
    ),
    "log_in_future": (
        DayRecord(MON, "hadir", 4),
        DayRecord(date(2027, 2, 26), "hadir", 4),
        (),
        "",
    ),
    "log_day_recorded": (
        DayRecord(WED, "hadir", 4),
        DayRecord(MON, "hadir", 4),
        (DayRecord(MON, "mangkir"),),
        "",
    ),
    "log_hours_outcome": (
        DayRecord(MON, "mangkir"),
        DayRecord(MON, "mangkir", 2),
        (),
        "",
    ),
    "log_izin_reason": (
        DayRecord(MON, "izin", reason="sakit"),
        DayRecord(MON, "izin", reason="malas"),
        (),
        "Pasal 85(7) KUHP",
    ),
}


@pytest.mark.parametrize("rule", CASES)
def test_each_rule_is_satisfied_and_violated_with_its_pasal(rule: str) -> None:
    ok, bad, before, pasal = CASES[rule]
    today = date(2027, 2, 1) if rule == "log_in_future" else TODAY
    good = check_entry(T, before[:2] if rule == "log_after_completion" else before, ok, today=today)
    assert rule not in {r.rule for r in good}
    found = {r.rule: r for r in check_entry(T, before, bad, today=today)}
    assert rule in found
    assert found[rule].pasal == pasal
    if pasal:
        assert pasal in found[rule].message_id and pasal in found[rule].message_en


def test_a_holiday_is_refused_with_its_name() -> None:
    """Friday 26 March 2027 is Good Friday (Wafat Yesus Kristus): not a working day."""
    t = Terms(40, date(2027, 3, 1), date(2027, 4, 30), MWF, SIX, 4)
    (r,) = check_entry(t, (), DayRecord(date(2027, 3, 26), "hadir", 4), today=date(2027, 4, 1))
    assert r.rule == "log_not_scheduled" and "libur nasional" in r.message_id


def test_a_childs_refusal_cites_the_sppa() -> None:
    """A child's order cites its own law: 76(3) SPPA for the hours, not 85(4) KUHP."""
    saturdays = [date(2027, 1, d) for d in (9, 16, 23, 30)] + [date(2027, 2, 6)]
    before = tuple(DayRecord(d, "hadir", 3) for d in saturdays)
    found = broken(DayRecord(date(2027, 2, 13), "hadir", 3), before, CHILD)
    assert found["log_beyond_remaining"].pasal == "Pasal 76(3) UU No. 11 Tahun 2012"
    assert "85" not in found["log_beyond_remaining"].message_id
    assert "log_not_scheduled" in broken(DayRecord(MON, "hadir", 3), (), CHILD)


def test_the_ladder_repeats_its_last_step_and_is_data() -> None:
    recs = [DayRecord(date(2027, 1, d), "mangkir") for d in (4, 6, 8, 11)]
    kinds = [
        (s.kind, s.number) for s in ladder_steps(recs, ("peringatan", "peringatan", "pelanggaran"))
    ]
    assert kinds == [("peringatan", 1), ("peringatan", 2), ("pelanggaran", 0), ("pelanggaran", 0)]
    assert [s.kind for s in ladder_steps(recs, ("catat", "peringatan"))] == [
        "catat",
        "peringatan",
        "peringatan",
        "peringatan",
    ]
    izin = [DayRecord(MON, "izin", reason="sakit"), DayRecord(WED, "dibatalkan")]
    assert ladder_steps(izin, ("peringatan",)) == []


def test_walk_confirm_two_mangkir_warning_breach() -> None:
    """Confirmed 4 January; works Monday; mangkir Wednesday (written warning 1); izin sakit
    Friday (no step); mangkir Monday 11th (with the ladder peringatan, pelanggaran: the breach).
    The state says pelanggaran, counts every outcome, and the calendar is recomputed from the
    record."""
    ladder = ("peringatan", "pelanggaran")
    recs: list[DayRecord] = []
    for entry in (
        DayRecord(MON, "hadir", 4),
        DayRecord(WED, "mangkir"),
        DayRecord(date(2027, 1, 8), "izin", reason="sakit"),
        DayRecord(date(2027, 1, 11), "mangkir"),
    ):
        assert check_entry(T, recs, entry, today=entry.day) == []
        recs.append(entry)
        st = state(T, recs, ladder, as_of=entry.day)
        if entry.day == WED:
            assert [(s.kind, s.number) for s in st.steps] == [("peringatan", 1)]
            assert st.status == "berjalan"
    assert st.status == "pelanggaran"
    assert st.breach is not None and st.breach.day == date(2027, 1, 11) and st.breach.count == 2
    assert st.counts == {"hadir": 1, "izin": 1, "mangkir": 2, "dipulangkan": 0, "dibatalkan": 0}
    assert st.hours_done == 4 and st.remaining == 12
    assert [s.day for s in st.calendar.slots] == [
        date(2027, 1, 13),
        date(2027, 1, 15),
        date(2027, 1, 18),
    ]


def test_walk_confirm_to_completion() -> None:
    """Four Monday/Wednesday/Friday days of 4 hours: done; nothing more may be logged."""
    recs: list[DayRecord] = []
    for d in (4, 6, 8, 11):
        entry = DayRecord(date(2027, 1, d), "hadir", 4)
        assert check_entry(T, recs, entry, today=entry.day) == []
        recs.append(entry)
    st = state(T, recs, ("peringatan", "peringatan", "pelanggaran"), as_of=date(2027, 1, 11))
    assert st.done and st.status == "selesai" and st.remaining == 0
    assert st.calendar.slots == () and st.calendar.fits
    more = check_entry(T, recs, DayRecord(date(2027, 1, 13), "hadir", 4), today=TODAY)
    assert {r.rule for r in more} == {"log_after_completion"}


def test_the_shortfall_starts_the_day_the_hours_stop_fitting() -> None:
    """16 hours, 4 h on Mon/Wed/Fri from 15 to 22 February 2027 (4 working days: 16 hours,
    exactly): the first mangkir leaves the order short that very day."""
    t = Terms(16, date(2027, 2, 15), date(2027, 2, 22), MWF, MWF, 4)
    st = state(
        t, [DayRecord(date(2027, 2, 15), "hadir", 4)], ("peringatan",), as_of=date(2027, 2, 15)
    )
    assert st.calendar.fits
    recs = [DayRecord(date(2027, 2, 15), "hadir", 4), DayRecord(date(2027, 2, 17), "mangkir")]
    st = state(t, recs, ("peringatan",), as_of=date(2027, 2, 18))
    assert st.calendar.shortfall is not None
    assert st.calendar.shortfall.since == date(2027, 2, 17)
    assert st.calendar.shortfall.message_id == "kurang 4 jam: ajukan perpanjangan"
