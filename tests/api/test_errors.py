"""Errors are RFC 9457 problem+json in Indonesian (default) or English; limits give 413; large
cohorts run as jobs; court-order rules cite the Pasal."""

from __future__ import annotations

import time
from collections.abc import Iterator

from live import Env, client, site


def test_unknown_path_and_id_are_problem_json(env: Env) -> None:
    officer = env.as_("officer_purwokerto")
    r = officer.get("/v1/nothing-here")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    assert set(r.json()) >= {"type", "title", "status", "detail", "instance"}
    r = officer.get("/v1/clients/NO-SUCH")
    assert r.status_code == 404 and r.json()["title"] == "Tidak ditemukan"
    r = env.as_("officer_purwokerto", **{"Accept-Language": "en-GB,en;q=0.9"}).get(
        "/v1/clients/NO-SUCH"
    )
    assert r.json()["title"] == "Not found"
    assert r.json()["detail"] == "Client NO-SUCH not found."
    r = officer.get("/v1/placements/0")
    assert r.status_code == 422 and r.json()["errors"][0]["path"] == "path.placement_id"


def test_court_order_rules_cite_the_pasal(env: Env) -> None:
    bad = client("ERR-C1", hours=300, hours_per_day=9, imposed_prison_months=12)
    for lang, fragment in (("id", "jam seluruhnya"), ("en", "hours in total")):
        r = env.as_("officer_purwokerto", **{"Accept-Language": lang}).post("/v1/clients", json=bad)
        assert r.status_code == 422
        errors = {e["path"]: e for e in r.json()["errors"]}
        assert errors["body.hours"]["value"] == 300
        assert errors["body.hours"]["pasal"] == "Pasal 85(4)"
        assert fragment in errors["body.hours"]["rule"]
        assert errors["body.hours_per_day"]["pasal"] == "Pasal 85(5)"
        assert errors["body.imposed_prison_months"]["pasal"] == "Pasal 85(1)"


def test_body_and_cohort_limits_give_413(env: Env) -> None:
    officer = env.as_("officer_purwokerto")
    r = officer.post(
        "/v1/clients",
        content=b'{"client_id": "' + b"x" * 250_000 + b'"}',
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 413
    assert r.headers["content-type"] == "application/problem+json"
    r = officer.post("/v1/assignments", json={"client_ids": [f"C{i}" for i in range(61)]})
    assert r.status_code == 413 and r.json()["type"] == "/problems/cohort-too-large"


def test_not_eligible_and_state_conflicts(env: Env) -> None:
    planner = env.as_("planner_purwokerto")
    officer = env.as_("officer_purwokerto")
    planner.post("/v1/sites", json=site("ERR-COMM", 0.4, 0.4, commercial=True))
    planner.post("/v1/sites", json=site("ERR-OK", 0.4, 0.4, capacity=1))
    officer.post("/v1/clients", json=client("ERR-C2", 0.4, 0.4))
    r = officer.post("/v1/placements", json={"client_id": "ERR-C2", "site_id": "ERR-COMM"})
    assert r.status_code == 422 and r.json()["type"] == "/problems/not-eligible"
    assert r.json()["errors"][0]["pasal"] == "Pasal 85(3)"
    pid = officer.post("/v1/placements", json={"client_id": "ERR-C2", "site_id": "ERR-OK"}).json()[
        "placement_id"
    ]
    assert officer.post(f"/v1/placements/{pid}/complete").status_code == 409
    assert officer.post(f"/v1/placements/{pid}/confirm").status_code == 200
    assert officer.post(f"/v1/placements/{pid}/confirm").status_code == 409
    assert officer.post(f"/v1/placements/{pid}/complete").status_code == 409
    r = officer.post(f"/v1/placements/{pid}/revoke", json={"reason": "moved away"})
    assert r.status_code == 200 and r.json()["status"] == "revoked"
    assert planner.get("/v1/sites/ERR-OK/occupancy").json()["free"] == 1


def test_large_cohort_runs_as_a_job(env: Env) -> None:
    env.as_("planner_purwokerto").post("/v1/sites", json=site("JOB-S", 0.6, 0.6, capacity=30))
    officer = env.as_("officer_purwokerto")
    cohort = [client(f"JOB-C{i:02d}", 0.6, 0.6 + 0.001 * i) for i in range(25)]
    r = officer.post("/v1/assignments", json={"clients": cohort, "dry_run": True})
    assert r.status_code == 202, r.text
    job = r.json()
    assert r.headers["location"] == f"/v1/assignments/{job['job_id']}"
    for _ in range(600):
        job = officer.get(f"/v1/assignments/{job['job_id']}").json()
        if job["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert job["status"] == "done", job
    assert job["progress"] == 1.0
    assert job["result"]["summary"]["placed"] == 25
    assert officer.get("/v1/clients/JOB-C00").status_code == 404  # a dry run writes nothing
    other = env.as_("officer_cilacap").get(f"/v1/assignments/{job['job_id']}")
    assert other.status_code == 404


def test_chunked_body_over_the_limit_gives_413(env: Env) -> None:
    """A body without Content-Length is counted as it arrives."""

    def chunks() -> Iterator[bytes]:
        yield b'{"client_id": "'
        for _ in range(30):
            yield b"x" * 10_000
        yield b'"}'

    r = env.as_("officer_purwokerto").post(
        "/v1/clients", content=chunks(), headers={"content-type": "application/json"}
    )
    assert r.status_code == 413
    assert r.headers["content-type"] == "application/problem+json"


def test_audit_holds_ids_and_statuses_only(env: Env) -> None:
    """Health, religion and offence never reach the audit log."""
    officer = env.as_("officer_purwokerto")
    body = client(
        "AUD-C1", 0.7, -0.7, health=["epilepsy"], religion="hindu", offence="sexual_offence"
    )
    assert officer.post("/v1/clients", json=body).status_code == 201
    assert officer.patch("/v1/clients/AUD-C1", json={"religion": "buddha"}).status_code == 200
    text = env.as_("admin").get("/v1/audit", params={"limit": 1000}).text
    for word in ("epilepsy", "hindu", "buddha", "sexual_offence"):
        assert word not in text
    entries = env.as_("admin").get("/v1/audit", params={"entity_id": "AUD-C1"}).json()
    assert [e["action"] for e in entries] == ["client.update", "client.create"]
    assert entries[0]["after"] == {"fields": ["religion"]}
