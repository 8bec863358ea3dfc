"""`advisory assess` parses only the columns an assessment reads (`ASSESSED`).

What it prints and the rejects file it writes must be what a whole read gives: rows that are
rejected, or whose ids repeat, are read again whole, and a file that changes in between is an
error."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from acled_factory import COLUMNS
from click.testing import CliRunner

from advisory.classify import LIST_FIELDS, REGEX_FIELDS
from advisory.cli import cli
from advisory.engine import DATA_DIR, assess, default_places
from advisory.errors import InputError
from advisory.ingest.acled import (
    ASSESSED,
    CHECKED,
    REQUIRED,
    check_incidents,
    parse_incidents,
    read_incidents,
)
from advisory.ingest.acled import COLUMNS as STANDARD  # required first, then the others
from advisory.ingest.places import read_places
from advisory.rulepack.model import Match

DEMO = DATA_DIR / "incidents" / "mali_demo_2024_2025.csv"
AS_OF = date(2025, 11, 20)


def _row(event_id: str, **fields: str) -> dict[str, str]:
    row = {c: "" for c in COLUMNS} | {
        "event_id_cnty": event_id,
        "event_date": "2025-11-07",
        "year": "2025",
        "disorder_type": "Political violence",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": "JNIM: Group for Support of Islam and Muslims",
        "country": "Mali",
        "admin1": "Bamako",
        "admin2": "Bamako",
        "location": "Bamako",
        "latitude": "12.65",
        "longitude": "-8.0",
        "geo_precision": "1",
        "source": "RFI",
        "notes": "Clashes in Bamako.",
        "fatalities": "0",
        "tags": "crowd size=no report",
        "timestamp": "1762500000",
    }
    return row | fields


def _write(path: Path, rows: list[dict[str, str]], header: list[str] | None = None) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header or COLUMNS)
        w.writerows([r[c] for c in COLUMNS] for r in rows)
    return path


def _extent() -> tuple[float, float, float, float]:
    return read_places(default_places()).extent()


def test_assessed_columns_hold_every_column_a_rule_or_the_engine_reads() -> None:
    named = set()
    for field in Match.model_fields:
        if field == "actor2_nationality":
            named |= {"actor2", "country"}
        elif field == "min_fatalities":
            named.add("fatalities")
        else:
            named.add(field.removesuffix("_not_matches").removesuffix("_matches"))
    named |= set(LIST_FIELDS) | {column for column, _ in REGEX_FIELDS.values()}
    assert named <= set(COLUMNS), named - set(COLUMNS)  # the mapping above is right
    # checked on every row (REQUIRED, fatalities, timestamp) and counted per source
    needed = named | set(REQUIRED) | {"fatalities", "timestamp", "source"}
    assert needed <= set(ASSESSED), needed - set(ASSESSED)
    assert len(ASSESSED) < len(COLUMNS)  # otherwise the lean read reads everything


def test_the_lean_read_parses_the_checked_columns_first() -> None:
    (parsed,) = parse_incidents([DEMO], ASSESSED)
    assert parsed.table.columns == [c for c in STANDARD if c in CHECKED]
    assert parsed.columns == tuple(c for c in STANDARD if c in ASSESSED)
    whole = parse_incidents([DEMO])[0].table
    assert parsed.table.equals(whole.select(parsed.table.columns))
    inc = check_incidents([parsed], AS_OF, _extent(), 730)
    whole_frame = read_incidents([DEMO], AS_OF, _extent(), 730).frame
    assert inc.frame.equals(whole_frame.select(inc.frame.columns))
    assert "tags" not in inc.frame.columns and "notes" in inc.frame.columns


def test_assess_json_is_the_same_as_from_a_whole_read(tmp_path: Path) -> None:
    guidance = DATA_DIR / "guidance"
    result = CliRunner().invoke(
        cli,
        ["assess", "-i", str(DEMO), "-g", str(guidance), "--as-of", "2025-11-20", "-f", "json"],
    )
    assert result.exit_code == 0, result.output
    whole = assess([DEMO], [guidance], as_of=AS_OF).assessment.model_dump(mode="json")
    printed = json.loads(result.stdout)
    for doc in (printed, whole):
        doc["provenance"].pop("generated_at")
    assert printed == whole


def _both(path: Path) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(frame, rejects) of a lean read, then of a whole read."""
    lean = check_incidents(parse_incidents([path], ASSESSED), AS_OF, _extent(), 730)
    whole = read_incidents([path], AS_OF, _extent(), 730)
    return lean.frame, lean.rejects, whole.frame, whole.rejects


def test_rejected_rows_keep_the_columns_the_lean_read_skipped(tmp_path: Path) -> None:
    rows = [
        _row("MLI1"),
        _row("MLI2", latitude="north", tags="check: unread column", admin3="Commune III"),
        _row("MLI3"),
    ]
    path = _write(tmp_path / "a.csv", rows)
    frame, rejects, whole_frame, whole_rejects = _both(path)
    assert rejects.equals(whole_rejects)
    (bad,) = rejects.to_dicts()
    assert (bad["tags"], bad["admin3"], bad["_row"]) == ("check: unread column", "Commune III", 3)
    assert frame.equals(whole_frame.select(frame.columns))
    assert "tags" not in frame.columns  # the lean frame stays lean


def test_rejects_file_from_the_cli_keeps_every_column(tmp_path: Path) -> None:
    rows = [_row("MLI1"), _row("MLI2", geo_precision="9", tags="kept", admin2="Kati")]
    path = _write(tmp_path / "a.csv", rows)
    out = tmp_path / "rejects.csv"
    result = CliRunner().invoke(
        cli, ["assess", "-i", str(path), "--as-of", "2025-11-20", "--rejects", str(out)]
    )
    assert result.exit_code == 0, result.output
    with out.open(newline="", encoding="utf-8") as f:
        (bad,) = list(csv.DictReader(f))
    assert {k: bad[k] for k in COLUMNS} == rows[1]
    assert bad["_reason"] == "geo_precision must be 1, 2 or 3"


def test_repeated_ids_break_ties_on_the_columns_the_lean_read_skipped(tmp_path: Path) -> None:
    # same id and timestamp: the row's content decides, column by column in the standard
    # order, so admin2 (not assessed) decides before notes (assessed) does
    rows = [
        _row("MLI7", admin2="A-first", notes="note z"),
        _row("MLI7", admin2="B-second", notes="note a"),
    ]
    path = _write(tmp_path / "a.csv", rows)
    frame, rejects, whole_frame, _ = _both(path)
    assert frame.height == 1 and rejects.is_empty()
    assert frame["notes"].to_list() == whole_frame["notes"].to_list() == ["note a"]
    assert frame.equals(whole_frame.select(frame.columns))


def test_headers_in_another_case_order_and_with_a_bom(tmp_path: Path) -> None:
    header = [c.upper() for c in COLUMNS]
    header[0] = "\ufeff" + header[0]
    rows = [_row("MLI1"), _row("MLI2", notes="Gunmen in Kati.")]
    path = tmp_path / "a.csv"
    order = list(reversed(range(len(COLUMNS))))
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow([header[i] for i in order])
        w.writerows([[r[COLUMNS[i]] for i in order] for r in rows])
    frame, _, whole_frame, _ = _both(path)
    assert frame.height == 2
    assert frame.equals(whole_frame.select(frame.columns))


def test_an_export_without_the_newer_columns(tmp_path: Path) -> None:
    old = [c for c in COLUMNS if c not in ("disorder_type", "civilian_targeting", "tags")]
    path = tmp_path / "old.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(old)
        w.writerow([_row("MLI1")[c] for c in old])
        w.writerow([_row("MLI2", latitude="")[c] for c in old])
    frame, rejects, whole_frame, whole_rejects = _both(path)
    assert frame["disorder_type"].to_list() == [""]
    assert frame.equals(whole_frame.select(frame.columns))
    assert rejects.equals(whole_rejects)


def test_a_file_that_changes_between_the_two_reads_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.csv", [_row("MLI1"), _row("MLI2", latitude="x")])
    parsed = parse_incidents([path], ASSESSED)
    _write(path, [_row("MLI1"), _row("MLI9", latitude="x")])  # same rows, another id
    with pytest.raises(InputError, match="changed while it was being read"):
        check_incidents(parsed, AS_OF, _extent(), 730)
    parsed = parse_incidents([path], ASSESSED)
    _write(path, [_row("MLI1")])  # a row fewer
    with pytest.raises(InputError, match="changed while it was being read"):
        check_incidents(parsed, AS_OF, _extent(), 730)


def test_a_row_with_more_fields_than_the_header_is_still_an_error(tmp_path: Path) -> None:
    # an unquoted comma in the notes shifts the fields after it: the shifted fatalities fail
    # their check, and reading the file again whole finds the extra field, as a whole read does
    path = _write(tmp_path / "a.csv", [_row("MLI1")])
    fields = [_row("MLI2")[c] for c in COLUMNS]
    fields[COLUMNS.index("notes")] = "Gunmen attacked, then left"
    with path.open("a", encoding="utf-8") as f:
        f.write(",".join(fields) + "\n")
    with pytest.raises(InputError, match="not a readable CSV file") as whole:
        read_incidents([path], AS_OF, _extent(), 730)
    with pytest.raises(InputError, match="not a readable CSV file") as lean:
        check_incidents(parse_incidents([path], ASSESSED), AS_OF, _extent(), 730)
    assert str(lean.value) == str(whole.value)


def test_rows_kept_anywhere_in_several_files_get_their_text(tmp_path: Path) -> None:
    # old and new rows interleaved (not ACLED's order), notes over several lines, two files:
    # the second read takes each file's stretch from its first kept row to its last
    def rows(prefix: str) -> list[dict[str, str]]:
        out = []
        for i in range(40):
            day = "2025-11-07" if i % 3 else "2019-01-02"  # every third row is too old
            notes = f'Line one of {prefix}{i},\nline two with "quotes", commas'
            out.append(_row(f"{prefix}{i:03d}", event_date=day, notes=notes, actor2=f"a{i}"))
        return out

    a = _write(tmp_path / "a.csv", rows("MLI"))
    b = _write(tmp_path / "b.csv", rows("BFA")[5:30])
    lean = check_incidents(parse_incidents([a, b], ASSESSED), AS_OF, _extent(), 730)
    whole = read_incidents([a, b], AS_OF, _extent(), 730)
    assert lean.frame.height == whole.frame.height > 0
    assert lean.before_window == whole.before_window > 0
    assert lean.frame.equals(whole.frame.select(lean.frame.columns))
    assert lean.frame["notes"].str.contains("\n", literal=True).all()


def test_a_file_whose_rows_change_before_their_text_is_read_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.csv", [_row("MLI1"), _row("MLI2")])
    parsed = parse_incidents([path], ASSESSED)
    _write(path, [_row("MLI1"), _row("MLI3")])  # nothing rejected: only the kept rows are read
    with pytest.raises(InputError, match="changed while it was being read"):
        check_incidents(parsed, AS_OF, _extent(), 730)
