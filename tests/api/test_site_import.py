"""Bulk import is all or nothing: one bad row changes nothing and is reported by row."""

from __future__ import annotations

import json

from live import Env

HEADER = "site_id,name,kind,lat,lon,capacity,open_days,hours_per_day,subdistrict\n"


def _csv(*rows: str) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode()


def test_csv_import_with_one_bad_row_changes_nothing(env: Env) -> None:
    planner = env.as_("planner_purwokerto")
    before = planner.get("/v1/sites", params={"limit": 1000}).json()["total"]
    body = _csv(
        "IMP-1,Balai Desa A,village_office,-7.40,109.20,2,mon;tue;wed,6,Kedungbanteng",
        "IMP-2,Taman B,park,-7.41,109.21,-2,mon;tue,6,Kedungbanteng",
        "IMP-3,Sekolah C,school,-7.42,109.22,3,mon;fri,9,Kedungbanteng",
    )
    r = planner.post("/v1/sites/import", content=body, headers={"content-type": "text/csv"})
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    errors = r.json()["errors"]
    assert {(e["source"], e["path"]) for e in errors} == {
        ("row 3", "capacity"),
        ("row 4", "hours_per_day"),
    }
    assert next(e for e in errors if e["path"] == "hours_per_day")["pasal"] == "Pasal 85(5)"
    assert planner.get("/v1/sites", params={"limit": 1000}).json()["total"] == before
    assert planner.get("/v1/sites/IMP-1").status_code == 404

    fixed = body.replace(b",-2,", b",2,").replace(b",9,Ked", b",6,Ked")
    r = planner.post("/v1/sites/import", content=fixed, headers={"content-type": "text/csv"})
    assert r.status_code == 200, r.text
    assert r.json() == {"created": 3, "updated": 0, "site_ids": ["IMP-1", "IMP-2", "IMP-3"]}
    assert planner.get("/v1/sites", params={"limit": 1000}).json()["total"] == before + 3
    assert planner.get("/v1/sites", params={"kecamatan": "kedungbanteng"}).json()["total"] == 3


def test_geojson_import_export_and_filters(env: Env) -> None:
    planner = env.as_("planner_purwokerto")

    def feature(site_id: str, lon: float, lat: float, **props: object) -> dict[str, object]:
        return {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"site_id": site_id, "capacity": 2, "open_days": ["mon"], **props},
        }

    bad = {
        "type": "FeatureCollection",
        "features": [
            feature("GEO-1", 109.5, -7.6, kind="park"),
            {"type": "Feature", "geometry": {"type": "LineString", "coordinates": []}},
        ],
    }
    r = planner.post(
        "/v1/sites/import",
        content=json.dumps(bad),
        headers={"content-type": "application/geo+json"},
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["source"] == "feature 1"
    assert planner.get("/v1/sites/GEO-1").status_code == 404

    good = {"type": "FeatureCollection", "features": [bad["features"][0]]}
    r = planner.post(
        "/v1/sites/import",
        content=json.dumps(good),
        headers={"content-type": "application/geo+json"},
    )
    assert r.status_code == 200, r.text
    listed = planner.get("/v1/sites", params={"bbox": "109.49,-7.61,109.51,-7.59"}).json()
    assert [s["site_id"] for s in listed["items"]] == ["GEO-1"]
    assert planner.get("/v1/sites", params={"kind": "park", "has_room": True}).json()["total"] >= 1
    exported = planner.get("/v1/sites/export")
    assert exported.headers["content-type"] == "application/geo+json"
    geo1 = next(f for f in exported.json()["features"] if f["properties"]["site_id"] == "GEO-1")
    assert geo1["geometry"]["coordinates"] == [109.5, -7.6]

    r = planner.post("/v1/sites/GEO-1/deactivate")
    assert r.status_code == 200 and r.json()["active"] is False
    listed = planner.get("/v1/sites", params={"bbox": "109.49,-7.61,109.51,-7.59"}).json()
    assert listed["total"] == 0
    r = planner.post("/v1/sites/import", content=b"x", headers={"content-type": "text/plain"})
    assert r.status_code == 415
