"""Scenarios (matcher.planning.scenarios), generated demand (matcher.planning.demand), the
marginal value of capacity (matcher.planning.marginal) and the scenario file
(matcher.planning.study.parse_scenario)."""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher.model import Client, Site
from matcher.pipeline import assignment_problem, prepare
from matcher.planning import scenarios as sc
from matcher.planning.areas import Areas
from matcher.planning.demand import DemandError, DemandSpec, generate_cohort
from matcher.planning.marginal import marginal_values, rank, verify
from matcher.planning.study import SpecError, generated_base, parse_scenario
from matcher.policy import default_policy
from matcher.solver import solve
from matcher.validate import add_months

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "scenario-banyumas.toml"
WEEK = frozenset({"mon", "tue", "wed", "thu", "fri"})


@cache
def _district(
    seed: int, clients: int = 80, sites: int = 16
) -> tuple[list[Site], list[Client], Areas]:
    s, c, a = generated_base("banyumas", clients, sites, seed)
    return s, c, a


def _site(site_id: str, lat: float, lon: float, **kw: object) -> Site:
    base: dict[str, object] = {
        "name": site_id,
        "kind": "government_office",
        "capacity": 1,
        "open_days": WEEK,
        "hours_per_day": 8,
    }
    base.update(kw)
    return Site(site_id=site_id, lat=lat, lon=lon, **base)  # type: ignore[arg-type]


def _client(client_id: str, lat: float, lon: float, **kw: object) -> Client:
    base: dict[str, object] = {
        "gender": "male",
        "offence": "traffic",
        "hours": 40,
        "hours_per_day": 4,
        "start_date": date(2027, 1, 4),
        "deadline": date(2027, 4, 30),
        "available_days": WEEK,
    }
    base.update(kw)
    return Client(client_id=client_id, lat=lat, lon=lon, **base)  # type: ignore[arg-type]


def _square_areas() -> Areas:
    return Areas(
        names=("Barat", "Timur"),
        population=np.array([100.0, 300.0]),
        geometry=(shapely.box(109.0, -7.5, 109.1, -7.4), shapely.box(109.1, -7.5, 109.2, -7.4)),
    )


# --------------------------------------------------------------------------------------------
# Edits


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_closed_site_is_never_used(seed: int) -> None:
    """Closing a site (even the busiest one, even one a court named) leaves nobody there."""
    sites, clients, areas = _district(seed)
    base = sc.run_scenario("base", sites, clients, default_policy(), areas)
    busiest = Counter(base.placements.values()).most_common(2)
    closed = [sid for sid, _ in busiest]
    # A court may have fixed a client to the closed site: the id must still resolve.
    clients = [replace(clients[0], fixed_site_id=closed[0]), *clients[1:]]
    cmp = sc.compare(
        sites, clients, areas, [sc.EditSet("tutup", tuple(sc.CloseSite(s) for s in closed))]
    )
    after = cmp.scenarios[0]
    assert not set(after.placements.values()) & set(closed)
    use = {s.site_id: s for s in after.sites}
    assert all(use[s].used == 0 and use[s].capacity == 0 and not use[s].usable for s in closed)
    assert after.placed <= cmp.base.placed


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 5),
    picks=st.lists(st.tuples(st.integers(0, 15), st.integers(1, 4)), min_size=1, max_size=4),
)
def test_adding_capacity_never_lowers_the_placed_count(
    seed: int, picks: list[tuple[int, int]]
) -> None:
    """More places anywhere never place fewer clients (the optimum is monotone in capacity)."""
    sites, clients, areas = _district(seed)
    edits = tuple(sc.SetCapacity(sites[j].site_id, add=k) for j, k in picks)
    cmp = sc.compare(sites, clients, areas, [sc.EditSet("lebih", edits)])
    assert cmp.scenarios[0].placed >= cmp.base.placed
    assert cmp.difference(cmp.scenarios[0])["placed"] >= 0


def test_edits_change_what_they_say() -> None:
    """Each edit changes its own field; unknown sites and duplicate ids are refused."""
    sites = [_site("A", -7.45, 109.05), _site("B", -7.45, 109.15, approved=False)]
    new = _site("N", -7.45, 109.10, capacity=4)
    out, policy = sc.apply_edits(
        sites,
        {},
        [
            sc.AddSite(new),
            sc.ApproveSite("B"),
            sc.SetCapacity("A", capacity=3),
            sc.SetCapacity("N", add=-10),
            sc.SetOpenDays("A", frozenset({"sat"})),
            sc.SetTravelLimit(22.0),
            sc.ChangePolicy({"matching": {"road_factor": 1.5}}),
        ],
    )
    by_id = {s.site_id: s for s in out}
    assert by_id["A"].capacity == 3 and by_id["A"].open_days == frozenset({"sat"})
    assert by_id["B"].approved and by_id["N"].capacity == 0
    assert policy.max_travel_km == 22.0 and policy.road_factor == 1.5
    assert sites[0].capacity == 1  # the base is untouched
    with pytest.raises(sc.ScenarioError, match="no site 'Z'"):
        sc.apply_edits(sites, {}, [sc.CloseSite("Z")])
    with pytest.raises(sc.ScenarioError, match="already exists"):
        sc.apply_edits(sites, {}, [sc.AddSite(_site("A", -7.4, 109.0))])


def test_travel_limit_edit_reaches_farther_clients() -> None:
    """A longer travel limit lets a client reach a site beyond 15 km of road."""
    sites = [_site("A", -7.45, 109.05)]
    clients = [_client("far", -7.45, 109.16)]  # ~12 km straight, ~16 km of road
    areas = _square_areas()
    cmp = sc.compare(sites, clients, areas, [sc.EditSet("jauh", (sc.SetTravelLimit(20.0),))])
    assert cmp.base.placed == 0 and cmp.base.unplaced_by_reason == {"no_site_in_reach": 1}
    assert cmp.scenarios[0].placed == 1


def test_metrics_count_women_access_areas_and_utilisation() -> None:
    """Women's access counts female clients with an eligible site in reach, full or not; areas
    count clients by home and sites by location; utilisation is used over usable places."""
    sites = [
        _site("W", -7.45, 109.05, gender_policy="female_only", capacity=1),
        _site("M", -7.45, 109.15, gender_policy="male_only", capacity=2),
    ]
    clients = [
        _client("f1", -7.45, 109.04, gender="female"),
        _client("f2", -7.45, 109.06, gender="female"),
        _client("f3", -7.45, 109.16, gender="female", max_travel_km=2.0),
        _client("m1", -7.45, 109.14),
    ]
    o = sc.run_scenario("x", sites, clients, default_policy(), _square_areas())
    assert o.women == 3 and o.women_with_access == 2  # f3 reaches only the men's site
    assert o.placed == 2 and o.used == 2 and o.places == 3
    assert o.unplaced_by_reason == {"eligible_sites_full": 1, "no_eligible_site": 1}
    barat, timur = o.areas
    assert (barat.clients, barat.placed, barat.sites, barat.places) == (2, 1, 1, 1)
    assert (timur.clients, timur.placed, timur.women_with_access) == (2, 1, 0)
    assert o.utilisation == pytest.approx(2 / 3)


# --------------------------------------------------------------------------------------------
# Demand


def test_generated_cohort_is_seeded_lawful_and_follows_population() -> None:
    """The same seed gives the same clients; orders respect Pasal 85; homes follow population
    shares and area factors; the offence mix is followed."""
    areas = _square_areas()
    spec = DemandSpec(clients=800, seed=5, offence_mix={"traffic": 3.0, "gambling": 1.0})
    a, b = generate_cohort(spec, areas), generate_cohort(spec, areas)
    assert a == b and len(a) == 800
    for c in a:
        assert 8 <= c.hours <= 240 and 1 <= c.hours_per_day <= 8
        assert c.start_date <= c.deadline < add_months(c.start_date, 6)
    where = areas.index_of([c.lat for c in a], [c.lon for c in a])
    assert (where >= 0).all()
    assert 0.68 < (where == 1).mean() < 0.82  # 300 of 400 people live in Timur
    assert 0.68 < np.mean([c.offence == "traffic" for c in a]) < 0.82
    tilted = generate_cohort(replace(spec, area_factor={"Barat": 3.0}), areas)
    west = areas.index_of([c.lat for c in tilted], [c.lon for c in tilted]) == 0
    assert west.mean() > 0.42  # 300 of 600 weighted people now
    with pytest.raises(DemandError, match="offence"):
        DemandSpec(offence_mix={"jaywalking": 1.0})
    with pytest.raises(DemandError, match="no kecamatan"):
        generate_cohort(DemandSpec(area_factor={"Nowhere": 2.0}), areas)


# --------------------------------------------------------------------------------------------
# Marginal value of capacity


@pytest.mark.parametrize("seed", [0, 4, 7])
def test_marginal_values_equal_resolving_with_one_more_place(seed: int) -> None:
    """For every site, the residual-graph value (clients gained, cost change) equals re-solving
    the whole problem with that site's capacity raised by one."""
    sites, clients, _ = _district(seed, clients=120, sites=20)
    pre = prepare(sites, clients, default_policy())
    problem, arc_idx = assignment_problem(pre)
    assignment = solve(problem)
    values = marginal_values(problem, assignment, [s.site_id for s in sites])
    checked = verify(problem, assignment, values, pre.elig.arcs.distance_km[arc_idx])
    assert all(v.agrees for v in checked), [v for v in checked if not v.agrees]
    ranked = rank(values)
    keys = [(-v.placed_gain, v.cost_change_m) for v in ranked]
    assert keys == sorted(keys)


@pytest.mark.parametrize("seed", [3, 10])
def test_marginal_values_stay_exact_with_chained_co_offenders(seed: int) -> None:
    """Separation chains (A-B and B-C, but A and C may meet) are not network-shaped: the values
    come from re-solving, and still equal the one-more-place re-solve for every site."""
    sites, clients, _ = _district(seed, clients=60, sites=6)
    clients = [replace(c, separate_from=frozenset(), fixed_site_id=None) for c in clients]
    ids = [clients[i].client_id for i in np.argsort([c.lon for c in clients])]
    partners: dict[str, set[str]] = {}
    for k in range(0, len(ids) - 2, 3):
        a, b, c = ids[k : k + 3]
        partners.setdefault(a, set()).add(b)
        partners.setdefault(b, set()).update({a, c})
        partners.setdefault(c, set()).add(b)
    clients = [replace(c, separate_from=frozenset(partners.get(c.client_id, ()))) for c in clients]
    pre = prepare(sites, clients, default_policy())
    problem, arc_idx = assignment_problem(pre)
    assignment = solve(problem)
    values = marginal_values(problem, assignment, [s.site_id for s in sites])
    assert {v.method for v in values} == {"resolve"}
    checked = verify(problem, assignment, values, pre.elig.arcs.distance_km[arc_idx])
    assert all(v.agrees for v in checked)


def test_marginal_value_without_gain_is_a_saving() -> None:
    """When everyone is placed, one more place can only shorten trips: the saving is the cheapest
    re-routing (here the far client moves to the near site)."""
    sites = [_site("near", -7.45, 109.05), _site("far", -7.45, 109.10)]
    clients = [_client("a", -7.45, 109.051), _client("b", -7.45, 109.052)]
    pre = prepare(sites, clients, default_policy())
    problem, _ = assignment_problem(pre)
    assignment = solve(problem)
    near, far = marginal_values(problem, assignment, ["near", "far"])
    assert near.placed_gain == 0 and near.cost_change_m < -5000
    assert far.placed_gain == 0 and far.cost_change_m == 0


# --------------------------------------------------------------------------------------------
# The scenario file


def test_example_scenario_parses() -> None:
    """The shipped example is a valid scenario with five edit sets and every section."""
    spec = parse_scenario(tomllib.loads(EXAMPLE.read_text(encoding="utf-8")), str(EXAMPLE))
    assert [e.name for e in spec.edit_sets] == [
        "setujui-wangon",
        "pos-bapas-wangon",
        "tambah-kapasitas",
        "tutup-dua-sekolah",
        "jangkauan-20km",
    ]
    assert spec.base.generate == {"clients": 300, "sites": 60, "seed": 2026}
    assert spec.demand.source == "generate" and spec.demand.spec is not None
    assert spec.simulation is not None and spec.facility is not None and spec.marginal is not None
    assert isinstance(spec.edit_sets[1].edits[0], sc.AddSite)


def test_scenario_file_problems_are_all_reported_with_their_key() -> None:
    """A bad file lists every problem at once, each naming its section and key."""
    bad = {
        "base": {"generate": {"clients": -1}},
        "demand": {"source": "tea"},
        "edits": [
            {"name": "x", "capacity": {"S1": -2}},
            {"close": ["S1"]},
            {"name": "x", "travel_limit_km": 900},
        ],
        "simulation": {"policies": ["random"], "scenarios": ["nope"]},
        "facility": {"candidates": "moon"},
        "colour": "blue",
    }
    with pytest.raises(SpecError) as info:
        parse_scenario(bad, "s.toml")
    text = "\n".join(info.value.problems)
    for needle in (
        "[base].generate.clients",
        "[demand].source",
        "capacity.S1",
        "every edit set needs a name",
        "travel_limit_km",
        "used twice",
        "policies",
        "names no edit set",
        "[facility].candidates",
        "colour: unknown key",
    ):
        assert needle in text, needle
