"""geo.io: reading and writing sites and clients in every supported format."""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely

from geo.io import (
    CLIENT_FIELDS,
    SITE_FIELDS,
    FileFormatError,
    RawRecord,
    read_clients,
    read_sites,
    write_clients,
    write_sites,
)

SITES = [
    {
        "site_id": "S00001",
        "name": "Masjid Al-Ikhlas Kedungbanteng",
        "kind": "place_of_worship",
        "lat": -7.381234,
        "lon": 109.191234,
        "capacity": 3,
        "open_days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        "hours_per_day": 6,
        "approved": True,
        "commercial": False,
        "population": ["children"],
        "hazards": [],
        "physical_demand": "light",
        "gender_policy": "any",
        "supervisor_gender": "male",
        "religion": "islam",
        "work_types": ["cleaning", "gardening"],
        "district": "Banyumas",
        "subdistrict": "Kedungbanteng",
    },
    {
        "site_id": "S00002",
        "name": 'Pasar "Wage", Sokaraja – blok B',  # a quote, a comma, a non-ASCII dash
        "kind": "market",
        "lat": -7.46,
        "lon": 109.29,
        "capacity": 5,
        "open_days": ["mon", "tue"],
        "hours_per_day": 4,
        "approved": False,
        "commercial": True,
        "population": [],
        "hazards": ["cash_handling", "heavy_lifting"],
        "physical_demand": "moderate",
        "gender_policy": "any",
        "supervisor_gender": "mixed",
        "religion": None,
        "work_types": ["cleaning"],
        "district": "Banyumas",
        "subdistrict": "Sokaraja",
    },
]

CLIENTS = [
    {
        "client_id": "C000001",
        "lat": -7.42,
        "lon": 109.23,
        "gender": "male",
        "age": 31,
        "offence": "domestic_violence",
        "hours": 120,
        "hours_per_day": 4,
        "start_date": "2026-12-03",
        "deadline": "2027-06-02",
        "available_days": ["mon", "tue", "wed", "thu", "fri"],
        "fitness": "moderate",
        "health": [],
        "religion": "islam",
        "worship_site_consent": False,
        "skills": ["construction"],
        "max_travel_km": None,
        "needs_female_supervisor": False,
        "exclusion_zones": [
            {"lat": -7.43, "lon": 109.25, "radius_km": 2.5},
            {"lat": -7.4, "lon": 109.2, "radius_km": 1},
        ],
        "separate_from": ["C000002"],
        "fixed_site_id": None,
        "current_site_id": None,
    },
    {
        "client_id": "C000002",
        "lat": -7.5,
        "lon": 109.1,
        "gender": "female",
        "age": 45,
        "offence": "fraud_embezzlement",
        "hours": 40,
        "hours_per_day": 8,
        "start_date": "2026-12-10",
        "deadline": "2027-01-09",
        "available_days": ["sat", "sun"],
        "fitness": "light",
        "health": ["respiratory"],
        "religion": "katolik",
        "worship_site_consent": True,
        "skills": [],
        "max_travel_km": 7.5,
        "needs_female_supervisor": True,
        "exclusion_zones": [],
        "separate_from": ["C000001"],
        "fixed_site_id": "S00001",
        "current_site_id": None,
    },
]


def csv_spelling(value):
    """A native value as the data contract spells it in a CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


# --- sites ---------------------------------------------------------------------------------


def _round_trip(write: Any, read: Any, rows: list[dict[str, Any]], path: Path) -> list[Any]:
    """Write ``rows``, read them back, and check that the values are the same."""
    write(rows, path)
    records = read(path)
    assert [r.values for r in records] == rows
    return list(records)


def test_sites_geojson_round_trip(tmp_path):
    """GeoJSON keeps native types; lat/lon come back from the Point geometry."""
    path = tmp_path / "sites.geojson"
    records = _round_trip(write_sites, read_sites, SITES, path)
    assert [r.source for r in records] == ["sites.geojson feature 0", "sites.geojson feature 1"]
    doc = json.loads(path.read_text(encoding="utf-8"))
    feature = doc["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [109.191234, -7.381234]}
    assert list(feature["properties"]) == [f for f in SITE_FIELDS if f not in ("lat", "lon")]


def test_sites_csv_round_trip(tmp_path):
    """CSV gives strings: lists ';'-joined, booleans true/false, None empty, 6-decimal
    coordinates, columns in SITE_FIELDS order; rows are named by their line number."""
    path = tmp_path / "sites.csv"
    write_sites(SITES, path)
    records = read_sites(path)
    assert [r.source for r in records] == ["sites.csv row 2", "sites.csv row 3"]
    for record, row in zip(records, SITES, strict=True):
        assert list(record.values) == list(SITE_FIELDS)
        expected = {k: csv_spelling(v) for k, v in row.items() if k not in ("lat", "lon")}
        assert {k: v for k, v in record.values.items() if k not in ("lat", "lon")} == expected
    assert records[1].values["lat"] == "-7.460000"
    assert records[1].values["lon"] == "109.290000"


def test_sites_gpkg_round_trip(tmp_path):
    """GeoPackage keeps numbers and booleans, stores lists ';'-joined, None as missing."""
    path = tmp_path / "sites.gpkg"
    write_sites(SITES, path)
    records = read_sites(path)
    assert [r.source for r in records] == ["sites.gpkg feature 0", "sites.gpkg feature 1"]
    for record, row in zip(records, SITES, strict=True):
        values = record.values
        assert values["lat"] == pytest.approx(row["lat"], abs=1e-9)
        assert values["lon"] == pytest.approx(row["lon"], abs=1e-9)
        assert values["capacity"] == row["capacity"]
        assert values["approved"] is row["approved"]
        assert values["open_days"] == ";".join(row["open_days"])
        assert values["name"] == row["name"]
    assert records[0].values["hazards"] == ""  # an empty list
    assert records[1].values["religion"] is None
    assert gpd.read_file(path).crs.to_epsg() == 4326


def test_gpkg_in_another_crs_is_read_as_wgs84(tmp_path):
    """A layer in UTM is reprojected: the reader always returns WGS84 lon/lat."""
    path = tmp_path / "utm.gpkg"
    frame = gpd.GeoDataFrame(
        {"site_id": ["S1"]}, geometry=[shapely.Point(109.24, -7.42)], crs="EPSG:4326"
    ).to_crs(32749)
    frame.to_file(path, driver="GPKG")
    (record,) = read_sites(path)
    assert record.values["lon"] == pytest.approx(109.24, abs=1e-7)
    assert record.values["lat"] == pytest.approx(-7.42, abs=1e-7)


# --- clients -------------------------------------------------------------------------------


def test_clients_csv_round_trip(tmp_path):
    """Client CSV: exclusion zones as 'lat,lon,radius_km' triples joined by ';', other lists
    ';'-joined, empty optional values as empty cells."""
    path = tmp_path / "clients.csv"
    write_clients(CLIENTS, path)
    first, second = read_clients(path)
    assert list(first.values) == list(CLIENT_FIELDS)
    assert first.source == "clients.csv row 2"
    assert first.values["exclusion_zones"] == "-7.430000,109.250000,2.5;-7.400000,109.200000,1"
    assert first.values["separate_from"] == "C000002"
    assert first.values["max_travel_km"] == ""
    assert second.values["exclusion_zones"] == ""
    assert second.values["worship_site_consent"] == "true"
    assert second.values["max_travel_km"] == "7.5"
    assert second.values["health"] == "respiratory"
    assert second.values["start_date"] == "2026-12-10"


def test_clients_json_round_trip(tmp_path):
    """Client JSON keeps native types; exclusion zones are {lat, lon, radius_km} objects."""
    path = tmp_path / "clients.json"
    records = _round_trip(write_clients, read_clients, CLIENTS, path)
    assert [r.source for r in records] == ["clients.json item 0", "clients.json item 1"]
    assert list(json.loads(path.read_text(encoding="utf-8"))[0]) == list(CLIENT_FIELDS)


def test_clients_json_may_be_wrapped(tmp_path):
    """{"clients": [...]} is read like a bare array."""
    path = tmp_path / "wrapped.json"
    path.write_text(json.dumps({"clients": CLIENTS}), encoding="utf-8")
    assert [r.values for r in read_clients(path)] == CLIENTS


def test_zone_triples_are_accepted_by_the_writers(tmp_path):
    """Exclusion zones may also be given as (lat, lon, radius_km) tuples."""
    row = {"client_id": "C1", "exclusion_zones": [(-7.5, 109.1, 2.0)]}
    write_clients([row], tmp_path / "c.json")
    write_clients([row], tmp_path / "c.csv")
    (from_json,) = read_clients(tmp_path / "c.json")
    (from_csv,) = read_clients(tmp_path / "c.csv")
    assert from_json.values["exclusion_zones"] == [{"lat": -7.5, "lon": 109.1, "radius_km": 2.0}]
    assert from_csv.values["exclusion_zones"] == "-7.500000,109.100000,2.0"


# --- determinism and spelling ----------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".geojson", ".csv", ".gpkg"])
def test_site_files_are_byte_deterministic(tmp_path, suffix):
    """The same rows give the same bytes, whatever the key order of the input dicts."""
    shuffled = [dict(reversed(list(row.items()))) for row in SITES]
    write_sites(SITES, tmp_path / f"a{suffix}")
    write_sites(shuffled, tmp_path / f"b{suffix}")
    assert (tmp_path / f"a{suffix}").read_bytes() == (tmp_path / f"b{suffix}").read_bytes()


@pytest.mark.parametrize("suffix", [".json", ".csv"])
def test_client_files_are_byte_deterministic(tmp_path, suffix):
    """The same clients give the same bytes, whatever the key order of the input dicts."""
    shuffled = [dict(reversed(list(row.items()))) for row in CLIENTS]
    write_clients(CLIENTS, tmp_path / f"a{suffix}")
    write_clients(shuffled, tmp_path / f"b{suffix}")
    assert (tmp_path / f"a{suffix}").read_bytes() == (tmp_path / f"b{suffix}").read_bytes()


def test_text_files_are_utf8_with_unix_newlines(tmp_path):
    """Non-ASCII text is written as is (not \\u-escaped); lines end in \\n, with a final one."""
    for name in ("s.geojson", "s.csv"):
        write_sites(SITES, tmp_path / name)
        data = (tmp_path / name).read_bytes()
        assert "–".encode() in data and b"\\u2013" not in data
        assert data.endswith(b"\n") and b"\r\n" not in data


def test_coordinates_are_rounded_to_six_decimals(tmp_path):
    """Coordinates are written with 6 decimals (about 0.1 m), in every text format."""
    row = {**SITES[0], "lat": -7.123456789, "lon": 109.987654321}
    write_sites([row], tmp_path / "s.geojson")
    write_sites([row], tmp_path / "s.csv")
    assert "[109.987654, -7.123457]" in (tmp_path / "s.geojson").read_text(encoding="utf-8")
    assert ",-7.123457,109.987654," in (tmp_path / "s.csv").read_text(encoding="utf-8")


def test_unknown_keys_follow_the_contract_fields_sorted(tmp_path):
    """Extra keys are kept, after the contract's fields, in name order."""
    rows = [{**SITES[0], "zeta": 1, "alpha": "x"}]
    write_sites(rows, tmp_path / "s.csv")
    header = (tmp_path / "s.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == [*SITE_FIELDS, "alpha", "zeta"]


def test_empty_files_round_trip(tmp_path):
    """No rows is a valid file in every format, read back as no records."""
    for name in ("s.geojson", "s.csv", "s.gpkg"):
        write_sites([], tmp_path / name)
        assert read_sites(tmp_path / name) == []
    for name in ("c.json", "c.csv"):
        write_clients([], tmp_path / name)
        assert read_clients(tmp_path / name) == []


def test_csv_rows_are_named_by_their_line_in_the_file(tmp_path):
    """A quoted cell spanning lines and a blank line do not shift the reported line numbers;
    a byte-order mark before the header is ignored."""
    path = tmp_path / "clients.csv"
    path.write_text(
        '\ufeffclient_id,note\nC1,"two\nlines"\n\nC2,plain\n', encoding="utf-8", newline=""
    )
    records = read_clients(path)
    assert records == [
        RawRecord("clients.csv row 2", {"client_id": "C1", "note": "two\nlines"}),
        RawRecord("clients.csv row 5", {"client_id": "C2", "note": "plain"}),
    ]


def test_writers_refuse_rows_without_coordinates(tmp_path):
    """A site without numeric lat/lon cannot be written; the error names the row."""
    with pytest.raises(ValueError, match="row 1: needs numeric 'lat' and 'lon'"):
        write_sites([SITES[0], {"site_id": "S9", "lat": "?"}], tmp_path / "s.geojson")
    assert not (tmp_path / "s.geojson").exists()  # nothing half-written


# --- errors ----------------------------------------------------------------------------------


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def feature(geometry) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": {"site_id": "S1"}}


def collection(*features) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


POINT = {"type": "Point", "coordinates": [109.2, -7.4]}
LINE = {"type": "LineString", "coordinates": [[109.2, -7.4], [109.3, -7.5]]}


@pytest.mark.parametrize(
    ("reader", "name", "text", "message"),
    [
        (read_sites, "s.geojson", "{not json", r"not valid JSON: .* at line 1 column 2"),
        (read_sites, "s.geojson", "[]", "expected a GeoJSON FeatureCollection"),
        (
            read_sites,
            "s.geojson",
            collection(feature(POINT), feature(LINE)),
            "feature 1: geometry is 'LineString', expected 'Point'",
        ),
        (read_sites, "s.geojson", collection(feature(None)), "feature 0: no geometry"),
        (
            read_sites,
            "s.geojson",
            collection(feature({"type": "Point", "coordinates": ["a", 1]})),
            r"feature 0: Point coordinates must be \[lon, lat\]",
        ),
        (read_sites, "s.csv", "site_id,name\nS1,x\n", "missing column"),
        (read_sites, "s.csv", "", "empty file"),
        (read_sites, "s.csv", "site_id,lat,lon\nS1,1,2\nS2,1\n", "row 3: 2 cells but"),
        (read_sites, "s.csv", "site_id,lat,lat\n", "duplicate column 'lat'"),
        (read_sites, "s.shp", "", "unsupported extension '.shp'"),
        (read_clients, "c.json", '[{"client_id": "C1"}, 3]', "item 1: expected an object"),
        (read_clients, "c.json", '{"people": []}', "expected a JSON array"),
        (read_clients, "c.geojson", "{}", "unsupported extension '.geojson' for clients"),
        (read_clients, "c.csv", "client_id,\nC1,\n", "column 2 has no name"),
    ],
)
def test_unreadable_files_raise_file_format_error(tmp_path, reader, name, text, message):
    """Every way a file can be unreadable is a FileFormatError naming the file and, where
    there is one, the feature, item or row."""
    path = write(tmp_path, name, text)
    with pytest.raises(FileFormatError, match=message) as caught:
        reader(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert caught.value.path == str(path)


def test_missing_file_and_directory(tmp_path):
    """A missing path or a directory is a FileFormatError, not an OSError."""
    with pytest.raises(FileFormatError, match="file not found"):
        read_sites(tmp_path / "nope.geojson")
    with pytest.raises(FileFormatError, match="not a regular file"):
        read_clients(tmp_path)


def test_non_utf8_text_is_reported(tmp_path):
    """A Latin-1 file is refused with a clear message instead of garbled names."""
    path = tmp_path / "c.csv"
    path.write_bytes("client_id,name\nC1,Désa\n".encode("latin-1"))
    with pytest.raises(FileFormatError, match="not UTF-8"):
        read_clients(path)


def test_unreadable_geopackage(tmp_path):
    """A .gpkg that is not a GeoPackage is a FileFormatError too."""
    path = write(tmp_path, "s.gpkg", "this is not sqlite")
    with pytest.raises(FileFormatError, match="cannot read as GeoPackage"):
        read_sites(path)


def test_file_format_error_is_a_value_error_that_pickles():
    """FileFormatError is a ValueError with path and message, and survives pickling (worker
    processes send exceptions back pickled)."""
    error = FileFormatError("data/sites.csv", "row 7: 3 cells but the header has 4 columns")
    assert isinstance(error, ValueError)
    assert str(error) == "data/sites.csv: row 7: 3 cells but the header has 4 columns"
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.path, copy.message, str(copy)) == (error.path, error.message, str(error))


def test_unsupported_output_extension(tmp_path):
    """Writers refuse an extension they cannot write, naming it."""
    with pytest.raises(FileFormatError, match=re.escape("unsupported extension '.xlsx'")):
        write_sites(SITES, tmp_path / "s.xlsx")
    with pytest.raises(FileFormatError, match=re.escape("unsupported extension '.gpkg'")):
        write_clients(CLIENTS, tmp_path / "c.gpkg")
