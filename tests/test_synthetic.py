"""The synthetic process of tests/synthetic.py: its true probabilities are what it draws."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from synthetic import (
    BACKGROUND,
    TYPES,
    Process,
    counts,
    generate,
    make_process,
    observed,
    simulate,
)
from test_metrics import ICD203

from advisory.evaluation.metrics import baseline_probability, evaluate, reliability
from advisory.ingest.acled import COLUMNS
from advisory.ingest.incidents import read_incidents as _read_incidents
from advisory.ingest.places import read_places
from advisory.rulepack.load import load_pack

DRAWS = 2000  # independent draws of the window per outcome definition
ABDUCTION = "Abduction/forced disappearance"


def _outcomes(process: Process, as_of: date, days: int, **outcome: object) -> np.ndarray:
    """[draw, site]: whether each site saw the outcome, in DRAWS independent draws."""
    first, last = as_of + timedelta(days=1), as_of + timedelta(days=days)
    return np.array(
        [
            observed(
                process, simulate(process, seed=k, first=first, last=last), as_of, days=days,
                **outcome,  # type: ignore[arg-type]
            )
            for k in range(DRAWS)
        ]
    )  # fmt: skip


@pytest.mark.parametrize(
    ("as_of", "days", "outcome"),
    [
        # issue 17's outcome: any violent event within 25 km in the next 30 days
        (date(2018, 6, 1), 30, {"radius_km": 25.0}),
        # a narrower one: abductions within 50 km over 90 days, late in the period
        (date(2019, 2, 10), 90, {"radius_km": 50.0, "sub_event_types": {ABDUCTION}}),
        # by event type: battles and explosions within 10 km over 60 days
        (
            date(2017, 9, 15), 60,
            {"radius_km": 10.0, "event_types": {"Battles", "Explosions/Remote violence"}},
        ),
    ],
)  # fmt: skip
def test_empirical_frequency_matches_the_true_probability(
    as_of: date, days: int, outcome: dict
) -> None:
    """Tolerance: each site's frequency within 4 binomial standard errors of its true
    probability, plus 1/DRAWS for the discreteness of a count near 0 (at p = 0.5 that is
    0.045); the squared standardised errors average about 1 (below 2); and the number of
    sites hit per draw averages the sum of the probabilities within 4 standard errors of
    that mean (taken from the draws, as neighbouring sites share events): about 2 % of it,
    so a truth a few per cent off would fail."""
    process = make_process(seed=5)
    p = process.true_probability(as_of, days=days, **outcome)
    assert p.min() < 0.1 and p.max() > 0.5  # a spread of probabilities, not one value
    hits = _outcomes(process, as_of, days, **outcome)
    freq = hits.mean(axis=0)
    se = np.sqrt(p * (1 - p) / DRAWS)
    off = np.abs(freq - p) > 4 * se + 1 / DRAWS
    assert not off.any(), np.c_[p, freq][off]
    assert np.mean(((freq - p) / se) ** 2) < 2.0
    per_draw = hits.sum(axis=1)
    assert abs(per_draw.mean() - p.sum()) < 4 * per_draw.std() / np.sqrt(DRAWS)


def test_true_probability_spreads_across_places() -> None:
    # the outcome of issue 17 in the middle of the generated period, seed 0 (generate's)
    p = make_process(seed=0).true_probability(date(2018, 6, 1), days=30, radius_km=25.0)
    assert len(p) == 50
    assert p.min() < 0.05
    assert p.max() > 0.60
    assert 0.1 < np.mean(p) < 0.4  # a base rate like the measured 18 %


def test_true_probability_changes_over_time() -> None:
    """Trends and seasons move the probability of the same place between as-of dates."""
    process = make_process(seed=0)
    months = [date(2017, 1, 1) + timedelta(days=30 * m) for m in range(36)]
    p = np.array([process.true_probability(d) for d in months])  # [month, site]
    assert (p.max(axis=0) - p.min(axis=0)).max() > 0.2


def test_daily_rates_follow_the_stated_trend_and_season() -> None:
    # the background hotspot (last): rate 0.25 a day, no trend, season 0.3 peaking on day 220
    process = make_process(seed=0)
    peak = date(2018, 1, 1) + timedelta(days=220)  # day of year 220 (days since 1 January)
    trough = peak + timedelta(days=183)
    bg = process.daily_rates(peak, peak)[0, -1]
    assert bg == pytest.approx(BACKGROUND.rate * (1 + BACKGROUND.season), rel=1e-12)
    low = process.daily_rates(trough, trough)[0, -1]
    assert low == pytest.approx(BACKGROUND.rate * (1 - BACKGROUND.season), rel=1e-3)
    # a local hotspot: on its stated curve at the reference day (the period's middle), and a
    # year on, on the same day of a non-leap year (1 March, day 59), moved by its trend alone
    h = max(process.hotspots[:-1], key=lambda spot: abs(spot.trend))
    i = process.hotspots.index(h)
    ref = process.reference
    doy = (ref - date(ref.year, 1, 1)).days
    at_ref = process.daily_rates(ref, ref)[0, i]
    assert at_ref == pytest.approx(
        h.rate * (1 + h.season * np.cos(2 * np.pi * (doy - h.peak_doy) / 365.25)), rel=1e-12
    )
    march = process.daily_rates(date(2018, 3, 1), date(2018, 3, 1))[0, i]
    next_march = process.daily_rates(date(2019, 3, 1), date(2019, 3, 1))[0, i]
    assert next_march / march == pytest.approx(np.exp(h.trend * 365 / 365.25), rel=1e-12)
    assert abs(h.trend) > 0.3  # so the check above is not 1 == 1


def test_files_are_read_by_the_project_without_a_reject(tmp_path: Path) -> None:
    process, events, csv_path, places_path = generate(tmp_path, seed=3)
    header = csv_path.read_text("utf-8").splitlines()[0]
    assert header.split(",") == list(COLUMNS)
    incidents = read_incidents([csv_path], None)
    assert incidents.rejects.height == 0
    assert incidents.frame.height == len(events) > 1000
    # the stated proportions of types: each within 4 standard errors of its share
    got = incidents.frame.group_by("sub_event_type").len()
    counts = dict(zip(got["sub_event_type"].to_list(), got["len"].to_list(), strict=True))
    n = len(events)
    for _, sub, share in TYPES:
        assert abs(counts[sub] / n - share) < 4 * np.sqrt(share * (1 - share) / n), sub
    gazetteer = read_places(places_path)
    assert [p.id for p in gazetteer.places] == [s.id for s in process.sites]
    assert {p.kind for p in gazetteer.places} == {"town"}


def test_same_seed_same_bytes_other_seed_other_data(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    for d in (a, b, c):
        d.mkdir()
    files_a = generate(a, seed=9)[2:]
    files_b = generate(b, seed=9)[2:]
    files_c = generate(c, seed=10)[2:]
    for fa, fb, fc in zip(files_a, files_b, files_c, strict=True):
        assert fa.read_bytes() == fb.read_bytes()
        assert fa.read_bytes() != fc.read_bytes()


def test_the_truth_beats_the_count_baselines_on_a_time_split() -> None:
    """What `advisory calibrate` is measured against: on one generated history (seed 0,
    monthly as-of dates from mid-2017, trained to 2018, tested on 2019), the true
    probability is calibrated band by band and outscores both count baselines (each mapped
    to a probability on the training months), so the process holds information beyond a
    count (trends, seasons) that a model can learn. Measured: truth Brier 0.090, skill 0.44,
    AUC 0.89; 730-day count 0.109, 0.32, 0.85; 90-day count 0.112, 0.30, 0.79."""
    process = make_process(seed=0)
    events = simulate(process, seed=0)
    as_ofs = [date(2017, 1, 1) + timedelta(days=30 * k) for k in range(6, 35)]

    def stacked(f: Callable[[date], np.ndarray]) -> np.ndarray:
        return np.concatenate([f(a) for a in as_ofs])

    y = stacked(lambda a: observed(process, events, a)).astype(int)
    p = stacked(process.true_probability)
    c90 = stacked(lambda a: counts(process, events, a - timedelta(days=89), a))
    c730 = stacked(lambda a: counts(process, events, a - timedelta(days=729), a))
    test = stacked(lambda a: np.full(len(process.sites), a >= date(2019, 1, 1)))
    train = ~test
    ev = evaluate(
        y[test], p[test], climatology=float(y[train].mean()),
        count_90d=c90[test], p_90d=baseline_probability(c90[train], y[train], c90[test]),
        count_730d=c730[test], p_730d=baseline_probability(c730[train], y[train], c730[test]),
    )  # fmt: skip
    assert ev.model.n == 500
    for baseline in (ev.count_90d, ev.count_730d):
        assert ev.model.brier < baseline.brier - 0.015
        assert ev.model.auc > baseline.auc + 0.03
    assert ev.model.brier_skill > 0.4
    rows = reliability(y[test], p[test], ICD203)
    assert all(r.near_band for r in rows if r.n >= 30)


def read_incidents(paths: list[Path], as_of: date | None, area: object = None):  # type: ignore[no-untyped-def]
    """The reader with the shipped pack's table of old ACLED types."""
    return _read_incidents(paths, load_pack().formats.acled_legacy, as_of, None)
