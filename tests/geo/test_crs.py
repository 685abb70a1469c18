"""geo.crs: the UTM zone of a place and projection into it."""

from __future__ import annotations

import math

import numpy as np
import pytest

from geo.crs import _transformer, project, unproject, utm_epsg, utm_epsg_for
from geo.district import load_kecamatan_centres


def gaussian_radius_m(lat):
    """Radius of the sphere that best fits the WGS84 ellipsoid at a latitude: sqrt(M * N)."""
    a, e2 = 6_378_137.0, 0.00669437999014
    s2 = np.sin(np.radians(lat)) ** 2
    return a * np.sqrt(1 - e2) / (1 - e2 * s2)


def haversine_m(lon1, lat1, lon2, lat2, r):
    """Great-circle distance in metres on a sphere of radius ``r`` (independent of geo)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * r * np.arcsin(np.sqrt(a))


def test_central_java_is_utm_49_south():
    """Purwokerto and the centroid of Banyumas' kecamatan fall in EPSG:32749."""
    assert utm_epsg(109.24, -7.42) == 32749
    centres = load_kecamatan_centres()
    assert utm_epsg_for([k.lon for k in centres], [k.lat for k in centres]) == 32749


@pytest.mark.parametrize(
    ("lon", "lat", "epsg"),
    [
        (106.85, -6.2, 32748),  # Jakarta
        (98.67, 3.59, 32647),  # Medan, north of the equator
        (140.7, -2.5, 32754),  # Jayapura
        (0.0, 0.0, 32631),  # the equator counts as north
        (-180.0, -10.0, 32701),
        (180.0, 10.0, 32660),  # 180 degrees is the east edge of zone 60, not a zone 61
    ],
)
def test_zone_numbers_and_hemispheres(lon, lat, epsg):
    """Zones are 6 degrees wide from -180; 326xx north (equator included), 327xx south."""
    assert utm_epsg(lon, lat) == epsg


@pytest.mark.parametrize(("lon", "lat"), [(181.0, 0.0), (0.0, -91.0), (math.nan, 0.0)])
def test_out_of_range_coordinates_are_refused(lon, lat):
    """A coordinate outside WGS84's range, or NaN, is a ValueError, never a made-up zone."""
    with pytest.raises(ValueError, match="must be within"):
        utm_epsg(lon, lat)


def test_centroid_of_nothing_is_refused():
    """An empty point set has no zone; mismatched arrays are an error too."""
    with pytest.raises(ValueError, match="no points"):
        utm_epsg_for([], [])
    with pytest.raises(ValueError, match="differ in length"):
        utm_epsg_for([109.0, 109.1], [-7.4])


def test_projected_distances_agree_with_haversine():
    """Over about 10 km in Banyumas, UTM 49S distances are within 0.5% of great-circle ones.

    The sphere is the one that fits the ellipsoid at Banyumas' latitude: with the global mean
    radius (6,371 km) north-south distances near the equator come out about 0.54% long,
    because the ellipsoid's meridian is flatter there (radius of curvature about 6,336 km).
    """
    rng = np.random.default_rng(0)
    lon1 = rng.uniform(108.95, 109.45, 200)
    lat1 = rng.uniform(-7.65, -7.30, 200)
    bearing = rng.uniform(0, 2 * np.pi, 200)
    lon2 = lon1 + 0.09 * np.sin(bearing) / np.cos(np.radians(lat1))
    lat2 = lat1 + 0.09 * np.cos(bearing)
    x1, y1 = project(lon1, lat1, 32749)
    x2, y2 = project(lon2, lat2, 32749)
    planar = np.hypot(x2 - x1, y2 - y1)
    sphere = haversine_m(lon1, lat1, lon2, lat2, gaussian_radius_m(-7.45))
    assert np.all((sphere > 9_000) & (sphere < 11_000))
    assert np.max(np.abs(planar / sphere - 1)) < 0.005


def test_project_returns_float64_metres_and_inverts():
    """project gives float64 arrays shaped like the input; unproject brings them back."""
    lons = np.array([[109.0, 109.2], [109.3, 109.4]])
    lats = np.array([[-7.3, -7.4], [-7.5, -7.6]])
    x, y = project(lons, lats, 32749)
    assert x.dtype == np.float64 and y.dtype == np.float64 and x.shape == (2, 2)
    assert np.all((x > 100_000) & (x < 900_000))  # UTM eastings
    assert np.all(y > 9_000_000)  # southern hemisphere false northing
    back_lon, back_lat = unproject(x, y, 32749)
    np.testing.assert_allclose(back_lon, lons, atol=1e-9)
    np.testing.assert_allclose(back_lat, lats, atol=1e-9)


def test_transformers_are_cached():
    """Projecting again into the same CRS reuses the pyproj Transformer."""
    project([109.0], [-7.4], 32749)
    hits = _transformer.cache_info().hits
    project([109.1], [-7.5], 32749)
    assert _transformer.cache_info().hits == hits + 1
