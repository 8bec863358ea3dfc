"""The road network: segments joined at the places they start and end, shortest paths over
their polyline lengths, and the places a path passes."""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

import numpy as np

from ...geo import haversine, segment_pairs
from ...ingest.places import Gazetteer, Place


def polyline_km(place: Place) -> float:
    lat = np.array([c[0] for c in place.coords])
    lon = np.array([c[1] for c in place.coords])
    return float(haversine(lat[:-1], lon[:-1], lat[1:], lon[1:]).sum())


@dataclass
class RoadNetwork:
    gaz: Gazetteer
    edges: dict[str, list[tuple[str, str, float]]] = field(default_factory=dict)
    length: dict[str, float] = field(default_factory=dict)
    unroutable: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, gaz: Gazetteer) -> RoadNetwork:
        """Roads with `from` and `to` place ids become edges; others cannot be routed over."""
        net = cls(gaz)
        for p in gaz.places:
            if not p.is_route:
                continue
            if not p.from_ or not p.to or p.from_ not in gaz.index or p.to not in gaz.index:
                net.unroutable.append(p.id)  # said in a refusal reason, never silently lost
                continue
            km = polyline_km(p)
            net.length[p.id] = km
            net.edges.setdefault(p.from_, []).append((p.to, p.id, km))
            net.edges.setdefault(p.to, []).append((p.from_, p.id, km))
        for v in net.edges.values():
            v.sort()
        return net

    def ends(self, road_id: str) -> tuple[str, str]:
        p = self.gaz.places[self.gaz.index[road_id]]
        return str(p.from_), str(p.to)

    def shortest(self, a: str, b: str, banned: frozenset[str] = frozenset()) -> list[str] | None:
        """Road ids of the shortest path from place a to place b (Dijkstra), or None."""
        if a == b:
            return []
        best = {a: 0.0}
        back: dict[str, tuple[str, str]] = {}
        heap = [(0.0, a)]
        while heap:
            d, node = heapq.heappop(heap)
            if node == b:
                path = []
                while node != a:
                    prev, road = back[node]
                    path.append(road)
                    node = prev
                return path[::-1]
            if d > best.get(node, float("inf")):
                continue
            for nxt, road, km in self.edges.get(node, []):
                if road in banned:
                    continue
                nd = d + km
                if nd < best.get(nxt, float("inf")) - 1e-9:
                    best[nxt] = nd
                    back[nxt] = (node, road)
                    heapq.heappush(heap, (nd, nxt))
        return None

    def via(self, a: str, b: str, road: str) -> list[str] | None:
        """Shortest path from a to b that uses the given road, in whichever direction is shorter."""
        u, v = self.ends(road)
        options = []
        for x, y in ((u, v), (v, u)):
            first, last = self.shortest(a, x), self.shortest(y, b)
            if first is not None and last is not None:
                path = [*first, road, *last]
                options.append((self.km(path), path))
        return min(options)[1] if options else None

    def km(self, roads: list[str]) -> float:
        return sum(self.length[r] for r in roads)

    def passed(self, roads: list[str], corridor_km: float) -> dict[str, float]:
        """Point places within corridor_km of the roads, with their distance."""
        segs = self.gaz.segment_arrays([self.gaz.index[r] for r in roads])
        idx, plat, plon = self.gaz.point_arrays()
        if segs[0].size == 0 or idx.size == 0:
            return {}
        _, ev, d = segment_pairs(*segs, plat, plon, corridor_km)
        out: dict[str, float] = {}
        for e, dist in zip(ev.tolist(), d.tolist(), strict=True):
            pid = self.gaz.places[int(idx[e])].id
            out[pid] = min(out.get(pid, dist), dist)
        return out
