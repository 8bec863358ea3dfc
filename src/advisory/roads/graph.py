"""Stretches of road as the edges of a networkx multigraph, and paths over them.

A multigraph because two stretches may join the same two nodes (a road and a track between the
same towns); each edge is keyed by its stretch id, so a path is told as stretches. The same
graph serves a network built from a road layer (nodes are junctions, road ends and places) and
the schematic roads of a places file (nodes are the place ids in `from`/`to`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Hashable, Iterable
from typing import Any

import networkx as nx

Weight = Callable[[str], float]
TIE_PER_KM = 1e-9  # breaks ties between equal costs in favour of the shorter way


class StretchGraph:
    def __init__(self, edges: Iterable[tuple[Hashable, Hashable, str, float]] = ()) -> None:
        self.g: nx.MultiGraph = nx.MultiGraph()
        self.ends: dict[str, tuple[Hashable, Hashable]] = {}
        self.km: dict[str, float] = {}
        # a route, its safest variant and an alternative each compare with the shortest path:
        # found once per pair of nodes (a national network's Dijkstra takes 0.3 s in Python)
        self._shortest: dict[tuple[Hashable, Hashable], list[str] | None] = {}
        rows = list(edges)
        self.g.add_edges_from((u, v, sid) for u, v, sid, _ in rows)
        for u, v, sid, km in rows:
            self.ends[sid] = (u, v)
            self.km[sid] = km

    def __contains__(self, node: Hashable) -> bool:
        return node in self.g

    def weight(self, cost: Weight | None) -> Weight:
        """Length in km, or the caller's cost with length breaking ties."""
        if cost is None:
            return self.km.__getitem__

        def w(sid: str) -> float:
            c = cost(sid)
            if not c >= 0 or math.isinf(c):
                raise ValueError(f"the cost of stretch {sid!r} must be a finite number >= 0")
            return c + self.km[sid] * TIE_PER_KM

        return w

    def shortest(self, a: Hashable, b: Hashable) -> list[str] | None:
        """`path` by length, remembered for the graph's life (its edges never change)."""
        if (a, b) not in self._shortest:
            self._shortest[a, b] = self.path(a, b, self.weight(None))
        found = self._shortest[a, b]
        return None if found is None else list(found)

    def path(
        self,
        a: Hashable,
        b: Hashable,
        weight: Weight,
        avoid: frozenset[str] = frozenset(),
    ) -> list[str] | None:
        """Stretch ids of the cheapest path from node a to node b, or None when no path
        (that avoids the stretches in `avoid`) exists."""
        if a == b:
            return []
        if a not in self.g or b not in self.g:
            return None

        def best(keys: dict[str, Any]) -> tuple[float, str] | None:
            options = [(weight(k), k) for k in keys if k not in avoid]
            return min(options) if options else None

        def edge_weight(u: Hashable, v: Hashable, keys: dict[str, Any]) -> float | None:
            if len(keys) == 1:  # nearly every edge: one stretch joins the two nodes
                (k,) = keys
                return None if k in avoid else weight(k)
            found = best(keys)
            return found[0] if found else None  # None hides the edge from networkx

        try:
            _, nodes = nx.bidirectional_dijkstra(self.g, a, b, weight=edge_weight)
        except nx.NetworkXNoPath:
            return None
        out = []
        for u, v in itertools.pairwise(nodes):
            found = best(self.g[u][v])
            assert found is not None  # networkx walked this edge, so one key is allowed
            out.append(found[1])
        return out

    def via(self, a: Hashable, b: Hashable, sid: str, weight: Weight) -> list[str] | None:
        """The cheapest path from a to b that runs along stretch `sid`, in whichever direction
        is cheaper, or None."""
        u, v = self.ends[sid]
        options = []
        for x, y in ((u, v), (v, u)):
            first, last = self.path(a, x, weight), self.path(y, b, weight)
            if first is not None and last is not None:
                path = [*first, sid, *last]
                options.append((sum(weight(s) for s in path), path))
        return min(options)[1] if options else None

    def part(self, node: Hashable) -> set[Hashable]:
        """The nodes reachable from `node` (its connected part of the network)."""
        return set(nx.node_connected_component(self.g, node)) if node in self.g else {node}

    def parts(self) -> int:
        return nx.number_connected_components(self.g)
