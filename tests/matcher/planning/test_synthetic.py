"""matcher.planning.synthetic: seeded synthetic districts and regions following the data
contract."""

from __future__ import annotations

import math
import re
from collections import Counter
from datetime import date, timedelta

import numpy as np
import pytest
import shapely

from geo.district import load_kecamatan_centres, locate_index
from geo.io import CLIENT_FIELDS, SITE_FIELDS
from matcher.planning.synthetic import BASE_DATE, generate_district, generate_region, write_district

# The data contract's vocabularies from their one definition (matcher.vocab), not from the
# generator's own constants; Pasal 85's month arithmetic from the validator.
from matcher.validate import add_months
from matcher.vocab import (
    DEMANDS,
    HAZARDS,
    OFFENCES,
    POPULATIONS,
    RELIGIONS,
    WEEKDAYS,
    WORK_TYPES,
)
from matcher.vocab import HEALTH_FLAGS as HEALTH
from matcher.vocab import SITE_KINDS as KINDS


def km_between(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


@pytest.fixture(scope="module")
def district():
    return generate_district(clients=600, sites=120, seed=7)


@pytest.fixture(scope="module")
def large():
    """Enough records for the shares to show (still well under a second)."""
    return generate_district(clients=6000, sites=2000, seed=11)


def test_same_seed_same_bytes(tmp_path):
    """Generating twice with one seed writes identical files; another seed differs."""
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        write_district(generate_district(clients=150, sites=40, seed=seed), tmp_path / name)
    for file in ("sites.geojson", "clients.csv", "kecamatan.geojson"):
        first = (tmp_path / "a" / file).read_bytes()
        assert first == (tmp_path / "b" / file).read_bytes(), file
        assert first.endswith(b"\n")
    assert (tmp_path / "a" / "clients.csv").read_bytes() != (
        tmp_path / "c" / "clients.csv"
    ).read_bytes()


def test_more_clients_do_not_move_the_sites():
    """Sites and clients draw from separate streams: a bigger cohort keeps the same sites."""
    small = generate_district(clients=50, sites=30, seed=5)
    big = generate_district(clients=500, sites=30, seed=5)
    assert small.sites == big.sites


def test_sites_follow_the_data_contract(district):
    """Every site has exactly the contract's fields, in order, with values from its
    vocabularies and types (lists, bools, ints), unique ids and a consistent religion."""
    names = {k.name for k in load_kecamatan_centres()}
    ids = [s["site_id"] for s in district.sites]
    assert len(set(ids)) == len(ids) == 120
    assert all(re.fullmatch(r"S\d{5}", i) for i in ids)
    for s in district.sites:
        assert list(s) == list(SITE_FIELDS)
        assert s["kind"] in KINDS
        assert isinstance(s["name"], str) and s["name"].strip()
        assert isinstance(s["capacity"], int) and 1 <= s["capacity"] <= 10
        assert s["open_days"] and set(s["open_days"]) <= set(WEEKDAYS)
        assert s["open_days"] == [d for d in WEEKDAYS if d in s["open_days"]]
        assert isinstance(s["hours_per_day"], int) and 4 <= s["hours_per_day"] <= 8
        assert isinstance(s["approved"], bool) and isinstance(s["commercial"], bool)
        assert set(s["population"]) <= POPULATIONS
        assert set(s["hazards"]) <= HAZARDS
        assert s["physical_demand"] in DEMANDS
        assert s["gender_policy"] in {"any", "female_only", "male_only"}
        assert s["supervisor_gender"] in {"female", "male", "mixed"}
        assert s["work_types"] and set(s["work_types"]) <= WORK_TYPES
        if s["kind"] == "place_of_worship":
            assert s["religion"] in RELIGIONS
        elif s["kind"] == "pesantren":
            assert s["religion"] == "islam"
        else:
            assert s["religion"] is None
        assert s["district"] == "Banyumas"
        assert s["subdistrict"] in names
        assert round(s["lat"], 6) == s["lat"] and round(s["lon"], 6) == s["lon"]


def test_site_attributes_fit_their_kind(large):
    """Kinds carry their typical populations and hazards: schools have children, health
    facilities patients and medicines, roads traffic and heavy lifting, markets mostly cash;
    an elderly home is named Panti Wreda."""
    for s in large.sites:
        kind = s["kind"]
        if kind in ("school", "pesantren"):
            assert "children" in s["population"]
        if kind == "health_facility":
            assert "patients" in s["population"] and "medicines" in s["hazards"]
        if kind == "roads_drains":
            assert {"traffic", "heavy_lifting"} <= set(s["hazards"])
        if s["name"].startswith("Panti Wreda"):
            assert kind == "social_institution" and "elderly" in s["population"]
    markets = [s for s in large.sites if s["kind"] == "market"]
    assert sum("cash_handling" in s["hazards"] for s in markets) > 0.6 * len(markets)


def test_site_shares(large):
    """Kind shares, approval and commercial rates are near the specified ones."""
    n = len(large.sites)
    kinds = Counter(s["kind"] for s in large.sites)
    expected = {"place_of_worship": 0.25, "school": 0.20, "village_office": 0.12, "market": 0.05}
    for kind, share in expected.items():
        assert kinds[kind] / n == pytest.approx(share, abs=0.03), kind
    assert sum(not s["approved"] for s in large.sites) / n == pytest.approx(0.08, abs=0.02)
    assert 0.02 < sum(s["commercial"] for s in large.sites) / n < 0.08
    mosques = [s for s in large.sites if s["kind"] == "place_of_worship"]
    assert sum(s["religion"] == "islam" for s in mosques) / len(mosques) == pytest.approx(
        0.85, abs=0.05
    )
    elderly = sum(s["name"].startswith("Panti Wreda") for s in large.sites) / n
    assert 0.003 < elderly < 0.02


def test_clients_follow_the_data_contract(district):
    """Every client has exactly the contract's fields, in order, with values from its
    vocabularies and the right types."""
    ids = [c["client_id"] for c in district.clients]
    assert len(set(ids)) == len(ids) == 600
    assert all(re.fullmatch(r"C\d{6}", i) for i in ids)
    site_ids = {s["site_id"]: s for s in district.sites}
    for c in district.clients:
        assert list(c) == list(CLIENT_FIELDS)
        assert c["gender"] in {"female", "male"}
        assert isinstance(c["age"], int) and 18 <= c["age"] <= 70
        assert c["offence"] in OFFENCES
        assert c["available_days"] and set(c["available_days"]) <= set(WEEKDAYS)
        assert c["fitness"] in DEMANDS
        assert set(c["health"]) <= HEALTH
        if "pregnancy" in c["health"]:
            assert c["gender"] == "female"
        assert c["religion"] in RELIGIONS
        assert isinstance(c["worship_site_consent"], bool)
        assert set(c["skills"]) <= WORK_TYPES and len(c["skills"]) <= 2
        assert c["max_travel_km"] is None or 5 <= c["max_travel_km"] <= 10
        assert isinstance(c["needs_female_supervisor"], bool)
        if c["needs_female_supervisor"]:
            assert c["gender"] == "female"
        assert c["current_site_id"] is None
        if c["fixed_site_id"] is not None:
            fixed = site_ids[c["fixed_site_id"]]
            assert fixed["approved"] and not fixed["commercial"]


def test_court_orders_respect_pasal_85(district, large):
    """Hours 8-240 (85(4)) in multiples of 4, at most 8 a day, a start within 30 days of the
    base date, and a deadline at most 6 months later (85(5)) that leaves enough of the
    client's weekdays for the hours."""
    for c in [*district.clients, *large.clients]:
        assert 8 <= c["hours"] <= 240 and c["hours"] % 4 == 0
        assert 1 <= c["hours_per_day"] <= 8
        start = date.fromisoformat(c["start_date"])
        deadline = date.fromisoformat(c["deadline"])
        assert BASE_DATE <= start < BASE_DATE + timedelta(days=30)
        assert start < deadline <= add_months(start, 6)
        days_needed = math.ceil(c["hours"] / c["hours_per_day"])
        weekmask = [d in c["available_days"] for d in WEEKDAYS]
        workable = np.busday_count(start, deadline + timedelta(days=1), weekmask=weekmask)
        assert workable >= days_needed, c["client_id"]


def test_client_shares(large):
    """About 88% men; offences, hours and hours per day distributed as specified."""
    n = len(large.clients)
    assert sum(c["gender"] == "male" for c in large.clients) / n == pytest.approx(0.88, abs=0.02)
    offences = Counter(c["offence"] for c in large.clients)
    assert offences["property_theft"] / n == pytest.approx(0.25, abs=0.03)
    assert offences["minor_assault"] / n == pytest.approx(0.12, abs=0.02)
    hours = np.array([c["hours"] for c in large.clients])
    assert 0.45 < np.mean((hours >= 40) & (hours <= 120)) < 0.85
    per_day = Counter(c["hours_per_day"] for c in large.clients)
    assert per_day.most_common(1)[0][0] == 4
    assert sum(c["religion"] == "islam" for c in large.clients) / n == pytest.approx(0.90, abs=0.02)


def test_exclusion_zones_near_not_at_home(large):
    """Victim zones belong to violent and sexual offences only; each has a 1-3 km radius, and
    its centre lies beyond the radius from the client's home but within a few km."""
    zoned = [c for c in large.clients if c["exclusion_zones"]]
    assert zoned
    for c in zoned:
        assert c["offence"] in {"domestic_violence", "sexual_offence", "minor_assault"}
        (zone,) = c["exclusion_zones"]
        assert set(zone) == {"lat", "lon", "radius_km"}
        assert 1.0 <= zone["radius_km"] <= 3.0
        d = km_between(c["lat"], c["lon"], zone["lat"], zone["lon"])
        assert zone["radius_km"] < d < zone["radius_km"] + 2.1
    for c in large.clients:
        if c["offence"] in ("domestic_violence", "sexual_offence"):
            assert c["exclusion_zones"]


def test_separate_from_is_symmetric_and_names_existing_clients(district, large):
    """Co-offenders come in pairs or trios (about 2% of clients), name only existing other
    clients, name each other symmetrically and share an offence."""
    for d in (district, large):
        by_id = {c["client_id"]: c for c in d.clients}
        grouped = [c for c in d.clients if c["separate_from"]]
        assert 0.01 <= len(grouped) / len(d.clients) <= 0.04
        for c in grouped:
            assert 1 <= len(c["separate_from"]) <= 2
            assert c["client_id"] not in c["separate_from"]
            for other in c["separate_from"]:
                assert c["client_id"] in by_id[other]["separate_from"]
                assert by_id[other]["offence"] == c["offence"]
                group = {c["client_id"], *c["separate_from"]}
                assert group == {other, *by_id[other]["separate_from"]}
            assert c["fixed_site_id"] is None


def test_fixed_sites_are_rare_and_near_home(large):
    """About 2% of clients come with a court-fixed site, an approved non-commercial one near
    home."""
    sites = {s["site_id"]: s for s in large.sites}
    fixed = [c for c in large.clients if c["fixed_site_id"]]
    assert len(fixed) / len(large.clients) == pytest.approx(0.02, abs=0.005)
    for c in fixed:
        s = sites[c["fixed_site_id"]]
        assert km_between(c["lat"], c["lon"], s["lat"], s["lon"]) < 10


def test_everyone_lives_inside_the_district(district):
    """Sites and clients lie inside the kecamatan areas; a site's subdistrict is the area it
    is in; the areas carry the district's name."""
    areas = district.areas
    assert list(areas.columns) == ["district", "kecamatan", "population", "geometry"]
    assert set(areas["district"]) == {"Banyumas"}
    site_idx = locate_index(
        [s["lon"] for s in district.sites], [s["lat"] for s in district.sites], areas
    )
    assert (site_idx >= 0).all()
    assert areas["kecamatan"].to_numpy()[site_idx].tolist() == [
        s["subdistrict"] for s in district.sites
    ]
    client_idx = locate_index(
        [c["lon"] for c in district.clients], [c["lat"] for c in district.clients], areas
    )
    assert (client_idx >= 0).all()


def test_region_sizes_and_unique_ids():
    """A region has exactly the requested counts, unique ids, one name per copy and
    '<Kecamatan> (Kab-NN)' areas that do not overlap; clients split by population."""
    region = generate_region(4, clients=1200, sites=160, seed=2)
    assert len(region.clients) == 1200 and len(region.sites) == 160
    assert len({c["client_id"] for c in region.clients}) == 1200
    assert len({s["site_id"] for s in region.sites}) == 160
    names = ["Kab-01", "Kab-02", "Kab-03", "Kab-04"]
    assert sorted(set(region.areas["district"])) == names
    assert len(region.areas) == 4 * 27
    assert region.areas["kecamatan"].iloc[0] == "Lumbir (Kab-01)"
    for s in region.sites:
        assert s["subdistrict"].endswith(f"({s['district']})")
    areas_m = region.areas.to_crs(32749).geometry.to_numpy()
    union = shapely.union_all(areas_m).area
    assert union == pytest.approx(sum(g.area for g in areas_m), rel=1e-9)
    # Clients per copy follow the copies' populations (a few live across a copy's border).
    population = region.areas.groupby("district")["population"].sum()
    idx = locate_index(
        [c["lon"] for c in region.clients], [c["lat"] for c in region.clients], region.areas
    )
    assert (idx >= 0).all()
    counts = Counter(region.areas["district"].to_numpy()[idx])
    for name in names:
        expected = 1200 * population[name] / population.sum()
        assert counts[name] == pytest.approx(expected, rel=0.15), name


def test_region_ids_are_stable_width():
    """Ids keep their widths ("S00001", "C000001") until the totals need more digits."""
    region = generate_region(2, clients=12, sites=7, seed=0)
    assert region.clients[-1]["client_id"] == "C000012"
    assert region.sites[-1]["site_id"] == "S00007"


def test_large_region_stays_in_indonesias_box():
    """Hundreds of copies spread east and south of Banyumas and wrap to stay within latitude
    -11..6 and longitude 95..141; too many copies for the box is a ValueError."""
    region = generate_region(120, clients=600, sites=300, seed=1)
    lats = [p["lat"] for p in [*region.sites, *region.clients]]
    lons = [p["lon"] for p in [*region.sites, *region.clients]]
    assert min(lats) >= -11 and max(lats) <= 6
    assert min(lons) >= 95 and max(lons) <= 141
    assert len(set(region.areas["district"])) == 120
    assert max(lats) > -7.0  # past nine rows south, the block wraps north of Banyumas
    first = region.areas[region.areas["district"] == "Kab-001"].to_crs(32749).union_all()
    assert first.distance(shapely.Point(*_utm(109.2, -7.47))) < 20_000  # starts at Banyumas
    with pytest.raises(ValueError, match="do not fit"):
        generate_region(100_000, clients=10, sites=10)


def _utm(lon, lat):
    from geo.crs import project

    x, y = project([lon], [lat], 32749)
    return float(x[0]), float(y[0])


def test_bad_arguments_are_refused():
    """Negative counts, no kabupaten or a non-positive spacing are ValueErrors."""
    with pytest.raises(ValueError):
        generate_district(clients=-1)
    with pytest.raises(ValueError):
        generate_region(0, clients=10, sites=10)
    with pytest.raises(ValueError):
        generate_region(2, clients=10, sites=10, spacing_km=0)


def test_empty_district():
    """Zero clients and zero sites is a valid (empty) district."""
    d = generate_district(clients=0, sites=0, seed=0)
    assert d.clients == [] and d.sites == [] and len(d.areas) == 27


@pytest.mark.slow
def test_generation_at_province_size():
    """100,000 clients and 5,000 sites are generated whole (their time is measured by the
    benchmarks, which generate every instance, not asserted here)."""
    d = generate_district(clients=100_000, sites=5_000, seed=0)
    assert len(d.clients) == 100_000 and len(d.sites) == 5_000
    assert len({c["client_id"] for c in d.clients}) == 100_000
