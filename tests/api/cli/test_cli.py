"""End to end through the command line: files in, result out; bad input exits 2."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from api.cli.app import app

runner = CliRunner()


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("district")
    r = runner.invoke(
        app, ["generate", "--clients", "120", "--sites", "25", "--seed", "3", "--out", str(out)]
    )
    assert r.exit_code == 0, r.output
    return out


def invoke_match(sites: str, clients: str, out: str, *more: str) -> Result:
    """`penempatan match` in-process with the given files and extra options."""
    return runner.invoke(
        app, ["match", "--sites", sites, "--clients", clients, "--out", out, *more]
    )


def test_generate_writes_the_three_files_and_is_byte_deterministic(district: Path, tmp_path: Path):
    """`generate` writes sites.geojson, clients.csv, kecamatan.geojson; same seed, same bytes."""
    again = tmp_path / "again"
    r = runner.invoke(
        app, ["generate", "--clients", "120", "--sites", "25", "--seed", "3", "--out", str(again)]
    )
    assert r.exit_code == 0, r.output
    for name in ("sites.geojson", "clients.csv", "kecamatan.geojson"):
        assert (district / name).read_bytes() == (again / name).read_bytes()


def test_match_writes_json_csv_geojson_consistently(district: Path, tmp_path: Path):
    """`match` exits 0 and writes the result JSON of the data contract, a CSV and GeoJSON."""
    out = tmp_path / "r.json"
    r = invoke_match(
        str(district / "sites.geojson"),
        str(district / "clients.csv"),
        str(out),
        "--csv",
        str(tmp_path / "r.csv"),
        "--geojson",
        str(tmp_path / "r.geojson"),
    )
    assert r.exit_code == 0, r.output
    res = json.loads(out.read_text(encoding="utf-8"))
    s = res["summary"]
    assert set(s) == {
        "clients",
        "placed",
        "unplaced",
        "total_distance_km",
        "max_distance_km",
        "status",
        "objective",
        "bound",
        "runtime_s",
    }
    assert s["clients"] == 120 == s["placed"] + s["unplaced"]
    assert s["status"] == "OPTIMAL" and s["objective"] == s["bound"]
    assert s["objective"] == sum(p["terms"]["cost_m"] for p in res["placements"])
    for p in res["placements"]:
        assert set(p) == {"client_id", "site_id", "distance_km", "pinned", "terms", "alternatives"}
        assert p["distance_km"] == round(p["distance_km"], 3)
    for u in res["unplaced"]:
        assert {"code", "message_id", "message_en"} <= set(u["reasons"][0])
    rows = list(csv.DictReader((tmp_path / "r.csv").open(encoding="utf-8")))
    assert len(rows) == 120
    gj = json.loads((tmp_path / "r.geojson").read_text(encoding="utf-8"))
    assert len(gj["features"]) == 120


def test_suggest_lists_ranked_sites_and_rejections(district: Path):
    """`suggest --json` ranks eligible sites by cost and summarises the rejected ones."""
    first = next(csv.DictReader((district / "clients.csv").open(encoding="utf-8")))["client_id"]
    r = runner.invoke(
        app,
        [
            "suggest",
            "--sites",
            str(district / "sites.geojson"),
            "--clients",
            str(district / "clients.csv"),
            "--client-id",
            first,
            "--top",
            "3",
            "--json",
        ],
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    costs = [s["terms"]["cost_m"] for s in data["suggestions"]]
    assert costs == sorted(costs) and len(costs) <= 3
    assert data["client_id"] == first


def _write_bad_inputs(tmp: Path) -> tuple[Path, Path]:
    sites = tmp / "sites.csv"
    sites.write_text(
        "site_id,name,kind,lat,lon,capacity,open_days,hours_per_day\n"
        "S1,Masjid,place_of_worship,-7.42,109.23,-1,mon;tue,4\n"
        "S1,SD,school,95,109.2,2,mon;funday,4\n",
        encoding="utf-8",
    )
    clients = tmp / "clients.csv"
    clients.write_text(
        "client_id,lat,lon,gender,offence,hours,hours_per_day,start_date,deadline,available_days\n"
        "C1,-7.42,109.23,male,theft,300,9,2026-12-01,2027-07-01,mon\n",
        encoding="utf-8",
    )
    return sites, clients


def test_bad_input_exits_2_with_one_line_per_problem(tmp_path: Path):
    """Every problem is reported at once: file and row, field, value and rule (with the Pasal);
    nothing is written."""
    sites, clients = _write_bad_inputs(tmp_path)
    out = tmp_path / "r.json"
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "api.cli",
            "match",
            "--sites",
            str(sites),
            "--clients",
            str(clients),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert r.returncode == 2
    err = r.stderr
    assert "sites.csv baris 2: capacity = -1" in err  # Indonesian by default
    assert "sites.csv baris 3: lat = 95.0" in err
    assert "open_days = 'funday'" in err
    assert "site_id = 'S1': id ganda" in err
    assert "clients.csv baris 2: offence = 'theft'" in err
    assert "hours = 300" in err and "85(4)" in err
    assert "hours_per_day = 9" in err and "85(5)" in err
    assert "deadline = '2027-07-01'" in err
    assert not out.exists()


def test_missing_file_and_dangling_reference_exit_2(tmp_path: Path, district: Path):
    """A missing file and a fixed_site_id naming no site are bad input (exit 2), not a crash."""
    r = invoke_match(
        str(tmp_path / "none.geojson"), str(district / "clients.csv"), str(tmp_path / "r.json")
    )
    assert r.exit_code == 2
    clients = tmp_path / "c.csv"
    clients.write_text(
        "client_id,lat,lon,gender,offence,hours,hours_per_day,start_date,deadline,available_days,fixed_site_id,separate_from\n"
        "C1,-7.42,109.23,male,traffic,40,4,2026-12-01,2027-03-01,mon;tue,S999,C7\n",
        encoding="utf-8",
    )
    r = invoke_match(str(district / "sites.geojson"), str(clients), str(tmp_path / "r.json"))
    assert r.exit_code == 2
    assert "fixed_site_id = 'S999': tidak menunjuk lokasi yang ada" in r.output
    assert "separate_from = 'C7': tidak menunjuk klien yang ada" in r.output


def test_demo_writes_result_csv_geojson_and_png(tmp_path: Path):
    """`demo` generates Banyumas, matches and writes the four outputs (small size for speed)."""
    r = runner.invoke(app, ["demo", "--out", str(tmp_path), "--clients", "60", "--sites", "15"])
    assert r.exit_code == 0, r.output
    for name in ("result.json", "placements.csv", "placements.geojson", "map.png"):
        assert (tmp_path / name).stat().st_size > 0
    assert (tmp_path / "map.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_simulate_with_a_bad_scenario_exits_2_with_one_line(tmp_path: Path):
    """A missing scenario, a folder and a scenario that is not TOML each give exit 2 and a
    line naming the file, never a traceback."""
    bad = tmp_path / "bad.toml"
    bad.write_text("title = \n", encoding="utf-8")
    for path in (tmp_path / "none.toml", tmp_path, bad):
        r = runner.invoke(app, ["simulate", "--scenario", str(path), "--out", str(tmp_path / "o")])
        assert r.exit_code == 2, r.output
        assert str(path) in r.output and "Traceback" not in r.output
