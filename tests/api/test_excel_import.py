"""Imports the way an office sends them (issue 12): an Excel workbook or a `;` CSV of sites, and
many clients at once (all rows or none, every bad row reported); a misspelt column is one error
for the file."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import openpyxl
from live import Env

from api.files.tables import CLIENTS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# the columns a client file must have (the reader's own list), and one optional column
CLIENT_HEADER = [*CLIENTS.required, "separate_from"]


def workbook(rows: list[list[Any]], title: str = "Sheet") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    for row in rows:
        ws.append(row)
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_sites_from_a_workbook_and_from_a_semicolon_csv(env: Env) -> None:
    planner = env.as_("planner_purwokerto")
    book = workbook(
        [
            ["Site ID", "Nama", "jenis", "lat", "lon", "kapasitas", "open_days", "kecamatan"],
            [
                "XL-1",
                "Balai Desa Ledug",
                "village_office",
                -6.95,
                111.94,
                2,
                "Senin;Rabu",
                "Kembaran",
            ],
            [None] * 8,
            ["XL-2", "Taman Andhang Pangrenan", "park", -6.96, 111.95, "3", "Sabtu, Minggu", None],
        ],
        title="Lokasi",
    )
    r = planner.post(
        "/v1/sites/import", content=book, headers={"content-type": XLSX}, params={"sheet": "Lokasi"}
    )
    assert r.status_code == 200, r.text
    assert r.json() == {"created": 2, "updated": 0, "site_ids": ["XL-1", "XL-2"]}
    site = planner.get("/v1/sites/XL-2").json()
    assert site["capacity"] == 3 and site["open_days"] == ["sat", "sun"]

    csv = (
        "\ufeffsite_id;name;lat;lon;capacity;open_days\r\nXL-3;Pasar Wage;-6,97;111,96;2;Jumat\r\n"
    )
    r = planner.post("/v1/sites/import", content=csv.encode(), headers={"content-type": "text/csv"})
    assert r.status_code == 200, r.text
    assert planner.get("/v1/sites/XL-3").json()["lat"] == -6.97


def test_a_misspelt_column_is_one_error_for_the_file(env: Env) -> None:
    planner = env.as_("planner_purwokerto")
    rows = [["site_id", "lat", "lon", "capasity", "open_days"]]
    rows += [[f"MS-{i}", -6.9, 111.9, 2, "mon"] for i in range(300)]
    r = planner.post("/v1/sites/import", content=workbook(rows), headers={"content-type": XLSX})
    assert r.status_code == 422, r.text
    errors = r.json()["errors"]
    assert [e["rule"] for e in errors] == ["`capasity`: kolom tidak dikenal, maksudnya `capacity`?"]
    english = env.as_("planner_purwokerto", **{"Accept-Language": "en"})
    r = english.post("/v1/sites/import", content=workbook(rows), headers={"content-type": XLSX})
    assert r.json()["errors"][0]["rule"] == "`capasity`: unknown column, did you mean `capacity`?"
    assert planner.get("/v1/sites/MS-0").status_code == 404


def _client_row(cid: str, **over: Any) -> list[Any]:
    v = {
        "client_id": cid,
        "lat": -6.94,
        "lon": 111.93,
        "gender": "male",
        "offence": "traffic",
        "hours": 40,
        "hours_per_day": 4,
        "start_date": "15/01/2027",
        "deadline": "30/03/2027",
        "available_days": "Senin;Kamis",
        "separate_from": None,
        **over,
    }
    return [v[c] for c in CLIENT_HEADER]


def test_clients_in_bulk_all_or_nothing(env: Env) -> None:
    officer = env.as_("officer_purwokerto")
    bad = workbook(
        [
            CLIENT_HEADER,
            _client_row("BULK-1", separate_from="BULK-2"),
            _client_row("BULK-2", hours=300),
            _client_row("BULK-3", deadline="30/12/2027"),
            _client_row("BULK-4", separate_from="NOBODY"),
        ]
    )
    r = officer.post("/v1/clients/import", content=bad, headers={"content-type": XLSX})
    assert r.status_code == 422, r.text
    errors = r.json()["errors"]
    assert {(e["source"], e["path"]) for e in errors} == {
        ("row 3", "hours"),
        ("row 4", "deadline"),
        ("row 5", "separate_from"),
    }
    assert next(e for e in errors if e["path"] == "hours")["pasal"] == "Pasal 85(4)"
    assert officer.get("/v1/clients/BULK-1").status_code == 404

    good = workbook(
        [
            CLIENT_HEADER,
            _client_row("BULK-1", separate_from="BULK-2"),
            _client_row("BULK-2"),
            _client_row("BULK-3"),
        ]
    )
    r = officer.post("/v1/clients/import", content=good, headers={"content-type": XLSX})
    assert r.status_code == 200, r.text
    assert r.json() == {"created": 3, "client_ids": ["BULK-1", "BULK-2", "BULK-3"]}
    one = officer.get("/v1/clients/BULK-1").json()
    assert one["available_days"] == ["mon", "thu"] and one["start_date"] == "2027-01-15"

    r = officer.post("/v1/clients/import", content=good, headers={"content-type": XLSX})
    assert r.status_code == 422
    assert {e["path"] for e in r.json()["errors"]} == {"client_id"}


def test_clients_in_bulk_as_json_and_the_wrong_type(env: Env) -> None:
    officer = env.as_("officer_purwokerto")
    body = [dict(zip(CLIENT_HEADER, _client_row("JS-1"), strict=True))]
    body[0]["available_days"] = ["tue"]
    r = officer.post("/v1/clients/import", json=body)
    assert r.status_code == 200, r.text
    r = officer.post("/v1/clients/import", content=b"x", headers={"content-type": "text/plain"})
    assert r.status_code == 415
    r = officer.get("/v1/clients/K-9999")
    assert r.status_code == 404 and r.json()["detail"] == "Klien K-9999 tidak ditemukan."


def test_supervision_report_as_a_workbook(env: Env) -> None:
    """For the jaksa in Excel: dates as dates, hours as numbers, a frozen header, and a sheet
    explaining every column in Indonesian."""
    officer = env.as_("officer_purwokerto")
    r = officer.get("/v1/reports/supervision", params={"format": "xlsx", "as_of": "2027-01-20"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == XLSX
    book = openpyxl.load_workbook(BytesIO(r.content))
    assert book.sheetnames == ["Pengawasan", "Penjelasan"]
    sheet = book["Pengawasan"]
    header = [c.value for c in sheet[1]]
    assert sheet.freeze_panes == "A2" and header[:2] == ["client_id", "placement_id"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows
    start = header.index("start_date")
    hours = header.index("hours_ordered")
    assert all(hasattr(row[start], "year") and isinstance(row[hours], int) for row in rows)
    explained = {
        row[1]: row[2] for row in book["Penjelasan"].iter_rows(min_row=2, values_only=True)
    }
    assert set(explained) == set(header)
    assert explained["deadline"] == "batas selesai (Pasal 85(5))"
