"""Writing a match result: JSON (the data contract), CSV (one row per client), GeoJSON lines."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from geo.io import write_geojson
from matcher.model import Client, Site
from matcher.result import Result

CSV_FIELDS = (
    "client_id",
    "site_id",
    "distance_km",
    "pinned",
    "cost_m",
    "skill_match",
    "reason_code",
    "reason_id",
    "reason_en",
)


def write_json(result: Result, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def csv_text(result: Result) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_FIELDS)
    for p in result.placements:
        w.writerow(
            [
                p.client_id,
                p.site_id,
                f"{p.distance_km:.3f}",
                str(p.pinned).lower(),
                p.terms.cost_m,
                str(p.terms.skill_match).lower(),
                "",
                "",
                "",
            ]
        )
    for u in result.unplaced:
        r = u.reasons[0]
        w.writerow([u.client_id, "", "", "false", "", "", r.code, r.indonesian, r.english])
    return buf.getvalue()


def write_csv(result: Result, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(csv_text(result), encoding="utf-8")


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
