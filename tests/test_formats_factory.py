"""The format fixtures are well-formed CSV in the documented column sets (docs/formats.md).

Only the files are checked here; what the engine makes of them is for the engine's own tests.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from datetime import date, datetime
from pathlib import Path

import pytest
from formats_factory import (
    DYADIC,
    DYADIC_2019,
    GED,
    HXL_TAGS,
    MONADIC,
    OLD_EVENT_TYPES,
    PRE_2019,
    Fixture,
    write_all,
    write_monadic,
    write_monadic_revision,
)

DOC = Path(__file__).resolve().parent.parent / "docs" / "formats.md"
PAIRED = ("actor1", "assoc_actor_1", "inter1")  # the only columns a monadic pair's rows differ on


def read(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh, strict=True))


def records(fixture: Fixture) -> list[dict[str, str]]:
    """Data rows as dicts, the HXL row (if any) left out."""
    header, *rows = read(fixture.path)
    return [dict(zip(header, r, strict=True)) for r in rows[1 if fixture.hxl_row else 0 :]]


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Fixture]:
    return write_all(tmp_path_factory.mktemp("formats"))


def test_every_format_is_written(fixtures: dict[str, Fixture]) -> None:
    assert set(fixtures) == {"acled-dyadic", "acled-monadic", "acled-monadic-update",
                             "acled-pre2019", "acled-hdx", "ucdp-ged"}  # fmt: skip
    assert len({f.path for f in fixtures.values()}) == len(fixtures)


@pytest.mark.parametrize(
    ("kind", "columns"),
    [("acled-dyadic", DYADIC), ("acled-monadic", MONADIC), ("acled-monadic-update", MONADIC),
     ("acled-pre2019", PRE_2019), ("acled-hdx", DYADIC_2019), ("ucdp-ged", GED)],
)  # fmt: skip
def test_header_and_rows_are_rectangular(
    fixtures: dict[str, Fixture], kind: str, columns: tuple[str, ...]
) -> None:
    fixture = fixtures[kind]
    header, *rows = read(fixture.path)
    assert tuple(header) == fixture.columns == columns
    assert rows, "no data rows"
    assert all(len(r) == len(header) for r in rows)


def test_column_sets_are_the_documented_ones() -> None:
    sizes = {DYADIC: 31, DYADIC_2019: 31, PRE_2019: 30, MONADIC: 28, GED: 49}
    assert {cols: len(cols) for cols in sizes} == sizes
    assert set(DYADIC) - set(MONADIC) == {"actor2", "assoc_actor_2", "inter2"}
    assert set(DYADIC_2019) - set(PRE_2019) == {"sub_event_type"}
    assert set(DYADIC_2019) - set(DYADIC) == {"data_id", "event_id_no_cnty", "iso3"}
    assert set(DYADIC) - set(DYADIC_2019) == {"disorder_type", "civilian_targeting", "tags"}
    doc = DOC.read_text("utf-8")
    for cols in sizes:  # the lists in docs/formats.md are the factory's, word for word
        assert ", ".join(cols) in doc


def test_hdx_second_row_is_the_hxl_row(fixtures: dict[str, Fixture]) -> None:
    header, hxl, *rows = read(fixtures["acled-hdx"].path)
    assert [t for t in hxl if t] and all(t.startswith("#") for t in hxl if t)
    assert dict((c, t) for c, t in zip(header, hxl, strict=True) if t) == HXL_TAGS
    assert rows and not any(cell.startswith("#") for r in rows for cell in r)


def test_monadic_pairs_differ_only_in_the_actor(fixtures: dict[str, Fixture]) -> None:
    fixture = fixtures["acled-monadic"]
    by_id: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in records(fixture):
        by_id[row["event_id_cnty"]].append(row)
    pairs = [rows for rows in by_id.values() if len(rows) == 2]
    assert len(pairs) == fixture.pairs and max(len(r) for r in by_id.values()) == 2
    for first, second in pairs:
        assert {c for c in MONADIC if first[c] != second[c]} <= set(PAIRED)
        assert first["actor1"] != second["actor1"]
    singles = [rows[0] for rows in by_id.values() if len(rows) == 1]
    assert [r["interaction"] for r in singles] == ["Rebel group only"]


def test_victim_first_puts_the_civilians_row_first(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    (tmp_path / "swapped").mkdir()
    plain = records(write_monadic(tmp_path / "plain"))
    swapped = records(write_monadic(tmp_path / "swapped", victim_first=True))
    assert plain[0]["inter1"] == "Rebel group" and swapped[0]["inter1"] == "Civilians"
    assert sorted(map(str, plain)) == sorted(map(str, swapped))


def test_revision_is_a_newer_version_of_a_monadic_pair(tmp_path: Path) -> None:
    base = {r["event_id_cnty"]: r for r in records(write_monadic(tmp_path))}
    update = records(write_monadic_revision(tmp_path))
    assert len(update) == 2 and len({r["event_id_cnty"] for r in update}) == 1
    old = base[update[0]["event_id_cnty"]]
    assert all(int(r["timestamp"]) > int(old["timestamp"]) for r in update)
    assert old["fatalities"] != update[0]["fatalities"]


def test_pre2019_rows_use_the_old_coding(fixtures: dict[str, Fixture]) -> None:
    rows = records(fixtures["acled-pre2019"])
    assert {r["event_type"] for r in rows} == set(OLD_EVENT_TYPES)
    for r in rows:
        datetime.strptime(r["event_date"], "%d %B %Y")
        assert len(r["event_date"].split()[0]) == 2  # "07 November 2018"
        codes = (int(r["inter1"]), int(r["inter2"]))
        assert all(0 <= c <= 8 for c in codes) and (codes[1] == 0) == (r["actor2"] == "")
        assert r["interaction"] == "".join(map(str, sorted(codes) if codes[1] else codes))
        assert r["event_id_no_cnty"] == r["event_id_cnty"][3:]


def test_ged_rows_cover_each_kind_and_precision(fixtures: dict[str, Fixture]) -> None:
    rows = records(fixtures["ucdp-ged"])
    assert Counter(r["type_of_violence"] for r in rows).keys() == {"1", "2", "3"}
    assert {int(r["where_prec"]) for r in rows} <= set(range(1, 8))
    assert "6" in {r["where_prec"] for r in rows}
    assert len({r["date_prec"] for r in rows}) >= 3
    for r in rows:
        start, end = (date.fromisoformat(r[c][:10]) for c in ("date_start", "date_end"))
        assert start <= end
        deaths = ("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown")
        assert int(r["best"]) == sum(int(r[c]) for c in deaths)
        assert int(r["low"]) <= int(r["best"]) <= int(r["high"])
        assert (r["side_b"] == "Civilians") == (r["type_of_violence"] == "3")


def test_expected_events_come_from_the_files(fixtures: dict[str, Fixture]) -> None:
    for fixture in fixtures.values():
        if fixture.kind == "ucdp-ged":
            ids = {f"GED{r['id']}" for r in records(fixture)}
        else:
            ids = {r["event_id_cnty"] for r in records(fixture)}
        expected = {e.event_id for e in fixture.expected}
        assert len(expected) == len(fixture.expected)
        assert not expected & set(fixture.rejected)
        if fixture.kind == "acled-monadic-update":  # read together with the monadic file
            ids |= {r["event_id_cnty"] for r in records(fixtures["acled-monadic"])}
        assert expected | set(fixture.rejected) == ids, fixture.kind
