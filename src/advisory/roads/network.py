"""A road network built from a road layer: its stretches (as route places the engine rates)
and routes over them.

"No route" is an input problem, not a security decision: it is raised (exit 2) only when the
graph really has no path, and says which parts of the network the two places are on. A place
too far from every road is named with its distance. A route that must avoid stretches (the
alternative to a refused leg) may simply not exist; that is `None`, not an error.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from ..errors import InputError, Problem
from ..ingest.places import Place
from ..rulepack.roads import RoadSettings
from ..text import plural
from .graph import StretchGraph
from .words import run_name

Prefer = Literal["shortest", "safest"]
UNATTACHED_EACH = 5  # places not attached, named one line each up to this many
UNATTACHED_NAMED = 3  # beyond, the nearest this many are named in one line
PARTS_USED = "the other parts are used"  # how a feature with only some parts left out ends
Cost = Callable[[str], float]


class NoRoute(InputError):
    """The network has no path between two places (exit 2, never a refusal)."""


class NotOnNetwork(InputError):
    """A place is not attached to the road network (too far from a road, or of a kind that
    is not attached)."""


@dataclass(frozen=True)
class Attachment:
    """Where a place meets the network: its node, or None with the distance that was too far."""

    place: str
    name: str
    kind: str
    population: int
    km: float | None  # to the nearest road; None when its kind is not attached
    node: int | None


@dataclass(frozen=True)
class StretchInfo:
    """What a stretch carries beyond its `Place`: the road label it is named by, the layer's
    class and surface, and its length along the full (unsimplified) geometry."""

    label: str
    highway: str | None
    surface: str | None
    km: float


@dataclass(frozen=True)
class RoadRun:
    """One road a route takes, in the direction of travel: its label ("RN6"), where the route
    joins and leaves it (a place, or a junction as the stretch names call it), its length along
    the route and its stretches in order."""

    label: str
    start: str
    end: str
    km: float
    stretches: tuple[str, ...]

    @property
    def name(self) -> str:
        """ "RN6 Bamako – Ségou": as the route's roads are listed."""
        return run_name(self.label, self.start, self.end)


@dataclass(frozen=True)
class Route:
    origin: str
    destination: str
    prefer: Prefer
    stretches: tuple[str, ...]
    roads: tuple[str, ...]  # the roads taken by name, in order: "RN6 Bamako – Ségou"
    km: float
    shortest_km: float
    via: str | None = None
    cost: float | None = None  # with a cost: this route's, and the shortest route's
    shortest_cost: float | None = None

    @property
    def longer_km(self) -> float:
        """How much longer than the shortest route (0 for the shortest)."""
        return max(0.0, self.km - self.shortest_km)

    @property
    def longer_pct(self) -> float:
        return 100.0 * self.longer_km / self.shortest_km if self.shortest_km > 0 else 0.0

    def describe(self) -> str:
        """One line for people: the roads, the length, and the price of a detour."""
        roads = ", ".join(self.roads) or "no road (the two places meet the network together)"
        text = f"{roads}: {self.km:.0f} km"
        if self.longer_km >= 0.5:
            text += (
                f", {self.longer_km:.0f} km ({self.longer_pct:.0f}%) longer than the shortest "
                f"route ({self.shortest_km:.0f} km)"
            )
        return text


@dataclass
class RoadNetwork:
    source: str  # the layer's path, as messages name it
    key: str  # what it was built from (layer, places, settings): the cache key
    settings: RoadSettings
    stretches: list[Place]
    info: dict[str, StretchInfo]
    graph: StretchGraph
    attachments: dict[str, Attachment]
    node_label: dict[Hashable, str]
    problems: list[Problem] = field(default_factory=list)  # the layer's (`warnings` adds places)
    layer_sha256: str = ""  # of the layer's bytes, for the provenance (set when it is loaded)
    features: int = 0  # the layer's features, used or not: the provenance's records
    left_out: dict[str, int] = field(default_factory=dict)  # features by highway class not kept

    def __post_init__(self) -> None:
        self.index = {p.id: i for i, p in enumerate(self.stretches)}

    @property
    def km(self) -> dict[str, float]:
        return self.graph.km

    def stretch(self, sid: str) -> Place:
        return self.stretches[self.index[sid]]

    # -- places on the network --------------------------------------------------------------
    def node_of(self, place: str) -> int:
        """The node a place is attached at; a clear input error when it is not attached (the
        sentence names the layer where it matters, so the problem carries no file prefix)."""
        att = self.attachments.get(place)
        s = self.settings
        if att is None:
            msg = f"{place!r} is not a place of the gazetteer the road network was built with"
            raise NotOnNetwork(Problem("", msg))
        if att.node is None and att.km is None:
            msg = (
                f"{att.name} is not attached to the road network: its kind {att.kind!r} is not "
                f"in rules/roads.yaml attach_kinds ({', '.join(s.attach_kinds)})"
            )
            raise NotOnNetwork(Problem("", msg))
        if att.node is None:
            msg = (
                f"{att.name} is {att.km:.0f} km from the nearest road in {self.source} "
                f"(places attach within {s.attach_km:g} km: rules/roads.yaml attach_km)"
            )
            raise NotOnNetwork(Problem("", msg))
        return att.node

    def unattached(self) -> list[Attachment]:
        """Attachable places farther than `attach_km` from every road, nearest first."""
        far = [a for a in self.attachments.values() if a.node is None and a.km is not None]
        return sorted(far, key=lambda a: (a.km or 0.0, a.place))

    def warnings(self, each: int = UNATTACHED_EACH) -> list[Problem]:
        """What a command tells its user about the layer: its problems, then the places not
        attached, one line each when there are at most `each`, else one line with how many,
        the nearest few and where the full list is (a national gazetteer over a regional
        layer leaves a hundred towns off it)."""
        far = self.unattached()
        limit = f"rules/roads.yaml attach_km: {self.settings.attach_km:g}"
        if len(far) <= each:
            lines = [
                f"{a.name} is {a.km:.0f} km from the nearest road in {self.source}; it is not "
                f"attached to the network ({limit})"
                for a in far
            ]
        else:
            nearest = ", ".join(f"{a.name} {a.km:.0f} km" for a in far[:UNATTACHED_NAMED])
            lines = [
                f"{len(far)} places are farther than {self.settings.attach_km:g} km from every "
                f"road in {self.source} and are not attached to the network ({limit}); the "
                f"nearest: {nearest}; all of them, with their distances: `advisory assess "
                "--roads ... --format json`, inputs.road_layer.unattached"
            ]
        # the sentences name the layer, so the problems carry no file prefix
        return [*self.problems, *(Problem("", m, severity="warning") for m in lines)]

    def inputs_summary(self) -> dict[str, object]:
        """What the assessment's `inputs.road_layer` says of the layer (`RoadLayerInputs`):
        its features, stretches, what was left out and why, and the places not attached."""
        bad = [(p.field, p) for p in self.problems if p.field and p.field.startswith("features[")]
        problems = [{"feature": int(f[9:-1]), "message": p.message} for f, p in bad]
        whole = sum(not p.message.endswith(PARTS_USED) for _, p in bad)
        return {
            "path": self.source,
            "features": self.features,
            "stretches": len(self.stretches),
            "features_left_out": whole + sum(self.left_out.values()),
            "left_out_by_highway": dict(self.left_out),
            "problems": problems,
            "attach_km": self.settings.attach_km,
            "unattached": [
                {"place": a.place, "name": a.name, "km": round(a.km or 0.0, 1)}
                for a in self.unattached()
            ],
        }

    # -- routes -----------------------------------------------------------------------------
    def level_cost(self, levels: Mapping[str, int]) -> Cost:
        """A cost for `prefer="safest"`: each km of a stretch at level L counts as
        `safest_level_factor ** (L - 1)` km; a stretch missing from `levels` counts at level 1."""
        factor = self.settings.safest_level_factor
        return lambda sid: self.km[sid] * factor ** (levels.get(sid, 1) - 1)

    def route(
        self,
        origin: str,
        destination: str,
        prefer: Prefer = "shortest",
        cost: Cost | None = None,
        via: str | None = None,
    ) -> Route:
        """The shortest route, or with `prefer="safest"` the one of least `cost` (summed over
        its stretches; required), optionally along stretch `via`. Raises `NoRoute` or
        `NotOnNetwork` (input errors) when there is none."""
        if prefer == "safest" and cost is None:
            raise ValueError("prefer='safest' needs a cost per stretch")
        a, b = self.node_of(origin), self.node_of(destination)
        if via is not None and via not in self.index:
            raise InputError(Problem(self.source, f"via {via!r} is not a stretch of the network"))
        by = cost if prefer == "safest" else None
        shortest = self.graph.shortest(a, b)
        if shortest is None:
            raise self._no_route(origin, destination, a, b, None)
        if via is not None:
            chosen = self.graph.via(a, b, via, by)
            if chosen is None:  # the stretch is on another part of the network
                raise self._no_route(origin, destination, a, b, via)
        else:
            chosen = shortest if prefer == "shortest" else self.graph.path(a, b, by)
        assert chosen is not None  # the same graph has the shortest path
        return self._route(origin, destination, prefer, chosen, shortest, cost, a, via)

    def alternative(
        self,
        origin: str,
        destination: str,
        avoid: Sequence[str],
        prefer: Prefer = "shortest",
        cost: Cost | None = None,
    ) -> Route | None:
        """A route that avoids the given stretches (for a refused leg), or None when every
        path runs along one of them."""
        if prefer == "safest" and cost is None:
            raise ValueError("prefer='safest' needs a cost per stretch")
        a, b = self.node_of(origin), self.node_of(destination)
        by = cost if prefer == "safest" else None
        path = self.graph.path(a, b, by, frozenset(avoid))
        shortest = self.graph.shortest(a, b)
        if path is None or shortest is None:
            return None
        return self._route(origin, destination, prefer, path, shortest, cost, a, None)

    def _route(
        self,
        origin: str,
        destination: str,
        prefer: Prefer,
        path: list[str],
        shortest: list[str],
        cost: Cost | None,
        start: int,
        via: str | None,
    ) -> Route:
        return Route(
            origin=origin,
            destination=destination,
            prefer=prefer,
            stretches=tuple(path),
            roads=tuple(self.road_names(path, start)),
            km=sum(self.km[s] for s in path),
            shortest_km=sum(self.km[s] for s in shortest),
            via=via,
            cost=sum(cost(s) for s in path) if cost else None,
            shortest_cost=sum(cost(s) for s in shortest) if cost else None,
        )

    def road_runs(self, path: Sequence[str], start: Hashable) -> list[RoadRun]:
        """The roads a path takes, in the direction of travel: consecutive stretches of the
        same road (number, name, or unnamed track) are one run, from where the path joins it
        to where it leaves it, whichever way its stretches were drawn or named."""
        out: list[tuple[str, Hashable, Hashable, list[str]]] = []  # label, entry, exit, sids
        node = start
        for sid in path:
            u, v = self.graph.ends[sid]
            entry, node = (u, v) if node == u else (v, u)
            label = self.info[sid].label
            if out and out[-1][0] == label:
                out[-1] = (label, out[-1][1], node, [*out[-1][3], sid])
            else:
                out.append((label, entry, node, [sid]))
        return [
            RoadRun(
                lab,
                self.node_label[a],
                self.node_label[b],
                sum(self.km[s] for s in sids),
                tuple(sids),
            )
            for lab, a, b, sids in out
        ]

    def road_names(self, path: Sequence[str], start: Hashable) -> list[str]:
        """The roads a path takes by name, in the direction of travel ("RN6 Bamako – Ségou"):
        `road_runs`' names."""
        return [run.name for run in self.road_runs(path, start)]

    def no_route(self, origin: str, destination: str, via: str | None = None) -> NoRoute:
        """The error `route` raises when no road joins the two places (along stretch `via`),
        naming the separate parts of the network they are on: for a caller that routes over
        `graph` itself (the trip check)."""
        a, b = self.node_of(origin), self.node_of(destination)
        return self._no_route(origin, destination, a, b, via)

    def _no_route(self, origin: str, destination: str, a: int, b: int, via: str | None) -> NoRoute:
        names = [self.attachments[p].name for p in (origin, destination)]
        join = (
            f"Pieces join where they meet within {self.settings.join_tolerance_m:g} m "
            "(rules/roads.yaml join_tolerance_m)"
        )
        if via is not None and self.graph.connected(a, b):
            # the two places are joined, but not along a stretch on another part
            road = self.stretch(via).name
            msg = (
                f"{road} ({via}) lies in another part of the network than {names[0]} and "
                f"{names[1]}: no road in {self.source} joins them along it (the network has "
                f"{self.graph.parts()} separate parts). {names[0]} and {names[1]}'s part: "
                f"{self._describe_part(a)}; {road}'s part: "
                f"{self._describe_part(self.graph.ends[via][0])}. {join}: choose a stretch on "
                "their part, join the parts in the layer, or plan the trip by another means"
            )
            return NoRoute(Problem("", msg))
        sides: list[tuple[str, Hashable]] = [(names[0], a), (names[1], b)]
        if via is not None:
            sides.append((self.stretch(via).name, self.graph.ends[via][0]))
        parts = [f"{who}'s part: {self._describe_part(node)}" for who, node in sides]
        along = f" along {self.stretch(via).name}" if via else ""
        msg = (
            f"no road in {self.source} joins {names[0]} and {names[1]}{along}: the network has "
            f"{self.graph.parts()} separate parts and these are not all on one. "
            + "; ".join(parts)
            + f". {join}: join the parts in the layer, or plan the trip by another means"
        )
        return NoRoute(Problem("", msg))  # the message names the layer

    def _describe_part(self, node: Hashable) -> str:
        nodes = self.graph.part(node)
        sids = self.graph.part_stretches(node)
        km = sum(self.km[s] for s in sids)
        at = [a for a in self.attachments.values() if a.node in nodes]
        top = sorted(at, key=lambda a: (-a.population, a.name))[:4]
        with_places = f", with {', '.join(a.name for a in top)}" if top else ""
        n = len(sids)
        return f"{n} {plural(n, 'stretch', 'stretches')}, {km:.0f} km of road{with_places}"
