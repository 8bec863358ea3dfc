"""Events older than the rule pack's look-back are validated but not assessed.

The cut is what lets a ten-year, multi-country history be assessed in seconds (issue 6), so it
must be exact: the same levels, scores and evidence as assessing every row, on data that spans
far more than the look-back.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from scripts import load_script
from test_bad_input import event, write_csv

from advisory.engine import StaleData, assess
from advisory.ingest.incidents import Incidents
from advisory.ingest.incidents import read_incidents as _read_incidents
from advisory.outputs.text.table import render_table
from advisory.rulepack.load import RulePack, load_pack

LEGACY = load_pack().formats.acled_legacy


def read_incidents(paths: list[Path], as_of: date | None, area: object, lookback: int) -> Incidents:
    return _read_incidents(paths, LEGACY, as_of, lookback)


SCRIPT = Path(__file__).resolve().parent.parent / "bench" / "generate.py"
AS_OF = date(2025, 11, 20)


@pytest.fixture(scope="module")
def decade(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Ten years of generated events over West Africa (bench/generate.py)."""
    gen = load_script(SCRIPT, "bench_generate_lookback")
    out = tmp_path_factory.mktemp("decade")
    csv, places = gen.generate(out, n_events=8000, n_places=300, n_roads=20, seed=5, as_of=AS_OF)
    return csv, places


def _without_incident_summary(run_json: str) -> dict[str, object]:
    data = json.loads(run_json)
    data["inputs"].pop("incidents")
    data["provenance"].pop("generated_at")
    return data


def test_the_lookback_is_the_longest_window_in_the_pack() -> None:
    pack = load_pack()
    spans = [c.lookback_days for c in [pack.control]] + [
        max(e.horizon_days, e.trend.recent_days + e.trend.baseline_days)
        for e in pack.exposures.values()
    ]
    assert pack.lookback_days == max(spans) == 730  # the shipped control look-back
    longer = pack.exposures["ambush"].model_copy(update={"horizon_days": 2000})
    pack.exposures["ambush"] = longer
    assert pack.lookback_days == 2000


def test_old_events_change_nothing_but_are_counted(
    decade: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    csv, places = decade
    cut = assess([csv], [], places, None, AS_OF, generated_at="t")
    summary = cut.assessment.inputs["incidents"]
    assert isinstance(summary, dict)
    assert summary["before_window_ignored"] > 4000  # most of ten years is older than 730 days
    assert summary["used"] == cut.incidents.frame.height
    assert summary["used"] + summary["before_window_ignored"] == 8000 - summary["rejected"]
    assert cut.incidents.frame["date"].min() >= AS_OF - timedelta(days=729)
    shown = f"{summary['before_window_ignored']} older than the rule pack's look-back"
    assert shown in render_table(cut.assessment)

    monkeypatch.setattr(RulePack, "lookback_days", property(lambda self: 100_000))
    every = assess([csv], [], places, None, AS_OF, generated_at="t")
    assert every.incidents.before_window == 0
    assert every.incidents.frame.height == 8000 - summary["rejected"]
    a = _without_incident_summary(cut.assessment.model_dump_json())
    b = _without_incident_summary(every.assessment.model_dump_json())
    assert a == b
    assert any(loc["personal_security"]["level"] > 1 for loc in a["locations"])  # not all clear


def test_a_bad_old_row_is_still_rejected(tmp_path: Path) -> None:
    rows = [
        event("MLI1"),
        event("MLI2", event_date="2012-03-22", latitude="north"),
        event("MLI3", event_date="2012-03-22"),
    ]
    inc = read_incidents([write_csv(tmp_path / "a.csv", rows)], AS_OF, None, 730)
    assert inc.frame["event_id"].to_list() == ["MLI1"]
    assert inc.before_window == 1
    assert inc.rejects["event_id_cnty"].to_list() == ["MLI2"]
    assert inc.rejects["notes"].to_list() == [event("MLI2")["notes"]]  # whole, text and all
    assert inc.window_start == AS_OF - timedelta(days=729)


def test_old_rows_read_without_their_text_are_read_again_when_shown(tmp_path: Path) -> None:
    """Rows before the window are read without their text, which is read again for those
    shown or compared: rejected, repeated, revised or monadic rows. What comes out is what a
    read of every row whole gives (without as-of nothing is left out as the file is read)."""
    old = (AS_OF - timedelta(days=900)).isoformat()
    solo = {"actor2": "", "inter2": "", "assoc_actor_2": ""}
    rows = [
        event("MLI1", event_date=AS_OF.isoformat()),
        event("MLI2", event_date=old, fatalities="many", notes="a bad old row"),
        event("MLI3", event_date=old, latitude="-8.0", longitude="12.6"),  # swapped
        event("MLI4", event_date=old, notes="said twice"),
        event("MLI4", event_date=old, notes="said twice"),
        event("MLI5", event_date=old, timestamp="1762500000"),
        event("MLI5", event_date=AS_OF.isoformat(), timestamp="1762600000", notes="moved in"),
        event("MLI6", event_date=old, **solo),
        event("MLI6", event_date=old, actor1="Civilians (Mali)", inter1="Civilians", **solo),
        *(event(f"MLI{n}", latitude=f"{12 + n / 1000}") for n in range(100, 300)),
    ]
    path = write_csv(tmp_path / "a.csv", rows)
    cut = read_incidents([path], AS_OF, None, 730)
    whole = read_incidents([path], None, None, 730)
    assert cut.summary() == whole.summary()
    assert cut.summary()["duplicates_merged"] == cut.summary()["monadic_pairs_merged"] == 1
    assert cut.rejects.equals(whole.rejects) and cut.frame.equals(whole.frame)
    assert cut.rejects["event_id_cnty"].to_list() == ["MLI2", "MLI3"]
    assert cut.rejects["notes"][0] == "a bad old row"
    assert "moved in" in cut.frame["notes"].to_list()


def test_the_cut_keeps_the_last_day_and_drops_the_one_before(tmp_path: Path) -> None:
    first = AS_OF - timedelta(days=729)  # age 729 < 730: still looked at
    rows = [
        event("MLI1", event_date=first.isoformat()),
        event("MLI2", event_date=(first - timedelta(days=1)).isoformat()),
    ]
    inc = read_incidents([write_csv(tmp_path / "a.csv", rows)], AS_OF, None, 730)
    assert inc.frame["event_id"].to_list() == ["MLI1"]
    assert inc.summary()["before_window_ignored"] == 1


def test_a_revision_moving_an_event_out_of_the_window_wins(tmp_path: Path) -> None:
    old = (AS_OF - timedelta(days=900)).isoformat()
    rows = [
        event("MLI1", timestamp="1762500000"),  # first coding: November 2025
        event("MLI1", event_date=old, timestamp="1762600000"),  # revised: an old event
        event("MLI2"),
    ]
    inc = read_incidents([write_csv(tmp_path / "a.csv", rows)], AS_OF, None, 730)
    assert inc.frame["event_id"].to_list() == ["MLI2"]
    assert inc.revisions == 1 and inc.before_window == 1


def test_without_as_of_the_window_ends_at_the_latest_event(tmp_path: Path) -> None:
    rows = [
        event("MLI1", event_date="2025-11-07"),
        event("MLI2", event_date="2023-11-08"),  # 730 days before: age 730, out
        event("MLI3", event_date="2023-11-09"),  # age 729, in
    ]
    inc = read_incidents([write_csv(tmp_path / "a.csv", rows)], None, None, 730)
    assert inc.frame["event_id"].to_list() == ["MLI1", "MLI3"]


def test_only_old_events_is_no_all_clear(tmp_path: Path) -> None:
    """Data that exist but are all older than the look-back are not a low assessment: the
    run stops and says how old the data is (issue 16)."""
    f = write_csv(tmp_path / "a.csv", [event("MLI1", event_date="2015-01-02")])
    with pytest.raises(StaleData, match="the newest incident is from 2015-01-02"):
        assess([f], [], None, None, AS_OF, generated_at="t")
