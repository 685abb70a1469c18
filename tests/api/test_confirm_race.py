"""Fifty officers confirm fifty proposals for a site's one free place at the same moment:
exactly one succeeds, the other 49 get a clear 409, and the database agrees afterwards."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
from live import Env, client, site
from sqlalchemy import text

N = 50


def test_fifty_concurrent_confirmations_take_one_place(env: Env) -> None:
    officer = env.as_("officer_purwokerto")
    r = env.as_("planner_purwokerto").post("/v1/sites", json=site("RACE-S", -0.3, 0.0, capacity=1))
    assert r.status_code == 201, r.text
    proposals = []
    for i in range(N):
        cid = f"RACE-C{i:02d}"
        assert officer.post("/v1/clients", json=client(cid, -0.3, 0.001 * i)).status_code == 201
        r = officer.post("/v1/placements", json={"client_id": cid, "site_id": "RACE-S"})
        assert r.status_code == 201, r.text
        proposals.append(r.json()["placement_id"])

    barrier = threading.Barrier(N)
    token = env.tokens["officer_purwokerto"]

    def confirm(pid: int) -> httpx.Response:
        with httpx.Client(
            base_url=env.server.url, headers={"Authorization": f"Bearer {token}"}, timeout=120
        ) as http:
            http.get("/healthz")  # connect first, so that the requests leave together
            barrier.wait()
            return http.post(f"/v1/placements/{pid}/confirm")

    with ThreadPoolExecutor(N) as pool:
        responses = list(pool.map(confirm, proposals))

    codes = sorted(r.status_code for r in responses)
    assert codes == [200] + [409] * (N - 1), codes
    for r in responses:
        if r.status_code == 409:
            assert r.headers["content-type"] == "application/problem+json"
            assert r.json()["type"] == "/problems/site-full"
    winner = next(r.json() for r in responses if r.status_code == 200)

    db = env.server.database()
    with db.reading() as s:
        by_status = dict(
            s.execute(
                text(
                    "SELECT status, count(*) FROM placements WHERE site_id = 'RACE-S' "
                    "GROUP BY status"
                )
            ).all()
        )
        confirms = s.execute(
            text(
                "SELECT count(*) FROM audit_log WHERE action = 'placement.confirm' "
                "AND entity_id = :e"
            ),
            {"e": str(winner["placement_id"])},
        ).scalar()
    db.dispose()
    assert by_status == {"active": 1, "proposed": N - 1}
    assert confirms == 1
    occupancy = officer.get("/v1/sites/RACE-S/occupancy").json()
    assert (occupancy["active"], occupancy["free"], occupancy["proposed"]) == (1, 0, N - 1)
