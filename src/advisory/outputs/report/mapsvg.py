"""The report map: an inline SVG drawn from the shipped geometry, no tiles, no network.

Mali's outline and district boundaries (simplified copies in `advisory/data/geometry/`), roads as
lines and places as markers coloured *and* shaped or dashed by personal-security level, the
capital marked, labels placed greedily without overlap, a scale bar, a north arrow, a legend and
an inset of the whole country showing the map's frame. The frame is the extent of the assessed
places with a margin, so a gazetteer elsewhere gets its own framing.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ...engine import DATA_DIR, Run
from ...geo import KM_PER_DEG
from . import svg
from .i18n import level_label

GEOMETRY_DIR = DATA_DIR / "geometry"
WIDTH = 800.0  # SVG user units; the figure scales to the page or screen width
MARGIN = 0.07  # share of the frame added on each side around the assessed places
MIN_SPAN_KM = 60.0  # a single place still gets a readable frame
STRIP = 200.0  # legend and inset band under the map
LABEL_SIZE = 11.0
SCALE_STEPS_KM = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)


@lru_cache(maxsize=4)
def _load(name: str) -> list[dict[str, Any]]:
    path = Path(GEOMETRY_DIR / name)
    return json.loads(path.read_text("utf-8"))["features"]


def _rings(geom: dict[str, Any]) -> list[np.ndarray]:
    polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
    return [np.asarray(r, dtype=np.float64) for poly in polys for r in poly]


@dataclass
class Projection:
    """Equirectangular at the frame's middle latitude: at a few hundred km the distortion is far
    below what a reader sees, and distances on the scale bar stay true to ~1 %."""

    lat_top: float
    lon_left: float
    kx: float
    scale: float  # SVG units per degree of latitude
    width: float
    height: float

    @classmethod
    def fit(
        cls, south: float, west: float, north: float, east: float, width: float, height: float
    ) -> Projection:
        kx = math.cos(math.radians((south + north) / 2))
        span_x = (east - west) * kx
        span_y = north - south
        scale = min(width / span_x, height / span_y)
        # centre the data in the box: extend the shorter side
        lon_pad = (width / scale / kx - (east - west)) / 2
        lat_pad = (height / scale - span_y) / 2
        return cls(north + lat_pad, west - lon_pad, kx, scale, width, height)

    def xy(self, lat: Any, lon: Any) -> tuple[Any, Any]:
        return (np.asarray(lon) - self.lon_left) * self.kx * self.scale, (
            self.lat_top - np.asarray(lat)
        ) * self.scale

    @property
    def units_per_km(self) -> float:
        return self.scale / KM_PER_DEG

    def bounds(self) -> tuple[float, float, float, float]:
        south = self.lat_top - self.height / self.scale
        east = self.lon_left + self.width / self.scale / self.kx
        return south, self.lon_left, self.lat_top, east


def _path(proj: Projection, rings: list[np.ndarray], dx: float = 0, dy: float = 0) -> str:
    s, w, n, e = proj.bounds()
    parts = []
    for ring in rings:
        lon, lat = ring[:, 0], ring[:, 1]
        if lon.max() < w or lon.min() > e or lat.max() < s or lat.min() > n:
            continue
        x, y = proj.xy(lat, lon)
        xy = np.round(np.column_stack([x + dx, y + dy]), 1)
        keep = np.ones(len(xy), dtype=bool)
        keep[1:] = np.any(xy[1:] != xy[:-1], axis=1)
        xy = xy[keep]
        if len(xy) < 3:
            continue
        pts = " ".join(f"{svg.num(a)} {svg.num(b)}" for a, b in xy)
        parts.append(f"M{pts}Z")
    return "".join(parts)


def _frame(run: Run) -> tuple[float, float, float, float]:
    lat = np.array([c[0] for p in run.gazetteer.places for c in p.coords])
    lon = np.array([c[1] for p in run.gazetteer.places for c in p.coords])
    south, north = float(lat.min()), float(lat.max())
    west, east = float(lon.min()), float(lon.max())
    mid = (south + north) / 2
    kx = math.cos(math.radians(mid))
    min_deg = MIN_SPAN_KM / KM_PER_DEG
    pad_y = max((north - south) * MARGIN, (min_deg - (north - south)) / 2, 0.0)
    pad_x = max((east - west) * MARGIN, (min_deg / kx - (east - west)) / 2, 0.0)
    return south - pad_y, west - pad_x, north + pad_y, east + pad_x


def _nice_km(units_per_km: float, target_units: float) -> int:
    best = SCALE_STEPS_KM[0]
    for km in SCALE_STEPS_KM:
        if km * units_per_km <= target_units:
            best = km
    return best


def _label_box(x: float, y: float, name: str, where: str, size: float):
    w = 0.6 * size * len(name) + 2
    h = size * 1.1
    gap = 7.0
    if where == "right":
        return (x + gap, y - h / 2, x + gap + w, y + h / 2), x + gap, y + size * 0.35, "start"
    if where == "left":
        return (x - gap - w, y - h / 2, x - gap, y + h / 2), x - gap, y + size * 0.35, "end"
    if where == "above":
        return (x - w / 2, y - gap - h, x + w / 2, y - gap), x, y - gap - 2, "middle"
    return (x - w / 2, y + gap, x + w / 2, y + gap + h), x, y + gap + size * 0.85, "middle"


def _overlaps(box, boxes) -> bool:
    x0, y0, x1, y1 = box
    return any(x0 < b[2] and b[0] < x1 and y0 < b[3] and b[1] < y1 for b in boxes)


KIND_RANK = {"capital": 0, "city": 1, "town": 2, "airport": 3, "border_crossing": 3}


def map_svg(run: Run, lang: str, t) -> str:
    """The whole figure as an SVG string (all outside text escaped)."""
    a = run.assessment
    levels = {loc.id: loc.personal_security.level for loc in a.locations}
    labels = run.pack.info.levels
    south, west, north, east = _frame(run)
    kx = math.cos(math.radians((south + north) / 2))
    aspect = ((north - south) / ((east - west) * kx)) if east > west else 1.0
    height = round(WIDTH * min(max(aspect, 0.72), 1.15))
    proj = Projection.fit(south, west, north, east, WIDTH, height)
    total_h = height + STRIP
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {svg.num(WIDTH)} '
        f'{svg.num(total_h)}" class="map" role="img" aria-labelledby="map-title" '
        'font-family="DejaVu Sans, Verdana, Arial, sans-serif">',
        f'<title id="map-title">{svg.esc(t("map"))}</title>',
        f'<defs><clipPath id="map-clip"><rect x="0" y="0" width="{svg.num(WIDTH)}" '
        f'height="{svg.num(height)}"/></clipPath></defs>',
        f'<rect x="0" y="0" width="{svg.num(WIDTH)}" height="{svg.num(height)}" fill="#e6e6e1"/>',
        '<g clip-path="url(#map-clip)">',
    ]
    outline = [r for f in _load("mali_outline.geojson") for r in _rings(f["geometry"])]
    districts = [r for f in _load("mali_districts.geojson") for r in _rings(f["geometry"])]
    out.append(f'<path d="{_path(proj, outline)}" fill="#fbfbf7" stroke="none"/>')
    out.append(
        f'<path d="{_path(proj, districts)}" fill="none" stroke="#a9a9a2" '
        'stroke-width="0.7" stroke-dasharray="4 2"/>'
    )
    out.append(f'<path d="{_path(proj, outline)}" fill="none" stroke="#4a4a4a" stroke-width="2"/>')
    places = run.gazetteer.places
    # roads, lowest level first so the worst are drawn on top
    routes = sorted((p for p in places if p.is_route), key=lambda p: (levels[p.id], p.id))
    for p in routes:
        lat = np.array([c[0] for c in p.coords])
        lon = np.array([c[1] for c in p.coords])
        x, y = proj.xy(lat, lon)
        d = "M" + " ".join(f"{svg.num(a)} {svg.num(b)}" for a, b in zip(x, y, strict=True))
        out.append(svg.road(levels[p.id], d))
    points = [p for p in places if not p.is_route]
    boxes: list[tuple[float, float, float, float]] = []
    pos = {}
    for p in points:
        x, y = proj.xy(p.lat, p.lon)
        pos[p.id] = (float(x), float(y))
        boxes.append((float(x) - 5, float(y) - 5, float(x) + 5, float(y) + 5))
    for p in sorted(points, key=lambda p: (levels[p.id], p.id)):
        x, y = pos[p.id]
        out.append(svg.marker(levels[p.id], x, y))
    cap = run.gazetteer.capital()
    if cap is not None:
        x, y = pos.get(cap.id, proj.xy(cap.lat, cap.lon))
        out.append(_star(float(x), float(y), 9.5))
    # labels: the capital, then cities and towns, worst first; skip any that would overlap
    order = sorted(
        points,
        key=lambda p: (KIND_RANK.get(p.kind, 4), -levels[p.id], -(p.population or 0), p.id),
    )
    texts = []
    for p in order:
        x, y = pos[p.id]
        size = LABEL_SIZE * (1.25 if p.kind == "capital" else 1.0)
        for where in ("right", "left", "above", "below"):
            box, tx, ty, anchor = _label_box(x, y, p.name, where, size)
            inside = box[0] >= 2 and box[1] >= 2 and box[2] <= WIDTH - 2 and box[3] <= height - 2
            if inside and not _overlaps(box, boxes):
                boxes.append(box)
                weight = "bold" if p.kind in ("capital", "city") else "normal"
                texts.append(svg.text(tx, ty, p.name, size=size, anchor=anchor, weight=weight))
                break
    out += texts
    out.append("</g>")
    out.append(
        f'<rect x="0.5" y="0.5" width="{svg.num(WIDTH - 1)}" height="{svg.num(height - 1)}" '
        'fill="none" stroke="#333" stroke-width="1"/>'
    )
    out.append(_scale_bar(proj, height))
    out.append(_north(t))
    out.append(_legend(height, lang, labels, t))
    out.append(_inset(proj, height, cap, t))
    out.append("</svg>")
    return "".join(out)


def _star(x: float, y: float, r: float) -> str:
    pts = []
    for k in range(10):
        ang = -math.pi / 2 + k * math.pi / 5
        rr = r if k % 2 == 0 else r * 0.45
        pts.append(f"{svg.num(x + rr * math.cos(ang))},{svg.num(y + rr * math.sin(ang))}")
    return f'<polygon points="{" ".join(pts)}" fill="#111" stroke="#fff" stroke-width="1.2"/>'


def _scale_bar(proj: Projection, height: float) -> str:
    upk = proj.units_per_km
    km = _nice_km(upk, WIDTH / 5)
    length = km * upk
    x0, y0 = 16.0, height - 18.0
    half = length / 2
    return (
        f'<rect x="{svg.num(x0 - 6)}" y="{svg.num(y0 - 20)}" width="{svg.num(length + 12 + 40)}" '
        'height="30" fill="#fff" fill-opacity="0.85"/>'
        f'<rect x="{svg.num(x0)}" y="{svg.num(y0)}" width="{svg.num(half)}" height="5" '
        'fill="#111"/>'
        f'<rect x="{svg.num(x0 + half)}" y="{svg.num(y0)}" width="{svg.num(half)}" height="5" '
        'fill="#fff" stroke="#111" stroke-width="1"/>'
        + svg.text(x0, y0 - 4, "0", size=10, halo=False)
        + svg.text(x0 + length, y0 - 4, f"{km} km", size=10, anchor="middle", halo=False)
    )


def _north(t) -> str:
    x, y = 28.0, 20.0
    return (
        f'<polygon points="{x},{y} {x + 7},{y + 20} {x},{y + 15} {x - 7},{y + 20}" '
        'fill="#111" stroke="#fff" stroke-width="1"/>'
        + svg.text(x, y + 34, t("map.north"), size=11, anchor="middle", weight="bold")
    )


def _legend(height: float, lang: str, labels: list[str], t) -> str:
    y0 = height + 22
    out = [svg.text(8, y0, t("map.legend.places"), size=12, weight="bold", halo=False)]
    for i, level in enumerate(range(1, 6)):
        x = 14 + i * 104
        out.append(svg.marker(level, x, y0 + 20))
        out.append(svg.text(x + 11, y0 + 24, level_label(level, lang, labels), size=11, halo=False))
    y1 = y0 + 50
    out.append(svg.text(8, y1, t("map.legend.roads"), size=12, weight="bold", halo=False))
    for i, level in enumerate(range(1, 6)):
        x = 8 + i * 104
        out.append(svg.road(level, f"M{x} {y1 + 16} h30"))
        out.append(svg.text(x + 36, y1 + 20, level_label(level, lang, labels), size=11, halo=False))
    y2 = y1 + 48
    out.append(_star(16, y2, 8))
    out.append(svg.text(30, y2 + 4, t("map.legend.capital"), size=11, halo=False))
    out.append(f'<path d="M150 {y2} h30" stroke="#4a4a4a" stroke-width="2"/>')
    out.append(svg.text(186, y2 + 4, t("map.legend.border"), size=11, halo=False))
    out.append(
        f'<path d="M330 {y2} h30" stroke="#a9a9a2" stroke-width="0.9" stroke-dasharray="4 2"/>'
    )
    out.append(svg.text(366, y2 + 4, t("map.legend.district"), size=11, halo=False))
    return '<g class="legend">' + "".join(out) + "</g>"


def _inset(main: Projection, height: float, cap, t) -> str:
    """All of Mali, with the main map's frame drawn on it."""
    feats = _load("mali_outline.geojson")
    rings = [r for f in feats for r in _rings(f["geometry"])]
    lon = np.concatenate([r[:, 0] for r in rings])
    lat = np.concatenate([r[:, 1] for r in rings])
    size = STRIP - 26
    x0, y0 = WIDTH - size - 6, height + 14
    proj = Projection.fit(
        float(lat.min()), float(lon.min()), float(lat.max()), float(lon.max()), size, size
    )
    s, w, n, e = main.bounds()
    fx0, fy0 = proj.xy(n, w)
    fx1, fy1 = proj.xy(s, e)
    out = [
        f'<g class="inset"><rect x="{svg.num(x0)}" y="{svg.num(y0)}" width="{svg.num(size)}" '
        f'height="{svg.num(size)}" fill="#fff" stroke="#333" stroke-width="0.8"/>',
        f'<path d="{_path(proj, rings, x0, y0)}" fill="#f1f1ec" stroke="#4a4a4a" '
        'stroke-width="1"/>',
        f'<rect x="{svg.num(x0 + fx0)}" y="{svg.num(y0 + fy0)}" width="{svg.num(fx1 - fx0)}" '
        f'height="{svg.num(fy1 - fy0)}" fill="none" stroke="#111" stroke-width="1.6"/>',
    ]
    if cap is not None:
        cx, cy = proj.xy(cap.lat, cap.lon)
        out.append(_star(x0 + float(cx), y0 + float(cy), 4.5))
    out.append(svg.text(x0 + 6, y0 + 14, t("map.inset"), size=11, weight="bold", halo=False))
    out.append(
        svg.text(x0 + float(fx1) + 4, y0 + float(fy0) - 3, t("map.inset.frame"), size=9, halo=True)
    )
    out.append("</g>")
    return "".join(out)
