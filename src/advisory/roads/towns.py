"""How places shape the stretches once the pieces are joined: a town attached within `snap_km`
along the road of junctions, road ends or road changes is there (the stretches run town to
town), and a road end that stops within `attach_km` of a place joins it (a road stopping short
of a town on both sides runs through it)."""

from __future__ import annotations

import numpy as np
import shapely

from ..geo import haversine
from .chains import Chain, extended, joined, prefixed, reversed_chain
from .nodes import Places, Plane


def snap_places(
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
        live[i], live[j] = joined(a, b, node), None
        for n in (b.u, b.v):
            if n in at:
                at[n] = [i if k == j else k for k in at[n]]
    out = [c for c in live if c is not None]
    return out, {p: moves.get(n, n) for p, n in place_node.items()}, moved


def contract_towns(
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
            seg = c if c.u == town else reversed_chain(c)
            live[i] = None
            at[town].discard(i)
            at[far].discard(i)
            for k in at.pop(far):  # the node is the town's now: no other town takes it
                d = prefixed(seg, chain(k))
                if d.u == d.v and d.km <= 2 * snap_km:
                    live[k] = None  # a second way to the same node: a loop inside the town
                    at[town].discard(k)
                else:
                    live[k] = d
                    at[town].add(k)
    return [c for c in live if c is not None]


def join_dangling(
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
            if node not in (c.u, c.v):  # else the place is at the stretch's other end already
                c = extended(c, side, node, float(node_lat[node]), float(node_lon[node]))
        chains[i] = c
    return chains
