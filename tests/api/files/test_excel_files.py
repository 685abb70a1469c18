"""Files the way an office has them (issue 12): each forgiving rule, and each problem that is
one line for the whole file.

The fixtures are built byte for byte as Excel writes them: "CSV UTF-8" from an
Indonesian-locale Excel is a BOM, ``;`` between cells, CRLF line ends and decimal commas; the
older "CSV" is Windows-1252; workbooks are built with openpyxl the way people lay them out
(a title merged over the columns, a blank row, a date typed as text, a number stored as text).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from api.cli.app import app
from api.files.tables import CLIENTS, SITES, decode, read_sites, read_table, sniff_delimiter
from matcher.validate import InputError, parse_client, parse_site, validate_inputs

runner = CliRunner()

SITE_HEADER = "site_id;name;kind;lat;lon;capacity;open_days;approved;subdistrict"
CLIENT_HEADER = (
    "client_id,lat,lon,gender,offence,hours,hours_per_day,start_date,deadline,available_days"
)


def excel_csv(lines: list[str], encoding: str = "utf-8") -> bytes:
    """As Excel's "CSV UTF-8" writes it: BOM, CRLF (and ``;`` in the lines given)."""
    body = "\r\n".join(lines) + "\r\n"
    if encoding == "utf-8":
        return b"\xef\xbb\xbf" + body.encode("utf-8")
    return body.encode(encoding)


def site_line(i: int, **over: str) -> str:
    v = {
        "site_id": f"S{i}",
        "name": f"Balai Desa {i}",
        "kind": "village_office",
        "lat": "-7,4245",
        "lon": "109,2302",
        "capacity": "3",
        "open_days": "Senin;Selasa",
        "approved": "ya",
        "subdistrict": "Purwokerto Utara",
        **over,
    }
    return ";".join(f'"{x}"' if ";" in x else x for x in v.values())


def client_values(**over: Any) -> dict[str, Any]:
    return {
        "client_id": "K1",
        "lat": "-7.43",
        "lon": "109.24",
        "gender": "male",
        "offence": "property_theft",
        "hours": "60",
        "hours_per_day": "4",
        "start_date": "2027-01-15",
        "deadline": "2027-06-30",
        "available_days": "mon;wed",
        **over,
    }


def workbook(rows: list[list[Any]], merges: tuple[str, ...] = ()) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    for m in merges:
        ws.merge_cells(m)
    from io import BytesIO

    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------------------------------
# CSV as Excel writes it


def test_semicolon_bom_crlf_csv_with_decimal_commas_reads_as_numbers():
    """`;` + BOM + CRLF: the delimiter is found, the BOM dropped, `-7,4245` is -7.4245."""
    data = excel_csv([SITE_HEADER, site_line(1), site_line(2, lat="-7,5", lon="109,25")])
    t = read_table(data, "sites.csv", SITES)
    assert t.errors == [] and t.warnings == []
    assert (t.delimiter, t.encoding) == (";", "utf-8-sig")
    sites, problems = _sites(t)
    assert problems == []
    assert (sites[0].lat, sites[0].lon, sites[1].lat) == (-7.4245, 109.2302, -7.5)
    assert sites[0].open_days == frozenset({"mon", "tue"}) and sites[0].approved is True
    assert [r.source for r in t.records] == ["sites.csv baris 2", "sites.csv baris 3"]


def test_decimal_comma_is_not_read_where_a_comma_separates_cells():
    """With `,` as delimiter a quoted `110,25` stays text and is refused as a number."""
    line = 'S1,x,other,"-7,42",109.2,3,mon'
    t = read_table(
        excel_csv(["site_id,name,kind,lat,lon,capacity,open_days", line]), "s.csv", SITES
    )
    assert t.delimiter == ","
    _, problems = _sites(t)
    assert [(p.field, p.value) for p in problems] == [("lat", "-7,42")]


def test_tab_separated_text_is_read():
    data = b"site_id\tlat\tlon\tcapacity\topen_days\nS1\t-7.4\t109.2\t2\tmon\n"
    t = read_table(data, "s.txt", SITES)
    assert t.delimiter == "\t" and _sites(t)[1] == []


def test_a_windows_1252_file_is_read_with_a_warning():
    """Excel's older "CSV" is the Windows code page: read it, and say so once."""
    data = excel_csv([SITE_HEADER, site_line(1, name="Masjid Al-Ikhlâs")], encoding="cp1252")
    t = read_table(data, "sites.csv", SITES)
    assert t.errors == []
    assert [n.key for n in t.warnings] == ["file.legacy_encoding"]
    assert "cp1252" in t.lines(t.warnings)[0] and "bukan UTF-8" in t.lines(t.warnings)[0]
    assert t.records[0].values["name"] == "Masjid Al-Ikhlâs"


def test_encoding_order():
    assert decode("é".encode())[1] == "utf-8"
    assert decode(b"\xef\xbb\xbf" + "é".encode())[1] == "utf-8-sig"
    assert decode("é€".encode("cp1252")) == ("é€", "cp1252")
    assert decode(b"\x81\xe9")[1] == "latin-1"  # 0x81 is not cp1252


@pytest.mark.parametrize(
    ("line", "expected"),
    [("a,b;c", ","), ("a;b;c,d", ";"), ("a\tb\tc", "\t"), ('"x;y",b,c', ","), ("single", ",")],
)
def test_delimiter_is_the_one_the_header_uses_most_outside_quotes(line, expected):
    assert sniff_delimiter(line + "\n1,2\n") == expected


# ------------------------------------------------------------------------------------------
# Workbooks


def test_workbook_with_a_title_merged_over_the_columns_and_a_blank_row():
    """A merged title above the header and a blank row between rows are skipped; rows keep
    their Excel row numbers."""
    data = workbook(
        [
            ["Daftar lokasi kerja sosial Bapas Purwokerto", None, None, None, None],
            ["site_id", "lat", "lon", "capacity", "open_days"],
            ["S1", -7.42, 109.23, 2, "Senin"],
            [None, None, None, None, None],
            ["S2", -7.43, 109.24, 4, "Jumat"],
        ],
        merges=("A1:E1",),
    )
    t = read_table(data, "sites.xlsx", SITES)
    assert t.errors == []
    assert [r.source for r in t.records] == ["sites.xlsx baris 3", "sites.xlsx baris 5"]
    sites, problems = _sites(t)
    assert problems == [] and [s.capacity for s in sites] == [2, 4]


def test_workbook_with_a_two_row_header_of_merged_cells():
    """`Koordinat` merged over lat and lon, other headings merged down two rows, a kecamatan
    merged down over the rows it covers: each row gets it."""
    data = workbook(
        [
            ["site_id", "capacity", "Koordinat", None, "open_days", "kecamatan"],
            [None, None, "lat", "lon", None, None],
            ["S1", 2, -7.42, 109.23, "mon", "Baturraden"],
            ["S2", 3, -7.43, 109.24, "tue", None],
        ],
        merges=("A1:A2", "B1:B2", "C1:D1", "E1:E2", "F1:F2", "F3:F4"),
    )
    t = read_table(data, "sites.xlsx", SITES)
    assert t.errors == []
    sites, problems = _sites(t)
    assert problems == []
    assert [(s.site_id, s.lat, s.subdistrict) for s in sites] == [
        ("S1", -7.42, "Baturraden"),
        ("S2", -7.43, "Baturraden"),
    ]


def test_workbook_date_typed_as_text_and_number_stored_as_text():
    """`15/01/2027` typed as text is 15 January; `60` stored as text is 60; a date cell is a
    date; `-7.43` as text is a number."""
    header = list(client_values())
    row = list(client_values(hours="60", lat="-7.43", start_date="15/01/2027").values())
    row[header.index("deadline")] = datetime(2027, 6, 30)
    t = read_table(workbook([header, row]), "clients.xlsx", CLIENTS)
    client, problems = parse_client(t.records[0].values, t.records[0].source)
    assert problems == [] and client is not None
    assert (client.start_date, client.deadline) == (date(2027, 1, 15), date(2027, 6, 30))
    assert (client.hours, client.lat) == (60, -7.43)


def test_a_sheet_by_name_and_a_missing_sheet():
    wb = openpyxl.Workbook()
    first = wb.active
    assert first is not None
    first.title = "Catatan"
    first.append(["tidak ada data di sini"])
    ws = wb.create_sheet("Lokasi")
    ws.append(["site_id", "lat", "lon", "capacity", "open_days"])
    ws.append(["S1", -7.4, 109.2, 1, "Rabu"])
    from io import BytesIO

    buf = BytesIO()
    wb.save(buf)
    t = read_table(buf.getvalue(), "book.xlsx", SITES, sheet="Lokasi")
    assert t.errors == [] and len(t.records) == 1
    t = read_table(buf.getvalue(), "book.xlsx", SITES, sheet="Sites")
    assert t.lines(t.errors) == ["book.xlsx: lembar `Sites` tidak ada; yang ada: Catatan, Lokasi"]


# ------------------------------------------------------------------------------------------
# Forgiving values


@pytest.mark.parametrize(
    ("written", "days"),
    [
        ("Senin;Selasa;Rabu", {"mon", "tue", "wed"}),
        ("kamis, JUMAT", {"thu", "fri"}),
        ("Jum'at;Sabtu;Minggu", {"fri", "sat", "sun"}),
        ("mon;Selasa", {"mon", "tue"}),
    ],
)
def test_indonesian_day_names(written, days):
    client, problems = parse_client(client_values(available_days=written), "c")
    assert problems == [] and client is not None and client.available_days == days


def test_an_unknown_day_name_is_still_an_error():
    _, problems = parse_client(client_values(available_days="Senin;Senen"), "c")
    assert [(p.field, p.value) for p in problems] == [("available_days", "senen")]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2027-01-15", date(2027, 1, 15)),
        ("15/01/2027", date(2027, 1, 15)),
        ("5/1/2027", date(2027, 1, 5)),
        ("15-01-2027", date(2027, 1, 15)),
        (datetime(2027, 1, 15), date(2027, 1, 15)),
    ],
)
def test_dates_iso_or_day_first(written, expected):
    client, problems = parse_client(client_values(start_date=written), "c")
    assert problems == [] and client is not None and client.start_date == expected


def test_month_first_is_never_read():
    """01/15/2027 is not 15 January: month 15 does not exist, so it is an error."""
    _, problems = parse_client(client_values(start_date="01/15/2027"), "c")
    assert [(p.field, p.rule) for p in problems] == [
        ("start_date", "must be a date YYYY-MM-DD or DD/MM/YYYY")
    ]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("ya", True),
        ("Tidak", False),
        ("TRUE", True),
        ("false", False),
        ("1", True),
        ("0", False),
        (1, True),
        (0, False),
        (True, True),
    ],
)
def test_booleans(written, expected):
    site, problems = parse_site(
        {
            "site_id": "S",
            "lat": -7.4,
            "lon": 109.2,
            "capacity": 1,
            "open_days": "mon",
            "approved": written,
        },
        "s",
    )
    assert problems == [] and site is not None and site.approved is expected


def test_a_boolean_that_is_neither_is_an_error():
    _, problems = parse_site(
        {
            "site_id": "S",
            "lat": -7.4,
            "lon": 109.2,
            "capacity": 1,
            "open_days": "mon",
            "approved": "mungkin",
        },
        "s",
    )
    assert [p.field for p in problems] == ["approved"]


def test_column_names_ignore_case_spaces_and_underscores():
    data = "Site ID; LAT ;Lon;CAPACITY;Open Days;Hours-Per-Day\r\nS1;-7,4;109,2;2;Senin;4\r\n"
    t = read_table(data.encode(), "s.csv", SITES)
    assert t.errors == [] and t.columns == [
        "site_id",
        "lat",
        "lon",
        "capacity",
        "open_days",
        "hours_per_day",
    ]
    assert _sites(t)[1] == []


def test_unknown_columns_far_from_any_known_one_are_kept_and_named_once():
    """An office's own column (an address) is kept for the placements file, and said once."""
    data = excel_csv([SITE_HEADER + ";alamat", site_line(1) + ";Jl. Gatot Subroto 1"])
    t = read_table(data, "sites.csv", SITES)
    assert t.errors == []
    assert t.lines(t.warnings) == ["sites.csv: kolom tidak dikenal, diabaikan: alamat"]
    assert t.records[0].values["alamat"] == "Jl. Gatot Subroto 1"


# ------------------------------------------------------------------------------------------
# One line for the whole file


def test_a_misspelt_column_is_one_line_naming_the_column_it_means():
    lines = [SITE_HEADER.replace("capacity", "capasity")] + [site_line(i) for i in range(300)]
    t = read_table(excel_csv(lines), "sites.csv", SITES)
    assert t.lines(t.errors) == [
        "sites.csv: `capasity`: kolom tidak dikenal, maksudnya `capacity`?"
    ]
    assert t.lines(t.errors, "en") == [
        "sites.csv: `capasity`: unknown column, did you mean `capacity`?"
    ]
    assert t.records == []


def test_missing_required_columns_are_one_line_naming_them_all():
    data = excel_csv(["name;kind", "Balai;other"] * 1)
    t = read_table(data, "sites.csv", SITES)
    assert t.lines(t.errors) == [
        "sites.csv: kolom wajib tidak ada: site_id, lat, lon, capacity, open_days"
    ]


def test_a_duplicate_column_and_an_unnamed_column_with_data():
    t = read_table(b"site_id,lat,lon,capacity,open_days,LAT\nS1,1,2,3,mon,4\n", "s.csv", SITES)
    assert t.lines(t.errors) == ["s.csv: kolom `lat` muncul lebih dari sekali"]
    t = read_table(b"site_id,lat,lon,capacity,open_days,\nS1,1,2,3,mon,x\n", "s.csv", SITES)
    assert t.lines(t.errors) == ["s.csv: kolom 6 berisi data tetapi tidak bernama"]


def test_ragged_rows_are_reported_once_with_a_count():
    lines = ["site_id,lat,lon,capacity,open_days"] + ["S1,1,2,3,mon,extra"] * 50
    t = read_table("\n".join(lines).encode(), "s.csv", SITES)
    text = t.lines(t.errors)
    assert text[0] == "s.csv: baris 2: 6 sel, padahal kepala tabel punya 5 kolom"
    assert text[1].startswith("s.csv: ...dan 49 baris lain dengan masalah yang sama")


def test_an_empty_file_and_a_file_without_rows():
    assert read_table(b"", "s.csv", SITES).errors[0].key == "file.no_header"
    assert (
        read_table(b"site_id,lat,lon,capacity,open_days\r\n", "s.csv", SITES).errors[0].key
        == "file.no_rows"
    )


def test_a_broken_workbook_is_one_line():
    t = read_table(b"PK\x03\x04 not really a zip", "s.xlsx", SITES)
    assert [n.key for n in t.errors] == ["file.bad_workbook"]


# ------------------------------------------------------------------------------------------
# The command line


def _write_clients(path: Path, n: int, **over: str) -> None:
    rows = [CLIENT_HEADER]
    for i in range(n):
        v = client_values(client_id=f"K{i}", **over)
        rows.append(",".join(str(x) for x in v.values()))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def _write_sites(path: Path, n: int = 3) -> None:
    path.write_bytes(excel_csv([SITE_HEADER] + [site_line(i) for i in range(n)]))


def _errors(output: str) -> list[str]:
    return [ln for ln in output.splitlines() if ln.startswith(("galat:", "error:"))]


def _match(tmp_path: Path, clients: str = "clients.csv", *options: str, lang: str = "id") -> Any:
    """``penempatan match`` of sites.csv and ``clients`` in ``tmp_path`` into r.json."""
    return runner.invoke(
        app,
        [
            *(["--lang", lang] if lang != "id" else []),
            "match",
            "--sites",
            str(tmp_path / "sites.csv"),
            "--clients",
            str(tmp_path / clients),
            "--out",
            str(tmp_path / "r.json"),
            *options,
        ],
    )


def test_cli_reads_an_excel_csv_and_a_workbook(tmp_path: Path):
    _write_sites(tmp_path / "sites.csv")
    wb_rows = [list(client_values())] + [
        list(client_values(client_id=f"K{i}", available_days="Senin;Rabu").values())
        for i in range(4)
    ]
    (tmp_path / "clients.xlsx").write_bytes(workbook(wb_rows))
    r = _match(
        tmp_path,
        "clients.xlsx",
        "--xlsx",
        str(tmp_path / "r.xlsx"),
        "--csv",
        str(tmp_path / "p.csv"),
        "--excel",
        "-q",
    )
    assert r.exit_code == 0, r.output
    raw = (tmp_path / "p.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    header, first = raw[3:].decode().splitlines()[:2]
    assert header.startswith("client_id;site_id;site_name;kind;subdistrict")
    assert "Purwokerto Utara" in first and "," in first.split(";")[6]  # distance 1,234
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert book.sheetnames == ["Penempatan", "Ringkasan", "Penjelasan"]
    sheet = book["Penempatan"]
    assert sheet.freeze_panes == "A2"
    distance = [c.value for c in sheet["G"][1:] if c.value is not None]
    assert distance and all(isinstance(v, float) for v in distance)


def test_cli_misspelt_column_is_one_line_for_300_rows(tmp_path: Path):
    lines = [SITE_HEADER.replace("capacity", "capasity")] + [site_line(i) for i in range(300)]
    (tmp_path / "sites.csv").write_bytes(excel_csv(lines))
    _write_clients(tmp_path / "clients.csv", 2)
    r = _match(tmp_path)
    assert r.exit_code == 2
    assert _errors(r.output) == [
        f"galat: {tmp_path / 'sites.csv'}: `capasity`: kolom tidak dikenal, maksudnya `capacity`?"
    ]


def test_cli_summarises_the_same_problem_after_twenty(tmp_path: Path):
    _write_sites(tmp_path / "sites.csv")
    _write_clients(tmp_path / "clients.csv", 3000, offence="theft")
    r = _match(tmp_path)
    assert r.exit_code == 2
    errors = _errors(r.output)
    assert len(errors) == 21
    assert errors[0].startswith("galat: clients.csv baris 2: offence = 'theft': nilai tidak")
    assert errors[20].startswith(
        "galat: ...dan 2.980 baris lain dengan masalah yang sama (offence: nilai tidak dikenal"
    )


def test_cli_speaks_english_on_request(tmp_path: Path):
    _write_sites(tmp_path / "sites.csv")
    _write_clients(tmp_path / "clients.csv", 25, offence="theft")
    r = _match(tmp_path, lang="en")
    assert r.exit_code == 2
    errors = _errors(r.output)
    assert errors[0].startswith("error: clients.csv row 2: offence = 'theft': unknown value")
    assert errors[-1].startswith("error: ...and 5 more rows with the same problem (offence: ")


def test_cli_template_writes_both_and_refuses_an_unclear_name(tmp_path: Path):
    for name in ("sites.xlsx", "clients.xlsx"):
        r = runner.invoke(app, ["template", str(tmp_path / name)])
        assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["template", str(tmp_path / "data.xlsx")])
    assert r.exit_code == 2 and "sites.xlsx atau clients.xlsx" in r.output


def _sites(t: Any) -> tuple[list[Any], list[Any]]:
    try:
        sites, _ = validate_inputs(t.records, [])
    except InputError as exc:
        return [], exc.problems
    return sites, []


def test_read_sites_by_path_names_an_unsupported_format(tmp_path: Path):
    (tmp_path / "s.shp").write_bytes(b"")
    t = read_sites(tmp_path / "s.shp")
    assert t.lines(t.errors)[0].endswith(
        "format .shp tidak didukung untuk lokasi; gunakan .xlsx, .csv, .geojson, .json, .gpkg"
    )


def test_cli_template_from_existing_files_matches_the_same(tmp_path: Path):
    """`template sites.xlsx --from sites.geojson` (and clients from CSV): the workbooks give
    the same match as the files they came from."""
    folder = tmp_path / "d"
    r = runner.invoke(
        app, ["generate", "--out", str(folder), "--clients", "40", "--sites", "12", "--seed", "4"]
    )
    assert r.exit_code == 0, r.output
    for kind, source in (("sites", "sites.geojson"), ("clients", "clients.csv")):
        r = runner.invoke(
            app, ["template", str(tmp_path / f"{kind}.xlsx"), "--from", str(folder / source)]
        )
        assert r.exit_code == 0, r.output
    results = []
    for sites, clients in (
        (folder / "sites.geojson", folder / "clients.csv"),
        (tmp_path / "sites.xlsx", tmp_path / "clients.xlsx"),
    ):
        out = tmp_path / f"r{len(results)}.json"
        r = runner.invoke(
            app,
            ["match", "--sites", str(sites), "--clients", str(clients), "--out", str(out), "-q"],
        )
        assert r.exit_code == 0, r.output
        doc = json.loads(out.read_text(encoding="utf-8"))
        results.append((doc["summary"]["objective"], doc["placements"], doc["unplaced"]))
    assert results[0] == results[1]
    book = openpyxl.load_workbook(tmp_path / "clients.xlsx")
    first = [c.value for c in book.worksheets[0][2]]
    assert isinstance(first[1], float) and isinstance(first[8], datetime)


def test_excel_unicode_text_is_utf16_with_tabs():
    """Excel's "Unicode Text" save: UTF-16 with a BOM, tab-separated."""
    text = (
        "site_id\tname\tlat\tlon\tcapacity\topen_days\r\n"
        "S1\tMasjid Ar-Raudhah\t-7.4\t109.2\t2\tRabu\r\n"
    )
    t = read_table(text.encode("utf-16"), "sites.txt", SITES)
    assert (t.encoding, t.delimiter, t.errors) == ("utf-16", "\t", [])
    assert t.records[0].values["name"] == "Masjid Ar-Raudhah"


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04" + b"\x00" * 100,  # a zip signature, then nothing
        b"PK\x03\x04garbage",
    ],
)
def test_a_file_that_breaks_the_workbook_parser_is_one_line_not_a_crash(data):
    t = read_table(data, "x.xlsx", SITES)
    assert [n.key for n in t.errors] == ["file.bad_workbook"]


def test_a_zip_that_is_not_a_workbook_is_one_line():
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.txt", "hi")
    t = read_table(buf.getvalue(), "x.xlsx", SITES)
    assert [n.key for n in t.errors] == ["file.bad_workbook"]
