"""A road layer on the command line (issue 18): `assess --roads` rates its stretches by name,
`check --roads` routes over it (shortest, or `--prefer safest`), and a leg with no road between
its ends is an input error (exit 2), never a refusal (exit 1)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from acled_factory import line, point, series, write_csv
from click.testing import CliRunner, Result
from road_layers import BAMAKO, FANA, KIDAL, KONOBOUGOU, SEGOU, country

from advisory.cli import cli


def run_cli(*args: str | Path) -> Result:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result


@pytest.fixture
def layer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return country(tmp_path)


def events(tmp_path: Path) -> Path:
    """Ambushes on the RN6 between Fana and Konobougou, recent and many."""
    mid = ((FANA[0] + KONOBOUGOU[0]) / 2, (FANA[1] + KONOBOUGOU[1]) / 2)
    rows = series("A", date(2025, 9, 1), 25, *mid, every_days=3)
    rows += series("Z", date(2025, 11, 1), 1, 14.5, -4.0, kind="clash")
    return write_csv(tmp_path / "acled.csv", rows)


def test_assess_rates_the_layers_stretches_by_name(
    tmp_path: Path, layer: tuple[Path, Path]
) -> None:
    roads, places = layer
    r = run_cli(
        "assess",
        "-i",
        events(tmp_path),
        "-p",
        places,
        "--roads",
        roads,
        "--as-of",
        "2025-11-20",
        "-f",
        "json",
    )
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    stretches = {loc["name"]: loc for loc in doc["locations"] if loc["kind"] == "route"}
    hot = [n for n in stretches if n.startswith("RN6") and "Fana" in n and "Konobougou" in n]
    assert hot, sorted(stretches)
    assert stretches[hot[0]]["personal_security"]["hazards"]["ambush"]["level"] >= 3
    inputs = {i["kind"]: i for i in doc["provenance"]["inputs"]}
    assert set(inputs) >= {"roads", "places", "incidents"}
    assert inputs["roads"]["records"] == 8  # the layer's features, not its stretches
    assert inputs["places"]["records"] == 8  # the places file's, without the stretches
    assert "Kidal is 23 km from the nearest road" in r.stderr  # named, with the distance


def test_check_routes_over_the_layer_and_names_the_roads(
    tmp_path: Path, layer: tuple[Path, Path]
) -> None:
    roads, places = layer
    args = [
        "-i",
        events(tmp_path),
        "-p",
        places,
        "--roads",
        roads,
        "--date",
        "2025-11-20",
        "-f",
        "json",
    ]
    short = run_cli("check", "bamako", "segou", "--profile", "national-staff", *args)
    assert short.exit_code in (0, 1), short.output
    leg = json.loads(short.stdout)["legs"][0]
    assert leg["route"].startswith("shortest path")
    assert any("Fana" in s["name"] for s in leg["roads"])
    safe = run_cli(
        "check", "bamako", "segou", "--profile", "national-staff", "--prefer", "safest", *args
    )
    leg2 = json.loads(safe.stdout)["legs"][0]
    assert leg2["route"].startswith("safest path") and "longer than the shortest" in leg2["route"]
    assert not any("Fana" in s["name"] and "Konobougou" in s["name"] for s in leg2["roads"])
    assert leg2["distance_km"] > leg["distance_km"]


def test_no_route_on_the_layer_is_an_input_error(tmp_path: Path, layer: tuple[Path, Path]) -> None:
    roads, places = layer
    args = ["-i", events(tmp_path), "-p", places, "--roads", roads, "--date", "2025-11-20"]
    r = run_cli("check", "bamako", "tessalit", "--profile", "national-staff", *args)
    assert r.exit_code == 2, r.output
    # the network's own account: which separate parts the two places are on
    assert f"leg 1: no road in {roads} joins Bamako and Tessalit" in r.stderr
    assert "the network has 2 separate parts" in r.stderr
    assert "Bamako's part: 8 stretches, 528 km of road, with Bamako, Ségou" in r.stderr
    assert "Tessalit's part: 1 stretch, 82 km of road, with Aguelhok, Tessalit" in r.stderr


def test_via_a_road_that_is_not_a_stretch_of_the_layer_is_named(
    tmp_path: Path, layer: tuple[Path, Path]
) -> None:
    """A schematic road of the places file is set aside with --roads, so it is no road to
    route by: said so, with the stretches whose ids or names are close, not "no road joins"
    (exit 2)."""
    roads, places = layer
    doc = json.loads(places.read_text("utf-8"))
    doc["features"].append(line("rn6-fana-segou", "RN6 Fana – Ségou", [FANA, SEGOU]))
    places.write_text(json.dumps(doc), "utf-8")
    args = ["-i", events(tmp_path), "-p", places, "--roads", roads, "--date", "2025-11-20"]
    r = run_cli(
        "check", "bamako", "segou", "--profile", "national-staff", "--via", "rn6-fana-segou", *args
    )
    assert r.exit_code == 2, r.output
    assert "unknown place or road 'rn6-fana-segou'" in r.stderr, r.stderr
    assert "(did you mean 'RN6 Fana – Konobougou'" in r.stderr and "no road" not in r.stderr


def test_via_a_stretch_on_another_part_of_the_network_says_so(
    tmp_path: Path, layer: tuple[Path, Path]
) -> None:
    roads, places = layer
    args = ["-i", events(tmp_path), "-p", places, "--roads", roads, "--date", "2025-11-20"]
    via = ["--via", "rn18-aguelhok-tessalit"]
    r = run_cli("check", "bamako", "segou", "--profile", "national-staff", *via, *args)
    assert r.exit_code == 2, r.output
    assert (
        "leg 1: RN18 Aguelhok – Tessalit (rn18-aguelhok-tessalit) lies in another part of the "
        "network than Bamako and Ségou" in r.stderr
    )
    assert "RN18 Aguelhok – Tessalit's part: 1 stretch, 82 km of road" in r.stderr


def test_a_place_far_from_every_road_is_named_with_its_distance(
    tmp_path: Path, layer: tuple[Path, Path]
) -> None:
    roads, places = layer
    args = ["-i", events(tmp_path), "-p", places, "--roads", roads, "--date", "2025-11-20"]
    r = run_cli("check", "bamako", "kidal", "--profile", "national-staff", *args)
    assert r.exit_code == 2, r.output
    assert "Kidal is 23 km from the nearest road" in r.stderr
    assert KIDAL and BAMAKO and SEGOU  # the layer's geography (see road_layers)


def test_a_desk_rates_and_publishes_the_layers_stretches(
    tmp_path: Path, layer: tuple[Path, Path]
) -> None:
    """`roads = "..."` in a desk's config: the stretches are rated and published, the layer is
    one of the inputs, and an edited layer is assessed again while an unchanged one is not."""
    from desk_support import make_desk

    from advisory.desk import load_config, run_update

    roads, places = layer
    config = make_desk(tmp_path / "desk", small=False)
    text = config.read_text("utf-8")
    config.write_text(
        text.replace("[desk]\n", f'[desk]\nplaces = "{places}"\nroads = "{roads}"\n'), "utf-8"
    )
    events(tmp_path).rename(tmp_path / "desk" / "incidents" / "acled.csv")
    first = run_update(load_config(config), as_of=date(2025, 11, 20))
    assert first.status == "published", first.message
    doc = json.loads((tmp_path / "desk" / "published" / "latest" / "advisory.json").read_text())
    stretches = [loc["name"] for loc in doc["locations"] if loc["kind"] == "route"]
    assert any(n.startswith("RN6") and "Fana" in n for n in stretches), stretches
    assert "roads" in {i["kind"] for i in doc["provenance"]["inputs"]}
    assert run_update(load_config(config), as_of=date(2025, 11, 20)).status == "unchanged"
    fc = json.loads(roads.read_text("utf-8"))
    fc["features"] = [f for f in fc["features"] if f["properties"].get("ref") != "R12"]
    roads.write_text(json.dumps(fc), "utf-8")
    again = run_update(load_config(config), as_of=date(2025, 11, 20))
    assert again.status != "unchanged"  # a new layer is a new assessment


def test_the_route_is_listed_by_road_in_the_direction_of_travel(
    tmp_path: Path, layer: tuple[Path, Path]
) -> None:
    """Consecutive stretches of one road are one entry, from where the route joins it to where
    it leaves it, with its km; the alternative says its km and how much longer it is."""
    roads, places = layer
    args = ["-i", events(tmp_path), "-p", places, "--roads", roads, "--date", "2025-11-20"]
    r = run_cli("check", "segou", "dioila", "--profile", "national-staff", *args)
    assert r.exit_code == 1, r.output  # the RN6 between Fana and Konobougou refuses it
    text = " ".join(r.stdout.split())
    assert (
        "Route (shortest path over the road network): RN6 Ségou – junction 38 km W of Fana "
        "146 km, Track junction 38 km W of Fana – Dioïla 60 km (205.6 km, about 4.1 h)"
    ) in text
    assert (
        "Alternative: road via R12 Ségou – Bamako 229 km, RN6 Bamako – junction 38 km W of Fana "
        "77 km, Track junction 38 km W of Fana – Dioïla 60 km (365 km, 160 km longer)"
    ) in text
    res = run_cli("check", "segou", "dioila", "--profile", "national-staff", *args, "-f", "json")
    doc = json.loads(res.stdout)
    leg = doc["legs"][0]
    taken = leg["roads_taken"]
    assert [t["name"] for t in taken] == [
        "RN6 Ségou – junction 38 km W of Fana",
        "Track junction 38 km W of Fana – Dioïla",
    ]
    assert [s for t in taken for s in t["roads"]] == [s["id"] for s in leg["roads"]]  # kept
    assert sum(t["distance_km"] for t in taken) == pytest.approx(leg["distance_km"], abs=0.2)
    alt = leg["alternative"]
    assert alt["road_names"][0] == "R12 Bamako – Ségou"  # the stretches' names, as before
    assert alt["roads_taken"][0]["name"] == "R12 Ségou – Bamako"
    assert alt["longer_km"] == pytest.approx(alt["distance_km"] - leg["distance_km"], abs=0.1)


def test_the_layer_replaces_the_default_places_schematic_roads(
    tmp_path: Path, layer: tuple[Path, Path]
) -> None:
    """With the shipped gazetteer (43 places, 19 schematic roads) and --roads, only the layer's
    stretches are rated, counted and routed over: the schematic roads are set aside."""
    from advisory.engine import default_places
    from advisory.ingest.places import read_places

    roads, _ = layer
    schematic = {p.id for p in read_places(default_places()).places if p.is_route}
    assert len(schematic) == 19
    r = run_cli("assess", "-i", events(tmp_path), "--roads", roads, "--as-of", "2025-11-20",
                "-f", "json")  # fmt: skip
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    rated = {loc["id"] for loc in doc["locations"] if loc["kind"] == "route"}
    assert rated and not rated & schematic, sorted(rated & schematic)
    help_text = run_cli("assess", "--help").stdout
    assert "INSTEAD of the places file's own roads" in " ".join(help_text.split())


def _far_towns(places: Path, n: int) -> None:
    """Add `n` towns 30 km and more north of the RN18, none attached to the layer."""
    doc = json.loads(places.read_text("utf-8"))
    for k in range(n):
        doc["features"].append(point(f"far{k}", f"Far {k}", "town", 21.0 + k / 10, 1.0))
    places.write_text(json.dumps(doc), "utf-8")


def test_places_off_the_layer_are_summed_up_and_listed_in_the_json(
    tmp_path: Path, layer: tuple[Path, Path]
) -> None:
    """A national gazetteer over a regional layer: one line with the count and the nearest few
    (was one warning per place, 94 of them for mali.geojson); the assessment's
    `inputs.road_layer` lists every place not attached and every feature left out."""
    roads, places = layer
    _far_towns(places, 6)
    feats = json.loads(roads.read_text("utf-8"))["features"]
    feats.append({"type": "Feature", "properties": {"osm_id": 901},
                  "geometry": {"type": "Point", "coordinates": [-8.0, 12.6]}})  # fmt: skip
    roads.write_text(json.dumps({"type": "FeatureCollection", "features": feats}), "utf-8")
    args = ["-i", events(tmp_path), "-p", places, "--roads", roads, "--as-of", "2025-11-20"]
    r = run_cli("assess", *args, "-f", "json")
    assert r.exit_code == 0, r.output
    far = [line for line in r.stderr.splitlines() if "from the nearest road" in line]
    assert far == []  # no line per place
    [summary] = [line for line in r.stderr.splitlines() if "places are farther than" in line]
    assert summary.startswith("Warning: 7 places are farther than 5 km from every road in ")
    assert "the nearest: Kidal 23 km, Far 0 " in summary
    assert "inputs.road_layer.unattached" in summary
    assert "osm_id 901: Point geometry" in r.stderr  # the layer's problems are still each told
    doc = json.loads(r.stdout)
    road_layer = doc["inputs"]["road_layer"]
    assert road_layer["features"] == 9 and road_layer["features_left_out"] == 2
    assert road_layer["left_out_by_highway"] == {"residential": 1}
    point_msg = (
        "osm_id 901: Point geometry: a road layer takes LineString or MultiLineString features; "
        "feature left out"
    )
    assert road_layer["problems"] == [{"feature": 8, "message": point_msg}]
    assert road_layer["attach_km"] == 5
    unattached = road_layer["unattached"]
    assert [u["place"] for u in unattached][:2] == ["kidal", "far0"] and len(unattached) == 7
    assert unattached[0] == {"place": "kidal", "name": "Kidal", "km": pytest.approx(23, abs=0.3)}
    schema = json.loads(run_cli("schema").stdout)
    layer_schema = schema["properties"]["inputs"]["properties"]["road_layer"]
    assert set(layer_schema["properties"]) == set(road_layer)
    # a few are still named one by one
    (tmp_path / "few").mkdir()
    _, few = country(tmp_path / "few")
    r = run_cli("assess", "-i", events(tmp_path), "-p", few, "--roads", roads,
                "--as-of", "2025-11-20", "-f", "json")  # fmt: skip
    assert "Warning: Kidal is 23 km from the nearest road in " in r.stderr


def test_the_terminal_table_names_the_roads(tmp_path: Path, layer: tuple[Path, Path]) -> None:
    """The Roads section reads "RN6 Fana – Konobougou", as the PDF's tables do (was the id)."""
    roads, places = layer
    r = run_cli("assess", "-i", events(tmp_path), "-p", places, "--roads", roads,
                "--as-of", "2025-11-20")  # fmt: skip
    assert r.exit_code == 0, r.output
    section = r.stdout.split("Roads (")[1].split("National:")[0]
    rows = section.splitlines()[1:]
    assert rows[0].startswith("road ")
    assert any(row.startswith("RN6 Fana – Konobougou  ") for row in rows), section
    assert "rn6-fana-konobougou" not in section


def test_roads_sharing_a_name_are_told_apart_by_id() -> None:
    from advisory.outputs.text.table import road_names

    class Loc:
        def __init__(self, lid: str, name: str) -> None:
            self.id, self.name = lid, name

    locs = [Loc("a", "R1 X – Y"), Loc("b", "R1 X – Y"), Loc("c", "R2 X – Y")]
    assert road_names(locs) == {  # type: ignore[arg-type]
        "a": "R1 X – Y [a]",
        "b": "R1 X – Y [b]",
        "c": "R2 X – Y",
    }


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_maps_caption_says_the_layers_roads_are_drawn(
    tmp_path: Path, layer: tuple[Path, Path], lang: str
) -> None:
    """Not "schematic: straight lines" when a real layer's roads are drawn."""
    roads, places = layer
    out = tmp_path / "advisory.html"
    r = run_cli("render", "-i", events(tmp_path), "-p", places, "--roads", roads,
                "--as-of", "2025-11-20", "--out", out, "--lang", lang)  # fmt: skip
    assert r.exit_code == 0, r.output
    caption = out.read_text("utf-8").split('id="h-map"')[1].split("</figcaption>")[0]
    assert ("schematic" if lang == "en" else "schématiques") not in caption
    said = {"en": "Roads are the stretches of the road layer roads.geojson between towns and "
                  "junctions, drawn along their lines, simplified for print",
            "fr": "Les routes sont les tronçons de la couche routière roads.geojson entre "
                  "localités et carrefours"}  # fmt: skip
    assert said[lang] in caption
    r = run_cli("render", "-i", events(tmp_path), "-p", places, "--as-of", "2025-11-20",
                "--out", out)  # fmt: skip
    assert "straight lines between the towns they pass" in out.read_text("utf-8")


def test_generated_road_names_are_french_in_french_outputs(
    tmp_path: Path, layer: tuple[Path, Path]
) -> None:
    """`check --lang fr` (table and JSON), the French report and the French exports write the
    generated parts of the names in French ("carrefour à 38 km O de Fana", "Piste"); the
    assessment JSON and English outputs keep them in English (review of issue 18)."""
    from advisory.outputs.exports.brief import brief_text
    from advisory.outputs.exports.layers import geojson_text
    from advisory.outputs.exports.tables import workbook_tables

    roads, places = layer
    args = ["-i", events(tmp_path), "-p", places, "--roads", roads, "--date", "2025-11-20"]
    r = run_cli("check", "segou", "dioila", "--profile", "national-staff", *args, "--lang", "fr")
    text = " ".join(r.stdout.split())
    assert "RN6 Ségou – carrefour à 38 km O de Fana 146 km, Piste carrefour à 38 km O de Fana " \
        "– Dioïla 60 km" in text  # fmt: skip
    assert "junction" not in text and "Track" not in text
    res = run_cli("check", "segou", "dioila", "--profile", "national-staff", *args, "-f", "json",
                  "--lang", "fr")  # fmt: skip
    leg = json.loads(res.stdout)["legs"][0]
    assert [t["name"] for t in leg["roads_taken"]] == [
        "RN6 Ségou – carrefour à 38 km O de Fana",
        "Piste carrefour à 38 km O de Fana – Dioïla",
    ]
    assert "junction" not in res.stdout and "road end" not in res.stdout
    english = run_cli("check", "segou", "dioila", "--profile", "national-staff", *args, "-f",
                      "json")  # fmt: skip
    assert "Track junction 38 km W of Fana – Dioïla" in english.stdout
    # the report, the table and the exports
    out = tmp_path / "advisory.fr.html"
    assess_args = [*args[:-2], "--as-of", "2025-11-20"]
    r = run_cli("render", *assess_args, "--lang", "fr", "--out", out)
    html = out.read_text("utf-8")
    assert "Piste Dioïla – carrefour à 35 km NO de Dioïla" in html
    assert "junction" not in html and "road end" not in html
    r = run_cli("assess", *assess_args, "--lang", "fr")
    assert "Piste Dioïla – carrefour à 35 km NO de Dioïla" in r.stdout
    doc = run_cli("assess", *assess_args, "-f", "json").stdout
    assert "Track Dioïla – junction 35 km NW of Dioïla" in doc  # the assessment stays English
    from advisory.assessment.model import Assessment

    a = Assessment.model_validate_json(doc)
    assert "fin de route à 20 km NO de Dioïla" in geojson_text(a, "fr")
    roads_sheet = {t.name: t for t in workbook_tables(a, "fr")}
    assert any("Piste" in str(row) for sheet in roads_sheet.values() for row in sheet.rows)
    assert "Track" in geojson_text(a, "en")
    assert "junction" not in brief_text(a, "fr")


def test_a_road_is_found_by_the_name_a_french_check_printed(
    tmp_path: Path, layer: tuple[Path, Path]
) -> None:
    """A stretch's name copied from a French check or report ("Piste Dioïla – carrefour à 35
    km NO de Dioïla") finds it with `--lang fr`, for `--via` and for `explain`; in English the
    French name is unknown."""
    roads, places = layer
    french = "Piste Dioïla – carrefour à 35 km NO de Dioïla"
    args = ["-i", events(tmp_path), "-p", places, "--roads", roads]
    check = ["check", "segou", "dioila", "--profile", "national-staff", "--via", french, *args,
             "--date", "2025-11-20", "-f", "json"]  # fmt: skip
    r = run_cli(*check, "--lang", "fr")
    assert r.exit_code == 1, r.output  # refused (the RN6 ambushes), not an unknown road
    leg = json.loads(r.stdout)["legs"][0]
    assert leg["route"] == f"par {french}, comme demandé"
    assert "track-dioila-jd01d8f" in [s for t in leg["roads_taken"] for s in t["roads"]]
    r = run_cli(*check)
    assert r.exit_code == 2 and f"unknown place or road {french!r}" in r.stderr
    r = run_cli("explain", french, *args, "--as-of", "2025-11-20", "--lang", "fr")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith(french + " (track-dioila-jd01d8f)"), r.stdout[:200]


@pytest.mark.parametrize(
    ("name", "generated", "french"),
    [
        ("RN6 Fana – junction 39 km W of Fana", False, "RN6 Fana – carrefour à 39 km O de Fana"),
        ("Track Dioïla – road end 6.6 km SW of Agouar", True,
         "Piste Dioïla – fin de route à 6,6 km SO d'Agouar"),
        ("Road road change 12 km NW of Ségou – Fana (N branch)", True,
         "Route changement de route à 12 km NO de Ségou – Fana (branche N)"),
        ("Track loop near Ouéléssébougou (2 of 3)", True,
         "Piste, boucle près d'Ouéléssébougou (2 sur 3)"),
        ("Track junction at 12.345, -7.890 – Fana", True,
         "Piste carrefour à 12,345 ; -7,890 – Fana"),
        ("Track 5 Bamako – Kati", False, "Track 5 Bamako – Kati"),  # the road's own name
        ("Route de Kiffa – Néma", False, "Route de Kiffa – Néma"),
    ],
)  # fmt: skip
def test_road_names_in_french(name: str, generated: bool, french: str) -> None:
    from advisory.outputs.report.roadnames import road_name

    assert road_name(name, "fr", generated) == french
    assert road_name(name, "en", generated) == name
