"""Candidate search: exactly the sites within each client's reach, never a dense matrix."""

import numpy as np
import pytest

from geo import candidates
from geo.candidates import Arcs, arcs_within
from geo.distance import haversine_km


def _brute(clat, clon, reach, slat, slon, factor):
    d = haversine_km(clat[:, None], clon[:, None], slat[None, :], slon[None, :]) * factor
    ci, si = np.nonzero(d <= reach[:, None])
    return set(zip(ci.tolist(), si.tolist(), strict=True)), d


@pytest.mark.parametrize("seed", range(5))
def test_same_arcs_as_brute_force(seed):
    """The k-d tree search returns exactly the pairs a dense haversine check would."""
    rng = np.random.default_rng(seed)
    n, m = 300, 80
    clat, clon = rng.uniform(-7.8, -7.2, n), rng.uniform(108.9, 109.5, n)
    slat, slon = rng.uniform(-7.8, -7.2, m), rng.uniform(108.9, 109.5, m)
    reach = rng.choice([5.0, 10.0, 15.0, 25.0], n)
    arcs = arcs_within(clat, clon, reach, slat, slon, 1.3)
    expected, d = _brute(clat, clon, reach, slat, slon, 1.3)
    assert set(zip(arcs.client.tolist(), arcs.site.tolist(), strict=True)) == expected
    np.testing.assert_allclose(arcs.distance_km, d[arcs.client, arcs.site])


def test_sorted_by_client_then_site_and_find():
    """Arcs come sorted by (client, site), and find() locates pairs or answers -1."""
    rng = np.random.default_rng(7)
    clat, clon = rng.uniform(-7.5, -7.3, 50), rng.uniform(109.1, 109.3, 50)
    slat, slon = rng.uniform(-7.5, -7.3, 20), rng.uniform(109.1, 109.3, 20)
    arcs = arcs_within(clat, clon, np.full(50, 10.0), slat, slon, 1.3)
    keys = arcs.client.astype(np.int64) * 20 + arcs.site
    assert np.all(np.diff(keys) > 0)
    idx = arcs.find(arcs.client[::3], arcs.site[::3], 20)
    np.testing.assert_array_equal(idx, np.arange(len(arcs))[::3])
    assert arcs.find(np.array([999]), np.array([0]), 20).tolist() == [-1]


def test_reach_boundary_and_same_point():
    """A site at the client's home is in reach (0 km); one just past the limit is not."""
    # 0.1 degree of longitude at -7.4 is about 11.02 km; x1.3 = 14.33 km of road
    arcs = arcs_within(
        np.array([-7.4, -7.4]),
        np.array([109.2, 109.2]),
        np.array([14.4, 14.3]),
        np.array([-7.4, -7.4]),
        np.array([109.2, 109.3]),
        1.3,
    )
    pairs = set(zip(arcs.client.tolist(), arcs.site.tolist(), strict=True))
    assert pairs == {(0, 0), (0, 1), (1, 0)}
    assert float(arcs.distance_km[0]) == 0.0


def test_empty_inputs_and_bad_factor():
    """No clients or no sites gives no arcs; a road factor below 1 is refused."""
    e = np.empty(0)
    assert len(arcs_within(e, e, e, np.array([-7.4]), np.array([109.2]), 1.3)) == 0
    assert isinstance(
        arcs_within(np.array([-7.4]), np.array([109.2]), np.array([5.0]), e, e, 1.3), Arcs
    )
    with pytest.raises(ValueError, match="road_factor"):
        arcs_within(np.array([-7.4]), np.array([109.2]), np.array([5.0]), e, e, 0.9)


def test_works_across_utm_zones_and_the_antimeridian_free_embedding():
    """Points far apart in longitude (Aceh to Papua) are handled; neighbours across 108E found."""
    arcs = arcs_within(
        np.array([-7.0, 5.5]),
        np.array([107.999, 95.3]),
        np.array([15.0, 15.0]),
        np.array([-7.0, -2.5]),
        np.array([108.001, 140.7]),
        1.3,
    )
    assert set(zip(arcs.client.tolist(), arcs.site.tolist(), strict=True)) == {(0, 0)}


@pytest.mark.parametrize("seed", range(3))
def test_dense_blocks_and_kd_trees_give_identical_arcs(seed, monkeypatch):
    """Small inputs use dense blocks, large ones k-d trees: the same arcs, distances bit for bit."""
    rng = np.random.default_rng(seed)
    n, m = 400, 90
    clat, clon = rng.uniform(-7.8, -7.2, n), rng.uniform(108.9, 109.5, n)
    slat, slon = rng.uniform(-7.8, -7.2, m), rng.uniform(108.9, 109.5, m)
    reach = rng.choice([0.5, 5.0, 10.0, 15.0, 40.0], n)
    monkeypatch.setattr(candidates, "BLOCK_CELLS", 1_000)  # many blocks, some rows alone
    dense = arcs_within(clat, clon, reach, slat, slon, 1.3)
    monkeypatch.setattr(candidates, "DENSE_PAIRS", 0)
    tree = arcs_within(clat, clon, reach, slat, slon, 1.3)
    assert len(dense) > 0
    np.testing.assert_array_equal(dense.client, tree.client)
    np.testing.assert_array_equal(dense.site, tree.site)
    np.testing.assert_array_equal(dense.distance_km, tree.distance_km)
