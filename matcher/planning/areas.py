"""Kecamatan areas as planners count them: names, populations and polygons (WGS84 lon/lat).

A plain frozen dataclass over shapely geometries, so that the planning modules never need a
GeoDataFrame (the api turns one into this with :meth:`Areas.from_frame`). Points are located
with :func:`geo.district.locate_index`; a point on a shared edge belongs to the first area.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from shapely.geometry.base import BaseGeometry

from geo.district import locate_index

OUTSIDE = "(di luar wilayah)"
"""The name under which points outside every area are counted."""


@dataclass(frozen=True)
class Areas:
    """Kecamatan (or any areas) in WGS84 lon/lat.

    Attributes
    ----------
    names:
        One unique name per area.
    population:
        People per area (weights for generated demand).
    geometry:
        One (Multi)Polygon per area, lon/lat degrees.
    """

    names: tuple[str, ...]
    population: NDArray[np.float64]
    geometry: tuple[BaseGeometry, ...]

    def __post_init__(self) -> None:
        n = len(self.names)
        if len(self.geometry) != n or self.population.shape != (n,):
            raise ValueError(
                f"areas: {n} names, {len(self.geometry)} geometries and "
                f"{self.population.shape[0]} populations must match"
            )
        if len(set(self.names)) != n:
            raise ValueError("areas: names must be unique")
        if n and (self.population < 0).any():
            raise ValueError("areas: population must be >= 0")

    def __len__(self) -> int:
        return len(self.names)

    @classmethod
    def from_frame(
        cls, frame: Any, name: str = "kecamatan", population: str = "population"
    ) -> Areas:
        """From a GeoDataFrame in EPSG:4326 with a name and (optionally) a population column.

        Raises
        ------
        ValueError
            A frame in another CRS (the areas must be lon/lat like every other input), or
            without the name column.
        """
        crs = getattr(frame, "crs", None)
        if crs is not None and crs.to_epsg() != 4326:
            raise ValueError(f"areas must be in EPSG:4326 (lon/lat), got {crs}")
        if name not in frame.columns:
            raise ValueError(f"areas have no {name!r} column; columns: {list(frame.columns)}")
        pop = (
            np.asarray(frame[population].to_numpy(), np.float64)
            if population in frame.columns
            else np.ones(len(frame), np.float64)
        )
        return cls(
            names=tuple(str(v) for v in frame[name]),
            population=pop,
            geometry=tuple(frame.geometry.to_numpy()),
        )

    def index_of(self, lats: ArrayLike, lons: ArrayLike) -> NDArray[np.int64]:
        """Area index of each point, ``-1`` outside every area."""
        return locate_index(lons, lats, list(self.geometry))

    def name_of(self, lats: ArrayLike, lons: ArrayLike) -> list[str]:
        """Area name of each point; :data:`OUTSIDE` for a point outside every area."""
        idx = self.index_of(lats, lons)
        return [self.names[int(i)] if i >= 0 else OUTSIDE for i in idx]

    def sample_points(
        self, rng: np.random.Generator, area: NDArray[np.int64]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Uniform random points (lat, lon) inside the given areas, one per entry of ``area``.

        Rejection sampling in each area's bounding box, in vectorised rounds; an area too thin
        to hit gets its representative point (always inside).
        """
        lat = np.empty(area.size, np.float64)
        lon = np.empty(area.size, np.float64)
        bounds = np.array([g.bounds for g in self.geometry], np.float64).reshape(-1, 4)
        todo = np.arange(area.size)
        geoms = np.array(self.geometry, dtype=object)
        for _ in range(40):
            if todo.size == 0:
                break
            b = bounds[area[todo]]
            x = b[:, 0] + rng.random(todo.size) * (b[:, 2] - b[:, 0])
            y = b[:, 1] + rng.random(todo.size) * (b[:, 3] - b[:, 1])
            inside = shapely.contains_xy(geoms[area[todo]], x, y)
            hit = todo[inside]
            lon[hit], lat[hit] = x[inside], y[inside]
            todo = todo[~inside]
        for i in todo.tolist():
            p = self.geometry[int(area[i])].representative_point()
            lon[i], lat[i] = p.x, p.y
        return lat, lon

    def representative_points(self) -> list[tuple[float, float]]:
        """(lat, lon) of a point surely inside each area (for labels and fallbacks)."""
        pts = [g.representative_point() for g in self.geometry]
        return [(p.y, p.x) for p in pts]


def count_by_area(index: Sequence[int] | NDArray[np.int64], n_areas: int) -> NDArray[np.int64]:
    """How many points fall in each area (points outside every area are not counted)."""
    idx = np.asarray(index, np.int64)
    return np.bincount(idx[idx >= 0], minlength=n_areas).astype(np.int64)
