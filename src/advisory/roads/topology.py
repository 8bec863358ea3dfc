"""From pieces of line to a network: where pieces join, where places attach, and the chains
of road between towns and junctions that become the rated stretches.

Pieces join where a piece's end lies within the join tolerance of another piece (its end, a
vertex, or a point along a segment, which gets a vertex there: a side road drawn to stop on the
main road), and where two pieces share a vertex exactly (OpenStreetMap ways meeting at a node).
Interior vertices that are merely close are not joined: a bridge over a road, or the two
carriageways of a dual road, are not junctions.

Places then shape the stretches (`towns.py`: `snap_places`, `contract_towns`,
`join_dangling`): a town attached within `snap_km` along the road of junctions, road ends or
road changes is there (the stretches run town to town), and a road end that stops within
`attach_km` of a place joins it (a road stopping short of a town on both sides runs through it).

All of it runs on arrays (shapely's spatial index for the nearest-line questions), because a
national layer has a hundred thousand pieces and a million vertices; only the walk that strings
runs of road together is a Python loop, over runs rather than vertices.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..geo import haversine
from .chains import Chain
from .layer import RoadLayer
from .nodes import (
    Inserts,
    Lines,
    Places,
    Plane,
    Vertices,
    attach,
    exact_groups,
    join_ends,
    vertices,
)
from .towns import contract_towns, join_dangling, snap_places


@dataclass
class Topology:
    node_lat: np.ndarray
    node_lon: np.ndarray
    degree: np.ndarray
    chains: list[Chain]
    place_node: dict[int, int]  # place index -> node
    place_km: dict[int, float]  # place index -> km to the nearest road (attached or not)


def _boundaries(v: Vertices, ref_code: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where stretches end whatever the places: junctions and dead ends (a node not met by
    exactly two segments), and nodes where one road number gives way to another (both
    numbered). Returns (boundary, degree) per node."""
    n_nodes = int(v.node.max()) + 1
    sa = np.flatnonzero(v.piece[1:] == v.piece[:-1])
    sb = sa + 1
    degree = np.bincount(np.concatenate([v.node[sa], v.node[sb]]), minlength=n_nodes)
    boundary = degree != 2
    # one number gives way to another only where pieces meet: a node of degree 2 inside a
    # piece is met by two of its own segments. So the refs are summed over the segment ends
    # at piece ends alone (this function took 0.065 s CPU on the bench layer summing over
    # all its 2.7M segment ends, 0.03 s so)
    piece_start = np.ones(v.piece.size, dtype=bool)
    piece_start[1:] = v.piece[1:] != v.piece[:-1]
    at = np.concatenate([sa[piece_start[sa]], sb[np.roll(piece_start, -1)[sb]]])
    inc_node, inc_ref = v.node[at], ref_code[v.piece[at]]
    # at a node met by two segments, refs r0 and r1 differ when (r0 - r1)^2 > 0, that is
    # 2 (r0^2 + r1^2) > (r0 + r1)^2: sums per node, no sort (refs are small whole numbers)
    ref = inc_ref.astype(np.float64)
    total = np.bincount(inc_node, ref, n_nodes)
    squares = np.bincount(inc_node, ref * ref, n_nodes)
    unnumbered = np.bincount(inc_node, inc_ref < 0, n_nodes)
    boundary |= (degree == 2) & (unnumbered == 0) & (2 * squares > total * total)
    return boundary, degree


def _runs(v: Vertices, boundary: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Runs of vertices within one piece between boundaries or piece ends: (first, last)."""
    piece_start = np.ones(v.piece.size, dtype=bool)
    piece_start[1:] = v.piece[1:] != v.piece[:-1]
    piece_end = np.roll(piece_start, -1)
    pos = np.flatnonzero(boundary[v.node] | piece_start | piece_end)
    same = v.piece[pos[1:]] == v.piece[pos[:-1]]
    return pos[:-1][same], pos[1:][same]


def _partners(na: np.ndarray, nb: np.ndarray, boundary: np.ndarray) -> list[int]:
    """The run end that continues each run end (end 2 * run + side: side 0 is the run's
    first vertex, 1 its last), or -1 at a boundary. A node that is no boundary is met by
    exactly two segments, so by two run ends (a vertex inside a run would take both): each is
    the other's partner. Paired by sorting rather than in a dict of lists built run by run:
    `_walk` over the bench layer's 112,157 runs took 0.17 s CPU with the dict, 0.06 s so."""
    node = np.column_stack([na, nb]).ravel()
    inner = np.flatnonzero(~boundary[node])
    pair = inner[np.argsort(node[inner], kind="stable")].reshape(-1, 2)
    assert (node[pair[:, 0]] == node[pair[:, 1]]).all(), "two run ends at each inner node"
    partner = np.full(node.size, -1, dtype=np.int64)
    partner[pair[:, 0]], partner[pair[:, 1]] = pair[:, 1], pair[:, 0]
    return partner.tolist()


@dataclass
class Strings:
    """Runs strung together, each string a stretch: string k is `run[first[k]:first[k + 1]]`,
    each run walked forwards or not. Flat arrays rather than a list per string: the strings
    are laid out for all chains at once (`_chains`), and making then flattening the bench
    layer's 26,557 lists of (run, forwards) took 0.02 s CPU more."""

    run: np.ndarray
    forwards: np.ndarray
    first: np.ndarray


def _walk(ra_node: np.ndarray, rb_node: np.ndarray, boundary: np.ndarray) -> Strings:
    """String runs together through the nodes where one piece simply continues another;
    each string is a stretch. A ring with no boundary on it starts and ends at its first
    run's start. `ra_node`, `rb_node`: the node at each run's ends."""
    partner = _partners(ra_node, rb_node, boundary)
    na, nb = ra_node.tolist(), rb_node.tolist()
    bnd = bytearray(boundary.astype(np.uint8).tobytes())
    used = bytearray(len(na))
    runs: list[int] = []
    forwards: list[bool] = []
    first: list[int] = []

    def walk(r: int, side: int) -> None:
        first.append(len(runs))
        while True:
            used[r] = 1
            runs.append(r)
            forwards.append(side == 0)
            exit_node = nb[r] if side == 0 else na[r]
            if bnd[exit_node]:
                break
            r, side = divmod(partner[2 * r + 1 - side], 2)  # entered at side, left at the other
            if used[r]:
                break

    for r in range(len(na)):
        if not used[r] and (bnd[na[r]] or bnd[nb[r]]):
            walk(r, 0 if bnd[na[r]] else 1)
    for r in range(len(na)):
        if not used[r]:
            bnd[na[r]] = 1
            boundary[na[r]] = True
            walk(r, 0)
    first.append(len(runs))
    return Strings(np.array(runs, dtype=np.int64), np.array(forwards, dtype=bool), np.array(first))


def _chains(v: Vertices, ra: np.ndarray, rb: np.ndarray, strings: Strings) -> list[Chain]:
    """Each string of runs as a chain: vertex indices laid end to end (the shared vertex where
    one run meets the next kept once), built for all chains at once. Each chain's arrays are
    slices of the laid-out ones, and its pieces slices of one list: indexing the vertex arrays
    chain by chain took 0.20 s CPU for the bench layer's 26,557 chains, slicing 0.15 s."""
    run_a, is_fwd = strings.run, strings.forwards
    is_head = np.zeros(run_a.size, dtype=bool)
    is_head[strings.first[:-1]] = True
    first = np.where(is_fwd, ra[run_a], rb[run_a])
    step = np.where(is_fwd, 1, -1)
    first = first + np.where(is_head, 0, step)  # the shared vertex is the last run's end
    count = rb[run_a] - ra[run_a] + is_head
    offset = np.cumsum(count) - count
    idx = np.repeat(first, count) + np.repeat(step, count) * (
        np.arange(int(count.sum())) - np.repeat(offset, count)
    )
    km = haversine(v.lat[:-1], v.lon[:-1], v.lat[1:], v.lon[1:])
    cum = np.concatenate([[0.0], np.cumsum(km)])
    run_km = (cum[rb] - cum[ra])[run_a].tolist()
    piece = v.piece[ra][run_a].tolist()
    bounds = strings.first.tolist()
    vb = np.concatenate([[0], np.cumsum(count)])[strings.first]
    lat, lon = v.lat[idx], v.lon[idx]
    u, w = v.node[idx[vb[:-1]]].tolist(), v.node[idx[vb[1:] - 1]].tolist()
    vb = vb.tolist()
    return [
        Chain(
            u=u[c],
            v=w[c],
            lat=lat[vb[c] : vb[c + 1]],
            lon=lon[vb[c] : vb[c + 1]],
            pieces=piece[bounds[c] : bounds[c + 1]],
            piece_km=run_km[bounds[c] : bounds[c + 1]],
        )
        for c in range(len(bounds) - 1)
    ]


def build_topology(
    layer: RoadLayer, places: Places, attach_km: float, tol_km: float, snap_km: float = 0.0
) -> Topology:
    """The network's nodes, stretches-to-be and attached places (see the module's docstring)."""
    plane = Plane(layer.lat)
    lines = Lines(layer, plane)
    tol = plane.units(tol_km)
    ins = Inserts([], [], [])
    attached, place_km = attach(lines, plane, places, attach_km, tol, ins)
    group = exact_groups(layer.lat, layer.lon)
    join_ends(lines, group, tol, ins)
    handles = np.array(list(attached.values()), dtype=np.int64)
    v, place_nodes = vertices(layer, lines, plane, ins, group, handles)
    codes: dict[str | None, int] = {None: -1}
    ref_code = np.array([codes.setdefault(r, len(codes)) for r in layer.ref], dtype=np.int64)
    base, degree = _boundaries(v, ref_code)
    boundary = base.copy()
    boundary[place_nodes] = True
    ra, rb = _runs(v, boundary)
    strings = _walk(v.node[ra], v.node[rb], boundary)
    chains = _chains(v, ra, rb, strings)
    n_nodes = degree.size
    node_lat = np.zeros(n_nodes)
    node_lon = np.zeros(n_nodes)
    node_lat[v.node[::-1]] = v.lat[::-1]  # a node's position: its first vertex's
    node_lon[v.node[::-1]] = v.lon[::-1]
    place_node = dict(zip(attached, place_nodes.tolist(), strict=True))
    chains, place_node, moved = snap_places(chains, place_node, base, node_lat, node_lon, snap_km)
    chains = contract_towns(chains, place_node, base, moved, snap_km)
    chains = join_dangling(chains, place_node, places, degree, node_lat, node_lon, attach_km)
    return Topology(
        node_lat=node_lat,
        node_lon=node_lon,
        degree=degree,
        chains=chains,
        place_node=place_node,
        place_km=place_km,
    )
