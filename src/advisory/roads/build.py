"""Build a `RoadNetwork` from a road layer and a gazetteer, or load it from the cache.

The stretches become `Place`s of kind `route` (coords as (lat, lon) pairs, simplified for rating
and for the map; `road` the road number; `from`/`to` the places at their ends), so the engine
rates them as it rates the schematic roads of a places file.
"""

from __future__ import annotations

import hashlib
import itertools
from pathlib import Path

import numpy as np
import shapely
from pydantic import TypeAdapter

from ..errors import InputError, Problem
from ..ingest.places import Gazetteer, Place
from ..ingest.sources import sha256
from ..objects import gc_paused
from ..rulepack.roads import RoadSettings
from . import cache
from .graph import StretchGraph
from .layer import RoadLayer, read_road_layer
from .naming import Named, Namer, PlaceInfo, name_chains
from .network import Attachment, RoadNetwork, StretchInfo
from .topology import Chain, Places, Topology, build_topology

CACHE_FORMAT = "advisory-roads-4"  # change when what is built or stored changes
_PLACES = TypeAdapter(list[Place])


def _point_places(gaz: Gazetteer) -> PlaceInfo:
    points = [p for p in gaz.places if not p.is_route]
    return PlaceInfo(
        ids=[p.id for p in points],
        names=[p.name for p in points],
        kinds=[p.kind for p in points],
        population=[p.population or 0 for p in points],
        admin1=[p.admin1 for p in points],
        country=[p.country for p in points],
        lat=np.array([p.lat for p in points], dtype=np.float64),
        lon=np.array([p.lon for p in points], dtype=np.float64),
    )


def places_digest(gaz: Gazetteer) -> str:
    """What the network depends on in the gazetteer (point places: ids, names, kinds,
    populations, admin areas, positions), whatever file or object it came from."""
    h = hashlib.sha256()
    for p in gaz.places:
        if not p.is_route:
            row = (p.id, p.name, p.kind, p.population, p.admin1, p.country, p.coords[0])
            h.update(repr(row).encode() + b"\0")
    return "sha256:" + h.hexdigest()


def network_key(layer_digest: str, gaz: Gazetteer, settings: RoadSettings, source: str) -> str:
    parts = (CACHE_FORMAT, layer_digest, places_digest(gaz), settings.key(), source)
    return "sha256:" + hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _simplified(chains: list[Chain], tol_m: float) -> list[np.ndarray]:
    """Each chain's vertices as an (n, 2) array of (lat, lon), Douglas-Peucker simplified to
    `tol_m` on a local plane (the ends are always kept). Cut into chains by slicing: np.split
    took 0.018 s CPU, slicing 0.005 s, for the bench layer's 20,284 stretches."""
    if not chains:
        return []
    lat = np.concatenate([c.lat for c in chains])
    lon = np.concatenate([c.lon for c in chains])
    counts = np.fromiter((len(c.lat) for c in chains), np.int64, len(chains))
    if tol_m <= 0:
        return _cut(np.column_stack([lat, lon]), counts)
    k = float(np.cos(np.radians((lat.min() + lat.max()) / 2)))
    owner = np.repeat(np.arange(len(chains)), counts)
    lines = shapely.linestrings(np.column_stack([lon * k, lat]), indices=owner)
    simple = shapely.simplify(lines, tol_m / 1000 / 111.195, preserve_topology=False)
    xy, which = shapely.get_coordinates(simple, return_index=True)
    parts = _cut(
        np.column_stack([xy[:, 1], xy[:, 0] / k]), np.bincount(which, minlength=len(chains))
    )
    return [
        p if len(p) >= 2 else np.column_stack([c.lat[[0, -1]], c.lon[[0, -1]]])
        for p, c in zip(parts, chains, strict=True)
    ]


def _cut(rows: np.ndarray, counts: np.ndarray) -> list[np.ndarray]:
    """`rows` cut into consecutive blocks of `counts` rows."""
    bounds = np.concatenate([[0], np.cumsum(counts)]).tolist()
    return [rows[a:b] for a, b in itertools.pairwise(bounds)]


def _stretch_places(named: list[Named], coords: list[np.ndarray]) -> list[Place]:
    """The stretches as route places, validated as the gazetteer's are. The positions are
    rounded and made Python floats in one pass for all stretches: one `np.round` per stretch
    took 0.08 s CPU of 0.22 s for the bench layer's 26,557."""
    pts = np.round(np.concatenate(coords), 6).tolist() if coords else []
    bounds = np.cumsum([0, *map(len, coords)]).tolist()
    rows = []
    for i, n in enumerate(named):
        xy = pts[bounds[i] : bounds[i + 1]]
        rows.append(
            {
                "id": n.id,
                "name": n.name,
                "kind": "route",
                "road": n.road,
                "from": n.from_,
                "to": n.to,
                "admin1": n.admin1,
                "country": n.country,
                "coords": [tuple(pt) for pt in (xy[::-1] if n.flip else xy)],
            }
        )
    return _PLACES.validate_python(rows)


def _attachments(gaz: Gazetteer, topo: Topology, attach_ids: list[str]) -> dict[str, Attachment]:
    """Every point place: where it attaches, or how far it is from the road (None: its kind is
    not attached)."""
    out = {}
    pos = {pid: i for i, pid in enumerate(attach_ids)}
    for p in gaz.places:
        if p.is_route:
            continue
        i = pos.get(p.id)
        node = topo.place_node.get(i) if i is not None else None
        km = topo.place_km.get(i) if i is not None else None
        out[p.id] = Attachment(p.id, p.name, p.kind, p.population or 0, km, node)
    return out


def build_network(
    layer: RoadLayer, gaz: Gazetteer, settings: RoadSettings, key: str = ""
) -> RoadNetwork:
    """Join the layer's pieces, attach the gazetteer's places, and name and simplify the
    stretches between towns and junctions."""
    info = _point_places(gaz)
    kinds = set(settings.attach_kinds)
    attach = [i for i, kind in enumerate(info.kinds) if kind in kinds]
    ids = [info.ids[i] for i in attach]
    topo = build_topology(
        layer,
        Places(ids, info.lat[attach], info.lon[attach]),
        settings.attach_km,
        settings.join_tolerance_m / 1000,
        settings.snap_km,
    )
    at_info = {attach[i]: node for i, node in topo.place_node.items()}
    namer = Namer(topo, info, at_info)
    text = {"ref": layer.ref, "name": layer.name, "highway": layer.highway}
    text["surface"] = layer.surface
    km = [c.km for c in topo.chains]  # a sum over the pieces: made once, used three times
    named, ends = name_chains(
        topo.chains, namer, text, {p.id for p in gaz.places if not p.is_route}, km
    )
    stretches = _stretch_places(named, _simplified(topo.chains, settings.simplify_m))
    graph = StretchGraph(
        (c.u, c.v, n.id, k) for c, n, k in zip(topo.chains, named, km, strict=True)
    )
    infos = {
        n.id: StretchInfo(n.label, n.highway, n.surface, k) for n, k in zip(named, km, strict=True)
    }
    attachments = _attachments(gaz, topo, ids)
    net = RoadNetwork(
        source=layer.path,
        key=key,
        settings=settings,
        stretches=stretches,
        info=infos,
        graph=graph,
        attachments=attachments,
        node_label={node: e.label for node, e in ends.items()},
        problems=list(layer.problems),
        features=layer.features,
        left_out=dict(layer.left_out),
    )
    return net


def load_road_network(
    path: Path | str,
    gazetteer: Gazetteer,
    settings: RoadSettings | None = None,
    cache_dir: Path | None = None,
) -> RoadNetwork:
    """The network of a road layer, with the gazetteer's places attached. With `cache_dir`, a
    network built before from the same layer bytes, places and settings is read back instead
    of built (the cache is a JSON file: reading it never runs code)."""
    settings = settings or RoadSettings()
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        msg = f"cannot read the road layer: {exc.strerror}"
        raise InputError(Problem(source, msg)) from exc
    digest = sha256(raw)
    key = network_key(digest, gazetteer, settings, source)
    # a million small objects, none of them garbage; the network's kept out of the collector's
    # walks where a command thaws them later (see gc_paused): the one pass that followed the
    # build walked its 210,000 young objects (0.09-0.10 s CPU on the bench layer)
    with gc_paused(keep=True):
        cached = cache.load(Path(cache_dir), key, settings) if cache_dir is not None else None
        if cached is None:
            layer = read_road_layer(Path(path), settings, gazetteer.extent(), raw)
            net = build_network(layer, gazetteer, settings, key)
            if cache_dir is not None:
                cache.save(Path(cache_dir), net)
        else:
            net = cached
    net.layer_sha256 = digest
    return net


def with_stretches(gaz: Gazetteer, net: RoadNetwork) -> Gazetteer:
    """The gazetteer's point places with the network's stretches as its roads, sorted by id as
    `read_places` sorts them, so the engine rates each stretch like a schematic road. The
    layer replaces the places file's own roads (`from`/`to` routes): they are neither rated,
    drawn nor routed over, so a road is never counted twice, once schematic and once real."""
    points = [p for p in gaz.places if not p.is_route]
    places = sorted([*points, *net.stretches], key=lambda p: p.id)
    return Gazetteer(places, gaz.digest)  # the places file's records, as read
