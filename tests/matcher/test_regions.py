"""Regions: splitting the candidate graph and solving each part gives the single solve's answer.

Instances are seeded clusters of clients and sites (a few towns far apart, so the graph splits),
with co-offender pairs and trios (separate_from), court-fixed and current sites, and tight
capacity, so that flows, pins and the CP-SAT repair are all exercised inside regions.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from matcher.model import Client, Site
from matcher.pipeline import assignment_problem, match, match_in_regions, prepare
from matcher.policy import Policy, default_policy
from matcher.regions import (
    histogram,
    label_regions,
    merge,
    projected_makespan,
    solve_regions,
    split,
)
from matcher.solver import SolveParams, solve

ALL_DAYS = frozenset({"mon", "tue", "wed", "thu", "fri", "sat", "sun"})
KM_PER_DEG = math.pi * 6371.0088 / 180.0


def _instance(seed: int, towns: int = 4, clients: int = 120, sites: int = 24):
    """Clients and sites around ``towns`` centres 60 km apart (beyond any 15 km reach), plus
    one pair of towns 8 km apart that merge into one region. Co-offenders: six pairs and a
    trio (cliques) and a chain of three (not a clique)."""
    rng = np.random.default_rng(seed)
    centres = [(-7.4 + 0.55 * (t % 2), 109.0 + 0.55 * (t // 2)) for t in range(towns)]
    centres.append((centres[0][0] + 8.0 / KM_PER_DEG, centres[0][1]))  # joins town 0

    def near(k: int, spread_km: float) -> tuple[float, float]:
        lat, lon = centres[k]
        d = rng.normal(0.0, spread_km, 2) / KM_PER_DEG
        return lat + d[0], lon + d[1] / math.cos(math.radians(lat))

    site_list = []
    for j in range(sites):
        lat, lon = near(j % len(centres), 4.0)
        site_list.append(
            Site(
                site_id=f"S{j:03d}",
                name=f"Site {j}",
                kind="other",
                lat=lat,
                lon=lon,
                capacity=int(rng.integers(1, 4)),
                open_days=ALL_DAYS,
                hours_per_day=8,
                physical_demand=str(rng.choice(["light", "moderate", "heavy"])),
                gender_policy=str(rng.choice(["any", "any", "any", "male_only"])),
                work_types=frozenset({"cleaning"} if rng.random() < 0.5 else set()),
            )
        )
    client_list = []
    for i in range(clients):
        lat, lon = near(int(rng.integers(0, len(centres))), 5.0)
        client_list.append(
            Client(
                client_id=f"C{i:04d}",
                lat=lat,
                lon=lon,
                gender="male" if rng.random() < 0.8 else "female",
                offence="other",
                hours=40,
                hours_per_day=4,
                start_date=date(2026, 3, 2),
                deadline=date(2026, 8, 31),
                available_days=ALL_DAYS,
                fitness=str(rng.choice(["light", "moderate", "heavy"])),
                skills=frozenset({"cleaning"} if rng.random() < 0.4 else set()),
                max_travel_km=float(rng.choice([6.0, 10.0, 15.0])),
            )
        )
    # co-offenders: pairs and a trio living close together, each separate from the others
    # (each a few hundred metres from the first, at a random offset: no exact cost ties)
    groups = [list(range(k, k + 2)) for k in range(0, 12, 2)] + [[20, 21, 22]]
    for g in groups:
        for i in g[1:]:
            d = rng.normal(0.0, 0.4, 2) / KM_PER_DEG
            client_list[i] = replace(
                client_list[i], lat=client_list[g[0]].lat + d[0], lon=client_list[g[0]].lon + d[1]
            )
    for g in groups:
        for i in g:
            others = frozenset(client_list[k].client_id for k in g if k != i)
            client_list[i] = replace(client_list[i], separate_from=others)
    # a chain, not a clique: 24-25 and 25-26 kept apart, 24 and 26 may meet (not network-shaped)
    for i in (25, 26):
        d = rng.normal(0.0, 0.4, 2) / KM_PER_DEG
        client_list[i] = replace(
            client_list[i], lat=client_list[24].lat + d[0], lon=client_list[24].lon + d[1]
        )
    # ... with one site of room 3 just for them, so that the flow puts all three there
    chain_site = replace(
        site_list[0],
        site_id="SCHAIN",
        lat=client_list[24].lat + 0.5 / KM_PER_DEG,
        lon=client_list[24].lon,
        capacity=3,
        physical_demand="light",
        gender_policy="any",
    )
    site_list.append(chain_site)
    for i in (24, 25, 26):
        client_list[i] = replace(client_list[i], max_travel_km=2.0)
    ids = [client_list[i].client_id for i in (24, 25, 26)]
    client_list[24] = replace(client_list[24], separate_from=frozenset({ids[1]}))
    client_list[25] = replace(client_list[25], separate_from=frozenset({ids[0], ids[2]}))
    client_list[26] = replace(client_list[26], separate_from=frozenset({ids[1]}))
    # a court-fixed site (its nearest) and a current placement for a few clients
    for i in (30, 31, 40):
        near_site = min(
            site_list,
            key=lambda s: (s.lat - client_list[i].lat) ** 2 + (s.lon - client_list[i].lon) ** 2,
        )
        client_list[i] = replace(client_list[i], fixed_site_id=near_site.site_id)
    client_list[50] = replace(client_list[50], current_site_id=site_list[50 % sites].site_id)
    return site_list, client_list


@pytest.fixture(scope="module")
def policy() -> Policy:
    return default_policy()


def _without_runtime(d: dict) -> dict:
    d = dict(d)
    d["summary"] = {k: v for k, v in d["summary"].items() if k != "runtime_s"}
    return d


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_regions_match_the_single_solve(seed: int, policy: Policy) -> None:
    """Same placed count, objective and bound as ``match``, and the same result JSON, region by
    region in one process. (Exact JSON equality needs a unique optimum: the builder avoids
    exact cost ties; with ties, only placed and objective are pinned, STYLE habit 8.)"""
    sites, clients = _instance(seed)
    single = match(sites, clients, policy)
    by_region, run = match_in_regions(sites, clients, policy)
    assert by_region.summary.placed == single.summary.placed
    assert by_region.summary.objective == single.summary.objective
    assert by_region.summary.bound == single.summary.bound
    assert _without_runtime(by_region.to_dict()) == _without_runtime(single.to_dict())
    assert len(run.split.regions) >= 3


def test_regions_in_two_processes_give_the_same_result(policy: Policy) -> None:
    """Worker processes change nothing: results are merged by region, not by completion."""
    sites, clients = _instance(7, towns=6, clients=400, sites=60)
    pre = prepare(sites, clients, policy)
    problem, _ = assignment_problem(pre)
    serial = solve_regions(problem)
    # every region goes to the pool, however small
    import matcher.regions as regions

    old = regions.MIN_PARALLEL_ARCS
    regions.MIN_PARALLEL_ARCS = 0
    try:
        parallel = solve_regions(problem, workers=2)
    finally:
        regions.MIN_PARALLEL_ARCS = old
    assert parallel.workers == 2
    np.testing.assert_array_equal(parallel.assignment.arc, serial.assignment.arc)
    assert parallel.assignment.objective == serial.assignment.objective
    assert parallel.assignment.pin_conflict == serial.assignment.pin_conflict


def test_regions_are_components_of_arcs_and_separation_pairs(policy: Policy) -> None:
    """No arc and no separate_from pair crosses two regions; clients without arcs have none."""
    sites, clients = _instance(3)
    problem, _ = assignment_problem(prepare(sites, clients, policy))
    count, cl, sl = label_regions(problem)
    assert count >= 3
    np.testing.assert_array_equal(cl[problem.arc_client], sl[problem.arc_site])
    a, b = problem.separate[:, 0], problem.separate[:, 1]
    both = (cl[a] >= 0) & (cl[b] >= 0)
    np.testing.assert_array_equal(cl[a][both], cl[b][both])
    no_arc = np.bincount(problem.arc_client, minlength=problem.n_clients) == 0
    assert (cl[no_arc] == -1).all() and (cl[~no_arc] >= 0).all()


def test_split_is_a_partition_with_monotone_numbering(policy: Policy) -> None:
    """Every arc lands in exactly one region; local numbering keeps the global order."""
    sites, clients = _instance(4)
    problem, _ = assignment_problem(prepare(sites, clients, policy))
    parts = split(problem)
    arcs = np.concatenate([r.arcs for r in parts.regions])
    assert np.array_equal(np.sort(arcs), np.arange(problem.arc_client.size))
    for r in parts.regions:
        assert np.all(np.diff(r.clients) > 0) and np.all(np.diff(r.arcs) > 0)
        np.testing.assert_array_equal(r.clients[r.problem.arc_client], problem.arc_client[r.arcs])
        np.testing.assert_array_equal(r.sites[r.problem.arc_site], problem.arc_site[r.arcs])
        np.testing.assert_array_equal(r.problem.capacity, problem.capacity[r.sites])


def test_merge_of_region_solves_equals_solve(policy: Policy) -> None:
    """Merging the regions' own solves reproduces the whole solve's arrays."""
    sites, clients = _instance(5)
    problem, _ = assignment_problem(prepare(sites, clients, policy))
    whole = solve(problem, SolveParams())
    parts = split(problem)
    merged = merge(problem, parts, [solve(r.problem) for r in parts.regions])
    np.testing.assert_array_equal(merged.site, whole.site)
    np.testing.assert_array_equal(merged.pinned, whole.pinned)
    assert merged.objective == whole.objective
    assert merged.placed == whole.placed


def test_histogram_counts_every_region_once(policy: Policy) -> None:
    """Bins are powers of two and add up to the regions, clients and arcs of the split."""
    sites, clients = _instance(6)
    problem, _ = assignment_problem(prepare(sites, clients, policy))
    parts = split(problem)
    bins = histogram(parts)
    assert sum(b.regions for b in bins) == len(parts.regions)
    assert sum(b.clients for b in bins) == int(parts.sizes().sum())
    assert sum(b.arcs for b in bins) == problem.arc_client.size
    for b in bins:
        assert b.hi == 2 * b.lo


def test_projected_makespan_longest_first() -> None:
    """Longest-first on the least-loaded core: 1 core is the sum, many cores the largest."""
    times = [5.0, 3.0, 2.0, 2.0, 1.0]
    assert projected_makespan(times, 1) == pytest.approx(13.0)
    assert projected_makespan(times, 2) == pytest.approx(7.0)
    assert projected_makespan(times, 16) == pytest.approx(5.0)


def test_empty_problem(policy: Policy) -> None:
    """No sites in reach: no regions, nobody placed, objective 0."""
    sites, clients = _instance(1)
    far = [replace(s, lat=s.lat + 5.0) for s in sites]
    result, run = match_in_regions(far, clients, policy)
    assert len(run.split.regions) == 0
    assert result.summary.placed == 0 and result.summary.objective == 0
