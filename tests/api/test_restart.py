"""A restart of the server loses nothing: rows, hours, tokens, and the site registry."""

from __future__ import annotations

from typing import Any

from live import ALL_WEEK, Env, backdate, client, last_workday, site


def _state(env: Env, pid: int) -> dict[str, Any]:
    officer = env.as_("officer_purwokerto")
    return {
        "client": officer.get("/v1/clients/RST-C1").json(),
        "placement": officer.get(f"/v1/placements/{pid}").json(),
        "site": env.as_("planner_purwokerto").get("/v1/sites/RST-S1").json(),
        "suggest": officer.post("/v1/suggestions", json={"client_id": "RST-C1"}).json(),
        "audit": env.as_("admin").get("/v1/audit", params={"entity_id": str(pid)}).json(),
    }


def test_restart_keeps_everything(env: Env) -> None:
    planner = env.as_("planner_purwokerto")
    officer = env.as_("officer_purwokerto")
    body = site("RST-S1", -0.9, 0.0, capacity=2, open_days=ALL_WEEK)
    assert planner.post("/v1/sites", json=body).status_code == 201
    body = client("RST-C1", -0.9, 0.0, available_days=ALL_WEEK)
    assert officer.post("/v1/clients", json=body).status_code == 201
    r = officer.post("/v1/placements", json={"client_id": "RST-C1", "site_id": "RST-S1"})
    pid = r.json()["placement_id"]
    assert officer.post(f"/v1/placements/{pid}/confirm").status_code == 200
    day = last_workday()  # the work calendar refuses a public holiday
    backdate(env.server, pid, day)
    r = officer.post(f"/v1/placements/{pid}/hours", json={"date": day.isoformat(), "hours": 3.5})
    assert r.status_code == 201
    before = _state(env, pid)

    env.server.stop()
    env.server.start()

    after = _state(env, pid)
    assert after == before
    assert after["placement"]["status"] == "active"
    assert after["placement"]["hours_done"] == 3.5
    assert after["site"]["free"] == 1
    assert [a["action"] for a in after["audit"]] == [
        "placement.hours",
        "placement.confirm",
        "placement.propose",
    ]
