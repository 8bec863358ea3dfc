"""Map layers: GeoJSON as RFC 7946 has it, KML valid against the OGC KML 2.2 schema, both
styled by level, both saying what the assessment says, hostile names kept harmless."""

from __future__ import annotations

import json
from importlib.resources import files

import pytest
from exports_support import HOSTILE_NAME, MARKUP, demo, hostile, with_ged_input
from lxml import etree

from advisory.outputs.exports.kml import KML_NS, kml_bytes
from advisory.outputs.exports.layers import geojson_text
from advisory.outputs.exports.style import LEVEL_FILL, LINE_WIDTH, kml_colour

NS = {"k": KML_NS}


@pytest.fixture(scope="module")
def kml_schema() -> etree.XMLSchema:
    """OGC's KML 2.2 schema, as pykml ships it (with the Atom and xAL schemas it imports),
    read from disk: no network."""
    return etree.XMLSchema(file=str(files("pykml") / "schemas" / "ogckml22.xsd"))


def test_geojson_is_rfc_7946_with_lon_lat_positions() -> None:
    a = demo()
    doc = json.loads(geojson_text(a))
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    assert len(doc["features"]) == len(a.locations)
    by_id = {loc.id: loc for loc in a.locations}
    for f in doc["features"]:
        assert f["type"] == "Feature" and set(f) == {"type", "id", "geometry", "properties"}
        loc, geom = by_id[f["id"]], f["geometry"]
        if loc.line:
            assert geom["type"] == "LineString"
            assert geom["coordinates"] == [[lon, lat] for lat, lon in loc.line]
        else:
            assert geom == {"type": "Point", "coordinates": [loc.lon, loc.lat]}
        positions = geom["coordinates"] if loc.line else [geom["coordinates"]]
        assert all(len(p) == 2 and -180 <= p[0] <= 180 and -90 <= p[1] <= 90 for p in positions)


def test_geojson_properties_say_what_the_assessment_says_and_style_by_level() -> None:
    a = demo()
    feats = {f["id"]: f["properties"] for f in json.loads(geojson_text(a))["features"]}
    widths = {}
    for loc in a.locations:
        p, ps = feats[loc.id], loc.personal_security
        assert (p["level"], p["label"]) == (ps.level, a.scale[str(ps.level)])
        assert p["regime_collapse_level"] == loc.regime_collapse.level
        assert p["confidence"] == loc.confidence
        for h, hz in ps.hazards.items():
            assert p[f"{h}_likelihood_30d"] == hz.likelihood_30d
            assert p[f"{h}_level"] == hz.level
        assert p["description"].startswith(("Road.", p["kind_label"].capitalize()))
        if loc.line:
            assert p["stroke"] == LEVEL_FILL[ps.level] and "marker-color" not in p
            widths[ps.level] = p["stroke-width"]
        else:
            assert p["marker-color"] == LEVEL_FILL[ps.level] and "stroke" not in p
    assert widths == {n: LINE_WIDTH[n] for n in widths} and len(widths) >= 2
    assert list(LINE_WIDTH.values()) == sorted(LINE_WIDTH.values())


def test_geojson_credits_ged_and_speaks_french() -> None:
    doc = json.loads(geojson_text(with_ged_input(demo()), "fr"))
    assert "UCDP Georeferenced Event Dataset" in doc["attribution"]
    assert doc["name"] == "Lieux et routes notés, situation au 20 novembre 2025"
    said = doc["features"][0]["properties"]["description"]
    assert " Sécurité des personnes : " in said and " Probabilité sur 30 jours : " in said
    assert "\xa0%" in said and said.endswith(".")
    assert "attribution" not in json.loads(geojson_text(demo()))
    kml = etree.fromstring(kml_bytes(demo(), "fr"))
    folders = [f.findtext("k:name", namespaces=NS) for f in kml.iterfind(".//k:Folder", NS)]
    assert folders == ["Routes", "Lieux"]


def test_kml_is_valid_against_the_kml_22_schema(kml_schema: etree.XMLSchema) -> None:
    for a, lang in ((demo(), "en"), (demo(), "fr"), (hostile(), "en")):
        doc = etree.fromstring(kml_bytes(a, lang))
        assert kml_schema.validate(doc), kml_schema.error_log


def test_kml_styles_and_placemarks_follow_the_levels() -> None:
    a = demo()
    root = etree.fromstring(kml_bytes(a))
    styles = root.findall("k:Document/k:Style", NS)
    assert [s.get("id") for s in styles] == [f"level-{n}" for n in range(1, 6)]
    for n, s in enumerate(styles, start=1):
        assert s.findtext("k:IconStyle/k:color", namespaces=NS) == kml_colour(LEVEL_FILL[n])
        assert s.findtext("k:LineStyle/k:color", namespaces=NS) == kml_colour(LEVEL_FILL[n])
        assert float(s.findtext("k:LineStyle/k:width", namespaces=NS)) == LINE_WIDTH[n]
    folders = root.findall("k:Document/k:Folder", NS)
    assert [f.findtext("k:name", namespaces=NS) for f in folders] == ["Roads", "Places"]
    marks = {pm.get("id")[4:]: pm for pm in root.iter(f"{{{KML_NS}}}Placemark")}
    assert set(marks) == {loc.id for loc in a.locations}
    for loc in a.locations:
        pm = marks[loc.id]
        level = loc.personal_security.level
        assert pm.findtext("k:styleUrl", namespaces=NS) == f"#level-{level}"
        data = {d.get("name"): d.findtext("k:value", namespaces=NS)
                for d in pm.findall("k:ExtendedData/k:Data", NS)}  # fmt: skip
        assert data["level"] == str(level) and data["label"] == a.scale[str(level)]
        coords = pm.findtext(".//k:coordinates", namespaces=NS).split()
        points = loc.line if loc.line else [(loc.lat, loc.lon)]
        got = [float(x) for c in coords for x in c.split(",")]
        assert got == pytest.approx([x for lat, lon in points for x in (lon, lat)], abs=1e-6)


def test_hostile_names_stay_text_in_xml_and_in_google_earths_html_balloon() -> None:
    data = kml_bytes(hostile())
    root = etree.fromstring(data)  # parses: nothing broke the XML
    names = [pm.findtext("k:name", namespaces=NS) for pm in root.iter(f"{{{KML_NS}}}Placemark")]
    assert HOSTILE_NAME in names and MARKUP in names
    assert "ctrlend" in names  # characters XML forbids are dropped, the rest kept
    for pm in root.iter(f"{{{KML_NS}}}Placemark"):
        description = pm.findtext("k:description", namespaces=NS)
        # Earth renders the description as HTML: only our own tags are left unescaped
        assert "<script" not in description and "<img" not in description
        if pm.findtext("k:name", namespaces=NS) == MARKUP:
            assert "&lt;script&gt;" in description
    balloon = root.findtext("k:Document/k:Style/k:BalloonStyle/k:text", namespaces=NS)
    assert balloon == "$[description]"  # the raw name never reaches the balloon's HTML
