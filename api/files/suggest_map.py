"""One client's suggestions as a map (PNG) and as GeoJSON: the home, the ranked sites, the
eligible sites that are full, and the travel limit as a circle.

The circle is the straight-line radius the candidate search uses (the road limit divided by
the policy's road factor), drawn as a geodesic polygon of 72 points.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from pyproj import Geod

from api.files.maps import points, save_map
from geo.io import write_geojson
from matcher.model import Client, Site
from matcher.pipeline import Suggestions

_GEOD = Geod(ellps="WGS84")
CIRCLE_POINTS = 72


def limit_circle(lat: float, lon: float, radius_km: float) -> list[list[float]]:
    """A closed ring ``[[lon, lat], ...]`` at ``radius_km`` around the point."""
    ring = []
    for k in range(CIRCLE_POINTS):
        lo, la, _ = _GEOD.fwd(lon, lat, 360.0 * k / CIRCLE_POINTS, radius_km * 1000.0)
        ring.append([round(lo, 6), round(la, 6)])
    ring.append(ring[0])
    return ring


@dataclass(frozen=True, slots=True)
class SuggestionView:
    """What the map and the GeoJSON of one client's suggestions both show: the client, the
    registry, the suggestions and the travel limit (as the crow flies, and by road)."""

    client: Client
    sites: Sequence[Site]
    sg: Suggestions
    radius_km: float
    reach_km: float


def suggestion_features(view: SuggestionView) -> list[dict[str, Any]]:
    """GeoJSON features: the limit (Polygon), the home, each ranked site, each full site.

    The home is the client's address: the file is for the Bapas' own use, not publication.
    """
    at = {s.site_id: s for s in view.sites}

    def point(lat: float, lon: float, props: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
            "properties": props,
        }

    features: list[dict[str, Any]] = [
        {
            "type": "Feature",
            "geometry": {
                "type": "Polygon",
                "coordinates": [limit_circle(view.client.lat, view.client.lon, view.radius_km)],
            },
            "properties": {"role": "travel_limit", "max_travel_km": view.reach_km},
        },
        point(
            view.client.lat, view.client.lon, {"role": "home", "client_id": view.client.client_id}
        ),
    ]
    for rank, x in enumerate(view.sg.ranked, 1):
        s = at[x.site_id]
        features.append(
            point(
                s.lat,
                s.lon,
                {
                    "role": "suggested",
                    "rank": rank,
                    "site_id": s.site_id,
                    "name": s.name,
                    "kind": s.kind,
                    "distance_km": x.distance_km,
                    "free": x.room,
                },
            )
        )
    for site_id in view.sg.eligible_full:
        s = at[site_id]
        features.append(point(s.lat, s.lon, {"role": "full", "site_id": s.site_id, "name": s.name}))
    return features


def write_suggestion_geojson(view: SuggestionView, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_geojson(suggestion_features(view), path)


def write_suggestion_map(view: SuggestionView, path: Path, lang: str = "id") -> None:
    """The map in WGS84 degrees around the travel limit."""
    en = lang == "en"
    at = {s.site_id: s for s in view.sites}
    fig, ax = plt.subplots(figsize=(8, 8), dpi=110)
    ring = limit_circle(view.client.lat, view.client.lon, view.radius_km)
    ax.fill(
        [p[0] for p in ring],
        [p[1] for p in ring],
        facecolor="#f4f1e8",
        edgecolor="#8c8c8c",
        linewidth=1.0,
        label=(
            f"travel limit {view.reach_km:g} km"
            if en
            else f"batas jarak tempuh {view.reach_km:g} km"
        ),
    )
    others = [s for s in view.sites if s.site_id not in {x.site_id for x in view.sg.ranked}]
    others = [s for s in others if s.site_id not in set(view.sg.eligible_full)]
    points(
        ax,
        others,
        s=10,
        c="#bdbdbd",
        marker="x",
        label="other sites" if en else "lokasi lain",
        zorder=2,
    )
    full = [at[i] for i in view.sg.eligible_full]
    if full:
        points(
            ax,
            full,
            s=40,
            c="#fd8d3c",
            marker="s",
            label="eligible but full" if en else "memenuhi syarat tetapi penuh",
            zorder=3,
        )
    ranked = [at[x.site_id] for x in view.sg.ranked]
    points(
        ax,
        ranked,
        s=60,
        c="#238b45",
        marker="s",
        edgecolors="white",
        label="suggested (rank)" if en else "saran (peringkat)",
        zorder=4,
    )
    for k, s in enumerate(ranked, 1):
        ax.annotate(
            f"{k}. {s.name}", (s.lon, s.lat), fontsize=7, xytext=(5, 4), textcoords="offset points"
        )
    points(
        ax,
        [view.client],
        s=90,
        c="#08519c",
        marker="*",
        label="home" if en else "rumah klien",
        zorder=5,
    )
    lons = [p[0] for p in ring]
    lats = [p[1] for p in ring]
    pad = 0.1 * (max(lats) - min(lats))
    ax.set_xlim(min(lons) - pad, max(lons) + pad)
    ax.set_ylim(min(lats) - pad, max(lats) + pad)
    title = (
        f"Suggestions for {view.client.client_id}"
        if en
        else f"Saran lokasi untuk {view.client.client_id}"
    )
    ax.set_title(title, fontsize=11)
    ax.set_xlabel("longitude (lon)" if en else "bujur (lon)")
    ax.set_ylabel("latitude (lat)" if en else "lintang (lat)")
    save_map(fig, ax, path)
