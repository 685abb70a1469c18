"""Reading and writing sites and clients (DESIGN.md, "Data contract") without judging them.

Readers return :class:`RawRecord` objects: where each record came from and its raw values.
They check only what makes a file readable (it exists, it parses, a site has a Point); whether
a value is allowed is the validator's business (``matcher``), which reports every problem with
the ``source`` given here.

What the readers return, by format:

* CSV: every cell as a string (an empty cell is ``""``); lists stay ``;``-separated strings.
  ``source`` is ``"<file> row N"`` with N the line number in the file (the header is line 1).
* JSON and GeoJSON: native JSON types. For GeoJSON, ``lat`` and ``lon`` come from the Point
  geometry (``[lon, lat]``) and override properties of the same name. ``source`` is
  ``"<file> feature I"`` or ``"<file> item I"``, I the 0-based index in the file.
* GeoPackage (sites only): numbers and booleans native, missing values ``None``, lists as
  ``;``-separated strings (the format has no list type). Reprojected to WGS84 when the layer
  has another CRS.

Writers take rows of the data contract with native types (lists, bools, numbers, ISO date
strings or dates; ``None`` for a missing value) and write byte-deterministic files: fields in
the contract order (:data:`SITE_FIELDS`, :data:`CLIENT_FIELDS`) followed by any other keys
sorted by name, coordinates rounded to 6 decimals (about 0.1 m), UTF-8, ``\\n`` line ends and a
final newline. JSON files hold one record per line, so that diffs stay readable.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

PathLike = str | os.PathLike[str]

SITE_FIELDS: tuple[str, ...] = (
    "site_id",
    "name",
    "kind",
    "lat",
    "lon",
    "capacity",
    "open_days",
    "hours_per_day",
    "approved",
    "commercial",
    "population",
    "hazards",
    "physical_demand",
    "gender_policy",
    "supervisor_gender",
    "religion",
    "work_types",
    "district",
    "subdistrict",
)
"""Site fields in file order (CSV columns, GeoJSON properties without ``lat``/``lon``)."""

CLIENT_FIELDS: tuple[str, ...] = (
    "client_id",
    "lat",
    "lon",
    "gender",
    "age",
    "offence",
    "hours",
    "hours_per_day",
    "start_date",
    "deadline",
    "available_days",
    "fitness",
    "health",
    "religion",
    "worship_site_consent",
    "skills",
    "max_travel_km",
    "needs_female_supervisor",
    "exclusion_zones",
    "separate_from",
    "fixed_site_id",
    "current_site_id",
)
"""Client fields in file order (CSV columns, JSON object keys)."""

COORDINATE_DECIMALS = 6
_COORDINATE_KEYS = frozenset({"lat", "lon"})
_ZONES = "exclusion_zones"


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One site or client as read from a file, before validation.

    Attributes
    ----------
    source:
        Where it came from, for error messages: ``"sites.csv row 7"`` (line number in the
        file, header = line 1), ``"sites.geojson feature 3"`` or ``"clients.json item 2"``
        (0-based index).
    values:
        Field name to raw value (see the module docstring for the types per format).
    """

    source: str
    values: dict[str, Any]


class FileFormatError(ValueError):
    """A file that cannot be read as sites or clients; ``str(e)`` is ``"<path>: <message>"``."""

    def __init__(self, path: PathLike, message: str):
        self.path = os.fspath(path)
        self.message = message
        super().__init__(f"{self.path}: {message}")

    def __reduce__(self) -> tuple[type[FileFormatError], tuple[str, str]]:
        # Exceptions pickle their args; ours takes two, so say how (for worker processes).
        return (FileFormatError, (self.path, self.message))


# --------------------------------------------------------------------------------------------
# Reading


def read_sites(path: PathLike) -> list[RawRecord]:
    """Read sites from ``.geojson``/``.json`` (a FeatureCollection of Points), ``.csv``
    (with ``lat`` and ``lon`` columns) or ``.gpkg`` (a layer of Points; the first layer).

    Raises
    ------
    FileFormatError
        Missing or unreadable file, invalid JSON, a feature without a Point geometry, a CSV
        without ``lat``/``lon`` columns or with a ragged row, an unsupported extension.
    """
    p = _existing_file(path)
    suffix = p.suffix.lower()
    if suffix in (".geojson", ".json"):
        return _read_feature_collection(p)
    if suffix == ".csv":
        return _read_csv(p, required_columns=("lat", "lon"))
    if suffix == ".gpkg":
        return _read_gpkg(p)
    raise FileFormatError(p, f"unsupported extension {suffix!r} for sites; use {_SITE_FORMATS}")


def read_clients(path: PathLike) -> list[RawRecord]:
    """Read clients from ``.csv`` or ``.json`` (an array of objects, or ``{"clients": [...]}``).

    Raises
    ------
    FileFormatError
        Missing or unreadable file, invalid JSON, an item that is not an object, a ragged CSV
        row, an unsupported extension.
    """
    p = _existing_file(path)
    suffix = p.suffix.lower()
    if suffix == ".csv":
        return _read_csv(p, required_columns=())
    if suffix == ".json":
        return _read_client_json(p)
    raise FileFormatError(p, f"unsupported extension {suffix!r} for clients; use {_CLIENT_FORMATS}")


_SITE_FORMATS = ".geojson, .json, .csv or .gpkg"
_CLIENT_FORMATS = ".csv or .json"


def _existing_file(path: PathLike) -> Path:
    p = Path(path)
    if not p.exists():
        raise FileFormatError(p, "file not found")
    if not p.is_file():
        raise FileFormatError(p, "not a regular file")
    return p


def _read_text(p: Path) -> str:
    try:
        # utf-8-sig: spreadsheet programs often put a byte-order mark before the header.
        with p.open(encoding="utf-8-sig", newline="") as f:
            return f.read()
    except UnicodeDecodeError as e:
        raise FileFormatError(p, f"not UTF-8 text (byte {e.start})") from e
    except OSError as e:
        raise FileFormatError(p, f"cannot read: {e.strerror or e}") from e


WGS84_CRS_NAMES = frozenset(
    {
        "urn:ogc:def:crs:ogc:1.3:crs84",
        "urn:ogc:def:crs:ogc::crs84",
        "urn:ogc:def:crs:epsg::4326",
        "urn:ogc:def:crs:epsg:4326",
        "epsg:4326",
        "crs84",
        "ogc:crs84",
        "http://www.opengis.net/def/crs/ogc/1.3/crs84",
        "http://www.opengis.net/def/crs/epsg/0/4326",
    }
)


def geojson_crs(doc: Mapping[str, Any]) -> str | None:
    """The declared ``crs`` of a GeoJSON object when it is not WGS84 (as text), else None.

    RFC 7946 dropped ``crs``: coordinates are WGS84 lon/lat. Older files may still name one
    (``{"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}``); anything but a
    WGS84 name, or a member that is not such an object, would be read as the wrong place.
    """
    if "crs" not in doc or doc["crs"] is None:
        return None
    crs = doc["crs"]
    name: Any = crs
    if isinstance(crs, Mapping):
        props = crs.get("properties")
        name = props.get("name") if isinstance(props, Mapping) else None
    if isinstance(name, str) and name.strip().lower() in WGS84_CRS_NAMES:
        return None
    text = name if isinstance(name, str) else json.dumps(crs, default=str)
    return text[:80]


def semicolon_header(header: Sequence[str]) -> bool:
    """A header of one column holding ``;`` (``a;b;c``): a file exported with ``;`` separators."""
    return len(header) == 1 and header[0].count(";") >= 2


def loads_json(text: str) -> Any:
    """``json.loads`` that turns a too-deeply nested document into a ValueError (the C parser
    raises RecursionError, which must not escape as a crash)."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def _load_json(p: Path) -> Any:
    text = _read_text(p)
    try:
        return loads_json(text)
    except json.JSONDecodeError as e:
        raise FileFormatError(
            p, f"not valid JSON: {e.msg} at line {e.lineno} column {e.colno}"
        ) from e
    except ValueError as e:
        raise FileFormatError(p, f"not valid JSON: {e}") from e


def _read_feature_collection(p: Path) -> list[RawRecord]:
    doc = _load_json(p)
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise FileFormatError(p, "expected a GeoJSON FeatureCollection of Point features")
    crs = geojson_crs(doc)
    if crs is not None:
        raise FileFormatError(
            p, f"crs {crs!r} is not WGS84: coordinates must be lon/lat degrees (EPSG:4326)"
        )
    features = doc.get("features")
    if not isinstance(features, list):
        raise FileFormatError(p, "FeatureCollection has no 'features' array")
    records = []
    for i, feature in enumerate(features):
        where = f"feature {i}"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise FileFormatError(p, f"{where}: not a GeoJSON Feature object")
        lon, lat = _point_coordinates(p, where, feature.get("geometry"))
        props = feature.get("properties")
        if props is None:
            props = {}
        if not isinstance(props, dict):
            raise FileFormatError(p, f"{where}: 'properties' must be an object")
        values = dict(props)
        values["lat"], values["lon"] = lat, lon
        records.append(RawRecord(f"{p.name} {where}", values))
    return records


def _point_coordinates(p: Path, where: str, geometry: Any) -> tuple[Any, Any]:
    if geometry is None:
        raise FileFormatError(p, f"{where}: no geometry (a site needs a Point)")
    if not isinstance(geometry, dict):
        raise FileFormatError(p, f"{where}: geometry must be an object")
    kind = geometry.get("type")
    if kind != "Point":
        raise FileFormatError(p, f"{where}: geometry is {kind!r}, expected 'Point'")
    coords = geometry.get("coordinates")
    if (
        not isinstance(coords, list)
        or len(coords) < 2
        or not all(_is_number(c) for c in coords[:2])
    ):
        raise FileFormatError(p, f"{where}: Point coordinates must be [lon, lat] numbers")
    return coords[0], coords[1]


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _read_client_json(p: Path) -> list[RawRecord]:
    doc = _load_json(p)
    if isinstance(doc, dict) and isinstance(doc.get("clients"), list):
        items = doc["clients"]
    elif isinstance(doc, list):
        items = doc
    else:
        raise FileFormatError(
            p, 'expected a JSON array of client objects or an object {"clients": [...]}'
        )
    records = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise FileFormatError(p, f"item {i}: expected an object, got {type(item).__name__}")
        records.append(RawRecord(f"{p.name} item {i}", dict(item)))
    return records


def _read_csv(p: Path, required_columns: Sequence[str]) -> list[RawRecord]:
    reader = csv.reader(io.StringIO(_read_text(p), newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise FileFormatError(p, "empty file (no header row)") from None
    except csv.Error as e:
        raise FileFormatError(p, f"line 1: {e}") from e
    columns = [h.strip() for h in header]
    if semicolon_header(columns):
        raise FileFormatError(
            p,
            "line 1: this file is separated by ';', not ',': save it again as comma-separated CSV",
        )
    for i, name in enumerate(columns):
        if not name:
            raise FileFormatError(p, f"line 1: column {i + 1} has no name")
    seen: set[str] = set()
    for name in columns:
        if name in seen:
            raise FileFormatError(p, f"line 1: duplicate column {name!r}")
        seen.add(name)
    missing = [c for c in required_columns if c not in seen]
    if missing:
        raise FileFormatError(p, f"line 1: missing column(s) {', '.join(missing)}")

    records = []
    try:
        for line, cells in numbered_rows(reader):
            if not cells:
                continue  # a blank line
            if len(cells) != len(columns):
                raise FileFormatError(
                    p, f"row {line}: {len(cells)} cells but the header has {len(columns)} columns"
                )
            records.append(
                RawRecord(f"{p.name} row {line}", dict(zip(columns, cells, strict=True)))
            )
    except CsvRowError as e:
        raise FileFormatError(p, f"row {e.line}: {e.error}") from e.error
    return records


class CsvRowError(Exception):
    """A CSV row the ``csv`` module cannot read, with the line that row starts on."""

    def __init__(self, line: int, error: csv.Error) -> None:
        super().__init__(f"{line}: {error}")
        self.line = line
        self.error = error


def numbered_rows(reader: Iterator[list[str]]) -> Iterator[tuple[int, list[str]]]:
    """Each row of a ``csv.reader`` with the line it starts on (1-based).

    A row starts on the line after the previous one ended; quoted cells may span several
    lines, so the reader's counter after the row would be wrong for it. The command line's
    reader here and the upload reader of ``api.files.tables`` share this one loop; a row the
    ``csv`` module rejects ends it with ``CsvRowError``.
    """
    while True:
        line = reader.line_num + 1  # type: ignore[attr-defined]
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            raise CsvRowError(line, e) from e
        yield line, cells


def _read_gpkg(p: Path) -> list[RawRecord]:
    import pyogrio  # only GeoPackage needs GDAL; CSV and JSON never load it

    try:
        gdf = pyogrio.read_dataframe(p)
    except Exception as e:  # pyogrio raises several GDAL error types; all mean "unreadable"
        raise FileFormatError(p, f"cannot read as GeoPackage: {e}") from e
    if gdf.crs is not None and gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs(4326)
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    geoms = gdf.geometry.to_numpy()
    data = {c: gdf[c].to_numpy(dtype=object) for c in columns}
    records = []
    for i, geom in enumerate(geoms):
        where = f"feature {i}"
        if geom is None or geom.is_empty:
            raise FileFormatError(p, f"{where}: no geometry (a site needs a Point)")
        if geom.geom_type != "Point":
            raise FileFormatError(p, f"{where}: geometry is {geom.geom_type!r}, expected 'Point'")
        values = {c: _from_frame(data[c][i]) for c in columns}
        values["lat"], values["lon"] = float(geom.y), float(geom.x)
        records.append(RawRecord(f"{p.name} {where}", values))
    return records


def _from_frame(v: Any) -> Any:
    """A pandas cell as a plain Python value (``None`` for missing)."""
    if v is None:
        return None
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    if v.__class__.__name__ in ("NAType", "NaTType"):  # pandas.NA / NaT without importing pandas
        return None
    return v


# --------------------------------------------------------------------------------------------
# Writing


def write_sites(rows: Sequence[Mapping[str, Any]], path: PathLike) -> None:
    """Write sites by extension: ``.geojson`` (or ``.json``), ``.csv`` or ``.gpkg``.

    Parameters
    ----------
    rows:
        Site dicts of the data contract with ``lat`` and ``lon`` (WGS84 degrees).
    path:
        Output file; its extension picks the format. GeoPackage: layer ``sites``, EPSG:4326,
        lists ``;``-separated as in CSV.

    Raises
    ------
    ValueError
        A row without numeric ``lat``/``lon`` or with a non-finite number.
    FileFormatError
        An unsupported extension.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in (".geojson", ".json"):
        features = (_site_feature(i, row) for i, row in enumerate(rows))
        write_geojson(features, p)
    elif suffix == ".csv":
        _check_coordinates(rows)
        _write_text(p, _csv_text(rows, SITE_FIELDS))
    elif suffix == ".gpkg":
        _write_gpkg(rows, p)
    else:
        raise FileFormatError(p, f"unsupported extension {suffix!r} for sites; use {_SITE_FORMATS}")


def write_clients(rows: Sequence[Mapping[str, Any]], path: PathLike) -> None:
    """Write clients by extension: ``.csv`` or ``.json`` (an array, one client per line).

    ``exclusion_zones`` may be given as ``{"lat", "lon", "radius_km"}`` mappings or as
    ``(lat, lon, radius_km)`` triples; CSV writes ``lat,lon,radius_km`` triples separated by
    ``;``, JSON writes objects.

    Raises
    ------
    ValueError
        A non-finite number or a malformed exclusion zone.
    FileFormatError
        An unsupported extension.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".csv":
        _write_text(p, _csv_text(rows, CLIENT_FIELDS))
    elif suffix == ".json":
        lines = [
            _dumps(_json_record(row, CLIENT_FIELDS), where=f"row {i}") for i, row in enumerate(rows)
        ]
        _write_text(p, "[\n" + ",\n".join(lines) + ("\n" if lines else "") + "]\n")
    else:
        raise FileFormatError(
            p, f"unsupported extension {suffix!r} for clients; use {_CLIENT_FORMATS}"
        )


def write_geojson(features: Iterable[Mapping[str, Any]], path: PathLike) -> None:
    """Write GeoJSON Feature mappings as a FeatureCollection, one feature per line.

    The caller builds each feature (``{"type": "Feature", "geometry": ..., "properties": ...}``)
    with coordinates already rounded; this writes them with stable formatting
    (``ensure_ascii=False``, no NaN, a final newline).
    """
    lines = [_dumps(f, where=f"feature {i}") for i, f in enumerate(features)]
    body = ",\n".join(lines) + ("\n" if lines else "")
    _write_text(Path(path), '{"type": "FeatureCollection", "features": [\n' + body + "]}\n")


def ordered_fields(rows: Iterable[Mapping[str, Any]], fields: Sequence[str]) -> list[str]:
    """The contract ``fields`` followed by every other key found in ``rows``, sorted."""
    known = set(fields)
    extra = sorted({k for row in rows for k in row if k not in known})
    return [*fields, *extra]


def _site_feature(i: int, row: Mapping[str, Any]) -> dict[str, Any]:
    lat, lon = _coordinates(i, row)
    props = _json_record(row, SITE_FIELDS, skip=_COORDINATE_KEYS)
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": props,
    }


def _coordinates(i: int, row: Mapping[str, Any]) -> tuple[float, float]:
    try:
        lat, lon = float(row["lat"]), float(row["lon"])
    except (KeyError, TypeError, ValueError):
        raise ValueError(
            f"row {i}: needs numeric 'lat' and 'lon', got {row.get('lat')!r} and {row.get('lon')!r}"
        ) from None
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise ValueError(f"row {i}: coordinates must be finite, got {lat}, {lon}")
    return round(lat, COORDINATE_DECIMALS), round(lon, COORDINATE_DECIMALS)


def _check_coordinates(rows: Sequence[Mapping[str, Any]]) -> None:
    for i, row in enumerate(rows):
        _coordinates(i, row)


def _json_record(
    row: Mapping[str, Any], fields: Sequence[str], skip: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """The row's keys in contract order then sorted, values made JSON-native."""
    known = set(fields)
    keys = [f for f in fields if f in row] + sorted(k for k in row if k not in known)
    out: dict[str, Any] = {}
    for k in keys:
        if k in skip:
            continue
        v = row[k]
        if k in _COORDINATE_KEYS and _is_real(v):
            out[k] = round(float(v), COORDINATE_DECIMALS)
        elif k == _ZONES and v is not None:
            out[k] = [{"lat": la, "lon": lo, "radius_km": r} for la, lo, r in _zones(v)]
        else:
            out[k] = _native(v)
    return out


def _is_real(v: Any) -> bool:
    return isinstance(v, int | float | np.integer | np.floating) and not isinstance(
        v, bool | np.bool_
    )


def _native(v: Any) -> Any:
    """A value as plain JSON types: numpy scalars unwrapped, dates ISO, sets sorted."""
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, list | tuple | np.ndarray):
        return [_native(x) for x in v]
    if isinstance(v, set | frozenset):
        # Sets have no stable order; sorting keeps the bytes deterministic.
        return sorted(_native(x) for x in v)
    if isinstance(v, Mapping):
        return {str(k): _native(x) for k, x in v.items()}
    return v


def _zones(value: Any) -> list[tuple[float, float, Any]]:
    """Exclusion zones as ``(lat, lon, radius_km)`` with rounded coordinates."""
    out = []
    for z in value:
        try:
            if isinstance(z, Mapping):
                lat, lon, r = z["lat"], z["lon"], z["radius_km"]
            else:
                lat, lon, r = z
            lat, lon = float(lat), float(lon)
        except (KeyError, TypeError, ValueError):
            raise ValueError(
                f"exclusion zone {z!r}: expected lat, lon, radius_km (a mapping or a triple)"
            ) from None
        out.append((round(lat, COORDINATE_DECIMALS), round(lon, COORDINATE_DECIMALS), _native(r)))
    return out


def _dumps(obj: Any, where: str) -> str:
    try:
        return json.dumps(obj, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{where}: cannot write as JSON: {e}") from e


def _csv_text(rows: Sequence[Mapping[str, Any]], fields: Sequence[str]) -> str:
    columns = ordered_fields(rows, fields)
    buf = io.StringIO()
    # "\n" everywhere: the default "\r\n" would make the bytes depend on the writer's habits.
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for i, row in enumerate(rows):
        writer.writerow([_cell(c, row.get(c), where=f"row {i}") for c in columns])
    return buf.getvalue()


def _cell(column: str, v: Any, where: str) -> str:
    """One CSV cell in the data contract's spelling."""
    if v is None:
        return ""
    if column == _ZONES:
        return ";".join(f"{la:.6f},{lo:.6f},{_scalar(r, where)}" for la, lo, r in _zones(v))
    if column in _COORDINATE_KEYS and _is_real(v):
        return f"{_finite(float(v), where):.{COORDINATE_DECIMALS}f}"
    if isinstance(v, list | tuple | np.ndarray):
        return ";".join(_scalar(x, where) for x in v)
    if isinstance(v, set | frozenset):
        return ";".join(sorted(_scalar(x, where) for x in v))
    return _scalar(v, where)


def _scalar(v: Any, where: str) -> str:
    if isinstance(v, np.generic):
        v = v.item()
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        # repr is the shortest string that reads back to the same float: stable and exact.
        return repr(_finite(v, where))
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def _finite(v: float, where: str) -> float:
    if not math.isfinite(v):
        raise ValueError(f"{where}: cannot write non-finite number {v}")
    return v


def _write_text(p: Path, text: str) -> None:
    """Write the whole file at once through a temporary sibling, so a failure never leaves a
    half-written file behind."""

    def write(tmp: Path) -> None:
        with tmp.open("xb") as f:  # exclusive create; the mode follows the umask
            f.write(text.encode("utf-8"))

    _replace_atomically(p, write)


def _replace_atomically(p: Path, write: Callable[[Path], object]) -> None:
    """Call ``write`` with a fresh, not yet existing sibling path, then move it onto ``p``."""
    tmp = p.with_name(f".{p.stem}.{os.getpid()}.{secrets.token_hex(4)}{p.suffix}")
    try:
        write(tmp)
        os.replace(tmp, p)
    finally:
        tmp.unlink(missing_ok=True)


def _write_gpkg(rows: Sequence[Mapping[str, Any]], p: Path) -> None:
    import geopandas as gpd  # GeoPackage only; CSV and JSON never load GDAL
    import pyogrio
    import shapely

    coords = np.array([_coordinates(i, row) for i, row in enumerate(rows)], dtype=np.float64)
    coords = coords.reshape(-1, 2)
    columns = [c for c in ordered_fields(rows, SITE_FIELDS) if c not in _COORDINATE_KEYS]
    data = {c: _gpkg_column(c, [row.get(c) for row in rows]) for c in columns}
    gdf = gpd.GeoDataFrame(
        data, geometry=shapely.points(coords[:, 1], coords[:, 0]), crs="EPSG:4326"
    )

    def write(tmp: Path) -> None:
        # GDAL stamps the current time into gpkg_contents; a fixed date keeps the bytes equal
        # for equal input (GDAL's documented switch for reproducible files).
        previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": "2000-01-01T00:00:00Z"})
        try:
            pyogrio.write_dataframe(gdf, tmp, layer="sites", driver="GPKG", geometry_type="Point")
        finally:
            pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})

    _replace_atomically(p, write)


def _gpkg_column(column: str, values: list[Any]) -> Any:
    """A column as a numpy array GDAL can store: bool, int or float when every present value
    has that type, otherwise text in CSV spelling (lists ``;``-separated)."""
    present = [v.item() if isinstance(v, np.generic) else v for v in values if v is not None]
    if present and len(present) == len(values) and all(isinstance(v, bool) for v in present):
        return np.array(present, dtype=bool)
    if present and all(_is_real(v) for v in present):
        if len(present) == len(values) and all(isinstance(v, int) for v in present):
            return np.array(present, dtype=np.int64)
        return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)
    return np.array(
        [None if v is None else _cell(column, v, where=column) for v in values], dtype=object
    )
