"""API load benchmark: ``python -m benchmarks.api_load [--seconds 20] [--concurrency 32]``.

A province-sized registry (2,000 sites, 20,000 clients from
``matcher.planning.synthetic.generate_region``, 35 Banyumas-like kabupaten, fixed seed) is written
into a fresh SQLite file; the service runs as a second process (``uvicorn api.main:app``, one
worker) on loopback. Setup is not timed: seeding, server start, one warm-up request per endpoint (it
builds the in-memory site registry), and the proposals to confirm (an optimal plan from
``matcher.pipeline.match`` for the first clients, written as ``proposed`` placements, so every
confirmation is a real, eligible one).

Then, for a bounded time each, ``--concurrency`` connections (HTTP/1.1 keep-alive, a minimal
asyncio client so that the load generator costs little CPU on the same 2 cores) send:

1. ``POST /v1/suggestions`` for stored clients picked at random (seeded), top 5; then for
   5 s on one connection, to show the latency of a request that does not queue;
2. ``POST /v1/placements/{id}/confirm`` for the proposals, each once (the write transaction
   with the capacity re-check).

Writes ``benchmarks/results/api-load.json`` and ``api-load.md``: throughput, p50/p95/p99/max
latency, status counts. The suggestion targets (issue 14) are p99 < 20 ms and at least 2,000
requests/s at 32 concurrent connections, the load generator on the same 2 cores; a confirm p99
under 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
SEED = 20260101
KABUPATEN, SITES, CLIENTS = 35, 2_000, 20_000
TARGET_P99_MS = 20.0
TARGET_RPS = 2_000.0
TARGET_CONFIRM_P99_MS = 50.0


# --------------------------------------------------------------------------------------------
# Setup (not timed)


def seed_database(url: str, n_proposals: int) -> tuple[str, list[str], list[int]]:
    """The registry and clients, an officer token, and proposals to confirm."""
    from api.auth import issue_token
    from api.services.records import client_record, site_record
    from api.settings import Settings
    from api.storage.db import Database
    from api.storage.migrate import upgrade
    from api.storage.models import BapasRow, ClientRow, PlacementRow, SiteRow
    from matcher.pipeline import match
    from matcher.planning.synthetic import generate_region
    from matcher.policy import default_policy
    from matcher.validate import parse_client, parse_site

    region = generate_region(KABUPATEN, clients=CLIENTS, sites=SITES, seed=SEED)
    sites = [parse_site(v, "site")[0] for v in region.sites]
    clients = [
        parse_client({k: v for k, v in c.items() if k != "current_site_id"}, "client")[0]
        for c in region.clients
    ]
    assert all(s is not None for s in sites) and all(c is not None for c in clients)
    db = Database(Settings(database_url=url))
    upgrade(db)
    with db.writing() as s:
        s.add(BapasRow(bapas_id="jateng", name="Province benchmark", sites_version=1))
        s.flush()
        s.execute(
            SiteRow.__table__.insert(),
            [
                {
                    "site_id": x.site_id,
                    "bapas_id": "jateng",
                    "name": x.name,
                    "kind": x.kind,
                    "subdistrict": x.subdistrict,
                    "lat": x.lat,
                    "lon": x.lon,
                    "capacity": x.capacity,
                    "active": True,
                    "record": site_record(x),
                }
                for x in sites
                if x is not None
            ],
        )
        s.execute(
            ClientRow.__table__.insert(),
            [
                {
                    "client_id": c.client_id,
                    "bapas_id": "jateng",
                    "hours": c.hours,
                    "hours_per_day": c.hours_per_day,
                    "start_date": c.start_date,
                    "deadline": c.deadline,
                    "record": client_record(c, {}),
                }
                for c in clients
                if c is not None
            ],
        )
    cohort = [c for c in clients[:n_proposals] if c is not None]
    plan = match([x for x in sites if x is not None], cohort, default_policy())
    with db.writing() as s:
        s.execute(
            PlacementRow.__table__.insert(),
            [
                {
                    "client_id": p.client_id,
                    "site_id": p.site_id,
                    "bapas_id": "jateng",
                    "status": "proposed",
                    "distance_km": p.distance_km,
                }
                for p in plan.placements
            ],
        )
    with db.reading() as s:
        ids = [
            int(i)
            for i in s.scalars(
                PlacementRow.__table__.select().with_only_columns(PlacementRow.placement_id)
            )
        ]
    _, token = issue_token(db, role="officer", bapas_id="jateng", label="benchmark")
    db.dispose()
    others = [c.client_id for c in clients[n_proposals:] if c is not None]
    return token, others, ids


def start_server(url: str, port: int, log: Path, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PENEMPATAN_DATABASE_URL": url}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "api.server",  # uvicorn with TCP_NODELAY also when there are several workers
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
            "--workers",
            str(workers),
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    return proc


# --------------------------------------------------------------------------------------------
# A minimal keep-alive HTTP/1.1 client (the load generator must stay cheap)


class Connection:
    def __init__(self, port: int, token: str):
        self.port = port
        self.token = token
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def post(self, path: str, body: bytes) -> tuple[int, bytes]:
        assert self.reader is not None and self.writer is not None
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {self.token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        self.writer.write(head.encode() + body)
        status_line = await self.reader.readline()
        status = int(status_line.split()[1])
        length = 0
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        data = await self.reader.readexactly(length) if length else b""
        return status, data

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def server_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) of the server process and its worker processes (Linux /proc):
    divided by the requests served, the server's cost per request whatever else the machine
    runs. The load generator's own CPU is not in it."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


async def run_load(
    port: int,
    token: str,
    concurrency: int,
    seconds: float,
    next_request: Any,
) -> dict[str, Any]:
    """``concurrency`` workers send ``next_request()`` (path, body or None to stop) until time
    is up; returns latencies (ms) and status counts."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    stop_at = time.perf_counter() + seconds

    async def worker() -> None:
        conn = Connection(port, token)
        await conn.open()
        try:
            while time.perf_counter() < stop_at:
                req = next_request()
                if req is None:
                    return
                path, body = req
                t0 = time.perf_counter()
                status, _ = await conn.post(path, body)
                latencies.append((time.perf_counter() - t0) * 1000.0)
                statuses[status] = statuses.get(status, 0) + 1
        finally:
            await conn.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - t0
    lat = np.array(latencies) if latencies else np.zeros(1)
    return {
        "requests": len(latencies),
        "seconds": round(elapsed, 2),
        "throughput_rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(float(np.percentile(lat, 50)), 1),
        "p95_ms": round(float(np.percentile(lat, 95)), 1),
        "p99_ms": round(float(np.percentile(lat, 99)), 1),
        "max_ms": round(float(lat.max()), 1),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
    }


def wait_ready(port: int, proc: subprocess.Popen[bytes], timeout: float = 120.0) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the server exited during start-up")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not become ready")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=20.0, help="time per phase")
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--proposals", type=int, default=12000, help="clients in the plan to confirm")
    ap.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    ap.add_argument("--out", type=Path, default=RESULTS / "api-load")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="penempatan-load-") as tmp:
        url = f"sqlite:///{tmp}/load.db"
        t0 = time.perf_counter()
        token, others, proposals = seed_database(url, args.proposals)
        seed_s = time.perf_counter() - t0
        print(
            f"seeded {SITES} sites, {CLIENTS} clients, {len(proposals)} proposals in {seed_s:.1f}s"
        )
        port = free_port()
        proc = start_server(url, port, Path(tmp) / "server.log", args.workers)
        try:
            wait_ready(port, proc)
            rng = random.Random(SEED)
            warm = {"client_id": others[0], "top": 5}

            async def warm_up() -> None:
                conn = Connection(port, token)
                await conn.open()
                status, body = await conn.post("/v1/suggestions", json.dumps(warm).encode())
                assert status == 200, body[:500]
                await conn.close()

            for _ in range(4 * args.workers):  # each worker builds its registry copy
                asyncio.run(warm_up())

            def suggestion() -> tuple[str, bytes]:
                cid = others[rng.randrange(len(others))]
                return "/v1/suggestions", json.dumps({"client_id": cid, "top": 5}).encode()

            queue = list(proposals)
            rng.shuffle(queue)

            def confirmation() -> tuple[str, bytes] | None:
                if not queue:
                    return None
                return f"/v1/placements/{queue.pop()}/confirm", b""

            def phase(concurrency: int, seconds: float, make: Any) -> dict[str, Any]:
                cpu0 = server_cpu_s(proc.pid)
                out = asyncio.run(run_load(port, token, concurrency, seconds, make))
                cpu = server_cpu_s(proc.pid) - cpu0
                out["server_cpu_ms_per_request"] = round(1000.0 * cpu / max(out["requests"], 1), 3)
                print(json.dumps(out))
                return out

            load_before = os.getloadavg()
            print(f"suggestions: {args.concurrency} concurrent for {args.seconds:g}s ...")
            sug = phase(args.concurrency, args.seconds, suggestion)
            print("suggestions: 1 connection for 5s (the latency without queueing) ...")
            serial = phase(1, 5.0, suggestion)
            print(f"confirmations: {args.concurrency} concurrent for {args.seconds:g}s ...")
            conf = phase(args.concurrency, args.seconds, confirmation)
            load_after = os.getloadavg()
        finally:
            proc.terminate()
            proc.wait(timeout=30)

    result = {
        "benchmark": "api_load",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            # Other work on the machine shares the cores: the 1-minute load before and after.
            "loadavg_1min": [round(load_before[0], 2), round(load_after[0], 2)],
        },
        "registry": {"kabupaten": KABUPATEN, "sites": SITES, "clients": CLIENTS, "seed": SEED},
        "server": f"uvicorn api.main:app, {args.workers} worker(s), SQLite (WAL), same machine",
        "concurrency": args.concurrency,
        "seconds_per_phase": args.seconds,
        "proposals_available": len(proposals),
        "suggestions": sug,
        "suggestions_one_connection": serial,
        "confirmations": conf,
        "target": {
            "suggestion_p99_ms": TARGET_P99_MS,
            "suggestion_rps": TARGET_RPS,
            "confirm_p99_ms": TARGET_CONFIRM_P99_MS,
            "met": sug["p99_ms"] < TARGET_P99_MS and sug["throughput_rps"] >= TARGET_RPS,
            "confirm_met": conf["p99_ms"] < TARGET_CONFIRM_P99_MS,
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n")
    args.out.with_suffix(".md").write_text(markdown(result))
    print(f"wrote {args.out.with_suffix('.json')} and {args.out.with_suffix('.md')}")
    return 0


def markdown(r: dict[str, Any]) -> str:
    rows = [
        "| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | server CPU ms/request "
        "| statuses |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, key in (
        ("POST /v1/suggestions", "suggestions"),
        ("POST /v1/suggestions, 1 connection", "suggestions_one_connection"),
        ("POST /v1/placements/{id}/confirm", "confirmations"),
    ):
        x = r[key]
        statuses = ", ".join(f"{k}: {v}" for k, v in x["statuses"].items())
        rows.append(
            f"| {name} | {x['requests']} | {x['throughput_rps']} | {x['p50_ms']} | "
            f"{x['p95_ms']} | {x['p99_ms']} | {x['max_ms']} | "
            f"{x.get('server_cpu_ms_per_request', '-')} | {statuses} |"
        )
    t = r["target"]
    met = "met" if t["met"] else "NOT met"
    confirm = (
        f" Confirm p99 target {t['confirm_p99_ms']:g} ms: "
        f"**{'met' if t['confirm_met'] else 'NOT met'}**.\n"
        if "confirm_met" in t
        else ""
    )
    return (
        "# API load benchmark\n\n"
        f"{r['when']}; {r['machine']['cpus']} CPUs, Python {r['machine']['python']}. "
        f"Registry: {r['registry']['sites']} sites, {r['registry']['clients']} clients "
        f"({r['registry']['kabupaten']} kabupaten, seed {r['registry']['seed']}). "
        f"Server: {r['server']}. {r['concurrency']} concurrent keep-alive connections, "
        f"{r['seconds_per_phase']:g} s per phase; the load generator runs on the same cores. "
        f"Machine load (1-min average) before/after: {r['machine']['loadavg_1min']}.\n\n"
        + "\n".join(rows)
        + f"\n\nSuggestion target p99 < {t['suggestion_p99_ms']:g} ms and >= "
        f"{t.get('suggestion_rps', 0):,.0f} req/s: **{met}**.{confirm}\n"
    )


if __name__ == "__main__":
    raise SystemExit(main())
