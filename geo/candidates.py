"""Candidate search: which sites lie within each client's reach, as sparse arcs.

A client with a travel limit of ``L`` km of road can only reach sites whose great-circle
distance is at most ``L / road_factor``. Points are put on a local 3-D unit-sphere embedding
(x, y, z on a sphere of radius R), so that a k-d tree (scipy ``cKDTree``) query with the chord
length that corresponds to the largest reach returns a superset of every client's reachable
sites, exactly, anywhere on Earth (no UTM-zone edge effects for national data). The exact
haversine distance then filters each arc against that client's own limit. Nothing dense
(N x M) is ever built.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from geo.distance import EARTH_RADIUS_KM, haversine_km


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
    max_gc_km = float(np.max(reach_km)) / road_factor
    if max_gc_km <= 0:
        return empty
    # Chord length for the largest great-circle reach, with a small margin for rounding;
    # the exact haversine filter below makes the margin harmless.
    theta = min(max_gc_km / EARTH_RADIUS_KM, np.pi)
    chord = 2.0 * np.sin(theta / 2.0) * (1.0 + 1e-9) + 1e-12
    c_xyz = _unit_xyz(np.asarray(client_lat, np.float64), np.asarray(client_lon, np.float64))
    s_xyz = _unit_xyz(np.asarray(site_lat, np.float64), np.asarray(site_lon, np.float64))
    c_tree = cKDTree(c_xyz)
    s_tree = cKDTree(s_xyz)
    pairs = c_tree.sparse_distance_matrix(s_tree, chord, output_type="ndarray")
    ci = pairs["i"].astype(np.int32)
    si = pairs["j"].astype(np.int32)
    order = np.lexsort((si, ci))
    ci, si = ci[order], si[order]
    dist = haversine_km(client_lat[ci], client_lon[ci], site_lat[si], site_lon[si]) * road_factor
    keep = dist <= np.asarray(reach_km, np.float64)[ci]
    return Arcs(ci[keep], si[keep], dist[keep])
