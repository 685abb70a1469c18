"""A restart of the server loses nothing: rows, hours, tokens, and the site registry."""

from __future__ import annotations

from pathlib import Path

from live import TODAY, LiveServer, client, client_for, prepare_database, site


def test_restart_keeps_everything(tmp_path: Path) -> None:
    server = LiveServer(tmp_path / "restart.db", tmp_path / "server.log")
    tokens = prepare_database(server, {"purwokerto": "Bapas Purwokerto"})
    server.start()
    try:
        planner = client_for(server, tokens["planner_purwokerto"])
        officer = client_for(server, tokens["officer_purwokerto"])
        assert planner.post("/v1/sites", json=site("RS-1", capacity=2)).status_code == 201
        assert officer.post("/v1/clients", json=client("RC-1")).status_code == 201
        pid = officer.post("/v1/placements", json={"client_id": "RC-1", "site_id": "RS-1"}).json()[
            "placement_id"
        ]
        assert officer.post(f"/v1/placements/{pid}/confirm").status_code == 200
        r = officer.post(
            f"/v1/placements/{pid}/hours", json={"date": TODAY.isoformat(), "hours": 3.5}
        )
        assert r.status_code == 201
        before = {
            "client": officer.get("/v1/clients/RC-1").json(),
            "placement": officer.get(f"/v1/placements/{pid}").json(),
            "site": planner.get("/v1/sites/RS-1").json(),
            "suggest": officer.post("/v1/suggestions", json={"client_id": "RC-1"}).json(),
        }
    finally:
        server.stop()

    server.start()
    try:
        planner = client_for(server, tokens["planner_purwokerto"])
        officer = client_for(server, tokens["officer_purwokerto"])
        after = {
            "client": officer.get("/v1/clients/RC-1").json(),
            "placement": officer.get(f"/v1/placements/{pid}").json(),
            "site": planner.get("/v1/sites/RS-1").json(),
            "suggest": officer.post("/v1/suggestions", json={"client_id": "RC-1"}).json(),
        }
    finally:
        server.stop()
    assert after == before
    assert after["placement"]["status"] == "active"
    assert after["placement"]["hours_done"] == 3.5
    assert after["site"]["free"] == 1
