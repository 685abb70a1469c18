"""Writing a match result: JSON (the data contract), CSV (one row per client), GeoJSON lines."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson

from api.files.columns import ID_MEANINGS
from api.files.workbooks import Sheet, excel_csv, write_workbook
from geo.io import write_geojson
from matcher.model import Client, Site
from matcher.result import Result
from matcher.vocab import label

CSV_FIELDS = (
    "client_id",
    "site_id",
    "site_name",
    "kind",
    "subdistrict",
    "district",
    "distance_km",
    "pinned",
    "cost_m",
    "skill_match",
    "reason_code",
    "reason_id",
    "reason_en",
)
"""Placement columns; the site file's own further columns (an address, a desa) follow, sorted."""

NUMERIC = {"distance_km", "cost_m"}

MEANINGS: dict[str, tuple[str, str]] = {
    **ID_MEANINGS,
    # an unplaced client's row has an empty site code, so this list says so
    "site_id": ("kode lokasi (kosong bila belum ditempatkan)", "site code (empty if unplaced)"),
    "subdistrict": ("kecamatan lokasi", "the site's subdistrict (kecamatan)"),
    "district": ("kabupaten/kota lokasi", "the site's district"),
    "distance_km": ("jarak dari rumah ke lokasi (km)", "distance from home to the site (km)"),
    "pinned": (
        "ditetapkan hakim atau penempatan yang sudah ada",
        "fixed by the court or an existing placement",
    ),
    "cost_m": (
        "biaya yang diminimalkan: jarak dalam meter dikurangi bonus keahlian (bisa negatif "
        "bila keahlian cocok dan lokasi sangat dekat)",
        "the cost minimised: distance in metres minus the skill bonus (negative when the "
        "skills match and the site is very near)",
    ),
    "skill_match": ("keahlian klien cocok dengan pekerjaan", "the client's skills fit the work"),
    "reason_code": ("kode alasan belum ditempatkan", "code of the reason for no placement"),
    "reason_id": ("alasan (bahasa Indonesia)", "reason (Indonesian)"),
    "reason_en": ("alasan (bahasa Inggris)", "reason (English)"),
}


def json_bytes(result: Result, indent: bool = False) -> bytes:
    """The result JSON (UTF-8): compact, or indented by two spaces for people to read.

    orjson, not ``json.dumps``: a 10,000-client result has ~10^6 values, and the standard
    encoder spent seconds on them (issue 14). Floats are written the shortest way that reads
    back to the same number, as ``json`` does.
    """
    option = orjson.OPT_APPEND_NEWLINE | (orjson.OPT_INDENT_2 if indent else 0)
    return orjson.dumps(result.to_dict(), option=option)


def write_json(result: Result, path: Path, indent: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(json_bytes(result, indent))


def placement_table(
    result: Result,
    sites: Sequence[Site] = (),
    site_extras: Mapping[str, Mapping[str, Any]] | None = None,
    lang: str | None = None,
) -> tuple[list[str], list[list[Any]]]:
    """One row per client with typed values: where it was placed (with the site's name, kind,
    kecamatan and the site file's own further columns) or why not. The kind is the code, or
    its label in ``lang`` for a workbook a person reads."""
    extras = site_extras or {}
    extra_cols = sorted({k for e in extras.values() for k in e})
    columns = [*CSV_FIELDS, *extra_cols]
    at = {s.site_id: s for s in sites}
    rows: list[list[Any]] = []
    for p in result.placements:
        s = at.get(p.site_id)
        e = extras.get(p.site_id, {})
        rows.append(
            [
                p.client_id,
                p.site_id,
                s.name if s else None,
                (label(s.kind, lang) if lang else s.kind) if s else None,
                (s.subdistrict or None) if s else None,
                (s.district or None) if s else None,
                round(p.distance_km, 3),
                p.pinned,
                p.terms.cost_m,
                p.terms.skill_match,
                None,
                None,
                None,
                *(e.get(c) for c in extra_cols),
            ]
        )
    for u in result.unplaced:
        r = u.reasons[0]
        rows.append(
            [u.client_id, None, None, None, None, None, None, False, None, None, r.code]
            + [r.indonesian, r.english]
            + [None] * len(extra_cols)
        )
    return columns, rows


def csv_text(
    result: Result,
    sites: Sequence[Site] = (),
    site_extras: Mapping[str, Mapping[str, Any]] | None = None,
) -> str:
    columns, rows = placement_table(result, sites, site_extras)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for row in rows:
        w.writerow([_csv_cell(c, v) for c, v in zip(columns, row, strict=True)])
    return buf.getvalue()


def _csv_cell(column: str, v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v).lower()
    if column == "distance_km":
        return f"{v:.3f}"
    return str(v)


def write_csv(
    result: Result,
    path: Path,
    sites: Sequence[Site] = (),
    site_extras: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    excel: bool = False,
) -> None:
    """The placements as CSV; ``excel``: BOM, ``;`` and decimal commas for Indonesian Excel."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if excel:
        columns, rows = placement_table(result, sites, site_extras)
        path.write_bytes(excel_csv(columns, rows, NUMERIC))
    else:
        path.write_text(csv_text(result, sites, site_extras), encoding="utf-8")


def write_result_xlsx(
    result: Result,
    path: Path,
    sites: Sequence[Site] = (),
    site_extras: Mapping[str, Mapping[str, Any]] | None = None,
    lang: str = "id",
) -> None:
    """The placements and the summary as an Excel workbook with a sheet explaining columns."""
    columns, rows = placement_table(result, sites, site_extras, lang)
    s = result.summary
    summary: list[list[Any]] = [
        ["clients", s.clients],
        ["placed", s.placed],
        ["unplaced", s.unplaced],
        ["total_distance_km", s.total_distance_km],
        ["max_distance_km", s.max_distance_km],
        ["status", s.status],
        ["objective", s.objective],
        ["bound", s.bound],
        ["runtime_s", s.runtime_s],
    ]
    summary_meanings = {
        "ukuran": ("nama ukuran", "name of the figure"),
        "nilai": ("nilainya", "its value"),
    }
    write_workbook(
        path,
        [
            Sheet("Placements" if lang == "en" else "Penempatan", columns, rows, MEANINGS),
            Sheet(
                "Summary" if lang == "en" else "Ringkasan",
                ["ukuran", "nilai"],
                summary,
                summary_meanings,
            ),
        ],
        lang,
    )


def geojson_features(
    result: Result, sites: Sequence[Site], clients: Sequence[Client]
) -> list[dict[str, Any]]:
    """A LineString from each placed client's home to its site; a Point for each unplaced.

    Client points are the client's home: the file is for the Bapas' own use, not publication.
    """
    site_at = {s.site_id: s for s in sites}
    client_at = {c.client_id: c for c in clients}
    features: list[dict[str, Any]] = []
    for p in result.placements:
        c, s = client_at[p.client_id], site_at[p.site_id]
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [
                        [round(c.lon, 6), round(c.lat, 6)],
                        [round(s.lon, 6), round(s.lat, 6)],
                    ],
                },
                "properties": {
                    "client_id": p.client_id,
                    "site_id": p.site_id,
                    "distance_km": p.distance_km,
                    "pinned": p.pinned,
                },
            }
        )
    for u in result.unplaced:
        c = client_at[u.client_id]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(c.lon, 6), round(c.lat, 6)]},
                "properties": {"client_id": u.client_id, "reason": u.reasons[0].code},
            }
        )
    return features


def write_result_geojson(
    result: Result, sites: Sequence[Site], clients: Sequence[Client], path: Path
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_geojson(geojson_features(result, sites, clients), path)
