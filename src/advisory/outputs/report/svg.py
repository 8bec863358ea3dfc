"""Tiny helpers for writing SVG by hand: every text goes through `esc`.

The report builds its map and charts as strings (no plotting library, no network); the result
is wrapped in `Markup` only after every piece of outside text has been escaped here.
"""

from __future__ import annotations

from collections.abc import Iterable

from .templating import escape_svg as esc

# Colours by level 1..5: luminance falls monotonically, so greyscale keeps the order; the word,
# the marker shape and the line dash carry the level as well (colour is never the only cue).
LEVEL_FILL = {1: "#d9f0d3", 2: "#fee08b", 3: "#fdae61", 4: "#d7301f", 5: "#67001f"}
LEVEL_STROKE = {1: "#5aae61", 2: "#c7a10a", 3: "#e08214", 4: "#b2182b", 5: "#3f0012"}
ROAD_DASH = {1: "1.5 3", 2: "6 3", 3: "10 3 2 3", 4: "", 5: ""}
ROAD_WIDTH = {1: 1.6, 2: 2.0, 3: 2.6, 4: 3.2, 5: 4.2}


def num(v: float) -> str:
    """Compact coordinates: one decimal is a tenth of an SVG unit."""
    s = f"{v:.1f}"
    return s[:-2] if s.endswith(".0") else s


# Half the width of the square any marker (size 1) paints into, its outline and a unit of
# margin for antialiasing included: markers further apart than twice this do not touch
MARKER_REACH = 4.2 * 1.35 + 0.45 + 1.0


def marker_d(level: int, x: float, y: float, size: float = 1.0) -> str:
    """A place marker as a closed subpath, its shape encoding the level (greyscale-safe):
    a small circle, a circle, a triangle, a square, a diamond; every one drawn clockwise, so
    overlapping markers of one path both fill (nonzero rule)."""
    r = 4.2 * size
    if level <= 2:
        r = r * 0.75 if level == 1 else r
        arc = f"a{num(r)} {num(r)} 0 1 1"
        return f"M{num(x - r)} {num(y)}{arc} {num(2 * r)} 0{arc} {num(-2 * r)} 0Z"
    if level == 3:
        h = r * 1.25
        base = num(y + h * 0.75)
        return f"M{num(x)} {num(y - h)}L{num(x + h)} {base}L{num(x - h)} {base}Z"
    if level == 4:
        s = r * 0.95
        side = num(2 * s)
        return f"M{num(x - s)} {num(y - s)}h{side}v{side}h-{side}Z"
    h = r * 1.35
    cx, cy = num(x), num(y)
    return f"M{cx} {num(y - h)}L{num(x + h)} {cy}L{cx} {num(y + h)}L{num(x - h)} {cy}Z"


def markers(level: int, points: Iterable[tuple[float, float]], size: float = 1.0) -> str:
    """Markers of a level as one <path>, a subpath each, fills painted before outlines: the
    same picture as an element each only where no two of them touch (mapsvg's layers).
    WeasyPrint spends its time per SVG element: the map of 10,200 locations alone took
    6.4-9.3 s CPU to PDF with a marker per element, 1.4-2.5 s in layers of paths (and 1.23 MB
    of SVG to 0.59 MB). The markers carry no link or tooltip: the screen map loses nothing."""
    d = "".join(marker_d(level, x, y, size) for x, y in points)
    if not d:
        return ""
    return (
        f'<path d="{d}" fill="{LEVEL_FILL[level]}" stroke="#111" '
        f'stroke-width="{num(0.9 * size) or 1}"/>'
    )


def road(level: int, d: str) -> str:
    """A road line: casing for contrast, then colour, width and dash by level."""
    w = ROAD_WIDTH[level]
    dash = f' stroke-dasharray="{ROAD_DASH[level]}"' if ROAD_DASH[level] else ""
    return (
        f'<path d="{d}" fill="none" stroke="#fff" stroke-width="{num(w + 2.2)}" '
        'stroke-linecap="round" stroke-linejoin="round"/>'
        f'<path d="{d}" fill="none" stroke="{LEVEL_STROKE[level]}" stroke-width="{num(w)}"'
        f' stroke-linecap="butt" stroke-linejoin="round"{dash}/>'
    )


def text(
    x: float,
    y: float,
    content: str,
    *,
    size: float = 11,
    anchor: str = "start",
    weight: str = "normal",
    halo: bool = True,
    fill: str = "#111",
    extra: str = "",
) -> str:
    """Text with a white halo drawn as a separate stroke copy (works in every renderer)."""
    body = esc(content)
    attrs = (
        f'x="{num(x)}" y="{num(y)}" font-size="{num(size)}" text-anchor="{anchor}"'
        f' font-weight="{weight}"{extra}'
    )
    out = ""
    if halo:
        out += (
            f'<text {attrs} fill="#fff" stroke="#fff" stroke-width="3" '
            f'stroke-linejoin="round" aria-hidden="true">{body}</text>'
        )
    return out + f'<text {attrs} fill="{fill}">{body}</text>'
