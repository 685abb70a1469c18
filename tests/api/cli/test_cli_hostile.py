"""Hostile and careless input to `penempatan match`: every case exits 2 with one line per
problem, no traceback, and writes nothing (issue 9)."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from api.cli.app import app
from geo.io import CLIENT_FIELDS, FileFormatError, read_clients, read_sites
from matcher.validate import InputError, validate_inputs

runner = CliRunner()


SITES_CSV = (
    "site_id,name,kind,lat,lon,capacity,open_days,hours_per_day\n"
    "S1,Balai Desa,village_office,-7.42,109.23,{capacity},mon;tue;wed;thu;fri,8\n"
)
CLIENT_HEADER = (
    "client_id,lat,lon,gender,offence,hours,hours_per_day,start_date,deadline,available_days\n"
)
CLIENT_ROW = "C1,{lat},109.23,male,traffic,40,4,{start},{deadline},mon;tue;wed\n"


def _client_csv(lat: str = "-7.42", start: str = "2026-12-01", deadline: str = "2027-03-01") -> str:
    return CLIENT_HEADER + CLIENT_ROW.format(lat=lat, start=start, deadline=deadline)


def _files(
    tmp: Path, *, sites: str | None = None, clients: str | None = None, sites_name: str = "s.csv"
) -> tuple[Path, Path]:
    s, c = tmp / sites_name, tmp / "c.csv"
    s.write_text(sites if sites is not None else SITES_CSV.format(capacity=3), encoding="utf-8")
    c.write_text(clients if clients is not None else _client_csv(), encoding="utf-8")
    return s, c


def _match(sites: Path, clients: Path, *extra: str, out: Path | None = None) -> tuple[int, str]:
    out = out if out is not None else sites.parent / "r.json"
    r = runner.invoke(
        app,
        [
            "--lang",
            "en",
            "match",
            "--sites",
            str(sites),
            "--clients",
            str(clients),
            "--out",
            str(out),
            *extra,
        ],
    )
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert "Traceback" not in r.output
    return r.exit_code, r.output


def _errors(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("error:")]


def _refused(tmp: Path, code: int, output: str, *needles: str, lines: int = 1) -> None:
    assert code == 2, output
    errors = _errors(output)
    assert len(errors) == lines, output
    for needle in needles:
        assert needle in output, output
    written = [p.name for p in tmp.iterdir() if p.name.startswith(("r.", ".r."))]
    assert written == [], written


@pytest.mark.parametrize("capacity", ["1e21", "9223372036854775807", "100000000"])
def test_huge_capacity_in_csv(tmp_path: Path, capacity: str):
    s, c = _files(tmp_path, sites=SITES_CSV.format(capacity=capacity))
    _refused(tmp_path, *_match(s, c), "capacity", "0-10000")


def test_huge_capacity_in_geojson(tmp_path: Path):
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [109.23, -7.42]},
                "properties": {"site_id": "S1", "capacity": 1e30, "open_days": ["mon"]},
            }
        ],
    }
    s, c = _files(tmp_path, sites=json.dumps(doc), sites_name="s.geojson")
    _refused(tmp_path, *_match(s, c), "capacity")


def test_deeply_nested_json(tmp_path: Path):
    deep = "[" * 100_000 + "]" * 100_000
    s, _ = _files(tmp_path)
    c = tmp_path / "c.json"
    c.write_text(deep, encoding="utf-8")
    _refused(tmp_path, *_match(s, c), "nested too deeply")
    g = tmp_path / "s.geojson"
    g.write_text('{"type": "FeatureCollection", "features": ' + deep + "}", encoding="utf-8")
    _, c2 = _files(tmp_path)
    _refused(tmp_path, *_match(g, c2), "nested too deeply")


def test_year_9999(tmp_path: Path):
    s, c = _files(tmp_path, clients=_client_csv(start="9999-12-01", deadline="9999-12-31"))
    _refused(tmp_path, *_match(s, c), "start_date", "2099-12-31", lines=2)


@pytest.mark.parametrize(
    "target, needle",
    [
        (Path("/proc/r.json"), "cannot write"),
        (Path("."), "is a folder"),
    ],
)
def test_bad_out_paths(tmp_path: Path, target: Path, needle: str):
    s, c = _files(tmp_path)
    code, output = _match(s, c, out=target)
    assert code == 2 and needle in output and len(_errors(output)) == 1, output


def test_out_under_a_file(tmp_path: Path):
    s, c = _files(tmp_path)
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    code, output = _match(s, c, out=tmp_path / "afile" / "r.json")
    assert code == 2 and "is a file, not a folder" in output and len(_errors(output)) == 1


def test_outputs_are_all_or_nothing(tmp_path: Path):
    """`--out r.json --csv /proc/r.csv`: the bad second output stops the command before the
    solve, and r.json is not left behind."""
    s, c = _files(tmp_path)
    code, output = _match(s, c, "--csv", "/proc/r.csv")
    assert code == 2 and "--csv /proc/r.csv" in output, output
    assert not (tmp_path / "r.json").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_config_is_a_folder(tmp_path: Path):
    s, c = _files(tmp_path)
    code, output = _match(s, c, "--config", str(tmp_path))
    _refused(tmp_path, code, output, "is a folder")


def test_semicolon_csv_is_read_not_refused_row_by_row(tmp_path: Path):
    """A ';'-separated CSV (as Indonesian-locale spreadsheets write it) no longer prints 3,000
    error lines: the reader finds the separator (api/files/tables.py) and reads every row."""
    rows = [CLIENT_HEADER.replace(",", ";")] + [
        f"C{i};-7.42;109.23;male;traffic;40;4;2026-12-01;2027-03-01;mon\n" for i in range(3000)
    ]
    s, c = _files(tmp_path, clients="".join(rows))
    code, output = _match(s, c, "--quiet")
    assert code == 0 and _errors(output) == [], output


def test_lost_minus_sign_names_the_likely_cause(tmp_path: Path):
    s, c = _files(tmp_path, clients=_client_csv(lat="7.42"))
    _refused(tmp_path, *_match(s, c), "lat = 7.42", "minus sign lost?")


def test_outside_the_policy_extent(tmp_path: Path):
    """The policy may set another extent: a point inside Indonesia but outside it is refused."""
    policy = tmp_path / "p.toml"
    policy.write_text("[matching]\nextent = [110.0, -8.0, 111.0, -7.0]\n", encoding="utf-8")
    s, c = _files(tmp_path)
    code, output = _match(s, c, "--config", str(policy))
    assert code == 2 and "longitude must be within 110.0..111.0" in output, output


def test_geojson_crs_not_wgs84(tmp_path: Path):
    doc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}},
        "features": [],
    }
    s, c = _files(tmp_path, sites=json.dumps(doc), sites_name="s.geojson")
    _refused(tmp_path, *_match(s, c), "EPSG::3857", "not WGS84")


@pytest.mark.parametrize("bad_id", ["a/b", "../c", "x" * 10_000, "nul\x00id"])
def test_ids_follow_the_api_rule(tmp_path: Path, bad_id: str):
    s, c = _files(tmp_path, sites=SITES_CSV.format(capacity=3).replace("S1,", f'"{bad_id}",'))
    code, output = _match(s, c)
    assert code == 2, output
    assert "letters, digits" in output or "NUL" in output, output


# --------------------------------------------------------------------------------------------
# Fuzzing the file readers: whatever the bytes, only the project's own input errors escape.

_FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)
_SUFFIXES = (".csv", ".json", ".geojson")


def _read_and_validate(sites: Path, clients: Path) -> None:
    with contextlib.suppress(FileFormatError, InputError):
        validate_inputs(read_sites(sites), read_clients(clients))


@_FUZZ
@given(data=st.binary(max_size=400), suffix=st.sampled_from(_SUFFIXES))
def test_fuzz_random_bytes(tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str):
    tmp = tmp_path_factory.mktemp("fuzz")
    s, c = _files(tmp)
    bad = tmp / f"bad{suffix}"
    bad.write_bytes(data)
    _read_and_validate(bad, c)
    if suffix != ".geojson":
        _read_and_validate(s, bad)


@_FUZZ
@given(cut=st.integers(min_value=0, max_value=2000))
def test_fuzz_truncated_files(tmp_path_factory: pytest.TempPathFactory, cut: int):
    tmp = tmp_path_factory.mktemp("trunc")
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [109.2 + i / 100, -7.4]},
                "properties": {"site_id": f"S{i}", "capacity": 2, "open_days": ["mon", "tue"]},
            }
            for i in range(10)
        ],
    }
    text = json.dumps(doc)
    s, c = _files(tmp)
    g = tmp / "s.geojson"
    g.write_text(text[: cut % (len(text) + 1)], encoding="utf-8")
    _read_and_validate(g, c)
    clients = _client_csv() * 5
    c.write_text(clients[: cut % (len(clients) + 1)], encoding="utf-8")
    _read_and_validate(s, c)


_JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@_FUZZ
@given(field=st.sampled_from(CLIENT_FIELDS), value=_JUNK)
def test_fuzz_wrong_types_per_column(
    tmp_path_factory: pytest.TempPathFactory, field: str, value: object
):
    """Any JSON value in any client column: an input error or a valid client, nothing else;
    the same through the whole command (exit 0 or 2, never a traceback)."""
    tmp = tmp_path_factory.mktemp("types")
    s, _ = _files(tmp)
    record = {
        "client_id": "C1",
        "lat": -7.42,
        "lon": 109.23,
        "gender": "male",
        "offence": "traffic",
        "hours": 40,
        "hours_per_day": 4,
        "start_date": "2026-12-01",
        "deadline": "2027-03-01",
        "available_days": ["mon", "tue"],
        field: value,
    }
    c = tmp / "c.json"
    try:
        c.write_text(json.dumps([record]), encoding="utf-8")
    except ValueError:
        return
    _read_and_validate(s, c)
    code, _ = _match(s, c, "--quiet", out=tmp / "r.json")
    assert code in (0, 2)
