"""The nodes of a road network: where the layer's pieces join and where places attach (the
rules are in `topology`'s docstring).

A join or an attachment that falls inside a segment adds a vertex there. Until the vertices are
laid out again such a point is a handle (a negative number, `Inserts`); `vertices` lays them
out and gives every handle the node it became.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from ..geo import KM_PER_DEG, haversine
from .layer import RoadLayer


@dataclass
class Places:
    """The places that may attach to the network, as arrays."""

    ids: list[str]
    lat: np.ndarray
    lon: np.ndarray


class Plane:
    """An equirectangular plane around the layer's middle latitude, in degrees of latitude:
    good to a few per cent over a country, which is all a tolerance or a nearest-line search
    needs (distances that are reported are great-circle)."""

    def __init__(self, lat: np.ndarray) -> None:
        self.k = math.cos(math.radians((float(lat.min()) + float(lat.max())) / 2))

    def xy(self, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        return np.column_stack([lon * self.k, lat])

    @staticmethod
    def units(km: float) -> float:
        return km / KM_PER_DEG


class Lines:
    """The layer's pieces as shapely lines with a spatial index, and where along them a point
    falls (piece, segment, fraction)."""

    def __init__(self, layer: RoadLayer, plane: Plane) -> None:
        self.xy = plane.xy(layer.lat, layer.lon)
        self.start = layer.start
        self.piece = np.repeat(np.arange(layer.pieces), np.diff(layer.start))
        self.lines = shapely.linestrings(self.xy, indices=self.piece)
        self.tree = shapely.STRtree(self.lines)
        seg = np.hypot(*(self.xy[1:] - self.xy[:-1]).T)
        seg[self.start[1:-1] - 1] = 1.0  # a gap of 1 between pieces, so offsets never overlap
        self.cum = np.concatenate([[0.0], np.cumsum(seg)])

    def locate(
        self, piece: np.ndarray, pts: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For each (piece, point): the segment's first vertex, the fraction along it, and the
        nearest point of the piece."""
        along = shapely.line_locate_point(self.lines[piece], shapely.points(pts))
        first, last = self.start[piece], self.start[piece + 1] - 2
        k = np.searchsorted(self.cum, self.cum[first] + along, side="right") - 1
        k = np.clip(k, first, last)
        span = self.cum[k + 1] - self.cum[k]
        t = np.clip((self.cum[first] + along - self.cum[k]) / np.where(span > 0, span, 1), 0, 1)
        near = self.xy[k] + t[:, None] * (self.xy[k + 1] - self.xy[k])
        return k, t, near


@dataclass
class Inserts:
    """Vertices to add inside segments, and vertices to be made one node."""

    seg: list[np.ndarray]
    t: list[np.ndarray]
    joins: list[tuple[np.ndarray, np.ndarray]]  # (vertex, vertex or -(insert number + 1))
    count: int = 0

    def add(self, seg: np.ndarray, t: np.ndarray) -> np.ndarray:
        """Insert points; returns their handles (negative numbers until vertices exist)."""
        self.seg.append(seg)
        self.t.append(t)
        handles = -(self.count + np.arange(seg.size)) - 1
        self.count += seg.size
        return handles


def _snap(
    lines: Lines, k: np.ndarray, t: np.ndarray, near: np.ndarray, tol: float, ins: Inserts
) -> np.ndarray:
    """A vertex for each located point: the segment's nearer end when within `tol` of the
    point, else a new vertex inside the segment (a handle)."""
    d0 = np.hypot(*(near - lines.xy[k]).T)
    d1 = np.hypot(*(near - lines.xy[k + 1]).T)
    vertex = np.where(d0 <= d1, k, k + 1)
    inside = np.minimum(d0, d1) > tol
    out = vertex.astype(np.int64)
    if inside.any():
        out[inside] = ins.add(k[inside], t[inside])
    return out


def attach(
    lines: Lines, plane: Plane, places: Places, attach_km: float, tol: float, ins: Inserts
) -> tuple[dict[int, int], dict[int, float]]:
    """Each place at the nearest point of the nearest piece; returns place -> vertex handle
    for those within `attach_km`, and every place's distance to the road (great-circle)."""
    if not places.ids:
        return {}, {}
    pts = plane.xy(places.lat, places.lon)
    (pi, li), _ = lines.tree.query_nearest(shapely.points(pts), return_distance=True)
    pi, first = np.unique(pi, return_index=True)  # one nearest piece per place (ties: first)
    li = li[first]
    k, t, near = lines.locate(li, pts[pi])
    km = haversine(places.lat[pi], places.lon[pi], near[:, 1], near[:, 0] / plane.k)
    ok = km <= attach_km
    handles = _snap(lines, k[ok], t[ok], near[ok], tol, ins)
    attached = dict(zip(pi[ok].tolist(), handles.tolist(), strict=True))
    return attached, dict(zip(pi.tolist(), km.tolist(), strict=True))


def exact_groups(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """A group number per vertex, shared by vertices at exactly the same position (the node
    that two OpenStreetMap ways share)."""
    # complex numbers sort by real part, then imaginary part: the order of a lexsort by
    # (lon, lat), in 0.17 s instead of 0.28 s for the bench layer's 1.4M vertices; and two
    # are equal when both parts are (comparing the sorted keys rather than lat and lon
    # gathered twice each: 0.14 s instead of 0.155 s for the whole)
    key = lon + 1j * lat
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    new = np.ones(order.size, dtype=bool)
    new[1:] = ordered[1:] != ordered[:-1]
    group = np.empty(order.size, dtype=np.int64)
    group[order] = np.cumsum(new) - 1
    return group


def join_ends(lines: Lines, group: np.ndarray, tol: float, ins: Inserts) -> None:
    """Each piece end within `tol` of another piece joins it there. Ends at the same exact
    position are searched once, and a piece that has a vertex at exactly that position is
    joined there already (the same node): in an OpenStreetMap export that leaves a few per
    cent of the pairs to locate, the costly part. The tree gives the pieces whose box meets
    the end's box (`tol` around it), and the distance is measured only for the pairs left
    once those already joined are dropped: `dwithin` in the tree's query measured all of
    them (0.21 s CPU for the bench layer's 104,261 ends; 0.14 s so, the same pairs)."""
    ends = np.concatenate([lines.start[:-1], lines.start[1:] - 1])
    ends = ends[np.unique(group[ends], return_index=True)[1]]
    pts = lines.xy[ends]
    x, y = pts.T
    ei, li = lines.tree.query(shapely.box(x - tol, y - tol, x + tol, y + tol))
    n = np.int64(lines.start.size)
    # (position, piece) of every vertex at an end's position: only those are looked up, and
    # sorting them rather than all 1.4M of the bench layer's took 0.02 s CPU instead of 0.09 s
    at_end = np.zeros(int(group.max()) + 1, dtype=bool)
    at_end[group[ends]] = True
    mine = at_end[group]
    held = np.sort(group[mine] * n + lines.piece[mine])
    key = group[ends[ei]] * n + li
    at = np.minimum(np.searchsorted(held, key), held.size - 1)
    other = held[at] != key  # np.isin costs five times as much here
    ei, li = ei[other], li[other]
    near_enough = shapely.dwithin(lines.lines[li], shapely.points(pts[ei]), tol)
    ei, li = ei[near_enough], li[near_enough]
    if ei.size == 0:
        return
    k, t, near = lines.locate(li, pts[ei])
    close = np.hypot(*(near - pts[ei]).T) <= tol
    ei, k, t, near = ei[close], k[close], t[close], near[close]
    target = _snap(lines, k, t, near, tol, ins)
    ins.joins.append((ends[ei], target))


@dataclass
class Vertices:
    """The layer's vertices with the inserted ones in place (deduplicated: a vertex at the same
    node as the one before it in its piece is dropped), each with its node."""

    lat: np.ndarray
    lon: np.ndarray
    piece: np.ndarray
    node: np.ndarray


def _with_inserts(
    layer: RoadLayer, lines: Lines, plane: Plane, ins: Inserts
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Vertex arrays with the inserted points sorted into their pieces, and the new index of
    every old vertex followed by every insert."""
    n = layer.lat.size
    seg = np.concatenate([np.empty(0, np.int64), *ins.seg])
    t = np.concatenate([np.empty(0), *ins.t])
    xy = lines.xy[seg] + t[:, None] * (lines.xy[seg + 1] - lines.xy[seg])
    piece = np.concatenate([lines.piece, lines.piece[seg]])
    key = np.concatenate([np.arange(n, dtype=np.float64), seg + t])
    order = np.lexsort((key, piece))
    new = np.empty(order.size, dtype=np.int64)
    new[order] = np.arange(order.size)
    lat = np.concatenate([layer.lat, xy[:, 1]])[order]
    lon = np.concatenate([layer.lon, xy[:, 0] / plane.k])[order]
    return lat, lon, piece[order], new


def _nodes(group: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """A node per vertex: vertices of the same exact-position group are one node, and so are
    the pairs (a, b) (SciPy's connected components find the groups the pairs chain together;
    each is named by its smallest member)."""
    ga, gb = group[a], group[b]
    differ = ga != gb
    if differ.any():
        n = int(group.max()) + 1
        ones = np.ones(int(differ.sum()))
        pairs = csr_matrix((ones, (ga[differ], gb[differ])), shape=(n, n))
        part = connected_components(pairs, directed=False)[1]
        smallest = np.full(int(part.max()) + 1, n, dtype=np.int64)
        np.minimum.at(smallest, part, np.arange(n))
        group = smallest[part][group]
    used = np.zeros(int(group.max()) + 1, dtype=bool)
    used[group] = True
    return (np.cumsum(used) - 1)[group]  # numbered 0, 1, ... (np.unique's hash path is slow)


def vertices(
    layer: RoadLayer,
    lines: Lines,
    plane: Plane,
    ins: Inserts,
    group: np.ndarray,
    handles: np.ndarray,
) -> tuple[Vertices, np.ndarray]:
    """The vertices and their nodes, and the node of each of `handles` (vertex indices of the
    layer, or negative insert handles). `group`: the layer vertices' exact-position groups;
    each inserted vertex starts in a group of its own."""
    lat, lon, piece, new = _with_inserts(layer, lines, plane, ins)
    n = layer.lat.size
    grouped = np.empty(new.size, dtype=np.int64)
    grouped[new] = np.concatenate([group, group.max() + 1 + np.arange(ins.count)])

    def resolve(h: np.ndarray) -> np.ndarray:
        """New vertex indices of handles: a layer vertex (>= 0) or an insert (< 0)."""
        out = np.empty(h.size, dtype=np.int64)
        old = h >= 0
        out[old] = new[h[old]]
        out[~old] = new[n - h[~old] - 1]
        return out

    empty = np.empty(0, np.int64)
    a = np.concatenate([empty, *[resolve(x) for x, _ in ins.joins]])
    b = np.concatenate([empty, *[resolve(y) for _, y in ins.joins]])
    node = _nodes(grouped, a, b)
    first = np.ones(node.size, dtype=bool)
    first[1:] = (piece[1:] != piece[:-1]) | (node[1:] != node[:-1])
    verts = Vertices(lat[first], lon[first], piece[first], node[first])
    return verts, node[resolve(handles.astype(np.int64))]
