"""`advisory assess` parses the checked columns of every row first, then every column of the
rows it keeps (`parse_incidents(..., checked_first=True)`).

What it prints and the rejects file it writes must be what a whole read gives: the kept rows
are parsed whole (a malformed field among them stops the run as a whole read does), rejected
rows are cut out of their files or, when that is uncertain, the files are read again whole, as
they are when ids repeat, and a file that changes in between is an error."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from acled_factory import COLUMNS, event
from click.testing import CliRunner

from advisory.cli import cli
from advisory.engine import DATA_DIR, assess, default_places
from advisory.errors import InputError
from advisory.ingest.acled import (
    CHECKED,
    Incidents,
    check_incidents,
    parse_incidents,
    read_incidents,
)
from advisory.ingest.acled import COLUMNS as STANDARD  # required first, then the others
from advisory.ingest.places import read_places

DEMO = DATA_DIR / "incidents" / "mali_demo_2024_2025.csv"
AS_OF = date(2025, 11, 20)


def _row(event_id: str, **fields: str) -> dict[str, str]:
    """A valid row (a clash in Bamako on 7 November 2025), every value a string as read."""
    row = event(event_id, date(2025, 11, 7), 12.65, -8.0, kind="clash", precision=1)
    return {k: str(v) for k, v in row.items()} | {"admin1": "Bamako", "location": "Bamako"} | fields


NOTES_LAST = [c for c in COLUMNS if c != "notes"] + ["notes"]


def _write(
    path: Path,
    rows: list[dict[str, str]],
    edits: tuple[tuple[str, str], ...] = (),
    order: list[str] = COLUMNS,
) -> Path:
    """The rows as a CSV export, columns in `order`; `edits` replace text in it (to write what
    csv would quote)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(order)
    w.writerows([r[c] for c in order] for r in rows)
    text = buf.getvalue()
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return path


def _extent() -> tuple[float, float, float, float]:
    return read_places(default_places()).extent()


def _lean(paths: list[Path], as_of: date | None = AS_OF) -> Incidents:
    return check_incidents(parse_incidents(paths, checked_first=True), as_of, _extent(), 730)


def _whole(paths: list[Path], as_of: date | None = AS_OF) -> Incidents:
    return read_incidents(paths, as_of, _extent(), 730)


def _same(paths: list[Path], as_of: date | None = AS_OF) -> Incidents:
    """Assert the two reads agree on everything; return the lean one."""
    lean, whole = _lean(paths, as_of), _whole(paths, as_of)
    assert lean.frame.equals(whole.frame)
    assert lean.rejects.equals(whole.rejects)
    assert lean.summary() == whole.summary()
    return lean


def test_checked_first_parses_only_the_checked_columns() -> None:
    (parsed,) = parse_incidents([DEMO], checked_first=True)
    assert parsed.table.columns == [c for c in STANDARD if c in CHECKED]
    whole = parse_incidents([DEMO])[0].table
    assert parsed.table.equals(whole.select(parsed.table.columns))
    assert _same([DEMO]).frame.columns == _whole([DEMO]).frame.columns  # every column


def test_assess_json_is_the_same_as_from_a_whole_read(monkeypatch: pytest.MonkeyPatch) -> None:
    import advisory.ingest.acled as acled

    modes: list[bool] = []
    hashed: list[set[str]] = []
    real = acled.start_parsing

    def spy(paths, checked_first=False, hashing=None):  # type: ignore[no-untyped-def]
        modes.append(checked_first)
        hashed.append({p.name for p in hashing or {}})
        return real(paths, checked_first, hashing)

    monkeypatch.setattr(acled, "start_parsing", spy)
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
    assert printed == whole and modes == [True]  # assess read in two steps
    assert hashed == [{DEMO.name}]  # hashed from the start, while polars was imported


def test_rejected_rows_keep_the_columns_read_later(tmp_path: Path) -> None:
    rows = [
        _row("MLI1"),
        _row("MLI2", latitude="north", tags="check: read later", admin3="Commune III"),
        _row("MLI3"),
    ]
    inc = _same([_write(tmp_path / "a.csv", rows)])
    (bad,) = inc.rejects.to_dicts()
    assert (bad["tags"], bad["admin3"], bad["_row"]) == ("check: read later", "Commune III", 3)


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


def test_repeated_ids_break_ties_on_the_columns_read_later(tmp_path: Path) -> None:
    # same id and timestamp: the row's content decides, column by column in the standard
    # order, so admin2 decides before notes does
    rows = [
        _row("MLI7", admin2="A-first", notes="note z"),
        _row("MLI7", admin2="B-second", notes="note a"),
    ]
    inc = _same([_write(tmp_path / "a.csv", rows)])
    assert inc.frame["notes"].to_list() == ["note a"] and inc.duplicates == 1


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
    assert _same([path]).frame.height == 2


def test_an_export_without_the_newer_columns(tmp_path: Path) -> None:
    old = [c for c in COLUMNS if c not in ("disorder_type", "civilian_targeting", "tags")]
    path = tmp_path / "old.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(old)
        w.writerow([_row("MLI1")[c] for c in old])
        w.writerow([_row("MLI2", latitude="")[c] for c in old])
    inc = _same([path])
    assert inc.frame["disorder_type"].to_list() == [""] and inc.rejects.height == 1


def test_rows_kept_anywhere_in_several_files(tmp_path: Path) -> None:
    # old and new rows interleaved (not ACLED's order), notes over several lines, two files,
    # without and with an as-of date: each file's stretch from its first kept row to its last
    def rows(prefix: str) -> list[dict[str, str]]:
        out = []
        for i in range(40):
            day = "2025-11-07" if i % 3 else "2019-01-02"  # every third row is too old
            notes = f'Line one of {prefix}{i},\nline two with "quotes", commas'
            out.append(_row(f"{prefix}{i:03d}", event_date=day, notes=notes, actor2=f"a{i}"))
        return out

    a = _write(tmp_path / "a.csv", rows("MLI"))
    b = _write(tmp_path / "b.csv", rows("BFA")[5:30])
    for as_of in (AS_OF, None):
        inc = _same([a, b], as_of)
        assert inc.frame.height > 0 and inc.before_window > 0
        assert inc.frame["notes"].str.contains("\n", literal=True).all()


@pytest.mark.parametrize(
    ("edits", "kept"),
    [
        ((("T1", 'crowd size=50"'), ("T2", 'crowd size="large')), ["MLI2", "MLI3"]),
        ((("S1", 'National"'), ("S2", 'x "y')), ["MLI2", "MLI3"]),
    ],
)
def test_stray_quotes_in_unquoted_fields_read_as_in_a_whole_read(
    tmp_path: Path, edits: tuple[tuple[str, str], ...], kept: list[str]
) -> None:
    # a whole read takes a quote inside an unquoted field as a character; when polars skips
    # rows to reach a stretch it takes it as opening a quoted field, and lands elsewhere
    rows = [
        _row("MLI1", event_date="2025-11-22", tags="T1", source_scale="S1", notes="a\nb"),
        _row("MLI2", event_date="2025-11-18", tags="T2", source_scale="S2", notes="a\nb"),
        _row("MLI3", event_date="2025-11-17", notes="a\nb"),
        _row("MLI4", event_date="2020-01-01"),
    ]
    path = _write(tmp_path / "a.csv", rows, edits)
    assert _same([path]).frame["event_id"].to_list() == kept


def test_a_malformed_field_among_the_kept_rows_stops_the_run_as_a_whole_read_does(
    tmp_path: Path,
) -> None:
    # an unquoted comma in the notes: the shifted fields would pass their checks (fatalities
    # "5", a blank timestamp read as 0), but the kept rows are parsed whole
    path = _write(tmp_path / "a.csv", [_row("MLI1"), _row("MLI2", tags="", notes="N")])
    path.write_text(path.read_text(encoding="utf-8").replace(",N,", ",Gunmen attacked,5,"))
    with pytest.raises(InputError, match="not a readable CSV file") as whole:
        _whole([path])
    with pytest.raises(InputError, match="not a readable CSV file") as lean:
        _lean([path])
    assert str(lean.value) == str(whole.value)
    # a field opened by a quote and then carried on, in a column assess does not use
    path = _write(tmp_path / "b.csv", [_row("MLI1", tags="T1"), _row("MLI2")], (("T1", '"x"y'),))
    with pytest.raises(InputError, match="not a readable CSV file"):
        _whole([path])
    with pytest.raises(InputError, match="not a readable CSV file"):
        _lean([path])


@pytest.mark.parametrize(
    "later",
    [
        [_row("MLI1"), _row("MLI3")],  # another id
        [_row("MLI1"), _row("MLI2", latitude="12.7")],  # the same ids, a checked value changed
        [_row("MLI1")],  # a row fewer
    ],
)
def test_a_file_that_changes_between_the_two_reads_is_an_error(
    tmp_path: Path, later: list[dict[str, str]]
) -> None:
    path = _write(tmp_path / "a.csv", [_row("MLI1"), _row("MLI2")])
    parsed = parse_incidents([path], checked_first=True)
    _write(path, later)
    with pytest.raises(InputError, match="changed while it was being read"):
        check_incidents(parsed, AS_OF, _extent(), 730)


def test_with_a_row_rejected_the_second_read_is_whole_and_alone(tmp_path: Path) -> None:
    # the first reading is dropped: what is assessed and rejected comes from one reading
    path = _write(tmp_path / "a.csv", [_row("MLI1"), _row("MLI2", latitude="x")])
    parsed = parse_incidents([path], checked_first=True)
    _write(path, [_row("MLI1", notes="edited"), _row("MLI9", latitude="x"), _row("MLI3")])
    inc = check_incidents(parsed, AS_OF, _extent(), 730)
    whole = _whole([path])
    assert inc.frame.equals(whole.frame) and inc.rejects.equals(whole.rejects)
    assert inc.rejects["_row"].to_list() == [3] and inc.frame["notes"][0] == "edited"


def test_a_table_without_every_column_needs_its_files() -> None:
    from advisory.ingest.acled import normalise

    table = parse_incidents([DEMO], checked_first=True)[0].table
    with pytest.raises(ValueError, match="needs its files"):
        normalise(table, AS_OF, None)
    assert isinstance(table, pl.DataFrame)


def _count_whole_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every whole read of a file (all columns, all rows) that `normalise` makes."""
    import advisory.ingest.acled as acled

    calls: list[str] = []
    real = acled._read_table

    def spy(path: Path, columns=acled.COLUMNS, rows=None, data=None):  # type: ignore[no-untyped-def]
        if rows is None and data is None and set(acled.COLUMNS) <= set(columns):
            calls.append(str(path))
        return real(path, columns, rows, data)

    monkeypatch.setattr(acled, "_read_table", spy)
    return calls


def _old_and_new(prefix: str, n: int = 30) -> list[dict[str, str]]:
    """Rows sorted by date, newest first, the older half outside the look-back."""
    return [
        _row(f"{prefix}{i:03d}", event_date="2025-11-07" if i < n // 2 else "2019-01-02")
        for i in range(n)
    ]


def test_rejected_rows_are_cut_out_of_the_file_not_read_again_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = _old_and_new("MLI")
    for i in (3, 20, 29):  # one among the kept rows, two old ones, the last row of the file
        rows[i] |= {"latitude": "north", "tags": f"tag {i}", "notes": f"multi\nline {i}"}
    path = _write(tmp_path / "a.csv", rows)
    path.write_bytes(path.read_bytes().rstrip(b"\n"))  # no new line after the last row
    other = _write(tmp_path / "b.csv", _old_and_new("BFA"))
    whole = _whole([path, other])
    calls = _count_whole_reads(monkeypatch)
    lean = _lean([path, other])
    assert calls == []
    assert lean.rejects.equals(whole.rejects) and lean.frame.equals(whole.frame)
    assert lean.rejects["tags"].to_list() == ["tag 3", "tag 20", "tag 29"]


@pytest.mark.parametrize(
    "case",
    ["id not first", "empty id", "id repeated", "id quoted", "id inside a note", "crlf"],
)
def test_rows_that_cannot_be_cut_out_with_certainty_are_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    rows = _old_and_new("MLI")
    rows[20]["latitude"] = "north"
    path = tmp_path / "a.csv"
    if case == "id not first":
        _write(path, rows, order=[*COLUMNS[1:], COLUMNS[0]])
    else:
        if case == "empty id":
            rows[20]["event_id_cnty"] = ""
        if case == "id repeated":
            rows[25] = rows[20] | {"notes": "the same id, rejected too"}
        if case == "id inside a note":  # a line of an earlier note begins like the row
            rows[2]["notes"] = "first line\nMLI020,second line"
        _write(path, rows)
        if case == "id quoted":
            path.write_text(path.read_text().replace("\nMLI020,", '\n"MLI020",'))
        if case == "crlf":
            path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    whole = _whole([path])
    calls = _count_whole_reads(monkeypatch)
    lean = _lean([path])
    assert lean.rejects.equals(whole.rejects) and lean.frame.equals(whole.frame)
    assert lean.summary() == whole.summary()
    # CRLF rows are cut out like any others; the rest are read again whole
    assert calls == ([] if case == "crlf" else [str(path)])


def test_a_rejected_row_that_reads_otherwise_when_cut_out_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the row changes between the two steps: cut out, it no longer reads as the first step
    # read it, so nothing of the first reading is mixed with the second
    rows = _old_and_new("MLI")
    rows[20]["latitude"] = "north"
    path = _write(tmp_path / "a.csv", rows)
    parsed = parse_incidents([path], checked_first=True)
    rows[20] |= {"latitude": "south", "geo_precision": "9"}
    _write(path, rows)
    calls = _count_whole_reads(monkeypatch)
    inc = check_incidents(parsed, AS_OF, _extent(), 730)
    assert calls == [str(path)]
    assert inc.rejects.select("latitude", "_reason").rows() == [
        ("south", "latitude is not a number")
    ]


def test_a_row_is_not_cut_short_by_a_note_line_that_begins_like_the_next_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # notes last: a note line that begins with the next row's id ends the cut inside the
    # quoted note, where every checked column still reads right; the cut does not parse
    rows = _old_and_new("MLI")
    rows[20] |= {"latitude": "north", "notes": "first line\nMLI021, not a row"}
    path = _write(tmp_path / "a.csv", rows, order=NOTES_LAST)
    whole = _whole([path])
    calls = _count_whole_reads(monkeypatch)
    lean = _lean([path])
    assert lean.rejects["notes"].to_list() == ["first line\nMLI021, not a row"]
    assert lean.rejects.equals(whole.rejects) and calls == [str(path)]


def test_a_file_emptied_between_the_two_steps_is_an_input_error(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.csv", [_row("MLI1"), _row("MLI2", latitude="x")])
    parsed = parse_incidents([path], checked_first=True)
    path.write_bytes(b"")
    with pytest.raises(InputError):
        check_incidents(parsed, AS_OF, _extent(), 730)


@pytest.mark.parametrize("notes_last", [False, True])
def test_rows_whose_notes_begin_lines_like_other_rows_are_not_mixed_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, notes_last: bool
) -> None:
    # cut at the first line that begins like the next row, row 1 would end inside its note
    # and row 3 begin inside row 2's; parsed together, the two halves close each other's
    # quotes into rows whose checked columns read right and whose notes and tags do not
    rows = [_row(f"MLI{i}", tags=f"tag {i}", notes=f"note {i}") for i in range(5)]
    rows[1] |= {"latitude": "north", "notes": "first line\nMLI2, not a row"}
    rows[2] |= {"notes": "see\nMLI3, below"}
    rows[3] |= {"latitude": "north"}
    path = _write(tmp_path / "a.csv", rows, order=NOTES_LAST if notes_last else COLUMNS)
    whole = _whole([path])
    calls = _count_whole_reads(monkeypatch)
    lean = _lean([path])
    assert lean.rejects.select("notes", "tags").rows() == [
        ("first line\nMLI2, not a row", "tag 1"),
        ("note 3", "tag 3"),
    ]
    assert lean.rejects.equals(whole.rejects) and calls == [str(path)]


def test_a_malformed_file_is_reported_in_the_words_of_a_whole_read(tmp_path: Path) -> None:
    # found by fuzzing: parsing the checked columns only, polars says "CSV malformed: expected
    # 0 rows, actual 1 rows" where the whole read says "found more fields than defined"
    header = [c for c in COLUMNS if c != "event_id_cnty"]
    header.insert(11, "event_id_cnty")
    row = (
        '11 March 2025, padded ,t0,t0,Riots,Mob violence, JNIM ,"crlf\r\ninside",9,t3,t4,'
        '"F0N0",1,t0,t2,t0,t1,t1,t1,",", "a,t1,t4,,-6.8135,1,t2,t4,t0,12,t2,1700000000\n'
    )
    path = tmp_path / "a.csv"
    path.write_bytes((",".join(header) + "\n" + row).encode())
    with pytest.raises(InputError) as whole:
        _whole([path])
    with pytest.raises(InputError) as lean:
        _lean([path])
    assert "more fields" in str(whole.value) and str(lean.value) == str(whole.value)


def test_too_many_rejected_rows_to_cut_out_are_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import advisory.ingest.acled as acled

    rows = _old_and_new("MLI")
    for i in (20, 21):
        rows[i]["latitude"] = "north"
    path = _write(tmp_path / "a.csv", rows)
    monkeypatch.setattr(acled, "MAX_CUT_ROWS", 1)
    calls = _count_whole_reads(monkeypatch)
    inc = _lean([path])
    assert calls == [str(path)] and inc.rejects.height == 2
    assert inc.rejects.equals(_whole([path]).rejects)
