"""After confirmation, over real HTTP: the calendar (JSON, CSV, .ics), attendance with refusals
naming the rule and the Pasal, warnings, the breach notice, completion (the place freed); and a
child's placement kept to the children's policy."""

from __future__ import annotations

import datetime as dt

import icalendar
from live import ALL_WEEK, TODAY, Env, backdate, client, site

from matcher.calendar import is_holiday


def _workdays_back(n: int, since: dt.date) -> list[dt.date]:
    """The first ``n`` non-holidays from ``since`` (every weekday is a working day here)."""
    out, d = [], since
    while len(out) < n:
        if not is_holiday(d):
            out.append(d)
        d += dt.timedelta(days=1)
    return out


def _placed(env: Env, cid: str, sid: str, confirmed: dt.date, **fields: object) -> int:
    """A confirmed placement of a client at a site open every day, confirmed on ``confirmed``
    (set in the database: the service never back-dates a confirmation)."""
    env.as_("planner_purwokerto").post(
        "/v1/sites", json=site(sid, 0.7, 0.7, open_days=ALL_WEEK, hours_per_day=8)
    )
    officer = env.as_("officer_purwokerto")
    body = client(
        cid,
        0.7,
        0.7,
        available_days=ALL_WEEK,
        start_date=(TODAY - dt.timedelta(days=40)).isoformat(),
        deadline=(TODAY + dt.timedelta(days=100)).isoformat(),
        **fields,
    )
    assert officer.post("/v1/clients", json=body).status_code == 201
    pid = officer.post("/v1/placements", json={"client_id": cid, "site_id": sid}).json()[
        "placement_id"
    ]
    assert officer.post(f"/v1/placements/{pid}/confirm").status_code == 200
    backdate(env.server, pid, confirmed)
    return pid


def test_walk_through_mangkir_warnings_and_a_breach_notice(env: Env) -> None:
    officer = env.as_("officer_purwokerto")
    days = _workdays_back(5, TODAY - dt.timedelta(days=30))
    pid = _placed(env, "ATT-C1", "ATT-S1", days[0])

    cal = officer.get(f"/v1/placements/{pid}/calendar", params={"as_of": days[0].isoformat()})
    assert cal.status_code == 200, cal.text
    assert cal.json()["days"][:2] == [
        {"date": days[0].isoformat(), "hours": 4},
        {"date": days[1].isoformat(), "hours": 4},
    ]
    assert cal.json()["shortfall"] is None and cal.json()["day_limit"] == 4

    r = officer.post(
        f"/v1/placements/{pid}/attendance",
        json={"date": days[0].isoformat(), "outcome": "hadir", "hours": 5},
    )
    assert r.status_code == 422
    (err,) = r.json()["errors"]
    assert err["path"] == "body.hours" and err["pasal"] == "Pasal 85(5)-(6) KUHP"
    assert "log_over_day_limit" in err["rule"]
    before = officer.post(
        f"/v1/placements/{pid}/attendance",
        json={"date": (days[0] - dt.timedelta(days=1)).isoformat(), "outcome": "mangkir"},
    )
    assert before.status_code == 422 and "log_before_start" in before.text

    walk = [
        {"date": days[0].isoformat(), "outcome": "hadir", "hours": 4},
        {"date": days[1].isoformat(), "outcome": "mangkir"},
        {"date": days[2].isoformat(), "outcome": "izin", "reason": "sakit"},
        {"date": days[3].isoformat(), "outcome": "mangkir"},
        {"date": days[4].isoformat(), "outcome": "mangkir"},
    ]
    for body in walk:
        r = officer.post(f"/v1/placements/{pid}/attendance", json=body)
        assert r.status_code == 201, r.text
    st = r.json()
    assert st["status"] == "pelanggaran" and st["hours_done"] == 4 and st["remaining"] == 36
    assert [x["kind"] for x in st["steps"]] == ["peringatan", "peringatan", "pelanggaran"]
    assert st["counts"]["mangkir"] == 3 and st["counts"]["izin"] == 1

    letters = officer.get(f"/v1/placements/{pid}/letters").json()
    assert [w["number"] for w in letters["warnings"]] == [1, 2]
    assert letters["warnings"][0]["text"].startswith("SURAT PERINGATAN KE-1")
    notice = letters["breach_notice"]
    assert "PEMBERITAHUAN PELANGGARAN" in notice and "Sisa jam kerja: 36 jam" in notice
    assert "Pasal 85(7) KUHP" in notice and "Bapas Purwokerto" in notice
    assert letters["completion_statement"] is None

    ics = officer.get(f"/v1/placements/{pid}/calendar", params={"format": "ics"})
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    events = icalendar.Calendar.from_ical(ics.content).walk("VEVENT")
    assert len(events) == 9  # 36 hours left at 4 a day
    csv_text = officer.get(f"/v1/placements/{pid}/calendar", headers={"Accept": "text/csv"}).text
    assert csv_text.splitlines()[0] == "date,weekday,hours,cumulative_hours"

    report = officer.get("/v1/reports/supervision", params={"as_of": TODAY.isoformat()}).json()
    row = next(x for x in report["rows"] if x["client_id"] == "ATT-C1")
    assert row["mangkir"] == 3 and row["warnings"] == 2 and row["breach"] is True
    assert row["state"] == "pelanggaran" and row["next_day"] is not None

    month = days[1].strftime("%Y-%m")
    monthly = env.as_("planner_purwokerto").get(
        "/v1/reports/sites-monthly", params={"month": month}
    )
    assert monthly.status_code == 200, monthly.text
    at = next(x for x in monthly.json()["sites"] if x["site_id"] == "ATT-S1")
    in_month = [b for b in walk if b["date"].startswith(month)]
    assert sum(at["days"].values()) == len(in_month)
    assert at["days"]["mangkir"] == sum(1 for b in in_month if b["outcome"] == "mangkir")
    assert [c["client_id"] for c in at["clients"]] == ["ATT-C1"]


def test_walk_to_completion_frees_the_place(env: Env) -> None:
    officer = env.as_("officer_purwokerto")
    days = _workdays_back(3, TODAY - dt.timedelta(days=20))
    pid = _placed(env, "ATT-C2", "ATT-S2", days[0], hours=8)
    for d in days[:2]:
        r = officer.post(f"/v1/placements/{pid}/hours", json={"date": d.isoformat(), "hours": 4})
        assert r.status_code == 201, r.text
    assert r.json()["status"] == "completed"
    assert officer.get("/v1/sites/ATT-S2/occupancy").json()["active"] == 0
    more = officer.post(
        f"/v1/placements/{pid}/hours", json={"date": days[2].isoformat(), "hours": 4}
    )
    assert more.status_code == 422 and more.json()["errors"][0]["pasal"] == "Pasal 85(4) KUHP"
    letters = officer.get(f"/v1/placements/{pid}/letters").json()
    assert letters["status"] == "selesai"
    assert "SURAT KETERANGAN SELESAI" in letters["completion_statement"]
    assert "seluruh 8 jam" in letters["completion_statement"]


def test_a_childs_placement_keeps_the_childrens_policy(env: Env) -> None:
    planner = env.as_("planner_purwokerto")
    officer = env.as_("officer_purwokerto")
    for sid, suitable in (("KID-OK", True), ("KID-NO", False)):
        planner.post("/v1/sites", json=site(sid, 0.9, 0.9, child_suitable=suitable))
    kid = client(
        "KID-C1",
        0.9,
        0.9,
        sentence="pelayanan_masyarakat",
        age=15,
        hours=30,
        hours_per_day=3,
        school_days=["mon", "tue", "wed", "thu", "fri"],
    )
    too_few = officer.post("/v1/clients", json={**kid, "client_id": "KID-C0", "hours": 6})
    assert too_few.status_code == 422
    assert too_few.json()["errors"][0]["pasal"] == "Pasal 76(3) UU No. 11 Tahun 2012"
    assert officer.post("/v1/clients", json=kid).status_code == 201
    assert officer.get("/v1/clients/KID-C1").json()["sentence"] == "pelayanan_masyarakat"
    r = officer.post("/v1/placements", json={"client_id": "KID-C1", "site_id": "KID-NO"})
    assert r.status_code == 422 and "child_pk_anak" in r.json()["failed_rules"]
    r = officer.post(
        "/v1/placements", json={"client_id": "KID-C1", "site_id": "KID-NO", "pk_anak": "Dewi"}
    )
    assert r.status_code == 422 and r.json()["failed_rules"] == ["child_site_unsuitable"]
    # an adult convicted of minor assault works at KID-OK: the child may not join him
    adult = client("KID-ADULT", 0.9, 0.9, offence="minor_assault")
    assert officer.post("/v1/clients", json=adult).status_code == 201
    apid = officer.post(
        "/v1/placements", json={"client_id": "KID-ADULT", "site_id": "KID-OK"}
    ).json()["placement_id"]
    assert officer.post(f"/v1/placements/{apid}/confirm").status_code == 200
    r = officer.post(
        "/v1/placements", json={"client_id": "KID-C1", "site_id": "KID-OK", "pk_anak": "Dewi"}
    )
    assert r.status_code == 422 and r.json()["failed_rules"] == ["child_adult_offender"]
    officer.post(f"/v1/placements/{apid}/revoke", json={"reason": "moved"})
    r = officer.post(
        "/v1/placements", json={"client_id": "KID-C1", "site_id": "KID-OK", "pk_anak": "Dewi"}
    )
    assert r.status_code == 201 and r.json()["pk_anak"] == "Dewi"
    pid = r.json()["placement_id"]
    assert officer.post(f"/v1/placements/{pid}/confirm").status_code == 200
    cal = officer.get(f"/v1/placements/{pid}/calendar").json()
    assert cal["sentence"] == "pelayanan_masyarakat" and cal["day_limit"] == 3
    assert {dt.date.fromisoformat(d["date"]).weekday() for d in cal["days"]} <= {5}
