"""The engine's optimum equals an independent exact MIP (``reference.solve_mip``, SCIP).

Lexicographic objective: first the number placed, then the total cost in metres. Both are
compared exactly as integers; assignments are never compared (ties are common).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import numpy as np
import pytest
from builders import PROPERTY_SETTINGS, Record, Shape, instances, policy, random_instance
from hypothesis import given
from reference import solve_mip

from matcher.model import Client, Site
from matcher.pipeline import assignment_problem, match, prepare
from matcher.solver import solve
from matcher.validate import validate_inputs

NO_SEPARATION = Shape(separate=False, tight=True, strict=0.5)
"""Capacities 1-3 (they bind), pins now and then, no separate_from: the min-cost-flow path."""
SEPARATION = Shape(separate=True, tight=True, strict=0.5, pairs=1.0)
"""As above plus up to one separate_from pair per client, co-offenders living close by:
separations collide in the flow relaxation and CP-SAT repairs the components."""
SEEDS = range(24)


def check_optimal(sites: list[Site], clients: list[Client]) -> None:
    result = match(sites, clients, policy())
    ref = solve_mip(sites, clients, policy())
    assert (result.summary.placed, result.summary.objective) == (ref.placed, ref.objective)
    assert result.summary.status == "OPTIMAL"
    assert result.summary.bound == result.summary.objective


@pytest.mark.parametrize("seed", SEEDS)
def test_optimal_without_separation(seed: int) -> None:
    """Without separate_from, match places as many as the MIP at the same total cost, and
    reports OPTIMAL with bound == objective."""
    check_optimal(*random_instance(seed, NO_SEPARATION))


@pytest.mark.parametrize("seed", SEEDS)
def test_optimal_with_separation(seed: int) -> None:
    """With separate_from pairs and tight capacities, match still equals the MIP (most placed,
    then least cost), OPTIMAL with bound == objective."""
    check_optimal(*random_instance(seed, SEPARATION))


def test_seeded_instances_exercise_what_they_claim() -> None:
    """The seeded instances are not trivial: capacity leaves clients unplaced with
    eligible_sites_full, and separation binds (the optimum without it differs) in several of
    the SEPARATION instances, some through gadget nodes (cliques) and some through the branch
    and bound (pairs outside cliques); else the tests above would prove little."""
    codes: Counter[str] = Counter()
    binding = branched = 0
    for seed in SEEDS:
        for shape in (NO_SEPARATION, SEPARATION):
            sites, clients = random_instance(seed, shape)
            result = match(sites, clients, policy())
            codes.update(u.reasons[0].code for u in result.unplaced)
            if shape is SEPARATION:
                problem, _ = assignment_problem(prepare(sites, clients, policy()))
                with_sep = solve(problem)
                relaxed = solve(replace(problem, separate=np.empty((0, 2), np.int64)))
                binding += (with_sep.placed, with_sep.objective) != (
                    relaxed.placed,
                    relaxed.objective,
                )
                branched += with_sep.flow_nodes > 1 or with_sep.cpsat_components > 0
    assert codes["eligible_sites_full"] >= 20
    assert codes["separation_conflict"] >= 1
    assert binding >= 5
    assert branched >= 1


@PROPERTY_SETTINGS
@given(instances(Shape(tight=True, strict=0.5, pairs=0.6)))
def test_optimal_on_random_instances(instance: tuple[list[Site], list[Client]]) -> None:
    """On Hypothesis instances (pins, separations, tight capacity), match equals the MIP."""
    check_optimal(*instance)


@pytest.mark.parametrize(("seed", "n_clients", "n_sites"), [(2, 300, 60), (3, 300, 40)])
def test_optimal_on_synthetic_districts(seed: int, n_clients: int, n_sites: int) -> None:
    """On Banyumas-like districts from ``matcher.planning.synthetic.generate_district``
    (records validated by ``validate_inputs``; sites scarce enough that capacity binds), match
    equals the MIP."""
    synth = pytest.importorskip("matcher.planning.synthetic")
    district = synth.generate_district(clients=n_clients, sites=n_sites, seed=seed)
    sites, clients = validate_inputs(
        [Record(f"site {i}", v) for i, v in enumerate(district.sites)],
        [Record(f"client {i}", v) for i, v in enumerate(district.clients)],
    )
    check_optimal(sites, clients)


def test_cpsat_fallback_is_exact_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the branch and bound over flows runs out of nodes at once, CP-SAT on the colliding
    components (warm-started from the best node) still reaches the MIP optimum; some of the
    seeded instances do go through CP-SAT then."""
    monkeypatch.setattr("matcher.solver.MAX_FLOW_NODES", 1)
    used_cpsat = 0
    for seed in SEEDS:
        sites, clients = random_instance(seed, SEPARATION)
        check_optimal(sites, clients)
        problem, _ = assignment_problem(prepare(sites, clients, policy()))
        used_cpsat += solve(problem).cpsat_components > 0
    assert used_cpsat >= 2
