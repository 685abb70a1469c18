"""Rules that reach beyond one (client, site) pair: co-offenders kept apart from where the other
already works, court-fixed sites, and reasons in the request's language."""

from __future__ import annotations

from live import Env, client, site

# A corner of the map of its own (about 100 km from the other tests' sites).
LAT, LON = 0.9, -0.9


def test_co_offender_at_work_blocks_the_site(env: Env) -> None:
    planner = env.as_("planner_purwokerto")
    officer = env.as_("officer_purwokerto")
    assert planner.post("/v1/sites", json=site("SEP-S1", LAT, LON)).status_code == 201
    assert planner.post("/v1/sites", json=site("SEP-S2", LAT + 0.05, LON)).status_code == 201
    officer.post("/v1/clients", json=client("SEP-B", LAT, LON))
    officer.post("/v1/clients", json=client("SEP-A", LAT, LON, separate_from=["SEP-B"]))
    pid = officer.post("/v1/placements", json={"client_id": "SEP-B", "site_id": "SEP-S1"}).json()[
        "placement_id"
    ]
    assert officer.post(f"/v1/placements/{pid}/confirm").status_code == 200

    sg = officer.post("/v1/suggestions", json={"client_id": "SEP-A"}).json()
    assert [s["site_id"] for s in sg["suggestions"]] == ["SEP-S2"]
    assert {r["rule"]: r["count"] for r in sg["rejected"]}["separation"] == 1

    r = officer.post("/v1/placements", json={"client_id": "SEP-A", "site_id": "SEP-S1"})
    assert r.status_code == 422 and "separation" in r.json()["failed_rules"]

    plan = officer.post("/v1/assignments", json={"client_ids": ["SEP-A"], "dry_run": True})
    assert [p["site_id"] for p in plan.json()["placements"]] == ["SEP-S2"]


def test_court_fixed_site_is_the_only_suggestion(env: Env) -> None:
    planner = env.as_("planner_purwokerto")
    officer = env.as_("officer_purwokerto")
    planner.post("/v1/sites", json=site("FIX-S1", LAT - 0.05, LON))
    planner.post("/v1/sites", json=site("FIX-S2", LAT - 0.06, LON))
    body = client("FIX-C", LAT - 0.05, LON, fixed_site_id="FIX-S2")
    assert officer.post("/v1/clients", json=body).status_code == 201
    sg = officer.post("/v1/suggestions", json={"client_id": "FIX-C"}).json()
    assert [s["site_id"] for s in sg["suggestions"]] == ["FIX-S2"]
    r = officer.post("/v1/placements", json={"client_id": "FIX-C", "site_id": "FIX-S1"})
    assert r.status_code == 422 and r.json()["failed_rules"] == ["fixed_site"]
    bad = client("FIX-D", LAT, LON, fixed_site_id="NO-SUCH-SITE")
    r = officer.post("/v1/clients", json=bad)
    assert r.status_code == 422 and r.json()["errors"][0]["path"] == "body.fixed_site_id"


def test_unplaced_reason_in_both_languages(env: Env) -> None:
    """An inline client far from every site: nothing is suggested, and the reason says why."""
    body = {"client": client("inline", -3.0, 5.0), "top": 3}
    for lang, word in (("id", "Tidak ada lokasi"), ("en", "No work site")):
        r = env.as_("officer_purwokerto", **{"Accept-Language": lang}).post(
            "/v1/suggestions", json=body
        )
        assert r.status_code == 200, r.text
        out = r.json()
        assert out["suggestions"] == [] and out["sites_in_reach"] == 0
        assert out["reason"]["code"] == "no_site_in_reach"
        assert out["reason"]["message"].startswith(word)
