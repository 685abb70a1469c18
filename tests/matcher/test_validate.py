"""Validation of raw records (Pasal 85 limits, vocabularies, coordinates, references) and the
policy loader. Every problem names its source, field, value and rule."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from builders import Record, client_record, site_record

from api.files.policy import read_policy
from matcher.model import ExclusionZone
from matcher.policy import PolicyError, default_policy
from matcher.validate import InputError, InputProblem, validate_inputs


def problems(
    sites: list[dict[str, Any]] | None = None, clients: list[dict[str, Any]] | None = None
) -> list[InputProblem]:
    """The problems validate_inputs raises for these records (sources 'sites.csv row N' and
    'clients.json item I'); fails the test when it raises none."""
    site_recs = [
        Record(f"sites.csv row {i + 2}", v) for i, v in enumerate(sites or [site_record()])
    ]
    client_recs = [
        Record(f"clients.json item {i}", v) for i, v in enumerate(clients or [client_record()])
    ]
    with pytest.raises(InputError) as err:
        validate_inputs(site_recs, client_recs)
    return err.value.problems


def only(found: list[InputProblem]) -> InputProblem:
    assert len(found) == 1, found
    return found[0]


def test_valid_records_parse() -> None:
    """The builders' records are valid: one site and one client come back, typed."""
    sites, clients = validate_inputs([Record("s", site_record())], [Record("c", client_record())])
    assert sites[0].open_days == frozenset({"mon", "tue", "wed", "thu", "fri"})
    assert clients[0].start_date == date(2026, 3, 2)
    assert clients[0].fitness == "moderate"  # the default


@pytest.mark.parametrize("hours", [7, 241, "7", "241"])
def test_total_hours_cite_85_4(hours: Any) -> None:
    """Hours outside 8-240 are refused citing Pasal 85(4), with source, field and value."""
    p = only(problems(clients=[client_record(hours=hours)]))
    assert (p.source, p.field, p.value) == ("clients.json item 0", "hours", int(hours))
    assert "85(4)" in p.rule
    assert "85(4)" in str(p) and "clients.json item 0" in str(p)


@pytest.mark.parametrize("hours", [8, 240])
def test_total_hours_bounds_are_allowed(hours: int) -> None:
    """8 and 240 hours are the inclusive limits of Pasal 85(4)."""
    validate_inputs([Record("s", site_record())], [Record("c", client_record(hours=hours))])


def test_hours_per_day_cite_85_5() -> None:
    """A client's and a site's 9 hours a day are both refused citing Pasal 85(5)."""
    found = problems(sites=[site_record(hours_per_day=9)], clients=[client_record(hours_per_day=9)])
    assert [(p.source, p.field, p.value) for p in found] == [
        ("sites.csv row 2", "hours_per_day", 9),
        ("clients.json item 0", "hours_per_day", 9),
    ]
    assert all("85(5)" in p.rule for p in found)


def test_deadline_over_six_months_cites_85_5() -> None:
    """A deadline more than 6 months after the start is refused citing Pasal 85(5), and the
    rule names the latest allowed date."""
    p = only(problems(clients=[client_record(start_date="2026-03-02", deadline="2026-09-03")]))
    assert (p.field, p.value) == ("deadline", "2026-09-03")
    assert "85(5)" in p.rule and "2026-09-02" in p.rule


@pytest.mark.parametrize(
    ("start", "latest", "too_late"),
    [
        ("2026-08-31", "2027-02-28", "2027-03-01"),  # clamped to February's end
        ("2027-08-31", "2028-02-29", "2028-03-01"),  # leap year
        ("2026-03-02", "2026-09-02", "2026-09-03"),
    ],
)
def test_six_months_clamp_to_month_end(start: str, latest: str, too_late: str) -> None:
    """Six months after 31 August is the last day of February: allowed; a day later is not."""
    _, clients = validate_inputs(
        [Record("s", site_record())],
        [Record("c", client_record(start_date=start, deadline=latest))],
    )
    assert clients[0].deadline == date.fromisoformat(latest)
    p = only(problems(clients=[client_record(start_date=start, deadline=too_late)]))
    assert (p.field, p.value) == ("deadline", too_late)


def test_deadline_before_start() -> None:
    """A deadline before the start date is refused."""
    p = only(problems(clients=[client_record(start_date="2026-03-02", deadline="2026-03-01")]))
    assert p.field == "deadline" and "before" in p.rule


@pytest.mark.parametrize(
    ("field", "value"),
    [("threatened_max_years", 5), ("imposed_prison_months", 7), ("imposed_fine_rp", 10_000_001)],
)
def test_court_order_eligibility_cites_85_1(field: str, value: int) -> None:
    """Optional court-order fields beyond Pasal 85(1)'s limits are refused citing 85(1)."""
    p = only(problems(clients=[client_record(**{field: value})]))
    assert (p.field, p.value) == (field, value)
    assert "85(1)" in p.rule


def test_unknown_offence_and_weekday() -> None:
    """An unknown offence category and an unknown weekday are named with their values and the
    allowed vocabulary."""
    found = problems(clients=[client_record(offence="murder", available_days="mon;funday")])
    by_field = {p.field: p for p in found}
    assert set(by_field) == {"offence", "available_days"}
    assert by_field["offence"].value == "murder"
    assert "property_theft" in by_field["offence"].rule
    assert by_field["available_days"].value == "funday"
    assert "mon" in by_field["available_days"].rule


@pytest.mark.parametrize(
    ("values", "field", "value"),
    [
        ({"lat": 95}, "lat", 95.0),
        ({"lat": "abc"}, "lat", "abc"),
        ({"lon": 200.5}, "lon", 200.5),
        ({"lat": "nan"}, "lat", "nan"),
        ({"lat": True}, "lat", True),
        ({"lat": 0, "lon": 0}, "lat,lon", (0.0, 0.0)),
    ],
)
def test_bad_coordinates(values: dict[str, Any], field: str, value: Any) -> None:
    """Out-of-range, non-numeric, non-finite, boolean and 0,0 coordinates are refused."""
    p = only(problems(sites=[site_record(**values)]))
    assert (p.source, p.field, p.value) == ("sites.csv row 2", field, value)


def test_duplicate_ids_name_the_first_occurrence() -> None:
    """A repeated site_id or client_id is refused, naming where the id first appeared."""
    found = problems(
        sites=[site_record(), site_record()],
        clients=[client_record(), client_record(client_id="k2"), client_record()],
    )
    assert [(p.source, p.field, p.value) for p in found] == [
        ("sites.csv row 3", "site_id", "s1"),
        ("clients.json item 2", "client_id", "k1"),
    ]
    assert "sites.csv row 2" in found[0].rule
    assert "clients.json item 0" in found[1].rule


def test_negative_capacity() -> None:
    """A negative capacity is refused (0 is allowed: a site without room)."""
    p = only(problems(sites=[site_record(capacity=-1)]))
    assert (p.field, p.value) == ("capacity", -1)
    validate_inputs([Record("s", site_record(capacity=0))], [Record("c", client_record())])


def test_references_must_name_something() -> None:
    """separate_from must name a client, fixed_site_id and current_site_id a site."""
    found = problems(
        clients=[
            client_record(separate_from=["nobody"], fixed_site_id="nowhere"),
            client_record(client_id="k2", current_site_id="gone"),
        ]
    )
    assert [(p.source, p.field, p.value) for p in found] == [
        ("clients.json item 0", "separate_from", "nobody"),
        ("clients.json item 0", "fixed_site_id", "nowhere"),
        ("clients.json item 1", "current_site_id", "gone"),
    ]
    assert all("names no" in p.rule for p in found)


def test_unknown_columns_are_ignored() -> None:
    """Columns outside the data contract are ignored (DESIGN.md), whatever their value."""
    sites, clients = validate_inputs(
        [Record("s", site_record(notes="pintu belakang", rating=[1, 2]))],
        [Record("c", client_record(nickname="Budi", risk=None))],
    )
    assert sites[0].site_id == "s1" and clients[0].client_id == "k1"


def test_separate_from_itself() -> None:
    """A client cannot be separated from itself."""
    p = only(problems(clients=[client_record(separate_from="k1")]))
    assert (p.field, p.value) == ("separate_from", "k1")


def test_input_error_carries_every_problem() -> None:
    """Problems in several records and fields come together in one InputError (nothing is
    returned), and its message lists each on its own line."""
    sites = [site_record(capacity=-2, open_days="mon;someday"), site_record(site_id="s2", lat=95)]
    clients = [
        client_record(hours=7, gender="x"),
        client_record(client_id="k2", hours_per_day=9, deadline="2027-01-01"),
    ]
    site_recs = [Record(f"sites.csv row {i + 2}", v) for i, v in enumerate(sites)]
    client_recs = [Record(f"clients.json item {i}", v) for i, v in enumerate(clients)]
    with pytest.raises(InputError) as err:
        validate_inputs(site_recs, client_recs)
    found = {(p.source, p.field) for p in err.value.problems}
    assert found == {
        ("sites.csv row 2", "capacity"),
        ("sites.csv row 2", "open_days"),
        ("sites.csv row 3", "lat"),
        ("clients.json item 0", "hours"),
        ("clients.json item 0", "gender"),
        ("clients.json item 1", "hours_per_day"),
        ("clients.json item 1", "deadline"),
    }
    assert len(str(err.value).splitlines()) == len(err.value.problems) == 7


def test_input_error_carries_reference_problems_with_the_others() -> None:
    """A dangling reference in one record is reported together with a bad value in another
    (the validator promises all problems at once)."""
    found = problems(
        clients=[client_record(hours=7), client_record(client_id="k2", separate_from=["nobody"])]
    )
    assert {(p.field, p.value) for p in found} == {("hours", 7), ("separate_from", "nobody")}


SITE_CSV = {
    "capacity": "3",
    "hours_per_day": "6",
    "approved": "true",
    "commercial": "FALSE",
    "lat": "-7.42",
    "lon": "109.23",
    "open_days": "mon;tue; wed",
    "population": "children;elderly",
    "hazards": "traffic",
    "work_types": "cleaning;gardening",
    "religion": "",
}
SITE_JSON = {
    "capacity": 3,
    "hours_per_day": 6,
    "approved": True,
    "commercial": False,
    "lat": -7.42,
    "lon": 109.23,
    "open_days": ["mon", "tue", "wed"],
    "population": ["children", "elderly"],
    "hazards": ["traffic"],
    "work_types": ["cleaning", "gardening"],
    "religion": None,
}
CLIENT_CSV = {
    "lat": "-7.41",
    "lon": "109.22",
    "hours": "40",
    "hours_per_day": "4.0",
    "age": "30",
    "available_days": "mon;wed;fri",
    "health": "epilepsy",
    "skills": "cleaning;cooking",
    "worship_site_consent": "true",
    "needs_female_supervisor": "false",
    "max_travel_km": "12.5",
    "exclusion_zones": "-7.4,109.2,1.5;-7.5,109.3,2",
    "separate_from": "k2",
    "fixed_site_id": "",
    "current_site_id": "s1",
}
CLIENT_JSON = {
    "lat": -7.41,
    "lon": 109.22,
    "hours": 40,
    "hours_per_day": 4,
    "age": 30,
    "available_days": ["mon", "wed", "fri"],
    "health": ["epilepsy"],
    "skills": ["cleaning", "cooking"],
    "worship_site_consent": True,
    "needs_female_supervisor": False,
    "max_travel_km": 12.5,
    "exclusion_zones": [[-7.4, 109.2, 1.5], {"lat": -7.5, "lon": 109.3, "radius_km": 2}],
    "separate_from": ["k2"],
    "fixed_site_id": None,
    "current_site_id": "s1",
}


def test_csv_strings_and_json_values_parse_the_same() -> None:
    """CSV cells ('true', 'mon;tue', '-7.4,109.2,1.5;...', numbers as text, empty cells) and
    JSON-native values (bools, lists, numbers, null) give identical domain objects."""

    def parse(site_values: dict[str, Any], client_values: dict[str, Any]) -> Any:
        other = client_record(client_id="k2")
        return validate_inputs(
            [Record("s", site_record(**site_values))],
            [Record("c", client_record(**client_values)), Record("c2", other)],
        )

    from_csv = parse(SITE_CSV, CLIENT_CSV)
    from_json = parse(SITE_JSON, CLIENT_JSON)
    assert from_csv == from_json
    sites, clients = from_csv
    assert sites[0].religion == "" and sites[0].approved and not sites[0].commercial
    assert clients[0].exclusion_zones == (
        ExclusionZone(-7.4, 109.2, 1.5),
        ExclusionZone(-7.5, 109.3, 2.0),
    )
    assert clients[0].fixed_site_id is None and clients[0].current_site_id == "s1"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("approved", "yes"),
        ("approved", 2),
        ("capacity", "2.5"),
        ("capacity", True),
        ("open_days", [1, 2]),
    ],
)
def test_site_values_of_the_wrong_type(field: str, value: Any) -> None:
    """A boolean other than true/false, a fractional or boolean count, a list of non-names:
    each is one problem naming the field and the value."""
    p = only(problems(sites=[site_record(**{field: value})]))
    assert (p.field, p.value) == (field, value)


@pytest.mark.parametrize(
    "zones", ["1,2", "-7.4,109.2,0", "-7.4,109.2,150", "95,109.2,1", [[-7.4, 109.2]], "a,b,c"]
)
def test_bad_exclusion_zones(zones: Any) -> None:
    """A zone needs three numbers, a valid centre and a radius in (0, 100] km."""
    p = only(problems(clients=[client_record(exclusion_zones=zones)]))
    assert p.field == "exclusion_zones"


@pytest.mark.parametrize("empty", ["", None])
def test_missing_available_days_is_refused(empty: Any) -> None:
    """A client without available weekdays (empty CSV cell, null) is refused: it could never
    be placed."""
    p = only(problems(clients=[client_record(available_days=empty)]))
    assert p.field == "available_days"


@pytest.mark.parametrize("kind", ["client", "site"])
def test_empty_list_of_days_is_refused_like_an_empty_cell(kind: str) -> None:
    """An empty JSON list of weekdays means the same as an empty CSV cell: no weekday, refused."""
    if kind == "client":
        p = only(problems(clients=[client_record(available_days=[])]))
        assert p.field == "available_days"
    else:
        p = only(problems(sites=[site_record(open_days=[])]))
        assert p.field == "open_days"


# ---------------------------------------------------------------------------------------------
# The policy loader


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bapas.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_default_policy_matches_the_shipped_table() -> None:
    """The shipped defaults: 15 km, road factor 1.3, 2 km skill bonus, and e.g. sexual
    offences barred from every vulnerable population."""
    p = default_policy()
    assert (p.max_travel_km, p.road_factor, p.skill_bonus_m, p.alternatives) == (15.0, 1.3, 2000, 3)
    assert p.offence_populations["sexual_offence"] == {
        "children",
        "elderly",
        "patients",
        "disabled",
    }
    assert p.offence_hazards["property_theft"] == {"cash_handling"}
    assert p.health_hazards["epilepsy"] == {"heights", "traffic"}


def test_unknown_offence_key_is_rejected(tmp_path: Path) -> None:
    """An override naming an offence outside the taxonomy is refused, naming file and key."""
    path = write(tmp_path, '[offence.murder]\npopulations = ["children"]\n')
    with pytest.raises(PolicyError, match=r"offence\.murder") as err:
        read_policy(path)
    assert str(path) in str(err.value)


@pytest.mark.parametrize(
    "text",
    [
        '[offence.sexual_offence]\npopulations = ["toddlers"]\n',
        '[health.epilepsy]\nhazards = ["lava"]\n',
        "[health.flu]\nhazards = []\n",
        "[matching]\nroad_factor = 0.9\n",
        "[matching]\nalternatives = -1\n",
        "[weights]\nx = 1\n",
        "this is not toml",
    ],
)
def test_bad_policy_files_are_rejected(tmp_path: Path, text: str) -> None:
    """Unknown populations, hazards, health flags and sections, out-of-range numbers and bad
    TOML are refused with a PolicyError naming the file."""
    path = write(tmp_path, text)
    with pytest.raises(PolicyError) as err:
        read_policy(path)
    assert str(path) in str(err.value)


def test_override_replaces_a_section_and_keeps_the_rest(tmp_path: Path) -> None:
    """An override's [offence.X] replaces that whole section (a key left out is empty, not the
    default); [matching] is overridden key by key; other sections keep their defaults."""
    path = write(
        tmp_path,
        '[matching]\nmax_travel_km = 10\n\n[offence.narcotics_use]\nhazards = ["medicines"]\n',
    )
    p = read_policy(path)
    assert p.offence_hazards["narcotics_use"] == {"medicines"}
    assert p.offence_populations["narcotics_use"] == frozenset()  # default had children
    assert p.max_travel_km == 10.0 and p.road_factor == 1.3
    assert (
        p.offence_populations["sexual_offence"]
        == default_policy().offence_populations["sexual_offence"]
    )


def test_override_adds_an_offence(tmp_path: Path) -> None:
    """An offence without a default rule (vandalism) gets one from an override."""
    p = read_policy(write(tmp_path, '[offence.vandalism]\nhazards = ["traffic"]\n'))
    assert p.offence_hazards["vandalism"] == {"traffic"}


def test_missing_policy_file(tmp_path: Path) -> None:
    """A policy path that does not exist is a PolicyError naming it."""
    with pytest.raises(PolicyError, match="not found"):
        read_policy(tmp_path / "nope.toml")


def test_misspelt_key_in_an_offence_section_is_rejected(tmp_path: Path) -> None:
    """A misspelt key ('population' for 'populations') in an override is refused: silently
    ignoring it would lift every safety restriction of that offence."""
    path = write(tmp_path, '[offence.sexual_offence]\npopulation = ["children"]\n')
    with pytest.raises(PolicyError, match="population"):
        read_policy(path)
