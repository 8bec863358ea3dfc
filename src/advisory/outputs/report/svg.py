"""Tiny helpers for writing SVG by hand: every text goes through `esc`.

The report builds its map and charts as strings (no plotting library, no network); the result
is wrapped in `Markup` only after every piece of outside text has been escaped here.
"""

from __future__ import annotations

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


def marker(level: int, x: float, y: float, size: float = 1.0) -> str:
    """A place marker whose shape also encodes the level (greyscale-safe)."""
    fill = LEVEL_FILL[level]
    r = 4.2 * size
    common = f'fill="{fill}" stroke="#111" stroke-width="{num(0.9 * size) or 1}"'
    if level == 1:
        return f'<circle cx="{num(x)}" cy="{num(y)}" r="{num(r * 0.75)}" {common}/>'
    if level == 2:
        return f'<circle cx="{num(x)}" cy="{num(y)}" r="{num(r)}" {common}/>'
    if level == 3:
        h = r * 1.25
        base = num(y + h * 0.75)
        pts = f"{num(x)},{num(y - h)} {num(x + h)},{base} {num(x - h)},{base}"
        return f'<polygon points="{pts}" {common}/>'
    if level == 4:
        s = r * 0.95
        side = num(2 * s)
        return f'<rect x="{num(x - s)}" y="{num(y - s)}" width="{side}" height="{side}" {common}/>'
    h = r * 1.35
    pts = f"{num(x)},{num(y - h)} {num(x + h)},{num(y)} {num(x)},{num(y + h)} {num(x - h)},{num(y)}"
    return f'<polygon points="{pts}" {common}/>'


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
