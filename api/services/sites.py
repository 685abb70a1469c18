"""The site registry: list, read, write, import (all-or-nothing), export, occupancy."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.auth import Principal
from api.errors import InvalidInput, Problem, not_found
from api.files.tables import SITES
from api.services import audit
from api.services.imports import TABLE_TYPES, read_upload, unsupported
from api.services.records import fill_site_row, new_site_row, site_public, validate_site
from api.services.registry import bump_version, counts_by_site
from api.services.scope import target_bapas, visible_row
from api.storage.models import SiteRow
from geo.io import RawRecord
from matcher.rules import Message, V
from matcher.validate import InputProblem, parse_sites

BBox = tuple[float, float, float, float]


def parse_bbox(text: str | None) -> BBox | None:
    """``min_lon,min_lat,max_lon,max_lat`` (WGS84), or 422."""
    if text is None:
        return None
    try:
        parts = [float(p) for p in text.split(",")]
    except ValueError:
        parts = []
    if len(parts) != 4 or not (parts[0] <= parts[2] and parts[1] <= parts[3]):
        raise InvalidInput([InputProblem("query", "bbox", text, V["bbox"].say())], prefix="query")
    return parts[0], parts[1], parts[2], parts[3]


def get_row(s: Session, who: Principal, site_id: str, *, lock: bool = False) -> SiteRow:
    """The site, or 404 (also for another Bapas' site)."""
    row: SiteRow = visible_row(s, who, SiteRow.site_id, site_id, "Site", lock=lock)
    return row


def list_sites(
    s: Session,
    who: Principal,
    *,
    bapas_id: str | None,
    kecamatan: str | None,
    kind: str | None,
    has_room: bool | None,
    bbox: BBox | None,
    include_inactive: bool,
    limit: int,
    offset: int,
) -> dict[str, Any]:
    q = select(SiteRow).order_by(SiteRow.site_id)
    scope = who.bapas_id or bapas_id
    if scope is not None:
        if who.bapas_id is not None and bapas_id not in (None, who.bapas_id):
            raise not_found("Bapas", bapas_id)
        q = q.where(SiteRow.bapas_id == scope)
    if not include_inactive:
        q = q.where(SiteRow.active.is_(True))
    if kecamatan:
        q = q.where(func.lower(SiteRow.subdistrict) == kecamatan.lower())
    if kind:
        q = q.where(SiteRow.kind == kind)
    if bbox:
        q = q.where(
            SiteRow.lon >= bbox[0],
            SiteRow.lat >= bbox[1],
            SiteRow.lon <= bbox[2],
            SiteRow.lat <= bbox[3],
        )
    rows = s.scalars(q).all()
    active = counts_by_site(s, "active", bapas_id=scope)
    items = [site_public(r, active.get(r.site_id, 0)) for r in rows]
    if has_room is not None:
        items = [it for it in items if (it["free"] > 0) == has_room]
    return {
        "items": items[offset : offset + limit],
        "total": len(items),
        "limit": limit,
        "offset": offset,
    }


def read_site(s: Session, who: Principal, site_id: str) -> dict[str, Any]:
    row = get_row(s, who, site_id)
    return site_public(row, counts_by_site(s, "active", [site_id]).get(site_id, 0))


def _check_new_id(s: Session, site_id: str) -> None:
    if s.get(SiteRow, site_id) is not None:
        raise Problem(
            409,
            "conflict",
            f"Lokasi dengan id {site_id} sudah ada.",
            f"A site with id {site_id} already exists.",
        )


def create_site(
    s: Session, who: Principal, *, values: Mapping[str, Any], bapas_id: str | None
) -> dict[str, Any]:
    site = validate_site(values)
    bapas = target_bapas(s, who, bapas_id)
    _check_new_id(s, site.site_id)
    row = new_site_row(site, bapas)
    s.add(row)
    bump_version(s, bapas)
    audit.record(s, who, "site.create", "site", site.site_id, after={"bapas_id": bapas})
    s.flush()
    return site_public(row, 0)


def update_site(
    s: Session, who: Principal, site_id: str, *, changes: Mapping[str, Any]
) -> dict[str, Any]:
    row = get_row(s, who, site_id, lock=True)
    site = validate_site({**row.record, **changes, "site_id": site_id})
    before = {"capacity": row.capacity}
    fill_site_row(row, site)
    bump_version(s, row.bapas_id)
    audit.record(
        s,
        who,
        "site.update",
        "site",
        site_id,
        before=before,
        after={"capacity": site.capacity, "fields": sorted(changes)},
    )
    return site_public(row, counts_by_site(s, "active", [site_id]).get(site_id, 0))


def set_active(s: Session, who: Principal, site_id: str, *, active: bool) -> dict[str, Any]:
    row = get_row(s, who, site_id, lock=True)
    before = {"active": row.active}
    row.active = active
    bump_version(s, row.bapas_id)
    action = "site.activate" if active else "site.deactivate"
    audit.record(s, who, action, "site", site_id, before=before, after={"active": active})
    return site_public(row, counts_by_site(s, "active", [site_id]).get(site_id, 0))


def occupancy(s: Session, who: Principal, site_id: str) -> dict[str, Any]:
    row = get_row(s, who, site_id)
    active = counts_by_site(s, "active", [site_id]).get(site_id, 0)
    proposed = counts_by_site(s, "proposed", [site_id]).get(site_id, 0)
    return {
        "site_id": site_id,
        "capacity": row.capacity,
        "active": active,
        "proposed": proposed,
        "free": max(row.capacity - active, 0),
    }


# --------------------------------------------------------------------------------------------
# Import and export


def _bad_file(rule: Message, value: Any = None) -> InvalidInput:
    return InvalidInput([InputProblem("file", "file", value, rule)], prefix="")


def read_geojson(data: bytes) -> tuple[list[RawRecord], list[InputProblem]]:
    """Point features; ``lat``/``lon`` from the geometry. Non-point features are problems."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _bad_file(V["json_invalid"].say(error=exc)) from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise _bad_file(V["geojson_collection"].say())
    features = doc.get("features")
    if not isinstance(features, list):
        raise _bad_file(V["geojson_features"].say())
    out, problems = [], []
    for i, f in enumerate(features):
        source = f"feature {i}"
        geom = f.get("geometry") if isinstance(f, dict) else None
        props = f.get("properties") if isinstance(f, dict) else None
        coords = geom.get("coordinates") if isinstance(geom, dict) else None
        if (
            not isinstance(geom, dict)
            or geom.get("type") != "Point"
            or not isinstance(coords, list)
            or len(coords) < 2
        ):
            problems.append(InputProblem(source, "geometry", geom, V["geojson_point"].say()))
            continue
        values = dict(props) if isinstance(props, dict) else {}
        values["lon"], values["lat"] = coords[0], coords[1]
        out.append(RawRecord(source, values))
    return out, problems


def check_media_type(media_type: str) -> None:
    """415 unless the import is CSV, XLSX or GeoJSON."""
    if media_type not in TABLE_TYPES and media_type not in (
        "application/geo+json",
        "application/json",
    ):
        raise unsupported(
            "text/csv, XLSX atau application/geo+json", "text/csv, XLSX or application/geo+json"
        )


def import_sites(
    s: Session,
    who: Principal,
    *,
    data: bytes,
    media_type: str,
    bapas_id: str | None,
    sheet: str | None = None,
) -> dict[str, Any]:
    """Create or update every site of the file in one transaction, or none (422 per row)."""
    problems: list[InputProblem]
    check_media_type(media_type)
    if media_type in TABLE_TYPES:
        records, problems = read_upload(data, media_type, SITES, sheet), []
    else:
        records, problems = read_geojson(data)
    sites, site_problems = parse_sites(records)
    problems += site_problems
    bapas = target_bapas(s, who, bapas_id)
    ids = [site.site_id for site in sites]
    existing = {r.site_id: r for r in s.scalars(select(SiteRow).where(SiteRow.site_id.in_(ids)))}
    sources = {rec.values.get("site_id"): rec.source for rec in records}
    for site in sites:
        row = existing.get(site.site_id)
        if row is not None and row.bapas_id != bapas:
            problems.append(
                InputProblem(
                    sources.get(site.site_id, "file"),
                    "site_id",
                    site.site_id,
                    V["other_bapas"].say(),
                )
            )
    if not records and not problems:
        raise _bad_file(V["file_no_sites"].say())
    if problems:
        raise InvalidInput(problems, prefix="")
    created = updated = 0
    for site in sites:
        row = existing.get(site.site_id)
        if row is None:
            row = SiteRow(site_id=site.site_id, bapas_id=bapas, active=True)
            s.add(row)
            created += 1
            audit.record(s, who, "site.import", "site", site.site_id, after={"bapas_id": bapas})
        else:
            updated += 1
            audit.record(
                s,
                who,
                "site.import",
                "site",
                site.site_id,
                before={"capacity": row.capacity},
                after={"capacity": site.capacity},
            )
        fill_site_row(row, site)
    bump_version(s, bapas)
    return {"created": created, "updated": updated, "site_ids": ids}


def export_geojson(
    s: Session, who: Principal, *, bapas_id: str | None, include_inactive: bool
) -> dict[str, Any]:
    """The registry as a GeoJSON FeatureCollection (data-contract properties)."""
    q = select(SiteRow).order_by(SiteRow.site_id)
    scope = who.bapas_id or bapas_id
    if scope is not None:
        q = q.where(SiteRow.bapas_id == scope)
    if not include_inactive:
        q = q.where(SiteRow.active.is_(True))
    features = []
    for row in s.scalars(q):
        props = {k: v for k, v in row.record.items() if k not in ("lat", "lon")}
        props["bapas_id"] = row.bapas_id
        props["active"] = row.active
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(row.lon, 6), round(row.lat, 6)],
                },
                "properties": props,
            }
        )
    return {"type": "FeatureCollection", "features": features}
