"""Maps for the pages, drawn as inline SVG from the project's own geometry: kecamatan polygons
(:mod:`geo.district`, clipped and moved onto the drawing with shapely), sites, homes and lines.

No tiles and no script: the map is part of the page, so it works in an office without internet.
Every kind of mark has its own shape as well as its own colour (no colour-only signal), the
legend names each shape, and a scale bar gives the distance. Coordinates are WGS84 lon/lat,
drawn with a local equirectangular projection around the view's centre, which at the size of a
kabupaten is off by far less than a marker's width.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape

from markupsafe import Markup
from shapely import affinity
from shapely.geometry import MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry

from geo.district import kecamatan_polygons, load_kecamatan_centres

M_PER_DEG_LAT = 110_574.0
M_PER_DEG_LON = 111_320.0

# kind -> (fill, stroke); the shape is chosen in ``_symbol``.
STYLE = {
    "home": ("#1d4ed8", "#0b1f5c"),
    "suggested": ("#15803d", "#052e16"),
    "full": ("#c2410c", "#431407"),
    "current": ("#7c3aed", "#2e1065"),
    "site": ("#6b7280", "#1f2937"),
    "inactive": ("#ffffff", "#6b7280"),
    "new": ("#b91c1c", "#450a0a"),
}


@dataclass(frozen=True)
class Mark:
    """A point on the map; ``label`` is drawn beside it, ``title`` is its tooltip."""

    lon: float
    lat: float
    kind: str
    label: str = ""
    title: str = ""


@dataclass(frozen=True)
class Area:
    """A polygon with an optional shade (0..1) and a label drawn at its inner point."""

    geometry: BaseGeometry
    name: str
    shade: float = 0.0
    label: str = ""


@dataclass
class MapSpec:
    marks: list[Mark] = field(default_factory=list)
    lines: list[tuple[Mark, Mark]] = field(default_factory=list)
    areas: list[Area] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)  # (kind or "shade", text)
    title: str = ""
    min_span_km: float = 4.0
    fit_areas: bool = False  # frame every area (planning), not only the marks


@lru_cache(maxsize=8)
def district_areas(district: str = "banyumas") -> tuple[tuple[str, BaseGeometry], ...]:
    """The packaged kecamatan polygons of a district (name, lon/lat geometry)."""
    frame = kecamatan_polygons(load_kecamatan_centres(district))
    return tuple(zip(frame["kecamatan"].tolist(), list(frame.geometry), strict=True))


def plain_areas(district: str = "banyumas") -> list[Area]:
    return [Area(geom, name, label=name) for name, geom in district_areas(district)]


def _nice_km(span_km: float) -> float:
    target = span_km / 5
    for step in (0.5, 1, 2, 5, 10, 20, 50):
        if step >= target:
            return float(step)
    return 100.0


def _path(geom: BaseGeometry) -> str:
    polys: Iterable[Polygon]
    if isinstance(geom, Polygon):
        polys = [geom]
    elif isinstance(geom, MultiPolygon):
        polys = list(geom.geoms)
    else:
        return ""
    parts = []
    for p in polys:
        for ring in (p.exterior, *p.interiors):
            pts = [f"{x:.1f},{y:.1f}" for x, y in ring.coords]
            if pts:
                parts.append("M" + " L".join(pts) + " Z")
    return " ".join(parts)


def _symbol(kind: str, x: float, y: float, r: float = 6.0) -> str:
    fill, stroke = STYLE.get(kind, STYLE["site"])
    if kind == "home":
        return (
            f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>'
        )
    if kind == "full":
        d = r * 0.7
        return (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{fill}" stroke="{stroke}" '
            f'stroke-width="1.5"/><path d="M{x - d:.1f},{y - d:.1f} L{x + d:.1f},{y + d:.1f} '
            f'M{x - d:.1f},{y + d:.1f} L{x + d:.1f},{y - d:.1f}" stroke="#fff" stroke-width="2"/>'
        )
    if kind == "current":
        return (
            f'<path d="M{x:.1f},{y - r * 1.3:.1f} L{x + r * 1.3:.1f},{y:.1f} L{x:.1f},'
            f'{y + r * 1.3:.1f} L{x - r * 1.3:.1f},{y:.1f} Z" fill="{fill}" stroke="{stroke}" '
            'stroke-width="1.5"/>'
        )
    if kind == "new":
        h = r * 1.5
        return (
            f'<path d="M{x:.1f},{y - h:.1f} L{x + h:.1f},{y + h * 0.8:.1f} L{x - h:.1f},'
            f'{y + h * 0.8:.1f} Z" fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>'
        )
    if kind == "inactive":
        return (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r * 0.7:.1f}" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="1.5" stroke-dasharray="2 1"/>'
        )
    if kind == "site":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r * 0.55:.1f}" fill="{fill}"/>'
    return (
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{fill}" stroke="{stroke}" '
        'stroke-width="1.5"/>'
    )


def _shade(value: float) -> str:
    """A light-to-dark red fill for 0..1 (the value is also written as a label)."""
    v = min(max(value, 0.0), 1.0)
    g = int(245 - 150 * v)
    return f"rgb(250,{g},{g})"


def draw(spec: MapSpec, *, width: int = 640, height: int = 440, label: str = "") -> Markup:
    """The map as an ``<svg>`` element (role ``img``, labelled by its title)."""
    points = [(m.lon, m.lat) for m in spec.marks]
    if spec.fit_areas or not points:
        for area in spec.areas:
            b = area.geometry.bounds
            points += [(b[0], b[1]), (b[2], b[3])]
    if points:
        lons = [p[0] for p in points]
        lats = [p[1] for p in points]
        minx, maxx, miny, maxy = min(lons), max(lons), min(lats), max(lats)
    else:
        minx, miny, maxx, maxy = 109.0, -7.6, 109.4, -7.3
    lat0 = (miny + maxy) / 2
    kx = M_PER_DEG_LON * math.cos(math.radians(lat0))
    min_span = spec.min_span_km * 1000
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    span_x = max((maxx - minx) * kx, min_span) * 1.15
    span_y = max((maxy - miny) * M_PER_DEG_LAT, min_span) * 1.15
    legend_h = 22 * ((len(spec.legend) + 1) // 2) + 10 if spec.legend else 0
    plot_h = height - legend_h
    scale = min(width / span_x, plot_h / span_y)  # pixels per metre
    a = kx * scale
    e = -M_PER_DEG_LAT * scale
    xoff = width / 2 - cx * a
    yoff = plot_h / 2 - cy * e

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return lon * a + xoff, lat * e + yoff

    title = escape(spec.title or label)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="map" role="img" aria-labelledby="map-title"><title id="map-title">{title}</title>',
        f'<rect x="0" y="0" width="{width}" height="{plot_h}" fill="#f8fafc" stroke="#cbd5e1"/>',
    ]
    view = box(0, 0, width, plot_h)
    texts = []
    for area in spec.areas:
        g = affinity.affine_transform(area.geometry, [a, 0, 0, e, xoff, yoff])
        if not g.intersects(view):
            continue
        clipped = g.intersection(view)
        fill = _shade(area.shade) if area.shade > 0 else "#eef2f7"
        out.append(
            f'<path d="{_path(clipped)}" fill="{fill}" stroke="#94a3b8" stroke-width="0.8">'
            f"<title>{escape(area.name)}</title></path>"
        )
        if area.label:
            p = clipped.representative_point()
            texts.append(
                f'<text x="{p.x:.1f}" y="{p.y:.1f}" class="area-label" text-anchor="middle">'
                f"{escape(area.label)}</text>"
            )
    out.extend(texts)
    for m1, m2 in spec.lines:
        x1, y1 = xy(m1.lon, m1.lat)
        x2, y2 = xy(m2.lon, m2.lat)
        out.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#334155" '
            'stroke-width="1.2" stroke-dasharray="4 3"/>'
        )
    order = {"site": 0, "inactive": 1, "full": 2, "suggested": 3, "current": 4, "new": 5}
    for m in sorted(spec.marks, key=lambda m: order.get(m.kind, 6)):
        x, y = xy(m.lon, m.lat)
        sym = _symbol(m.kind, x, y)
        tip = f"<title>{escape(m.title)}</title>" if m.title else ""
        out.append(f'<g class="mark mark-{m.kind}">{sym}{tip}</g>')
        if m.label:
            out.append(
                f'<text x="{x + 9:.1f}" y="{y + 4:.1f}" class="mark-label">{escape(m.label)}</text>'
            )
    # scale bar
    km = _nice_km(span_x / 1000)
    bar = km * 1000 * scale
    y0 = plot_h - 14
    out.append(
        f'<g class="scale"><rect x="10" y="{y0 - 12}" width="{bar + 50:.1f}" height="22" '
        f'fill="#ffffff" opacity="0.85"/><path d="M16,{y0} L{16 + bar:.1f},{y0} M16,{y0 - 5} '
        f'L16,{y0 + 3} M{16 + bar:.1f},{y0 - 5} L{16 + bar:.1f},{y0 + 3}" stroke="#0f172a" '
        f'stroke-width="2"/><text x="{22 + bar:.1f}" y="{y0 + 4}" class="mark-label">'
        f"{km:g} km</text></g>"
    )
    # legend, two columns under the map
    for i, (kind, text) in enumerate(spec.legend):
        lx = 16 + (i % 2) * (width / 2)
        ly = plot_h + 18 + (i // 2) * 22
        if kind == "shade":
            sym = (
                f'<rect x="{lx - 7}" y="{ly - 7}" width="14" height="14" fill="{_shade(0.8)}" '
                'stroke="#94a3b8"/>'
            )
        else:
            sym = _symbol(kind, lx, ly)
        out.append(
            f'<g class="legend">{sym}<text x="{lx + 14}" y="{ly + 4}" class="legend-text">'
            f"{escape(text)}</text></g>"
        )
    out.append("</svg>")
    return Markup("".join(out))
