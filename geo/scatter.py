"""The seeded scattering of points over a district's kecamatan: where people live and where
sites cluster, by population, kept inside the kecamatan polygons.

The attributes of the records at those points (kinds, court orders, ...) are drawn by
``matcher.planning.synthetic`` on the project's vocabularies; this module knows only places.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from geo.district import (
    Kecamatan,
    kecamatan_polygons,
    load_kecamatan_centres,
    locate_index,
    region_polygons,
)

if TYPE_CHECKING:
    import geopandas as gpd

KM_PER_DEG_LAT = 111.32


@dataclass(frozen=True)
class Layout:
    """Where people live: kecamatan centres (one row per area) and their areas."""

    areas: gpd.GeoDataFrame  # district, kecamatan, population, geometry
    lon: NDArray[np.float64]  # centre per area
    lat: NDArray[np.float64]
    population: NDArray[np.float64]
    copy: NDArray[np.int64]  # which district copy each area belongs to
    place: NDArray[np.str_]  # kecamatan name without the copy suffix, for site names


def district_layout(district: str) -> Layout:
    """The packaged kecamatan of ``district`` as one layout (a single copy)."""
    centres = load_kecamatan_centres(district)
    areas = kecamatan_polygons(centres)
    areas.insert(0, "district", district.replace("-", " ").title())
    return layout_from(areas, centres, np.zeros(len(centres), dtype=np.int64))


def region_layout(kabupaten: int, spacing_km: float, rng: np.random.Generator) -> Layout:
    """Copies of Banyumas' kecamatan on a grid (``generate_region`` of the synthetic generator):
    each copy's centres jittered about 1 km and its population scaled by a random factor."""
    base = load_kecamatan_centres("banyumas")
    offsets = grid_offsets(base, kabupaten, spacing_km)
    width = max(2, len(str(kabupaten)))
    names = [f"Kab-{i + 1:0{width}d}" for i in range(kabupaten)]
    lat0 = math.radians(float(np.mean([k.lat for k in base])))
    copies: list[list[Kecamatan]] = []
    for (dlon, dlat), name in zip(offsets, names, strict=True):
        jitter = rng.normal(0.0, 1.0, size=(len(base), 2)) / KM_PER_DEG_LAT  # ~1 km
        scale = rng.lognormal(0.0, 0.25)  # kabupaten differ in size
        copies.append(
            [
                Kecamatan(
                    name=f"{k.name} ({name})",
                    lat=k.lat + dlat + jitter[i, 1],
                    lon=k.lon + dlon + jitter[i, 0] / math.cos(lat0),
                    population=int(round(k.population * scale, -2)),
                )
                for i, k in enumerate(base)
            ]
        )
    areas = region_polygons(copies)
    areas.insert(0, "district", np.repeat(names, len(base)))
    copy_of_area = np.repeat(np.arange(kabupaten, dtype=np.int64), len(base))
    return layout_from(areas, [k for c in copies for k in c], copy_of_area)


def layout_from(
    areas: gpd.GeoDataFrame, centres: Sequence[Kecamatan], copy: NDArray[np.int64]
) -> Layout:
    return Layout(
        areas=areas,
        lon=np.array([k.lon for k in centres], dtype=np.float64),
        lat=np.array([k.lat for k in centres], dtype=np.float64),
        population=np.array([k.population for k in centres], dtype=np.float64),
        copy=copy,
        place=np.array([k.name.split(" (")[0] for k in centres], dtype=np.str_),
    )


def grid_offsets(
    base: Sequence[Kecamatan], count: int, spacing_km: float
) -> list[tuple[float, float]]:
    """(dlon, dlat) of each copy from Banyumas, in the order copies are added."""
    lon0 = float(np.mean([k.lon for k in base]))
    lat0 = float(np.mean([k.lat for k in base]))
    # Half a copy's extent plus 0.1 degree (about 11 km) for its outline buffer, the jitter
    # and people living near the edge: nothing generated leaves the box.
    half_lon = (max(k.lon for k in base) - min(k.lon for k in base)) / 2 + 0.1
    half_lat = (max(k.lat for k in base) - min(k.lat for k in base)) / 2 + 0.1
    dlat = spacing_km / KM_PER_DEG_LAT
    dlon = spacing_km / (KM_PER_DEG_LAT * math.cos(math.radians(lat0)))
    # Physical rows: south of Banyumas first, then (wrapped) north of it; same for columns
    # going east, then west.
    south = int((lat0 - (-11.0 + half_lat)) // dlat) + 1
    north = int(((6.0 - half_lat) - lat0) // dlat)
    east = int(((141.0 - half_lon) - lon0) // dlon) + 1
    west = int((lon0 - (95.0 + half_lon)) // dlon)
    rows = [-r * dlat for r in range(south)] + [r * dlat for r in range(1, north + 1)]
    cols = [c * dlon for c in range(east)] + [-c * dlon for c in range(1, west + 1)]
    if count > len(rows) * len(cols):
        raise ValueError(
            f"{count} kabupaten at {spacing_km} km spacing do not fit in Indonesia's box "
            f"(at most {len(rows) * len(cols)}); use a smaller spacing"
        )
    # Fill square shells around Banyumas (shell s = cells with max(row, col) = s), so that
    # any prefix of copies is a compact block, like the kabupaten of a province.
    cells = sorted(
        ((i, j) for i in range(len(rows)) for j in range(len(cols))),
        key=lambda ij: (max(ij), ij[0], ij[1]),
    )
    return [(cols[j], rows[i]) for i, j in cells[:count]]


def apportion(total: int, weights: NDArray[np.float64]) -> NDArray[np.int64]:
    """Split ``total`` in proportion to ``weights`` (largest remainder; ties to the first)."""
    share = total * weights / weights.sum()
    counts = np.floor(share).astype(np.int64)
    rest = total - int(counts.sum())
    order = np.argsort(-(share - counts), kind="stable")
    counts[order[:rest]] += 1
    return counts


def pick_areas(
    rng: np.random.Generator, layout: Layout, total: int, exponent: float
) -> NDArray[np.int64]:
    """Area index for ``total`` points: exact shares per copy, then by population inside."""
    weight = layout.population**exponent
    n_copies = int(layout.copy.max()) + 1
    copy_weight = np.bincount(layout.copy, weights=weight, minlength=n_copies).astype(np.float64)
    per_copy = apportion(total, copy_weight)
    picks = []
    for c in range(n_copies):
        members = np.flatnonzero(layout.copy == c)
        w = weight[members]
        picks.append(rng.choice(members, size=int(per_copy[c]), p=w / w.sum()))
    return np.concatenate(picks).astype(np.int64) if picks else np.empty(0, np.int64)


def scatter(
    rng: np.random.Generator, layout: Layout, area: NDArray[np.int64], spread_km: float
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.int64]]:
    """Points around their areas' centres (normal, ``spread_km``), kept inside the areas.

    Points that fall outside every area are redrawn closer each round; the last few are put
    on their centre, which is always inside its own area.
    """
    lon0, lat0 = layout.lon[area], layout.lat[area]
    lon, lat = lon0.copy(), lat0.copy()
    todo = np.arange(area.size)
    sd = spread_km
    for _ in range(6):
        if todo.size == 0:
            break
        dlon, dlat = offset_deg(rng.normal(0.0, sd, (todo.size, 2)), lat0[todo])
        lon[todo], lat[todo] = lon0[todo] + dlon, lat0[todo] + dlat
        inside = locate_index(lon[todo], lat[todo], layout.areas) >= 0
        todo = todo[~inside]
        sd /= 2.0
    lon[todo], lat[todo] = lon0[todo], lat0[todo]
    where = locate_index(lon, lat, layout.areas)
    return lon, lat, where


def offset_deg(
    km: NDArray[np.float64], lat: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(east, north) kilometres as (dlon, dlat) degrees at latitude ``lat``."""
    dlat = km[:, 1] / KM_PER_DEG_LAT
    dlon = km[:, 0] / (KM_PER_DEG_LAT * np.cos(np.radians(lat)))
    return dlon, dlat


def unit_xyz(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> NDArray[np.float64]:
    # Nearest neighbours on the unit sphere: right anywhere, even for national extents.
    p, q = np.radians(lat), np.radians(lon)
    return np.column_stack((np.cos(p) * np.cos(q), np.cos(p) * np.sin(q), np.sin(p)))
