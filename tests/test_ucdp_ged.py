"""UCDP GED CSV as an incident source: detected by its header, mapped through the rule pack's
table into ACLED's columns, credited in the provenance, never mixed with ACLED unasked.

Fixtures are GED-shaped files written by tests/formats_factory.py (no real UCDP row).
"""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from formats_factory import GED, Fixture, write_dyadic, write_ged

from advisory.cli import cli
from advisory.engine import assess
from advisory.errors import InputError, RulePackError
from advisory.ingest.incidents import Incidents, read_incidents
from advisory.ingest.ucdp import attribution
from advisory.rulepack import default_rules_dir, load_pack

AS_OF = date(2024, 8, 1)
PACK = load_pack(None)


def read(*paths: Path, mix: bool = False) -> Incidents:
    f = PACK.formats
    return read_incidents(list(paths), f.acled_legacy, None, None, ged=f.ucdp_ged, mix_sources=mix)


@pytest.fixture()
def ged(tmp_path: Path) -> Fixture:
    return write_ged(tmp_path)


def _rewrite(src: Path, dst: Path, change: dict[str, dict[str, str]], header=None) -> Path:
    """The GED file with some cells changed ({id: {column: value}}) or another header."""
    with src.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        row.update(change.get(row["id"], {}))
    with dst.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(header or GED)
        out.writerows([row[c] for c in GED] for row in rows)
    return dst


def test_ged_rows_become_the_expected_events(ged: Fixture) -> None:
    inc = read(ged.path)
    got = {r["event_id"]: r for r in inc.frame.iter_rows(named=True)}
    assert set(got) == {e.event_id for e in ged.expected}
    for e in ged.expected:
        r = got[e.event_id]
        assert (r["date"], r["event_type"], r["sub_event_type"]) == (
            e.day, e.event_type, e.sub_event_type), e.event_id  # fmt: skip
        assert (r["actor1"], r["actor2"], r["inter1"], r["inter2"]) == (
            e.actor1, e.actor2, e.inter1, e.inter2), e.event_id  # fmt: skip
        assert (r["precision"], int(r["time_precision"]), r["fatalities"], r["timestamp"]) == (
            e.geo_precision, e.time_precision, e.fatalities, e.timestamp), e.event_id  # fmt: skip
        assert (r["civilian_targeting"] == "Civilians targeted") is e.civilian_targeting


def test_country_level_and_year_only_rows_are_set_aside_with_ged_reasons(ged: Fixture) -> None:
    inc = read(ged.path)
    rej = {r["event_id_cnty"]: r for r in inc.rejects.iter_rows(named=True)}
    assert set(rej) == set(ged.rejected) == {"GED990006", "GED990007"}
    country, year = rej["GED990006"], rej["GED990007"]
    assert country["_field"] == "where_prec" and "whole country" in country["_reason"]
    assert year["_field"] == "date_prec" and "a year" in year["_reason"]
    assert (rej["GED990006"]["_row"], rej["GED990007"]["_row"]) == (7, 8)  # header = 1
    assert inc.rows_read == 7 and inc.frame.height == 5
    assert any("UCDP GED export, 5 rows" in n for n in inc.notes)


def test_province_precision_never_reaches_a_road(ged: Fixture) -> None:
    """where_prec 4-7 may only become geo_precision 3 (or be set aside), in the data and in the
    pack: a pack mapping a province centroid to a town is refused when it loads."""
    inc = read(ged.path)
    with ged.path.open(newline="", encoding="utf-8") as fh:
        coarse = {"GED" + r["id"] for r in csv.DictReader(fh) if int(r["where_prec"]) >= 4}
    kept = inc.frame.filter(inc.frame["event_id"].is_in(list(coarse)))
    assert kept.height and set(kept["precision"].to_list()) == {3}


@pytest.mark.parametrize(("old", "new", "message"), [
    ("4: 3,", "4: 2,", "where_prec 4 is a province or coarser"),
    ("6: null,", "6: 1,", "where_prec 6 is a province or coarser"),
    ("5: null}", "5: 4}", "date_prec 5"),
])  # fmt: skip
def test_pack_refuses_a_table_that_would_place_coarse_events(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    text = (rules / "formats.yaml").read_text("utf-8")
    assert old in text
    (rules / "formats.yaml").write_text(text.replace(old, new, 1), "utf-8")
    with pytest.raises(RulePackError) as err:
        load_pack(rules)
    assert "formats.yaml" in str(err.value) and message in str(err.value)


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"date_start": "5 March 2024"}, "date_start", "unparseable date_start"),
    ({"date_end": "2024-03-01 00:00:00.000"}, "date_end", "before date_start"),
    ({"type_of_violence": "4"}, "type_of_violence", "must be 1 or 2 or 3"),
    ({"where_prec": "9"}, "where_prec", "not a GED code"),
    ({"best": "several"}, "best", "whole number"),
    ({"id": "abc"}, "id", "whole-number event id"),
])  # fmt: skip
def test_bad_ged_cells_are_rejected_naming_the_ged_column(
    ged: Fixture, tmp_path: Path, change: dict[str, str], field: str, words: str
) -> None:
    bad = _rewrite(ged.path, tmp_path / "bad.csv", {"990001": change})
    inc = read(bad)
    rows = inc.rejects.filter(inc.rejects["_row"] == 2).to_dicts()
    assert len(rows) == 1 and rows[0]["_field"] == field and words in rows[0]["_reason"]
    assert inc.frame.height == 4  # the other rows are read as before


def test_header_is_matched_case_insensitively_and_missing_columns_are_named(
    ged: Fixture, tmp_path: Path
) -> None:
    upper = _rewrite(ged.path, tmp_path / "upper.csv", {}, header=[c.upper() for c in GED])
    assert read(upper).frame.height == 5
    short = [c if c != "best" else "best_estimate" for c in GED]
    with pytest.raises(InputError) as err:
        read(_rewrite(ged.path, tmp_path / "short.csv", {}, header=short))
    assert "UCDP GED export without the column best" in str(err.value)


def test_a_pack_without_a_ged_table_says_so(ged: Fixture) -> None:
    with pytest.raises(InputError, match=r"no ucdp_ged table \(rule pack: formats\.yaml\)"):
        read_incidents([ged.path], PACK.formats.acled_legacy, None, None)


def test_mixing_acled_and_ged_is_refused_unless_asked(ged: Fixture, tmp_path: Path) -> None:
    acled = write_dyadic(tmp_path).path
    with pytest.raises(InputError) as err:
        read(ged.path, acled)
    assert "count twice" in str(err.value) and "--mix-sources" in str(err.value)
    both = read(ged.path, acled, mix=True)
    ids = set(both.frame["event_id"].to_list())
    assert {"GED990001", "MLI90001"} <= ids
    assert any("mixed (--mix-sources)" in n for n in both.notes)


def test_cli_refuses_mixing_with_exit_2_and_reads_both_with_the_flag(
    ged: Fixture, tmp_path: Path
) -> None:
    acled = write_dyadic(tmp_path).path
    args = ["assess", "-i", str(ged.path), "-i", str(acled), "--as-of", "2025-11-01",
            "--rejects", str(tmp_path / "rejects.csv"), "-f", "json"]  # fmt: skip
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 2 and "Error:" in r.stderr and "--mix-sources" in r.stderr
    assert "Traceback" not in r.output
    r = CliRunner().invoke(cli, [*args, "--mix-sources", "--allow-stale"])
    assert r.exit_code == 0, r.output
    assert "mixed (--mix-sources)" in r.stderr


def test_provenance_credits_ucdp_as_cc_by_requires(tmp_path: Path) -> None:
    path = write_ged(tmp_path).path.rename(tmp_path / "GEDEvent_v24_1.csv")
    run = assess([path], as_of=AS_OF)
    entry = next(i for i in run.assessment.provenance.inputs if i["path"] == str(path))
    assert entry["licence"] == "CC BY 4.0" and entry["format"] == "ucdp-ged"
    text = str(entry["attribution"])
    assert "UCDP Georeferenced Event Dataset (GED) version 24.1" in text
    assert "creativecommons.org/licenses/by/4.0" in text and "changes made" in text
    assert run.assessment.inputs["incidents"]["used"] == 5  # type: ignore[index]
    assert "version" not in attribution(tmp_path / "ged.csv")
