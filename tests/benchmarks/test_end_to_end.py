"""The plain pipeline is a real, rule-abiding placement, and the end-to-end gate fails past 2x."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import orjson
import pytest

from benchmarks import end_to_end
from benchmarks.plain_pipeline import run
from geo.io import read_clients, read_sites
from matcher.eligibility import evaluate
from matcher.planning.synthetic import generate_district, write_district
from matcher.policy import default_policy
from matcher.rules import ELIGIBILITY_INDEX
from matcher.validate import validate_inputs


def test_plain_pipeline_places_only_eligible_pairs_within_capacity(tmp_path: Path) -> None:
    """Every plain placement passes the project's rules (reach aside: UTM metres differ from the
    sphere by a hair) and no site takes more than its capacity."""
    write_district(generate_district(clients=300, sites=60, seed=5), tmp_path)
    out = tmp_path / "plain.json"
    summary = run(tmp_path / "sites.geojson", tmp_path / "clients.csv", out)
    doc = orjson.loads(out.read_bytes())
    assert summary["placed"] == len(doc["placements"]) > 0
    sites, clients = validate_inputs(
        read_sites(tmp_path / "sites.geojson"), read_clients(tmp_path / "clients.csv")
    )
    elig, _, _ = evaluate(clients, sites, default_policy())
    ci = {c.client_id: i for i, c in enumerate(clients)}
    sj = {s.site_id: j for j, s in enumerate(sites)}
    rules = np.delete(elig.passes, ELIGIBILITY_INDEX["too_far"], axis=0).all(axis=0)
    for p in doc["placements"]:
        a = int(elig.arcs.find(np.array([ci[p["client_id"]]]), np.array([sj[p["site_id"]]]), 60)[0])
        assert a >= 0 and rules[a], p
        assert p["distance_km"] == pytest.approx(
            float(elig.arcs.distance_km[a]), rel=0.01, abs=0.01
        )
    used = Counter(p["site_id"] for p in doc["placements"])
    assert all(used[s.site_id] <= s.capacity for s in sites)


@pytest.mark.parametrize(("ratio", "fails"), [(1.4, False), (2.0, False), (2.01, True)])
def test_smoke_gate_fails_past_two(monkeypatch: pytest.MonkeyPatch, ratio: float, fails: bool):
    """`make bench-smoke` fails when `match` passes 2x the plain pipeline, not at or below it."""
    row = {"ratio": ratio, "ratio_cpu": ratio}
    monkeypatch.setattr(end_to_end, "versus_plain", lambda name, rounds: row)
    _, failures = end_to_end.smoke_gate()
    assert bool(failures) is fails
