"""Where to open new sites: the exact facility-location model (matcher.planning.facility)."""

from __future__ import annotations

from dataclasses import replace
from itertools import combinations

import pytest

from matcher.model import Client, Site
from matcher.pipeline import match
from matcher.planning.facility import FacilityError, candidate_sites, grid_points, open_sites
from matcher.planning.study import generated_base
from matcher.policy import default_policy


def _instance(seed: int, clients: int = 40, sites: int = 6) -> tuple[list[Site], list[Client]]:
    """A small seeded district; court-fixed and current sites dropped (a plan pins nothing)."""
    site_list, client_list, _ = generated_base("banyumas", clients, sites, seed)
    client_list = [replace(c, fixed_site_id=None, current_site_id=None) for c in client_list]
    return site_list, client_list


def _brute_force(
    sites: list[Site], clients: list[Client], candidates: list[Site], p: int
) -> tuple[int, int]:
    """(most placed, least cost) over every p-subset of candidates, by the engine's own match."""
    best: tuple[int, int] | None = None
    policy = default_policy()
    for subset in combinations(candidates, p):
        s = match([*sites, *subset], clients, policy).summary
        key = (-s.placed, s.objective)
        if best is None or key < best:
            best = key
    assert best is not None
    return -best[0], best[1]


@pytest.mark.parametrize("seed", range(6))
def test_facility_model_equals_brute_force(seed: int) -> None:
    """The CP-SAT facility model finds the same optimum (most placed, then least cost) as trying
    every p-subset of the candidates with the exact matcher."""
    sites, clients = _instance(seed)
    _, _, areas = generated_base("banyumas", 0, 0, seed)
    candidates = candidate_sites(grid_points(areas, 9.0)[seed : seed + 7], capacity=3)
    plan = open_sites(sites, clients, candidates, 2, default_policy())
    assert plan.status == "OPTIMAL"
    assert (plan.placed, plan.cost_m) == _brute_force(sites, clients, candidates, 2)
    assert len(plan.chosen) == 2


def test_opening_sites_never_places_fewer_and_zero_is_the_baseline() -> None:
    """p = 0 reproduces the existing registry's optimum; every extra site only adds."""
    sites, clients = _instance(11, clients=60, sites=8)
    _, _, areas = generated_base("banyumas", 0, 0, 11)
    candidates = candidate_sites(grid_points(areas, 8.0), capacity=2)
    base = match(sites, clients, default_policy()).summary
    placed = []
    for p in range(3):
        plan = open_sites(sites, clients, candidates, p, default_policy())
        assert plan.baseline_placed == base.placed
        placed.append(plan.placed)
    assert placed[0] == base.placed
    assert placed == sorted(placed)


def test_chosen_sites_are_used_within_their_capacity() -> None:
    """Every client in the plan sits at an existing or opened site, within its capacity."""
    sites, clients = _instance(3, clients=60, sites=6)
    _, _, areas = generated_base("banyumas", 0, 0, 3)
    candidates = candidate_sites(grid_points(areas, 7.0), capacity=4)
    plan = open_sites(sites, clients, candidates, 3, default_policy())
    allowed = {s.site_id for s in sites} | set(plan.chosen)
    used: dict[str, int] = {}
    for site_id in plan.assignment.values():
        assert site_id in allowed
        used[site_id] = used.get(site_id, 0) + 1
    cap = {s.site_id: s.capacity for s in [*sites, *candidates]}
    assert all(n <= cap[sid] for sid, n in used.items())
    assert sum(plan.served.values()) == sum(used.get(c, 0) for c in plan.chosen)


def test_candidates_take_kind_defaults_and_overrides() -> None:
    """A candidate gets its kind's defaults (a social institution has elderly people present);
    any Site field can be overridden."""
    [home] = candidate_sites([(-7.4, 109.2)], kind="social_institution", capacity=5)
    assert home.population == frozenset({"elderly"}) and home.capacity == 5 and home.approved
    [school] = candidate_sites([(-7.4, 109.2)], kind="school")
    assert school.population == frozenset({"children"})
    [office] = candidate_sites(
        [(-7.4, 109.2)], attributes={"open_days": frozenset({"sat", "sun"}), "hours_per_day": 4}
    )
    assert office.kind == "government_office"
    assert office.open_days == frozenset({"sat", "sun"}) and office.hours_per_day == 4


def test_bad_questions_are_refused() -> None:
    """Unknown kinds, capacity 0, negative p and ids that clash with sites are errors."""
    with pytest.raises(FacilityError, match="kind"):
        candidate_sites([(-7.4, 109.2)], kind="mall")
    with pytest.raises(FacilityError, match="capacity"):
        candidate_sites([(-7.4, 109.2)], capacity=0)
    sites, clients = _instance(1, clients=5, sites=3)
    with pytest.raises(FacilityError, match="p ="):
        open_sites(sites, clients, [], -1, default_policy())
    clash = candidate_sites([(-7.4, 109.2)], prefix="S0000")
    clash = [replace(clash[0], site_id=sites[0].site_id)]
    with pytest.raises(FacilityError, match="already a site id"):
        open_sites(sites, clients, clash, 1, default_policy())


def test_grid_points_lie_inside_the_district() -> None:
    """Grid candidates are spaced as asked and all fall inside some kecamatan."""
    _, _, areas = generated_base("banyumas", 0, 0, 0)
    coarse, fine = grid_points(areas, 6.0), grid_points(areas, 3.0)
    assert 20 < len(coarse) < len(fine)
    lat = [p[0] for p in fine]
    lon = [p[1] for p in fine]
    assert (areas.index_of(lat, lon) >= 0).all()
