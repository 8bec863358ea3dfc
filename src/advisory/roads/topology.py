"""From pieces of line to a network: where pieces join, where places attach, and the chains
of road between towns and junctions that become the rated stretches.

Pieces join where a piece's end lies within the join tolerance of another piece (its end, a
vertex, or a point along a segment, which gets a vertex there: a side road drawn to stop on the
main road), and where two pieces share a vertex exactly (OpenStreetMap ways meeting at a node).
Interior vertices that are merely close are not joined: a bridge over a road, or the two
carriageways of a dual road, are not junctions.

Places then shape the stretches (`_snap_places`, `_contract_towns`, `_join_dangling`): a town
attached within `snap_km` along the road of junctions, road ends or road changes is there (the
stretches run town to town), and a road end that stops within `attach_km` of a place joins it
(a road stopping short of a town on both sides runs through it).

All of it runs on arrays (shapely's spatial index for the nearest-line questions), because a
national layer has a hundred thousand pieces and a million vertices; only the walk that strings
runs of road together is a Python loop, over runs rather than vertices.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from ..geo import haversine
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
    inc_node = np.concatenate([v.node[sa], v.node[sb]])
    inc_ref = ref_code[np.concatenate([v.piece[sa], v.piece[sb]])]
    degree = np.bincount(inc_node, minlength=n_nodes)
    boundary = degree != 2
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


def _walk(
    ra_node: np.ndarray, rb_node: np.ndarray, boundary: np.ndarray
) -> list[list[tuple[int, bool]]]:
    """String runs together through the nodes where one piece simply continues another;
    each string is a stretch: [(run, forwards), ...]. A ring with no boundary on it starts
    and ends at its first run's start. `ra_node`, `rb_node`: the node at each run's ends."""
    partner = _partners(ra_node, rb_node, boundary)
    na, nb = ra_node.tolist(), rb_node.tolist()
    bnd = bytearray(boundary.astype(np.uint8).tobytes())
    used = bytearray(len(na))
    chains: list[list[tuple[int, bool]]] = []

    def walk(r: int, side: int) -> None:
        chain: list[tuple[int, bool]] = []
        while True:
            used[r] = 1
            chain.append((r, side == 0))
            exit_node = nb[r] if side == 0 else na[r]
            if bnd[exit_node]:
                break
            r, side = divmod(partner[2 * r + 1 - side], 2)  # entered at side, left at the other
            if used[r]:
                break
        chains.append(chain)

    for r in range(len(na)):
        if not used[r] and (bnd[na[r]] or bnd[nb[r]]):
            walk(r, 0 if bnd[na[r]] else 1)
    for r in range(len(na)):
        if not used[r]:
            bnd[na[r]] = 1
            boundary[na[r]] = True
            walk(r, 0)
    return chains


def _chains(
    v: Vertices, ra: np.ndarray, rb: np.ndarray, strings: list[list[tuple[int, bool]]]
) -> list[Chain]:
    """Each string of runs as a chain: vertex indices laid end to end (the shared vertex where
    one run meets the next kept once), built for all chains at once. Each chain's arrays are
    slices of the laid-out ones, and its pieces slices of one list: indexing the vertex arrays
    chain by chain took 0.20 s CPU for the bench layer's 26,557 chains, slicing 0.15 s."""
    run, fwd, head = [], [], []
    for s in strings:
        for i, (r, f) in enumerate(s):
            run.append(r)
            fwd.append(f)
            head.append(i == 0)
    run_a, is_fwd, is_head = np.array(run), np.array(fwd), np.array(head)
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
    bounds = np.cumsum([0, *[len(s) for s in strings]]).tolist()
    vb = np.concatenate([[0], np.cumsum(count)])[bounds]
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
        for c in range(len(strings))
    ]


def _reversed(c: Chain) -> Chain:
    return Chain(c.v, c.u, c.lat[::-1], c.lon[::-1], c.pieces[::-1], c.piece_km[::-1])


def _joined(a: Chain, b: Chain, node: int) -> Chain:
    """Chains a and b, which both end at `node`, as one chain through it (from a's other end
    to b's); a piece cut in two at the node is one piece again."""
    a = a if a.v == node else _reversed(a)
    b = b if b.u == node else _reversed(b)
    if a.pieces[-1] == b.pieces[0]:
        pieces = a.pieces + b.pieces[1:]
        km = [*a.piece_km[:-1], a.piece_km[-1] + b.piece_km[0], *b.piece_km[1:]]
    else:
        pieces, km = a.pieces + b.pieces, a.piece_km + b.piece_km
    lat, lon = np.concatenate([a.lat, b.lat[1:]]), np.concatenate([a.lon, b.lon[1:]])
    return Chain(a.u, b.v, lat, lon, pieces, km)


def _snap_places(
    chains: list[Chain],
    place_node: dict[int, int],
    boundary: np.ndarray,
    node_lat: np.ndarray,
    node_lon: np.ndarray,
    snap_km: float,
) -> tuple[list[Chain], dict[int, int], dict[int, float]]:
    """A place attached within `snap_km` along the road of a junction, road end or road change
    is there: it moves to that node, and the two stretches its attach point cut the road into
    are one again. Otherwise a town a few hundred metres from a junction gives "RN6 Fana –
    junction near Konobougou" and a 0.3 km "RN6 Konobougou – junction near Konobougou". A node
    where a place is attached already is never taken; of two, the nearer along the road.
    `boundary`: the nodes that end stretches whatever the places."""
    placed = set(place_node.values())
    movable = {n for n in placed if not boundary[n]}
    if snap_km <= 0 or not movable:
        return chains, place_node, {}
    at: dict[int, list[int]] = {n: [] for n in movable}
    for i, c in enumerate(chains):
        for n in (c.u, c.v):
            if n in at:
                at[n].append(i)
    moves: dict[int, int] = {}
    moved: dict[int, float] = {}  # node a place moved to -> how far along the road
    for node, sides in at.items():
        if len(sides) != 2 or sides[0] == sides[1]:
            continue  # a ring through the place alone
        far = [(chains[i].km, chains[i].v if chains[i].u == node else chains[i].u) for i in sides]
        if far[0][1] == far[1][1]:
            continue
        near = [
            (km, float(node_lat[n]), float(node_lon[n]), n)
            for km, n in far
            if km <= snap_km and boundary[n] and n not in placed
        ]
        if near:
            km, _, _, moves[node] = min(near)
            moved[moves[node]] = max(km, moved.get(moves[node], 0.0))
    live: list[Chain | None] = list(chains)
    for node in moves:
        i, j = at[node]
        a, b = live[i], live[j]
        if i == j or a is None or b is None:
            continue
        live[i], live[j] = _joined(a, b, node), None
        for n in (b.u, b.v):
            if n in at:
                at[n] = [i if k == j else k for k in at[n]]
    out = [c for c in live if c is not None]
    return out, {p: moves.get(n, n) for p, n in place_node.items()}, moved


def _prefixed(seg: Chain, d: Chain) -> Chain:
    """Chain `d`, which starts or ends where `seg` ends, from `seg`'s start: its road is
    still `d`'s (the prefix counts in the length, not in the road's name)."""
    d = d if d.u == seg.v else _reversed(d)
    lat, lon = np.concatenate([seg.lat, d.lat[1:]]), np.concatenate([seg.lon, d.lon[1:]])
    return Chain(seg.u, d.v, lat, lon, d.pieces, [d.piece_km[0] + seg.km, *d.piece_km[1:]])


def _contract_towns(
    chains: list[Chain],
    place_node: dict[int, int],
    boundary: np.ndarray,
    moved: dict[int, float],
    snap_km: float,
) -> list[Chain]:
    """The junctions, road ends and road changes within `snap_km` along the road of a town's
    attach point are the town: the short stretch to one is dropped and the stretches beyond it
    start at the town (the dropped bit of road drawn and counted in each). Towns in the
    gazetteer's order; a node is taken by one town only, and never one a place is attached at.
    `moved`: how far along the road a place was moved to the node it is at (`_snap_places`)."""
    if snap_km <= 0:
        return chains
    placed = set(place_node.values())
    at: dict[int, set[int]] = {}
    for i, c in enumerate(chains):
        at.setdefault(c.u, set()).add(i)
        at.setdefault(c.v, set()).add(i)
    live: list[Chain | None] = list(chains)

    def chain(i: int) -> Chain:
        c = live[i]
        assert c is not None, "a dropped chain is no node's any more"
        return c

    for town in dict.fromkeys(place_node[p] for p in sorted(place_node)):
        budget = snap_km - moved.get(town, 0.0)
        while True:
            options = []
            for i in at.get(town, ()):
                c = chain(i)
                far = c.v if c.u == town else c.u
                if far == town or not boundary[far] or far in placed or c.km > budget:
                    continue
                if all(chain(k).u != chain(k).v for k in at[far]):  # no ring there
                    options.append((c.km, float(c.lat[len(c.lat) // 2]), i, far))
            if not options:
                break
            _, _, i, far = min(options)
            c = chain(i)
            seg = c if c.u == town else _reversed(c)
            live[i] = None
            at[town].discard(i)
            at[far].discard(i)
            for k in at.pop(far):  # the node is the town's now: no other town takes it
                d = _prefixed(seg, chain(k))
                if d.u == d.v and d.km <= 2 * snap_km:
                    live[k] = None  # a second way to the same node: a loop inside the town
                    at[town].discard(k)
                else:
                    live[k] = d
                    at[town].add(k)
    return [c for c in live if c is not None]


def _join_dangling(
    chains: list[Chain],
    place_node: dict[int, int],
    places: Places,
    degree: np.ndarray,
    node_lat: np.ndarray,
    node_lon: np.ndarray,
    attach_km: float,
) -> list[Chain]:
    """A road end that stops within `attach_km` of a place (a dead end no place is attached at)
    joins the place's node, drawn straight to it and counted in the length: a road that stops
    short of a town on both sides runs through it. A road merely passing by is not joined; an
    end whose stretch already leads to that place (a spur out of town) is left alone, and of
    a stretch's two ends near the same place only the nearer joins."""
    placed = set(place_node.values())
    ends = [
        (i, side)
        for i, c in enumerate(chains)
        for side, n in ((0, c.u), (1, c.v))
        if degree[n] == 1 and n not in placed
    ]
    if not ends or not place_node:
        return chains
    which = np.array(list(place_node), dtype=np.int64)
    lat = np.array([chains[i].lat[-side] for i, side in ends])
    lon = np.array([chains[i].lon[-side] for i, side in ends])
    plane = Plane(np.concatenate([lat, places.lat[which]]))
    tree = shapely.STRtree(shapely.points(plane.xy(places.lat[which], places.lon[which])))
    reach = plane.units(attach_km) * 1.1  # the plane is good to a few per cent
    qi, ti = tree.query_nearest(shapely.points(plane.xy(lat, lon)), max_distance=reach)
    qi, first = np.unique(qi, return_index=True)  # ties: the first
    place = which[ti[first]]
    km = haversine(lat[qi], lon[qi], places.lat[place], places.lon[place])
    found: dict[int, list[tuple[float, int, int]]] = {}  # chain -> (km, side, node)
    for q, p, d in zip(qi.tolist(), place.tolist(), km.tolist(), strict=True):
        if d <= attach_km:
            i, side = ends[q]
            found.setdefault(i, []).append((d, side, place_node[p]))
    for i, joins in found.items():
        if len(joins) == 2 and joins[0][2] == joins[1][2]:
            joins = [min(joins)]
        c = chains[i]
        for _, side, node in joins:
            if node in (c.u, c.v):
                continue  # the place is at the stretch's other end already
            gap = float(haversine(c.lat[-side], c.lon[-side], node_lat[node], node_lon[node]))
            if side == 0:
                c = Chain(
                    node,
                    c.v,
                    np.concatenate([[node_lat[node]], c.lat]),
                    np.concatenate([[node_lon[node]], c.lon]),
                    c.pieces,
                    [c.piece_km[0] + gap, *c.piece_km[1:]],
                )
            else:
                c = Chain(
                    c.u,
                    node,
                    np.concatenate([c.lat, [node_lat[node]]]),
                    np.concatenate([c.lon, [node_lon[node]]]),
                    c.pieces,
                    [*c.piece_km[:-1], c.piece_km[-1] + gap],
                )
        chains[i] = c
    return chains


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
    chains, place_node, moved = _snap_places(chains, place_node, base, node_lat, node_lon, snap_km)
    chains = _contract_towns(chains, place_node, base, moved, snap_km)
    chains = _join_dangling(chains, place_node, places, degree, node_lat, node_lon, attach_km)
    return Topology(
        node_lat=node_lat,
        node_lon=node_lon,
        degree=degree,
        chains=chains,
        place_node=place_node,
        place_km=place_km,
    )
