"""Keep a built network on disk so that the next check on the same layer starts at once.

One JSON file per network, named by its key (a digest of the layer's bytes, the places, the
settings and the format), so a changed input simply misses. JSON rather than pickle: reading
a cache file never runs code, and one that is damaged or from another version is ignored and
rebuilt, never trusted halfway.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
from pydantic import TypeAdapter, ValidationError

from ..errors import Problem
from ..files import write_atomic
from ..ingest.places import Place
from ..rulepack.roads import RoadSettings
from .graph import StretchGraph
from .network import Attachment, RoadNetwork, StretchInfo

_PLACES = TypeAdapter(list[Place])


def _file(folder: Path, key: str) -> Path:
    return folder / f"roads-{key.removeprefix('sha256:')[:32]}.json"


def save(folder: Path, net: RoadNetwork) -> Path:
    """Write atomically (a half-written file is never read back)."""
    doc = {
        "key": net.key,
        "source": net.source,
        "stretches": [p.model_dump(by_alias=True, exclude_none=True) for p in net.stretches],
        "info": {k: [i.label, i.highway, i.surface, i.km] for k, i in net.info.items()},
        "edges": [[u, v, sid] for sid, (u, v) in net.graph.ends.items()],
        "attachments": [
            [a.place, a.name, a.kind, a.population, a.km, a.node] for a in net.attachments.values()
        ],
        "labels": [[n, label] for n, label in net.node_label.items()],
        "problems": [[p.file, p.message, p.line, p.field, p.severity] for p in net.problems],
        "features": net.features,
        "left_out": net.left_out,
    }
    folder.mkdir(parents=True, exist_ok=True)
    target = _file(folder, net.key)
    write_atomic(target, orjson.dumps(doc))
    return target


def load(folder: Path, key: str, settings: RoadSettings) -> RoadNetwork | None:
    """The network stored under `key`, or None (absent, damaged, or another key inside)."""
    path = _file(folder, key)
    try:
        doc: Any = orjson.loads(path.read_bytes())
        if doc["key"] != key:
            return None
        return _network(doc, key, settings)
    except (OSError, orjson.JSONDecodeError, ValidationError, KeyError, TypeError, ValueError):
        return None


def _network(doc: Any, key: str, settings: RoadSettings) -> RoadNetwork:
    stretches = _PLACES.validate_python(doc["stretches"])
    info = {str(k): StretchInfo(v[0], v[1], v[2], float(v[3])) for k, v in doc["info"].items()}
    graph = StretchGraph((int(u), int(v), str(sid), info[sid].km) for u, v, sid in doc["edges"])
    if set(info) != {p.id for p in stretches} or set(graph.ends) != set(info):
        raise ValueError("stretches, edges and their details disagree")
    attachments = {
        str(a[0]): Attachment(str(a[0]), str(a[1]), str(a[2]), int(a[3]), a[4], a[5])
        for a in doc["attachments"]
    }
    source = str(doc["source"])
    return RoadNetwork(
        source=source,
        key=key,
        settings=settings,
        stretches=stretches,
        info=info,
        graph=graph,
        attachments=attachments,
        node_label={int(n): str(label) for n, label in doc["labels"]},
        problems=[Problem(str(p), m, ln, f, severity=s) for p, m, ln, f, s in doc["problems"]],
        features=int(doc["features"]),
        left_out={str(k): int(n) for k, n in doc["left_out"].items()},
    )
