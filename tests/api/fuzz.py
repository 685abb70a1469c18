"""Schemathesis against a live server, every phase (examples, coverage, fuzzing, stateful), as an
officer and as an admin of every Bapas: ``make fuzz`` (100 examples per operation) and a short
run inside ``make test``.

    python tests/api/fuzz.py --examples 100 [--out var/fuzz]

The server runs on a fresh SQLite file in a temporary folder with the rate limits raised (the
fuzzer asks for unknown ids on purpose; tests/api/test_hostile.py checks the limits). It prints
the figures per role (cases, 5xx, the other checks' flags) and exits 1 when any answer was a
5xx. Revoking tokens is left out: the fuzzer would revoke its own.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from live import BAPAS, ROOT, LiveServer, client, client_for, prepare_database, site

ROLES = ("officer_fuzz", "admin")
PHASES = "examples,coverage,fuzzing,stateful"


def _seed(server: LiveServer, tokens: dict[str, str]) -> None:
    """A site, a client and a placement in Bapas ``fuzz``, so that some ids exist."""
    with client_for(server, tokens["planner_fuzz"]) as planner:
        planner.post("/v1/sites", json=site("FZ-S1", 1.0, 1.0, capacity=2))
    with client_for(server, tokens["officer_fuzz"]) as officer:
        officer.post("/v1/clients", json=client("FZ-C1", 1.0, 1.0))
        officer.post("/v1/placements", json={"client_id": "FZ-C1", "site_id": "FZ-S1"})


def _figures(events: Path) -> dict[str, Any]:
    """Cases run, 5xx answers and the other checks' failures, from the ndjson event stream."""
    cases = 0
    flags: Counter[str] = Counter()
    server_errors = 0
    with events.open(encoding="utf-8") as f:
        for line in f:
            body = json.loads(line).get("ScenarioFinished")
            if body is None:
                continue
            recorder = body.get("recorder") or {}
            cases += len(recorder.get("cases") or {})
            for checks in (recorder.get("checks") or {}).values():
                for check in checks:
                    if str(check.get("status", "")).lower() == "failure":
                        flags[check.get("name", "?")] += 1
            for interaction in (recorder.get("interactions") or {}).values():
                response = interaction.get("response") or {}
                if int(response.get("status_code") or 0) >= 500:
                    server_errors += 1
    return {"cases": cases, "5xx": server_errors, "flags": dict(sorted(flags.items()))}


def run(examples: int, out: Path, max_time: int | None) -> int:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        server = LiveServer(
            f"sqlite:///{Path(tmp) / 'fuzz.db'}",
            Path(tmp) / "server.log",
            queue_url=f"sqlite:///{Path(tmp) / 'queue.db'}",
            PENEMPATAN_RATE_LIMIT_AUTH="1000000/minute",
            PENEMPATAN_RATE_LIMIT_NOT_FOUND="1000000/minute",
            PENEMPATAN_SCENARIO_TIME_LIMIT_S="20",
        )
        tokens = prepare_database(server, BAPAS)
        server.start()
        failed = False
        try:
            _seed(server, tokens)
            # the schema is fetched once, with time to build it on a loaded machine
            schema = out / "openapi.json"
            with client_for(server, None) as http:
                schema.write_text(http.get("/openapi.json", timeout=300).text, encoding="utf-8")
            for role in ROLES:
                events = out / f"{role}.ndjson"
                cmd = [
                    str(Path(sys.executable).with_name("schemathesis")),
                    "run",
                    str(schema),
                    "--url",
                    server.url,
                    "--phases",
                    PHASES,
                    "--max-examples",
                    str(examples),
                    "--checks",
                    "all",
                    "--exclude-path-regex",
                    "^/v1/tokens/",
                    "--header",
                    f"Authorization: Bearer {tokens[role]}",
                    "--seed",
                    "9",
                    "--workers",
                    "1",
                    "--request-timeout",
                    "60",
                    "--suppress-health-check",
                    "all",
                    "--generation-database",
                    "none",
                    "--no-color",
                    "--report",
                    "ndjson",
                    "--report-ndjson-path",
                    str(events),
                ]
                if max_time is not None:
                    cmd += ["--max-time", str(max_time)]
                proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
                (out / f"{role}.txt").write_text(proc.stdout + proc.stderr, encoding="utf-8")
                figures = _figures(events)
                figures["role"] = role
                sys.stdout.write(json.dumps(figures) + "\n")
                # no case run means the fuzzer itself failed (its output is in ROLE.txt)
                failed = failed or figures["5xx"] > 0 or figures["cases"] == 0
        finally:
            server.stop()
        log = (Path(tmp) / "server.log").read_text(encoding="utf-8", errors="replace")
        (out / "server.log").write_text(log, encoding="utf-8")
    return 1 if failed else 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", type=int, default=100, help="examples per operation")
    ap.add_argument("--out", type=Path, default=ROOT / "var" / "fuzz", help="reports folder")
    ap.add_argument("--max-time", type=int, default=None, help="seconds per role (optional)")
    args = ap.parse_args()
    sys.exit(run(args.examples, args.out, args.max_time))


if __name__ == "__main__":
    main()
