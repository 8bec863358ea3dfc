"""Real road networks: read a road layer as OpenStreetMap or HDX give it, build a network of
named stretches from its geometry, and route over it.

    net = load_road_network("roads.geojson", gazetteer, pack.roads, cache_dir=...)
    gaz = with_stretches(gazetteer, net)          # the engine rates each stretch as a road
    route = net.route("bamako", "segou")           # or prefer="safest", cost=net.level_cost(...)
    other = net.alternative("bamako", "segou", avoid=["rn6-fana-konobougou"])

`NoRoute` and `NotOnNetwork` are input errors (exit 2): a gap in the data is never reported as
a security decision.

The names are imported when first used: they need shapely and SciPy, which a run without a
road layer must not pay for. The settings (`RoadSettings`) are the rule pack's
(`rulepack.roads`, read from rules/roads.yaml on every run).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ..rulepack.roads import RoadSettings

if TYPE_CHECKING:
    from .build import build_network, load_road_network, with_stretches
    from .layer import RoadLayer, read_road_layer
    from .network import (
        Attachment,
        Cost,
        NoRoute,
        NotOnNetwork,
        Prefer,
        RoadNetwork,
        RoadRun,
        Route,
        StretchInfo,
    )

_WHERE = {
    "build_network": "build",
    "load_road_network": "build",
    "with_stretches": "build",
    "RoadLayer": "layer",
    "read_road_layer": "layer",
    "Attachment": "network",
    "Cost": "network",
    "NoRoute": "network",
    "NotOnNetwork": "network",
    "Prefer": "network",
    "RoadNetwork": "network",
    "RoadRun": "network",
    "Route": "network",
    "StretchInfo": "network",
}
__all__ = [
    "Attachment",
    "Cost",
    "NoRoute",
    "NotOnNetwork",
    "Prefer",
    "RoadLayer",
    "RoadNetwork",
    "RoadRun",
    "RoadSettings",
    "Route",
    "StretchInfo",
    "build_network",
    "load_road_network",
    "read_road_layer",
    "with_stretches",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
