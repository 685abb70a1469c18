"""The plain pipeline: the least a program must do to place a cohort, as a timing reference.

``python -m benchmarks.plain_pipeline --sites S --clients C --out R.json`` reads the same files
as ``penempatan match``, projects them to UTM (pyproj, the zone of the centroid), finds the
sites within each client's reach with a k-d tree on the projected coordinates (scipy), applies
the same eligibility rules as boolean array masks, solves one min-cost flow (OR-Tools) and
writes a compact JSON result (orjson): placements with their distance, and a summary.

What it leaves out, and the project does: input validation with one message per problem,
court-fixed and current placements, co-offender separation, alternatives per placement and a
reason for every unplaced client, progress output. ``benchmarks/startup.py`` times both as
whole processes (start to result file) and reports the ratio; ``make bench-smoke`` fails when
it passes ``startup.RATIO_GATE`` on the smoke instance.

The rules' data (the offence and health policy, the public holidays behind the working-day
count) come from the project (``matcher.policy``, ``matcher.workdays``): they are tables, not
pipeline work.
"""

from __future__ import annotations

import argparse
import csv
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import orjson
from numpy.typing import NDArray

from matcher.policy import default_policy
from matcher.vocab import DEMANDS, HAZARDS, POPULATIONS, RELIGIONS, WORK_TYPES
from matcher.workdays import day_bits, weekday_counts, workday_table

_POP, _HAZ, _WORK = sorted(POPULATIONS), sorted(HAZARDS), sorted(WORK_TYPES)
_REL = ["", *sorted(RELIGIONS)]
_GENDER_POLICY = {"any": 0, "female_only": 1, "male_only": 2}


def _bits(names: Any, vocab: list[str]) -> int:
    return sum(1 << vocab.index(n) for n in names if n)


def _split(cell: str) -> list[str]:
    return [x for x in cell.split(";") if x] if cell else []


def _day(iso: str) -> int:
    return (date.fromisoformat(iso) - date(1970, 1, 1)).days


def read_sites(path: Path) -> dict[str, NDArray[Any]]:
    feats = orjson.loads(path.read_bytes())["features"]
    props = [f["properties"] for f in feats]
    xy = np.array([f["geometry"]["coordinates"] for f in feats], np.float64).reshape(-1, 2)
    return {
        "id": np.array([p["site_id"] for p in props], object),
        "lon": xy[:, 0],
        "lat": xy[:, 1],
        "capacity": np.array([p["capacity"] for p in props], np.int64),
        "approved": np.array([p["approved"] for p in props], np.bool_),
        "commercial": np.array([p["commercial"] for p in props], np.bool_),
        "population": np.array([_bits(p["population"], _POP) for p in props], np.int64),
        "hazards": np.array([_bits(p["hazards"], _HAZ) for p in props], np.int64),
        "demand": np.array([DEMANDS.index(p["physical_demand"]) for p in props], np.int8),
        "gender_policy": np.array([_GENDER_POLICY[p["gender_policy"]] for p in props], np.int8),
        "female_sup": np.array(
            [p["supervisor_gender"] in ("female", "mixed") for p in props], np.bool_
        ),
        "religion": np.array([_REL.index(p["religion"] or "") for p in props], np.int8),
        "work": np.array([_bits(p["work_types"], _WORK) for p in props], np.int64),
        "open": np.array([day_bits(set(p["open_days"])) for p in props], np.int64),
        "hpd": np.array([p["hours_per_day"] for p in props], np.int64),
    }


def read_clients(path: Path, policy: Any) -> dict[str, NDArray[Any]]:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    op, oh, hh = policy.offence_populations, policy.offence_hazards, policy.health_hazards
    zones = [
        (i, *map(float, z.split(",")))
        for i, r in enumerate(rows)
        for z in _split(r["exclusion_zones"])
    ]
    z = np.array(zones, np.float64).reshape(-1, 4)
    counts = weekday_counts(
        np.array([_day(r["start_date"]) for r in rows], np.int64),
        np.array([_day(r["deadline"]) for r in rows], np.int64),
        np.array([day_bits(set(_split(r["available_days"]))) for r in rows], np.int64),
    )
    return {
        "id": np.array([r["client_id"] for r in rows], object),
        "lat": np.array([float(r["lat"]) for r in rows], np.float64),
        "lon": np.array([float(r["lon"]) for r in rows], np.float64),
        "reach": np.array(
            [float(r["max_travel_km"] or policy.max_travel_km) for r in rows], np.float64
        ),
        "female": np.array([r["gender"] == "female" for r in rows], np.bool_),
        "forbid_pop": np.array([_bits(op.get(r["offence"], ()), _POP) for r in rows], np.int64),
        "forbid_haz": np.array([_bits(oh.get(r["offence"], ()), _HAZ) for r in rows], np.int64),
        "health_haz": np.array(
            [
                _bits(set().union(*(hh.get(h, set()) for h in _split(r["health"]))), _HAZ)
                for r in rows
            ],
            np.int64,
        ),
        "fitness": np.array([DEMANDS.index(r["fitness"]) for r in rows], np.int8),
        "needs_female_sup": np.array(
            [r["needs_female_supervisor"] == "true" for r in rows], np.bool_
        ),
        "religion": np.array([_REL.index(r["religion"] or "") for r in rows], np.int8),
        "consent": np.array([r["worship_site_consent"] == "true" for r in rows], np.bool_),
        "skills": np.array([_bits(_split(r["skills"]), _WORK) for r in rows], np.int64),
        "hours": np.array([int(r["hours"]) for r in rows], np.int64),
        "hpd": np.array([int(r["hours_per_day"]) for r in rows], np.int64),
        "workdays": workday_table(counts),
        "zone_client": z[:, 0].astype(np.int64),
        "zone_lat": z[:, 1],
        "zone_lon": z[:, 2],
        "zone_r_km": z[:, 3],
    }


def project(
    lat: NDArray[np.float64], lon: NDArray[np.float64], centre: tuple[float, float]
) -> NDArray[np.float64]:
    """Metres in the UTM zone of ``centre`` (lat, lon)."""
    from pyproj import Transformer

    zone = int((centre[1] + 180.0) // 6.0) + 1
    epsg = (32600 if centre[0] >= 0 else 32700) + zone
    tr = Transformer.from_crs(4326, epsg, always_xy=True)
    x, y = tr.transform(lon, lat)
    return np.column_stack((x, y))


def run(sites_path: Path, clients_path: Path, out_path: Path) -> dict[str, Any]:
    from ortools.graph.python import min_cost_flow
    from scipy.spatial import cKDTree

    t0 = time.perf_counter()
    policy = default_policy()
    s = read_sites(sites_path)
    c = read_clients(clients_path, policy)
    centre = (float(np.mean(c["lat"])), float(np.mean(c["lon"])))
    cxy = project(c["lat"], c["lon"], centre)
    sxy = project(s["lat"], s["lon"], centre)
    zxy = project(c["zone_lat"], c["zone_lon"], centre)

    # candidates: projected metres x road factor within each client's reach
    limit_m = float(c["reach"].max()) * 1000.0 / policy.road_factor
    pairs = cKDTree(cxy).sparse_distance_matrix(cKDTree(sxy), limit_m, output_type="ndarray")
    ci, si = pairs["i"], pairs["j"]
    km = pairs["v"] / 1000.0 * policy.road_factor
    keep = km <= c["reach"][ci]
    ci, si, km = ci[keep], si[keep], km[keep]

    # the same rules as array masks
    gp, female = s["gender_policy"][si], c["female"][ci]
    rel = s["religion"][si]
    h = np.minimum(c["hpd"][ci], s["hpd"][si])
    ok = (
        s["approved"][si]
        & ~s["commercial"][si]
        & (s["capacity"][si] > 0)
        & ((s["population"][si] & c["forbid_pop"][ci]) == 0)
        & ((s["hazards"][si] & (c["forbid_haz"][ci] | c["health_haz"][ci])) == 0)
        & (s["demand"][si] <= c["fitness"][ci])
        & ((gp == 0) | ((gp == 1) & female) | ((gp == 2) & ~female))
        & (~c["needs_female_sup"][ci] | s["female_sup"][si])
        & ((rel == 0) | (rel == c["religion"][ci]) | c["consent"][ci])
        & (-(-c["hours"][ci] // h) <= c["workdays"][ci, s["open"][si]])
    )
    if c["zone_client"].size:
        # victim exclusion zones: a site inside a zone of its own client is out
        inside = cKDTree(sxy).query_ball_point(zxy, c["zone_r_km"] * 1000.0)
        banned = np.array(
            [
                int(zc) * len(sxy) + j
                for zc, js in zip(c["zone_client"], inside, strict=True)
                for j in js
            ],
            np.int64,
        )
        ok &= ~np.isin(ci.astype(np.int64) * len(sxy) + si, banned)
    ci, si, km = ci[ok], si[ok], km[ok]
    cost = np.rint(km * 1000.0).astype(np.int64) - np.where(
        (c["skills"][ci] & s["work"][si]) != 0, policy.skill_bonus_m, 0
    )

    # one min-cost flow: source -> client -> site -> sink
    n, m = c["id"].size, s["id"].size
    source, sink = n + m, n + m + 1
    shift = max(0, -int(cost.min())) if cost.size else 0
    tails = np.concatenate((np.full(n, source), ci, n + np.arange(m)))
    heads = np.concatenate((np.arange(n), n + si, np.full(m, sink)))
    caps = np.concatenate((np.ones(n + ci.size, np.int64), s["capacity"]))
    costs = np.concatenate((np.zeros(n, np.int64), cost + shift, np.zeros(m, np.int64)))
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supply = int(min(n, s["capacity"].sum()))
    flow.set_node_supply(source, supply)
    flow.set_node_supply(sink, -supply)
    if flow.solve_max_flow_with_min_cost() != flow.OPTIMAL:
        raise SystemExit("min-cost flow: not optimal")
    used = flow.flows(np.arange(n, n + ci.size)) > 0
    pc, ps, pk = ci[used], si[used], km[used]
    placements = [
        {"client_id": a, "site_id": b, "distance_km": round(d, 3)}
        for a, b, d in zip(c["id"][pc].tolist(), s["id"][ps].tolist(), pk.tolist(), strict=True)
    ]
    summary = {
        "clients": int(n),
        "placed": len(placements),
        "objective": int(cost[used].sum()),
        "arcs_in_reach": int(keep.sum()),
        "eligible_arcs": int(ci.size),
        "runtime_s": round(time.perf_counter() - t0, 3),
    }
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_bytes(orjson.dumps({"summary": summary, "placements": placements}))
    return summary


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sites", type=Path, required=True)
    ap.add_argument("--clients", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    run(args.sites, args.clients, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
