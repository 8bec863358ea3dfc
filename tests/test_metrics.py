"""Scores and calibration fits (advisory.evaluation.metrics), on cases worked out by hand."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import yaml
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from advisory.evaluation.metrics import (
    Scores,
    apply_map,
    band_index,
    baseline_probability,
    brier,
    brier_skill,
    evaluate,
    fit_isotonic,
    fit_logistic,
    logistic_probability,
    reliability,
    roc_auc,
    scores,
)

# US ICD 203 estimative bands, as rules/pack.yaml words them (upper bounds exclusive).
ICD203 = [
    ("almost no chance", 0.0, 0.05),
    ("very unlikely", 0.05, 0.20),
    ("unlikely", 0.20, 0.45),
    ("roughly even chance", 0.45, 0.55),
    ("likely", 0.55, 0.80),
    ("very likely", 0.80, 0.95),
    ("almost certain", 0.95, 1.0),
]

# Four positives and four negatives, with ties across the classes.
#   positives: 0.9, 0.6, 0.6, 0.3      negatives: 0.6, 0.3, 0.1, 0.1
# AUC: for each of the 16 (positive, negative) pairs, 1 if the positive is higher, 1/2 if tied:
#   0.9 beats all four                            -> 4
#   0.6 ties 0.6, beats 0.3, 0.1, 0.1             -> 3.5   (twice: 7)
#   0.3 loses to 0.6, ties 0.3, beats 0.1, 0.1    -> 2.5
#   (4 + 7 + 2.5) / 16 = 13.5 / 16 = 0.84375
# Brier: positives (1-p)^2 = 0.01 + 0.16 + 0.16 + 0.49 = 0.82
#        negatives p^2     = 0.36 + 0.09 + 0.01 + 0.01 = 0.47
#   (0.82 + 0.47) / 8 = 1.29 / 8 = 0.16125
# Brier of a climatology of 0.25 (the training base rate, not this set's 0.5):
#   (4 x 0.75^2 + 4 x 0.25^2) / 8 = (2.25 + 0.25) / 8 = 0.3125
#   skill = 1 - 0.16125 / 0.3125 = 1 - 0.516 = 0.484
Y = np.array([1, 1, 1, 1, 0, 0, 0, 0])
P = np.array([0.9, 0.6, 0.6, 0.3, 0.6, 0.3, 0.1, 0.1])
LEVELS = np.array([4, 3, 3, 2, 3, 2, 1, 1])  # the same order as P, as integer levels


def test_auc_and_brier_on_the_hand_case() -> None:
    assert roc_auc(Y, P) == 0.84375
    assert roc_auc(Y, LEVELS) == 0.84375  # levels rank the same way: only the order counts
    assert brier(Y, P) == pytest.approx(0.16125, abs=1e-15)
    assert brier_skill(Y, P, 0.25) == pytest.approx(0.484, abs=1e-12)
    assert brier_skill(Y, P, 0.5) == pytest.approx(1 - 0.16125 / 0.25, abs=1e-12)


def test_auc_is_none_with_one_class_and_does_not_warn() -> None:
    # pytest turns warnings into errors here (filterwarnings = error): scikit-learn's
    # UndefinedMetricWarning would fail this test
    assert roc_auc([0, 0, 0], [0.1, 0.5, 0.9]) is None
    assert roc_auc([1, 1], [0.1, 0.5]) is None


def test_brier_skill_of_climatology_itself_is_zero() -> None:
    rng = np.random.default_rng(3)
    y = (rng.random(500) < 0.3).astype(int)
    for c in (0.1, 0.3, 0.7):
        assert brier_skill(y, np.full(y.size, c), c) == pytest.approx(0.0, abs=1e-12)
    assert brier_skill(y, y.astype(float), 0.3) == 1.0  # a perfect forecast
    assert brier_skill(y, np.full(y.size, 0.9), 0.3) < 0  # worse than the constant


def test_brier_skill_is_none_when_the_reference_is_perfect() -> None:
    assert brier_skill([0, 0, 0], [0.1, 0.2, 0.0], 0.0) is None


def test_bad_inputs_say_what_is_wrong() -> None:
    with pytest.raises(ValueError, match="0 or 1, got 2"):
        brier([0, 2], [0.1, 0.2])
    with pytest.raises(ValueError, match=r"\[0, 1\], got 1.5"):
        brier([0, 1], [0.1, 1.5])
    with pytest.raises(ValueError, match=r"shape \(2,\)"):
        roc_auc([0, 1], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="finite"):
        roc_auc([0, 1], [0.1, float("nan")])
    with pytest.raises(ValueError, match="non-empty"):
        brier([], [])


def test_band_edges_belong_to_the_band_above_and_one_to_the_last() -> None:
    p = [0.0, 0.0499, 0.05, 0.2, 0.5, 0.55, 0.95, 1.0]
    assert band_index(p, ICD203).tolist() == [0, 0, 1, 2, 3, 4, 6, 6]


def test_bands_must_tile_zero_to_one() -> None:
    with pytest.raises(ValueError, match=r"'unlikely'.*must start at 0\.2"):
        reliability([0], [0.1], [ICD203[0], ICD203[1], ("unlikely", 0.25, 1.0)])
    with pytest.raises(ValueError, match=r"end at 1\.0"):
        reliability([0], [0.1], ICD203[:-1])


def test_reliability_rows_on_a_hand_case() -> None:
    # almost no chance: p 0.02 x 4, outcomes 0 0 0 1 -> observed 0.25; 0.20 above the band
    # roughly even:     p 0.5 x 2,  outcomes 1 0     -> observed 0.5, inside
    # likely:           p 0.7 x 4,  outcomes 1 1 1 0 -> observed 0.75, inside
    # very likely:      p 0.9 x 1,  outcome 0        -> observed 0; 0.80 below the band
    # unlikely:         p 0.3 x 2,  outcomes 0 0     -> observed 0; 0.20 below, not near
    # very unlikely:    p 0.1 x 2,  outcomes 1 0     -> observed 0.5; 0.30 above
    # almost certain:   none
    y = [0, 0, 0, 1, 1, 0, 1, 1, 1, 0, 0, 0, 0, 1, 0]
    p = [0.02] * 4 + [0.5] * 2 + [0.7] * 4 + [0.9] + [0.3] * 2 + [0.1] * 2
    rows = {r.word: r for r in reliability(y, p, ICD203)}
    assert [r.word for r in reliability(y, p, ICD203)] == [w for w, _, _ in ICD203]
    r = rows["almost no chance"]
    assert (r.n, r.positives, r.observed, r.inside_band, r.near_band) == (4, 1, 0.25, False, False)
    assert r.mean_predicted == pytest.approx(0.02)
    r = rows["roughly even chance"]
    assert (r.n, r.observed, r.inside_band, r.near_band) == (2, 0.5, True, True)
    r = rows["likely"]
    assert (r.n, r.observed, r.inside_band, r.near_band) == (4, 0.75, True, True)
    assert r.mean_predicted == pytest.approx(0.7)
    assert (rows["very likely"].observed, rows["very likely"].near_band) == (0.0, False)
    assert (rows["unlikely"].observed, rows["unlikely"].near_band) == (0.0, False)
    assert (rows["very unlikely"].observed, rows["very unlikely"].near_band) == (0.5, False)
    empty = rows["almost certain"]
    assert (empty.n, empty.observed, empty.inside_band, empty.near_band) == (0, None, None, None)


def test_reliability_near_band_takes_the_tolerance_inclusively() -> None:
    # very unlikely band [0.05, 0.20], observed 0.30 (3 of 10): 0.10 above it, which
    # binary floating point makes 0.09999999999999998 or 0.10000000000000003 depending on
    # the edge; both count as within 0.10
    rows = reliability([1] * 3 + [0] * 7, [0.1] * 10, ICD203)
    assert (rows[1].observed, rows[1].inside_band, rows[1].near_band) == (0.3, False, True)
    rows = reliability([1] * 11 + [0] * 9, [0.4] * 20, ICD203)  # 0.55 vs [0.20, 0.45]
    assert (rows[2].observed, rows[2].near_band) == (0.55, True)
    assert reliability([1] * 11 + [0] * 9, [0.4] * 20, ICD203, tolerance=0.05)[2].near_band is False


def test_a_calibrated_forecaster_lands_inside_every_band_and_a_biased_one_does_not() -> None:
    rng = np.random.default_rng(20240617)
    p = rng.random(40_000)
    y = (rng.random(p.size) < p).astype(int)  # the event happens with exactly probability p
    rows = reliability(y, p, ICD203)
    assert all(r.n > 1000 for r in rows)
    assert all(r.inside_band for r in rows), [(r.word, r.observed) for r in rows]
    for r in rows:
        assert r.observed == pytest.approx(r.mean_predicted, abs=0.03)
    # the same forecasts when the event happens half as often: the upper bands miss
    y_half = (rng.random(p.size) < p / 2).astype(int)
    missed = [r.word for r in reliability(y_half, p, ICD203) if not r.inside_band]
    assert {"likely", "very likely", "almost certain"} <= set(missed)


def test_isotonic_map_stored_as_yaml_reproduces_the_fit_exactly() -> None:
    rng = np.random.default_rng(7)
    raw = rng.random(3000)
    y = (rng.random(raw.size) < raw**2).astype(int)
    floor = 0.02
    xs, ys = fit_isotonic(raw, y, floor)
    assert all(type(v) is float for v in xs + ys)
    stored = yaml.safe_load(yaml.safe_dump({"x": xs, "y": ys}))
    assert stored == {"x": xs, "y": ys}  # YAML keeps every bit of a float
    fitted = IsotonicRegression(y_min=floor, y_max=1.0, out_of_bounds="clip").fit(raw, y)
    grid = np.concatenate([np.linspace(-0.5, 1.5, 2001), raw])  # beyond the data as well
    assert np.array_equal(apply_map(stored["x"], stored["y"], grid, floor), fitted.predict(grid))
    mapped = apply_map(xs, ys, grid, floor)
    assert (np.diff(mapped[np.argsort(grid, kind="stable")]) >= 0).all()  # monotone
    assert mapped.min() >= floor
    assert mapped.min() == floor  # the low end of raw**2 is below the floor: the floor binds
    assert apply_map(xs, ys, [0.0], 0.1)[0] == 0.1  # a floor raised later still holds


def test_apply_map_rejects_a_malformed_map() -> None:
    with pytest.raises(ValueError, match="as many x points as y points"):
        apply_map([0.0, 1.0], [0.1], [0.5], 0.0)
    with pytest.raises(ValueError, match="strictly increasing"):
        apply_map([0.0, 0.5, 0.5], [0.1, 0.2, 0.3], [0.5], 0.0)


def test_baseline_probability_is_the_training_frequency_per_count_pooled_if_not_monotone() -> None:
    # training: count 0 -> 1 of 4 events (0.25); count 1 -> 1 of 5 (0.20); count 3 -> 2 of 2
    # 0.25 > 0.20 breaks monotonicity, so the two pool: 2 / 9 for counts 0 and 1
    # count 2 lies between the knots 1 (2/9) and 3 (1.0): (2/9 + 1) / 2 = 11/18
    train_counts = [0, 0, 0, 0, 1, 1, 1, 1, 1, 3, 3]
    train_y = [1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1]
    got = baseline_probability(train_counts, train_y, [0, 1, 2, 3, 40])
    assert got == pytest.approx([2 / 9, 2 / 9, 11 / 18, 1.0, 1.0], abs=1e-12)


def test_scores_and_evaluate_bundle_the_functions() -> None:
    p90 = np.array([0.5, 0.2, 0.2, 0.2, 0.5, 0.2, 0.2, 0.2])
    count90 = np.array([3, 0, 0, 0, 3, 0, 0, 0])
    count730 = np.array([9, 7, 6, 5, 4, 3, 2, 1])  # ranks perfectly: AUC 1
    p730 = np.linspace(0.8, 0.1, 8)
    ev = evaluate(
        Y, P, climatology=0.25, count_90d=count90, p_90d=p90, count_730d=count730, p_730d=p730
    )
    assert ev.model == Scores(8, 0.5, 0.84375, brier(Y, P), brier_skill(Y, P, 0.25))
    # count90: positive 3 vs negative 3 ties (1/2), vs 0s wins (3); positives with 0: ties
    # with the three 0s (3 x 1/2) and loses to the 3: (3.5 + 3 x 1.5) / 16 = 8 / 16
    assert ev.count_90d.auc == 0.5
    assert ev.count_90d.brier == brier(Y, p90)
    assert ev.count_730d.auc == 1.0
    assert ev.count_730d.brier_skill == brier_skill(Y, p730, 0.25)
    by_level = evaluate(
        Y, None, climatology=0.25, score=LEVELS,
        count_90d=count90, p_90d=p90, count_730d=count730, p_730d=p730,
    )  # fmt: skip
    assert (by_level.model.auc, by_level.model.brier, by_level.model.brier_skill) == (
        0.84375, None, None
    )  # fmt: skip


def test_scores_of_an_empty_set_are_none() -> None:
    assert scores([], [], [], 0.2) == Scores(0, None, None, None, None)


def _logistic_data(n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(11)
    X = np.column_stack([rng.poisson(40, n), rng.normal(0, 1, n), np.full(n, 3.0)])
    z = -1.0 + 0.02 * X[:, 0] + 1.5 * X[:, 1]
    y = (rng.random(n) < 1 / (1 + np.exp(-z))).astype(int)
    return X, y


def test_fit_logistic_recovers_a_known_process_on_the_raw_scale() -> None:
    X, y = _logistic_data(40_000)
    intercept, coef = fit_logistic(X, y, C=1e6)
    assert type(intercept) is float and all(type(c) is float for c in coef)
    assert intercept == pytest.approx(-1.0, abs=0.15)
    assert coef[0] == pytest.approx(0.02, abs=0.004)
    assert coef[1] == pytest.approx(1.5, abs=0.05)
    assert coef[2] == 0.0  # a constant column carries nothing
    assert fit_logistic(X, y, C=1e6) == (intercept, coef)  # deterministic


def test_fit_logistic_penalises_standardised_columns_and_predicts_as_sklearn() -> None:
    X, y = _logistic_data(2000)
    intercept, coef = fit_logistic(X, y, C=0.01)
    pipe = make_pipeline(StandardScaler(), LogisticRegression(C=0.01, max_iter=10_000)).fit(X, y)
    np.testing.assert_allclose(
        logistic_probability(intercept, coef, X), pipe.predict_proba(X)[:, 1], rtol=0, atol=1e-12
    )
    weak = fit_logistic(X, y, C=1e6)[1]
    assert abs(coef[1]) < abs(weak[1])  # a stronger penalty shrinks


def test_fit_logistic_needs_both_outcomes() -> None:
    with pytest.raises(ValueError, match="both outcomes"):
        fit_logistic([[1.0], [2.0]], [0, 0], C=1.0)


def test_logistic_probability_does_not_overflow() -> None:
    got = logistic_probability(0.0, [1.0], [[-1e6], [0.0], [1e6]])
    assert got.tolist() == [0.0, 0.5, 1.0]


def test_applying_a_stored_map_does_not_import_scikit_learn() -> None:
    """`assess` applies stored maps; scikit-learn (most of a second to import) is for fits."""
    code = (
        "import sys\n"
        "from advisory.evaluation.metrics import apply_map\n"
        "apply_map([0.0, 1.0], [0.1, 0.9], [0.5], 0.05)\n"
        "print(any(m == 'sklearn' or m.startswith('sklearn.') for m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "False"


def test_the_backtest_reads_its_bands_from_the_pack() -> None:
    """The reliability table's bands are the pack's estimative words, not a copy in the code."""
    from advisory.evaluation.backtest import word_bands
    from advisory.rulepack import load_pack

    assert word_bands(load_pack()) == ICD203
