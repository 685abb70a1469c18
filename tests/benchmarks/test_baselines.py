"""Benchmark baselines and checks: valid answers, exact ones agree with the solver.

The instances are the seeded clustered towns of ``tests/matcher/test_regions.py`` (co-offender
pairs, a trio and a chain; court-fixed and current sites; tight capacity).
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from benchmarks import baselines as bl
from matcher.check import arcs_of_result, quality, violations
from matcher.pipeline import Prepared, assignment_problem, match, prepare
from matcher.policy import Policy, default_policy
from matcher.solver import AssignmentProblem, solve

_spec = importlib.util.spec_from_file_location(
    "regions_instances", Path(__file__).parents[1] / "matcher" / "test_regions.py"
)
assert _spec is not None and _spec.loader is not None
_mod = importlib.util.module_from_spec(_spec)
sys.modules["regions_instances"] = _mod
_spec.loader.exec_module(_mod)
instance = _mod._instance


@pytest.fixture(scope="module")
def policy() -> Policy:
    return default_policy()


def _setup(
    seed: int, policy: Policy, chain: bool = True
) -> tuple[Prepared, AssignmentProblem, np.ndarray]:
    """The instance, with or without its chain (without: every group is a clique)."""
    sites, clients = instance(seed)
    if not chain:
        chain_ids = {clients[i].client_id for i in (24, 25, 26)}
        clients = [
            replace(c, separate_from=frozenset()) if c.client_id in chain_ids else c
            for c in clients
        ]
    pre = prepare(sites, clients, policy)
    problem, arc_idx = assignment_problem(pre)
    return pre, problem, arc_idx


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_every_baseline_keeps_the_hard_rules(seed: int, policy: Policy) -> None:
    """Greedy, LSA, CP-SAT, MIP and the clique flow never break a hard rule; the plain flow
    may only break separation (it is the relaxation)."""
    pre, p, arc_idx = _setup(seed, policy)
    dist = pre.elig.arcs.distance_km[arc_idx]
    greedy = bl.greedy_global(p)
    answers = [
        greedy,
        bl.greedy_arrival(p, dist),
        bl.lsa(p, 10**7),
        bl.cpsat(p, 20.0, 1, greedy),
        bl.mip(p, 60.0),
        bl.mip(p, 60.0, cliques=False),
    ]
    for sol in answers:
        assert violations(pre, p, arc_idx, sol.arc) == [], sol.status
    assert violations(pre, p, arc_idx, bl.flow(p).arc, check_separation=False) == []
    with pytest.raises(bl.Skipped, match="cliques"):
        bl.flow_cliques(p)  # the chain is not a clique: the gadget network would be wrong
    pre, p, arc_idx = _setup(seed, policy, chain=False)
    assert violations(pre, p, arc_idx, bl.flow_cliques(p).arc) == []


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_exact_references_agree_with_the_solver(seed: int, policy: Policy) -> None:
    """The MIP (clique and pairwise rows), CP-SAT and, where every group is a clique, the
    clique flow prove the solver's placed count and objective."""
    for chain in (True, False):
        pre, p, arc_idx = _setup(seed, policy, chain)
        want = solve(p)
        target = (want.placed, want.objective)
        answers = [bl.mip(p, 60.0), bl.mip(p, 60.0, cliques=False), bl.cpsat(p, 30.0, 1, None)]
        if not chain:
            answers.append(bl.flow_cliques(p))
        for sol in answers:
            assert sol.exact
            q = quality(pre, p, arc_idx, sol.arc)
            assert (q.placed, q.objective) == target


def test_pins_match_the_solver(policy: Policy) -> None:
    """The benchmarks' own pins (from the contract) equal the solver's pinned placements."""
    for seed in range(1, 7):
        _, p, _ = _setup(seed, policy)
        pins = bl.pins(p)
        got = np.where(pins.arc >= 0, p.arc_site[np.maximum(pins.arc, 0)], -1)
        a = solve(p)
        np.testing.assert_array_equal(got[a.pinned], a.site[a.pinned])
        assert (pins.arc >= 0).sum() == a.pinned.sum()


def test_the_check_catches_each_broken_rule(policy: Policy) -> None:
    """Capacity, ineligible pair, another client's arc and separation are each reported."""
    pre, p, arc_idx = _setup(2, policy)
    good = solve(p).arc.copy()
    assert violations(pre, p, arc_idx, good) == []
    # capacity: everyone with an arc into the fullest site goes there
    j = int(np.argmax(np.bincount(p.arc_site, minlength=p.n_sites)))
    crowd = good.copy()
    into_j = np.flatnonzero(p.arc_site == j)
    crowd[p.arc_client[into_j]] = into_j
    assert any("capacity" in v for v in violations(pre, p, arc_idx, crowd))
    # another client's arc
    swapped = good.copy()
    placed = np.flatnonzero(good >= 0)
    swapped[placed[0]], swapped[placed[1]] = good[placed[1]], good[placed[0]]
    assert any("another client's arc" in v for v in violations(pre, p, arc_idx, swapped))
    # separation: the chain's first two clients at the site built for them
    a, b = (int(x) for x in p.separate[0])
    both = {
        int(s) for s in p.arc_site[p.arc_client == a] if s in set(p.arc_site[p.arc_client == b])
    }
    if both:
        s = min(both)
        clash = good.copy()
        clash[a] = int(np.flatnonzero((p.arc_client == a) & (p.arc_site == s))[0])
        clash[b] = int(np.flatnonzero((p.arc_client == b) & (p.arc_site == s))[0])
        assert any("separated" in v for v in violations(pre, p, arc_idx, clash))


def test_project_result_maps_back_to_arcs(policy: Policy) -> None:
    """``arcs_of_result`` turns a match Result back into the solver's arcs, losslessly."""
    sites, clients = instance(3)
    result = match(sites, clients, policy)
    pre = prepare(sites, clients, policy)
    p, arc_idx = assignment_problem(pre)
    arc = arcs_of_result(result, pre, p)
    q = quality(pre, p, arc_idx, arc)
    assert q.placed == result.summary.placed
    assert q.objective == result.summary.objective
    assert violations(pre, p, arc_idx, arc) == []


def test_lsa_refuses_a_matrix_too_large(policy: Policy) -> None:
    """Above the cell limit, LSA is skipped with the size in the message."""
    _, p, _ = _setup(1, policy)
    with pytest.raises(bl.Skipped, match="cells"):
        bl.lsa(p, 10)
