"""Proper scores of predictions against outcomes, and the fits that calibrate them.

Pure functions over NumPy arrays: `y` holds 0/1 outcomes (did the event happen), `p` predicted
probabilities, `score` anything that ranks (a probability, a continuous score, an integer level,
a count). Conflict forecasters judge a forecast by its ranking (ROC AUC), by its calibration and
sharpness together (Brier score, and Brier skill against climatology: the base rate of the
*training* period, so a model is credited only for what it adds to "it happens this often"), and
by a reliability table: in each ICD 203 band, how often the event happened.

Two baselines stand beside every model: the count of events in the previous 90 days and in the
previous 730 days. A count ranks places as it is (its AUC is taken on the count), but a count is
not a probability, so for its Brier score the caller first turns it into one with
`baseline_probability`: an isotonic map from count to observed frequency fitted on the training
period only, the most favourable monotone reading of the count that the training data allow.

scikit-learn does the arithmetic (ties in the AUC count one half, as in its `roc_auc_score`; pool
adjacent violators for the isotonic fit; L-BFGS for the logistic fit). It is imported inside the
functions that use it: importing it costs most of a second, and `apply_map`, the only function an
assessment needs, is NumPy alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..scoring.calibration import apply_map

Band = tuple[str, float, float]  # (word, lower, upper): p in [lower, upper), the last band to 1.0
ArrayLike = npt.ArrayLike
# Float rounding when comparing an observed frequency with a band edge (0.55 - 0.45 > 0.10 in
# binary floating point); far below any frequency a backtest can observe.
EDGE_EPS = 1e-9


def _outcomes(y: ArrayLike) -> np.ndarray:
    """`y` as a 1-D int array of 0/1, or a ValueError saying what is wrong."""
    arr = np.asarray(y)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"outcomes must be a non-empty 1-D array, got shape {arr.shape}")
    if not np.isin(arr, (0, 1)).all():
        bad = arr[~np.isin(arr, (0, 1))][0].item()
        raise ValueError(f"outcomes must be 0 or 1, got {bad!r}")
    return arr.astype(np.int64)


def _values(x: ArrayLike, n: int, what: str, *, unit: bool) -> np.ndarray:
    """`x` as a 1-D float array of length `n`, finite (and within [0, 1] when `unit`)."""
    arr = np.asarray(x, dtype=np.float64)
    if arr.shape != (n,):
        raise ValueError(f"{what} must have shape ({n},) like the outcomes, got {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError(f"{what} must be finite, got {arr[~np.isfinite(arr)][0].item()!r}")
    if unit and ((arr < 0).any() or (arr > 1).any()):
        bad = arr[(arr < 0) | (arr > 1)][0].item()
        raise ValueError(f"{what} must lie in [0, 1], got {bad!r}")
    return arr


def roc_auc(y: ArrayLike, score: ArrayLike) -> float | None:
    """Chance that a random positive outranks a random negative (ties count one half).

    None when only one class is present: the AUC is undefined there, and a month without a
    single event (or with events everywhere) must not stop a backtest.
    """
    from sklearn.metrics import roc_auc_score

    yy = _outcomes(y)
    s = _values(score, yy.size, "scores", unit=False)
    if yy.min() == yy.max():
        return None
    return float(roc_auc_score(yy, s))


def brier(y: ArrayLike, p: ArrayLike) -> float:
    """Mean squared difference between probability and outcome (0 is perfect, lower is better)."""
    from sklearn.metrics import brier_score_loss

    yy = _outcomes(y)
    return float(brier_score_loss(yy, _values(p, yy.size, "probabilities", unit=True), pos_label=1))


def brier_skill(y: ArrayLike, p: ArrayLike, climatology: float) -> float | None:
    """1 - Brier(p) / Brier(climatology): 0 is no better than always saying the training base
    rate, 1 is perfect, negative is worse than that constant.

    None when the reference itself is perfect (a climatology of 0 or 1 that every outcome
    matched), where the ratio is undefined.
    """
    yy = _outcomes(y)
    if not 0.0 <= climatology <= 1.0:
        raise ValueError(f"climatology must lie in [0, 1], got {climatology!r}")
    reference = brier(yy, np.full(yy.size, climatology))
    if reference == 0.0:
        return None
    return 1.0 - brier(yy, p) / reference


@dataclass(frozen=True)
class ReliabilityRow:
    """One estimative band: how many predictions fell in it and how often the event happened.

    `mean_predicted`, `observed`, `inside_band` and `near_band` are None when `n` is 0.
    `inside_band`: lower <= observed <= upper. `near_band`: observed is at most the tolerance
    (0.10 by default) outside the band, the criterion of issue 17 for a band with n >= 30.
    """

    word: str
    lower: float
    upper: float
    n: int
    positives: int
    mean_predicted: float | None
    observed: float | None
    inside_band: bool | None
    near_band: bool | None


def _check_bands(bands: Sequence[Band]) -> None:
    """Bands must tile [0, 1] in order, so every probability falls in exactly one."""
    if not bands:
        raise ValueError("bands must not be empty")
    expected_lower = 0.0
    for word, lower, upper in bands:
        if lower != expected_lower or not lower < upper:
            raise ValueError(
                f"band {word!r} is [{lower}, {upper}); bands must tile [0, 1] in order, "
                f"so this one must start at {expected_lower} and end above it"
            )
        expected_lower = upper
    if expected_lower != 1.0:
        raise ValueError(f"the last band must end at 1.0, got {expected_lower}")


def band_index(p: ArrayLike, bands: Sequence[Band]) -> np.ndarray:
    """Index of the band each probability falls in: [lower, upper), and 1.0 in the last."""
    _check_bands(bands)
    uppers = np.array([upper for _, _, upper in bands])
    idx = np.searchsorted(uppers, np.asarray(p, dtype=np.float64), side="right")
    return np.minimum(idx, len(bands) - 1)


def reliability(
    y: ArrayLike, p: ArrayLike, bands: Sequence[Band], tolerance: float = 0.10
) -> list[ReliabilityRow]:
    """One row per band, in the bands' order, empty bands included (n = 0)."""
    yy = _outcomes(y)
    pp = _values(p, yy.size, "probabilities", unit=True)
    idx = band_index(pp, bands)
    rows = []
    for i, (word, lower, upper) in enumerate(bands):
        mask = idx == i
        n = int(mask.sum())
        positives = int(yy[mask].sum())
        if n == 0:
            rows.append(ReliabilityRow(word, lower, upper, 0, 0, None, None, None, None))
            continue
        observed = positives / n
        outside = max(lower - observed, observed - upper, 0.0)
        rows.append(
            ReliabilityRow(
                word, lower, upper, n, positives,
                mean_predicted=float(pp[mask].mean()),
                observed=observed,
                inside_band=outside == 0.0,
                near_band=outside <= tolerance + EDGE_EPS,
            )
        )  # fmt: skip
    return rows


@dataclass(frozen=True)
class Scores:
    """A predictor's scores on one evaluation set. Every field but `n` is None when `n` is 0;
    `auc` is None with one class only, `brier` and `brier_skill` when no probability was given
    (an integer level ranks but is no probability)."""

    n: int
    base_rate: float | None
    auc: float | None
    brier: float | None
    brier_skill: float | None


def scores(y: ArrayLike, score: ArrayLike, p: ArrayLike | None, climatology: float) -> Scores:
    """AUC of `score` (the ranking), Brier and Brier skill of `p` (the probability)."""
    if np.asarray(y).size == 0:
        return Scores(n=0, base_rate=None, auc=None, brier=None, brier_skill=None)
    yy = _outcomes(y)
    return Scores(
        n=int(yy.size),
        base_rate=float(yy.mean()),
        auc=roc_auc(yy, score),
        brier=None if p is None else brier(yy, p),
        brier_skill=None if p is None else brier_skill(yy, p, climatology),
    )


@dataclass(frozen=True)
class Evaluation:
    """A model beside the two baselines of issue 17, on the same outcomes and climatology."""

    model: Scores
    count_90d: Scores
    count_730d: Scores


def evaluate(
    y: ArrayLike,
    p: ArrayLike | None,
    *,
    climatology: float,
    count_90d: ArrayLike,
    p_90d: ArrayLike,
    count_730d: ArrayLike,
    p_730d: ArrayLike,
    score: ArrayLike | None = None,
) -> Evaluation:
    """Score a model and the two count baselines.

    The model is ranked by `score` (its continuous score or level) when given, else by `p`;
    each baseline is ranked by its count and its Brier taken on `p_90d` / `p_730d`, the counts
    mapped to probabilities by `baseline_probability` fitted on the training period.
    """
    if score is not None:
        ranking = score
    elif p is not None:
        ranking = p
    else:
        raise ValueError("evaluate needs the model's probability p, its score, or both")
    return Evaluation(
        model=scores(y, ranking, p, climatology),
        count_90d=scores(y, count_90d, p_90d, climatology),
        count_730d=scores(y, count_730d, p_730d, climatology),
    )


def fit_isotonic(
    p_raw: ArrayLike, y: ArrayLike, floor: float, min_rows: int = 1
) -> tuple[list[float], list[float]]:
    """A non-decreasing map from raw value to observed frequency, never below `floor`.

    Returned as two plain lists of floats (the map's knots), ready to store in a rule pack's
    YAML; `apply_map` on them gives exactly what the fitted model predicts, between the knots
    (linear) and beyond them (the end values). Non-decreasing, so a higher raw value never gets
    a lower probability.

    With `min_rows` > 1 the rows are first pooled, in order of raw value, into runs of at least
    that many (the last run takes the remainder), and the map is fitted on the runs' means
    weighted by their sizes: a frequency observed on a handful of rows at the top of the range
    (a few places in one bad month) then cannot become a knot of its own.
    """
    from sklearn.isotonic import IsotonicRegression

    yy = _outcomes(y)
    x = _values(p_raw, yy.size, "raw values", unit=False)
    if not 0.0 <= floor <= 1.0:
        raise ValueError(f"floor must lie in [0, 1], got {floor!r}")
    weights = np.ones(x.size)
    target = yy.astype(np.float64)
    if min_rows > 1 and x.size >= 2 * min_rows:
        order = np.argsort(x, kind="stable")
        run = np.minimum(np.arange(x.size) // min_rows, x.size // min_rows - 1)
        sizes = np.bincount(run).astype(np.float64)
        x = np.bincount(run, weights=x[order]) / sizes
        target = np.bincount(run, weights=target[order]) / sizes
        weights = sizes
    iso = IsotonicRegression(y_min=floor, y_max=1.0, increasing=True, out_of_bounds="clip")
    iso.fit(x, target, sample_weight=weights)
    return iso.X_thresholds_.tolist(), iso.y_thresholds_.tolist()


def baseline_probability(
    train_counts: ArrayLike, train_y: ArrayLike, counts: ArrayLike
) -> np.ndarray:
    """A count baseline as a probability: the isotonic map from count to observed frequency
    fitted on the training period (`train_counts`, `train_y`), applied to `counts`."""
    xs, ys = fit_isotonic(train_counts, train_y, floor=0.0)
    return apply_map(xs, ys, counts, floor=0.0)


def fit_logistic(X: ArrayLike, y: ArrayLike, C: float) -> tuple[float, list[float]]:
    """Intercept and one coefficient per column of `X` (plain floats, on X's own scale).

    The L2 penalty (inverse strength `C`) applies to standardised columns, so it does not
    depend on the units a feature happens to be counted in; the coefficients are then carried
    back to the raw columns, so `logistic_probability(intercept, coefficients, X)` needs no
    scaler. L-BFGS from zero is deterministic: the same data give the same numbers.
    """
    from sklearn.linear_model import LogisticRegression

    yy = _outcomes(y)
    xx = np.asarray(X, dtype=np.float64)
    if xx.ndim != 2 or xx.shape[0] != yy.size:
        raise ValueError(f"X must have shape ({yy.size}, k) like the outcomes, got {xx.shape}")
    if not np.isfinite(xx).all():
        raise ValueError("X must be finite")
    if yy.min() == yy.max():
        raise ValueError(f"a logistic fit needs both outcomes; every outcome here is {yy[0]}")
    if not C > 0:
        raise ValueError(f"C must be positive, got {C!r}")
    mean = xx.mean(axis=0)
    sd = xx.std(axis=0)
    sd[sd == 0] = 1.0  # a constant column: centred to zeros, its coefficient stays 0
    model = LogisticRegression(C=C, max_iter=10_000)
    model.fit((xx - mean) / sd, yy)
    beta = model.coef_[0] / sd
    intercept = float(model.intercept_[0] - beta @ mean)
    return intercept, [float(b) for b in beta]


def logistic_probability(
    intercept: float, coefficients: Sequence[float], X: ArrayLike
) -> np.ndarray:
    """The probability a stored logistic fit gives to the rows of `X`.

    The logistic function written with tanh, which neither overflows nor warns at any z."""
    z = intercept + np.asarray(X, dtype=np.float64) @ np.asarray(coefficients, dtype=np.float64)
    return 0.5 * (1.0 + np.tanh(0.5 * z))
