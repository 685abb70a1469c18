"""Where a person waits: whole processes, from start to result file (issue 14).

``python -m benchmarks.end_to_end [--only mountain,S] [--rounds 5] [--write]``

* start-up: ``penempatan --help`` and ``penempatan match`` on the 300 x 60 kabupaten (S);
* ``penempatan match`` against the plain pipeline (``benchmarks.plain_pipeline``) on the same
  files, run in turns (project, plain, project, plain, ...) so both meet the same machine load.

Every run is a fresh process with ``PYTHONDONTWRITEBYTECODE=1`` (what these machines set), so
nothing is helped by bytecode written by an earlier run. Reported per command: the median wall
time, the median CPU time (user + sys of the child: what an idle machine's wall time would be,
the work being single-threaded), and the load average before and after. The ratio is the median
of each turn's wall-time ratio.

``make bench-smoke`` calls :func:`smoke_gate`: it fails when the ratio on the ``mountain-S``
instance passes ``RATIO_GATE``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
RATIO_TARGET = 1.5
RATIO_GATE = 2.0
SMOKE_INSTANCE = "mountain-S"
STARTUP_TARGET_S = 1.0


@dataclass(frozen=True, slots=True)
class Timing:
    """Several runs of one command."""

    label: str
    command: str
    wall_s: list[float]
    cpu_s: list[float]

    @property
    def wall_median(self) -> float:
        return statistics.median(self.wall_s)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu_s)


def _penempatan() -> list[str]:
    script = Path(sys.executable).parent / "penempatan"
    return [str(script)] if script.exists() else [sys.executable, "-m", "api.cli"]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}


def _run_once(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one child process (which must succeed)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run(argv, env=_env(), capture_output=True, check=False)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{done.stderr.decode()[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _shown(argv: list[str]) -> str:
    short = [Path(a).name if a == sys.executable or a.endswith("/penempatan") else a for a in argv]
    return " ".join(short)


def time_commands(
    commands: dict[str, list[str]], rounds: int
) -> tuple[dict[str, Timing], dict[str, float]]:
    """Run each command ``rounds`` times, in turns; returns timings and the load before/after."""
    load_before = os.getloadavg()[0]
    walls: dict[str, list[float]] = {k: [] for k in commands}
    cpus: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(rounds):
        for label, argv in commands.items():
            w, c = _run_once(argv)
            walls[label].append(round(w, 3))
            cpus[label].append(round(c, 3))
    load = {"load_before": load_before, "load_after": os.getloadavg()[0]}
    return {k: Timing(k, _shown(v), walls[k], cpus[k]) for k, v in commands.items()}, load


def startup(rounds: int) -> dict[str, Any]:
    """``penempatan --help`` and ``match`` on the 300 x 60 instance S."""
    from benchmarks.instances import ensure, select

    folder = ensure(select(["S"], smoke=False)[0])
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        commands = {
            "help": [*_penempatan(), "--help"],
            "match_S": [
                *_penempatan(),
                "match",
                "--sites",
                str(folder / "sites.geojson"),
                "--clients",
                str(folder / "clients.csv"),
                "--out",
                str(Path(tmp) / "result.json"),
                "-q",
            ],
        }
        timings, load = time_commands(commands, rounds)
    return {
        "target_s": STARTUP_TARGET_S,
        **load,
        "commands": {
            k: {**asdict(t), "wall_median_s": t.wall_median, "cpu_median_s": t.cpu_median}
            for k, t in timings.items()
        },
    }


def versus_plain(name: str, rounds: int) -> dict[str, Any]:
    """``penempatan match`` and the plain pipeline on instance ``name``, in turns."""
    from benchmarks.instances import ensure, select

    inst = select([name], smoke=False)[0]
    folder = ensure(inst)
    files = ["--sites", str(folder / "sites.geojson"), "--clients", str(folder / "clients.csv")]
    with tempfile.TemporaryDirectory(prefix=f"bench-e2e-{name}-") as tmp:
        project_out, plain_out = Path(tmp) / "project.json", Path(tmp) / "plain.json"
        commands = {
            "project": [*_penempatan(), "match", *files, "--out", str(project_out), "-q"],
            "plain": [
                sys.executable,
                "-m",
                "benchmarks.plain_pipeline",
                *files,
                "--out",
                str(plain_out),
            ],
        }
        timings, load = time_commands(commands, rounds)
        project = json.loads(project_out.read_bytes())["summary"]
        plain = json.loads(plain_out.read_bytes())["summary"]
        result_mb = project_out.stat().st_size / 1e6
    p, q = timings["project"], timings["plain"]
    ratios = [a / b for a, b in zip(p.wall_s, q.wall_s, strict=True)]
    return {
        "instance": name,
        "size": inst.size,
        "arcs_in_reach": plain["arcs_in_reach"],
        "eligible_arcs": plain["eligible_arcs"],
        "placed": {"project": project["placed"], "plain": plain["placed"]},
        "result_mb": round(result_mb, 1),
        **load,
        "ratio": round(statistics.median(ratios), 2),
        "ratio_cpu": round(p.cpu_median / q.cpu_median, 2),
        "target": RATIO_TARGET,
        "gate": RATIO_GATE,
        "commands": {
            k: {**asdict(t), "wall_median_s": t.wall_median, "cpu_median_s": t.cpu_median}
            for k, t in timings.items()
        },
    }


def smoke_gate(rounds: int = 3) -> tuple[dict[str, Any], list[str]]:
    """The ratio on the smoke instance, and a failure line when it passes ``RATIO_GATE``."""
    row = versus_plain(SMOKE_INSTANCE, rounds)
    fails = []
    if row["ratio"] > RATIO_GATE:
        fails.append(
            f"{SMOKE_INSTANCE}: `penempatan match` end to end is {row['ratio']:.2f}x the plain "
            f"pipeline (gate {RATIO_GATE}x; CPU {row['ratio_cpu']:.2f}x)"
        )
    return row, fails


def markdown(doc: dict[str, Any]) -> str:
    lines = [
        "# Where a person waits (issue 14)",
        "",
        f"Measured {doc['when']} on {doc['cpus']} CPUs shared with other work; every run a fresh "
        "process with `PYTHONDONTWRITEBYTECODE=1`; medians of "
        f"{doc['rounds']} runs. Command: `{doc['command']}`.",
        "",
    ]
    if "startup" in doc:
        s = doc["startup"]
        lines += [
            "| command | target | wall median s | CPU median s | runs (wall s) "
            "| load before / after |",
            "|---|---|---|---|---|---|",
        ]
        for label, t in s["commands"].items():
            size = " (300 x 60)" if label == "match_S" else ""
            lines.append(
                f"| `{t['command'].split(' --sites')[0]}`{size} "
                f"| < {s['target_s']:g} s | {t['wall_median_s']:.2f} | {t['cpu_median_s']:.2f} "
                f"| {', '.join(f'{x:.2f}' for x in t['wall_s'])} "
                f"| {s['load_before']:.1f} / {s['load_after']:.1f} |"
            )
        lines.append("")
    if doc.get("versus_plain"):
        lines += [
            "| instance | arcs in reach | project wall / CPU s | plain wall / CPU s | ratio (wall) "
            "| ratio (CPU) | target | load before / after |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for r in doc["versus_plain"]:
            p, q = r["commands"]["project"], r["commands"]["plain"]
            lines.append(
                f"| {r['instance']} ({r['size']}) | {r['arcs_in_reach']:,} "
                f"| {p['wall_median_s']:.2f} / {p['cpu_median_s']:.2f} "
                f"| {q['wall_median_s']:.2f} / {q['cpu_median_s']:.2f} | {r['ratio']:.2f}x "
                f"| {r['ratio_cpu']:.2f}x | <= {r['target']:g}x (gate {r['gate']:g}x) "
                f"| {r['load_before']:.1f} / {r['load_after']:.1f} |"
            )
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--only", default="mountain", help="instances against the plain pipeline")
    ap.add_argument("--rounds", type=int, default=5, help="runs of each command (median)")
    ap.add_argument("--no-startup", action="store_true", help="skip the start-up timings")
    ap.add_argument("--write", action="store_true", help="write results/end-to-end.{json,md}")
    args = ap.parse_args(argv)
    doc: dict[str, Any] = {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cpus": os.cpu_count(),
        "rounds": args.rounds,
        "command": "python -m benchmarks.end_to_end " + " ".join(argv or sys.argv[1:]),
    }
    if not args.no_startup:
        doc["startup"] = startup(args.rounds)
    doc["versus_plain"] = [versus_plain(n, args.rounds) for n in args.only.split(",") if n]
    text = markdown(doc)
    sys.stdout.write(text + "\n")
    if args.write:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "end-to-end.json").write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
        (RESULTS / "end-to-end.md").write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
