"""The road network a trip check routes over: the schematic roads of the places file (joined at
the places in their `from`/`to`), or a network built from a road layer (`advisory.roads`).
Either way the paths come from the same graph (`advisory.roads.graph`); this class
keeps the interface the trip check was written against."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...geo import line_km, segment_pairs
from ...ingest.places import Gazetteer, Place
from ...roads.graph import StretchGraph
from ...text import did_you_mean, plural
from ..report.roadnames import road_name

if TYPE_CHECKING:
    from ...roads.network import RoadNetwork as BuiltNetwork


@dataclass
class RoadNetwork:
    gaz: Gazetteer
    graph: StretchGraph = field(default_factory=StretchGraph)
    unroutable: list[str] = field(default_factory=list)
    built: BuiltNetwork | None = None

    @classmethod
    def build(cls, gaz: Gazetteer, roads: BuiltNetwork | None = None) -> RoadNetwork:
        """Over `roads` when given (`gaz` must then hold its stretches: `with_stretches`);
        otherwise roads with `from` and `to` place ids become edges, and the others, which
        cannot be routed over, are listed in `unroutable` (said in a refusal reason, never
        silently lost)."""
        if roads is not None:
            return cls(gaz, roads.graph, [], roads)
        edges = []
        unroutable = []
        for p in gaz.places:
            if not p.is_route:
                continue
            if not p.from_ or not p.to or p.from_ not in gaz.index or p.to not in gaz.index:
                unroutable.append(p.id)
                continue
            edges.append((p.from_, p.to, p.id, line_km(p.coords)))
        return cls(gaz, StretchGraph(edges), unroutable)

    @property
    def length(self) -> dict[str, float]:
        return self.graph.km

    def _node(self, place: str) -> Hashable:
        """A place's node: itself on the schematic network; where it attaches on a built one
        (a place too far from every road is an input error there, naming the distance)."""
        return self.built.node_of(place) if self.built is not None else place

    def shortest(
        self,
        a: str,
        b: str,
        banned: frozenset[str] = frozenset(),
        cost: Callable[[str], float] | None = None,
    ) -> list[str] | None:
        """Road ids of the shortest path from place a to place b (or the cheapest by `cost`),
        or None."""
        if a == b:
            return []
        return self.graph.path(self._node(a), self._node(b), cost, banned)

    def via(self, a: str, b: str, road: str) -> list[str] | None:
        """Shortest path from a to b that uses the given road, in whichever direction is shorter."""
        if road not in self.graph.ends:
            return None
        return self.graph.via(self._node(a), self._node(b), road)

    def runs(
        self, start: str, roads: list[str], lang: str = "en"
    ) -> list[tuple[str, float, list[str]]]:
        """The roads of a path from place `start` as people name them, in the direction of
        travel, each with its km along the path and its road ids: on a built network
        consecutive stretches of one road are one entry from where the path joins it to where
        it leaves it ("RN6 Bamako – Ségou", its generated words in `lang`); a schematic road
        is its own entry, by its name."""
        if self.built is not None:
            return [
                (road_name(r.name, lang, self.built.stretch(r.stretches[0]).road is None), r.km,
                 list(r.stretches))
                for r in self.built.road_runs(roads, self._node(start))
            ]  # fmt: skip
        return [(self.gaz.places[self.gaz.index[r]].name, self.length[r], [r]) for r in roads]

    def not_a_stretch(self, query: str, road: Place) -> str | None:
        """Why a road given with `via` cannot be taken on a built network: it is not one of
        the layer's stretches (a schematic road of the places file), with the stretches whose
        id or name is close to `query`; None when it can be looked for."""
        if self.built is None or road.id in self.built.index:
            return None
        known = {p.id for p in self.built.stretches} | {p.name for p in self.built.stretches}
        return (
            f"{query!r} is not a stretch of {self.built.source}{did_you_mean(query, known)}: "
            "over a road layer, via takes one of its stretches, by id or name (as "
            "`advisory assess --roads` rates them)"
        )

    def no_road(self, a: Place, b: Place, via: str | None = None) -> str:
        """Why no road joins a and b (along road `via`): on a built network the separate parts
        of the network they are on (`advisory.roads`); on the schematic one, the roads that
        lack valid ends."""
        if self.built is not None:
            return self.built.no_route(a.id, b.id, via).problems[0].message
        why = f"no road in the network joins {a.name} and {b.name}"
        if via is not None:
            why += f" along {self.gaz.places[self.gaz.index[via]].name}"
        if n := len(self.unroutable):
            why += (
                f" ({n} {plural(n, 'road lacks', 'roads lack')} valid 'from'/'to' place ids "
                f"and cannot be routed over: {', '.join(self.unroutable[:5])})"
            )
        return why + ": give a road layer that connects them, or --mode air"

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
