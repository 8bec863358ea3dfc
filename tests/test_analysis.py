"""The analysis the engine must reproduce, each point pinned by its own small data set."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pytest
from acled_factory import (
    BAMAKO,
    GUIDANCE_LEAVE,
    SEGOU,
    event,
    point,
    series,
    small_gazetteer,
    write_csv,
    write_places,
)

from advisory.engine import assess
from advisory.geo import haversine
from advisory.scoring import level_for

AS_OF = date(2025, 11, 20)


@pytest.fixture
def places(tmp_path: Path) -> Path:
    return small_gazetteer(tmp_path / "places.geojson")


def run(
    tmp_path: Path,
    rows,
    places: Path,
    guidance: str | None = None,
    as_of: date = AS_OF,
    name: str = "events.csv",
):
    csv_path = write_csv(tmp_path / name, rows)
    g = []
    if guidance:
        gp = tmp_path / "guidance.yaml"
        gp.write_text(guidance, "utf-8")
        g = [gp]
    return assess([csv_path], g, places, None, as_of, generated_at="test")


def loc(result, pid: str):
    return next(x for x in result.assessment.locations if x.id == pid)


def test_raid_and_withdraw_versus_held(tmp_path: Path, places: Path) -> None:
    seize = event("S1", date(2025, 10, 1), *SEGOU, kind="seized", precision=1)
    regain = event("S2", date(2025, 10, 3), *SEGOU, kind="regained", precision=1)
    raid = run(tmp_path, [seize, regain], places, name="raid.csv")
    held = run(tmp_path, [seize], places, name="held.csv")

    assert loc(raid, "segou").regime_collapse.control_status == "government"
    assert loc(held, "segou").regime_collapse.control_status == "held"
    assert raid.assessment.national.regime_collapse.held_centres == []
    assert held.assessment.national.regime_collapse.held_centres == ["Ségou"]
    assert loc(held, "segou").regime_collapse.level > loc(raid, "segou").regime_collapse.level
    assert (
        held.assessment.national.regime_collapse.level
        > raid.assessment.national.regime_collapse.level
    )
    assert raid.assessment.national.regime_collapse.level <= 2
    # the held verdict cites the seizure itself
    drivers = loc(held, "segou").regime_collapse.drivers
    assert any("S1" in d.incidents for d in drivers)


def test_guidance_alone_never_moves_regime_collapse(tmp_path: Path, places: Path) -> None:
    rows = [
        *series("A", date(2025, 10, 1), 8, 13.0, -7.17),
        event("S1", date(2025, 10, 1), *SEGOU, kind="seized", precision=1),
    ]
    without = run(tmp_path, rows, places)
    with_g = run(tmp_path, rows, places, guidance=GUIDANCE_LEAVE)
    for a, b in zip(without.assessment.locations, with_g.assessment.locations, strict=True):
        assert a.regime_collapse.model_dump() == b.regime_collapse.model_dump()
    assert (
        without.assessment.national.regime_collapse.model_dump()
        == with_g.assessment.national.regime_collapse.model_dump()
    )
    # ... while it does move personal security, kidnapping most
    bam0, bam1 = loc(without, "bamako"), loc(with_g, "bamako")
    k0 = bam0.personal_security.hazards["kidnapping"]
    k1 = bam1.personal_security.hazards["kidnapping"]
    assert k1.score > k0.score and k1.level > k0.level
    assert set(bam1.guidance_in_force) == {"us-1", "gb-1", "fr-1"}
    assert any(d.guidance for d in k1.drivers)
    assert not any(d.guidance for d in bam1.regime_collapse.drivers)


def test_distance_decay(tmp_path: Path, places: Path) -> None:
    far = (16.4, 0.3)  # near Gao, about 1,000 km from Bamako
    assert 950 < haversine(*BAMAKO, *far) < 1100
    heavy = lambda lat, lon: [  # noqa: E731
        *series("A", date(2025, 9, 1), 25, lat, lon),
        *series("K", date(2025, 9, 2), 10, lat, lon, kind="kidnap_foreign"),
    ]
    away = run(tmp_path, heavy(*far), places, name="far.csv")
    near = run(tmp_path, heavy(BAMAKO[0] + 0.02, BAMAKO[1]), places, name="near.csv")
    assert loc(away, "bamako").personal_security.level == 1
    assert loc(near, "bamako").personal_security.level >= 4


def test_time_decay(tmp_path: Path, places: Path) -> None:
    def heavy(start: date):
        return [
            *series("A", start, 25, BAMAKO[0] + 0.02, BAMAKO[1]),
            *series("K", start, 10, BAMAKO[0], BAMAKO[1] + 0.02, kind="kidnap_foreign"),
        ]

    recent = run(tmp_path, heavy(date(2025, 9, 1)), places, name="recent.csv")
    old = run(tmp_path, heavy(date(2023, 9, 1)), places, name="old.csv")
    assert loc(recent, "bamako").personal_security.level >= 4
    assert loc(old, "bamako").personal_security.level <= 2


def test_events_after_as_of_are_ignored_and_counted(tmp_path: Path, places: Path) -> None:
    rows = series("A", date(2025, 11, 21), 10, BAMAKO[0] + 0.02, BAMAKO[1])
    r = run(tmp_path, [*rows, event("B1", date(2025, 1, 1), 14.5, -4.0)], places)
    assert r.incidents.after_as_of == 10
    assert r.incidents.rejects.height == 0
    assert loc(r, "bamako").personal_security.hazards["ambush"].level == 1


def test_precision_3_creates_no_road_hotspot(tmp_path: Path, places: Path) -> None:
    on_road = (13.0, -7.17)
    precise = run(
        tmp_path, series("A", date(2025, 10, 20), 8, *on_road, precision=2), places, name="p2.csv"
    )
    centroid = run(
        tmp_path, series("A", date(2025, 10, 20), 8, *on_road, precision=3), places, name="p3.csv"
    )
    assert loc(precise, "rn6").personal_security.hazards["ambush"].level >= 4
    assert loc(centroid, "rn6").personal_security.hazards["ambush"].level == 1
    assert loc(centroid, "rn6").personal_security.hazards["ambush"].score == 0


def _strip(a) -> dict:
    d = a.model_dump(mode="json")
    d.pop("provenance")
    d.pop("inputs")
    return d


def test_duplicated_and_shuffled_rows_give_identical_output(tmp_path: Path, places: Path) -> None:
    rows = [
        *series("A", date(2025, 9, 1), 20, 13.0, -7.17),
        *series("K", date(2025, 9, 3), 6, BAMAKO[0], BAMAKO[1] + 0.05, kind="kidnap_foreign"),
        event("S1", date(2025, 10, 1), *SEGOU, kind="seized", precision=1),
        event("S2", date(2025, 10, 2), *SEGOU, kind="regained", precision=1),
    ]
    base = run(tmp_path, rows, places, guidance=GUIDANCE_LEAVE, name="base.csv")
    shuffled = rows[:]
    random.Random(7).shuffle(shuffled)
    doubled = shuffled + rows  # a repeated file, or a monadic export
    other = run(tmp_path, doubled, places, guidance=GUIDANCE_LEAVE, name="doubled.csv")
    assert other.incidents.duplicates == len(rows)
    assert _strip(base.assessment) == _strip(other.assessment)


def test_latest_revision_of_an_event_wins(tmp_path: Path, places: Path) -> None:
    old = event("R1", date(2025, 11, 1), *BAMAKO, notes="first version", timestamp=100)
    new = event("R1", date(2025, 11, 1), *BAMAKO, notes="revised version", timestamp=200)
    for order in ([old, new], [new, old]):
        r = run(tmp_path, order, places)
        assert r.incidents.frame["notes"].to_list() == ["revised version"]


def test_trend_against_baseline(tmp_path: Path, places: Path) -> None:
    point = (BAMAKO[0] + 0.05, BAMAKO[1])
    recent = series("A", date(2025, 10, 1), 5, *point, every_days=7)
    new = run(tmp_path, recent, places, name="new.csv")
    chronic = run(
        tmp_path,
        [*recent, *series("B", date(2024, 9, 1), 20, *point, every_days=14)],
        places,
        name="chronic.csv",
    )
    i = new.gazetteer.index["bamako"]
    assert new.features[i].numbers["new.ambush"] == 1
    assert chronic.features[i].numbers["new.ambush"] == 0
    assert "(new: none in the baseline)" in new.assessment.bottom_line.personal_security
    assert "not new" in chronic.assessment.bottom_line.personal_security
    fired_new = {d.rule for d in loc(new, "bamako").drivers}
    fired_chronic = {d.rule for d in loc(chronic, "bamako").drivers}
    assert "ambush-rising" in fired_new and "ambush-rising" not in fired_chronic


def test_every_level_traces_to_rules_and_incidents(tmp_path: Path, places: Path) -> None:
    rows = [
        *series("A", date(2025, 9, 1), 20, 13.0, -7.17),
        *series("K", date(2025, 9, 3), 6, BAMAKO[0], BAMAKO[1] + 0.05, kind="kidnap_foreign"),
    ]
    r = run(tmp_path, rows, places, guidance=GUIDANCE_LEAVE)
    ids = set(r.incidents.frame["event_id"].to_list())
    thresholds = r.pack.personal_security.hazards["ambush"].thresholds
    for location in r.assessment.locations:
        for hz in location.personal_security.hazards.values():
            assert round(sum(d.points for d in hz.drivers), 2) == pytest.approx(hz.score, abs=0.02)
            if hz.level > 1:
                assert hz.drivers, "a level above Negligible must name its rules"
            for d in hz.drivers:
                assert set(d.incidents) <= ids
                assert d.decisive == (level_for(hz.score - d.points, thresholds) < hz.level)
            points = [d.points for d in hz.drivers]
            assert points == sorted(points, reverse=True), "strongest first"
    bam = loc(r, "bamako")
    assert (
        bam.personal_security.level == max(h.level for h in bam.personal_security.hazards.values())
        or bam.personal_security.level == 5
    )


def test_likelihood_words_follow_icd_203(tmp_path: Path, places: Path) -> None:
    rows = series("A", date(2025, 9, 1), 30, BAMAKO[0] + 0.02, BAMAKO[1], every_days=2)
    r = run(tmp_path, rows, places)
    hz = loc(r, "bamako").personal_security.hazards["ambush"]
    quiet = loc(r, "segou").personal_security.hazards["ambush"]
    assert hz.likelihood_30d > 0.8 and hz.estimative in {"very likely", "almost certain"}
    assert quiet.likelihood_30d == 0 and quiet.estimative == "almost no chance"


def test_fighting_inside_the_capital_is_a_regime_signal(tmp_path: Path, places: Path) -> None:
    start = AS_OF - timedelta(days=20)
    rows = series("C", start, 8, BAMAKO[0] + 0.01, BAMAKO[1], kind="clash", every_days=2)
    r = run(tmp_path, rows, places)
    nat = r.assessment.national.regime_collapse
    assert nat.capital_fighting_days == 8
    assert any(d.rule == "national-capital-fighting" for d in nat.drivers)
    assert nat.level >= 2


def test_a_seizure_belongs_to_the_nearest_centre_only(tmp_path: Path) -> None:
    suburb = (12.5733, -8.0291)  # Kalaban-Koro, 9 km from Bamako's centre point
    places = write_places(
        tmp_path / "p.geojson",
        [
            point("bamako", "Bamako", "capital", *BAMAKO, population=2800000),
            point("kalaban-koro", "Kalaban Koro", "city", *suburb, population=160000),
        ],
    )
    r = run(tmp_path, [event("S1", date(2025, 10, 1), *suburb, kind="seized", precision=1)], places)
    assert loc(r, "kalaban-koro").regime_collapse.control_status == "held"
    assert loc(r, "bamako").regime_collapse.control_status == "government"
    nat = r.assessment.national.regime_collapse
    assert nat.held_centres == ["Kalaban Koro"]
    assert not any(d.rule == "national-capital-held" for d in nat.drivers)
