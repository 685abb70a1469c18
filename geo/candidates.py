"""Candidate search: which sites lie within each client's reach, as sparse arcs.

A client with a travel limit of ``L`` km of road can only reach sites whose great-circle
distance is at most ``L / road_factor``. Points are put on the unit sphere (x, y, z), where the
straight-line (chord) distance ``c`` and the great-circle distance ``d`` are tied exactly by
``d = 2 R asin(c / 2)``: a chord bound is exact anywhere on Earth (no UTM-zone edge effects for
national data), and each arc's distance comes from its chord without a haversine.

Two searches give the same arcs, chosen by size:

* up to ``DENSE_PAIRS`` client-site pairs (a kabupaten, a Bapas area, one client's
  suggestions): blocks of at most ``BLOCK_CELLS`` pairs compared at once through dot products.
  Row-major ``nonzero`` hands the arcs out already sorted by (client, site), and scipy's
  spatial module (a quarter of a second to import) is never loaded;
* beyond it (a province, the nation): a k-d tree (scipy ``cKDTree``) on clients and one on sites,
  queried with the chord of the largest reach, then one sort on the key ``client * sites + site``.

Nothing of size clients x sites is ever held at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from geo.distance import EARTH_RADIUS_KM

DENSE_PAIRS = 20_000_000
"""Above this many client-site pairs, the k-d trees search (the dense blocks would cost more)."""

BLOCK_CELLS = 2_000_000
"""Pairs compared at once in the dense search (16 MB of float64)."""


@dataclass(frozen=True, slots=True)
class Arcs:
    """Sparse client-to-site arcs, sorted by (client, site).

    Attributes
    ----------
    client, site:
        Indices into the caller's client and site arrays (int32).
    distance_km:
        Estimated road distance (haversine times the road factor), float64.
    """

    client: NDArray[np.int32]
    site: NDArray[np.int32]
    distance_km: NDArray[np.float64]

    def __len__(self) -> int:
        return int(self.client.shape[0])

    def take(self, keep: NDArray[np.bool_] | NDArray[np.intp]) -> Arcs:
        """The arcs selected by a boolean mask or an index array, order kept."""
        return Arcs(self.client[keep], self.site[keep], self.distance_km[keep])

    def find(
        self, client: NDArray[np.integer], site: NDArray[np.integer], n_sites: int
    ) -> NDArray[np.int64]:
        """Index of each (client, site) pair among these (sorted) arcs, or -1 where absent."""
        keys = self.client.astype(np.int64) * n_sites + self.site
        want = np.asarray(client, np.int64) * n_sites + np.asarray(site, np.int64)
        if keys.size == 0:
            return np.full(want.shape, -1, np.int64)
        pos = np.searchsorted(keys, want)
        found = (pos < keys.size) & (keys[np.minimum(pos, keys.size - 1)] == want)
        return np.where(found, pos, -1).astype(np.int64)


def _unit_xyz(lats: NDArray[np.float64], lons: NDArray[np.float64]) -> NDArray[np.float64]:
    p = np.radians(lats)
    lam = np.radians(lons)
    return np.column_stack((np.cos(p) * np.cos(lam), np.cos(p) * np.sin(lam), np.sin(p)))


def arcs_within(
    client_lat: NDArray[np.float64],
    client_lon: NDArray[np.float64],
    reach_km: NDArray[np.float64],
    site_lat: NDArray[np.float64],
    site_lon: NDArray[np.float64],
    road_factor: float,
) -> Arcs:
    """All (client, site) pairs whose road estimate is within the client's ``reach_km``.

    Parameters
    ----------
    client_lat, client_lon, reach_km:
        One entry per client; ``reach_km`` is the road-distance limit.
    site_lat, site_lon:
        One entry per site.
    road_factor:
        Road estimate = great-circle distance x ``road_factor`` (must be >= 1).

    Returns
    -------
    Arcs sorted by client then site; ``distance_km`` is the road estimate.
    """
    if road_factor < 1.0:
        raise ValueError(f"road_factor must be >= 1, got {road_factor}")
    n_c, n_s = len(client_lat), len(site_lat)
    empty = Arcs(np.empty(0, np.int32), np.empty(0, np.int32), np.empty(0, np.float64))
    if n_c == 0 or n_s == 0:
        return empty
    reach = np.asarray(reach_km, np.float64)
    max_gc_km = float(np.max(reach)) / road_factor
    if max_gc_km <= 0:
        return empty
    c_xyz = _unit_xyz(np.asarray(client_lat, np.float64), np.asarray(client_lon, np.float64))
    s_xyz = _unit_xyz(np.asarray(site_lat, np.float64), np.asarray(site_lon, np.float64))
    if n_c * n_s <= DENSE_PAIRS:
        ci, si = _dense_candidates(c_xyz, s_xyz, reach / road_factor)
    else:
        ci, si = _tree_candidates(c_xyz, s_xyz, max_gc_km)
    # the same formula on both paths: the same arcs and the same distances, bit for bit
    diff = c_xyz[ci] - s_xyz[si]
    dist = _arc_km(np.sqrt(np.einsum("ij,ij->i", diff, diff))) * road_factor
    keep = dist <= reach[ci]
    return Arcs(ci[keep], si[keep], dist[keep])


def _arc_km(chord: NDArray[np.float64]) -> NDArray[np.float64]:
    """Great-circle kilometres of unit-sphere chords."""
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.minimum(chord * 0.5, 1.0))


def _chord(gc_km: NDArray[np.float64] | float) -> NDArray[np.float64]:
    """The chord of a great-circle distance, with a small margin for rounding (the exact filter
    on distances makes the margin harmless)."""
    theta = np.minimum(np.asarray(gc_km, np.float64) / EARTH_RADIUS_KM, np.pi)
    return np.asarray(2.0 * np.sin(theta / 2.0) * (1.0 + 1e-9) + 1e-12)


def _dense_candidates(
    c_xyz: NDArray[np.float64], s_xyz: NDArray[np.float64], gc_km: NDArray[np.float64]
) -> tuple[NDArray[np.int32], NDArray[np.int32]]:
    """Pairs within each client's great-circle reach (a superset by a rounding margin), sorted.

    On the unit sphere |c - s|^2 = 2 - 2 c.s, so "chord <= r" is "c.s >= 1 - r^2 / 2"; the
    1e-12 slack covers the cancellation in that form.
    """
    min_dot = 1.0 - _chord(gc_km) ** 2 / 2.0 - 1e-12
    rows = max(1, BLOCK_CELLS // s_xyz.shape[0])
    st = np.ascontiguousarray(s_xyz.T)
    cis, sis = [], []
    for a in range(0, c_xyz.shape[0], rows):
        near = (c_xyz[a : a + rows] @ st) >= min_dot[a : a + rows, None]
        i, j = np.nonzero(near)
        cis.append((i + a).astype(np.int32))
        sis.append(j.astype(np.int32))
    return np.concatenate(cis), np.concatenate(sis)


def _tree_candidates(
    c_xyz: NDArray[np.float64], s_xyz: NDArray[np.float64], max_gc_km: float
) -> tuple[NDArray[np.int32], NDArray[np.int32]]:
    """Pairs within the largest reach, found with two k-d trees, sorted by (client, site)."""
    from scipy.spatial import cKDTree  # only for large inputs: scipy.spatial is slow to import

    pairs = cKDTree(c_xyz).sparse_distance_matrix(
        cKDTree(s_xyz), float(_chord(max_gc_km)), output_type="ndarray"
    )
    key = pairs["i"].astype(np.int64) * s_xyz.shape[0] + pairs["j"]
    order = np.argsort(key)
    return pairs["i"][order].astype(np.int32), pairs["j"][order].astype(np.int32)
