"""Road layers shaped like an OpenStreetMap export, written by the tests (no real OSM data).

`country()` is a small network: the RN6 from Bamako to Ségou in four pieces (two ways split at
a vertex, then a MultiLineString of two parts), its ends stopping short of the towns; a longer
R12 between the same towns; a track that leaves the RN6 in the middle of a segment (and stops
8 m short of it) for Dioïla, with a dead-end track off it; a street (left out by its class);
and, far to the north, the RN18 between Tessalit and Aguelhok, an island with no link to the
rest. Kidal lies 23 km from the RN18.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from acled_factory import point, write_places

BAMAKO = (12.6392, -8.0029)
FANA = (12.7806, -6.9513)
KONOBOUGOU = (12.9212, -6.7621)
SEGOU = (13.4317, -6.2157)
DIOILA = (12.4950, -6.8000)
TESSALIT = (20.2000, 1.0000)
AGUELHOK = (19.4600, 1.0000)
KIDAL_KM = 23.0
KIDAL = (19.83, 1.0 + KIDAL_KM / (111.195 * math.cos(math.radians(19.83))))


def east(p: tuple[float, float], km: float) -> tuple[float, float]:
    """A point `km` east of p (negative: west)."""
    return (p[0], p[1] + km / (111.195 * math.cos(math.radians(p[0]))))


def north(p: tuple[float, float], km: float) -> tuple[float, float]:
    return (p[0] + km / 111.195, p[1])


def way(osm_id: int, coords: list[tuple[float, float]], **props: object) -> dict:
    """A LineString feature; coords as (lat, lon), written [lon, lat] as GeoJSON wants."""
    return {
        "type": "Feature",
        "properties": {"osm_id": osm_id, **props},
        "geometry": {"type": "LineString", "coordinates": [[lo, la] for la, lo in coords]},
    }


def multi(osm_id: int, parts: list[list[tuple[float, float]]], **props: object) -> dict:
    return {
        "type": "Feature",
        "properties": {"osm_id": osm_id, **props},
        "geometry": {
            "type": "MultiLineString",
            "coordinates": [[[lo, la] for la, lo in part] for part in parts],
        },
    }


def write_layer(path: Path, features: list[dict]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    return path


# The RN6's vertices, west to east; its ends stop 300 m short of Bamako and Ségou.
RN6 = [
    east(BAMAKO, 0.3),
    (12.66, -7.70),
    (12.70, -7.40),
    (12.74, -7.20),
    north(FANA, 0.4),
    (12.85, -6.86),
    north(KONOBOUGOU, 0.2),
    (13.10, -6.55),
    (13.30, -6.35),
    east(SEGOU, -0.3),
]
R12 = [RN6[0], (13.10, -7.60), (13.50, -6.90), RN6[-1]]  # shares the RN6's end vertices
MID = ((12.70 + 12.74) / 2, (-7.40 + -7.20) / 2)  # the middle of an RN6 segment, not a vertex
TRACK = [north(MID, -0.008), (12.62, -7.10), north(DIOILA, 0.2)]
DEAD_END = [TRACK[1], (12.60, -6.95)]
RN18 = [north(AGUELHOK, 0.2), (19.83, 1.0), north(TESSALIT, -0.2)]


def country_features() -> list[dict]:
    return [
        way(101, RN6[0:3], highway="trunk", ref="RN6", surface="asphalt"),
        way(102, RN6[2:5], highway="trunk", ref="RN6", name="Route de Ségou"),
        multi(103, [RN6[4:7], RN6[6:10]], highway="trunk", ref="RN6"),
        way(201, R12, highway="secondary", ref="R12"),
        way(301, TRACK, highway="track", surface="dirt"),
        way(302, DEAD_END, highway="track"),
        way(401, [east(BAMAKO, -0.2), north(east(BAMAKO, -0.2), 0.3)], highway="residential"),
        way(501, RN18, highway="primary", ref="RN18"),
    ]


def country(tmp: Path) -> tuple[Path, Path]:
    """(layer, places) files for the network described above."""
    layer = write_layer(tmp / "roads.geojson", country_features())
    places = write_places(
        tmp / "towns.geojson",
        [
            point("bamako", "Bamako", "capital", *BAMAKO, population=2_800_000),
            point("fana", "Fana", "town", *FANA, population=36_000),
            point("konobougou", "Konobougou", "village", *KONOBOUGOU, population=9_000),
            point("segou", "Ségou", "city", *SEGOU, population=130_000),
            point("dioila", "Dioïla", "town", *DIOILA, population=30_000),
            point("tessalit", "Tessalit", "town", *TESSALIT, population=6_000),
            point("aguelhok", "Aguelhok", "town", *AGUELHOK, population=8_000),
            point("kidal", "Kidal", "town", *KIDAL, population=26_000),
        ],
    )
    return layer, places
