"""Great-circle distance and the road estimate."""

import numpy as np
import pytest

from geo.distance import EARTH_RADIUS_KM, haversine_km, road_km


def test_one_degree_of_latitude_is_r_times_pi_over_180():
    """A degree of latitude is 2*pi*R/360 km with R = 6371.0088 km."""
    d = haversine_km(0.0, 109.0, 1.0, 109.0)
    assert float(d) == pytest.approx(EARTH_RADIUS_KM * np.pi / 180.0, rel=1e-12)


def test_known_distance_purwokerto_to_cilacap():
    """Purwokerto (-7.4245, 109.2302) to Cilacap (-7.7279, 109.0091) is about 41.5 km."""
    assert float(haversine_km(-7.4245, 109.2302, -7.7279, 109.0091)) == pytest.approx(41.5, abs=0.5)


def test_vectorised_and_symmetric():
    """Arrays broadcast and d(a, b) == d(b, a); d(a, a) == 0."""
    lat = np.array([-7.4, -7.5, -7.6])
    lon = np.array([109.2, 109.3, 109.1])
    d1 = haversine_km(lat, lon, lat[::-1], lon[::-1])
    d2 = haversine_km(lat[::-1], lon[::-1], lat, lon)
    np.testing.assert_allclose(d1, d2)
    assert float(haversine_km(-7.4, 109.2, -7.4, 109.2)) == 0.0


def test_road_estimate_is_haversine_times_factor():
    """road_km = haversine_km * road_factor (default 1.3)."""
    h = float(haversine_km(-7.4, 109.2, -7.5, 109.3))
    assert float(road_km(-7.4, 109.2, -7.5, 109.3)) == pytest.approx(1.3 * h)
    assert float(road_km(-7.4, 109.2, -7.5, 109.3, road_factor=1.0)) == pytest.approx(h)
