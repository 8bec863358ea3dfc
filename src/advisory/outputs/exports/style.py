"""How a level looks in every export: one palette for workbook cells, GeoJSON and KML.

The fills darken strictly with the level (greyscale 238, 196, 159, 96, 34 of 255, at least 35
apart), so a sheet printed in black and white or a map seen by a colour-blind reader keeps the
order; the word is always printed beside it, and road lines also widen with the level. The
report's SVG palette is not reused: its levels 1 and 2 are 7 greys apart, which its marker
shapes make up for and a cell's fill cannot.
"""

from __future__ import annotations

LEVEL_FILL = {1: "#E5F5E0", 2: "#F6C342", 3: "#F08C2E", 4: "#D7301F", 5: "#67001F"}
LEVEL_INK = {1: "#1B1B1B", 2: "#1B1B1B", 3: "#1B1B1B", 4: "#FFFFFF", 5: "#FFFFFF"}
LINE_WIDTH = {1: 1.5, 2: 2.0, 3: 3.0, 4: 4.0, 5: 5.0}  # road strokes, in pixels


def grey(colour: str) -> float:
    """The grey a colour prints as (ITU-R BT.601 luma, 0 black .. 255 white)."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b


def kml_colour(colour: str, alpha: int = 255) -> str:
    """`#RRGGBB` as KML writes colours: aabbggrr in hex."""
    r, g, b = colour[1:3], colour[3:5], colour[5:7]
    return f"{alpha:02x}{b}{g}{r}".lower()
