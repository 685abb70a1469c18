"""Distances on the sphere and the road estimate used for travel.

The road estimate is deliberately simple and documented: the great-circle distance times a
``road_factor`` (1.3 by default, a common detour ratio for rural Java). A travel-time provider
can replace it later; everything downstream only sees kilometres.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG), the R of the haversine formula."""

DEFAULT_ROAD_FACTOR = 1.3


def haversine_km(
    lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike
) -> NDArray[np.float64]:
    """Great-circle distance in kilometres, element-wise over broadcastable arrays.

    Examples
    --------
    >>> round(float(haversine_km(-7.42, 109.23, -7.42, 109.24)), 3)
    1.103
    """
    p1 = np.radians(np.asarray(lat1, dtype=np.float64))
    p2 = np.radians(np.asarray(lat2, dtype=np.float64))
    dp = p2 - p1
    dl = np.radians(np.asarray(lon2, dtype=np.float64) - np.asarray(lon1, dtype=np.float64))
    a = np.sin(dp / 2.0) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2.0) ** 2
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def road_km(
    lat1: ArrayLike,
    lon1: ArrayLike,
    lat2: ArrayLike,
    lon2: ArrayLike,
    road_factor: float = DEFAULT_ROAD_FACTOR,
) -> NDArray[np.float64]:
    """Estimated road distance: ``haversine_km * road_factor``."""
    return haversine_km(lat1, lon1, lat2, lon2) * road_factor
