"""Names people can read and ids that stay put, for stretches of road.

A stretch is named from its road number (`ref`), else its `name`, else "Track"/"Road", and its
two ends: the place attached there, or a junction, a road end or a road change (where one road
number gives way to another) placed from the place nearest it along the roads, unless one is
within 1 km or less than half as far as the crow flies ("RN6 Fana – Konobougou", "Track Fana
– road end 6 km NE of Fana"). The end with a place comes first, the larger place first, so
the name does not depend on how the pieces were drawn. The words are `words`' (a place the
road's name ends with is written once; stretches of the same name are told apart).

An id is built from the same parts, with a junction's position (to about a kilometre) in place
of its wording, so it survives edits elsewhere in the layer: "rn6-fana-konobougou",
"track-fana-j3f9a2c". Two stretches that would share an id (two tracks between the same towns)
are told apart by a short hash of their middle point.
"""

from __future__ import annotations

import functools
import hashlib
import math
from collections import Counter
from dataclasses import dataclass

import numpy as np
import shapely
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from ..geo import haversine
from ..text import fold
from .topology import Chain, Topology
from .words import COMPASS, branch, numbered, stretch_name

NEAR_KM = 1.0  # a junction this close to a place is "near" it
ROAD_PLACE_RATIO = 2.0  # the place nearest along the roads names a junction if not farther
KIND_RANK = {"capital": 0, "city": 1, "town": 2, "airport": 3, "border_crossing": 4}


@dataclass
class PlaceInfo:
    """What naming needs of the gazetteer's point places."""

    ids: list[str]
    names: list[str]
    kinds: list[str]
    population: list[int]
    admin1: list[str | None]
    country: list[str | None]
    lat: np.ndarray
    lon: np.ndarray

    def rank(self, i: int) -> tuple[int, int, str]:
        return (-self.population[i], KIND_RANK.get(self.kinds[i], 9), self.names[i])


@dataclass(frozen=True)
class End:
    label: str  # for people: "Fana", "junction 38 km W of Fana"
    where: str  # the label's place part: "at Fana", "38 km W of Fana"
    token: str  # for the id
    place: str | None  # place id when a place is attached here
    rank: tuple[int, int, int, str]


@functools.lru_cache(maxsize=4096)  # a few hundred labels ("Track", "N1"), 26k stretches
def slug(text: str) -> str:
    return fold(text).replace(" ", "-") or "road"


def _short_hash(*parts: object) -> str:
    return hashlib.sha1(repr(parts).encode()).hexdigest()[:6]


def _bearing(lat0: np.ndarray, lon0: np.ndarray, lat1: np.ndarray, lon1: np.ndarray) -> list[str]:
    dy = lat1 - lat0
    dx = (lon1 - lon0) * np.cos(np.radians(lat0))
    sector = np.round(np.degrees(np.arctan2(dx, dy)) / 45.0).astype(np.int64) % 8
    return [COMPASS[s] for s in sector.tolist()]


class Namer:
    """Labels for the nodes where stretches end, and names and ids for the stretches."""

    def __init__(self, topo: Topology, info: PlaceInfo, place_node: dict[int, int]) -> None:
        """`place_node`: the node each attached place (by its index in `info`) is at."""
        self.topo = topo
        self.info = info
        k = math.cos(math.radians(float(np.mean(info.lat)))) if info.ids else 1.0
        self.k = k
        pts = shapely.points(np.column_stack([info.lon * k, info.lat]))
        self.tree = shapely.STRtree(pts) if info.ids else None
        self.at_node: dict[int, int] = {}
        for p, node in place_node.items():
            best = self.at_node.get(node)
            if best is None or info.rank(p) < info.rank(best):
                self.at_node[node] = p

    def _prefer_by_road(
        self, near: np.ndarray, road: np.ndarray, lat: np.ndarray, lon: np.ndarray
    ) -> np.ndarray:
        """`road`'s place where there is one and it is not too far compared with `near`'s
        (within ROAD_PLACE_RATIO times as far as the crow flies; `near` within NEAR_KM stays)."""
        out = near.copy()
        both = (near >= 0) & (road >= 0) & (near != road)
        if not both.any():
            return np.where(near >= 0, near, road)
        i = np.flatnonzero(both)
        d_near = haversine(self.info.lat[near[i]], self.info.lon[near[i]], lat[i], lon[i])
        d_road = haversine(self.info.lat[road[i]], self.info.lon[road[i]], lat[i], lon[i])
        take = (d_near >= NEAR_KM) & (d_road <= ROAD_PLACE_RATIO * d_near)
        out[i[take]] = road[i[take]]
        return out

    def nearest(self, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        """The nearest point place to each position (-1 when there is none)."""
        if self.tree is None:
            return np.full(lat.size, -1, dtype=np.int64)
        (qi, pi) = self.tree.query_nearest(shapely.points(np.column_stack([lon * self.k, lat])))
        qi, first = np.unique(qi, return_index=True)
        out = np.full(lat.size, -1, dtype=np.int64)
        out[qi] = pi[first]
        return out

    def by_road(
        self, chains: list[Chain], nodes: np.ndarray, km: list[float] | None = None
    ) -> np.ndarray:
        """The attached place nearest each node along the roads (-1 where no place is on its
        part of the network): one multi-source Dijkstra from every place's node."""
        out = np.full(nodes.size, -1, dtype=np.int64)
        if not self.at_node or not chains:
            return out
        u = np.array([c.u for c in chains], dtype=np.int64)
        v = np.array([c.v for c in chains], dtype=np.int64)
        length = np.array([c.km for c in chains] if km is None else km)
        length += 1e-9  # a zero would be no edge at all
        n = int(max(u.max(), v.max(), max(self.at_node))) + 1
        # parallel stretches: the shorter counts (csr_matrix would add them up)
        a, b = np.minimum(u, v), np.maximum(u, v)
        order = np.lexsort((length, b, a))
        first = np.ones(order.size, dtype=bool)
        first[1:] = (a[order][1:] != a[order][:-1]) | (b[order][1:] != b[order][:-1])
        keep = order[first & (a[order] != b[order])]
        graph = csr_matrix((length[keep], (a[keep], b[keep])), shape=(n, n))
        sources = np.array(sorted(self.at_node), dtype=np.int64)
        _, _, src = dijkstra(graph, directed=False, indices=sources, min_only=True,
                             return_predecessors=True)  # fmt: skip
        place = np.full(n, -1, dtype=np.int64)
        place[sources] = [self.at_node[int(x)] for x in sources]
        found = src[nodes]
        ok = found >= 0
        out[ok] = place[found[ok]]
        return out

    def ends(
        self, nodes: list[int], chains: list[Chain] | None = None, km: list[float] | None = None
    ) -> dict[int, End]:
        """An `End` for each node, worked out for all of them at once. A node without a place
        is placed from the nearest place along the roads (with `chains`: the town a traveller
        on that road comes from), unless the nearest place as the crow flies is within 1 km
        or less than half as far."""
        arr = np.array(nodes, dtype=np.int64)
        lat, lon = self.topo.node_lat[arr], self.topo.node_lon[arr]
        near = self.nearest(lat, lon)
        if chains is not None:
            near = self._prefer_by_road(near, self.by_road(chains, arr, km), lat, lon)
        ok = near >= 0
        far = np.full(arr.size, np.nan)
        far[ok] = haversine(self.info.lat[near[ok]], self.info.lon[near[ok]], lat[ok], lon[ok])
        way = _bearing(self.info.lat[near], self.info.lon[near], lat, lon) if ok.any() else []
        out: dict[int, End] = {}
        names, degree = self.info.names, self.topo.degree[arr].tolist()
        lat_l, lon_l, near_l, far_l = lat.tolist(), lon.tolist(), near.tolist(), far.tolist()
        for j, node in enumerate(nodes):
            place = self.at_node.get(node)
            if place is not None:
                pid, name = self.info.ids[place], names[place]
                out[node] = End(name, f"at {name}", pid, pid, (0, *self.info.rank(place)))
                continue
            token = "j" + _short_hash(round(lat_l[j], 2), round(lon_l[j], 2))
            what = "road end" if degree[j] <= 1 else "junction" if degree[j] > 2 else "road change"
            if near_l[j] < 0:
                where = f"at {lat_l[j]:.3f}, {lon_l[j]:.3f}"
            elif far_l[j] < NEAR_KM:
                where = f"near {names[near_l[j]]}"
            else:  # tenths below 10 km, where two junctions are often a few hundred m apart
                dist = f"{far_l[j]:.1f}" if far_l[j] < 10 else f"{far_l[j]:.0f}"
                where = f"{dist} km {way[j]} of {names[near_l[j]]}"
            out[node] = End(f"{what} {where}", where, token, None, (1, 0, 0, token))
        return out


@dataclass
class Named:
    """A chain's name, id and attributes, and whether its vertices run from `to` to `from`."""

    id: str
    name: str
    label: str  # the road's part of the name: its ref, name, or "Track"/"Road"
    road: str | None
    from_: str | None
    to: str | None
    flip: bool
    admin1: str | None
    country: str | None
    highway: str | None
    surface: str | None


def _major(values: list[str | None], km: list[float]) -> str | None:
    """The value that covers the most km (ties: the first in sort order); None when none has
    one."""
    if len(set(values)) == 1:
        return values[0]
    total: dict[str, float] = {}
    for v, k in zip(values, km, strict=True):
        if v is not None:
            total[v] = total.get(v, 0.0) + k
    return min(total, key=lambda v: (-total[v], v)) if total else None


def _unique(bases: list[str], chains: list[Chain], taken: set[str]) -> list[str]:
    """Ids from base ids: a base shared by several stretches (or by a place) gets a hash of
    each stretch's middle point, then a counter in the stretches' geometric order."""
    count: dict[str, int] = {}
    for b in bases:
        count[b] = count.get(b, 0) + 1
    ids = []
    for b, c in zip(bases, chains, strict=True):
        if count[b] > 1 or b in taken:
            m = len(c.lat) // 2
            b = f"{b}-{_short_hash(round(float(c.lat[m]), 3), round(float(c.lon[m]), 3))[:4]}"
        ids.append(b)
    seen: dict[str, int] = {}
    repeated: dict[str, int] = {}
    for sid in ids:
        repeated[sid] = repeated.get(sid, 0) + 1
    again = [i for i in range(len(ids)) if repeated[ids[i]] > 1]
    for i in sorted(again, key=lambda i: (ids[i], chains[i].lat.tolist(), chains[i].lon.tolist())):
        n = seen.get(ids[i], 0)
        seen[ids[i]] = n + 1
        if n:
            ids[i] = f"{ids[i]}-{n + 1}"
    return ids


def name_chains(
    chains: list[Chain],
    namer: Namer,
    layer_text: dict[str, list[str | None]],
    taken: set[str],
    km: list[float] | None = None,
) -> tuple[list[Named], dict[int, End]]:
    """Names, ids and attributes for every chain, and the ends they were named from
    (`layer_text`: ref, name, highway, surface of each layer piece; `taken`: the gazetteer's
    ids, which a stretch id must not reuse; `km`: each chain's length, when already summed)."""
    ends = namer.ends(sorted({n for c in chains for n in (c.u, c.v)}), chains, km)
    mid_lat = np.array([c.lat[len(c.lat) // 2] for c in chains])
    mid_lon = np.array([c.lon[len(c.lon) // 2] for c in chains])
    near = namer.nearest(mid_lat, mid_lon)
    out, bases = [], []
    columns = [(key, layer_text[key]) for key in ("ref", "name", "highway", "surface")]
    for c, p in zip(chains, near.tolist(), strict=True):
        # a chain along one piece (15,105 of the bench layer's 26,557) takes that piece's
        # values: building `_major`'s lists for them too cost 0.03 s CPU more
        if len(c.pieces) == 1:
            attrs = {key: column[c.pieces[0]] for key, column in columns}
        else:
            attrs = {
                key: _major([column[i] for i in c.pieces], c.piece_km) for key, column in columns
            }
        label = (
            attrs["ref"] or attrs["name"] or ("Track" if attrs["highway"] == "track" else "Road")
        )
        a, b = ends[c.u], ends[c.v]
        flip = b.rank < a.rank
        if flip:
            a, b = b, a
        if c.u == c.v:
            name, base = f"{label} loop {a.where}", f"{slug(label)[:24]}-{a.token}-loop"
        else:
            name = stretch_name(label, a.label, b.label, a.place is not None, b.place is not None)
            base = f"{slug(label)[:24]}-{a.token}-{b.token}"
        bases.append(base.replace("--", "-").strip("-"))
        out.append(
            Named(
                id="",
                name=name,
                label=label,
                road=attrs["ref"] or attrs["name"],
                from_=a.place,
                to=b.place,
                flip=flip,
                admin1=namer.info.admin1[p] if p >= 0 else None,
                country=namer.info.country[p] if p >= 0 else None,
                highway=attrs["highway"],
                surface=attrs["surface"],
            )
        )
    for named, sid in zip(out, _unique(bases, chains, taken), strict=True):
        named.id = sid
    _tell_apart(out, mid_lat, mid_lon)
    return out, ends


def _tell_apart(named: list[Named], mid_lat: np.ndarray, mid_lon: np.ndarray) -> None:
    """Stretches that share a name (two tracks between the same towns) get where each lies
    from the others' middle: "Track Otbala – Ibejaga (N branch)" and "(S branch)"; when two
    would still read alike, "(1 of 3)" ... in the order of their ids."""
    count = Counter(n.name for n in named)
    shared = {name for name, k in count.items() if k > 1}
    groups: dict[str, list[int]] = {}
    for i, n in enumerate(named):
        if n.name in shared:
            groups.setdefault(n.name, []).append(i)
    for members in groups.values():
        m = np.array(members)
        way = _bearing(
            np.full(m.size, mid_lat[m].mean()), np.full(m.size, mid_lon[m].mean()),
            mid_lat[m], mid_lon[m],
        )  # fmt: skip
        if len(set(way)) == m.size:
            for i, w in zip(members, way, strict=True):
                named[i].name += branch(w)
        else:
            for k, i in enumerate(sorted(members, key=lambda i: named[i].id), 1):
                named[i].name += numbered(k, m.size)
