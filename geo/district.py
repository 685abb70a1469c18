"""District geometry: kecamatan centres, approximate kecamatan areas, point-in-area lookup.

Real kecamatan boundaries are not shipped (licensing, size). The package carries each
kecamatan's approximate centre and population (``geo/data/<district>-kecamatan.csv``) and
approximates the areas by a Voronoi partition of the centres, clipped to a district outline.
That is good enough for what the areas are used for here: spreading synthetic clients and
sites, and counting demand and supply per kecamatan for planners. It is not a map.

Planar work is done in the UTM zone of the centres (:mod:`geo.crs`); results are returned
in WGS84 longitude/latitude (EPSG:4326), like every file of the data contract.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from itertools import pairwise
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from geo.crs import project, unproject, utm_epsg_for
from geo.io import COORDINATE_DECIMALS, PathLike, write_geojson

if TYPE_CHECKING:
    import geopandas as gpd

DEFAULT_OUTLINE_BUFFER_KM = 3.0
"""Buffer around the convex hull of the centres for the default district outline.

For Banyumas the hull of the 27 centres covers about 934 km2 with a 129 km perimeter; a 3 km
round buffer brings the outline to about 1,350 km2, close to Banyumas' real 1,328 km2. (A 6-8
km buffer would give 1,800-2,200 km2, too large for the district it stands in for.)
"""

_DENSIFY_M = 500.0
_DENSIFY_DEG = 0.005  # about 550 m
_DISTRICT_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True, slots=True)
class Kecamatan:
    """A kecamatan (sub-district): its name, approximate centre (WGS84) and population."""

    name: str
    lat: float
    lon: float
    population: int


def available_districts() -> list[str]:
    """Districts with packaged kecamatan centres (the ``district`` argument values)."""
    suffix = "-kecamatan.csv"
    data = resources.files("geo").joinpath("data")
    return sorted(e.name[: -len(suffix)] for e in data.iterdir() if e.name.endswith(suffix))


def load_kecamatan_centres(district: str = "banyumas") -> list[Kecamatan]:
    """The packaged kecamatan centres of a district, in file order.

    Parameters
    ----------
    district:
        Lower-case district name, e.g. ``"banyumas"`` (see :func:`available_districts`).

    Raises
    ------
    ValueError
        For a district without packaged data.

    Examples
    --------
    >>> centres = load_kecamatan_centres("banyumas")
    >>> len(centres), centres[0].name
    (27, 'Lumbir')
    """
    if not _DISTRICT_NAME.match(district):
        raise ValueError(f"district must be a lower-case name like 'banyumas', got {district!r}")
    source = resources.files("geo").joinpath("data", f"{district}-kecamatan.csv")
    if not source.is_file():
        raise ValueError(
            f"no kecamatan data for district {district!r}; "
            f"available: {', '.join(available_districts())}"
        )
    rows = csv.DictReader(io.StringIO(source.read_text(encoding="utf-8")))
    return [
        Kecamatan(
            name=row["kecamatan"].strip(),
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            population=int(row["population_approx"]),
        )
        for row in rows
    ]


def district_outline(
    centres: Sequence[Kecamatan], buffer_km: float = DEFAULT_OUTLINE_BUFFER_KM
) -> BaseGeometry:
    """A smooth district outline in WGS84: the convex hull of the centres, buffered.

    The buffer is computed in metres (UTM) with round joins, so the outline has no corners.
    """
    lons, lats = _centre_arrays(centres)
    epsg = utm_epsg_for(lons, lats)
    x, y = project(lons, lats, epsg)
    outline = _hull_buffer(x, y, buffer_km)
    return _to_wgs84(np.array([outline]), epsg)[0]


def kecamatan_polygons(
    centres: Sequence[Kecamatan], outline: BaseGeometry | None = None
) -> gpd.GeoDataFrame:
    """Approximate kecamatan areas: the Voronoi partition of the centres, clipped to an outline.

    Parameters
    ----------
    centres:
        Kecamatan centres (distinct points).
    outline:
        District boundary as a (Multi)Polygon in WGS84 lon/lat; every centre must lie inside
        it. Default: :func:`district_outline` of the centres.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per centre, in input order: ``kecamatan``, ``population``, ``geometry``
        (Polygon or, for a concave outline, MultiPolygon), CRS EPSG:4326. The polygons do not
        overlap and each contains its own centre.

    Raises
    ------
    ValueError
        No centres, duplicate centres, or a centre outside the outline.
    """
    lons, lats = _centre_arrays(centres)
    epsg = utm_epsg_for(lons, lats)
    x, y = project(lons, lats, epsg)
    if outline is None:
        outline_xy = _hull_buffer(x, y, DEFAULT_OUTLINE_BUFFER_KM)
    else:
        # Edges are straight in lon/lat (as GeoJSON reads them): densify before projecting,
        # so that the projected outline follows them instead of cutting their chords.
        outline_xy = shapely.transform(
            shapely.segmentize(outline, _DENSIFY_DEG),
            lambda c: np.column_stack(project(c[:, 0], c[:, 1], epsg)),
        )
    cells = _clipped_voronoi(centres, x, y, np.full(len(centres), outline_xy, dtype=object))
    return _frame(centres, _to_wgs84(cells, epsg))


def region_polygons(
    districts: Sequence[Sequence[Kecamatan]], buffer_km: float = DEFAULT_OUTLINE_BUFFER_KM
) -> gpd.GeoDataFrame:
    """Kecamatan areas of several neighbouring districts, partitioned together.

    One Voronoi partition of all centres, each cell clipped to its own district's default
    outline (:func:`district_outline`). Doing it jointly means districts whose outlines
    overlap share the overlap along nearest-centre lines instead of both claiming it, so the
    areas never overlap.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``kecamatan``, ``population``, ``geometry`` (EPSG:4326); rows are the
        districts' centres concatenated in order.
    """
    flat = [k for d in districts for k in d]
    if not flat:
        raise ValueError("no kecamatan centres given")
    lons, lats = _centre_arrays(flat)
    epsg = utm_epsg_for(lons, lats)
    x, y = project(lons, lats, epsg)
    sizes = [len(d) for d in districts]
    starts = np.cumsum([0, *sizes])
    # Outlines vectorised: one hull per district, buffered all at once.
    groups = [shapely.multipoints(np.column_stack((x[a:b], y[a:b]))) for a, b in pairwise(starts)]
    hulls = shapely.convex_hull(np.array(groups))
    outlines = _densify(shapely.buffer(hulls, buffer_km * 1000.0, quad_segs=16))
    per_centre = np.repeat(outlines, sizes)
    cells = _clipped_voronoi(flat, x, y, per_centre)
    return _frame(flat, _to_wgs84(cells, epsg))


def locate_index(
    lons: ArrayLike, lats: ArrayLike, polygons: gpd.GeoDataFrame | Sequence[BaseGeometry]
) -> NDArray[np.int64]:
    """Positional index of the polygon containing each point, ``-1`` outside all of them.

    A point on a shared boundary belongs to the polygon that comes first, so the answer is
    deterministic. Vectorised with a shapely STRtree.
    """
    geoms = _geometries(polygons)
    lo = np.asarray(lons, dtype=np.float64).ravel()
    la = np.asarray(lats, dtype=np.float64).ravel()
    if lo.shape != la.shape:
        raise ValueError(f"lons and lats differ in length: {lo.size} != {la.size}")
    out = np.full(lo.size, np.iinfo(np.int64).max, dtype=np.int64)
    if lo.size and len(geoms):
        tree = shapely.STRtree(geoms)
        point_idx, poly_idx = tree.query(shapely.points(lo, la), predicate="intersects")
        np.minimum.at(out, point_idx, poly_idx.astype(np.int64))
    out[out == np.iinfo(np.int64).max] = -1
    return out


def locate(
    lons: ArrayLike,
    lats: ArrayLike,
    polygons: gpd.GeoDataFrame,
    column: str = "kecamatan",
) -> NDArray[np.str_]:
    """Name of the area containing each point (from ``column``), ``""`` outside all areas.

    Examples
    --------
    >>> areas = kecamatan_polygons(load_kecamatan_centres())
    >>> locate([109.24, 100.0], [-7.40, -7.40], areas).tolist()
    ['Purwokerto Utara', '']
    """
    idx = locate_index(lons, lats, polygons)
    names = np.asarray(polygons[column].to_numpy(), dtype=np.str_)
    if names.size == 0:
        return np.full(idx.size, "", dtype=np.str_)
    return np.where(idx >= 0, names[np.maximum(idx, 0)], "")


def write_areas(gdf: gpd.GeoDataFrame, path: PathLike) -> None:
    """Write areas as a byte-deterministic GeoJSON FeatureCollection.

    Coordinates are rounded to 6 decimals and rings oriented as RFC 7946 asks (exterior
    counter-clockwise); properties are the non-geometry columns in column order. A frame in
    another CRS is reprojected to EPSG:4326 first.

    Raises
    ------
    ValueError
        For a frame without a CRS (its coordinates could be anything).
    """
    if gdf.crs is None:
        raise ValueError("areas have no CRS; set it (EPSG:4326 for lon/lat) before writing")
    if gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs(4326)
    geoms = shapely.transform(gdf.geometry.to_numpy(), lambda c: np.round(c, COORDINATE_DECIMALS))
    geoms = shapely.orient_polygons(geoms, exterior_cw=False)
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    values = {c: gdf[c].to_numpy(dtype=object) for c in columns}
    features = (
        {
            "type": "Feature",
            "geometry": None if geom is None else mapping(geom),
            "properties": {c: _plain(values[c][i]) for c in columns},
        }
        for i, geom in enumerate(geoms)
    )
    write_geojson(features, path)


# --------------------------------------------------------------------------------------------


def _centre_arrays(centres: Sequence[Kecamatan]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    if not centres:
        raise ValueError("no kecamatan centres given")
    lons = np.array([k.lon for k in centres], dtype=np.float64)
    lats = np.array([k.lat for k in centres], dtype=np.float64)
    return lons, lats


def _hull_buffer(x: NDArray[np.float64], y: NDArray[np.float64], buffer_km: float) -> Any:
    if buffer_km <= 0:
        raise ValueError(f"buffer_km must be positive, got {buffer_km}")
    hull = shapely.convex_hull(shapely.multipoints(np.column_stack((x, y))))
    # 16 segments per quarter circle: smooth at district scale, still few vertices.
    return _densify(shapely.buffer(hull, buffer_km * 1000.0, quad_segs=16))


def _densify(geoms: Any) -> Any:
    # Straight lines in UTM are slightly curved in lon/lat; short segments keep the outline
    # and the cells cut from it identical after the trip back to WGS84.
    return shapely.segmentize(geoms, _DENSIFY_M)


def _clipped_voronoi(
    centres: Sequence[Kecamatan],
    x: NDArray[np.float64],
    y: NDArray[np.float64],
    outlines: NDArray[np.object_],
) -> NDArray[np.object_]:
    """Voronoi cell of each centre (input order), intersected with that centre's outline."""
    points = shapely.points(x, y)
    inside = shapely.contains(outlines, points)
    if not inside.all():
        bad = [centres[int(i)].name for i in np.flatnonzero(~inside)]
        raise ValueError(f"kecamatan centre(s) outside the district outline: {', '.join(bad)}")
    _, first, counts = np.unique(
        np.column_stack((x, y)), axis=0, return_index=True, return_counts=True
    )
    if (counts > 1).any():
        dup = [centres[int(i)].name for i in first[counts > 1]]
        raise ValueError(f"duplicate kecamatan centre(s) at the location of: {', '.join(dup)}")
    if len(centres) == 1:
        return np.array(outlines, dtype=object)
    # The diagram must reach beyond every outline, or clipping would cut cells short.
    extent = shapely.envelope(shapely.union_all(shapely.envelope(outlines)))
    diagram = shapely.voronoi_polygons(
        shapely.multipoints(points), extend_to=shapely.buffer(extent, 1000.0), ordered=True
    )
    cells = shapely.get_parts(diagram)
    if len(cells) != len(centres):  # guards the ordered=True contract
        raise RuntimeError(f"Voronoi diagram has {len(cells)} cells for {len(centres)} centres")
    return np.asarray(shapely.intersection(cells, outlines), dtype=object)


def _to_wgs84(geoms: NDArray[np.object_], epsg: int) -> NDArray[np.object_]:
    return np.asarray(
        shapely.transform(geoms, lambda c: np.column_stack(unproject(c[:, 0], c[:, 1], epsg))),
        dtype=object,
    )


def _frame(centres: Sequence[Kecamatan], geoms: NDArray[np.object_]) -> gpd.GeoDataFrame:
    import geopandas as gpd  # loaded only when areas are built (pandas is slow to import)

    return gpd.GeoDataFrame(
        {
            "kecamatan": [k.name for k in centres],
            "population": np.array([k.population for k in centres], dtype=np.int64),
        },
        geometry=list(geoms),
        crs="EPSG:4326",
    )


def _geometries(polygons: gpd.GeoDataFrame | Sequence[BaseGeometry]) -> NDArray[np.object_]:
    geometry = getattr(polygons, "geometry", None)
    if geometry is not None:
        return np.asarray(geometry.to_numpy(), dtype=object)
    return np.asarray(list(polygons), dtype=object)


def _plain(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v
