"""Hostile or broken files given to `assess`, `check` and the rule pack: each gets exit 2 and a
message naming the file, never a traceback, a runaway allocation or a silently wrong result."""

from __future__ import annotations

import csv
import gzip
import json
from datetime import date
from pathlib import Path

import pytest
from acled_factory import BAMAKO, COLUMNS, event, series, small_gazetteer, write_csv
from click.testing import CliRunner, Result

from advisory.cli import cli
from advisory.engine import DATA_DIR
from advisory.ingest.rejects import MAX_REJECT_ROWS

DEMO = DATA_DIR / "incidents" / "mali_demo_2024_2025.csv"


def run_cli(*args: str | Path) -> Result:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output + result.stderr
    return result


def fails(*args: str | Path) -> str:
    result = run_cli(*args)
    assert result.exit_code == 2, (result.exit_code, result.output)
    return result.stderr


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def rows(n: int = 30) -> list[dict[str, object]]:
    return series("A", date(2025, 9, 1), n, BAMAKO[0] + 0.05, BAMAKO[1])


@pytest.mark.parametrize(
    ("opener", "word"), [(gzip.compress, "gzip"), (lambda b: b"\x28\xb5\x2f\xfd" + b, "zstd")]
)
def test_compressed_files_are_refused_before_they_are_expanded(
    tmp_path: Path, opener, word: str
) -> None:
    plain = write_csv(tmp_path / "plain.csv", rows()).read_bytes()
    bomb = tmp_path / "acled.csv"
    bomb.write_bytes(opener(plain + b"\n" * 2_000_000))
    err = fails("assess", "-i", bomb)
    assert f"{bomb}: this is a {word}-compressed file: decompress it first" in err


def test_blank_line_padding_is_skipped_counted_and_never_a_reject(tmp_path: Path) -> None:
    f = write_csv(tmp_path / "padded.csv", rows())
    with f.open("a") as fh:
        fh.write("\n" * 200_000)
        fh.write(",".join("" for _ in COLUMNS) + "\n")  # a row of empty fields too
    result = run_cli("assess", "-i", f, "-f", "json", "--rejects", tmp_path / "rj.csv")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["inputs"]["incidents"]["rejected"] == 0
    assert not (tmp_path / "rj.csv").exists()
    assert any("200001 blank rows skipped" in n for n in doc["inputs"]["incidents"]["notes"])


def test_the_rejects_file_is_capped_and_says_how_many_more(tmp_path: Path) -> None:
    good = rows(25)
    bad = [
        event(f"B{i}", date(2025, 9, 1), BAMAKO[0], BAMAKO[1], geo_precision="9")
        for i in range(MAX_REJECT_ROWS + 5)
    ]
    f = write_csv(tmp_path / "many.csv", good + bad)
    result = run_cli("assess", "-i", f, "--rejects", tmp_path / "rj.csv")
    assert result.exit_code == 0, result.stderr
    with (tmp_path / "rj.csv").open(newline="", encoding="utf-8") as fh:
        written = list(csv.DictReader(fh))
    assert len(written) == MAX_REJECT_ROWS + 1
    assert written[-1]["_reason"].startswith("... and 5 more rejected rows not written")


@pytest.mark.parametrize(
    "payload", ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\tx", "\rx"]
)
def test_no_rejected_field_reaches_a_spreadsheet_as_a_formula(tmp_path: Path, payload: str) -> None:
    bad = event(
        "B1",
        date(2025, 9, 1),
        BAMAKO[0],
        BAMAKO[1],
        geo_precision="9",
        notes=payload,
        location=payload,
    )
    f = write_csv(tmp_path / "f.csv", [*rows(25), bad])
    run_cli("assess", "-i", f, "--rejects", tmp_path / "rj.csv")
    with (tmp_path / "rj.csv").open(newline="", encoding="utf-8") as fh:
        [rej] = list(csv.DictReader(fh))
    assert rej["notes"] == "'" + payload and rej["location"] == "'" + payload
    assert rej["longitude"] == f"{BAMAKO[1]:.5f}"  # a negative number stays a number


def test_file_names_are_taken_literally_not_as_patterns(tmp_path: Path) -> None:
    literal = write_csv(tmp_path / "mali[1].csv", rows())
    write_csv(tmp_path / "mali1.csv", rows(26))  # what a glob would pick instead
    result = run_cli("assess", "-i", literal, "-f", "json")
    assert result.exit_code == 0, result.stderr
    [inp] = [
        i for i in json.loads(result.stdout)["provenance"]["inputs"] if i["kind"] == "incidents"
    ]
    assert inp["path"] == str(literal) and inp["records"] == 30


def test_a_very_wide_header_reads_only_the_columns_it_needs(tmp_path: Path) -> None:
    f = tmp_path / "wide.csv"
    extra = [f"x{i}" for i in range(20_000)]
    with f.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow([*COLUMNS, *extra])
        for r in rows():
            w.writerow([*(r.get(c, "") for c in COLUMNS), *([""] * len(extra))])
    result = run_cli("assess", "-i", f, "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["inputs"]["incidents"]["used"] == 30


def test_a_semicolon_separated_export_is_read(tmp_path: Path) -> None:
    f = write_csv(tmp_path / "comma.csv", rows())
    semi = tmp_path / "semi.csv"
    with (
        f.open(newline="", encoding="utf-8") as a,
        semi.open("w", newline="", encoding="utf-8") as b,
    ):
        csv.writer(b, delimiter=";").writerows(csv.reader(a))
    result = run_cli("assess", "-i", semi, "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["inputs"]["incidents"]["used"] == 30


@pytest.mark.parametrize(
    ("body", "what"),
    [(b"PK\x03\x04rest", "Excel workbook"), (b'{"type": "FeatureCollection"}', "JSON")],
)
def test_files_that_are_not_csv_say_what_they_look_like(
    tmp_path: Path, body: bytes, what: str
) -> None:
    f = tmp_path / "export.csv"
    f.write_bytes(body)
    assert what in fails("assess", "-i", f)


def test_a_ucdp_or_other_table_says_what_it_is_and_what_was_expected(tmp_path: Path) -> None:
    f = tmp_path / "gdelt.csv"
    f.write_text("GLOBALEVENTID,SQLDATE,Actor1Name\n1,20251101,X\n", "utf-8")
    err = fails("assess", "-i", f)
    assert "this looks like a GDELT export, not an ACLED export" in err
    assert "expected ACLED's export columns" in err


def test_deeply_nested_places_are_an_input_error(tmp_path: Path) -> None:
    places = tmp_path / "p.geojson"
    places.write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    err = fails("assess", "-i", write_csv(tmp_path / "a.csv", rows()), "-p", places)
    assert "nested too deeply" in err and str(places) in err


def test_deeply_nested_guidance_yaml_is_an_input_error(tmp_path: Path) -> None:
    g = tmp_path / "g.yaml"
    g.write_text("- " * 600 + "x\n", "utf-8")
    err = fails("assess", "-i", write_csv(tmp_path / "a.csv", rows()), "-g", g)
    assert str(g) in err


@pytest.mark.parametrize(("key", "value"), [("issued", "2025-13-01"), ("expires", "2026-02-30")])
def test_impossible_guidance_dates_name_the_file_and_line(
    tmp_path: Path, key: str, value: str
) -> None:
    g = tmp_path / "g.yaml"
    text = (
        "- id: x\n  issuer: US\n  issued: 2025-01-01\n  level: 4\n  action: none\n"
        f"  {key}: {value}\n"
    )
    g.write_text(text.replace("  issued: 2025-01-01\n", "") if key == "issued" else text, "utf-8")
    err = fails("assess", "-i", write_csv(tmp_path / "a.csv", rows()), "-g", g)
    assert f"{g}:" in err and value in err


def test_an_itinerary_with_an_impossible_date_is_an_input_error_not_a_refusal(
    tmp_path: Path,
) -> None:
    it = tmp_path / "trip.yaml"
    it.write_text(
        "travellers: {profile: national-staff}\n"
        "legs:\n  - {from: bamako, to: kati, date: 2025-11-31}\n",
        "utf-8",
    )
    err = fails("check", "--itinerary", it)
    assert f"{it}:" in err and "2025-11-31" in err


def test_a_bad_departure_time_is_a_usage_error_not_a_refusal() -> None:
    err = fails("check", "bamako", "kati", "--profile", "national-staff", "--depart", "7h")
    assert "--depart: expected a time like 07:30 (HH:MM), got '7h'" in err
    assert "pydantic" not in err


def test_a_misspelt_guidance_region_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    g = tmp_path / "g.yaml"
    g.write_text(
        "- id: x\n  issuer: US\n  issued: 2025-01-01\n  level: 4\n  action: none\n"
        "  scope: {country: ML, admin1: [Bamakko]}\n",
        "utf-8",
    )
    err = fails("demo", "-g", g, "--no-reports")
    assert "unknown admin1 'Bamakko' for ML (did you mean 'Bamako'?)" in err


def test_places_with_latitude_and_longitude_swapped_are_refused(tmp_path: Path) -> None:
    good = small_gazetteer(tmp_path / "good.geojson")
    doc = json.loads(good.read_text("utf-8"))
    for f in doc["features"]:
        g = f["geometry"]
        g["coordinates"] = (
            g["coordinates"][::-1] if g["type"] == "Point" else [c[::-1] for c in g["coordinates"]]
        )
    doc["features"].append(
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [13.0, -7.0]},
            "properties": {"id": "x", "name": "X", "kind": "town"},
        }
    )
    bad = tmp_path / "swapped.geojson"
    bad.write_text(json.dumps(doc), "utf-8")
    err = fails("assess", "-i", write_csv(tmp_path / "a.csv", rows()), "-p", bad)
    assert "GeoJSON positions are [longitude, latitude]" in err


def test_names_that_fold_to_the_same_text_are_ambiguous(tmp_path: Path) -> None:
    from acled_factory import point, write_places

    places = write_places(
        tmp_path / "p.geojson",
        [
            point("kati-a", "Kati", "town", 12.74, -8.07),
            point("kati-b", "KATI", "village", 12.9, -8.2),
        ],
    )
    err = fails("explain", "kati", "-i", write_csv(tmp_path / "a.csv", rows()), "-p", places)
    assert "'kati' is ambiguous: Kati (kati-a), KATI (kati-b); give the id" in err


def test_a_look_back_beyond_a_century_is_refused_by_rules_check(tmp_path: Path) -> None:
    import shutil

    pack = tmp_path / "rules"
    from advisory.rulepack import default_rules_dir

    shutil.copytree(default_rules_dir(), pack)
    text = (
        (pack / "control.yaml")
        .read_text("utf-8")
        .replace("lookback_days: 730", "lookback_days: 99999999999")
    )
    (pack / "control.yaml").write_text(text, "utf-8")
    err = fails("rules", "check", pack)
    assert "lookback_days" in err


def test_debug_shows_the_traceback_that_is_otherwise_hidden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import advisory.engine as engine

    def boom(*a, **k):
        raise RuntimeError("a bug")

    monkeypatch.setattr(engine, "assess", boom)
    quiet = run_cli("assess", "-i", write_csv(tmp_path / "a.csv", rows()))
    assert (
        quiet.exit_code == 1
        and "internal error: RuntimeError: a bug" in quiet.stderr
        and "--debug" in quiet.stderr
    )
    loud = CliRunner().invoke(cli, ["--debug", "assess", "-i", str(tmp_path / "a.csv")])
    assert isinstance(loud.exception, RuntimeError)


def test_padding_of_spaces_and_tabs_is_cut_out_before_parsing(tmp_path: Path) -> None:
    """Lines of only spaces or tabs are blank too: past a few, they are cut out of the bytes
    (not parsed as rows), however the padding is written."""
    from advisory.ingest.csvfile import read_table, sniff

    f = write_csv(tmp_path / "padded.csv", rows())
    with f.open("a") as fh:
        fh.write(" \t \n" * 5_000)
    sniffed = sniff(f)
    table = read_table(f, sniffed, ["event_id_cnty"])
    assert table.renumbered and table.blank_rows == 5_000
    assert table.frame.height == len(rows())


def test_a_paragraph_break_inside_a_quoted_note_is_text_not_padding(tmp_path: Path) -> None:
    """Blank lines inside quoted notes are the notes' own: past the padding threshold they
    were cut out with the padding, and each note lost a line."""
    from advisory.ingest.csvfile import MAX_BLANK_ROWS_PARSED, read_table, sniff

    notes = [f"First paragraph {i}.\n\nSecond paragraph." for i in range(MAX_BLANK_ROWS_PARSED + 5)]
    day = date(2025, 9, 1)
    many = [event(f"N{i}", day, BAMAKO[0], BAMAKO[1], notes=n) for i, n in enumerate(notes)]
    f = write_csv(tmp_path / "notes.csv", many)
    with f.open("a") as fh:
        fh.write("\n" * 3)  # a little padding as well
    table = read_table(f, sniff(f), ["event_id_cnty", "notes"])
    assert table.frame["notes"].to_list() == notes
    assert table.blank_rows == 3
    with f.open("a") as fh:
        fh.write("\n" * (MAX_BLANK_ROWS_PARSED + 1))  # padding enough to be cut out
    table = read_table(f, sniff(f), ["event_id_cnty", "notes"])
    assert table.renumbered and table.blank_rows == MAX_BLANK_ROWS_PARSED + 4
    assert table.frame["notes"].to_list() == notes


def test_a_short_row_is_found_past_padding_and_in_columns_never_read(tmp_path: Path) -> None:
    """The fields are counted on the bytes polars parsed, padding cut out, so the row named
    is the row polars numbered (and the message says how rows are counted); a row cut after
    a first column that is never read (an old export's `data_id`) is short, not blank."""
    f = write_csv(tmp_path / "padded.csv", rows(10))
    lines = f.read_text().splitlines(keepends=True)
    f.write_text("".join(lines[:5]) + "\n" * 3_000 + "".join(lines[5:])[:-50])
    err = fails("assess", "-i", f)
    assert f"{f}:11: row has 28 fields, the header has 31 (the file looks cut short)" in err
    assert "row numbers count rows without the 3000 blank lines cut out" in err
    old = tmp_path / "old.csv"
    with old.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["data_id", *COLUMNS])
        w.writerows([i, *(r[c] for c in COLUMNS)] for i, r in enumerate(rows(10)))
        fh.write("12345\n")
    err = fails("assess", "-i", old)
    assert f"{old}:12: row has 1 field, the header has 32 (the file looks cut short)" in err
