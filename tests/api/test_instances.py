"""Two API processes on one database, with one job worker: what a load balancer in front of
several instances needs. On SQLite (two processes on one file) and on PostgreSQL with the
queue on Redis (skipped, saying why, when no server answers).

- 50 confirmations for a site's last place, split across both instances: exactly one wins,
  49 get 409, and the site never holds more than its capacity;
- a site registry change made through one instance is seen by suggestions on the other at once;
- a job started through one instance is read (and cancelled) through the other;
- killing the worker in the middle of a job and starting it again finishes the job or fails it
  cleanly, with nothing half-written; the API answers /healthz meanwhile.

The figures (race wall time, job times, the restart's take-over) are written to stderr for the
record (``pytest -s``); they are not asserted: speed is measured, not tested.
"""

from __future__ import annotations

import sys
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from live import (
    LiveServer,
    LiveWorker,
    TestDatabase,
    client,
    client_for,
    postgres_url,
    prepare_database,
    redis_url,
    site,
    wait_job,
)
from sqlalchemy import text

from api.settings import Settings
from api.worker import make_huey

STALE_S = 2.0
N = 50


@dataclass
class Cluster:
    kind: str
    a: LiveServer
    b: LiveServer
    worker: LiveWorker
    tokens: dict[str, str]
    database: TestDatabase

    def http(self, server: LiveServer, token: str = "officer_purwokerto") -> httpx.Client:
        return client_for(server, self.tokens[token])


def figure(kind: str, what: str, value: float, unit: str) -> None:
    sys.stderr.write(f"\nFIGURE [{kind}] {what}: {value:.3f} {unit}\n")


@pytest.fixture(params=["sqlite", "postgresql"], scope="module")
def cluster(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cluster]:
    tmp: Path = tmp_path_factory.mktemp(f"cluster-{request.param}")
    queue_name = f"penempatan-test-{uuid.uuid4().hex[:8]}"
    if request.param == "postgresql":
        database = TestDatabase(tmp, postgres_url())
        queue_url = redis_url()
    else:
        database = TestDatabase(tmp)
        queue_url = f"sqlite:///{tmp / 'queue.db'}"
    env = {
        "PENEMPATAN_QUEUE_NAME": queue_name,
        "PENEMPATAN_JOB_STALE_S": str(STALE_S),
        "PENEMPATAN_ASYNC_COHORT": "5",
        "PENEMPATAN_POOL_SIZE": "30",
    }
    a = LiveServer(database.url, tmp / "a.log", queue_url=queue_url, **env)
    b = LiveServer(database.url, tmp / "b.log", queue_url=queue_url, **env)
    worker = LiveWorker(a, tmp / "worker.log")
    try:
        tokens = prepare_database(a, {"purwokerto": "Bapas Purwokerto"})
        a.start()
        b.start()
        worker.start()
        yield Cluster(request.param, a, b, worker, tokens, database)
    finally:
        worker.stop()
        a.stop()
        b.stop()
        database.drop()
        make_huey(Settings(queue_url=queue_url, queue_name=queue_name)).flush()


def test_fifty_confirms_across_two_instances_take_one_place(cluster: Cluster) -> None:
    officer = cluster.http(cluster.a)
    r = cluster.http(cluster.a, "planner_purwokerto").post(
        "/v1/sites", json=site("TWO-S", 0.3, 0.0, capacity=1)
    )
    assert r.status_code == 201, r.text
    proposals = []
    for i in range(N):
        cid = f"TWO-C{i:02d}"
        assert officer.post("/v1/clients", json=client(cid, 0.3, 0.001 * i)).status_code == 201
        r = officer.post("/v1/placements", json={"client_id": cid, "site_id": "TWO-S"})
        assert r.status_code == 201, r.text
        proposals.append(r.json()["placement_id"])

    barrier = threading.Barrier(N)
    token = cluster.tokens["officer_purwokerto"]
    db = cluster.a.database()
    peak = 0
    racing = True

    def watch() -> None:
        """Occupancy read straight from the database while the race runs."""
        nonlocal peak
        while racing:
            with db.reading() as s:
                n = s.execute(
                    text(
                        "SELECT count(*) FROM placements "
                        "WHERE site_id = 'TWO-S' AND status = 'active'"
                    )
                ).scalar()
            peak = max(peak, int(n or 0))
            time.sleep(0.01)

    def confirm(i_pid: tuple[int, int]) -> httpx.Response:
        i, pid = i_pid
        server = cluster.a if i % 2 == 0 else cluster.b
        with client_for(server, token) as http:
            http.get("/healthz")  # connect first, so that the requests leave together
            barrier.wait()
            return http.post(f"/v1/placements/{pid}/confirm")

    watcher = threading.Thread(target=watch)
    watcher.start()
    t0 = time.perf_counter()
    with ThreadPoolExecutor(N) as pool:
        responses = list(pool.map(confirm, enumerate(proposals)))
    elapsed = time.perf_counter() - t0
    racing = False
    watcher.join()

    codes = sorted(r.status_code for r in responses)
    assert codes == [200] + [409] * (N - 1), codes
    assert all(r.json()["type"] == "/problems/site-full" for r in responses if r.status_code == 409)
    winners = [i % 2 for i, r in enumerate(responses) if r.status_code == 200]
    with db.reading() as s:
        by_status = dict(
            s.execute(
                text(
                    "SELECT status, count(*) FROM placements "
                    "WHERE site_id = 'TWO-S' GROUP BY status"
                )
            ).all()
        )
    db.dispose()
    assert by_status == {"active": 1, "proposed": N - 1}
    assert peak <= 1
    for server in (cluster.a, cluster.b):
        occupancy = cluster.http(server).get("/v1/sites/TWO-S/occupancy").json()
        assert (occupancy["active"], occupancy["free"]) == (1, 0)
    figure(cluster.kind, "50 confirms across 2 instances, wall time", elapsed, "s")
    figure(cluster.kind, "winner served by instance (0 = a, 1 = b)", winners[0], "")


def test_registry_change_on_one_instance_is_seen_by_the_other(cluster: Cluster) -> None:
    planner_a = cluster.http(cluster.a, "planner_purwokerto")
    officer_b = cluster.http(cluster.b)
    assert planner_a.post("/v1/sites", json=site("REG-S1", -0.5, 0.5)).status_code == 201
    assert officer_b.post("/v1/clients", json=client("REG-C1", -0.5, 0.5)).status_code == 201

    def suggested() -> list[str]:
        r = officer_b.post("/v1/suggestions", json={"client_id": "REG-C1"})
        assert r.status_code == 200, r.text
        return [s["site_id"] for s in r.json()["suggestions"]]

    assert suggested() == ["REG-S1"]  # instance b now holds this registry in memory
    assert planner_a.post("/v1/sites", json=site("REG-S2", -0.5, 0.501)).status_code == 201
    assert sorted(suggested()) == ["REG-S1", "REG-S2"]
    assert planner_a.post("/v1/sites/REG-S1/deactivate").status_code == 200
    assert suggested() == ["REG-S2"]
    r = planner_a.patch("/v1/sites/REG-S2", json={"capacity": 0})
    assert r.status_code == 200, r.text
    assert suggested() == []


STUDY: dict[str, Any] = {
    "title": "dua instansi",
    "base": {"generate": {"clients": 3000, "sites": 500, "seed": 7}},
    "demand": {"source": "base"},
    "edits": [
        {"name": "tambah", "add_capacity": {"S00003": 2}},
        {"name": "jauh", "travel_limit_km": 25},
    ],
    "marginal": {"top": 10, "verify": 5},
}


def test_a_job_started_on_one_instance_is_read_on_the_other(cluster: Cluster) -> None:
    officer_a, officer_b = cluster.http(cluster.a), cluster.http(cluster.b)
    cohort = [client(f"JOBX-C{i:02d}", -0.2, 0.2 + 0.001 * i) for i in range(12)]
    cluster.http(cluster.a, "planner_purwokerto").post(
        "/v1/sites", json=site("JOBX-S", -0.2, 0.2, capacity=20)
    )
    t0 = time.perf_counter()
    r = officer_a.post("/v1/assignments", json={"clients": cohort})
    assert r.status_code == 202, r.text
    job = wait_job(officer_b, r.headers["location"])
    elapsed = time.perf_counter() - t0
    assert job["status"] == "done", job
    assert job["result"]["summary"]["placed"] == 12
    assert officer_a.get(r.headers["location"]).json()["result"] == job["result"]
    ids = {p["placement_id"] for p in job["result"]["placements"]}
    assert {officer_b.get(f"/v1/placements/{pid}").json()["status"] for pid in ids} == {"proposed"}
    figure(cluster.kind, "cohort job of 12 (submit on a, done read on b)", elapsed, "s")

    # A queued job cancelled through the other instance never runs.
    planner_a, planner_b = (cluster.http(s, "planner_purwokerto") for s in (cluster.a, cluster.b))
    cluster.worker.stop()
    try:
        r = planner_a.post("/v1/scenarios", json=STUDY)
        assert r.status_code == 202, r.text
        r = planner_b.post(f"{r.headers['location']}/cancel")
        assert r.status_code == 200 and r.json()["status"] == "cancelled", r.text
    finally:
        cluster.worker.start()
    job = wait_job(planner_a, f"/v1/jobs/{r.json()['job_id']}", timeout=10)
    assert job["status"] == "cancelled" and job["attempt"] == 0


def test_killing_the_worker_mid_job_then_restarting_it(cluster: Cluster) -> None:
    planner_a, planner_b = (cluster.http(s, "planner_purwokerto") for s in (cluster.a, cluster.b))
    t0 = time.perf_counter()
    r = planner_a.post("/v1/scenarios", json=STUDY)
    assert r.status_code == 202, r.text
    path = r.headers["location"]
    while (job := planner_b.get(path).json())["status"] == "queued":
        time.sleep(0.05)
    assert job["status"] == "running", job
    # The API answers at once while a study runs in the worker.
    slowest = 0.0
    for _ in range(20):
        t = time.perf_counter()
        assert httpx.get(f"{cluster.b.url}/healthz", timeout=5).status_code == 200
        slowest = max(slowest, time.perf_counter() - t)
        time.sleep(0.05)
    figure(cluster.kind, "slowest of 20 /healthz while a study runs", slowest * 1000, "ms")

    cluster.worker.kill()
    killed = time.perf_counter()
    assert planner_b.get(path).json()["status"] == "running"  # nobody has noticed yet
    time.sleep(STALE_S + 0.5)  # a restart takes a moment; the run's heartbeat is now stale
    cluster.worker.start()
    job = wait_job(planner_b, path, timeout=600)
    done = time.perf_counter()
    assert job["status"] in ("done", "failed"), job
    assert job["attempt"] == 2
    if job["status"] == "done":
        assert job["result"]["title"] == "dua instansi"
        assert job["error"] is None
    else:
        assert job["result"] is None and job["error"]["status"] in (500, 503)
    figure(cluster.kind, "study: submit to killed worker", killed - t0, "s")
    figure(
        cluster.kind, f"study: worker restart to {job['status']} (attempt 2)", done - killed, "s"
    )
    figure(cluster.kind, "study: peak memory of the run", job["peak_memory_mb"] or 0, "MB")

    # An assignment killed mid-run is all-or-nothing: its clients and proposals are written in
    # one transaction, so after a restart either every one exists or none does.
    officer_a = cluster.http(cluster.a)
    cohort = [client(f"KILL-C{i:02d}", 0.7, 0.7 + 0.001 * i) for i in range(30)]
    planner_a.post("/v1/sites", json=site("KILL-S", 0.7, 0.7, capacity=40))
    r = officer_a.post("/v1/assignments", json={"clients": cohort})
    assert r.status_code == 202, r.text
    while officer_a.get(r.headers["location"]).json()["status"] == "queued":
        time.sleep(0.01)
    cluster.worker.kill()
    db = cluster.a.database()
    with db.reading() as s:
        n = s.execute(text("SELECT count(*) FROM clients WHERE client_id LIKE 'KILL-C%'")).scalar()
    assert n in (0, 30)
    time.sleep(STALE_S + 0.5)
    cluster.worker.start()
    job = wait_job(officer_a, r.headers["location"], timeout=300)
    assert job["status"] == "done", job
    with db.reading() as s:
        clients = s.execute(
            text("SELECT count(*) FROM clients WHERE client_id LIKE 'KILL-C%'")
        ).scalar()
        proposed = s.execute(
            text(
                "SELECT count(*) FROM placements WHERE client_id LIKE 'KILL-C%' "
                "AND status = 'proposed'"
            )
        ).scalar()
    db.dispose()
    assert clients == 30 and proposed == 30
