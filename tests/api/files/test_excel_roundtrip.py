"""Acceptance of issue 12: sites and clients typed into the project's own blank templates, as a
person in an office would (numbers as numbers, Indonesian day names, ya/tidak, a date cell and a
date typed as text), read back and matched, give the same match as the GeoJSON/CSV files."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from api.files.tables import read_clients, read_sites
from api.files.workbooks import write_template
from geo.io import read_clients as geo_read_clients
from geo.io import read_sites as geo_read_sites
from matcher.pipeline import match
from matcher.planning.synthetic import generate_district, write_district
from matcher.policy import default_policy
from matcher.result import Result
from matcher.validate import validate_inputs
from matcher.vocab import LABELS_ID, WEEKDAYS

DAYS_ID = {d: LABELS_ID[d] for d in WEEKDAYS}


def typed_by_a_person(column: str, v: Any) -> Any:
    """What a person types for a contract value: days in Indonesian, ya/tidak, the start date
    as a date cell and the deadline as text dd/mm/yyyy, lists separated by ';'."""
    if v is None or v == "" or v == []:
        return None
    if column in ("open_days", "available_days"):
        return "; ".join(DAYS_ID[d] for d in v)
    if isinstance(v, bool):
        return "ya" if v else "tidak"
    if column == "start_date":
        return date.fromisoformat(v)
    if column == "deadline":
        d = date.fromisoformat(v)
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if column == "exclusion_zones":
        return ";".join(f"{z['lat']},{z['lon']},{z['radius_km']}" for z in v)
    if isinstance(v, list):
        return ";".join(v)
    return v


def fill(template: Path, rows: list[dict[str, Any]]) -> None:
    wb = openpyxl.load_workbook(template)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    for i, row in enumerate(rows, start=2):
        for j, column in enumerate(header, start=1):
            value = typed_by_a_person(str(column), row.get(str(column)))
            if value is not None:
                ws.cell(row=i, column=j, value=value)
    wb.save(template)


def placements(result: Result) -> tuple[int, list[tuple[str, str]], list[tuple[str, str]]]:
    return (
        result.summary.objective,
        sorted((p.client_id, p.site_id) for p in result.placements),
        sorted((u.client_id, u.reasons[0].code) for u in result.unplaced),
    )


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    out = tmp_path_factory.mktemp("roundtrip")
    d = generate_district(district="banyumas", clients=90, sites=24, seed=12)
    write_district(d, out)
    return out, d


def test_template_filled_by_hand_gives_the_same_match_as_geojson_and_csv(district, tmp_path):
    """Written by `template`, filled, read back: the same objective, placements and reasons."""
    folder, d = district
    policy = default_policy()
    sites, clients = validate_inputs(
        geo_read_sites(folder / "sites.geojson"), geo_read_clients(folder / "clients.csv")
    )
    reference = match(sites, clients, policy)

    write_template("sites", tmp_path / "sites.xlsx")
    write_template("clients", tmp_path / "clients.xlsx")
    fill(tmp_path / "sites.xlsx", d.sites)
    fill(tmp_path / "clients.xlsx", d.clients)
    site_table = read_sites(tmp_path / "sites.xlsx")
    client_table = read_clients(tmp_path / "clients.xlsx")
    assert site_table.errors == client_table.errors == []
    assert len(site_table.records) == len(d.sites) and len(client_table.records) == len(d.clients)
    sites_x, clients_x = validate_inputs(site_table.records, client_table.records)
    assert sites_x == sites and clients_x == clients
    assert placements(match(sites_x, clients_x, policy)) == placements(reference)


def test_template_written_with_rows_reads_back_to_the_same_records(district, tmp_path):
    """`write_template(rows=...)` (the files converted to the office's workbook) reads back to
    the same sites and clients as the contract's own files."""
    folder, d = district
    sites, clients = validate_inputs(
        geo_read_sites(folder / "sites.geojson"), geo_read_clients(folder / "clients.csv")
    )
    write_template("sites", tmp_path / "s.xlsx", rows=d.sites)
    write_template("clients", tmp_path / "c.xlsx", rows=d.clients)
    s_table, c_table = read_sites(tmp_path / "s.xlsx"), read_clients(tmp_path / "c.xlsx")
    assert validate_inputs(s_table.records, c_table.records) == (sites, clients)


def test_template_has_drop_downs_an_explanation_and_hidden_lists(tmp_path):
    """One-of columns get a drop-down list; the explanation sheet names every column."""
    write_template("clients", tmp_path / "clients.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "clients.xlsx")
    data, lists, info = wb["Klien"], wb["Pilihan"], wb["Penjelasan"]
    assert lists.sheet_state == "hidden"
    header = [c.value for c in data[1]]
    assert data.max_row == 1  # blank: an example row would be imported as a client
    assert data.freeze_panes == "A2"
    drop_downs = {
        header[openpyxl.utils.column_index_from_string(str(dv.sqref).split(":")[0][0]) - 1]
        for dv in data.data_validations.dataValidation
        if dv.type == "list"
    }
    assert {"gender", "offence", "fitness", "worship_site_consent"} <= drop_downs
    offence_col = header.index("offence") + 1
    offences = [lists.cell(row=r, column=offence_col).value for r in range(2, 15)]
    assert "property_theft" in offences and "sexual_offence" in offences
    explained = [row[0] for row in info.iter_rows(min_row=2, values_only=True)]
    assert explained == header
