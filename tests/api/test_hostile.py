"""Hostile and careless requests (issue 9): each gets a 4xx problem+json naming the field and the
rule, never a 500 nor a reset connection, and changes nothing. Plus the guards around them:
rate limits, token expiry, no-store, audit of reads and refusals, the access log, the demo
tokens, the scenario work cap."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from live import BAPAS, Env, LiveServer, client, prepare_database, site
from sqlalchemy import func, select, update

from api.cli.service import seed_demo_once
from api.main import _NoQueryString
from api.settings import Settings
from api.storage.db import Database
from api.storage.migrate import upgrade
from api.storage.models import AuditRow, TokenRow

NON_FINITE = ["NaN", "Infinity", "-Infinity", "1e400"]


def _raw(http: httpx.Client, method: str, url: str, text: str, **kw: Any) -> httpx.Response:
    """A body sent as written (json= would refuse NaN before it leaves)."""
    headers = {"content-type": "application/json", **kw.pop("headers", {})}
    return http.request(method, url, content=text.encode(), headers=headers, **kw)


def _problem(r: httpx.Response, status: int = 422) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = json.loads(r.text)  # strict JSON: no NaN came back
    assert "NaN" not in r.text.replace('"NaN"', "") and "Infinity" not in r.text.replace(
        '"Infinity"', ""
    ).replace('"-Infinity"', "")
    return body


def _paths(body: dict[str, Any]) -> set[str]:
    return {e["path"] for e in body.get("errors") or []}


def _with(doc: dict[str, Any], key: str, literal: str) -> str:
    """``doc`` as JSON with ``key`` set to a literal that JSON cannot hold (NaN, 1e400)."""
    marker = "__MARK__"
    return json.dumps({**doc, key: marker}).replace(f'"{marker}"', literal)


@pytest.fixture(scope="module")
def http(env: Env) -> Iterator[dict[str, httpx.Client]]:
    clients = {
        name: env.as_(name)
        for name in ("officer_purwokerto", "planner_purwokerto", "admin_cilacap", "admin")
    }
    planner = clients["planner_purwokerto"]
    planner.post("/v1/sites", json=site("HX-S1", 0.01, 0.01))
    clients["officer_purwokerto"].post("/v1/clients", json=client("HX-C1", 0.01, 0.01))
    yield clients
    for c in clients.values():
        c.close()


@pytest.mark.parametrize("literal", NON_FINITE)
@pytest.mark.parametrize("field", ["lat", "lon"])
def test_non_finite_coordinates(http: dict[str, httpx.Client], literal: str, field: str):
    officer, planner = http["officer_purwokerto"], http["planner_purwokerto"]
    body = _problem(_raw(officer, "POST", "/v1/clients", _with(client("HX-NF"), field, literal)))
    assert f"body.{field}" in _paths(body)
    body = _problem(_raw(planner, "POST", "/v1/sites", _with(site("HX-NF"), field, literal)))
    assert f"body.{field}" in _paths(body)
    # the keep-alive connection still answers, and nothing was stored
    assert officer.get("/v1/clients/HX-NF").status_code == 404
    assert planner.get("/v1/sites/HX-NF").status_code == 404


@pytest.mark.parametrize("literal", NON_FINITE)
def test_non_finite_radius_travel_and_hours(http: dict[str, httpx.Client], literal: str):
    officer = http["officer_purwokerto"]
    zone = client("HX-NF2")
    zone["exclusion_zones"] = [{"lat": -7.4, "lon": 109.2, "radius_km": "__R__"}]
    text = json.dumps(zone).replace('"__R__"', literal)
    assert "body.exclusion_zones.0.radius_km" in _paths(
        _problem(_raw(officer, "POST", "/v1/clients", text))
    )
    text = _with(client("HX-NF2"), "max_travel_km", literal)
    assert "body.max_travel_km" in _paths(_problem(_raw(officer, "POST", "/v1/clients", text)))
    text = _with({"date": dt.date.today().isoformat()}, "hours", literal)
    assert "body.hours" in _paths(_problem(_raw(officer, "POST", "/v1/placements/1/hours", text)))


@pytest.mark.parametrize("literal", NON_FINITE)
def test_non_finite_geojson_coordinates_in_import(http: dict[str, httpx.Client], literal: str):
    planner = http["planner_purwokerto"]
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": ["__X__", -7.4]},
        "properties": {"site_id": "HX-GJ", "capacity": 2, "open_days": ["mon"]},
    }
    text = json.dumps({"type": "FeatureCollection", "features": [feature]})
    r = planner.post(
        "/v1/sites/import",
        content=text.replace('"__X__"', literal).encode(),
        headers={"content-type": "application/geo+json"},
    )
    assert "lon" in _paths(_problem(r))
    assert planner.get("/v1/sites/HX-GJ").status_code == 404


def test_year_9999(http: dict[str, httpx.Client]):
    officer = http["officer_purwokerto"]
    late = client("HX-Y", start_date="9999-12-01", deadline="9999-12-31")
    for url, body in (
        ("/v1/clients", late),
        ("/v1/suggestions", {"client": {k: v for k, v in late.items() if k != "client_id"}}),
        ("/v1/assignments", {"clients": [late], "dry_run": True}),
    ):
        problem = _problem(officer.post(url, json=body))
        rules = " ".join(e["rule"] for e in problem["errors"])
        assert "start_date" in " ".join(_paths(problem)) and "2099-12-31" in rules, problem


def _import_geojson(planner: httpx.Client, **props: Any) -> httpx.Response:
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [109.2, -7.4]},
        "properties": {"site_id": "HX-IMP", "capacity": 2, "open_days": ["mon"], **props},
    }
    doc = {"type": "FeatureCollection", "features": [feature]}
    return planner.post(
        "/v1/sites/import", json=doc, headers={"content-type": "application/geo+json"}
    )


@pytest.mark.parametrize(
    "props, field, rule",
    [
        ({"capacity": 10**21}, "capacity", "0-10000"),
        ({"capacity": 9223372036854775807}, "capacity", "0-10000"),
        ({"capacity": 100_000_000}, "capacity", "0-10000"),
        ({"site_id": ["a"]}, "site_id", "teks"),
        ({"site_id": "a/b ../c"}, "site_id", "huruf, angka"),
        ({"site_id": "nul\x00"}, "site_id", "huruf, angka"),
        ({"site_id": "x" * 10_000}, "site_id", "huruf, angka"),
        ({"name": "n" * 50_000}, "name", "paling panjang 200"),
    ],
)
def test_import_applies_the_post_rules(
    http: dict[str, httpx.Client], props: dict[str, Any], field: str, rule: str
):
    planner = http["planner_purwokerto"]
    before = planner.get("/v1/sites", params={"limit": 1}).json()["total"]
    problem = _problem(_import_geojson(planner, **props))
    item = next(e for e in problem["errors"] if e["path"] == field)
    assert rule in item["rule"], item
    assert planner.get("/v1/sites", params={"limit": 1}).json()["total"] == before


def test_import_deep_nesting_and_crs(http: dict[str, httpx.Client]):
    planner = http["planner_purwokerto"]
    deep = '{"type": "FeatureCollection", "features": ' + "[" * 50_000 + "]" * 50_000 + "}"
    r = planner.post(
        "/v1/sites/import", content=deep.encode(), headers={"content-type": "application/geo+json"}
    )
    assert r.status_code in (400, 422) and "bersarang" in r.text, r.text
    for crs in (
        {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}},
        "junk",
    ):
        doc = {"type": "FeatureCollection", "crs": crs, "features": []}
        r = planner.post(
            "/v1/sites/import", json=doc, headers={"content-type": "application/geo+json"}
        )
        assert "bukan WGS84" in _problem(r)["errors"][0]["rule"]
    # the same for /v1/clients: a proper 4xx, not a 500
    r = _raw(http["officer_purwokerto"], "POST", "/v1/clients", "[" * 50_000 + "]" * 50_000)
    assert 400 <= r.status_code < 500


def test_semicolon_csv_import_is_read(env: Env):
    """A ';'-separated CSV (an Indonesian-locale spreadsheet's) is read, not refused row by row
    (api/files/tables.py finds the separator); far from the other tests' sites, in Cilacap."""
    text = "site_id;lat;lon;capacity;open_days\n" + "".join(
        f"HX-SC{i};-7.9;108.9;2;mon\n" for i in range(3)
    )
    r = env.as_("planner_cilacap").post(
        "/v1/sites/import", content=text.encode(), headers={"content-type": "text/csv"}
    )
    assert r.status_code == 200 and r.json()["created"] == 3, r.text


@pytest.mark.parametrize("change", [{"lon": False}, {"lat": True}, {"hours": True}])
def test_booleans_are_not_numbers(http: dict[str, httpx.Client], change: dict[str, Any]):
    officer = http["officer_purwokerto"]
    before = officer.get("/v1/clients/HX-C1").json()
    problem = _problem(officer.patch("/v1/clients/HX-C1", json=change))
    assert _paths(problem) == {f"body.{next(iter(change))}"}
    assert officer.get("/v1/clients/HX-C1").json() == before


def test_lost_minus_sign_names_the_cause(http: dict[str, httpx.Client], env: Env):
    officer = http["officer_purwokerto"]
    problem = _problem(officer.post("/v1/clients", json={**client("HX-M"), "lat": 7.39}))
    item = next(e for e in problem["errors"] if e["path"] == "body.lat")
    assert "tanda minus hilang?" in item["rule"] and item["value"] == 7.39
    english = env.as_("officer_purwokerto", **{"Accept-Language": "en"})
    r = english.post("/v1/sites", json={**site("HX-M"), "lon": -109.2})
    assert r.status_code == 403  # an officer may not add sites: the role is checked first
    r = env.as_("planner_purwokerto", **{"Accept-Language": "en"}).post(
        "/v1/sites", json={**site("HX-M"), "lat": 7.39}
    )
    assert "minus sign lost?" in _problem(r)["errors"][0]["rule"]
    r = env.as_("planner_purwokerto").post("/v1/sites", json={**site("HX-M"), "lat": 51.5})
    assert "lintang harus di antara -11.5..6.5" in _problem(r)["errors"][0]["rule"]


def test_as_of_zero_is_refused(http: dict[str, httpx.Client]):
    r = http["officer_purwokerto"].get("/v1/reports/supervision", params={"as_of": "0"})
    assert "query.as_of" in _paths(_problem(r))


def test_separate_from_another_bapas_client(http: dict[str, httpx.Client], env: Env):
    env.as_("officer_cilacap").post("/v1/clients", json=client("HX-CIL", -0.5, -0.3))
    officer = http["officer_purwokerto"]
    problem = _problem(officer.post("/v1/clients", json=client("HX-SEP", separate_from=["HX-CIL"])))
    assert problem["errors"][0]["path"] == "body.separate_from"
    assert officer.get("/v1/clients/HX-SEP").status_code == 404


def test_only_an_all_bapas_admin_creates_a_bapas(http: dict[str, httpx.Client]):
    r = http["admin_cilacap"].post("/v1/bapas", json={"bapas_id": "hx-new", "name": "Baru"})
    assert _problem(r, 403)["status"] == 403
    r = http["admin"].post("/v1/bapas", json={"bapas_id": "hx-new", "name": "Baru"})
    assert r.status_code == 201, r.text


def test_no_store_on_client_records(http: dict[str, httpx.Client]):
    r = http["officer_purwokerto"].get("/v1/clients/HX-C1")
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    assert http["officer_purwokerto"].get("/v1/clients").headers["cache-control"] == "no-store"


def test_reads_and_refusals_are_audited_without_values(http: dict[str, httpx.Client]):
    officer = http["officer_purwokerto"]
    assert officer.get("/v1/clients/HX-C1").status_code == 200
    assert officer.get("/v1/clients/HX-NOPE").status_code == 404
    assert officer.post("/v1/sites", json=site("HX-NO")).status_code == 403
    log = http["admin"].get("/v1/audit", params={"limit": 50}).json()
    actions = {(a["action"], a["entity_id"]) for a in log}
    assert ("client.read", "HX-C1") in actions
    assert ("refused.404", "/v1/clients/HX-NOPE") in actions
    assert ("refused.403", "/v1/sites") in actions
    text = json.dumps(log)
    assert "traffic" not in text and "moderate" not in text


def test_access_log_drops_query_strings():
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/v1/sites?kecamatan=x&client_id=K-1", "1.1", 200),
        None,
    )
    assert _NoQueryString().filter(record)
    assert "client_id" not in record.getMessage() and "/v1/sites" in record.getMessage()


def test_scenario_over_the_work_cap_is_refused_before_it_starts(env: Env):
    body = {
        "base": {"generate": {"clients": 5000, "sites": 2000, "seed": 1}},
        "edits": [{"name": f"e{i}", "travel_limit_km": 20} for i in range(40)],
    }
    r = env.as_("planner_purwokerto", **{"Accept-Language": "en"}).post("/v1/scenarios", json=body)
    problem = _problem(r)
    assert problem["errors"][0]["path"] == "body.work" and "cap" in problem["errors"][0]["rule"]


# --------------------------------------------------------------------------------------------
# A server of its own: tight rate limits, expiring tokens, the demo seed. Each test talks from
# its own loopback address, as the limits count per address.


def _from(server: LiveServer, address: str, token: str | None = None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(base_url=server.url, headers=headers, transport=transport)


@pytest.fixture(scope="module")
def strict(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, dict[str, str]]]:
    tmp = tmp_path_factory.mktemp("strict")
    server = LiveServer(
        f"sqlite:///{tmp / 'strict.db'}",
        tmp / "strict.log",
        queue_url=f"sqlite:///{tmp / 'queue.db'}",
        PENEMPATAN_RATE_LIMIT_AUTH="5/minute",
        PENEMPATAN_RATE_LIMIT_NOT_FOUND="8/minute",
    )
    tokens = prepare_database(server, BAPAS)
    server.start()
    try:
        yield server, tokens
    finally:
        server.stop()


def test_failed_authentication_is_slowed_down(strict: tuple[LiveServer, dict[str, str]]):
    server, tokens = strict
    with _from(server, "127.0.0.2") as anon:
        codes = [
            anon.get("/v1/sites", headers={"Authorization": f"Bearer guess{i}"}).status_code
            for i in range(7)
        ]
        assert codes[:5] == [401] * 5 and codes[-1] == 429, codes
        r = anon.get("/v1/sites", headers={"Authorization": f"Bearer {tokens['admin']}"})
        assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
        assert r.headers["content-type"] == "application/problem+json"


def test_token_expiry_and_demo_tokens_seeded_once(tmp_path: Path):
    db = Database(Settings(database_url=f"sqlite:///{tmp_path / 'demo.db'}"))
    upgrade(db)
    first = seed_demo_once(db)
    assert first is not None and set(first) == {"officer", "planner", "admin"}
    assert seed_demo_once(db) is None
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(TokenRow)) == 3
        expiries = set(s.scalars(select(TokenRow.expires_at)))
    assert None not in expiries
    db.dispose()


def test_expired_token_is_refused(strict: tuple[LiveServer, dict[str, str]]):
    server, tokens = strict
    db = server.database()
    with db.writing() as s:
        s.execute(
            update(TokenRow)
            .where(TokenRow.role == "planner", TokenRow.bapas_id == "cilacap")
            .values(expires_at=dt.datetime(2001, 1, 1))
        )
    db.dispose()
    with _from(server, "127.0.0.3", tokens["planner_cilacap"]) as http:
        r = http.get("/v1/sites")
        assert r.status_code == 401 and "kedaluwarsa" in r.text


def test_not_found_bursts_are_slowed_down(strict: tuple[LiveServer, dict[str, str]]):
    server, tokens = strict
    with _from(server, "127.0.0.4", tokens["officer_purwokerto"]) as officer:
        codes = [officer.get(f"/v1/clients/GUESS-{i}").status_code for i in range(10)]
    assert 429 in codes and codes[0] == 404, codes
    db = server.database()
    with db.reading() as s:
        refused = s.scalar(
            select(func.count()).select_from(AuditRow).where(AuditRow.action == "refused.404")
        )
    db.dispose()
    assert refused >= 1
