"""The benchmark's quality gate: what makes `make bench-smoke` fail, and what only warns."""

from __future__ import annotations

from typing import Any

from benchmarks.run import _flow_warnings, _gate, _reference


def _size(project: tuple[int, int], mip: tuple[int, int], exact: bool = True) -> dict[str, Any]:
    return {
        "name": "S",
        "methods": [
            {"method": "project", "placed": project[0], "objective": project[1], "exact": True},
            {"method": "mip", "placed": mip[0], "objective": mip[1], "exact": exact},
        ],
    }


def test_gate_passes_at_the_optimum() -> None:
    """Same placed and objective as the MIP optimum: no failure."""
    assert _gate([_size((10, 500), (10, 500))]) == []


def test_gate_fails_on_fewer_placed_or_a_larger_objective() -> None:
    """One client fewer, or a larger objective at equal placed, fails the run."""
    assert "placed 9 < mip optimum 10" in _gate([_size((9, 400), (10, 500))])[0]
    assert "objective 501 > mip optimum 500" in _gate([_size((10, 501), (10, 500))])[0]


def test_gate_ignores_a_reference_that_proved_nothing() -> None:
    """A MIP stopped by its time limit is no reference."""
    assert _gate([_size((9, 400), (10, 500), exact=False)]) == []


def test_exact_references_must_agree() -> None:
    """Two methods that both claim the optimum but differ are a failure of the benchmark."""
    rows = [
        {"method": "mip", "placed": 10, "objective": 500, "exact": True},
        {"method": "flow_cliques", "placed": 10, "objective": 499, "exact": True},
    ]
    ref, failures = _reference(rows)
    assert ref is not None and ref["method"] == "mip"
    assert failures and "disagree" in failures[0]


def test_slow_solver_only_warns() -> None:
    """More than 2x the plain flow is a warning (returned), never a gate failure."""
    size = {
        "name": "M",
        "flow_ratio": {"solver_best_s": 1.0, "flow_best_s": 0.2, "ratio": 5.0, "repeats": 3},
        "methods": [],
    }
    assert _flow_warnings([size]) and _gate([size]) == []
