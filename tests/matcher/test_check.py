"""A result checks itself (matcher.check): the solver's results are feasible on random
instances, and a result tampered with breaks the rule it was made to break."""

from __future__ import annotations

from dataclasses import replace

import pytest
from builders import CENTRE, Shape, client, north, policy, random_instance, site

from matcher.pipeline import match
from matcher.result import Result


@pytest.mark.parametrize("seed", range(6))
def test_solver_results_are_feasible(seed: int) -> None:
    sites, clients = random_instance(seed, Shape(tight=True, strict=0.5, pairs=1.0))
    result = match(sites, clients, policy())
    assert result.violations() == []
    assert result.is_feasible()


def _two_clients_one_place() -> tuple[Result, Result]:
    sites = [site("s1", capacity=1, lat=north(1)[0], lon=CENTRE[1]), site("s2", capacity=1)]
    clients = [client("c1"), client("c2")]
    result = match(sites, clients, policy())
    assert len(result.placements) == 2
    first, second = result.placements
    crowded = replace(result, placements=(first, replace(second, site_id=first.site_id)))
    return result, crowded


def test_capacity_breach_is_found() -> None:
    good, crowded = _two_clients_one_place()
    assert good.is_feasible()
    assert any("capacity" in v for v in crowded.violations())


def test_ineligible_pair_is_found() -> None:
    sites = [site("s1"), site("bad", commercial=True)]
    result = match(sites, [client("c1")], policy())
    (p,) = result.placements
    moved = replace(result, placements=(replace(p, site_id="bad"),))
    assert not moved.is_feasible()


def test_objective_that_does_not_add_up_is_found() -> None:
    result = match([site("s1")], [client("c1")], policy())
    wrong = replace(result, summary=replace(result.summary, objective=result.summary.objective + 1))
    assert any("objective" in v for v in wrong.violations())


def test_a_result_without_its_instance_cannot_be_checked() -> None:
    result = match([site("s1")], [client("c1")], policy())
    with pytest.raises(ValueError, match="no instance"):
        replace(result, instance=None).violations()
