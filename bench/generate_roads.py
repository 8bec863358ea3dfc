"""Generate a national road layer shaped like an OpenStreetMap export, for the roads bench.

The places and the main roads are `generate.py`'s (so its events cluster along them); the
layer draws them as OSM does: trunk and primary roads with a `ref` ("RN12"), sometimes a
`name` and a `surface`, vertices every ~250 m with a little jitter, split into ways at
arbitrary vertices (the pieces share the vertex exactly, as OSM ways share a node); the roads
meeting at a town end at a junction a few hundred metres from the town's point, never on it.
Every other place gets a track or unclassified road to the nearest main-road vertex: most end
on that vertex, some on the middle of the segment beside it (a side road drawn to stop on the
main road, no shared vertex) and some stop 3-15 m short; places more than 60 km from a main
road are linked to their nearest neighbour instead, which leaves islands, as real layers
have. A few residential streets (left out by the default highway classes) are mixed in.
Pieces are split so that the layer has exactly `--pieces` LineString features.

    python bench/generate_roads.py --pieces 100000 --places 10000 --out bench-data

Same seed, same bytes. Synthetic: none of it is OpenStreetMap data.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # the sibling generator of places and events

KM_LAT = generate.KM_LAT
VERTEX_KM = 0.25
MAX_TRACK_KM = 60.0


@dataclass
class Line:
    lat: np.ndarray
    lon: np.ndarray
    props: dict[str, object]


def _offset(rng: np.random.Generator, lat: float, lon: float, lo_m: float, hi_m: float):
    ang = rng.uniform(0, 2 * math.pi)
    d = rng.uniform(lo_m, hi_m) / 1000
    return (
        lat + math.sin(ang) * d / KM_LAT,
        lon + math.cos(ang) * d / (KM_LAT * math.cos(math.radians(lat))),
    )


def _densify(rng: np.random.Generator, lat: np.ndarray, lon: np.ndarray, jitter_m: float):
    """Vertices every ~250 m along the polyline, jittered sideways (not at the ends)."""
    out_lat, out_lon = [lat[:1]], [lon[:1]]
    for i in range(len(lat) - 1):
        km = float(generate._km(lat[i], lon[i], lat[i + 1], lon[i + 1]))
        n = max(1, int(km / VERTEX_KM))
        t = np.arange(1, n + 1) / n
        out_lat.append(lat[i] + t * (lat[i + 1] - lat[i]))
        out_lon.append(lon[i] + t * (lon[i + 1] - lon[i]))
    la, lo = np.concatenate(out_lat), np.concatenate(out_lon)
    j = rng.normal(0, jitter_m / 1000 / KM_LAT, (2, la.size))
    j[:, [0, -1]] = 0
    return la + j[0], lo + j[1] / np.cos(np.radians(la))


def _main_roads(rng: np.random.Generator, places: generate.Places) -> list[Line]:
    """The generated roads, ending at a junction 100-600 m from each town they join."""
    hubs: dict[int, tuple[float, float]] = {}
    lines = []
    for r in places.roads:
        for end in (r.a, r.b):
            if end not in hubs:
                hubs[end] = _offset(rng, places.lat[end], places.lon[end], 100, 600)
        lat, lon = r.lat.copy(), r.lon.copy()
        (lat[0], lon[0]), (lat[-1], lon[-1]) = hubs[r.a], hubs[r.b]
        lat, lon = _densify(rng, lat, lon, 15)
        big = r.length_km > 150
        props: dict[str, object] = {
            "highway": "trunk" if big else "primary",
            "ref": r.label,
            "surface": "asphalt" if rng.random() < 0.8 else "unpaved",
        }
        if rng.random() < 0.4:
            props["name"] = f"Route {'Nationale' if big else 'Régionale'} {r.label}"
        lines.append(Line(lat, lon, props))
    return lines


def _nearest(lat: np.ndarray, lon: np.ndarray, qlat: np.ndarray, qlon: np.ndarray,
             not_self: bool = False) -> np.ndarray:  # fmt: skip
    """Index of the nearest of (lat, lon) to each query, on a local plane, in chunks
    (`not_self`: the queries are the points themselves, and each must find another)."""
    k = math.cos(math.radians(float(np.mean(lat))))
    out = np.empty(qlat.size, dtype=np.int64)
    for s in range(0, qlat.size, 256):
        dx = (qlon[s : s + 256, None] - lon[None, :]) * k
        dy = qlat[s : s + 256, None] - lat[None, :]
        d = dx * dx + dy * dy
        if not_self:
            rows = np.arange(d.shape[0])
            d[rows, s + rows] = np.inf
        out[s : s + 256] = np.argmin(d, axis=1)
    return out


def _tracks(rng: np.random.Generator, places: generate.Places, main: list[Line]) -> list[Line]:
    """A track from near each place not on a main road to the main network (see above)."""
    hubs = {e for r in places.roads for e in (r.a, r.b)}
    others = np.array([i for i in range(len(places.ids)) if i not in hubs])
    v_lat = np.concatenate([m.lat[1:-1] for m in main])
    v_lon = np.concatenate([m.lon[1:-1] for m in main])
    near = _nearest(v_lat, v_lon, places.lat[others], places.lon[others])
    km = generate._km(places.lat[others], places.lon[others], v_lat[near], v_lon[near])
    o_lat, o_lon = places.lat[others], places.lon[others]
    peer = _nearest(o_lat, o_lon, o_lat, o_lon, not_self=True)
    starts = {int(p): _offset(rng, places.lat[p], places.lon[p], 50, 300) for p in others}
    lines = []
    for j, p in enumerate(others.tolist()):
        a_lat, a_lon = starts[p]
        if km[j] <= MAX_TRACK_KM:
            b_lat, b_lon = float(v_lat[near[j]]), float(v_lon[near[j]])
            roll = rng.random()
            if roll < 0.2:  # onto the middle of the segment beside the vertex
                n = near[j] + 1 if near[j] + 1 < v_lat.size else near[j] - 1
                b_lat, b_lon = (b_lat + v_lat[n]) / 2, (b_lon + v_lon[n]) / 2
            elif roll < 0.3:  # 3-15 m short of it
                b_lat, b_lon = _offset(rng, b_lat, b_lon, 3, 15)
        else:  # remote: to the nearest other place's track (islands can form)
            b_lat, b_lon = starts[int(others[peer[j]])]
        length = float(generate._km(a_lat, a_lon, b_lat, b_lon))
        lat, lon = generate._polyline(rng, a_lat, a_lon, b_lat, b_lon, max(length, 0.1))
        lat, lon = _densify(rng, lat, lon, 10)
        kind = "track" if places.kinds[p] == "village" else "unclassified"
        props: dict[str, object] = {"highway": kind}
        if rng.random() < 0.3:
            props["name"] = f"Piste de {places.names[p]}"
        if kind == "track":
            props["surface"] = "dirt"
        lines.append(Line(lat, lon, props))
    return lines


def _streets(rng: np.random.Generator, places: generate.Places, n: int) -> list[Line]:
    """Short residential streets in towns (left out by the default highway classes)."""
    towns = [i for i, k in enumerate(places.kinds) if k in ("city", "town")]
    lines = []
    for p in rng.choice(towns, size=min(n, len(towns)), replace=False).tolist():
        a = _offset(rng, places.lat[p], places.lon[p], 0, 800)
        b = _offset(rng, a[0], a[1], 200, 600)
        lines.append(Line(np.array([a[0], b[0]]), np.array([a[1], b[1]]),
                          {"highway": "residential"}))  # fmt: skip
    return lines


def _split(rng: np.random.Generator, lines: list[Line], pieces: int) -> list[Line]:
    """Exactly `pieces` ways: each line cut at random interior vertices, in proportion to its
    vertex count; the pieces share the vertex where they were cut."""
    verts = np.array([len(ln.lat) for ln in lines])
    room = verts - 1  # at most one piece per segment
    if room.sum() < pieces:
        raise SystemExit(f"only {room.sum()} segments for {pieces} pieces: densify more")
    share = np.minimum(np.maximum(1, np.floor(pieces * room / room.sum())), room).astype(int)
    while share.sum() != pieces:  # hand out (or take back) the remainder, largest first
        step = 1 if share.sum() < pieces else -1
        free = np.flatnonzero((share < room) if step > 0 else (share > 1))
        k = free[np.argsort(-room[free], kind="stable")][: abs(pieces - int(share.sum()))]
        share[k] += step
    out = []
    for ln, n in zip(lines, share.tolist(), strict=True):
        cuts = np.sort(rng.choice(np.arange(1, len(ln.lat) - 1), n - 1, replace=False)) if n > 1 \
            else np.empty(0, dtype=np.int64)  # fmt: skip
        bounds = [0, *cuts.tolist(), len(ln.lat) - 1]
        for a, b in itertools.pairwise(bounds):
            out.append(Line(ln.lat[a : b + 1], ln.lon[a : b + 1], ln.props))
    return out


def generate_layer(places: generate.Places, pieces: int, seed: int = 42) -> list[Line]:
    rng = generate._rng(seed, 7)
    main = _main_roads(rng, places)
    lines = main + _tracks(rng, places, main)
    streets = _streets(rng, places, max(1, pieces // 50))
    return _split(rng, lines, pieces - len(streets)) + streets


def write_layer(lines: list[Line], path: Path) -> Path:
    """One feature per line, coordinates to 7 decimals (OpenStreetMap's precision)."""
    with path.open("w", encoding="utf-8") as f:
        f.write('{"type":"FeatureCollection","features":[\n')
        for i, ln in enumerate(lines):
            coords = np.round(np.column_stack([ln.lon, ln.lat]), 7).tolist()
            feat = {
                "type": "Feature",
                "properties": {"osm_id": 100_000_000 + i, **ln.props},
                "geometry": {"type": "LineString", "coordinates": coords},
            }
            sep = ",\n" if i else ""
            f.write(sep + json.dumps(feat, ensure_ascii=False, separators=(",", ":")))
        f.write("\n]}\n")
    return path


def write_points(places: generate.Places, path: Path) -> Path:
    """The places without generate.py's schematic roads: the layer is the road network."""
    feats = [f for f in places.features() if f["properties"]["kind"] != "route"]
    body = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in feats)
    path.write_text('{"type":"FeatureCollection","features":[\n' + body + "\n]}\n", "utf-8")
    return path


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pieces", type=int, default=100_000)
    ap.add_argument("--places", type=int, default=10_000)
    ap.add_argument("--roads", type=int, default=300, help="main roads (generate.py's)")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args(argv)
    t = time.perf_counter()
    args.out.mkdir(parents=True, exist_ok=True)
    places = generate.generate_places(args.places, args.roads, seed=args.seed)
    layer = write_layer(generate_layer(places, args.pieces, args.seed), args.out / "roads.geojson")
    points = write_points(places, args.out / "towns.geojson")
    took = time.perf_counter() - t
    print(f"wrote {layer} ({layer.stat().st_size / 1e6:.1f} MB, {args.pieces} pieces) and "
          f"{points} in {took:.1f} s", file=sys.stderr)  # fmt: skip


if __name__ == "__main__":
    main()
