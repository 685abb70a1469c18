"""Golden instances: small readable inputs (tests/matcher/golden/<name>/sites.json and
clients.json, records of the data contract) with their optimum verified by the reference MIP
(expected.json). Only the number placed, the objective (exact integers) and outcomes that no
tie can change are compared; assignments are not (ties)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from builders import Record, policy
from reference import solve_mip

from matcher.model import Client, Site
from matcher.pipeline import match
from matcher.validate import validate_inputs

GOLDEN = Path(__file__).parent / "golden"
NAMES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir())


def load(name: str) -> tuple[list[Site], list[Client], dict[str, Any]]:
    folder = GOLDEN / name

    def records(file: str) -> list[Record]:
        rows = json.loads((folder / file).read_text(encoding="utf-8"))
        return [Record(f"{name}/{file} item {i}", row) for i, row in enumerate(rows)]

    sites, clients = validate_inputs(records("sites.json"), records("clients.json"))
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    return sites, clients, expected


def test_there_are_golden_instances() -> None:
    """The three golden instances are present (a missing folder must not pass silently)."""
    assert NAMES == ["cohort_capacity", "pins_and_separation", "safety_rules"]


@pytest.mark.parametrize("name", NAMES)
def test_golden_optimum(name: str) -> None:
    """match on the validated records places the expected number at the expected objective,
    OPTIMAL with bound == objective, and the forced outcomes carry their reason codes."""
    sites, clients, expected = load(name)
    assert len(clients) == expected["clients"]
    result = match(sites, clients, policy())
    assert result.summary.placed == expected["placed"]
    assert result.summary.objective == expected["objective"]
    assert result.summary.status == "OPTIMAL"
    assert result.summary.bound == result.summary.objective
    codes = {u.client_id: u.reasons[0].code for u in result.unplaced}
    for client_id, code in expected["forced_unplaced"].items():
        assert codes.get(client_id) == code


@pytest.mark.parametrize("name", NAMES)
def test_golden_expected_values_are_the_reference_optimum(name: str) -> None:
    """expected.json still holds the reference MIP's optimum (so a stale file is caught)."""
    sites, clients, expected = load(name)
    ref = solve_mip(sites, clients, policy())
    assert (ref.placed, ref.objective) == (expected["placed"], expected["objective"])
