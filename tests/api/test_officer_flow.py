"""The officer's day over real HTTP: a token from the CLI, a client, suggestions, a cohort dry
run, the plan's proposal, confirmation, hours, and the prosecutor's supervision report."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from live import TODAY, Env, client, site
from typer.testing import CliRunner

from api.cli.service import token_app
from api.schemas.matching import SuggestionResponse
from api.settings import get_settings


def _cli_token(env: Env, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("PENEMPATAN_DATABASE_URL", env.server.url_db)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(
            token_app, ["create", "--role", "officer", "--bapas", "purwokerto"]
        )
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    return next(line for line in result.output.splitlines() if line.startswith("pnm_"))


def test_officer_flow_end_to_end(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    token = _cli_token(env, monkeypatch)
    planner = env.as_("planner_purwokerto")
    for body in (
        site("FLOW-NEAR", 0.100, 0.0, capacity=1),
        site("FLOW-FAR", 0.130, 0.0, capacity=2, work_types=["gardening"]),
    ):
        assert planner.post("/v1/sites", json=body).status_code == 201

    officer = env.as_(None, Authorization=f"Bearer {token}")
    r = officer.post("/v1/clients", json=client("FLOW-C1", 0.101, 0.0, skills=["cleaning"]))
    assert r.status_code == 201, r.text
    assert r.json()["placement"] is None

    r = officer.post("/v1/suggestions", json={"client_id": "FLOW-C1", "top": 2})
    assert r.status_code == 200, r.text
    sg = r.json()
    # the route sends the service's dict through orjson unvalidated: it must fit its schema
    assert SuggestionResponse.model_validate(sg).model_dump(mode="json") == sg
    assert [s["site_id"] for s in sg["suggestions"]] == ["FLOW-NEAR", "FLOW-FAR"]
    best = sg["suggestions"][0]
    assert best["free"] == 1 and best["terms"]["skill_match"] is True
    assert best["terms"]["cost_m"] == best["terms"]["distance_m"] - best["terms"]["skill_bonus_m"]

    r = officer.post("/v1/assignments", json={"client_ids": ["FLOW-C1"], "dry_run": True})
    assert r.status_code == 200, r.text
    plan = r.json()
    assert plan["dry_run"] is True
    assert [(p["client_id"], p["site_id"], p["placement_id"]) for p in plan["placements"]] == [
        ("FLOW-C1", "FLOW-NEAR", None)
    ]
    assert officer.get("/v1/placements", params={"client_id": "FLOW-C1"}).json()["total"] == 0

    r = officer.post("/v1/assignments", json={"client_ids": ["FLOW-C1"]})
    assert r.status_code == 200, r.text
    placement_id = r.json()["placements"][0]["placement_id"]
    assert placement_id is not None

    r = officer.post(f"/v1/placements/{placement_id}/confirm")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "active"
    occupancy = officer.get("/v1/sites/FLOW-NEAR/occupancy").json()
    assert occupancy == {
        "site_id": "FLOW-NEAR",
        "capacity": 1,
        "active": 1,
        "proposed": 0,
        "free": 0,
    }

    r = officer.post(
        f"/v1/placements/{placement_id}/hours", json={"date": TODAY.isoformat(), "hours": 4}
    )
    assert r.status_code == 201, r.text
    assert r.json()["hours_done"] == 4.0
    assert len(r.json()["hours_log"]) == 1

    r = officer.get("/v1/reports/supervision", params={"as_of": TODAY.isoformat()})
    assert r.status_code == 200, r.text
    row = next(x for x in r.json()["rows"] if x["client_id"] == "FLOW-C1")
    assert row["status"] == "active" and row["site_id"] == "FLOW-NEAR"
    assert (row["hours_ordered"], row["hours_done"], row["hours_remaining"]) == (40, 4.0, 36.0)
    assert row["days_left"] == 110 and row["workdays_left"] > 9 and row["at_risk"] is False

    r = env.as_("planner_purwokerto").get(
        "/v1/reports/supervision", params={"format": "csv", "as_of": TODAY.isoformat()}
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = {x["client_id"]: x for x in csv.DictReader(io.StringIO(r.text))}
    assert rows["FLOW-C1"]["hours_done"] == "4.0" and rows["FLOW-C1"]["at_risk"] == "false"


def test_supervision_flags_a_client_who_can_no_longer_finish(env: Env) -> None:
    """At risk: 40 hours at 4 a day need 10 working days; a deadline 3 weeks away on Saturdays
    only leaves about 3."""
    officer = env.as_("officer_purwokerto")
    env.as_("planner_purwokerto").post("/v1/sites", json=site("RISK-S", 0.2, 0.2))
    start = TODAY - dt.timedelta(days=150)
    body = client(
        "RISK-C1",
        0.2,
        0.2,
        start_date=start.isoformat(),
        deadline=(TODAY + dt.timedelta(days=21)).isoformat(),
        available_days=["sat"],
    )
    assert officer.post("/v1/clients", json=body).status_code == 201
    r = officer.get("/v1/reports/supervision", params={"as_of": TODAY.isoformat()})
    row = next(x for x in r.json()["rows"] if x["client_id"] == "RISK-C1")
    assert row["status"] == "unplaced" and row["workdays_left"] <= 3 and row["at_risk"] is True
