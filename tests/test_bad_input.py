"""Bad input: ACLED CSV, guidance YAML, places GeoJSON and place names.

Acceptance: each problem gets a clear message (file, row or line, field); unusable incident rows
are counted and written to the rejects CSV with the reason and the run goes on with the rest,
unless nothing usable is left; exit 2 on usage or input errors; never a traceback.

CLI runs that must *succeed* mix the shipped demo export (hundreds of valid rows) with a small
file of bad rows, as a user with one big export and a few broken rows would.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from acled_factory import COLUMNS
from click.testing import CliRunner, Result

from advisory.cli import cli
from advisory.engine import DATA_DIR, assess, default_places
from advisory.errors import InputError
from advisory.ingest.incidents import Incidents
from advisory.ingest.incidents import read_incidents as _read_incidents
from advisory.ingest.places import read_places
from advisory.rulepack import load_pack

DEMO_CSV = DATA_DIR / "incidents" / "mali_demo_2024_2025.csv"
AS_OF = "2025-11-20"

OLD_COLUMNS = [c for c in COLUMNS if c not in ("disorder_type", "civilian_targeting", "tags")]
REQUIRED = (
    "event_id_cnty",
    "event_date",
    "event_type",
    "actor1",
    "latitude",
    "longitude",
    "geo_precision",
)
LEGACY = load_pack().formats.acled_legacy


def read_incidents(
    paths: list[Path], as_of: date | None, area: tuple[float, float, float, float] | None = None
) -> Incidents:
    return _read_incidents(paths, LEGACY, as_of, None, area)


def event(event_id: str = "MLI90001", **fields: str) -> dict[str, str]:
    """A valid battle in Bamako (inside the default gazetteer) on 7 November 2025."""
    row = {
        "event_id_cnty": event_id,
        "event_date": "2025-11-07",
        "year": "2025",
        "time_precision": "1",
        "disorder_type": "Political violence",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": "JNIM: Group for Support of Islam and Muslims",
        "inter1": "Rebel group",
        "actor2": "Military Forces of Mali (2021-)",
        "inter2": "State forces",
        "iso": "466",
        "country": "Mali",
        "admin1": "Bamako",
        "location": "Bamako",
        "latitude": "12.65",
        "longitude": "-8.0",
        "geo_precision": "1",
        "source": "RFI",
        "notes": "Clashes in Bamako.",
        "fatalities": "0",
        "timestamp": "1762500000",
    }
    row.update(fields)
    return row


def write_csv(
    path: Path,
    rows: list[dict[str, str]],
    columns: list[str] | None = None,
    encoding: str = "utf-8",
) -> Path:
    with path.open("w", newline="", encoding=encoding) as f:
        w = csv.DictWriter(f, fieldnames=columns or COLUMNS, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    return path


def run_cli(*args: str | Path) -> Result:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    # CliRunner turns an uncaught exception into result.exception; a real run prints a traceback
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    assert "Traceback" not in result.stderr
    return result


def fails(*args: str | Path) -> str:
    """Run a command that must fail with an input error; return its stderr."""
    result = run_cli(*args)
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert "\nError: " in "\n" + result.stderr, result.stderr  # notes may come first
    return result.stderr


def bamako_extent() -> tuple[float, float, float, float]:
    return read_places(default_places()).extent()


def read_rejects(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the default --rejects path is relative: never write into the checkout
    monkeypatch.chdir(tmp_path)


# =============================================================================================
# ACLED CSV: whole-file problems


def test_missing_required_columns_names_columns_file_and_header_line(tmp_path: Path) -> None:
    cols = [c for c in COLUMNS if c not in ("latitude", "geo_precision")]
    f = write_csv(tmp_path / "acled.csv", [event()], cols)
    err = fails("assess", "-i", f, "--as-of", AS_OF)
    assert f"{f}:1: missing required ACLED columns latitude, geo_precision" in err


@pytest.mark.parametrize("column", REQUIRED)
def test_each_required_column_is_required(tmp_path: Path, column: str) -> None:
    f = write_csv(tmp_path / "acled.csv", [event()], [c for c in COLUMNS if c != column])
    with pytest.raises(InputError) as info:
        read_incidents([f], None)
    [p] = info.value.problems
    assert (p.file, p.line) == (str(f), 1)
    assert p.message.startswith(f"missing required ACLED column {column}")


def test_missing_column_suggestions_come_only_from_unrecognised_headers(tmp_path: Path) -> None:
    """'did you mean' must point at a header the reader did not understand, never at another
    column it already uses. Today a file without event_date gets "(did you mean 'event_type'
    or 'event_id_cnty' or 'sub_event_type'?)", all three present and already read."""
    f = write_csv(tmp_path / "acled.csv", [event()], [c for c in COLUMNS if c != "event_date"])
    with pytest.raises(InputError) as info:
        read_incidents([f], None)
    message = info.value.problems[0].message
    assert message.startswith("missing required ACLED column event_date")
    assert "did you mean" not in message


def test_misspelt_required_column_gets_a_suggestion(tmp_path: Path) -> None:
    cols = ["lattitude" if c == "latitude" else c for c in COLUMNS]
    rows = [{("lattitude" if k == "latitude" else k): v for k, v in event().items()}]
    f = write_csv(tmp_path / "acled.csv", rows, cols)
    with pytest.raises(InputError) as info:
        read_incidents([f], None)
    [p] = info.value.problems
    assert p.file == str(f) and p.line == 1
    assert "latitude" in p.message and "did you mean 'lattitude'" in p.message


@pytest.mark.parametrize("second", ["NOTES", " notes "])
def test_a_column_named_twice_is_an_input_error(tmp_path: Path, second: str) -> None:
    f = tmp_path / "acled.csv"
    with f.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow([*COLUMNS, second])
        w.writerow([*(event().get(c, "") for c in COLUMNS), "again"])
    out = fails("assess", "-i", f, "--as-of", AS_OF)  # exit 2, no traceback
    assert "column 'notes' appears more than once in the header" in out


def test_empty_file_exit_2_names_file(tmp_path: Path) -> None:
    f = tmp_path / "empty.csv"
    f.write_bytes(b"")
    err = fails("assess", "-i", f, "--as-of", AS_OF)
    assert f"{f}: empty file" in err


@pytest.mark.parametrize("as_of", [None, AS_OF])
def test_header_only_file_alone_is_a_clear_input_error(tmp_path: Path, as_of: str | None) -> None:
    """A header with no rows, as the only input: nothing usable, so exit 2 naming the file.

    Today: without --as-of the message is about --as-of and does not name the file; with
    --as-of the engine crashes (exit 1, "internal error: InvalidOperationError ...").
    """
    f = write_csv(tmp_path / "header_only.csv", [])
    err = fails("assess", "-i", f, *(["--as-of", as_of] if as_of else []))
    assert str(f) in err
    assert "no usable incidents" in err or "no incident rows" in err or "no rows" in err


def test_header_only_file_next_to_a_real_export_is_fine(tmp_path: Path) -> None:
    f = write_csv(tmp_path / "header_only.csv", [])
    result = run_cli("assess", "-i", DEMO_CSV, "-i", f, "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == 0, result.stderr
    inputs = json.loads(result.stdout)["provenance"]["inputs"]
    assert {"kind": "incidents", "path": str(f)} in [
        {"kind": i["kind"], "path": i["path"]} for i in inputs
    ]


def test_latin1_bytes_exit_2_names_file_and_line(tmp_path: Path) -> None:
    rows = [event("MLI90001"), event("MLI90002", notes="Attaque signalée à Kati.")]
    f = write_csv(tmp_path / "latin1.csv", rows, encoding="latin-1")  # é is byte 0xe9 on row 3
    err = fails("assess", "-i", f, "--as-of", AS_OF)
    assert f"{f}:3: not valid UTF-8 (byte 0xe9)" in err


def short_row(f: Path, row: int, fields: int) -> Path:
    """`f` with its row `row` (spreadsheet numbering, header = 1) cut to its first `fields`."""
    lines = f.read_text("utf-8").splitlines(keepends=True)
    cells = next(csv.reader([lines[row - 1]]))[:fields]
    lines[row - 1] = ",".join(cells) + ("\n" if row < len(lines) else "")
    f.write_text("".join(lines), "utf-8")
    return f


def test_a_row_with_fewer_fields_than_the_header_is_an_input_error(tmp_path: Path) -> None:
    """polars reads the fields a short row lacks as empty ones: without the check the row's
    date, place or timestamp would be lost (or its fatalities read as none) without a word."""
    rows = [event(f"MLI9000{i}") for i in range(1, 6)]
    f = short_row(write_csv(tmp_path / "mangled.csv", rows), 3, 28)
    err = fails("assess", "-i", f, "--as-of", AS_OF)
    assert f"{f}:3: row has 28 fields, the header has 31; fix or re-export the file" in err
    assert "cut short" not in err
    # the last row, without its line break: the file was cut short
    f = short_row(write_csv(tmp_path / "cut.csv", rows), 6, 2)
    err = fails("assess", "-i", f, "--as-of", AS_OF)
    assert f"{f}:6: row has 2 fields, the header has 31 (the file looks cut short)" in err
    f = short_row(write_csv(tmp_path / "one.csv", rows), 6, 1)
    assert f"{f}:6: row has 1 field, the header has 31 (the file" in fails("assess", "-i", f)


@pytest.mark.parametrize(
    "command",
    [
        ["assess"],
        ["render", "-o", "report.html"],
        ["explain", "bamako"],
        ["check", "bamako", "segou", "--profile", "national-staff"],
        ["backtest", "--from", "2025-07-01", "--to", "2025-10-01"],
        ["demo"],
    ],
)
def test_every_command_reading_an_export_refuses_a_short_row_alike(
    tmp_path: Path, command: list[str]
) -> None:
    f = short_row(
        write_csv(tmp_path / "mangled.csv", [event(f"MLI9000{i}") for i in range(5)]), 4, 9
    )
    err = fails(*command, "-i", f)
    assert f"Error: {f}:4: row has 9 fields, the header has 31; fix or re-export the file" in err


def test_rows_whose_last_fields_are_empty_are_whole_and_read(tmp_path: Path) -> None:
    """Only a row whose last field is empty may be short, so those are counted field by field;
    a whole one reads as it is, its empty fields included, quoted or not, and so do lines of
    spaces (blank)."""
    columns = [c for c in COLUMNS if c != "tags"] + ["tags"]  # tags last, empty
    rows = [event(f"MLI9000{i}", tags="") for i in range(1, 6)]
    f = write_csv(tmp_path / "tags_last.csv", rows, columns)
    text = f.read_text("utf-8").splitlines(keepends=True)
    text[2] = text[2].rstrip("\r\n") + '""\n'  # row 3's last field quoted and empty
    text.insert(4, "   \n")  # a line of spaces: blank, skipped
    f.write_text("".join(text), "utf-8")
    result = run_cli("assess", "-i", f, "--as-of", AS_OF, "-f", "json")
    assert result.exit_code == 0, result.stderr
    incidents = json.loads(result.stdout)["inputs"]["incidents"]
    assert (incidents["rows_read"], incidents["rejected"]) == (5, 0)
    assert f"{f}: 1 blank row skipped" in incidents["notes"]


def test_rows_read_again_are_checked_and_only_they(tmp_path: Path) -> None:
    """A look-back reads old rows' text again by row number (`rows=`): the file was checked
    whole by the first read, so only the rows asked for are counted again."""
    from advisory.ingest.acled import read_export

    rows = [event(f"MLI9000{i}", tags="") for i in range(1, 6)]
    columns = [c for c in COLUMNS if c != "tags"] + ["tags"]
    f = short_row(write_csv(tmp_path / "again.csv", rows, columns), 5, 30)
    assert read_export(f, LEGACY, rows=[2, 3]).frame["_row"].to_list() == [2, 3]
    with pytest.raises(InputError, match=r"again.csv:5: row has 30 fields, the header has 31;"):
        read_export(f, LEGACY, rows=[3, 5])


def test_incidents_path_that_does_not_exist_exit_2(tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    err = fails("assess", "-i", missing, "--as-of", AS_OF)
    assert f"{missing}: incident file or directory not found" in err


def test_assess_without_incidents_is_a_usage_error() -> None:
    result = run_cli("assess", "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "--incidents" in result.stderr


# =============================================================================================
# ACLED CSV: bad rows are rejected, the run goes on

BAD_ROWS = [
    # (event id, bad fields, rejected field, words in the reason)
    ("MLI90002", {"event_date": "yesterday"}, "event_date", "event_date"),
    ("MLI90003", {"event_date": "2025-02-30"}, "event_date", "impossible event_date"),
    ("MLI90004", {"latitude": "-7.98", "longitude": "12.64"}, "latitude", "swapped"),
    ("MLI90005", {"latitude": "twelve"}, "latitude", "latitude is not a number"),
    ("MLI90006", {"geo_precision": "4"}, "geo_precision", "geo_precision must be 1, 2 or 3"),
    ("MLI90007", {"latitude": "95"}, "latitude", "latitude out of range"),
    ("MLI90008", {"longitude": "-200"}, "longitude", "longitude out of range"),
    ("MLI90009", {"event_id_cnty": ""}, "event_id_cnty", "empty event_id_cnty"),
]


def bad_file(tmp_path: Path) -> Path:
    """Row 2 is valid; rows 3.. are the BAD_ROWS in order."""
    rows = [event("MLI90001")] + [event(eid, **bad) for eid, bad, _, _ in BAD_ROWS]
    return write_csv(tmp_path / "mixed.csv", rows)


@pytest.mark.parametrize(
    ("event_id", "bad", "field", "reason"), BAD_ROWS, ids=[f"{b[2]}-{b[0]}" for b in BAD_ROWS]
)
def test_each_bad_row_is_rejected_with_field_and_reason(
    tmp_path: Path, event_id: str, bad: dict[str, str], field: str, reason: str
) -> None:
    f = write_csv(tmp_path / "one_bad.csv", [event("MLI90001"), event(event_id, **bad)])
    inc = read_incidents([f], None, bamako_extent())
    assert inc.frame["event_id"].to_list() == ["MLI90001"]  # the good row survives
    assert inc.rejects.height == 1
    rej = inc.rejects.row(0, named=True)
    assert (rej["_file"], rej["_row"], rej["_field"]) == (str(f), 3, field)
    assert reason in rej["_reason"]
    for k, v in bad.items():  # the raw values are kept, so the user can see what was wrong
        assert rej[k] == v


def test_bad_rows_go_to_the_rejects_csv_and_the_run_goes_on(tmp_path: Path) -> None:
    f = bad_file(tmp_path)
    rejects = tmp_path / "out" / "rejected.csv"
    rejects.parent.mkdir()
    result = run_cli(
        "assess", "-i", DEMO_CSV, "-i", f, "--as-of", AS_OF, "--rejects", rejects, "-f", "json"
    )
    assert result.exit_code == 0, result.stderr
    n = len(BAD_ROWS)
    assert f"Warning: {n} incident rows rejected (" in result.stderr
    assert f"written to {rejects}" in result.stderr

    rows = read_rejects(rejects)
    assert [(r["_file"], int(r["_row"]), r["_field"]) for r in rows] == [
        (str(f), i + 3, fld) for i, (_, _, fld, _) in enumerate(BAD_ROWS)
    ]
    for r, (eid, _, _, reason) in zip(rows, BAD_ROWS, strict=True):
        assert r["event_id_cnty"] == ("" if eid == "MLI90009" else eid)
        assert reason in r["_reason"]

    doc = json.loads(result.stdout)
    summary = doc["inputs"]["incidents"]
    demo_rows = pl.read_csv(DEMO_CSV, infer_schema=False).height
    assert summary["rows_read"] == demo_rows + 1 + n
    assert summary["rejected"] == n
    assert sum(summary["rejected_by_reason"].values()) == n
    assert doc["inputs"]["rejects_file"] == str(rejects)


def test_no_rejects_file_when_nothing_is_rejected(tmp_path: Path) -> None:
    f = write_csv(tmp_path / "fine.csv", [event("MLI90001")])
    rejects = tmp_path / "rejected.csv"
    result = run_cli("assess", "-i", DEMO_CSV, "-i", f, "--as-of", AS_OF, "--rejects", rejects)
    assert result.exit_code == 0, result.stderr
    assert not rejects.exists()
    assert "rejected" not in result.stderr


def test_every_row_rejected_exit_2_lists_reasons(tmp_path: Path) -> None:
    f = write_csv(
        tmp_path / "all_bad.csv",
        [
            event("MLI90002", event_date="yesterday"),
            event("MLI90003", geo_precision="4"),
            event("MLI90004", event_date="2025-02-30"),
        ],
    )
    err = fails("assess", "-i", f, "--as-of", AS_OF, "--rejects", tmp_path / "rj.csv")
    assert f"{f}: no usable incidents: 3 rows were rejected" in err
    assert "2 x unparseable or impossible event_date" in err
    assert "1 x geo_precision must be 1, 2 or 3" in err


def test_every_row_rejected_still_writes_the_rejects_csv(tmp_path: Path) -> None:
    """When nothing is usable the rejects file is what the user needs most.

    Today it is not written: assess() raises before the CLI writes it.
    """
    f = write_csv(
        tmp_path / "all_bad.csv",
        [event("MLI90002", event_date="yesterday"), event("MLI90003", geo_precision="4")],
    )
    rejects = tmp_path / "rj.csv"
    fails("assess", "-i", f, "--as-of", AS_OF, "--rejects", rejects)
    assert rejects.exists()
    assert [(r["_row"], r["_field"]) for r in read_rejects(rejects)] == [
        ("2", "event_date"),
        ("3", "geo_precision"),
    ]


def test_every_row_rejected_without_as_of_says_no_usable_incidents(tmp_path: Path) -> None:
    """Today the message is "--as-of: no incidents to date the assessment: give --as-of": it
    sends the user after the wrong option and names neither the file nor the reasons."""
    f = write_csv(tmp_path / "all_bad.csv", [event("MLI90002", event_date="yesterday")])
    err = fails("assess", "-i", f, "--rejects", tmp_path / "rj.csv")
    assert str(f) in err
    assert "no usable incidents" in err
    assert "event_date" in err


def test_rows_after_as_of_are_not_rejects(tmp_path: Path) -> None:
    f = write_csv(
        tmp_path / "late.csv", [event("MLI90001"), event("MLI90002", event_date="2025-12-01")]
    )
    inc = read_incidents([f], date(2025, 11, 20), bamako_extent())
    assert inc.rejects.height == 0
    assert inc.after_as_of == 1
    assert inc.frame["event_id"].to_list() == ["MLI90001"]


# =============================================================================================
# ACLED CSV: variations that must be accepted


def test_utf8_bom_accepted(tmp_path: Path) -> None:
    f = tmp_path / "bom.csv"
    write_csv(f, [event("MLI90001", location="Ségou")], encoding="utf-8-sig")
    assert f.read_bytes().startswith(b"\xef\xbb\xbf")
    inc = read_incidents([f], None, bamako_extent())
    assert inc.rejects.height == 0
    assert inc.frame["event_id"].to_list() == ["MLI90001"]  # first column still recognised
    assert inc.frame["location"].to_list() == ["Ségou"]


def test_both_date_styles_accepted(tmp_path: Path) -> None:
    f = write_csv(
        tmp_path / "dates.csv",
        [
            event("MLI90001", event_date="2025-11-07"),
            event("MLI90002", event_date="07 November 2025"),
        ],
    )
    inc = read_incidents([f], None, bamako_extent())
    assert inc.rejects.height == 0
    assert inc.frame["date"].to_list() == [date(2025, 11, 7), date(2025, 11, 7)]


def test_numeric_inter_codes_mapped_to_text(tmp_path: Path) -> None:
    f = write_csv(
        tmp_path / "inter.csv",
        [event("MLI90001", inter1="2", inter2="1"), event("MLI90002", inter1="7", inter2="0")],
    )
    frame = read_incidents([f], None, bamako_extent()).frame
    assert frame.select("inter1", "inter2").rows() == [
        ("Rebel group", "State forces"),
        ("Civilians", ""),
    ]


def test_column_order_and_extra_columns_do_not_matter(tmp_path: Path) -> None:
    rows = [event("MLI90001"), event("MLI90002", event_date="07 November 2025", inter1="3")]
    standard = read_incidents([write_csv(tmp_path / "a.csv", rows)], None).frame
    shuffled_cols = ["my_own_notes", *reversed(COLUMNS), "Extra Column"]
    shuffled_rows = [{**r, "my_own_notes": "x", "Extra Column": "y"} for r in rows]
    other = read_incidents(
        [write_csv(tmp_path / "b.csv", shuffled_rows, shuffled_cols)], None
    ).frame
    assert other.equals(standard)
    assert "my_own_notes" not in other.columns


def test_older_column_set_accepted(tmp_path: Path) -> None:
    f = write_csv(tmp_path / "old.csv", [event("MLI90001")], OLD_COLUMNS)
    assert "disorder_type" not in f.read_text().splitlines()[0]
    inc = read_incidents([f], None, bamako_extent())
    assert inc.rejects.height == 0
    row = inc.frame.row(0, named=True)
    assert row["event_id"] == "MLI90001"
    assert (row["disorder_type"], row["civilian_targeting"], row["tags"]) == ("", "", "")


def test_header_names_are_case_and_space_insensitive(tmp_path: Path) -> None:
    cols = [f" {c.upper()} " for c in COLUMNS]
    rows = [{f" {k.upper()} ": v for k, v in event().items()}]
    inc = read_incidents([write_csv(tmp_path / "upper.csv", rows, cols)], None)
    assert inc.frame["event_id"].to_list() == ["MLI90001"]


@pytest.mark.parametrize("latest_first", [True, False])
def test_duplicate_event_ids_keep_the_latest_timestamp(tmp_path: Path, latest_first: bool) -> None:
    old = event("MLI90010", notes="First report of clashes near Kati.", timestamp="1762500000")
    new = event(
        "MLI90010",
        notes="Revised: clashes and an ambush near Kati.",
        timestamp="1762600000",
        fatalities="3",
    )
    f = write_csv(tmp_path / "dups.csv", [new, old] if latest_first else [old, new])
    run = assess([DEMO_CSV, f], as_of=date(2025, 11, 20))
    kept = run.incidents.frame.filter(pl.col("event_id") == "MLI90010")
    assert kept.height == 1
    assert kept["notes"].to_list() == ["Revised: clashes and an ambush near Kati."]
    assert kept["fatalities"].to_list() == [3]
    assert run.incidents.revisions == 1
    assert run.assessment.inputs["incidents"]["revisions_replaced"] == 1
    assert run.incidents.rejects.height == 0  # a revision is merged, not rejected


def test_duplicate_across_two_files_keeps_the_latest(tmp_path: Path) -> None:
    a = write_csv(tmp_path / "a.csv", [event("MLI90010", notes="new", timestamp="1762600000")])
    b = write_csv(tmp_path / "b.csv", [event("MLI90010", notes="old", timestamp="1762500000")])
    for order in ([a, b], [b, a]):
        inc = read_incidents(order, None, bamako_extent())
        assert inc.frame["notes"].to_list() == ["new"]
        assert inc.revisions == 1


# =============================================================================================
# Guidance YAML

GOOD_ENTRY = """\
- id: t-1
  issuer: US
  issued: 2025-01-01
  level: 4
  action: none
  scope:
    country: ML
  reasons: [terrorism]
"""


def guidance_fails(tmp_path: Path, text: str, name: str = "guidance.yaml") -> tuple[Path, str]:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return f, fails("demo", "-g", f, "--rejects", tmp_path / "rj.csv")


def test_good_guidance_file_is_accepted(tmp_path: Path) -> None:
    f = tmp_path / "ok.yaml"
    f.write_text(GOOD_ENTRY, encoding="utf-8")
    result = run_cli("demo", "-g", f, "-f", "json", "--no-reports")
    assert result.exit_code == 0, result.stderr
    assert [g["id"] for g in json.loads(result.stdout)["guidance"]] == ["t-1"]


def test_malformed_yaml_names_file_and_line(tmp_path: Path) -> None:
    text = GOOD_ENTRY.replace("reasons: [terrorism]", "reasons: [terrorism\n  source: x")
    f, err = guidance_fails(tmp_path, text)
    # the unclosed "[" is on line 8; the parser notices at the next key, on line 9
    assert f"Error: {f}:9: malformed YAML: " in err


def test_duplicate_key_rejected(tmp_path: Path) -> None:
    f, err = guidance_fails(
        tmp_path, GOOD_ENTRY.replace("  level: 4\n", "  level: 4\n  level: 1\n")
    )
    assert f"{f}:5: field level: duplicate key 'level' (first at line 4)" in err


def test_unknown_key_suggests_the_right_one(tmp_path: Path) -> None:
    f, err = guidance_fails(tmp_path, GOOD_ENTRY.replace("  level: 4", "  levle: 4"))
    assert f"{f}:4: rule t-1: field 0.levle: unknown key 'levle' (did you mean 'level'?)" in err
    assert "field 0.level: required key is missing" in err


@pytest.mark.parametrize(
    ("old", "new", "line", "field", "words"),
    [
        ("level: 4", "level: 5", 4, "0.level", "less than or equal to 4 (got 5)"),
        ("action: none", "action: evacuate", 5, "0.action", "(got 'evacuate')"),
        ("reasons: [terrorism]", "reasons: [boredom]", 8, "0.reasons.0", "(got 'boredom')"),
        ("issuer: US", "issuer: USA", 2, "0.issuer", "(got 'USA')"),
        ("issued: 2025-01-01", "issued: someday", 3, "0.issued", "(got 'someday')"),
    ],
)
def test_bad_guidance_value_names_file_line_entry_and_field(
    tmp_path: Path, old: str, new: str, line: int, field: str, words: str
) -> None:
    f, err = guidance_fails(tmp_path, GOOD_ENTRY.replace(old, new))
    assert f"Error: {f}:{line}: rule t-1: field {field}: " in err
    assert words in err


def test_all_guidance_problems_reported_together(tmp_path: Path) -> None:
    second = GOOD_ENTRY.replace("t-1", "t-2").replace("level: 4", "level: 0")
    f, err = guidance_fails(
        tmp_path, GOOD_ENTRY.replace("action: none", "action: evacuate") + second
    )
    assert f"{f}:5: rule t-1: field 0.action" in err
    assert f"{f}:12: rule t-2: field 1.level" in err


def test_expires_before_issued_points_at_expires(tmp_path: Path) -> None:
    """The date-order check must name the field a person has to fix.

    Today the problem is reported on the entry's first line with field "1" (the list index):
    'g.yaml:9: rule t-2: field 1: Value error, 'expires' must be after 'issued''.
    """
    second = GOOD_ENTRY.replace("t-1", "t-2").replace(
        "  issued: 2025-01-01\n", "  issued: 2025-03-01\n  expires: 2025-02-01\n"
    )
    text = GOOD_ENTRY + second
    f, err = guidance_fails(tmp_path, text)
    assert "'expires' must be after 'issued'" in err
    expires_line = text.splitlines().index("  expires: 2025-02-01") + 1
    assert f"{f}:{expires_line}: rule t-2: field 1.expires: " in err


def test_duplicate_ids_across_two_files(tmp_path: Path) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(GOOD_ENTRY, encoding="utf-8")
    b.write_text(GOOD_ENTRY.replace("issuer: US", "issuer: GB"), encoding="utf-8")
    err = fails("demo", "-g", a, "-g", b)
    assert f"{b}:1: rule t-1: field id: duplicate guidance id (first in {a})" in err


def test_python_object_tag_rejected_and_not_executed(tmp_path: Path) -> None:
    marker = tmp_path / "PWNED"
    text = GOOD_ENTRY + f'  summary: !!python/object/apply:os.system ["touch {marker}"]\n'
    f, err = guidance_fails(tmp_path, text)
    assert f"{f}:9: tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed" in err
    assert not marker.exists()


def test_anchors_and_aliases_rejected(tmp_path: Path) -> None:
    text = GOOD_ENTRY.replace("- id: t-1", "- &base\n  id: t-1") + "- *base\n"
    f, err = guidance_fails(tmp_path, text)
    assert f"{f}:" in err and "anchors and aliases (&, *) are not allowed" in err


def test_merge_keys_rejected(tmp_path: Path) -> None:
    text = GOOD_ENTRY.replace("  scope:\n", "  scope:\n    <<: {country: ML}\n")
    f, err = guidance_fails(tmp_path, text)
    assert f"{f}:7: merge keys (<<) are not allowed" in err


def test_guidance_that_is_not_a_list(tmp_path: Path) -> None:
    f, err = guidance_fails(tmp_path, "id: t-1\nissuer: US\n")
    assert f"{f}:1: expected a YAML list of guidance entries" in err


def test_guidance_latin1_names_file_and_line(tmp_path: Path) -> None:
    f = tmp_path / "fr.yaml"
    f.write_bytes((GOOD_ENTRY + "  summary: Sécurité\n").encode("latin-1"))
    err = fails("demo", "-g", f)
    assert f"{f}:9: not valid UTF-8" in err


# =============================================================================================
# Places GeoJSON


def feature(
    pid: str, kind: str = "town", coords: Any = (-8.0, 12.65), gtype: str = "Point"
) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": gtype, "coordinates": list(coords)},
        "properties": {"id": pid, "name": pid.title(), "kind": kind},
    }


def places_fail(tmp_path: Path, doc: Any) -> tuple[Path, str]:
    f = tmp_path / "places.geojson"
    f.write_text(doc if isinstance(doc, str) else json.dumps(doc, indent=2), encoding="utf-8")
    return f, fails("demo", "-p", f, "--rejects", tmp_path / "rj.csv")


def collection(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


def test_small_valid_gazetteer_is_accepted(tmp_path: Path) -> None:
    f = tmp_path / "places.geojson"
    f.write_text(
        json.dumps(collection(feature("bamako", "capital"), feature("kati", coords=(-8.07, 12.74))))
    )
    result = run_cli("demo", "-p", f, "-f", "json", "--no-reports")
    assert result.exit_code == 0, result.stderr
    assert [loc["id"] for loc in json.loads(result.stdout)["locations"]] == ["bamako", "kati"]


def test_places_read_in_one_call_are_those_read_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A valid gazetteer is validated in one pydantic call; the feature-by-feature path (the
    one that reports problems) must give the very same places, roads and digest."""
    from advisory.ingest import places

    road = {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": [[-8.0, 12.6], [-7.5, 13.0]]},
        "properties": {"id": "rn6", "name": "RN6", "kind": "route", "from": "bamako", "to": "x"},
    }
    big = feature("kati", coords=(-8.07, 12.74))
    big["properties"] |= {"population": 12_000, "aliases": ["Kati ville"], "note": math.nan}
    text = json.dumps(collection(feature("bamako", "capital"), big, road))
    assert places._validated("p", json.loads(text)["features"]) is not None  # the one call
    for source in (default_places(), tmp_path / "p.geojson"):
        if source.parent == tmp_path:
            source.write_text(text, "utf-8")  # NaN, which orjson refuses: read by json
        fast = read_places(source)
        with monkeypatch.context() as m:
            m.setattr(places, "_validated", lambda name, feats: None)
            slow = read_places(source)
        assert fast.places == slow.places and fast.digest == slow.digest
        assert len(fast.places) > 2


def test_a_feature_without_geometry_or_properties_is_reported_not_raised(
    tmp_path: Path,
) -> None:
    """The one-call validation gives up on such a feature; the feature-by-feature read
    reports it where it is."""
    no_geometry = {"type": "Feature", "properties": {"id": "a", "name": "A", "kind": "town"}}
    no_properties = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2]}}
    for odd, why in ((no_geometry, "geometry must be an object"), (no_properties, "properties")):
        f, err = places_fail(tmp_path, collection(feature("bamako", "capital"), odd))
        assert f"{f}: field features[1]" in err and why in err


def test_malformed_json_names_file_and_line(tmp_path: Path) -> None:
    text = '{\n  "type": "FeatureCollection",\n  "features": [\n    {"type": "Feature",}\n  ]\n}\n'
    f, err = places_fail(tmp_path, text)
    assert f"Error: {f}:4: malformed GeoJSON: " in err


@pytest.mark.parametrize(
    "doc",
    [
        {"type": "Feature", "geometry": None, "properties": {}},
        [1, 2],
    ],
)
def test_not_a_feature_collection(tmp_path: Path, doc: Any) -> None:
    f, err = places_fail(tmp_path, doc)
    assert f"{f}: expected a GeoJSON FeatureCollection" in err


def test_unknown_kind(tmp_path: Path) -> None:
    f, err = places_fail(
        tmp_path, collection(feature("bamako", "capital"), feature("x", "metropolis"))
    )
    assert f"{f}: field features[1].properties.kind: " in err
    assert "(got 'metropolis')" in err


def test_duplicate_place_id(tmp_path: Path) -> None:
    f, err = places_fail(tmp_path, collection(feature("bamako", "capital"), feature("bamako")))
    assert f"{f}: field features[1].properties.id: duplicate id 'bamako'" in err


def test_polygon_geometry_rejected(tmp_path: Path) -> None:
    poly = feature("zone", coords=[[[-8, 12], [-7, 12], [-7, 13], [-8, 12]]], gtype="Polygon")
    f, err = places_fail(tmp_path, collection(feature("bamako", "capital"), poly))
    assert f"{f}: field features[1].geometry: geometry type must be Point or LineString" in err
    assert "'Polygon'" in err


def test_latitude_first_coordinates_out_of_range(tmp_path: Path) -> None:
    """[lat, lon] written for a place whose longitude is beyond 90 degrees is caught, with a
    hint about GeoJSON order. (A swap that stays in range, like Bamako's [12.65, -8.0], cannot
    be told from a real place by this file alone.)"""
    f, err = places_fail(
        tmp_path, collection(feature("bamako", "capital"), feature("far", coords=(20.0, 100.0)))
    )
    assert f"{f}: field features[1].geometry: position [20.0, 100.0] out of range" in err
    assert "[longitude, latitude]" in err


def test_every_places_problem_reported_together(tmp_path: Path) -> None:
    _, err = places_fail(
        tmp_path,
        collection(feature("bamako", "capital"), feature("x", "metropolis"), feature("bamako")),
    )
    assert "features[1].properties.kind" in err
    assert "features[2].properties.id" in err


# =============================================================================================
# Place names on the command line


def test_unknown_place_suggests_the_nearest() -> None:
    err = fails("explain", "segoo")
    assert "unknown place or road 'segoo'" in err
    assert "did you mean 'Ségou'" in err or "did you mean 'segou'" in err


def test_place_name_ignores_accents_and_case() -> None:
    result = run_cli("explain", "SÉGOU")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Ségou (segou): ")


def test_explain_unknown_place_with_own_incidents(tmp_path: Path) -> None:
    result = run_cli("explain", "katti", "-i", DEMO_CSV, "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "did you mean 'Kati'" in result.stderr or "did you mean 'kati'" in result.stderr


def test_bad_as_of_is_a_usage_error() -> None:
    result = run_cli("demo", "--as-of", "20/11/2025")
    assert result.exit_code == 2
    assert "expected YYYY-MM-DD" in result.stderr


def test_every_event_after_as_of_is_an_input_error_not_an_all_clear(tmp_path: Path) -> None:
    f = write_csv(tmp_path / "late.csv", [event("MLI90010"), event("MLI90011")])
    err = fails("assess", "-i", f, "--as-of", "2020-01-01")
    assert "no usable incidents: 2 events are dated after 2020-01-01" in err


def test_the_provenance_names_the_files_sha256(tmp_path: Path) -> None:
    f = write_csv(tmp_path / "a.csv", [event("MLI1"), event("MLI2")])
    run = assess([f], [], None, None, date(2025, 11, 20), generated_at="t", allow_stale=True)
    digests = [i for i in run.assessment.provenance.inputs if i["kind"] == "incidents"]
    assert digests == [
        {
            "kind": "incidents",
            "path": str(f),
            "sha256": "sha256:" + hashlib.sha256(f.read_bytes()).hexdigest(),
            "records": 2,
        }
    ]


def test_ids_and_actors_are_trimmed_for_matching(tmp_path: Path) -> None:
    """Anchored actor patterns (`^Civilians`) must not miss a padded cell."""
    row = event(" MLI1 ", actor1="  JNIM  ", actor2=" Civilians (Mali) ", assoc_actor_2=" Aid ")
    frame = read_incidents([write_csv(tmp_path / "a.csv", [row])], None).frame
    got = frame.select("event_id", "actor1", "actor2", "assoc_actor_2").row(0)
    assert got == ("MLI1", "JNIM", "Civilians (Mali)", "Aid")


def test_untidy_values_are_read_like_clean_ones(tmp_path: Path) -> None:
    """Spaces, decimal commas, decimals for counts and the other date style read as their
    clean twins do."""
    clean = event("MLI1", latitude="12.65", longitude="-8.0", fatalities="3")
    untidy = event(
        "MLI2",
        event_date=" 07 November 2025 ",
        latitude=" 12,65 ",
        longitude=" -8,0",
        geo_precision=" 1 ",
        fatalities=" 3 ",
        timestamp="1762500000.0",
    )
    blank = event("MLI3", fatalities="", timestamp="")
    f = write_csv(tmp_path / "a.csv", [clean, untidy, blank])
    inc = read_incidents([f], None, bamako_extent())
    assert inc.rejects.height == 0
    cols = ["date", "lat", "lon", "precision", "fatalities", "timestamp"]
    rows = inc.frame.select(cols).rows()
    assert rows[0] == rows[1] == (date(2025, 11, 7), 12.65, -8.0, 1, 3, 1762500000)
    assert rows[2][4:] == (0, 0)  # empty counts read as 0, as before


def test_one_untidy_field_is_read_in_a_row_of_clean_ones(tmp_path: Path) -> None:
    """A row is read field by field: one untidy value among clean ones, or a count too large
    to read exactly (rounded as its decimal reading is), reads as it would alone."""
    rows = [
        event("MLI1", latitude="12,65"),
        event("MLI2", event_date="07-November-2025"),
        event("MLI3", fatalities="3.0"),
        event("MLI4", timestamp=str(2**53 + 1)),
        event("MLI5", longitude=" -8.0\t"),
    ]
    inc = read_incidents([write_csv(tmp_path / "a.csv", rows)], None, bamako_extent())
    assert inc.rejects.height == 0
    got = inc.frame.select("date", "lat", "lon", "fatalities", "timestamp").rows()
    clean = (date(2025, 11, 7), 12.65, -8.0, 0, 1762500000)
    assert got == [clean, clean, (*clean[:3], 3, clean[4]), (*clean[:4], 2**53), clean]


def test_a_bad_places_file_is_reported_before_a_bad_export(tmp_path: Path) -> None:
    """The places are read first: a broken gazetteer is named before the export."""
    places = tmp_path / "places.geojson"
    places.write_text('{"type": "FeatureCollection", "features": []}', "utf-8")
    csv_file = write_csv(tmp_path / "a.csv", [event()], [c for c in COLUMNS if c != "latitude"])
    err = fails("assess", "-i", csv_file, "-p", places, "-f", "json")
    assert "the FeatureCollection has no features" in err
    err = fails("assess", "-i", csv_file, "-f", "json")
    assert "missing required ACLED column latitude" in err
