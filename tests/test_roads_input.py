"""A road layer's bad input: each bad feature named by index and id, with what is wrong; the
usable features go on; a layer with nothing usable, or that is not GeoJSON, is an input error.
And the optional rule-pack file that steers the build (`rules/roads.yaml`)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from road_layers import country, multi, way, write_layer

from advisory.errors import InputError, Problem, RulePackError
from advisory.ingest.places import read_places
from advisory.roads import RoadSettings, load_road_network, read_road_layer
from advisory.rulepack import load_pack
from advisory.rulepack.load import default_rules_dir

EXTENT = (12.0, -9.0, 14.0, -6.0)  # min lat, min lon, max lat, max lon: southern Mali
GOOD = way(1, [(12.5, -8.0), (12.6, -7.5)], highway="primary", ref="RN1")


def read(tmp_path: Path, features: list[dict]) -> tuple[list[str], int]:
    """The warnings (as printed) and the number of pieces kept."""
    layer = read_road_layer(write_layer(tmp_path / "r.geojson", features), RoadSettings(), EXTENT)
    return [str(p) for p in layer.problems if p.severity == "warning"], layer.pieces


def one_warning(tmp_path: Path, feature: dict) -> str:
    warnings, pieces = read(tmp_path, [GOOD, feature])
    assert pieces == 1  # the good feature goes on
    [w] = warnings
    assert "r.geojson: field features[1]: " in w
    return w


def test_points_and_polygons_are_named_and_left_out(tmp_path: Path) -> None:
    point = {"type": "Point", "coordinates": [-8.0, 12.5]}
    w = one_warning(tmp_path, {"type": "Feature", "properties": {"osm_id": 77}, "geometry": point})
    assert w.endswith(
        "osm_id 77: Point geometry: a road layer takes LineString or MultiLineString features; "
        "feature left out"
    )
    poly = {"type": "Polygon", "coordinates": [[[-8, 12], [-7, 12], [-7, 13], [-8, 12]]]}
    w = one_warning(tmp_path, {"type": "Feature", "properties": {"@id": "way/9"}, "geometry": poly})
    assert "@id way/9: Polygon geometry" in w


def test_empty_and_missing_geometries(tmp_path: Path) -> None:
    empty = {"type": "Feature", "properties": {"osm_id": 5},
             "geometry": {"type": "LineString", "coordinates": []}}  # fmt: skip
    assert one_warning(tmp_path, empty).endswith(
        "osm_id 5: the LineString is empty (no positions); feature left out"
    )
    null = {"type": "Feature", "properties": {"fid": 3}, "geometry": None}
    assert one_warning(tmp_path, null).endswith("fid 3: no geometry (null); feature left out")
    single = way(6, [(12.5, -8.0), (12.5, -8.0)])
    assert "osm_id 6: the LineString has fewer than 2 distinct positions" in one_warning(
        tmp_path, single
    )
    anonymous = {"type": "Feature", "properties": {}, "geometry": {"type": "MultiLineString",
                 "coordinates": []}}  # fmt: skip
    assert "no id property: the MultiLineString is empty (no parts)" in one_warning(
        tmp_path, anonymous
    )


def test_coordinates_out_of_range_or_not_numbers(tmp_path: Path) -> None:
    bad = way(8, [(12.5, -8.0), (12.6, 200.0)])
    assert "osm_id 8: the LineString position 1 [200.0, 12.6] is out of range (GeoJSON order is " \
        "[longitude, latitude]); feature left out" in one_warning(tmp_path, bad)  # fmt: skip
    text = way(9, [(12.5, -8.0)])
    text["geometry"]["coordinates"].append(["-7.5", "12.6"])
    assert "osm_id 9: the LineString position 1 is ['-7.5', '12.6'], expected [longitude, " \
        "latitude]" in one_warning(tmp_path, text)  # fmt: skip
    flat = way(10, [(12.5, -8.0)])
    flat["geometry"]["coordinates"].append(True)
    assert "position 1 is True" in one_warning(tmp_path, flat)


def test_swapped_coordinates_are_recognised(tmp_path: Path) -> None:
    """[lat, lon] pairs: outside the places' extent as given, inside it when swapped."""
    swapped = way(11, [(-8.0, 12.5), (-7.5, 12.6), (-7.2, 12.7)])
    w = one_warning(tmp_path, swapped)
    assert "osm_id 11: the LineString has coordinates that look swapped ([latitude, longitude" in w
    # a road simply outside the extent, not swapped, is kept
    warnings, pieces = read(tmp_path, [GOOD, way(12, [(20.0, 1.0), (20.2, 1.1)])])
    assert warnings == [] and pieces == 2


def test_a_multilinestring_with_empty_parts_keeps_its_good_parts(tmp_path: Path) -> None:
    feat = multi(13, [[(12.5, -8.0), (12.6, -7.5)], [], [(12.6, -7.5), (12.7, -7.0)]])
    warnings, pieces = read(tmp_path, [feat])
    assert pieces == 2
    assert warnings == [
        f"{tmp_path / 'r.geojson'}: field features[0]: osm_id 13: part 1 of the MultiLineString "
        "is empty (no positions); the other parts are used"
    ]
    all_bad = multi(14, [[], [(12.5, 200.0), (12.6, -7.5)]])
    w = one_warning(tmp_path, all_bad)
    assert "part 0 of the MultiLineString is empty (no positions); part 1 of the " in w
    assert w.endswith("; feature left out")


def test_altitudes_are_ignored(tmp_path: Path) -> None:
    feat = way(15, [(12.5, -8.0), (12.6, -7.5)])
    feat["geometry"]["coordinates"] = [[-8.0, 12.5, 310.0], [-7.5, 12.6, 295.5]]
    warnings, pieces = read(tmp_path, [feat, GOOD])
    assert warnings == [] and pieces == 2


def test_nothing_usable_is_an_input_error(tmp_path: Path) -> None:
    path = write_layer(tmp_path / "r.geojson", [way(1, [(12.5, -8.0), (12.5, -8.0)])])
    with pytest.raises(InputError) as exc:
        read_road_layer(path, RoadSettings(), EXTENT)
    problems = exc.value.problems
    assert "osm_id 1: the LineString has fewer than 2 distinct positions" in str(problems[0])
    assert problems[-1].message.startswith("no usable road in the layer")
    assert exc.value.exit_code == 2
    many = [{"type": "Feature", "properties": {"osm_id": i}, "geometry": None} for i in range(25)]
    with pytest.raises(InputError) as exc:
        read_road_layer(write_layer(tmp_path / "many.geojson", many), RoadSettings())
    messages = [p.message for p in exc.value.problems]
    assert len(messages) == 22 and messages[19].startswith("osm_id 19: no geometry")
    assert messages[20] == "... and 5 more features left out"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"osm_id,highway\n1,primary\n", "not GeoJSON: malformed JSON (Expecting value)"),
        (b"[1, 2]", "expected a FeatureCollection, got 'list'"),
        (b'{"type": "Feature"}', "expected a FeatureCollection, got 'Feature'"),
        (b'{"type": "FeatureCollection", "features": []}', "has no features"),
        (b"\xff\xfe\x00", "not valid UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ],
)
def test_a_file_that_is_not_a_road_layer(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "roads.geojson"
    path.write_bytes(content)
    with pytest.raises(InputError) as exc:
        read_road_layer(path, RoadSettings())
    assert expected in str(exc.value) and str(path) in str(exc.value)


def test_deep_nesting_inside_a_feature_is_an_input_error(tmp_path: Path) -> None:
    """Nesting deep enough to stop the JSON readers is a clean error; nesting they accept is a
    bad position, shown cut short."""
    deep = b'{"type":"FeatureCollection","features":[{"type":"Feature","geometry":' \
        b'{"type":"LineString","coordinates":' + b"[" * 5000 + b"]" * 5000 + b"}}]}"  # fmt: skip
    path = tmp_path / "deep.geojson"
    path.write_bytes(deep)
    with pytest.raises(InputError, match="nested too deeply"):
        read_road_layer(path, RoadSettings())
    nested = way(16, [(12.5, -8.0)])
    nested["geometry"]["coordinates"].append(json.loads("[" * 200 + "]" * 200))
    w = one_warning(tmp_path, nested)
    assert "osm_id 16: the LineString position 1 is [[[[" in w and len(w) < 400


def test_a_missing_layer(tmp_path: Path) -> None:
    _, places = country(tmp_path)
    with pytest.raises(InputError, match="cannot read the road layer"):
        load_road_network(tmp_path / "nope.geojson", read_places(places))


def test_bad_features_are_reported_by_the_network_and_the_rest_is_built(tmp_path: Path) -> None:
    layer, places = country(tmp_path)
    feats = json.loads(layer.read_text("utf-8"))["features"]
    feats.insert(2, {"type": "Feature", "properties": {"osm_id": 9}, "geometry": None})
    net = load_road_network(write_layer(layer, feats), read_places(places))
    assert [p.field for p in net.problems if p.severity == "warning" and p.field] == ["features[2]"]
    assert net.route("aguelhok", "tessalit").km == pytest.approx(81.9, abs=0.1)


# -- rules/roads.yaml -----------------------------------------------------------------------
def test_the_shipped_settings_are_the_defaults() -> None:
    """A pack without roads.yaml behaves as the shipped pack does."""
    assert load_pack().roads == RoadSettings()


def test_roads_yaml_is_optional_and_validated(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    (rules / "roads.yaml").unlink()
    assert load_pack(rules).roads == RoadSettings()
    (rules / "roads.yaml").write_text("join_tolerance_m: 30\nattach_kms: 4\n", "utf-8")
    with pytest.raises(RulePackError) as exc:
        load_pack(rules)
    [problem] = exc.value.problems
    msg = "unknown key 'attach_kms' (did you mean 'attach_km' or 'attach_kinds'?)"
    assert problem == Problem(str(rules / "roads.yaml"), msg, 2, "attach_kms")
    (rules / "roads.yaml").write_text("join_tolerance_m: 30\nattach_kinds: [town, hamlet]\n")
    with pytest.raises(RulePackError, match=r"roads\.yaml:2: field attach_kinds\.1"):
        load_pack(rules)
    (rules / "roads.yaml").write_text("join_tolerance_m: 35\n", "utf-8")
    assert load_pack(rules).roads.join_tolerance_m == 35


def test_coordinates_that_are_not_a_list_and_features_that_are_not_objects(
    tmp_path: Path,
) -> None:
    """Said as they are, not as an empty line or a missing id (review of issue 18)."""
    text = {"type": "Feature", "properties": {"osm_id": 21},
            "geometry": {"type": "LineString", "coordinates": "abc"}}  # fmt: skip
    assert one_warning(tmp_path, text).endswith(
        "osm_id 21: the LineString has coordinates that are a string 'abc', not a list of "
        "positions; feature left out"
    )
    missing = {"type": "Feature", "properties": {"osm_id": 22}, "geometry": {"type": "LineString"}}
    assert "osm_id 22: the LineString has no coordinates; feature left out" in one_warning(
        tmp_path, missing
    )
    part = multi(23, [[(12.5, -8.0), (12.6, -7.5)]])
    part["geometry"]["coordinates"].append(5)
    warnings, pieces = read(tmp_path, [part])
    assert pieces == 1
    assert warnings[0].endswith("part 1 of the MultiLineString has coordinates that are a number "
                                "5, not a list of positions; the other parts are used")  # fmt: skip
    lines = {"type": "Feature", "properties": {"osm_id": 24},
             "geometry": {"type": "MultiLineString", "coordinates": "abc"}}  # fmt: skip
    assert "osm_id 24: the MultiLineString has coordinates that are a string 'abc', not a list " \
        "of lines" in one_warning(tmp_path, lines)  # fmt: skip
    w = one_warning(tmp_path, "abc")  # type: ignore[arg-type]
    assert w.endswith("features[1]: not a GeoJSON Feature object but a string 'abc'; left out")
    assert "no id property" not in w
    other = {"type": "Point", "properties": {"osm_id": 25}}
    assert "osm_id 25: not a GeoJSON Feature object (its type is 'Point')" in one_warning(
        tmp_path, other
    )
