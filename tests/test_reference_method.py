"""The slow reference (bench/reference_*.py) on numbers worked out by hand.

tests/test_reference.py holds the engine to the reference; these hold the reference to
docs/method.md, so that a mistake the two might share cannot hide behind their agreement.
Exposures, calibration and rules are built here by hand, not read from the shipped pack (whose
fitted numbers change with every calibration).
"""

from __future__ import annotations

import math
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import reference_compare as rc
import reference_control as rcon
import reference_events as rev
import reference_features as rf
import reference_scoring as rs

from advisory.ingest.places import Place
from advisory.rulepack import load_pack
from advisory.rulepack.model import ClassifyRule, Exposure
from advisory.rulepack.tracks import CalibrationMap, ScoreRule

AS_OF = date(2025, 11, 20)
KM_PER_DEG = 6371.0088 * math.pi / 180


def event(eid: str, age: int, signals: set[str], precision: int = 1) -> rev.Event:
    day = AS_OF - timedelta(days=age)
    return rev.Event(eid, day, age, 0.0, 0.0, precision, 0, frozenset(), frozenset(signals))


EXPOSURE = Exposure.model_validate(
    {
        "signals": {"battle": 1.0, "abduction": 0.5},
        "half_life_days": 100,
        "horizon_days": 200,
        "radius_km": {"point": 30, "route": 10},
        "full_weight_km": {"point": 10, "route": 5},
        "max_geo_precision": {"point": 2, "route": 1},
        "trend": {"recent_days": 50, "baseline_days": 200, "min_recent": 2},
    }
)


def test_exposure_by_hand() -> None:
    near = [
        (event("a", 0, {"battle"}), 5.0),  # 1 x 1 x 1
        (event("b", 100, {"battle", "abduction"}), 20.0),  # the largest weight: 1 x 0.5 x 0.5
        (event("c", 150, {"abduction"}), 10.0),  # 0.5 x 1 x 0.5^1.5
        (event("d", 10, {"battle"}, precision=3), 1.0),  # a region centroid: never
        (event("e", 10, {"unrest"}), 1.0),  # no signal of the exposure
        (event("f", 20, {"battle"}), 30.5),  # beyond the radius
        (event("g", 199, {"battle"}), 30.0),  # at the radius: counted, with a taper of 0
        (event("h", 200, {"battle"}), 1.0),  # at the horizon: not counted, yet in the baseline
        (event("i", 250, {"battle"}), 1.0),  # beyond the horizon and the baseline (50 + 200)
    ]
    m = rf.measure_exposure(EXPOSURE, "point", near)
    assert m.exposure == pytest.approx(1 + 0.25 + 0.5 * 0.5**1.5)
    assert (m.count, sorted(m.counted), m.latest_days) == (4, ["a", "b", "c", "g"], 0.0)
    assert (m.recent, m.baseline) == (1, 4)  # a; b, c, g and h
    assert m.trend == pytest.approx((1 / 50) / (4 / 200))
    assert m.new is False
    road = rf.measure_exposure(EXPOSURE, "route", [(event("r", 3, {"battle"}, 2), 1.0)])
    assert road.count == 0  # precision 2 is above the route's limit of 1
    empty = rf.measure_exposure(EXPOSURE, "point", [])
    assert (empty.exposure, empty.latest_days, empty.trend, empty.new) == (0, 9999, 0, False)


def test_new_needs_an_empty_baseline_and_min_recent() -> None:
    two = [(event("a", 1, {"battle"}), 0.0), (event("b", 2, {"battle"}), 0.0)]
    assert rf.measure_exposure(EXPOSURE, "point", two).new is True
    assert rf.measure_exposure(EXPOSURE, "point", two[:1]).new is False
    m = rf.measure_exposure(EXPOSURE, "point", [*two, (event("c", 60, {"battle"}), 0.0)])
    assert m.new is False and m.trend == pytest.approx((2 / 50) / (1 / 200))


def test_distances_by_hand() -> None:
    assert rev.haversine_km(0, 0, 1, 0) == pytest.approx(KM_PER_DEG)
    road = ((0.0, -1.0), (0.0, 1.0))
    assert rev.km_to_road(0.1, 0.0, road) == pytest.approx(0.1 * KM_PER_DEG)  # beside its middle
    assert rev.km_to_road(0.0, 2.0, road) == pytest.approx(KM_PER_DEG)  # beyond its end
    place = Place.model_validate({"id": "r", "name": "R", "kind": "route", "coords": road})
    assert rev.km_from(place, 0.1, 0.5) == pytest.approx(0.1 * KM_PER_DEG)


CMAP = CalibrationMap(x=[0.1, 0.2, 0.4, 0.6], y=[0.05, 0.2, 0.2, 0.5])


def test_calibration_by_hand() -> None:
    assert rs.calibrate(0.01, CMAP) == 0.05  # flat below the first knot
    assert rs.calibrate(0.9, CMAP) == 0.5  # and beyond the last
    assert rs.calibrate(0.15, CMAP) == pytest.approx(0.125)
    assert rs.calibrate(0.3, CMAP) == 0.2  # a flat piece gives its value exactly ...
    assert rs.band_level(rs.calibrate(0.3, CMAP), [0.05, 0.2, 0.45, 0.8]) == 3  # ... Medium
    assert rs.band_level(0.0499999, [0.05, 0.2, 0.45, 0.8]) == 1
    assert rs.band_level(0.8, [0.05, 0.2, 0.45, 0.8]) == 5
    assert rs.logistic(0.0) == 0.5


@settings(derandomize=True, database=None)
@given(st.floats(0, 1), st.floats(0, 1))
def test_calibration_is_monotone_and_bounded(a: float, b: float) -> None:
    lo, hi = sorted((a, b))
    assert rs.calibrate(lo, CMAP) <= rs.calibrate(hi, CMAP)
    assert CMAP.y[0] <= rs.calibrate(lo, CMAP) <= CMAP.y[-1]


def test_episode_status_edges() -> None:
    def status(start: int, end: int | None = None, last: int | None = None, **kw: bool) -> str:
        ep = rcon.Episode(
            AS_OF - timedelta(days=start),
            AS_OF - timedelta(days=start if last is None else last),
            None if end is None else AS_OF - timedelta(days=end),
            **kw,
        )
        return rcon.episode_status(ep, AS_OF, 14, 90)

    assert (status(100, end=86), status(100, end=85)) == ("raid", "regained")
    assert (status(14), status(15)) == ("contested", "held")
    assert (status(90), status(91)) == ("held", "lapsed")
    assert status(3, governed=True) == "held_governed"  # governed at once
    assert status(3, governed=True, reopened=True) == "contested"  # a reopening is not
    assert status(30, governed=True, reopened=True) == "held_governed"
    assert status(300, last=10) == "held"  # signs of the group keep it held


def test_walk_reopens_and_takes_a_second_seizure_as_presence() -> None:
    place = Place.model_validate({"id": "t", "name": "T", "kind": "town", "coords": [(0, 0)]})
    seize, end, govern, pres = (
        [rcon.SEIZE, rcon.PRESENCE],
        [rcon.END],
        [rcon.GOVERN],
        [rcon.PRESENCE],
    )
    given_ = [
        (event("s1", 100, set()), seize),
        (event("p1", 95, set()), pres),
        (event("s2", 90, set()), seize),  # already open: presence
        (event("e1", 80, set()), end),
        (event("e2", 70, set()), end),  # nothing open: nothing
        (event("g1", 40, set()), govern),  # after an end: reopens, governed
    ]
    centre = rcon.Centre(place)
    open_ = rcon.walk(centre, given_)
    first, second = centre.episodes
    assert (first.start, first.end, first.last_presence) == (
        AS_OF - timedelta(days=100), AS_OF - timedelta(days=80), AS_OF - timedelta(days=90)
    )  # fmt: skip
    assert first.incidents == ["s1", "p1", "s2", "e1"]
    assert open_ is second and second.reopened and second.governed
    assert rcon.walk(rcon.Centre(place), [(event("g", 5, set()), govern)]) is None  # taxation only


def test_point_rules_by_hand() -> None:
    rules = [
        ScoreRule.model_validate({"id": "a", "points": 10, "because": "."}),
        ScoreRule.model_validate(
            {"id": "b", "points": {"feature": "x", "per_unit": 0.333, "cap": 5}, "because": "."}
        ),
        ScoreRule.model_validate(
            {"id": "c", "when": [{"feature": "x", "gte": 100}], "points": 50, "because": "."}
        ),
        ScoreRule.model_validate(
            {"id": "d", "points": {"feature": "y", "per_unit": 1, "cap": 5}, "because": "."}
        ),
    ]
    track = rs.score_rules(rules, {"x": 6.0, "y": 0.0}, [10, 25, 45, 70])
    assert track.fired == {"a": 10.0, "b": 2.0}  # 1.998 rounds to 2.0; d scores 0: not fired
    assert (track.score, track.level) == (12.0, 2)
    assert track.decisive == {"a": True, "b": False}


def test_classification_row_by_row() -> None:
    rule = ClassifyRule.model_validate(
        {
            "id": "k",
            "signal": "kidnapping_foreign",
            "when": {
                "sub_event_type": ["abduction/forced disappearance"],
                "actor2_matches": "^Civilians \\(",
                "actor2_nationality": "foreign",
            },
        }
    )
    read = rev.ReadRule.of(rule)
    row = dict.fromkeys(rev.ROW_COLUMNS, None) | {
        "sub_event_type": "Abduction/forced disappearance",
        "actor2": "Civilians (China)",
        "country": "Mali",
        "fatalities": 0,
    }
    assert read.matches(row)
    assert not read.matches(row | {"actor2": "Civilians (Mali)"})
    assert not read.matches(row | {"country": None})  # no country: neither foreign nor national
    assert rev.source_names("AFP; Studio  Tamani;;afp ") == {"afp", "studiotamani"}


def test_the_shipped_look_back_is_730_days() -> None:
    assert rev.lookback_days(load_pack()) == 730  # method.md section 1


@pytest.mark.parametrize(
    ("engine", "mine", "digits", "ok"),
    [
        (0.288, 0.28849, 3, True),
        (0.289, 0.28849, 3, False),
        (0.22, 0.225, 2, True),  # a half-way point: either neighbour
        (0.23, 0.225, 2, True),
        (0.22, 0.2251, 2, False),
        (0.2, 0.2, 3, True),
    ],
)
def test_rounded_comparison(engine: float, mine: float, digits: int, ok: bool) -> None:
    assert rc.agrees(engine, mine, digits) is ok
