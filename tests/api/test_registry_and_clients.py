"""Updates re-validate the whole record; the registry cache sees every site write; lists filter."""

from __future__ import annotations

from live import Env, client, site

LAT, LON = -0.8, 0.9


def test_site_updates_reach_suggestions_at_once(env: Env) -> None:
    planner = env.as_("planner_purwokerto")
    officer = env.as_("officer_purwokerto")
    assert planner.post("/v1/sites", json=site("UPD-S1", LAT, LON, capacity=1)).status_code == 201
    assert officer.post("/v1/clients", json=client("UPD-C1", LAT, LON)).status_code == 201

    def suggested() -> list[str]:
        r = officer.post("/v1/suggestions", json={"client_id": "UPD-C1"})
        return [s["site_id"] for s in r.json()["suggestions"]]

    assert suggested() == ["UPD-S1"]
    r = planner.patch("/v1/sites/UPD-S1", json={"physical_demand": "heavy"})
    assert r.status_code == 200 and r.json()["physical_demand"] == "heavy"
    assert suggested() == []  # a moderate-fitness client: the work is now too heavy
    r = planner.patch("/v1/sites/UPD-S1", json={"physical_demand": "light", "hours_per_day": 9})
    assert r.status_code == 422 and r.json()["errors"][0]["pasal"] == "Pasal 85(5)"
    assert planner.get("/v1/sites/UPD-S1").json()["physical_demand"] == "heavy"
    planner.patch("/v1/sites/UPD-S1", json={"physical_demand": "light"})
    assert suggested() == ["UPD-S1"]
    assert planner.post("/v1/sites/UPD-S1/deactivate").status_code == 200
    assert suggested() == []
    assert planner.post("/v1/sites/UPD-S1/activate").json()["active"] is True
    assert suggested() == ["UPD-S1"]


def test_client_updates_and_lists(env: Env) -> None:
    officer = env.as_("officer_purwokerto")
    officer.post("/v1/clients", json=client("UPD-C2", LAT, LON))
    r = officer.patch("/v1/clients/UPD-C2", json={"hours": 250})
    assert r.status_code == 422 and r.json()["errors"][0]["pasal"] == "Pasal 85(4)"
    r = officer.patch("/v1/clients/UPD-C2", json={"hours": 60, "max_travel_km": 5})
    assert r.status_code == 200 and (r.json()["hours"], r.json()["max_travel_km"]) == (60, 5)
    assert officer.get("/v1/clients/UPD-C2").json()["hours"] == 60

    env.as_("planner_purwokerto").post("/v1/sites", json=site("UPD-S2", LAT, LON))
    pid = officer.post("/v1/placements", json={"client_id": "UPD-C2", "site_id": "UPD-S2"}).json()[
        "placement_id"
    ]
    unplaced = officer.get("/v1/clients", params={"unplaced": True, "limit": 1000}).json()
    placed = officer.get("/v1/clients", params={"unplaced": False, "limit": 1000}).json()
    assert "UPD-C2" in {c["client_id"] for c in placed["items"]}
    assert "UPD-C2" not in {c["client_id"] for c in unplaced["items"]}
    assert officer.get("/v1/clients/UPD-C2").json()["placement"] == {
        "placement_id": pid,
        "site_id": "UPD-S2",
        "status": "proposed",
    }
    by_site = officer.get("/v1/placements", params={"site_id": "UPD-S2"}).json()
    assert [p["placement_id"] for p in by_site["items"]] == [pid]
    # a second proposal replaces the first
    env.as_("planner_purwokerto").post("/v1/sites", json=site("UPD-S3", LAT, LON))
    r = officer.post("/v1/placements", json={"client_id": "UPD-C2", "site_id": "UPD-S3"})
    assert r.status_code == 201
    old = officer.get(f"/v1/placements/{pid}").json()
    assert (old["status"], old["revoke_reason"]) == ("revoked", "superseded")
