"""The roads bench's generator (bench/generate_roads.py) writes an OSM-shaped layer that the
project reads cleanly and builds into one network: the bench's figures mean something only if
the layer is what the package is built for."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest
from scripts import load_script

from advisory.ingest.places import read_places
from advisory.roads import load_road_network

SCRIPT = Path(__file__).resolve().parent.parent / "bench" / "generate_roads.py"


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    return load_script(SCRIPT, "bench_generate_roads")


@pytest.fixture(scope="module")
def written(gen: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("roads")
    gen.main(["--pieces", "3000", "--places", "400", "--roads", "40", "--out", str(out)])
    return out / "roads.geojson", out / "towns.geojson"


def test_exactly_the_pieces_asked_for_and_the_same_bytes(gen: ModuleType, written, tmp_path):
    layer, _ = written
    feats = json.loads(layer.read_text("utf-8"))["features"]
    assert len(feats) == 3000
    assert {f["geometry"]["type"] for f in feats} == {"LineString"}
    assert len({f["properties"]["osm_id"] for f in feats}) == 3000
    gen.main(["--pieces", "3000", "--places", "400", "--roads", "40", "--out", str(tmp_path)])
    assert (tmp_path / "roads.geojson").read_bytes() == layer.read_bytes()


def test_the_layer_builds_into_one_main_network(gen: ModuleType, written) -> None:
    """Every town the main roads join is attached and on one part of the network (other places
    reach it by track, or lie on islands: a place far from the main roads gets a track to its
    neighbour only)."""
    layer, towns = written
    net = load_road_network(layer, read_places(towns))
    assert not [p for p in net.problems if p.field]  # no feature is bad
    [note] = [p for p in net.problems if p.severity == "note"]
    assert "residential" in note.message  # the streets are left out by their class
    places = gen.generate.generate_places(400, 40, seed=42)
    hubs = sorted({places.ids[i] for r in places.roads for i in (r.a, r.b)})
    nodes = [net.attachments[h].node for h in hubs]
    assert len(hubs) > 20 and None not in nodes
    main = net.graph.part(nodes[0])
    assert all(n in main for n in nodes)
    assert any(p.road and p.road[0] in "ANR" for p in net.stretches)  # numbered main roads
    assert any(p.name.startswith("Track ") for p in net.stretches)
