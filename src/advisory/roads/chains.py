"""A chain: one stretch of road before it is named (its end nodes, vertices and the layer
pieces it runs along), and the ways chains are turned, joined and drawn on."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..geo import haversine


@dataclass
class Chain:
    """One stretch before it is named: its end nodes, vertices (end to end) and the layer
    pieces it runs along, with the km of each."""

    u: int
    v: int
    lat: np.ndarray
    lon: np.ndarray
    pieces: list[int]
    piece_km: list[float]

    @property
    def km(self) -> float:
        return float(sum(self.piece_km))


def reversed_chain(c: Chain) -> Chain:
    return Chain(c.v, c.u, c.lat[::-1], c.lon[::-1], c.pieces[::-1], c.piece_km[::-1])


def joined(a: Chain, b: Chain, node: int) -> Chain:
    """Chains a and b, which both end at `node`, as one chain through it (from a's other end
    to b's); a piece cut in two at the node is one piece again."""
    a = a if a.v == node else reversed_chain(a)
    b = b if b.u == node else reversed_chain(b)
    if a.pieces[-1] == b.pieces[0]:
        pieces = a.pieces + b.pieces[1:]
        km = [*a.piece_km[:-1], a.piece_km[-1] + b.piece_km[0], *b.piece_km[1:]]
    else:
        pieces, km = a.pieces + b.pieces, a.piece_km + b.piece_km
    lat, lon = np.concatenate([a.lat, b.lat[1:]]), np.concatenate([a.lon, b.lon[1:]])
    return Chain(a.u, b.v, lat, lon, pieces, km)


def prefixed(seg: Chain, d: Chain) -> Chain:
    """Chain `d`, which starts or ends where `seg` ends, from `seg`'s start: its road is
    still `d`'s (the prefix counts in the length, not in the road's name)."""
    d = d if d.u == seg.v else reversed_chain(d)
    lat, lon = np.concatenate([seg.lat, d.lat[1:]]), np.concatenate([seg.lon, d.lon[1:]])
    return Chain(seg.u, d.v, lat, lon, d.pieces, [d.piece_km[0] + seg.km, *d.piece_km[1:]])


def extended(c: Chain, side: int, node: int, lat: float, lon: float) -> Chain:
    """Chain `c` drawn on from its end `side` (0: its start, 1: its end) straight to `node` at
    (lat, lon), the gap counted in its first or last piece."""
    gap = float(haversine(c.lat[-side], c.lon[-side], lat, lon))
    if side == 0:
        km = [c.piece_km[0] + gap, *c.piece_km[1:]]
        return Chain(node, c.v, np.concatenate([[lat], c.lat]), np.concatenate([[lon], c.lon]),
                     c.pieces, km)  # fmt: skip
    km = [*c.piece_km[:-1], c.piece_km[-1] + gap]
    return Chain(c.u, node, np.concatenate([c.lat, [lat]]), np.concatenate([c.lon, [lon]]),
                 c.pieces, km)  # fmt: skip
