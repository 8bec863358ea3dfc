"""Stretches of road as the edges of a graph, and paths over them.

Two stretches may join the same two nodes (a road and a track between the same towns): a path
is told as stretches, and between two nodes it runs along the cheaper one (equal costs: the
smaller id). The same graph serves a network built from a road layer (nodes are junctions,
road ends and places) and the schematic roads of a places file (nodes are the place ids in
`from`/`to`).

The paths are SciPy's (`scipy.sparse.csgraph.dijkstra`) over an array of edge weights made
once per cost, not networkx's over a Python weight function, which it called for each edge
it looked at: on the national bench layer (26,557 stretches) the bench's 5 pairs (shortest,
safest, alternative: 15 paths) took 0.72-0.78 s CPU with networkx, 0.16-0.17 s with csgraph
(the safest cost's weights included).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra

Cost = Callable[[str], float]
TIE_PER_KM = 1e-9  # breaks ties between equal costs in favour of the shorter way
_NONE = -9999  # csgraph's predecessor of a source, and of a node it cannot reach


class _Edges:
    """For one set of weights and stretches to avoid: the cheapest stretch between each two
    nodes, as an undirected sparse matrix (upper triangle), and the sorted node-pair keys
    that find that stretch again."""

    def __init__(self, g: StretchGraph, w: np.ndarray, avoid: frozenset[str]) -> None:
        idx, lo, hi = g.pairs
        if avoid:
            ok = np.ones(g.u.size, dtype=bool)
            ok[[g.position[s] for s in avoid if s in g.position]] = False
            keep = ok[idx]
            idx, lo, hi = idx[keep], lo[keep], hi[keep]
        # each pair's cheapest stretch; of equal ones the first, which has the smallest id
        new = np.ones(idx.size, dtype=bool)
        new[1:] = (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1])
        group = np.cumsum(new) - 1
        least = np.full(int(new.sum()), np.inf)
        np.minimum.at(least, group, w[idx])
        cheapest = np.flatnonzero(w[idx] == least[group])
        first = np.ones(cheapest.size, dtype=bool)
        first[1:] = group[cheapest[1:]] != group[cheapest[:-1]]
        at = cheapest[first]
        n = len(g.nodes)
        self.g = g
        self.stretch = idx[at]
        self.key = lo[at] * n + hi[at]  # sorted, as the pairs are
        self.matrix = csr_matrix((w[self.stretch], (lo[at], hi[at])), shape=(n, n))

    def trees(self, sources: Sequence[int]) -> list[list[int]]:
        """The predecessor of every node on its cheapest path from each source."""
        pred = dijkstra(self.matrix, directed=False, indices=sources, return_predecessors=True)[1]
        return [row.tolist() for row in pred]

    def path(self, pred: list[int], source: int, target: int) -> list[str] | None:
        """Stretch ids from `source` to `target` down a tree of `trees`, or None."""
        if source == target:
            return []
        if pred[target] == _NONE:
            return None
        nodes = [target]
        while nodes[-1] != source:
            nodes.append(pred[nodes[-1]])
        a, b = np.array(nodes[:0:-1]), np.array(nodes[-2::-1])
        at = np.searchsorted(self.key, np.minimum(a, b) * len(self.g.nodes) + np.maximum(a, b))
        return [self.g.sids[i] for i in self.stretch[at].tolist()]


class StretchGraph:
    def __init__(self, edges: Iterable[tuple[Hashable, Hashable, str, float]] = ()) -> None:
        self.ends: dict[str, tuple[Hashable, Hashable]] = {}
        self.km: dict[str, float] = {}
        index: dict[Hashable, int] = {}
        for u, v, sid, km in edges:
            self.ends[sid] = (u, v)
            self.km[sid] = km
            index.setdefault(u, len(index))
            index.setdefault(v, len(index))
        self.index = index  # node -> its number in the arrays
        self.nodes = list(index)
        self.sids = list(self.ends)
        self.position = {sid: i for i, sid in enumerate(self.sids)}
        self.u = np.array([index[u] for u, _ in self.ends.values()], dtype=np.int64)
        self.v = np.array([index[v] for _, v in self.ends.values()], dtype=np.int64)
        self.km_array = np.array(list(self.km.values()), dtype=np.float64)
        self._pairs: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        # a route, its safest variant and an alternative each compare with the shortest path:
        # found once per pair of nodes
        self._shortest: dict[tuple[Hashable, Hashable], list[str] | None] = {}
        self._costed: tuple[Cost, np.ndarray] | None = None  # the last cost, as weights
        self._part: np.ndarray | None = None

    def __contains__(self, node: Hashable) -> bool:
        return node in self.index

    @property
    def pairs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The stretches that join two nodes (a loop is never on a cheapest path), sorted by
        their pair of nodes and then by id, and each one's pair (lower node, higher node)."""
        if self._pairs is None:
            idx = np.flatnonzero(self.u != self.v)
            lo, hi = np.minimum(self.u, self.v)[idx], np.maximum(self.u, self.v)[idx]
            rank = np.empty(self.u.size, dtype=np.int64)
            rank[sorted(idx.tolist(), key=self.sids.__getitem__)] = np.arange(idx.size)
            order = np.lexsort((rank[idx], hi, lo))
            self._pairs = (idx[order], lo[order], hi[order])
        return self._pairs

    def weights(self, cost: Cost | None) -> np.ndarray:
        """Each stretch's weight: its length in km, or the caller's cost with length breaking
        ties. A cost depends on the stretch id alone: it is asked once per stretch, and the
        weights are kept while the same function comes again (a check routes each leg, its
        alternative and the comparison with the shortest route by one cost)."""
        if cost is None:
            return self.km_array
        if self._costed is not None and self._costed[0] is cost:
            return self._costed[1]
        c = np.array([cost(sid) for sid in self.sids], dtype=np.float64)
        bad = np.flatnonzero(~(c >= 0) | np.isinf(c))
        if bad.size:
            sid = self.sids[int(bad[0])]
            raise ValueError(f"the cost of stretch {sid!r} must be a finite number >= 0")
        w = c + self.km_array * TIE_PER_KM
        self._costed = (cost, w)
        return w

    def shortest(self, a: Hashable, b: Hashable) -> list[str] | None:
        """`path` by length, remembered for the graph's life (its edges never change)."""
        if (a, b) not in self._shortest:
            self._shortest[a, b] = self.path(a, b)
        found = self._shortest[a, b]
        return None if found is None else list(found)

    def path(
        self,
        a: Hashable,
        b: Hashable,
        cost: Cost | None = None,
        avoid: frozenset[str] = frozenset(),
    ) -> list[str] | None:
        """Stretch ids of the cheapest path from node a to node b (by length, or by `cost`),
        or None when no path (that avoids the stretches in `avoid`) exists."""
        if a == b:
            return []
        if a not in self.index or b not in self.index:
            return None
        ia, ib = self.index[a], self.index[b]
        edges = _Edges(self, self.weights(cost), avoid)
        return edges.path(edges.trees([ia])[0], ia, ib)

    def via(self, a: Hashable, b: Hashable, sid: str, cost: Cost | None = None) -> list[str] | None:
        """The cheapest path from a to b that runs along stretch `sid`, in whichever direction
        is cheaper, or None."""
        if a not in self.index or b not in self.index:
            return None
        ia, ib = self.index[a], self.index[b]
        u, v = (self.index[n] for n in self.ends[sid])
        w = self.weights(cost)
        edges = _Edges(self, w, frozenset())
        from_a, from_b = edges.trees([ia, ib])  # a path to b is one from b, turned round
        options = []
        for x, y in ((u, v), (v, u)):
            first, last = edges.path(from_a, ia, x), edges.path(from_b, ib, y)
            if first is not None and last is not None:
                path = [*first, sid, *last[::-1]]
                options.append((sum(float(w[self.position[s]]) for s in path), path))
        return min(options)[1] if options else None

    def _parts(self) -> np.ndarray:
        """The connected part of each node, found once (the edges never change)."""
        if self._part is None:
            n = len(self.nodes)
            ones = np.ones(self.u.size)
            adjacency = csr_matrix((ones, (self.u, self.v)), shape=(n, n))
            self._part = connected_components(adjacency, directed=False)[1]
        return self._part

    def part(self, node: Hashable) -> set[Hashable]:
        """The nodes reachable from `node` (its connected part of the network)."""
        if node not in self.index:
            return {node}
        labels = self._parts()
        return {self.nodes[i] for i in np.flatnonzero(labels == labels[self.index[node]])}

    def part_stretches(self, node: Hashable) -> list[str]:
        """The stretches of `node`'s connected part."""
        if node not in self.index:
            return []
        labels = self._parts()
        inside = labels[self.u] == labels[self.index[node]]
        return [self.sids[i] for i in np.flatnonzero(inside).tolist()]

    def connected(self, a: Hashable, b: Hashable) -> bool:
        """Whether a path joins the two nodes (they are on one part of the network)."""
        if a == b:
            return True
        if a not in self.index or b not in self.index:
            return False
        labels = self._parts()
        return bool(labels[self.index[a]] == labels[self.index[b]])

    def parts(self) -> int:
        return int(self._parts().max()) + 1 if self.nodes else 0
