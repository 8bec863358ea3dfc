"""The report map: an inline SVG drawn from the assessment's coordinates, no tiles, no network.

Places are drawn at their `lat`/`lon`, roads along their `line`, each coloured *and* shaped or
dashed by personal-security level; the capital is starred and labels are placed greedily
without overlap (maplabels.py). Around them: the country's outline and district boundaries
(simplified copies shipped in `advisory/data/geometry/`, read through `advisory.resources`), a
scale bar, a north arrow, and beside the map a legend and an inset of the whole country showing
the map's frame. A road's line is simplified to what the figure can show (Douglas-Peucker at a
fraction of an SVG unit, in shapely), so a road surveyed to a million vertices costs a fraction
of a second and a few hundred points, not every vertex.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from ...assessment.model import Assessment, Location
from ...geo import KM_PER_DEG
from ...resources import PACKAGE_DIR
from . import svg
from .i18n import level_label, translator
from .maplabels import place_labels

GEOMETRY_DIR = PACKAGE_DIR / "data" / "geometry"
MAP_W = 760.0  # SVG units; the figure scales to the page or screen width
OUTLINE, DISTRICTS = "mali_outline.geojson", "mali_districts.geojson"
SIDE = 250.0  # legend and inset column beside the map
MARGIN = 0.07  # share of the frame added on each side around the assessed places
MIN_SPAN_KM = 60.0  # a single place still gets a readable frame
TOLERANCE = 0.4  # SVG units a simplified road may stray from its line
SCALE_STEPS_KM = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)


@lru_cache(maxsize=4)
def _load(name: str) -> list[dict[str, Any]]:
    return json.loads((GEOMETRY_DIR / name).read_text("utf-8"))["features"]


def _rings(features: list[dict[str, Any]]) -> list[np.ndarray]:
    out = []
    for f in features:
        geom = f["geometry"]
        polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        out += [np.asarray(r, dtype=np.float64) for poly in polys for r in poly]
    return out


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
        scale = min(width / ((east - west) * kx), height / (north - south))
        lon_pad = (width / scale / kx - (east - west)) / 2  # centre the data in the box
        lat_pad = (height / scale - (north - south)) / 2
        return cls(north + lat_pad, west - lon_pad, kx, scale, width, height)

    def xy(self, lat: Any, lon: Any) -> tuple[Any, Any]:
        x = (np.asarray(lon) - self.lon_left) * self.kx * self.scale
        return x, (self.lat_top - np.asarray(lat)) * self.scale

    @property
    def units_per_km(self) -> float:
        return self.scale / KM_PER_DEG

    def bounds(self) -> tuple[float, float, float, float]:
        south = self.lat_top - self.height / self.scale
        return south, self.lon_left, self.lat_top, self.lon_left + self.width / self.scale / self.kx


def _points(xy: np.ndarray) -> str:
    return " ".join(f"{svg.num(a)} {svg.num(b)}" for a, b in xy)


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
        if keep.sum() >= 3:
            parts.append(f"M{_points(xy[keep])}Z")
    return "".join(parts)


def road_path(proj: Projection, line: np.ndarray) -> str:
    """A road's SVG path, simplified to within TOLERANCE units of its line."""
    import shapely

    x, y = proj.xy(line[:, 0], line[:, 1])
    xy = np.column_stack([x, y])
    if len(xy) > 2:
        simple = shapely.simplify(shapely.LineString(xy), TOLERANCE, preserve_topology=False)
        xy = shapely.get_coordinates(simple)
    return "M" + _points(np.round(xy, 1))


def _line(loc: Location) -> np.ndarray:
    return np.asarray(loc.line if loc.is_road else [(loc.lat, loc.lon)], dtype=np.float64)


def _frame(a: Assessment) -> tuple[float, float, float, float]:
    boxes = [
        (ln[:, 0].min(), ln[:, 1].min(), ln[:, 0].max(), ln[:, 1].max())
        for ln in map(_line, a.locations)
    ]
    if not boxes:
        boxes = [(12.65, -8.0, 12.65, -8.0)]
    south, west = min(b[0] for b in boxes), min(b[1] for b in boxes)
    north, east = max(b[2] for b in boxes), max(b[3] for b in boxes)
    kx = math.cos(math.radians((south + north) / 2))
    min_deg = MIN_SPAN_KM / KM_PER_DEG
    pad_y = max((north - south) * MARGIN, (min_deg - (north - south)) / 2, 0.0)
    pad_x = max((east - west) * MARGIN, (min_deg / kx - (east - west)) / 2, 0.0)
    return south - pad_y, west - pad_x, north + pad_y, east + pad_x


def _layers(points: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """Markers in drawing order, split into layers in which no two overlap: a marker goes one
    layer above the highest layer of the earlier markers it overlaps. Every overlapping pair is
    still painted in order and the markers of a layer cannot touch, so a layer drawn as one
    path (its fills, then its outlines) paints what the markers drawn one by one paint. In a
    dense cluster a marker covers the outlines of the ones below it, as it did; one path for
    all would draw every outline over every fill, and a cluster would turn black."""
    reach = svg.MARKER_REACH
    cell: dict[tuple[int, int], list[tuple[float, float, int]]] = {}
    layers: list[list[tuple[float, float]]] = []
    for x, y in points:
        i, j = math.floor(x / (2 * reach)), math.floor(y / (2 * reach))
        top = -1
        for key in ((i + di, j + dj) for di in (-1, 0, 1) for dj in (-1, 0, 1)):
            for px, py, k in cell.get(key, ()):
                if k > top and abs(px - x) < 2 * reach and abs(py - y) < 2 * reach:
                    top = k
        if top + 1 == len(layers):
            layers.append([])
        layers[top + 1].append((x, y))
        cell.setdefault((i, j), []).append((x, y, top + 1))
    return layers


def map_svg(a: Assessment, lang: str) -> str:
    """The whole figure as an SVG string (all outside text escaped)."""
    t = translator(lang)
    proj = _projection(a)
    height = proj.height
    outline = _rings(_load(OUTLINE))
    cap = a.capital()
    out = _canvas(proj, t("Map: personal-security level by place and road"))
    out += _country(proj, outline)
    out += _roads(a, proj)
    out += _places(a, proj, cap)
    out.append("</g>")
    out.append(
        f'<rect x="0.5" y="0.5" width="{svg.num(MAP_W - 1)}" height="{height - 1}" fill="none" '
        f'stroke="#333"/>'
    )
    out += [
        _scale_bar(proj, height),
        _north(t("N")),
        _legend(a, lang),
        _inset(proj, outline, cap, lang),
        "</svg>",
    ]
    return "".join(out)


def _projection(a: Assessment) -> Projection:
    """The map's projection: the places' frame at MAP_W units wide, as tall as its shape asks
    within 0.72 to 1.15 of the width (a long country stays readable on a page)."""
    south, west, north, east = _frame(a)
    kx = math.cos(math.radians((south + north) / 2))
    aspect = ((north - south) / ((east - west) * kx)) if east > west else 1.0
    height = round(MAP_W * min(max(aspect, 0.72), 1.15))
    return Projection.fit(south, west, north, east, MAP_W, height)


def _canvas(proj: Projection, title: str) -> list[str]:
    """The figure's opening: the svg element (map and side column, at least 560 units tall
    for the legend and inset), its title, and the map's background, clipped to the map: the
    group it opens is closed once the roads, markers and labels are in."""
    height = proj.height
    total_h = max(height, 560)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {svg.num(MAP_W + SIDE)} '
        f'{svg.num(total_h)}" '
        'class="map" role="img" aria-labelledby="map-title" font-family="DejaVu Sans, Verdana, '
        'Arial, sans-serif">',
        f'<title id="map-title">{svg.esc(title)}</title>',
        f'<defs><clipPath id="map-clip"><rect x="0" y="0" width="{svg.num(MAP_W)}" '
        f'height="{height}"/></clipPath></defs>',
        f'<rect x="0" y="0" width="{svg.num(MAP_W)}" height="{height}" fill="#e6e6e1"/><g '
        f'clip-path="url(#map-clip)">',
    ]


def _country(proj: Projection, outline: list[np.ndarray]) -> list[str]:
    """The country filled, its district boundaries dashed over it, its border drawn last so
    the districts' lines stop under it."""
    country = _path(proj, outline)
    return [
        f'<path d="{country}" fill="#fbfbf7" stroke="none"/>',
        f'<path d="{_path(proj, _rings(_load(DISTRICTS)))}" fill="none" stroke="#a9a9a2" '
        f'stroke-width="0.7" stroke-dasharray="4 2"/>',
        f'<path d="{country}" fill="none" stroke="#4a4a4a" stroke-width="2"/>',
    ]


def _roads(a: Assessment, proj: Projection) -> list[str]:
    """Every road along its simplified line, the worst drawn last, on top."""
    roads = sorted(
        (loc for loc in a.locations if loc.is_road),
        key=lambda loc: (loc.personal_security.level, loc.id),
    )
    return [svg.road(loc.personal_security.level, road_path(proj, _line(loc))) for loc in roads]


def _places(a: Assessment, proj: Projection, cap: Location | None) -> list[str]:
    """The places' markers, level by level with the worst on top (each level in layers of
    markers that do not touch), the capital's star over them, then the names that fit."""
    points = [loc for loc in a.locations if not loc.is_road]
    pos = {p.id: tuple(float(v) for v in proj.xy(p.lat, p.lon)) for p in points}
    by_level: dict[int, list[tuple[float, float]]] = {level: [] for level in range(1, 6)}
    for p in sorted(points, key=lambda p: p.id):
        by_level[p.personal_security.level].append(pos[p.id])  # type: ignore[arg-type]
    out = []
    for level in range(1, 6):  # the worst on top
        out += [svg.markers(level, layer) for layer in _layers(by_level[level])]
    if cap is not None:
        cx, cy = pos.get(cap.id) or proj.xy(cap.lat, cap.lon)
        out.append(_star(float(cx), float(cy), 9.5))
    out += place_labels(points, pos, MAP_W, proj.height)  # type: ignore[arg-type]
    return out


def _star(x: float, y: float, r: float) -> str:
    pts = []
    for k in range(10):
        ang, rr = -math.pi / 2 + k * math.pi / 5, r if k % 2 == 0 else r * 0.45
        pts.append(f"{svg.num(x + rr * math.cos(ang))},{svg.num(y + rr * math.sin(ang))}")
    return f'<polygon points="{" ".join(pts)}" fill="#111" stroke="#fff" stroke-width="1.2"/>'


def _scale_bar(proj: Projection, height: float) -> str:
    upk = proj.units_per_km
    km = max((k for k in SCALE_STEPS_KM if k * upk <= MAP_W / 5), default=SCALE_STEPS_KM[0])
    length = km * upk
    x0, y0, half = 16.0, height - 18.0, km * upk / 2
    return (
        f'<rect x="{svg.num(x0 - 6)}" y="{svg.num(y0 - 20)}" width="{svg.num(length + 52)}" '
        f'height="30" fill="#fff" fill-opacity="0.85"/>'
        f'<rect x="{svg.num(x0)}" y="{svg.num(y0)}" width="{svg.num(half)}" height="5" '
        f'fill="#111"/>'
        f'<rect x="{svg.num(x0 + half)}" y="{svg.num(y0)}" width="{svg.num(half)}" height="5" '
        f'fill="#fff" stroke="#111"/>'
        + svg.text(x0, y0 - 4, "0", size=10, halo=False)
        + svg.text(x0 + length, y0 - 4, f"{km} km", size=10, anchor="middle", halo=False)
    )


def _north(letter: str) -> str:
    x, y = 28.0, 20.0
    return (
        f'<polygon points="{x},{y} {x + 7},{y + 20} {x},{y + 15} {x - 7},{y + 20}" fill="#111" '
        f'stroke="#fff"/>' + svg.text(x, y + 34, letter, size=11, anchor="middle", weight="bold")
    )


def _legend(a: Assessment, lang: str) -> str:
    """Levels as markers and as road lines, the capital, border and district lines."""
    t = translator(lang)
    levels = a.level_names
    x0, y = MAP_W + 14, 270.0
    out = [svg.text(x0, y, t("Places and roads"), size=12, weight="bold", halo=False)]
    for level in range(5, 0, -1):
        y += 21
        out.append(svg.markers(level, [(x0 + 6, y - 4)]))
        out.append(svg.road(level, f"M{svg.num(x0 + 18)} {svg.num(y - 4)} h30"))
        out.append(
            svg.text(x0 + 56, y, f"{level} {level_label(level, lang, levels)}", size=11, halo=False)
        )
    y += 28
    out.append(_star(x0 + 6, y - 4, 8))
    out.append(svg.text(x0 + 22, y, t("Capital"), size=11, halo=False))
    y += 22
    out.append(f'<path d="M{svg.num(x0)} {svg.num(y - 4)} h30" stroke="#4a4a4a" stroke-width="2"/>')
    out.append(svg.text(x0 + 36, y, t("National border"), size=11, halo=False))
    y += 22
    out.append(
        f'<path d="M{svg.num(x0)} {svg.num(y - 4)} h30" stroke="#a9a9a2" stroke-width="0.9" '
        f'stroke-dasharray="4 2"/>'
    )
    out.append(svg.text(x0 + 36, y, t("District (cercle) boundary"), size=11, halo=False))
    return '<g class="legend">' + "".join(out) + "</g>"


def _inset(main: Projection, rings: list[np.ndarray], cap: Location | None, lang: str) -> str:
    """The whole country (its outline's `rings`) with the main map's frame drawn on it (when
    the map is in it)."""
    t = translator(lang)
    lon = np.concatenate([r[:, 0] for r in rings])
    lat = np.concatenate([r[:, 1] for r in rings])
    s, w, n, e = main.bounds()
    if e < lon.min() or w > lon.max() or n < lat.min() or s > lat.max():
        return ""
    size, x0, y0 = SIDE - 24, MAP_W + 14, 14.0
    proj = Projection.fit(
        float(lat.min()), float(lon.min()), float(lat.max()), float(lon.max()), size, size
    )
    fx0, fy0 = proj.xy(n, w)
    fx1, fy1 = proj.xy(s, e)
    out = [
        f'<g class="inset"><rect x="{svg.num(x0)}" y="{svg.num(y0)}" width="{svg.num(size)}" '
        f'height="{svg.num(size)}" '
        'fill="#fff" stroke="#333" stroke-width="0.8"/>',
        f'<path d="{_path(proj, rings, x0, y0)}" fill="#f1f1ec" stroke="#4a4a4a" '
        f'stroke-width="1"/>',
        f'<rect x="{svg.num(x0 + max(fx0, 0))}" y="{svg.num(y0 + max(fy0, 0))}" '
        f'width="{svg.num(min(fx1, size) - max(fx0, 0))}" '
        f'height="{svg.num(min(fy1, size) - max(fy0, 0))}" fill="none" stroke="#111" '
        f'stroke-width="1.6"/>',
    ]
    if cap is not None:
        cx, cy = proj.xy(cap.lat, cap.lon)
        out.append(_star(x0 + float(cx), y0 + float(cy), 4.5))
    out.append(svg.text(x0 + 6, y0 + 14, t("Mali"), size=11, weight="bold", halo=False))
    out.append(svg.text(x0 + 6, y0 + size - 6, t("frame: the map's area"), size=9, halo=True))
    out.append("</g>")
    return "".join(out)
