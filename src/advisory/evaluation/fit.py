"""Fit one hazard's model on a training period: the exposures' half-lives, radii and signal
weights (each chosen from the grid its term gives in personal_security.yaml), then the logistic
weights of ln(1 + exposure), the isotonic calibration map, the base-rate floor and the level
bands. Every fit is scikit-learn's (through `metrics`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from ..features.exposure import Catchment, ages_at, catchment, exposure_at, signal_weights
from ..rulepack.model import Exposure, PerGeometry
from ..rulepack.tracks import Hazard
from . import metrics
from .history import History

C_PENALTY = 1.0  # logistic L2 (on standardised columns): mild, the terms are few
MIN_ROWS_PER_KNOT = 50  # the calibration map pools at least this many training rows per knot
ICD_EDGES = (0.05, 0.20, 0.45, 0.55, 0.80, 0.95)  # where an estimative word begins
DEFAULT_BANDS = [0.05, 0.20, 0.45, 0.80]
# other edges must rank the training outcomes this much better (AUC) to replace the
# conventional ones: Extreme as "very likely" is what readers expect
BAND_AUC_MARGIN = 0.005


def _scaled(exp: Exposure, radius: PerGeometry) -> Exposure:
    """The exposure at another radius, its full-weight distance scaled alike."""
    kp = exp.full_weight_km.point / exp.radius_km.point if exp.radius_km.point else 0
    kr = exp.full_weight_km.route / exp.radius_km.route if exp.radius_km.route else 0
    full = PerGeometry(point=radius.point * kp, route=radius.route * kr)
    return exp.model_copy(update={"radius_km": radius, "full_weight_km": full})


@dataclass
class Series:
    """One exposure, its reach at the widest radius tried, measured at every training date."""

    history: History
    dates: list[date]
    widest: Catchment

    @classmethod
    def widest_of(
        cls, history: History, dates: list[date], exp: Exposure, radii: list[PerGeometry]
    ) -> Series:
        far = PerGeometry(
            point=max(r.point for r in [exp.radius_km, *radii]),
            route=max(r.route for r in [exp.radius_km, *radii]),
        )
        wide = _scaled(exp, far).model_copy(update={"signals": dict.fromkeys(exp.signals, 1.0)})
        weights = signal_weights(wide, history.signals)
        precision = history.events["precision"].to_numpy()
        sites = history.reach.sites
        return cls(history, dates, catchment(wide, history.gaz, sites, precision, weights))

    def values(self, exp: Exposure) -> np.ndarray:
        """The exposure at every location and date (dates x locations, flattened)."""
        catch = self.widest.within(exp.radius_km.point, exp.radius_km.route).reweighted(
            signal_weights(exp, self.history.signals)
        )
        n = self.history.n
        out = [
            exposure_at(exp, catch, ages_at(self.history.days, d), n).columns["exposure"]
            for d in self.dates
        ]
        return np.concatenate(out)


def log_loss(X: np.ndarray, y: np.ndarray) -> float:
    """Training log-loss of the logistic fit on ln(1 + X): what the grid search minimises."""
    intercept, coefs = fit_weights(X, y)
    p = np.clip(metrics.logistic_probability(intercept, coefs, np.log1p(X)), 1e-9, 1 - 1e-9)
    return float(-(y * np.log(p) + (1 - y) * np.log(1 - p)).mean())


def _candidates(exp: Exposure, grid: Any) -> list[Exposure]:
    out = [exp]
    out += [
        exp.model_copy(update={"half_life_days": h})
        for h in grid.half_life_days
        if h != exp.half_life_days
    ]
    out += [_scaled(exp, r) for r in grid.radius_km if r != exp.radius_km]
    for sig in exp.signals:
        for w in grid.signal_weights:
            if w != exp.signals[sig]:
                out.append(exp.model_copy(update={"signals": {**exp.signals, sig: w}}))
    return out


def fit_exposures(
    hazard: Hazard,
    exposures: dict[str, Exposure],
    history: History,
    dates: list[date],
    y: np.ndarray,
    passes: int = 2,
) -> dict[str, Exposure]:
    """Coordinate descent over each term's grid: one setting changed at a time, kept when it
    lowers the training log-loss of the whole model."""
    chosen = {t.exposure: exposures[t.exposure] for t in hazard.terms}
    grids = {t.exposure: t.fit for t in hazard.terms}
    series = {n: Series.widest_of(history, dates, e, grids[n].radius_km) for n, e in chosen.items()}
    cols = {n: series[n].values(e) for n, e in chosen.items()}
    names = list(chosen)
    best = log_loss(np.column_stack([cols[n] for n in names]), y)
    for _ in range(passes):
        improved = False
        for name in names:
            for cand in _candidates(chosen[name], grids[name])[1:]:
                trial = {**cols, name: series[name].values(cand)}
                loss = log_loss(np.column_stack([trial[n] for n in names]), y)
                if loss < best - 1e-6:
                    best, chosen[name], cols, improved = loss, cand, trial, True
        if not improved:
            break
    return chosen


def choose_bands(p: np.ndarray, y: np.ndarray) -> list[float]:
    """Four band edges, each where an ICD 203 word begins (so a level always covers whole
    estimative words and never contradicts its word), chosen for the best ranking of the
    training outcomes by level; unless others rank clearly better (`BAND_AUC_MARGIN`), the
    conventional edges stay."""
    from itertools import combinations

    best, best_auc = (
        DEFAULT_BANDS,
        metrics.roc_auc(y, np.searchsorted(DEFAULT_BANDS, p, side="right")),
    )
    for edges in combinations(ICD_EDGES, 4):
        auc = metrics.roc_auc(y, np.searchsorted(edges, p, side="right"))
        if auc is not None and best_auc is not None and auc > best_auc + BAND_AUC_MARGIN:
            best, best_auc = list(edges), auc
    return best


def floor_of(p_raw: np.ndarray, y: np.ndarray, x_knots: list[float]) -> float:
    """The base-rate floor: the smoothed outcome frequency among the training rows the map
    puts lowest ((positives + 1) / (rows + 2)), so no place is ever given exactly 0 %."""
    low = p_raw <= (x_knots[1] if len(x_knots) > 1 else x_knots[0])
    return float((y[low].sum() + 1) / (low.sum() + 2))


def fit_weights(X: np.ndarray, y: np.ndarray) -> tuple[float, list[float]]:
    """Logistic weights of ln(1 + each column), none negative: more violence never lowers a
    likelihood. A term the fit would weigh below zero (its information already carried by
    the others) is left out and the rest refitted, until every weight is positive or zero."""
    keep = list(range(X.shape[1]))
    while True:
        intercept, coefs = metrics.fit_logistic(np.log1p(X[:, keep]), y, C_PENALTY)
        if min(coefs, default=0.0) >= 0 or len(keep) == 1:
            full = [0.0] * X.shape[1]
            for k, c in zip(keep, coefs, strict=True):
                full[k] = max(c, 0.0)
            return intercept, full
        keep.pop(int(np.argmin(coefs)))


def fit_model(names: list[str], X: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    """Logistic weights, calibration map, floor and bands from the training rows."""
    intercept, coefs = fit_weights(X, y)
    raw = metrics.logistic_probability(intercept, coefs, np.log1p(X))
    xs, ys = metrics.fit_isotonic(raw, y, floor=0.0, min_rows=MIN_ROWS_PER_KNOT)
    floor = floor_of(raw, y, xs)
    p = metrics.apply_map(xs, ys, raw, floor)
    return {
        "intercept": round(intercept, 6),
        "coefficients": {n: round(c, 6) for n, c in zip(names, coefs, strict=True)},
        "calibration": _rounded_map(xs, ys),
        "floor": round(floor, 6),
        "climatology": round(float(y.mean()), 6),
        "bands": choose_bands(p, y),
    }


def _rounded_map(xs: list[float], ys: list[float]) -> dict[str, list[float]]:
    """The map's knots to 6 decimals, keeping x strictly increasing."""
    out_x: list[float] = []
    out_y: list[float] = []
    for x, v in zip(xs, ys, strict=True):
        rx = round(x, 6)
        if out_x and rx <= out_x[-1]:
            out_y[-1] = max(out_y[-1], round(v, 6))
            continue
        out_x.append(rx)
        out_y.append(round(v, 6))
    if len(out_x) == 1:
        out_x, out_y = [0.0, 1.0], [out_y[0], out_y[0]]
    return {"x": out_x, "y": out_y}
