"""A map of sites drawn offline as SVG: over a user's GeoJSON basemap, or on bare axes.

No tiles and no network: the people who use this work where neither can be assumed, and
burial-site coordinates must not leave the machine in a tile request. Coordinates are
restricted, so a map built from public site rows shows only the basemap and says how many
sites it cannot place.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from ..errors import CeasefireError
from .model import SiteStatus
from .views import SiteRow

STATUS_COLOUR = {
    SiteStatus.REPORTED: "#1f77b4", SiteStatus.ASSIGNED: "#17becf",
    SiteStatus.SEARCHING: "#ff7f0e", SiteStatus.EXCAVATING: "#d62728",
    SiteStatus.RECOVERED: "#2ca02c", SiteStatus.NOTHING_FOUND: "#7f7f7f",
    SiteStatus.INACCESSIBLE: "#9467bd", SiteStatus.CLOSED: "#bcbd22",
}
METRES_PER_DEGREE = 111_320.0


def load_basemap(path: str | Path) -> dict[str, Any]:
    """Read a GeoJSON file (FeatureCollection, Feature or geometry); clear errors if not."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CeasefireError("basemap file not found", where=str(p)) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CeasefireError(f"not a GeoJSON file: {exc}", where=str(p)) from None
    if not isinstance(data, dict) or "type" not in data:
        raise CeasefireError("expected a GeoJSON object with a `type`", where=str(p))
    try:
        list(_coords(data))
    except (TypeError, ValueError, KeyError, IndexError) as exc:
        raise CeasefireError(f"malformed GeoJSON geometry: {exc}", where=str(p)) from None
    return data


def _geometries(obj: dict[str, Any]) -> Iterator[dict[str, Any]]:
    kind = obj.get("type")
    if kind == "FeatureCollection":
        for f in obj.get("features", []):
            yield from _geometries(f)
    elif kind == "Feature":
        if obj.get("geometry"):
            yield from _geometries(obj["geometry"])
    elif kind == "GeometryCollection":
        for g in obj.get("geometries", []):
            yield from _geometries(g)
    elif kind in ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon",
                  "MultiPolygon"):
        yield obj
    else:
        raise ValueError(f"unknown GeoJSON type {kind!r}")


def _rings(g: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Every line of a geometry as (lon, lat) lists; points are one-point lines."""
    c, kind = g["coordinates"], g["type"]
    if kind == "Point":
        return [[(float(c[0]), float(c[1]))]]
    if kind in ("MultiPoint", "LineString"):
        return [[(float(x[0]), float(x[1])) for x in c]]
    if kind in ("MultiLineString", "Polygon"):
        return [[(float(x[0]), float(x[1])) for x in ring] for ring in c]
    return [[(float(x[0]), float(x[1])) for x in ring] for poly in c for ring in poly]


def _coords(obj: dict[str, Any]) -> Iterator[tuple[float, float]]:
    for g in _geometries(obj):
        for ring in _rings(g):
            yield from ring


class _Projection:
    """Equirectangular, scaled by the cosine of the mid latitude: fine at city scale."""

    def __init__(self, points: list[tuple[float, float]], width: int, height: int,
                 margin: int) -> None:
        lons = [p[0] for p in points] or [0.0]
        lats = [p[1] for p in points] or [0.0]
        self.lon0, self.lat1 = min(lons), max(lats)
        mid = math.radians((min(lats) + max(lats)) / 2)
        self.kx = max(math.cos(mid), 0.01)
        span_x = max((max(lons) - self.lon0) * self.kx, 1e-6)
        span_y = max(self.lat1 - min(lats), 1e-6)
        self.scale = min((width - 2 * margin) / span_x, (height - 2 * margin) / span_y)
        self.margin = margin

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return (self.margin + (lon - self.lon0) * self.kx * self.scale,
                self.margin + (self.lat1 - lat) * self.scale)

    def metres(self, m: float) -> float:
        return m / METRES_PER_DEGREE * self.scale


def site_map_svg(rows: list[SiteRow], basemap: dict[str, Any] | None = None, *,
                 width: int = 800, height: int = 600, title: str = "Sites") -> str:
    """The sites that carry coordinates, coloured by status, with their uncertainty."""
    placed = [r for r in rows if r.coordinates is not None]
    points: list[tuple[float, float]] = []
    for r in placed:
        c = r.coordinates
        assert c is not None
        points.append((c.lon, c.lat))
        pad = (c.radius_m or 0) / METRES_PER_DEGREE
        points += [(c.lon - pad, c.lat - pad), (c.lon + pad, c.lat + pad)]
    if basemap is not None:
        points += list(_coords(basemap))
    proj = _Projection(points, width, height, margin=30)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
           f"<title>{escape(title)}</title>",
           f'<rect width="{width}" height="{height}" fill="#ffffff"/>']
    if basemap is not None:
        out.append('<g class="basemap" fill="#eeeeee" stroke="#999999" stroke-width="1">')
        for g in _geometries(basemap):
            for ring in _rings(g):
                xy = [proj(*p) for p in ring]
                if g["type"] in ("Point", "MultiPoint"):
                    out += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2"/>' for x, y in xy]
                    continue
                d = "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in xy)
                if g["type"] in ("Polygon", "MultiPolygon"):
                    out.append(f'<path d="{d} Z"/>')
                else:
                    out.append(f'<path d="{d}" fill="none"/>')
        out.append("</g>")
    else:
        out.append(f'<g class="axes" stroke="#cccccc"><rect x="30" y="30" '
                   f'width="{width - 60}" height="{height - 60}" fill="none"/></g>')
    out.append('<g class="sites">')
    for r in placed:
        c = r.coordinates
        assert c is not None
        x, y = proj(c.lon, c.lat)
        colour = STATUS_COLOUR[r.status]
        label = escape(f"{r.site} — {r.status.value}")
        if c.radius_m:
            radius = max(proj.metres(c.radius_m), 1)
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{colour}" '
                       f'fill-opacity="0.15" stroke="{colour}"/>')
        out.append(f'<circle class="site" data-site="{escape(r.site)}" cx="{x:.1f}" '
                   f'cy="{y:.1f}" r="5" fill="{colour}"><title>{label}</title></circle>')
        out.append(f'<text x="{x + 7:.1f}" y="{y + 4:.1f}" font-size="11" '
                   f'font-family="sans-serif">{escape(r.site)}</text>')
    out.append("</g>")
    hidden = len(rows) - len(placed)
    if hidden:
        out.append(f'<text x="10" y="{height - 10}" font-size="12" font-family="sans-serif">'
                   f"{hidden} site{'s' if hidden != 1 else ''} without coordinates shown "
                   "(restricted, or described only)</text>")
    out.append("</svg>")
    return "\n".join(out) + "\n"
