"""A PNG map of a match: kecamatan, sites, assignment lines and unplaced clients."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")  # files only: no screen in a district office server
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from matcher.model import Client, Site
from matcher.result import Result


class _Place(Protocol):
    @property
    def lat(self) -> float: ...
    @property
    def lon(self) -> float: ...
    @property
    def capacity(self) -> int: ...


class _Point(Protocol):
    @property
    def lat(self) -> float: ...
    @property
    def lon(self) -> float: ...


def points(ax: Axes, places: Sequence[_Point], **style: Any) -> None:
    """Draw places (anything with ``lat`` and ``lon``) as one scatter layer in ``style``."""
    ax.scatter([p.lon for p in places], [p.lat for p in places], **style)


def save_map(fig: Figure, ax: Axes, path: Path) -> None:
    """Finish a one-panel map (equal degrees, legend bottom left) and write it as a PNG.

    The match map and the suggestion map share this ending so both files look alike and
    carry no software stamp (the same input gives the same bytes).
    """
    ax.set_aspect("equal")
    ax.legend(loc="lower left", fontsize=7, framealpha=0.9)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)


def draw_registry(
    ax: Axes,
    usable: Sequence[_Place],
    unusable: Sequence[_Place],
    unusable_label: str = "tidak dapat dipakai (belum disetujui / komersial)",
) -> None:
    """Usable sites as green squares sized by capacity, the others as grey crosses."""
    points(
        ax,
        usable,
        s=[10 + 5 * s.capacity for s in usable],
        c="#238b45",
        marker="s",
        edgecolors="white",
        linewidths=0.4,
        label="lokasi kerja (ukuran = kapasitas)",
        zorder=3,
    )
    if unusable:
        points(ax, unusable, s=16, c="#737373", marker="x", label=unusable_label, zorder=3)


def write_map(
    result: Result,
    sites: Sequence[Site],
    clients: Sequence[Client],
    areas: gpd.GeoDataFrame | None,
    path: Path,
    title: str = "",
) -> None:
    """Draw the plan in WGS84 degrees (a district is small enough for that to read well)."""
    fig, ax = plt.subplots(figsize=(10, 9), dpi=110)
    if areas is not None and len(areas):
        areas.plot(ax=ax, facecolor="#f4f1e8", edgecolor="#8c8c8c", linewidth=0.6)
        name_col = "kecamatan" if "kecamatan" in areas.columns else None
        if name_col:
            for name, geom in zip(areas[name_col], areas.geometry, strict=True):
                pt = geom.representative_point()
                ax.annotate(str(name), (pt.x, pt.y), fontsize=6, ha="center", color="#555555")
    site_at = {s.site_id: s for s in sites}
    client_at = {c.client_id: c for c in clients}
    segments = [
        [
            (client_at[p.client_id].lon, client_at[p.client_id].lat),
            (site_at[p.site_id].lon, site_at[p.site_id].lat),
        ]
        for p in result.placements
    ]
    ax.add_collection(LineCollection(segments, colors="#2b8cbe", linewidths=0.5, alpha=0.6))
    usable = [site for site in sites if site.usable]
    unusable = [site for site in sites if not site.usable]
    draw_registry(ax, usable, unusable)
    placed = [client_at[p.client_id] for p in result.placements]
    points(ax, placed, s=5, c="#08519c", label="klien ditempatkan", zorder=4)
    unplaced = [client_at[u.client_id] for u in result.unplaced]
    points(ax, unplaced, s=16, c="#de2d26", marker="^", label="klien belum ditempatkan", zorder=5)
    s = result.summary
    ax.set_title(
        title
        or f"{s.placed} dari {s.clients} klien ditempatkan, rata-rata "
        f"{(s.total_distance_km / max(s.placed, 1)):.1f} km",
        fontsize=11,
    )
    ax.set_xlabel("bujur (lon)")
    ax.set_ylabel("lintang (lat)")
    save_map(fig, ax, path)
