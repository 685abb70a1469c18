"""A child's order (pidana pelayanan masyarakat, UU No. 11 Tahun 2012): validated by its own law,
every error citing it; an adult's order keeps the KUHP's limits."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest
from builders import client_record

from matcher.law import KERJA_SOSIAL, PELAYANAN_MASYARAKAT, law_of
from matcher.policy import PolicyError, policy_with
from matcher.validate import parse_client


def child(**values: Any) -> dict[str, Any]:
    return client_record(**{"sentence": "pelayanan_masyarakat", "age": 15, **values})


def rules(values: dict[str, Any]) -> dict[str, str]:
    c, problems = parse_client(values, "clients.csv row 2")
    assert (c is None) == bool(problems)
    return {p.field: p.rule for p in problems}


@pytest.mark.parametrize("hours", [7, 8, 120])
def test_a_child_order_of_7_to_120_hours_is_accepted(hours: int) -> None:
    """7 and 120 hours are the inclusive limits of Pasal 76(3) SPPA."""
    c, problems = parse_client(child(hours=hours), "x")
    assert problems == [] and c is not None
    assert c.is_child and c.sentence == "pelayanan_masyarakat" and c.hours == hours


@pytest.mark.parametrize("hours", [6, 121])
def test_a_child_order_outside_7_to_120_hours_cites_pasal_76(hours: int) -> None:
    """6 and 121 hours are refused citing Pasal 76(3) UU No. 11 Tahun 2012, not the KUHP."""
    rule = rules(child(hours=hours))["hours"]
    assert "Pasal 76(3) UU No. 11 Tahun 2012" in rule and "85" not in rule


@pytest.mark.parametrize(("hours", "ok"), [(7, False), (8, True), (240, True), (241, False)])
def test_an_adult_order_keeps_the_kuhp_limits(hours: int, ok: bool) -> None:
    """kerja_sosial (the default) is 8-240 hours (Pasal 85(4) KUHP): 7 is too few for an adult."""
    found = rules(client_record(hours=hours))
    assert ("hours" not in found) == ok
    if not ok:
        assert "85(4)" in found["hours"]


@pytest.mark.parametrize(("age", "ok"), [(11, False), (12, True), (17, True), (18, False)])
def test_a_child_is_12_to_under_18_at_the_offence(age: int, ok: bool) -> None:
    found = rules(child(age=age))
    assert ("age" not in found) == ok
    if not ok:
        assert "Pasal 1 angka 3 UU No. 11 Tahun 2012" in found["age"]


def test_a_child_order_needs_the_age() -> None:
    values = child()
    del values["age"]
    assert "12 to under 18" in rules(values)["age"]


def test_an_adult_order_for_a_child_cites_the_sppa() -> None:
    """kerja sosial for a 16-year-old is refused: a child's order is pelayanan masyarakat."""
    assert "pelayanan masyarakat" in rules(client_record(age=16))["age"]
    assert rules(client_record(age=18)) == {}


def test_unknown_sentence_is_an_error_naming_the_allowed_values() -> None:
    assert (
        "kerja_sosial, pelayanan_masyarakat" in rules(client_record(sentence="penjara"))["sentence"]
    )


def test_the_kuhp_period_and_pasal_85_1_do_not_bind_a_child() -> None:
    """A child's period is the verdict's (no 6-month limit of 85(5)); 85(1)'s gate is kerja
    sosial's, not a child's."""
    values = child(deadline="2027-02-26", threatened_max_years=7, imposed_prison_months=12)
    assert rules(values) == {}
    adult = client_record(deadline="2027-02-26", threatened_max_years=7)
    assert set(rules(adult)) == {"deadline", "threatened_max_years"}


def test_school_days_are_read_from_csv_and_json() -> None:
    c, _ = parse_client(child(school_days="mon;tue;wed"), "x")
    assert c is not None and c.school_days == frozenset({"mon", "tue", "wed"})
    c, _ = parse_client(child(school_days=["thu"]), "x")
    assert c is not None and c.school_days == frozenset({"thu"})
    assert "unknown value" in rules(child(school_days="senin"))["school_days"]


def test_the_laws_are_in_one_place_with_their_citations() -> None:
    assert (KERJA_SOSIAL.hours_min, KERJA_SOSIAL.hours_max) == (8, 240)
    assert (PELAYANAN_MASYARAKAT.hours_min, PELAYANAN_MASYARAKAT.hours_max) == (7, 120)
    assert law_of("") is KERJA_SOSIAL
    assert "85(7)" in KERJA_SOSIAL.pasal_breach and len(KERJA_SOSIAL.options_id) == 3
    assert "76(2)" in PELAYANAN_MASYARAKAT.pasal_breach


def test_the_children_policy_is_overridable_and_checked() -> None:
    p = policy_with(tomllib.loads("[children]\nafter_school_hours = 2\n"))
    assert p.children.after_school_hours == 2 and p.children.max_hours_per_day == 4
    with pytest.raises(PolicyError, match="lava"):
        policy_with(tomllib.loads('[children]\nforbidden_hazards = ["lava"]\n'))
    ladder = policy_with(tomllib.loads('[attendance]\nladder = ["peringatan", "pelanggaran"]\n'))
    assert ladder.ladder == ("peringatan", "pelanggaran")
    with pytest.raises(PolicyError, match="penjara"):
        policy_with(tomllib.loads('[attendance]\nladder = ["penjara"]\n'))


def test_the_generator_appends_children_without_moving_any_adult() -> None:
    """A few children come from their own stream after the adults: every adult record is the
    same as without children, and every child is a valid SPPA order."""
    from matcher.planning.synthetic import generate_district

    plain = generate_district(clients=40, sites=12, seed=5)
    kids = generate_district(clients=40, sites=12, seed=5, children=4)
    assert kids.clients[:40] == plain.clients
    assert [{k: v for k, v in s.items() if k != "child_suitable"} for s in kids.sites] == (
        plain.sites
    )
    assert any(s["child_suitable"] for s in kids.sites)
    for rec in kids.clients[40:]:
        c, problems = parse_client(rec, rec["client_id"])
        assert problems == [] and c is not None and c.is_child
        assert 12 <= (c.age or 0) < 18 and 7 <= c.hours <= 120
        assert not c.available_days & c.school_days
