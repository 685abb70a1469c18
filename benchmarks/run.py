"""The benchmark runner: ``python -m benchmarks.run [--smoke] [--only S,M]``.

Each size runs in its own process (``--child NAME``) so that peak memory is clean; inside it,
every method runs on the same instance, the same arcs, one after the other:

1. the project's pipeline end to end, as ``penempatan match`` does it: files in (read and
   validate), candidates, eligibility, solve, explain, result JSON out, each stage timed;
2. setup, not timed: the eligibility and the solver's arcs again, shared by the baselines;
3. the project's solver by regions (``matcher.regions``), in one process and in 2 workers;
4. the baselines and references of ``benchmarks.baselines``, each checked against the hard
   rules (a violation fails the run) and compared with the exact optimum.

``make bench`` writes ``results/<timestamp>.json``, ``results/latest.md`` and
``results/time_vs_size.png``. ``make bench-smoke`` (S and M) prints the quality table and exits
1 when the project's solver places fewer clients than the exact reference (the HiGHS MIP or
CP-SAT optimum) or, placing as many, has a larger objective, or when any answer breaks a hard
rule; its time is printed as a ratio to the plain min-cost flow on the same arcs (a warning
only: CI machines are noisy). It also exits 1 when ``penempatan match``, end to end as a whole
process, takes more than ``benchmarks.end_to_end.RATIO_GATE`` (2.0) times the plain pipeline
(``benchmarks.plain_pipeline``) on the ``mountain-S`` instance (median of per-turn ratios).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
SPEEDUP_WORKERS = 2
PROJECTED_CORES = (1, 2, 4, 8, 16, 32)
FLOW_RATIO_WARN = 2.0
MIN_WARN_S = 0.05  # below this, a ratio of two timer readings is noise
RATIO_REPEATS = 3

# Method names in report order, with a short description for the tables.
METHODS: dict[str, str] = {
    "project": "project solver, `match` end to end (files in, JSON out)",
    "regions": "project solver by regions, 1 process",
    f"regions-{SPEEDUP_WORKERS}w": f"project solver by regions, {SPEEDUP_WORKERS} worker processes",
    "flow": "plain min-cost flow on the same arcs (timing reference; ignores separate_from)",
    "flow_cliques": "min-cost flow with co-offender gadgets (exact when groups are cliques)",
    "mip": "HiGHS MIP (scipy.optimize.milp, own process), one weighted objective",
    "cpsat": "CP-SAT on all eligible pairs, greedy hint",
    "lsa": "scipy linear_sum_assignment, capacity-replicated dense matrix",
    "greedy_global": "greedy, cheapest eligible pair first",
    "greedy_arrival": "greedy, arrival order, nearest eligible site with room",
}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# Memory: the process's resident-set high-water mark, reset before each method (Linux), so
# that each method's peak is its own; elsewhere only the process-wide peak is known.


def _status_kb(key: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def rss_mb() -> float:
    kb = _status_kb("VmRSS")
    return (kb or 0) / 1024.0


def reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def peak_mb() -> float:
    kb = _status_kb("VmHWM")
    if kb is None:
        kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024.0


# --------------------------------------------------------------------------------------------
# One size, in its own process


def run_child(name: str, out_json: Path) -> None:
    import numpy as np

    from benchmarks import baselines as bl
    from benchmarks.instances import ensure, select
    from geo.io import read_clients, read_sites
    from matcher.check import arcs_of_result, quality, violations
    from matcher.pipeline import assignment_problem, match, match_in_regions, prepare
    from matcher.policy import default_policy
    from matcher.regions import histogram, make_executor, projected_makespan
    from matcher.solver import SolveParams, SolverError
    from matcher.validate import validate_inputs

    inst = select([name], smoke=False)[0]
    folder = ensure(inst)
    load_before = os.getloadavg()
    sites_path, clients_path = folder / "sites.geojson", folder / "clients.csv"
    out_dir = Path(tempfile.mkdtemp(prefix=f"bench-{name}-"))
    params = SolveParams(time_limit_s=inst.project_time_limit_s)
    tag = f"[{name}]"

    # 1. the project end to end, first, in a fresh process: its peak is the process's peak
    t0 = time.perf_counter()
    policy = default_policy()
    sites, clients = validate_inputs(read_sites(sites_path), read_clients(clients_path))
    t_load = time.perf_counter() - t0
    log(f"{tag} load {t_load:.2f} s ({len(clients):,} clients, {len(sites):,} sites)")
    error = ""
    try:
        result = match(sites, clients, policy, params)
    except SolverError as exc:
        error = f"SolverError: {exc}"
        result = None
    t1 = time.perf_counter()
    t_write = 0.0
    if result is not None:
        json_path = out_dir / "result.json"
        json_path.write_text(
            json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        t_write = time.perf_counter() - t1
        json_path.unlink()
    e2e = time.perf_counter() - t0
    project_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    tm = result.timings if result is not None else {}
    stages = {
        "load": t_load,
        "candidates": tm.get("candidates", 0.0),
        "eligibility": tm.get("prepare", 0.0) - tm.get("candidates", 0.0),
        "solve": tm.get("solve", 0.0),
        "explain": tm.get("explain", 0.0),
        "write": t_write,
        "end_to_end": e2e,
        **{k: v for k, v in tm.items() if k.startswith("solve_") or k == "arrays"},
    }
    status = result.summary.status if result is not None else error
    log(f"{tag} project end to end {e2e:.2f} s ({status})")

    # 2. setup, not timed: the same arcs for everyone
    t = time.perf_counter()
    pre = prepare(sites, clients, policy)
    warm_prepare = time.perf_counter() - t
    problem, arc_idx = assignment_problem(pre)
    dist = pre.elig.arcs.distance_km[arc_idx]
    # a baseline's end to end: the same files read and the same arcs found (warm process)
    shared = stages["load"] + warm_prepare

    rows: list[dict[str, Any]] = []
    failures: list[str] = []

    def record(
        method: str,
        arc: Any,
        status: str,
        solve_s: float,
        e2e_s: float | None,
        peak: float,
        delta: float | None,
        exact: bool,
        note: str = "",
        relaxation: bool = False,
        extra: dict[str, float] | None = None,
    ) -> None:
        broken = violations(pre, problem, arc_idx, arc, check_separation=not relaxation)
        if broken:
            failures.append(f"{name} {method}: " + "; ".join(broken[:3]))
        q = quality(pre, problem, arc_idx, arc)
        rows.append(
            {
                "method": method,
                "status": status,
                "exact": exact,
                "note": note,
                **asdict(q),
                "solve_s": round(solve_s, 4),
                "end_to_end_s": None if e2e_s is None else round(e2e_s, 3),
                "peak_mb": round(peak, 1),
                "delta_mb": None if delta is None else round(delta, 1),
                "violations": broken[:5],
                **({"extra": {k: round(v, 4) for k, v in extra.items()}} if extra else {}),
            }
        )
        log(
            f"{tag} {method:15s} {status:10s} placed {q.placed:>7,} obj {q.objective:>13,} "
            f"solve {solve_s:8.3f} s peak {peak:7.0f} MB" + (f"  {note}" if note else "")
        )

    if result is not None:
        record(
            "project",
            arcs_of_result(result, pre, problem),
            result.summary.status,
            stages["solve"],
            e2e,
            project_peak,
            None,
            exact=result.summary.status == "OPTIMAL",
            note=_cpsat_note(result.timings),
        )
    else:
        failures.append(f"{name} project: {error}")
        rows.append({"method": "project", "status": "ERROR", "note": error})

    def measured(fn: Callable[[], Any]) -> tuple[Any, float, float, float]:
        gc.collect()
        before = rss_mb()
        reset_peak()
        t = time.perf_counter()
        out = fn()
        return out, time.perf_counter() - t, peak_mb(), peak_mb() - before

    # 3. by regions, 1 process then SPEEDUP_WORKERS warm workers
    region_info: dict[str, Any] = {}
    try:
        (res1, run1), _, peak, delta = measured(
            lambda: match_in_regions(sites, clients, policy, params=params)
        )
        t = time.perf_counter()
        (out_dir / "r.json").write_text(json.dumps(res1.to_dict(), ensure_ascii=False, indent=2))
        w1 = time.perf_counter() - t
        s1 = res1.timings["solve"]
        e1 = t_load + res1.timings["prepare"] + s1 + res1.timings["explain"] + w1
        record(
            "regions",
            arcs_of_result(res1, pre, problem),
            res1.summary.status,
            s1,
            e1,
            peak,
            delta,
            exact=res1.summary.status == "OPTIMAL",
            note=_cpsat_note(res1.timings),
        )
        t = time.perf_counter()
        pool = make_executor(SPEEDUP_WORKERS)
        list(pool.map(abs, range(SPEEDUP_WORKERS * 2)))  # start and warm the workers
        pool_start = time.perf_counter() - t
        (res2, run2), _, peak, delta = measured(
            lambda: match_in_regions(
                sites, clients, policy, params=params, workers=SPEEDUP_WORKERS, executor=pool
            )
        )
        pool.shutdown()
        s2 = res2.timings["solve"]
        e2 = t_load + res2.timings["prepare"] + s2 + res2.timings["explain"] + w1
        record(
            f"regions-{SPEEDUP_WORKERS}w",
            arcs_of_result(res2, pre, problem),
            res2.summary.status,
            s2,
            e2,
            peak,
            delta,
            exact=res2.summary.status == "OPTIMAL",
            note=f"pool start {pool_start:.2f} s (not counted)",
        )
        secs = run1.seconds
        region_info = {
            "count": len(run1.split.regions),
            "largest_clients": int(run1.split.sizes().max()) if secs.size else 0,
            "largest_arcs": int(run1.split.arc_counts().max()) if secs.size else 0,
            "histogram": [asdict(b) for b in histogram(run1.split)],
            "split_s": round(run1.timings["split"], 4),
            "merge_s": round(run1.timings["merge"], 4),
            "solve_1_s": round(run1.timings["regions"], 4),
            f"solve_{SPEEDUP_WORKERS}w_s": round(run2.timings["regions"], 4),
            "speedup": round(run1.timings["regions"] / max(run2.timings["regions"], 1e-9), 2),
            "pool_start_s": round(pool_start, 3),
            "largest_region_s": round(float(secs.max()) if secs.size else 0.0, 4),
            "projected_s": {str(c): round(projected_makespan(secs, c), 4) for c in PROJECTED_CORES},
        }
        del res1, res2
    except SolverError as exc:
        failures.append(f"{name} regions: SolverError: {exc}")
        rows.append({"method": "regions", "status": "ERROR", "note": str(exc)})

    # 4. baselines and references, on the same arcs
    def baseline(method: str, fn: Callable[[], Any], relaxation: bool = False) -> Any:
        delta: float | None
        try:
            sol, _, peak, delta = measured(fn)
        except bl.Skipped as why:
            rows.append({"method": method, "status": "SKIPPED", "note": str(why)})
            log(f"{tag} {method:15s} skipped: {why}")
            return None
        if "peak_mb" in sol.extra:  # solved in its own process: that process's peak
            peak, delta = sol.extra["peak_mb"], None
        if not sol.has_solution:
            rows.append(
                {
                    "method": method,
                    "status": sol.status,
                    "note": sol.note,
                    "solve_s": round(sol.seconds, 3),
                    "peak_mb": round(peak, 1),
                }
            )
            log(f"{tag} {method:15s} {sol.status}: {sol.note}")
            return None
        record(
            method,
            sol.arc,
            sol.status,
            sol.seconds,
            shared + sol.seconds,
            peak,
            delta,
            exact=sol.exact,
            note=sol.note,
            relaxation=relaxation,
            extra=sol.extra,
        )
        return sol

    baseline("flow", lambda: bl.flow(problem), relaxation=True)
    baseline("flow_cliques", lambda: bl.flow_cliques(problem))
    greedy = baseline("greedy_global", lambda: bl.greedy_global(problem))
    baseline("greedy_arrival", lambda: bl.greedy_arrival(problem, dist))
    baseline("lsa", lambda: bl.lsa(problem, inst.lsa_max_cells))
    baseline("mip", lambda: bl.mip_bounded(problem, inst.mip_time_limit_s))
    baseline(
        "cpsat",
        lambda: bl.cpsat(problem, inst.cpsat_time_limit_s, inst.cpsat_workers, greedy),
    )

    # the solve-time ratio to the plain flow, on the same arcs in this warm process: best of
    # RATIO_REPEATS each, alternating, so that one noisy reading does not decide it
    from matcher.solver import solve

    best_solve, best_flow = float("inf"), float("inf")
    for _ in range(RATIO_REPEATS):
        t = time.perf_counter()
        solve(problem, params)
        best_solve = min(best_solve, time.perf_counter() - t)
        best_flow = min(best_flow, bl.flow(problem).seconds)
    ratio = {
        "solver_best_s": round(best_solve, 4),
        "flow_best_s": round(best_flow, 4),
        "ratio": round(best_solve / max(best_flow, 1e-9), 2),
        "repeats": RATIO_REPEATS,
    }
    log(f"{tag} solver / plain flow, best of {RATIO_REPEATS}: {ratio['ratio']:.2f}x")

    reference, ref_failures = _reference(rows)
    failures += [f"{name}: {f}" for f in ref_failures]
    for r in rows:
        if reference is not None and "placed" in r:
            r["d_placed"] = reference["placed"] - r["placed"]
            r["d_objective"] = r["objective"] - reference["objective"]
            r["d_total_km"] = round(r["total_km"] - reference["total_km"], 3)
    flow_row = next((r for r in rows if r["method"] == "flow" and "solve_s" in r), None)
    info = {
        "name": inst.name,
        "label": inst.label,
        "size": inst.size,
        "clients": inst.clients,
        "sites": inst.sites,
        "kabupaten": inst.kabupaten,
        "spacing_km": inst.spacing_km,
        "seed": inst.seed,
        "limits": {
            "project_cpsat_per_component_s": inst.project_time_limit_s,
            "cpsat_s": inst.cpsat_time_limit_s,
            "cpsat_workers": inst.cpsat_workers,
            "mip_s": inst.mip_time_limit_s,
            "lsa_max_cells": inst.lsa_max_cells,
        },
        "arcs_in_reach": len(pre.elig.arcs),
        "eligible_arcs": int(problem.arc_client.size),
        "capacity": int(problem.capacity.sum()),
        "separate_pairs": int(problem.separate.shape[0]),
        "fixed_sites": int((problem.fixed >= 0).sum()),
        "project_stages": {k: round(v, 4) for k, v in stages.items()},
        "project_peak_mb": round(project_peak, 1),
        "warm_prepare_s": round(warm_prepare, 4),
        "regions": region_info,
        "reference": None if reference is None else reference["method"],
        "flow_s": None if flow_row is None else flow_row["solve_s"],
        "flow_ratio": ratio,
        "methods": rows,
        "failures": failures,
        # other work on the machine makes every time longer: the 1-minute load average
        "loadavg_1min": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
    }
    out_json.write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    del np


def _cpsat_note(timings: dict[str, float]) -> str:
    c = timings.get("solve_cpsat", 0.0)
    return f"CP-SAT repair {c:.1f} s" if c >= 0.05 else ""


def _reference(rows: list[dict[str, Any]]) -> tuple[dict[str, Any] | None, list[str]]:
    """The exact optimum: every method that proved one must agree (else a failure)."""
    exact = [
        r
        for r in rows
        if r.get("exact")
        and r["method"] not in ("project", "regions")
        and "placed" in r
        and not r["method"].startswith("regions")
    ]
    failures = []
    for r in exact[1:]:
        if (r["placed"], r["objective"]) != (exact[0]["placed"], exact[0]["objective"]):
            failures.append(
                f"exact references disagree: {exact[0]['method']} "
                f"({exact[0]['placed']}, {exact[0]['objective']}) vs {r['method']} "
                f"({r['placed']}, {r['objective']})"
            )
    # prefer the independent formulations as the named reference
    for name in ("mip", "cpsat", "lsa", "flow_cliques", "flow"):
        for r in exact:
            if r["method"] == name:
                return r, failures
    return None, failures


# --------------------------------------------------------------------------------------------
# The parent: one process per size, then the report


def run_sizes(names: list[str] | None, smoke: bool) -> list[dict[str, Any]]:
    from benchmarks.instances import ensure, select

    out = []
    for inst in select(names, smoke):
        t = time.perf_counter()
        ensure(inst)
        log(f"[{inst.name}] instance ready in {time.perf_counter() - t:.1f} s ({inst.size})")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "size.json"
            t = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "-m", "benchmarks.run", "--child", inst.name, "--json", str(path)],
                cwd=HERE.parent,
                check=False,
            )
            wall = time.perf_counter() - t
            if proc.returncode != 0 or not path.exists():
                out.append(
                    {
                        "name": inst.name,
                        "size": inst.size,
                        "label": inst.label,
                        "methods": [],
                        "failures": [f"{inst.name}: child process exited {proc.returncode}"],
                    }
                )
                continue
            info = json.loads(path.read_text(encoding="utf-8"))
        info["process_wall_s"] = round(wall, 2)
        out.append(info)
    return out


def machine() -> dict[str, Any]:
    import numpy
    import ortools
    import scipy

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=HERE.parent, capture_output=True, text=True
    ).stdout.strip()
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "ortools": getattr(ortools, "__version__", "?"),
        "scipy": scipy.__version__,
        "numpy": numpy.__version__,
        "commit": commit,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--smoke", action="store_true", help="S and M only; gate on quality")
    ap.add_argument("--only", help="comma-separated instance names (see instances.toml)")
    ap.add_argument("--no-write", action="store_true", help="print only, write no results")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--json", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        run_child(args.child, Path(args.json))
        return 0

    from benchmarks.report import markdown, plot, quality_table

    started = datetime.now(UTC)
    t = time.perf_counter()
    sizes = run_sizes(args.only.split(",") if args.only else None, args.smoke)
    doc = {
        "started": started.isoformat(timespec="seconds"),
        "wall_s": round(time.perf_counter() - t, 1),
        "smoke": args.smoke,
        "machine": machine(),
        "methods": METHODS,
        "instances": sizes,
    }
    print(quality_table(doc))
    failures = [f for s in sizes for f in s.get("failures", [])]
    failures += _gate(sizes)
    if args.smoke:
        from benchmarks.end_to_end import smoke_gate

        # issue 14: whole `penempatan match` processes against the plain pipeline
        e2e, e2e_failures = smoke_gate()
        print(
            f"end to end on {e2e['instance']} ({e2e['size']}): `penempatan match` "
            f"{e2e['commands']['project']['wall_median_s']:.2f} s, plain pipeline "
            f"{e2e['commands']['plain']['wall_median_s']:.2f} s: ratio {e2e['ratio']:.2f}x "
            f"(CPU {e2e['ratio_cpu']:.2f}x; gate {e2e['gate']:g}x; load "
            f"{e2e['load_before']:.1f} / {e2e['load_after']:.1f})"
        )
        failures += e2e_failures
    warnings = _flow_warnings(sizes)
    for w in warnings:
        print(f"warning: {w}")
    if not args.smoke and not args.no_write:
        RESULTS.mkdir(parents=True, exist_ok=True)
        stamp = started.strftime("%Y%m%dT%H%M%SZ")
        (RESULTS / f"{stamp}.json").write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
        (RESULTS / "latest.md").write_text(markdown(doc), encoding="utf-8")
        plot(doc, RESULTS / "time_vs_size.png")
        print(f"wrote {RESULTS}/{stamp}.json, latest.md, time_vs_size.png")
    if failures:
        for f in failures:
            print(f"FAIL: {f}")
        return 1
    print(f"ok: {len(sizes)} size(s) in {doc['wall_s']:.0f} s; no hard rule broken")
    return 0


def _row(size: dict[str, Any], method: str) -> dict[str, Any] | None:
    return next((r for r in size.get("methods", []) if r["method"] == method), None)


def _gate(sizes: list[dict[str, Any]]) -> list[str]:
    """The project's solver must match the exact reference (MIP or CP-SAT optimum)."""
    out = []
    for s in sizes:
        ref = next(
            (r for m in ("mip", "cpsat") if (r := _row(s, m)) is not None and r.get("exact")),
            None,
        )
        if ref is None:
            continue
        for m in ("project", "regions", f"regions-{SPEEDUP_WORKERS}w"):
            r = _row(s, m)
            if r is None or "placed" not in r:
                continue
            if r["placed"] < ref["placed"]:
                out.append(
                    f"{s['name']} {m}: placed {r['placed']} < {ref['method']} optimum "
                    f"{ref['placed']}"
                )
            elif r["placed"] == ref["placed"] and r["objective"] > ref["objective"]:
                out.append(
                    f"{s['name']} {m}: objective {r['objective']} > {ref['method']} optimum "
                    f"{ref['objective']}"
                )
    return out


def _flow_warnings(sizes: list[dict[str, Any]]) -> list[str]:
    """Solver time over plain-flow time on the same arcs (best of a few runs each)."""
    out = []
    for s in sizes:
        r = s.get("flow_ratio")
        if not r:
            continue
        print(
            f"{s['name']}: project solver {r['solver_best_s']:.3f} s, plain min-cost flow "
            f"{r['flow_best_s']:.3f} s on the same arcs: {r['ratio']:.2f}x "
            f"(best of {r['repeats']})"
        )
        if r["ratio"] > FLOW_RATIO_WARN and r["solver_best_s"] >= MIN_WARN_S:
            out.append(f"{s['name']}: project solver is {r['ratio']:.1f}x the plain flow")
    return out


if __name__ == "__main__":
    sys.exit(main())
