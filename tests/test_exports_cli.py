"""`advisory render --format xlsx|brief|geojson|kml`: files written, usage errors before the
run, input errors with exit 2, and the help's examples."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from exports_support import as_json, earlier_json
from lxml import etree

from advisory.cli import cli
from advisory.engine import DATA_DIR

ROOT = Path(__file__).resolve().parent.parent


def render(tmp_path: Path, *args: str):
    inputs = ["-i", str(DATA_DIR / "incidents"), "-g", str(DATA_DIR / "guidance"),
              "--as-of", "2025-11-20", "--rejects", str(tmp_path / "rejects.csv")]  # fmt: skip
    return CliRunner().invoke(cli, ["render", *inputs, *args])


def test_xlsx_geojson_and_kml_files(tmp_path: Path) -> None:
    book, layer, kml = tmp_path / "mali.xlsx", tmp_path / "rated.geojson", tmp_path / "rated.kml"
    r = render(tmp_path, "-f", "xlsx", "--out", str(book), "--lang", "fr")
    assert r.exit_code == 0, r.output
    assert f"Écrit : {book}" in r.stderr  # the note in --lang too
    wb = openpyxl.load_workbook(io.BytesIO(book.read_bytes()))
    assert wb.sheetnames[:3] == ["Synthèse", "Lieux", "Routes"] and wb["Lieux"].max_row > 10
    r = render(tmp_path, "-f", "geojson", "--out", str(layer))
    assert r.exit_code == 0, r.output
    doc = json.loads(layer.read_text("utf-8"))
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) > 10
    r = render(tmp_path, "-f", "kml", "--out", str(kml))
    assert r.exit_code == 0, r.output
    root = etree.fromstring(kml.read_bytes())
    assert len(root.findall(".//{http://www.opengis.net/kml/2.2}Placemark")) == len(doc["features"])
    r = render(tmp_path, "-f", "geojson")  # text formats go to stdout without --out
    assert r.exit_code == 0 and json.loads(r.stdout)["features"] == doc["features"]


def test_brief_on_stdout_with_places_limit_and_previous(tmp_path: Path) -> None:
    previous = tmp_path / "last.json"
    previous.write_text(json.dumps(earlier_json()), "utf-8")
    r = render(tmp_path, "-f", "brief", "--brief-places", "segou, Kati", "--max-chars", "500",
               "--previous", str(previous), "--lang", "fr")  # fmt: skip
    assert r.exit_code == 0, r.output
    text = r.stdout.rstrip("\n")
    assert len(text) <= 500
    lines = text.split("\n")
    assert lines[3].startswith("Ségou : ") and lines[4].startswith("Kati : ")
    assert any(line.startswith("Depuis le 20 septembre 2025 : ") for line in lines)
    r = render(tmp_path, "-f", "brief")
    assert r.exit_code == 0 and len(r.stdout.rstrip("\n")) <= 1000
    assert "Bamako: " in r.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["-f", "xlsx"], "--format xlsx needs --out"),
    (["-f", "kml", "--brief-places", "bamako"], "--brief-places applies to --format brief"),
    (["-f", "brief", "--max-chars", "100"], "100 is not in the range x>=280"),
    (["-f", "brief", "--brief-places", " , "], "give place or road ids or names"),
])  # fmt: skip
def test_usage_errors_come_before_the_run(tmp_path: Path, args: list[str], message: str) -> None:
    r = render(tmp_path, *args)
    assert r.exit_code == 2 and message in r.stderr
    assert "Note: 4 events dated after" not in r.stderr  # refused before assessing


def test_unknown_place_and_bad_previous_are_exit_2(tmp_path: Path) -> None:
    r = render(tmp_path, "-f", "brief", "--brief-places", "segu")
    assert r.exit_code == 2 and "did you mean 'Ségou'" in r.stderr
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"as_of": "2025-01-01"}), "utf-8")
    r = render(tmp_path, "-f", "brief", "--previous", str(bad))
    assert r.exit_code == 2 and f"{bad}: not an assessment JSON" in r.stderr
    assert "Traceback" not in r.output


def test_help_shows_an_example_of_each_export() -> None:
    r = CliRunner().invoke(cli, ["render", "--help"])
    assert r.exit_code == 0
    for fmt in ("xlsx --out mali.xlsx", "-f brief --brief-places", "-f geojson --out",
                "-f kml --out"):  # fmt: skip
        assert fmt in r.stdout


def test_readme_has_a_line_for_each_export() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    for fmt in ("--format xlsx", "--format brief", "--format geojson", "--format kml"):
        assert fmt in readme


def test_every_export_phrase_is_in_the_reports_catalogue_in_french() -> None:
    """The exports' phrases are found by the catalogue's extraction (babel.cfg lists the
    package), so `tools/catalogue.py --check` holds each one translated, placeholders and
    plural forms included; and no French plural is a hand-made "(s)"."""
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import catalogue
    finally:
        sys.path.remove(str(ROOT / "tools"))
    from babel.messages.pofile import read_po

    template = catalogue.extract()
    ours = [m for m in template
            if any("outputs/exports/" in path for path, _ in m.locations)]  # fmt: skip
    ids = {m.id[0] if isinstance(m.id, tuple) else m.id for m in ours}
    assert {"Travel risk, situation as of %(date)s", "Because", "%(count)s more change"} <= ids
    assert len(ours) >= 60 and any(isinstance(m.id, tuple) for m in ours)  # plurals among them
    with catalogue.PO.open("rb") as fh:
        french = read_po(fh, locale="fr_FR")
    assert catalogue.problems(french, template) == []
    for m in ours:
        got = french.get(m.id, context=m.context)
        strings = got.string if isinstance(got.string, tuple) else (got.string,)
        assert not any("(s)" in s for s in strings), m.id


def test_previous_may_be_the_current_assessment(tmp_path: Path) -> None:
    """`--previous` takes `assess --format json` output: the exports' own JSON round-trips."""
    from exports_support import demo

    same = tmp_path / "same.json"
    same.write_text(json.dumps(as_json(demo())), "utf-8")
    r = render(tmp_path, "-f", "brief", "--previous", str(same))
    assert r.exit_code == 0 and "No level changed since 20 November 2025." in r.stdout


def test_ged_input_is_credited_in_every_export(tmp_path: Path) -> None:
    """UCDP GED under CC BY 4.0: the workbook, the layers and the brief made from it say so."""
    from formats_factory import write_ged

    ged = write_ged(tmp_path).path
    base = ["render", "-i", str(ged), "--as-of", "2024-08-01", "--rejects", str(tmp_path / "r.csv")]
    book, kml = tmp_path / "ged.xlsx", tmp_path / "ged.kml"
    for args in (["-f", "xlsx", "--out", str(book)], ["-f", "kml", "--out", str(kml)]):
        r = CliRunner().invoke(cli, [*base, *args])
        assert r.exit_code == 0, r.output
    wb = openpyxl.load_workbook(io.BytesIO(book.read_bytes()))
    rows = list(wb["Provenance"].iter_rows(values_only=True))
    ged_row = next(row for row in rows if row[1] == str(ged))
    assert ged_row[5] == "CC BY 4.0" and "UCDP Georeferenced Event Dataset" in ged_row[6]
    assert "UCDP Georeferenced Event Dataset" in kml.read_text("utf-8")
    r = CliRunner().invoke(cli, [*base, "-f", "geojson"])
    assert "CC BY 4.0" in json.loads(r.stdout)["attribution"]
    r = CliRunner().invoke(cli, [*base, "-f", "brief"])
    assert r.exit_code == 0 and r.stdout.rstrip("\n").endswith("Data: UCDP GED (CC BY 4.0)")
