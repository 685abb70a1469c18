"""Coordinate reference systems: the metric CRS for a set of places, and projection into it.

Data arrive as WGS84 longitude/latitude (EPSG:4326). Planar work (Voronoi cells, buffers,
areas) needs metres, so the pipeline projects to the UTM zone of the data's centroid. Central
Java lies in zone 49 south: EPSG:32749.

The zone is taken from the centroid only; the Norway/Svalbard zone exceptions do not apply
to Indonesia and are ignored. Data far wider than a zone (a national instance spans about
eight zones) are still projected into the centroid's zone: transverse Mercator stays
well-defined there, with a scale error of a few percent at the edges, which is acceptable for
partitions and buffers but not for distances (use ``geo.distance`` for those).
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pyproj import Transformer

WGS84 = 4326
"""EPSG code of WGS84 longitude/latitude, the CRS of every file and payload."""


def utm_epsg(lon: float, lat: float) -> int:
    """EPSG code of the WGS84 UTM zone containing a point.

    Parameters
    ----------
    lon, lat:
        WGS84 degrees.

    Returns
    -------
    int
        ``326zz`` north of the equator (including it), ``327zz`` south, ``zz`` the zone 1-60.

    Raises
    ------
    ValueError
        When a coordinate is not finite or out of range.

    Examples
    --------
    >>> utm_epsg(109.24, -7.42)  # Purwokerto, Central Java
    32749
    >>> utm_epsg(106.85, -6.2)  # Jakarta
    32748
    """
    lon, lat = float(lon), float(lat)
    if not (math.isfinite(lon) and -180.0 <= lon <= 180.0):
        raise ValueError(f"longitude must be within -180..180, got {lon}")
    if not (math.isfinite(lat) and -90.0 <= lat <= 90.0):
        raise ValueError(f"latitude must be within -90..90, got {lat}")
    # Longitude 180 exactly belongs to zone 60, not to a 61st zone.
    zone = min(math.floor((lon + 180.0) / 6.0), 59) + 1
    return (32600 if lat >= 0.0 else 32700) + zone


def utm_epsg_for(lons: ArrayLike, lats: ArrayLike) -> int:
    """EPSG code of the UTM zone of the centroid (mean longitude and latitude) of points.

    The plain mean is fine for Indonesia; it would be wrong for data across the antimeridian.

    Raises
    ------
    ValueError
        For empty input or arrays of different lengths.

    Examples
    --------
    >>> utm_epsg_for([109.0, 109.4], [-7.3, -7.6])
    32749
    """
    x = np.asarray(lons, dtype=np.float64).ravel()
    y = np.asarray(lats, dtype=np.float64).ravel()
    if x.size == 0:
        raise ValueError("cannot choose a UTM zone for no points")
    if x.shape != y.shape:
        raise ValueError(f"lons and lats differ in length: {x.size} != {y.size}")
    return utm_epsg(float(np.mean(x)), float(np.mean(y)))


@lru_cache(maxsize=64)
def _transformer(source: int, target: int) -> Transformer:
    # Building a Transformer costs milliseconds (a PROJ database lookup); callers project
    # many small batches, so each pair of CRSs is built once per process.
    return Transformer.from_crs(source, target, always_xy=True)


def project(
    lons: ArrayLike, lats: ArrayLike, epsg: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Project WGS84 longitude/latitude to a projected CRS.

    Parameters
    ----------
    lons, lats:
        WGS84 degrees, any shape (broadcast together).
    epsg:
        Target CRS, typically from :func:`utm_epsg_for`.

    Returns
    -------
    (x, y)
        float64 arrays in the target CRS's units (metres for UTM), shaped like the input.

    Examples
    --------
    >>> x, y = project([109.24], [-7.42], 32749)
    >>> round(float(x[0])), round(float(y[0]))
    (305755, 9179436)
    """
    lo, la = np.broadcast_arrays(
        np.asarray(lons, dtype=np.float64), np.asarray(lats, dtype=np.float64)
    )
    x, y = _transformer(WGS84, int(epsg)).transform(lo, la)
    return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)


def unproject(
    x: ArrayLike, y: ArrayLike, epsg: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The inverse of :func:`project`: coordinates in ``epsg`` back to WGS84 ``(lons, lats)``."""
    xa, ya = np.broadcast_arrays(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64))
    lo, la = _transformer(int(epsg), WGS84).transform(xa, ya)
    return np.asarray(lo, dtype=np.float64), np.asarray(la, dtype=np.float64)
