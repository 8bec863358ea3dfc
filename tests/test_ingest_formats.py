"""Real ACLED exports as they come: dyadic, monadic pairs, revisions of pairs, the pre-2019
typology and HDX copies with a HXL row, each read into the events they stand for. The files are
written by `formats_factory` (invented rows in each real format; see docs/formats.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from formats_factory import (
    Event,
    Fixture,
    write_dyadic,
    write_hdx,
    write_monadic,
    write_monadic_revision,
    write_pre2019,
)

from advisory.ingest.incidents import Incidents, read_incidents
from advisory.rulepack import load_pack

LEGACY = load_pack().formats.acled_legacy


def read(*fixtures: Fixture) -> Incidents:
    return read_incidents([f.path for f in fixtures], LEGACY, None, None)


def held(inc: Incidents) -> dict[str, dict[str, object]]:
    return {r["event_id"]: r for r in inc.frame.iter_rows(named=True)}


def check(inc: Incidents, expected: tuple[Event, ...]) -> None:
    rows = held(inc)
    assert sorted(rows) == sorted(e.event_id for e in expected)
    for e in expected:
        r = rows[e.event_id]
        got = (
            r["date"],
            r["event_type"],
            r["sub_event_type"],
            r["actor1"],
            r["actor2"],
            r["precision"],
            r["fatalities"],
        )
        want = (
            e.day,
            e.event_type,
            e.sub_event_type,
            e.actor1,
            e.actor2,
            e.geo_precision,
            e.fatalities,
        )
        assert got == want, e.event_id
        assert (r["inter1"], r["inter2"]) == (e.inter1, e.inter2), e.event_id


def test_dyadic_rows_are_read_as_they_are(tmp_path: Path) -> None:
    f = write_dyadic(tmp_path)
    inc = read(f)
    check(inc, f.expected)
    assert inc.monadic_pairs == 0 and inc.rejects.is_empty()


@pytest.mark.parametrize("victim_first", [False, True])
def test_monadic_pairs_become_one_event_with_the_attacker_as_actor1(
    tmp_path: Path, victim_first: bool
) -> None:
    f = write_monadic(tmp_path, victim_first=victim_first)
    inc = read(f)
    check(inc, f.expected)
    assert inc.monadic_pairs == f.pairs and inc.duplicates == 0 and inc.revisions == 0
    assert inc.summary()["monadic_pairs_merged"] == f.pairs


def test_kidnapping_rules_fire_on_merged_monadic_pairs(tmp_path: Path) -> None:
    """The reason the merge matters: a kidnapping rule reads actor2, which a monadic row has
    not; before the merge, none fired on a real monadic file."""
    from advisory.classify import classify

    pack = load_pack()
    inc = read(write_monadic(tmp_path, victim_first=True))
    signals = classify(inc.frame, pack.classify.rules, list(pack.classify.signals))
    abducted = [
        i
        for i, r in enumerate(inc.frame.iter_rows(named=True))
        if r["sub_event_type"] == "Abduction/forced disappearance"
    ]
    assert abducted and all(signals["kidnapping_foreign"][i] for i in abducted)


def test_a_revision_of_a_monadic_pair_replaces_both_rows(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = write_monadic(tmp_path / "a")
    newer = write_monadic_revision(tmp_path / "b")
    inc = read(first, newer)
    check(inc, _merged(first, newer))
    assert inc.revisions == 2 * newer.revisions  # the older pair's two rows
    assert inc.monadic_pairs == first.pairs


def _merged(first: Fixture, newer: Fixture) -> tuple[Event, ...]:
    latest = {e.event_id: e for e in first.expected}
    latest.update({e.event_id: e for e in newer.expected})
    return tuple(latest.values())


def test_pre_2019_exports_are_mapped_to_the_current_typology(tmp_path: Path) -> None:
    f = write_pre2019(tmp_path)
    inc = read(f)
    check(inc, f.expected)
    assert any("pre-2019 event types" in n for n in inc.notes)


def test_hdx_copies_skip_their_hxl_row_and_say_so_once(tmp_path: Path) -> None:
    f = write_hdx(tmp_path)
    inc = read(f)
    check(inc, f.expected)
    assert inc.rejects.is_empty()
    assert [n for n in inc.notes if "HXL" in n] == [f"{f.path}: HXL tag row (HDX copy) skipped"]
