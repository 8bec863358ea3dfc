"""The analysis the engine must reproduce, each point pinned by its own small data set."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import numpy as np
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
from advisory.features.table import FeatureTable
from advisory.geo import haversine
from advisory.outputs.report.sentences import PackText
from advisory.rulepack import load_pack
from advisory.rulepack.sentence import Plural
from advisory.scoring.rules import fill, levels_for, written

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
    **kw,
):
    csv_path = write_csv(tmp_path / name, rows)
    g = []
    if guidance:
        gp = tmp_path / "guidance.yaml"
        gp.write_text(guidance, "utf-8")
        g = [gp]
    return assess([csv_path], g, places, None, as_of, generated_at="test", allow_stale=True, **kw)


def loc(result, pid: str):
    return result.assessment.location(pid)


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
    # the held verdict cites the seizure itself, and the episode is on the location's record
    rc = loc(held, "segou").regime_collapse
    assert any("S1" in d.incidents for d in rc.drivers)
    assert [(e.status, e.incidents) for e in rc.episodes] == [("held", ["S1"])]
    assert [e.status for e in loc(raid, "segou").regime_collapse.episodes] == ["raid"]


def test_guidance_is_a_bounded_step_and_never_moves_regime_collapse(
    tmp_path: Path, places: Path
) -> None:
    rows = [
        *series("A", date(2025, 10, 1), 8, 13.0, -7.17),
        event("S1", date(2025, 10, 1), *SEGOU, kind="seized", precision=1),
    ]
    without = run(tmp_path, rows, places)
    with_g = run(tmp_path, rows, places, guidance=GUIDANCE_LEAVE)
    for a, b in zip(without.assessment.locations, with_g.assessment.locations, strict=True):
        assert a.regime_collapse.model_dump() == b.regime_collapse.model_dump()
        for h, before in a.personal_security.hazards.items():
            after = b.personal_security.hazards[h]
            # the likelihood printed stays the evidence's; the level moves one step at most,
            # and never to Extreme
            assert after.likelihood_30d == before.likelihood_30d
            assert after.evidence_level == before.level
            assert before.level <= after.level <= max(before.level, min(before.level + 1, 4))
    assert (
        without.assessment.national.regime_collapse.model_dump()
        == with_g.assessment.national.regime_collapse.model_dump()
    )
    k0 = loc(without, "bamako").personal_security.hazards["kidnapping"]
    k1 = loc(with_g, "bamako").personal_security.hazards["kidnapping"]
    assert k1.level == k0.level + 1
    assert k1.guidance_step is not None and k1.guidance_step.issuers == ["FR", "GB", "US"]
    guidance_drivers = [d for d in k1.drivers if d.kind == "guidance"]
    assert len(guidance_drivers) == 1 and guidance_drivers[0].points == 0
    assert "raised from" in guidance_drivers[0].because
    assert set(loc(with_g, "bamako").guidance_in_force) == {"us-1", "gb-1", "fr-1"}
    assert not any(d.guidance for d in loc(with_g, "bamako").regime_collapse.drivers)


def test_distance_decay(tmp_path: Path, places: Path) -> None:
    far = (16.4, 0.3)  # near Gao, about 1,000 km from Bamako
    assert 950 < haversine(*BAMAKO, *far) < 1100

    def heavy(lat: float, lon: float):
        return [
            *series("A", date(2025, 9, 1), 25, lat, lon),
            *series("K", date(2025, 9, 2), 10, lat, lon, kind="kidnap_foreign"),
        ]

    away = run(tmp_path, heavy(*far), places, name="far.csv")
    near = run(tmp_path, heavy(BAMAKO[0] + 0.02, BAMAKO[1]), places, name="near.csv")
    for h in ("ambush", "kidnapping"):
        p_far = loc(away, "bamako").personal_security.hazards[h].likelihood_30d
        p_near = loc(near, "bamako").personal_security.hazards[h].likelihood_30d
        assert p_near > 5 * p_far
    assert loc(away, "bamako").personal_security.level == 1
    assert loc(near, "bamako").personal_security.level >= 3


def test_time_decay(tmp_path: Path, places: Path) -> None:
    def heavy(start: date):
        return [
            *series("A", start, 25, BAMAKO[0] + 0.02, BAMAKO[1]),
            *series("K", start, 10, BAMAKO[0], BAMAKO[1] + 0.02, kind="kidnap_foreign"),
        ]

    recent = run(tmp_path, heavy(date(2025, 9, 1)), places, name="recent.csv")
    older = run(tmp_path, heavy(date(2024, 9, 1)), places, name="older.csv")
    gone = run(tmp_path, heavy(date(2023, 9, 1)), places, name="gone.csv")
    p = [
        loc(r, "bamako").personal_security.hazards["ambush"].likelihood_30d
        for r in (recent, older, gone)
    ]
    assert p[0] > p[1] > p[2]
    assert loc(recent, "bamako").personal_security.level >= 3
    assert loc(gone, "bamako").personal_security.level == 1  # beyond the two-year horizon


def test_events_after_as_of_are_ignored_and_counted(tmp_path: Path, places: Path) -> None:
    rows = series("A", date(2025, 11, 21), 10, BAMAKO[0] + 0.02, BAMAKO[1])
    r = run(tmp_path, [*rows, event("B1", date(2025, 11, 1), 14.5, -4.0)], places)
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
    road, road3 = (
        loc(precise, "rn6").personal_security.hazards["ambush"],
        loc(centroid, "rn6").personal_security.hazards["ambush"],
    )
    assert road.level >= 3
    assert road3.level == 1
    assert not [d for d in road3.drivers if d.kind == "evidence"]
    assert road3.likelihood_30d < 0.05


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
    doubled = shuffled + rows  # a repeated file
    other = run(tmp_path, doubled, places, guidance=GUIDANCE_LEAVE, name="doubled.csv")
    assert other.incidents.duplicates == len(rows)
    assert other.incidents.monadic_pairs == 0
    assert _strip(base.assessment) == _strip(other.assessment)


def test_latest_revision_of_an_event_wins(tmp_path: Path, places: Path) -> None:
    old = event("R1", date(2025, 11, 1), *BAMAKO, notes="first version", timestamp=100)
    new = event("R1", date(2025, 11, 1), *BAMAKO, notes="revised version", timestamp=200)
    for order in ([old, new], [new, old]):
        r = run(tmp_path, order, places)
        assert r.incidents.frame["notes"].to_list() == ["revised version"]
        assert r.incidents.revisions == 1


def test_trend_against_baseline(tmp_path: Path, places: Path) -> None:
    spot = (BAMAKO[0] + 0.05, BAMAKO[1])
    recent = series("A", date(2025, 10, 1), 5, *spot, every_days=7)
    new = run(tmp_path, recent, places, name="new.csv")
    chronic = run(
        tmp_path,
        [*recent, *series("B", date(2024, 9, 1), 20, *spot, every_days=14)],
        places,
        name="chronic.csv",
    )
    assert loc(new, "bamako").trends["violence"].new
    assert not loc(chronic, "bamako").trends["violence"].new
    assert "(new: none in the baseline)" in new.assessment.bottom_line.personal_security
    assert "not new" in chronic.assessment.bottom_line.personal_security


def test_every_level_traces_to_its_likelihood_and_incidents(tmp_path: Path, places: Path) -> None:
    rows = [
        *series("A", date(2025, 9, 1), 20, 13.0, -7.17),
        *series("K", date(2025, 9, 3), 6, BAMAKO[0], BAMAKO[1] + 0.05, kind="kidnap_foreign"),
    ]
    r = run(tmp_path, rows, places, guidance=GUIDANCE_LEAVE)
    ids = set(r.incidents.frame["event_id"].to_list())
    for location in r.assessment.locations:
        for name, hz in location.personal_security.hazards.items():
            model = r.pack.model.hazards[name]
            evidence = [d for d in hz.drivers if d.kind == "evidence"]
            # the score is the model's log-odds: the intercept plus each term's share
            assert model.intercept + sum(d.points for d in evidence) == pytest.approx(
                hz.score, abs=0.02
            )
            # the level on the evidence is the band its likelihood falls in
            assert hz.evidence_level == int(
                levels_for(np.array([hz.likelihood_30d]), model.bands)[0]
            )
            assert hz.level == hz.evidence_level or hz.guidance_step is not None
            for d in evidence:
                assert set(d.incidents) <= ids and d.incidents
            points = [d.points for d in evidence]
            assert points == sorted(points, reverse=True), "strongest first"
            assert hz.outcome.days == 30 and hz.outcome.event_types


def test_likelihood_words_follow_icd_203(tmp_path: Path, places: Path) -> None:
    rows = series("A", date(2025, 9, 1), 30, BAMAKO[0] + 0.02, BAMAKO[1], every_days=2)
    r = run(tmp_path, rows, places)
    bands = [(w.word, w.max) for w in r.pack.info.likelihood.words]
    for location in r.assessment.locations:
        for hz in location.personal_security.hazards.values():
            word = next(w for w, top in bands if hz.likelihood_30d < top or top >= 1)
            assert hz.estimative == word
            assert hz.likelihood_30d > 0, "no place is ever given exactly 0 %"
    busy = loc(r, "bamako").personal_security.hazards["ambush"]
    quiet = loc(r, "segou").personal_security.hazards["ambush"]
    assert busy.likelihood_30d > 10 * quiet.likelihood_30d


def test_fighting_inside_the_capital_is_a_regime_signal(tmp_path: Path, places: Path) -> None:
    start = AS_OF - timedelta(days=20)
    rows = series("C", start, 8, BAMAKO[0] + 0.01, BAMAKO[1], kind="clash", every_days=2)
    r = run(tmp_path, rows, places)
    nat = r.assessment.national.regime_collapse
    assert nat.capital_fighting_days == 8
    assert any(d.rule == "national-capital-fighting" for d in nat.drivers)
    assert nat.level >= 2
    assert any(
        t.rule == "national-capital-fighting" and t.fired for t in r.assessment.national.trace
    )


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


def test_an_unconfirmed_seizure_lapses(tmp_path: Path, places: Path) -> None:
    """A single claim of a seizure, with no sign of the group since, does not hold a town for
    ever: after the pack's lapse window it reads as the government's again."""
    claim = event("S1", date(2025, 5, 1), *SEGOU, kind="seized", precision=1)
    r = run(tmp_path, [claim], places)
    rc = loc(r, "segou").regime_collapse
    assert rc.control_status == "government"
    assert [e.status for e in rc.episodes] == ["lapsed"]
    assert r.assessment.national.regime_collapse.held_centres == []
    # ... while fighting in the town since keeps it held
    kept = run(
        tmp_path,
        [claim, event("C1", date(2025, 10, 25), *SEGOU, kind="clash", precision=1)],
        places,
        name="kept.csv",
    )
    assert loc(kept, "segou").regime_collapse.control_status == "held"


def test_governance_after_a_regain_reopens_the_town(tmp_path: Path, places: Path) -> None:
    rows = [
        event("S1", date(2025, 6, 1), *SEGOU, kind="seized", precision=1),
        event("S2", date(2025, 8, 1), *SEGOU, kind="regained", precision=1),
        event("H1", date(2025, 11, 15), *SEGOU, kind="hq", precision=1),
    ]
    r = run(tmp_path, rows, places)
    rc = loc(r, "segou").regime_collapse
    assert rc.control_status == "contested"
    assert [e.status for e in rc.episodes] == ["contested", "regained"]


def test_a_sentence_is_filled_at_every_location_and_a_missing_placeholder_stays() -> None:
    """The engine fills a sentence at each location; a report's translation fills it again
    (a translated template may name a placeholder the values lack: it stays as written)."""
    table = FeatureTable(2, numbers={"n": np.array([1.0, 2.0])}, texts={"place": ["A", "B"]})
    sentences, values = written("{n} near {place}: {n}", table, [0, 1], [0.0, 0.0])
    assert sentences == ["1 near A: 1", "2 near B: 2"]
    assert values == [{"n": "1", "place": "A"}, {"n": "2", "place": "B"}]
    assert written("no placeholder", table, [0, 1], [0.0, 0.0])[0] == ["no placeholder"] * 2
    assert fill("{n} near {place}", {"n": "3"}) == "3 near {place}"


def test_a_counted_sentence_takes_its_singular_form_only_for_a_count_of_one() -> None:
    """The pack's counted sentences give two forms ("1 raid", "2 raids"); the form follows the
    count as printed, and the values kept for translation are the same in both."""
    [rule] = [r for r in load_pack().regime_collapse.place.rules if r.id == "place-raids"]
    assert isinstance(rule.because, Plural)
    table = FeatureTable(3, numbers={"control.raids": np.array([1.0, 2.0, 0.0])})
    sentences, values = written(rule.because, table, [0, 1, 2], [3.0, 6.0, 0.0])
    assert sentences[0].startswith("1 raid that ended within days")
    assert sentences[1].startswith("2 raids that ended within days")
    assert sentences[2].startswith("0 raids that ended within days")
    assert values == [{"control.raids": "1"}, {"control.raids": "2"}, {"control.raids": "0"}]
    assert not any("(s)" in s for s in sentences)


def test_a_plural_sentence_names_its_count_in_both_forms() -> None:
    with pytest.raises(ValueError, match="same placeholders"):
        Plural(one="one raid", other="{control.raids} raids")
    with pytest.raises(ValueError, match="placeholder to count"):
        Plural(one="a raid", other="raids")
    assert Plural(one="{n} raid near {place}", other="{n} raids near {place}").count == "n"


def test_the_latest_incident_is_named_by_its_date_whatever_its_age(
    tmp_path: Path, places: Path
) -> None:
    """A sentence has one count (the `Plural`'s): the latest incident is named by its date (as
    each language writes it: the engine's ISO, French's words), not as "1 days ago"."""
    rows = [event(f"A{k}", AS_OF - timedelta(days=d), *SEGOU) for k, d in enumerate((40, 9, 0))]
    rows.append(event("K1", AS_OF - timedelta(days=1), *SEGOU, kind="kidnap_foreign"))
    r = run(tmp_path, rows, places)
    drivers = {d.rule: d for d in loc(r, "segou").drivers}
    violence, taken = drivers["ambush-violence"], drivers["kidnapping-kidnapping"]
    assert violence.because.endswith("; the latest on 2025-11-20")  # the as-of day itself
    assert violence.values["latest_date.violence"] == "2025-11-20"
    assert taken.because.endswith("the latest on 2025-11-19")  # the day before
    fr = PackText.load(None, "fr")
    assert fr.driver(violence).text.endswith("; le dernier le 20 novembre 2025")
    assert fr.driver(taken).text.endswith("le dernier le 19 novembre 2025")
    assert not any("days ago" in d.because for d in loc(r, "segou").drivers)
