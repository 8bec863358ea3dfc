"""Road networks built from an OSM-shaped road layer (issue 18): joining pieces, attaching
places, naming stretches, stable ids, routing, the no-route input error, rating and the cache.
The layer is described in `road_layers.py`."""

from __future__ import annotations

import itertools
import json
from datetime import date
from pathlib import Path

import pytest
from acled_factory import line, point, series, write_csv, write_places
from road_layers import (
    BAMAKO,
    DEAD_END,
    FANA,
    KONOBOUGOU,
    RN6,
    RN18,
    SEGOU,
    country,
    country_features,
    east,
    multi,
    north,
    way,
    write_layer,
)

from advisory.engine import Run, assess
from advisory.errors import InputError
from advisory.geo import haversine
from advisory.ingest.places import Gazetteer, read_places
from advisory.outputs.report import render_html
from advisory.outputs.report.svg import LEVEL_STROKE
from advisory.outputs.trip.network import RoadNetwork as TripNetwork
from advisory.roads import (
    NoRoute,
    NotOnNetwork,
    RoadNetwork,
    RoadSettings,
    load_road_network,
    with_stretches,
)

RN6_IDS = ["rn6-bamako-jd01c5f", "rn6-fana-jd01c5f", "rn6-fana-konobougou", "rn6-segou-konobougou"]


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    return country(tmp_path)


@pytest.fixture
def gaz(files: tuple[Path, Path]) -> Gazetteer:
    return read_places(files[1])


@pytest.fixture
def net(files: tuple[Path, Path], gaz: Gazetteer) -> RoadNetwork:
    return load_road_network(files[0], gaz)


def names(net: RoadNetwork) -> dict[str, str]:
    return {p.id: p.name for p in net.stretches}


# -- building -------------------------------------------------------------------------------
def test_pieces_join_into_stretches_between_towns_and_junctions(net: RoadNetwork) -> None:
    """Two ways split at a vertex and a MultiLineString make one road; it is cut where places
    attach (Fana, Konobougou) and where the track joins, not where the pieces were split."""
    assert names(net) == {
        "rn6-bamako-jd01c5f": "RN6 Bamako – junction 38 km W of Fana",
        "rn6-fana-jd01c5f": "RN6 Fana – junction 38 km W of Fana",
        "rn6-fana-konobougou": "RN6 Fana – Konobougou",
        "rn6-segou-konobougou": "RN6 Ségou – Konobougou",
        "r12-bamako-segou": "R12 Bamako – Ségou",
        # the track's junction is placed from Dioïla, 35 km along the track, not from Fana, 24 km
        # away as the crow flies but farther by road (review of issue 18)
        "track-jd01c5f-jd01d8f": "Track junction 38 km W of Fana – junction 35 km NW of Dioïla",
        "track-dioila-jd01d8f": "Track Dioïla – junction 35 km NW of Dioïla",
        "track-jc5816e-jd01d8f": "Track road end 20 km NW of Dioïla – junction 35 km NW of Dioïla",
        "rn18-aguelhok-tessalit": "RN18 Aguelhok – Tessalit",
    }


def test_stretches_are_route_places_the_engine_rates(net: RoadNetwork) -> None:
    s = net.stretch("rn6-segou-konobougou")
    assert s.kind == "route" and s.is_route and s.road == "RN6"
    assert (s.from_, s.to) == ("segou", "konobougou")  # the larger place first
    assert s.coords[0] == pytest.approx(RN6[-1], abs=1e-6)  # 300 m short of Ségou
    # Konobougou attaches at the nearest point of the RN6, nearer than its vertex 200 m north
    attached = net.attachments["konobougou"].km
    assert attached == pytest.approx(haversine(*s.coords[-1], *KONOBOUGOU), abs=1e-3)
    assert attached < haversine(*north(KONOBOUGOU, 0.2), *KONOBOUGOU) - 0.03
    track = net.stretch("track-jc5816e-jd01d8f")
    assert (track.from_, track.to, track.road) == (None, None, None)  # junction, road end
    assert track.coords[-1] == pytest.approx(DEAD_END[0], abs=1e-6)
    assert net.info["track-dioila-jd01d8f"].surface == "dirt"
    assert net.info["track-dioila-jd01d8f"].highway == "track"


def test_a_t_junction_stopping_short_of_the_road_is_joined(net: RoadNetwork) -> None:
    """The track stops 8 m short of the middle of an RN6 segment: within the 20 m tolerance it
    joins there, cutting the RN6 (a vertex is added)."""
    ends = {net.graph.ends[s] for s in ("rn6-bamako-jd01c5f", "track-jd01c5f-jd01d8f")}
    shared = set.intersection(*(set(e) for e in ends))
    assert len(shared) == 1
    tight = load_road_network(*_rebuilt(net), RoadSettings(join_tolerance_m=5))
    assert "rn6-bamako-fana" in names(tight)  # 8 m is too far at 5 m: no junction
    assert tight.graph.parts() == net.graph.parts() + 1


def _rebuilt(net: RoadNetwork) -> tuple[Path, Gazetteer]:
    layer = Path(net.source)
    return layer, read_places(layer.with_name("towns.geojson"))


def test_places_attach_within_the_distance_and_far_ones_are_named(net: RoadNetwork) -> None:
    bamako = net.attachments["bamako"]
    assert bamako.node is not None and bamako.km == pytest.approx(0.3, abs=0.01)  # ends short
    kidal = net.attachments["kidal"]
    assert kidal.node is None and kidal.km == pytest.approx(23, abs=0.2)
    warned = [str(p) for p in net.warnings() if "Kidal" in p.message]
    assert len(warned) == 1 and warned[0].startswith("Kidal is 23 km from the nearest road in ")
    with pytest.raises(NotOnNetwork) as exc:
        net.route("bamako", "kidal")
    msg = str(exc.value)
    assert msg.startswith("Kidal is 23 km from the nearest road in ") and "roads.geojson" in msg
    assert "attach_km" in msg and exc.value.exit_code == 2


def test_kinds_not_attached_are_said(files: tuple[Path, Path], gaz: Gazetteer) -> None:
    net = load_road_network(files[0], gaz, RoadSettings(attach_kinds=("capital", "city")))
    assert net.attachments["bamako"].node is not None
    assert net.attachments["fana"].node is None and net.attachments["fana"].km is None
    with pytest.raises(NotOnNetwork, match=r"its kind 'town' is not in rules/roads\.yaml"):
        net.route("bamako", "fana")


def test_a_road_number_change_ends_a_stretch(tmp_path: Path, gaz: Gazetteer) -> None:
    """Where the RN18 simply becomes the RN19 (no junction, no place) the stretch ends; where
    a piece without a number sits between numbered ones, it does not."""
    feats = [
        way(801, RN18[:2], highway="primary", ref="RN18"),
        way(802, RN18[1:], highway="primary", ref="RN19"),
    ]
    net = load_road_network(write_layer(tmp_path / "change.geojson", feats), gaz)
    # placed from Aguelhok along the road, not from Kidal, off the road 23 km away
    assert sorted(names(net).values()) == [
        "RN18 Aguelhok – road change 41 km N of Aguelhok",
        "RN19 Tessalit – road change 41 km N of Aguelhok",
    ]
    assert net.route("aguelhok", "tessalit").roads == (
        "RN18 Aguelhok – road change 41 km N of Aguelhok",
        "RN19 road change 41 km N of Aguelhok – Tessalit",
    )
    feats[1]["properties"].pop("ref")
    net = load_road_network(write_layer(tmp_path / "unnumbered.geojson", feats), gaz)
    assert list(names(net).values()) == ["RN18 Aguelhok – Tessalit"]


def test_rings_are_one_stretch_named_as_a_loop(tmp_path: Path, gaz: Gazetteer) -> None:
    """A closed way is a loop: at the town it passes, or placed from the nearest place."""
    ring = [north(RN18[1], d) for d in (0.0, 10.0)]
    ring = [ring[0], ring[1], (ring[1][0], 1.1), (ring[0][0], 1.1), ring[0]]
    net = load_road_network(write_layer(tmp_path / "ring.geojson", [way(1, ring)]), gaz)
    assert names(net) == {"road-j1ad618-loop": "Road loop 23 km W of Kidal"}  # from its start
    assert net.graph.ends["road-j1ad618-loop"][0] == net.graph.ends["road-j1ad618-loop"][1]
    through = [*RN18[:2], (19.83, 1.1), (19.6, 1.1), RN18[0]]  # by Aguelhok
    net = load_road_network(write_layer(tmp_path / "through.geojson", [way(2, through)]), gaz)
    assert names(net) == {"road-aguelhok-loop": "Road loop at Aguelhok"}


def test_highway_classes_not_kept_are_counted_not_used(net: RoadNetwork) -> None:
    [note] = [p for p in net.problems if p.severity == "note"]
    assert "1 feature of highway classes not kept was left out (residential 1)" in str(note)
    assert not any("residential" in p.name.lower() for p in net.stretches)


# -- ids ------------------------------------------------------------------------------------
def test_same_input_same_ids_and_unrelated_edits_keep_them(tmp_path: Path) -> None:
    layer, places = country(tmp_path)
    gaz = read_places(places)
    first = names(load_road_network(layer, gaz))
    assert names(load_road_network(layer, gaz)) == first
    feats = country_features()
    # the features in another order, the RN18 split in two, a new track far from the rest
    feats = feats[::-1]
    rn18 = next(f for f in feats if f["properties"]["osm_id"] == 501)
    coords = rn18["geometry"]["coordinates"]
    feats.remove(rn18)
    feats += [
        {**rn18, "geometry": {"type": "LineString", "coordinates": coords[:2]}},
        {**rn18, "geometry": {"type": "LineString", "coordinates": coords[1:]}},
        way(601, [(15.0, -3.0), (15.2, -2.9)], highway="track"),
    ]
    edited = names(load_road_network(write_layer(tmp_path / "edited.geojson", feats), gaz))
    assert {k: v for k, v in edited.items() if k in first} == first
    assert set(edited) - set(first) == {"track-j815285-j88caf0"}


def test_stretches_with_the_same_ends_get_distinct_ids(tmp_path: Path) -> None:
    layer, places = country(tmp_path)
    feats = country_features()
    # two tracks beside the RN18, sharing its end vertices
    feats.append(way(701, [RN18[0], (19.83, 1.05), RN18[-1]], highway="track"))
    feats.append(way(702, [RN18[0], (19.83, 0.95), RN18[-1]], highway="track"))
    net = load_road_network(write_layer(layer, feats), read_places(places))
    tracks = sorted(k for k in names(net) if k.startswith("track-aguelhok-tessalit"))
    assert len(tracks) == 2 and tracks[0] != tracks[1]
    assert {names(net)[t] for t in tracks} == {  # and distinct names (review of issue 18)
        "Track Aguelhok – Tessalit (E branch)",
        "Track Aguelhok – Tessalit (W branch)",
    }


# -- routes ---------------------------------------------------------------------------------
def test_shortest_route_lists_the_roads_by_name(net: RoadNetwork) -> None:
    r = net.route("bamako", "segou")
    assert list(r.stretches) == RN6_IDS
    assert r.roads == ("RN6 Bamako – Ségou",)
    assert r.km == pytest.approx(222.4, abs=0.1) and r.longer_km == 0
    back = net.route("segou", "bamako")
    assert list(back.stretches) == RN6_IDS[::-1] and back.roads == ("RN6 Ségou – Bamako",)
    r = net.route("bamako", "dioila")
    assert r.roads == ("RN6 Bamako – junction 38 km W of Fana",
                       "Track junction 38 km W of Fana – Dioïla")  # fmt: skip


def test_safest_route_minimises_the_cost_and_says_how_much_longer(net: RoadNetwork) -> None:
    levels = {"rn6-fana-konobougou": 4}
    r = net.route("bamako", "segou", prefer="safest", cost=net.level_cost(levels))
    assert r.stretches == ("r12-bamako-segou",) and r.roads == ("R12 Bamako – Ségou",)
    assert r.longer_km == pytest.approx(229.1 - 222.4, abs=0.1)
    assert r.cost == pytest.approx(229.06, abs=0.1) and r.shortest_cost > 25_000
    assert "7 km (3%) longer than the shortest route (222 km)" in r.describe()
    quiet = net.route("bamako", "segou", prefer="safest", cost=net.level_cost({}))
    assert list(quiet.stretches) == RN6_IDS  # nothing to avoid: the shorter way
    with pytest.raises(ValueError, match="needs a cost"):
        net.route("bamako", "segou", prefer="safest")


def test_via_a_stretch(net: RoadNetwork) -> None:
    r = net.route("fana", "segou", via="r12-bamako-segou")
    assert r.stretches == ("rn6-fana-jd01c5f", "rn6-bamako-jd01c5f", "r12-bamako-segou")
    assert r.via == "r12-bamako-segou" and r.longer_km > 100
    with pytest.raises(InputError, match="not a stretch"):
        net.route("fana", "segou", via="rn99")


def test_an_alternative_avoids_stretches_or_is_none(net: RoadNetwork) -> None:
    alt = net.alternative("bamako", "segou", avoid=["rn6-fana-konobougou"])
    assert alt is not None and alt.stretches == ("r12-bamako-segou",)
    assert alt.shortest_km == pytest.approx(222.4, abs=0.1)
    assert net.alternative("bamako", "dioila", avoid=["track-dioila-jd01d8f"]) is None


def test_no_route_is_an_input_error_naming_the_parts(net: RoadNetwork) -> None:
    with pytest.raises(NoRoute) as exc:
        net.route("bamako", "tessalit")
    err = exc.value
    assert isinstance(err, InputError) and err.exit_code == 2  # exit 2, never a refusal
    msg = str(err)
    assert msg.startswith("no road in ") and "joins Bamako and Tessalit" in msg
    assert "the network has 2 separate parts" in msg
    assert "Bamako's part: 8 stretches, 528 km of road, with Bamako, Ségou, Fana, Dioïla" in msg
    assert "Tessalit's part: 1 stretch, 82 km of road, with Aguelhok, Tessalit" in msg
    assert net.route("aguelhok", "tessalit").roads == ("RN18 Aguelhok – Tessalit",)


def test_the_trip_network_routes_over_a_built_network(net: RoadNetwork, gaz: Gazetteer) -> None:
    trip = TripNetwork.build(with_stretches(gaz, net), net)
    assert trip.shortest("bamako", "segou") == RN6_IDS
    assert trip.shortest("bamako", "segou", frozenset({"rn6-fana-konobougou"})) == [
        "r12-bamako-segou"
    ]
    assert trip.shortest("bamako", "tessalit") is None
    assert trip.km(RN6_IDS) == pytest.approx(222.4, abs=0.1)
    assert set(trip.passed(RN6_IDS, 10)) == {"bamako", "fana", "konobougou", "segou"}
    with pytest.raises(NotOnNetwork):
        trip.shortest("bamako", "kidal")


# -- rating ---------------------------------------------------------------------------------
def test_stretches_are_rated_like_roads(tmp_path: Path, net: RoadNetwork, gaz: Gazetteer) -> None:
    """Ambushes on a stretch raise its ambush level; the same events at precision 3 (a region
    centroid) never make a hotspot on it."""
    on_road = (12.85, -6.86)  # a vertex of the RN6 between Fana and Konobougou
    ext = with_stretches(gaz, net)
    assert len(ext.places) == len(gaz.places) + len(net.stretches)

    def level(precision: int) -> int:
        rows = series("A", date(2025, 10, 20), 8, *on_road, precision=precision)
        csv = write_csv(tmp_path / f"p{precision}.csv", rows)
        run = assess([csv], gazetteer=ext, as_of=date(2025, 11, 20))
        loc = {x.id: x for x in run.assessment.locations}
        assert loc["r12-bamako-segou"].personal_security.hazards["ambush"].level == 1
        return loc["rn6-fana-konobougou"].personal_security.hazards["ambush"].level

    # eight ambushes in a month on the stretch: the fitted model puts the next month's
    # chance at Medium or above (the shipped pack's bands)
    assert level(2) >= 3
    assert level(3) == 1


def test_the_map_draws_the_stretches_by_level(tmp_path: Path, net: RoadNetwork, gaz) -> None:
    """The report's map draws every road of the run's gazetteer: with the stretches added, the
    real (simplified) roads, coloured by level."""
    csv = write_csv(tmp_path / "a.csv", series("A", date(2025, 10, 20), 8, 12.85, -6.86))

    def drawn(g: Gazetteer) -> tuple[str, Run]:
        run = assess([csv], gazetteer=g, as_of=date(2025, 11, 20))
        return render_html(run.assessment).split('class="map"', 1)[1].split("</svg>", 1)[0], run

    svg, run = drawn(with_stretches(gaz, net))
    bare, _ = drawn(gaz)
    casing = 'stroke="#fff" stroke-width='  # a white casing under each road (and the legend's)
    assert svg.count(casing) - bare.count(casing) == len(net.stretches)
    hot = net.stretch("rn6-fana-konobougou")
    level = {x.id: x.personal_security.level for x in run.assessment.locations}[hot.id]
    assert level >= 3 and svg.count(f'stroke="{LEVEL_STROKE[level]}" stroke-width') >= 1


# -- cache ----------------------------------------------------------------------------------
def test_a_cached_network_is_the_built_one(tmp_path: Path, files, gaz: Gazetteer) -> None:
    cache = tmp_path / "cache"
    built = load_road_network(files[0], gaz, cache_dir=cache)
    [stored] = list(cache.glob("roads-*.json"))
    again = load_road_network(files[0], gaz, cache_dir=cache)
    assert again.stretches == built.stretches and again.key == built.key
    assert again.route("bamako", "segou") == built.route("bamako", "segou")
    assert [str(p) for p in again.problems] == [str(p) for p in built.problems]
    # the cache is what was read: alter it and the alteration shows (then: a new key rebuilds)
    doc = json.loads(stored.read_text("utf-8"))
    doc["stretches"][0]["name"] = "From the cache"
    stored.write_text(json.dumps(doc), "utf-8")
    assert load_road_network(files[0], gaz, cache_dir=cache).stretches[0].name == "From the cache"
    other = load_road_network(files[0], gaz, RoadSettings(simplify_m=10), cache_dir=cache)
    assert other.key != built.key and len(list(cache.glob("roads-*.json"))) == 2


def test_a_damaged_cache_is_rebuilt(tmp_path: Path, files, gaz: Gazetteer) -> None:
    cache = tmp_path / "cache"
    built = load_road_network(files[0], gaz, cache_dir=cache)
    [stored] = list(cache.glob("roads-*.json"))
    for damage in ("{not json", json.dumps({"key": built.key, "stretches": [{"id": "BAD"}]})):
        stored.write_text(damage, "utf-8")
        again = load_road_network(files[0], gaz, cache_dir=cache)
        assert again.stretches == built.stretches
        assert json.loads(stored.read_text("utf-8"))["key"] == built.key  # written anew


def test_a_multilinestring_part_counts_in_the_length(tmp_path: Path, gaz: Gazetteer) -> None:
    """Both parts of the RN6's MultiLineString carry the route: dropping the second part
    leaves Ségou on the R12 alone."""
    feats = [f for f in country_features() if f["properties"]["osm_id"] != 103]
    rn6 = next(f for f in country_features() if f["properties"]["osm_id"] == 103)
    parts = rn6["geometry"]["coordinates"]
    feats.append(multi(103, [[(la, lo) for lo, la in parts[0]]], highway="trunk", ref="RN6"))
    net = load_road_network(write_layer(tmp_path / "one-part.geojson", feats), gaz)
    assert net.route("bamako", "segou").stretches == ("r12-bamako-segou",)


# -- towns the lines stop short of, and junctions beside towns ------------------------------
def _town_layer(tmp_path: Path, feats: list[dict], name: str = "t.geojson") -> Path:
    return write_layer(tmp_path / name, feats)


def _towns(tmp_path: Path) -> Gazetteer:
    return read_places(
        write_places(
            tmp_path / "towns.geojson",
            [
                point("bamako", "Bamako", "capital", *BAMAKO, population=2_800_000),
                point("fana", "Fana", "town", *FANA, population=36_000),
                point("konobougou", "Konobougou", "village", *KONOBOUGOU, population=9_000),
                point("segou", "Ségou", "city", *SEGOU, population=130_000),
            ],
        )
    )


def test_a_town_the_road_stops_short_of_on_both_sides_joins_both_ends(tmp_path: Path) -> None:
    """The RN6 stops 1.5 km west of Fana and starts again 1.5 km east of it: Fana joins both
    ends (within attach_km), so the road runs through Fana, the gap drawn and counted. A road
    passing 3 km from Fana is not joined to it, and a dead-end spur out of Fana is no loop."""
    west = [BAMAKO, (12.70, -7.40), east(FANA, -1.5)]
    east_ = [east(FANA, 1.5), (13.10, -6.55), SEGOU]
    passing = [north(east(FANA, -30), 3), north(east(FANA, 30), 3)]
    spur = [FANA, north(FANA, -2)]
    feats = [
        way(1, west, highway="primary", ref="RN6"),
        way(2, east_, highway="primary", ref="RN6"),
        way(3, passing, highway="track"),
        way(4, spur, highway="track"),
    ]
    gaz = _towns(tmp_path)
    net = load_road_network(_town_layer(tmp_path, feats), gaz)
    got = set(names(net).values())
    assert {"RN6 Bamako – Fana", "RN6 Fana – Konobougou", "RN6 Ségou – Konobougou"} <= got
    route = net.route("bamako", "segou")
    assert route.roads == ("RN6 Bamako – Ségou",)
    straight = [haversine(*a, *b) for a, b in itertools.pairwise(west)]
    straight += [haversine(*east(FANA, -1.5), *east(FANA, 1.5))]
    straight += [haversine(*a, *b) for a, b in itertools.pairwise(east_)]
    assert route.km == pytest.approx(float(sum(straight)), abs=0.05)  # the gap counts
    through = net.stretch("rn6-fana-konobougou").coords  # drawn from Fana (where it attaches)
    assert [*through[0], *through[1]] == pytest.approx([*FANA, *east(FANA, 1.5)], abs=1e-6)
    assert net.route("fana", "segou").km < net.route("bamako", "segou").km
    track = [p.name for p in net.stretches if p.name.startswith("Track")]
    assert "Track Fana – road end 2.0 km S of Fana" in track  # no loop back to Fana
    assert not [n for n in track if n.startswith("Track Fana") and "S of Fana" not in n], track
    assert net.graph.parts() == 2  # the passing track stays on its own


def test_a_junction_or_road_end_near_a_town_is_the_town(tmp_path: Path) -> None:
    """Konobougou attaches to the RN6 300 m from where a track leaves it, and the RN1 starts
    400 m beside Bamako: with snap_km (1.5) the junction and the road end are the towns, so
    the stretches run town to town; snap_km 0 gives the short stubs back. The ids stay when
    the pieces are reversed, re-split and shuffled."""
    junction = east(KONOBOUGOU, 0.3)
    rn6 = [east(BAMAKO, 2), FANA, north(east(KONOBOUGOU, -0.5), 0.05), junction, SEGOU]
    track = [junction, north(junction, 20)]
    rn1 = [north(east(BAMAKO, 0.3), -0.4), north(east(BAMAKO, 0.3), 20)]  # starts beside Bamako
    feats = [
        way(1, rn6[:3], highway="primary", ref="RN6"),
        way(2, rn6[2:], highway="primary", ref="RN6"),
        way(3, track, highway="track"),
        way(4, rn1, highway="primary", ref="RN1"),
    ]
    gaz = _towns(tmp_path)
    net = load_road_network(_town_layer(tmp_path, feats), gaz)
    got = set(names(net).values())
    assert {"RN6 Fana – Konobougou", "RN6 Ségou – Konobougou"} <= got, got
    assert not [n for n in got if " near " in n], got
    assert any(n.startswith("Track Konobougou – road end") for n in got), got
    assert any(n.startswith("RN1 Bamako – road end") for n in got), got
    km = {p.name: net.info[p.id].km for p in net.stretches}
    whole = haversine(*rn6[2], *junction) + haversine(*junction, *SEGOU)
    assert km["RN6 Ségou – Konobougou"] + km["RN6 Fana – Konobougou"] == pytest.approx(
        float(haversine(*FANA, *rn6[2]) + whole), abs=0.01
    )  # no road lost: the towns moved, the stretches were joined again
    loose = load_road_network(_town_layer(tmp_path, feats), gaz, RoadSettings(snap_km=0))
    stubs = [n for n in names(loose).values() if " near " in n]
    assert "RN6 Konobougou – junction near Konobougou" in stubs
    assert "RN1 Bamako – road end near Bamako" in stubs
    # reversed, re-split, shuffled: the same ids and names
    other = [
        way(9, rn6[:2], highway="primary", ref="RN6"),
        way(8, rn6[1:4][::-1], highway="primary", ref="RN6"),
        way(7, rn6[3:], highway="primary", ref="RN6"),
        way(4, rn1[::-1], highway="primary", ref="RN1"),
        way(3, track[::-1], highway="track"),
    ]
    again = load_road_network(_town_layer(tmp_path, other, "other.geojson"), gaz)
    assert names(again) == names(net)


ENDS = {"from": "bamako", "to": "segou"}


def test_the_layer_replaces_the_places_files_own_roads(tmp_path: Path) -> None:
    """A places file with schematic roads (from/to): with a road layer those are not rated,
    drawn or routed over, and a stretch may take an id a schematic road has."""
    places = write_places(
        tmp_path / "towns.geojson",
        [
            point("bamako", "Bamako", "capital", *BAMAKO, population=2_800_000),
            point("segou", "Ségou", "city", *SEGOU, population=130_000),
            line("rn6-bamako-segou", "RN6", [BAMAKO, SEGOU], road="RN6", **ENDS),
            line("rn7-bamako-segou", "RN7", [BAMAKO, SEGOU], road="RN7", **ENDS),
        ],
    )
    gaz = read_places(places)
    layer = _town_layer(tmp_path, [way(1, [BAMAKO, FANA, SEGOU], highway="primary", ref="RN6")])
    net = load_road_network(layer, gaz)
    assert names(net) == {"rn6-bamako-segou": "RN6 Bamako – Ségou"}  # not rn6-bamako-segou-xxxx
    rated = with_stretches(gaz, net)
    routes = [p for p in rated.places if p.is_route]
    assert [(p.id, len(p.coords)) for p in routes] == [("rn6-bamako-segou", 3)]
    assert {p.id for p in rated.places if not p.is_route} == {"bamako", "segou"}


def test_a_junction_is_placed_from_a_town_on_its_roads(tmp_path: Path) -> None:
    """A town 30 km north of the junction where the track leaves the RN6, on a road of its
    own, is nearer as the crow flies than Fana (38 km), but a traveller on the RN6 comes from
    Fana: the junction is "38 km W of Fana" (was "30 km S of" the other town, review of issue
    18). A town within 1 km stays ("near"), and one less than half as far as the nearest town
    along the roads names it."""
    mid = (12.72, -7.30)
    town = north(mid, 30)
    feats = [*country_features(), way(601, [east(town, -5), east(town, 5)], highway="primary",
                                      ref="RN60")]  # fmt: skip
    layer, places = country(tmp_path)
    doc = json.loads(places.read_text("utf-8"))
    doc["features"].append(point("nearby", "Nearby", "town", *town, population=50_000))
    places.write_text(json.dumps(doc), "utf-8")
    net = load_road_network(write_layer(layer, feats), read_places(places))
    assert names(net)["rn6-fana-jd01c5f"] == "RN6 Fana – junction 38 km W of Fana"
    assert "Nearby" not in " ".join(p.name for p in net.stretches if p.road != "RN60")
    # 15 km north instead: less than half as far as Fana, so it names the junction
    doc["features"][-1] = point("nearby", "Nearby", "town", *north(mid, 15), population=50_000)
    places.write_text(json.dumps(doc), "utf-8")
    feats[-1] = way(601, [east(north(mid, 15), -5), east(north(mid, 15), 5)], highway="primary",
                    ref="RN60")  # fmt: skip
    net = load_road_network(write_layer(layer, feats), read_places(places))
    assert names(net)["rn6-fana-jd01c5f"] == "RN6 Fana – junction 15 km S of Nearby"


def test_a_name_never_repeats_a_place_and_two_stretches_never_share_one(tmp_path: Path) -> None:
    """ "Piste de Néma – Agouar", not "Piste de Néma Néma – Agouar"; two tracks between the
    same towns are told apart by where each lies ("(N branch)", "(S branch)"), as 26 pairs of
    a generated layer were not (review of issue 18)."""
    nema, agouar = (16.61, -7.26), (16.61, -7.00)
    places = write_places(tmp_path / "towns.geojson", [
        point("nema", "Néma", "town", *nema, population=60_000),
        point("agouar", "Agouar", "village", *agouar, population=2_000),
        point("kiffa", "Kiffa", "town", *north(nema, 40), population=50_000),
    ])  # fmt: skip
    feats = [
        way(1, [nema, north((16.61, -7.13), 3), agouar], highway="track", name="Piste de Néma"),
        way(2, [nema, north((16.61, -7.13), -3), agouar], highway="track", name="Piste de Néma"),
        way(3, [north(nema, 40), nema], highway="track", name="Route de Kiffa"),
    ]
    net = load_road_network(write_layer(tmp_path / "roads.geojson", feats), read_places(places))
    assert sorted(names(net).values()) == [
        "Piste de Néma – Agouar (N branch)",
        "Piste de Néma – Agouar (S branch)",
        "Route de Kiffa – Néma",  # Kiffa is the larger end, named once
    ]
    assert net.route("nema", "agouar").roads == ("Piste de Néma – Agouar",)
    assert net.route("agouar", "nema").roads == ("Piste de Néma Agouar – Néma",)
    feats[1] = way(2, [nema, north((16.61, -7.13), -3), agouar], highway="track")
    feats.append(way(4, [nema, north((16.61, -7.13), 1), agouar], highway="track",
                     name="Piste de Néma"))  # fmt: skip
    feats.append(way(5, [nema, north((16.61, -7.13), 2), agouar], highway="track",
                     name="Piste de Néma"))  # fmt: skip
    net = load_road_network(write_layer(tmp_path / "three.geojson", feats), read_places(places))
    three = sorted(n for n in names(net).values() if n.startswith("Piste de Néma"))
    assert three == [f"Piste de Néma – Agouar ({k} of 3)" for k in (1, 2, 3)]
