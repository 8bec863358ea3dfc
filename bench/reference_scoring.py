"""The slow reference (bench/reference.py), the arithmetic of sections 6 and 7 of docs/method.md:
logistic, the isotonic map, bands, and point rules read literally."""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass

from advisory.rulepack.model import EstimativeBand
from advisory.rulepack.tracks import CalibrationMap, Condition, ScoreRule

# --- scoring: hazards (section 6) and point rules (section 7) ----------------------------------


def logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def calibrate(raw: float, cmap: CalibrationMap) -> float:
    """The isotonic map by linear interpolation between knots, flat beyond them. Written as
    y0 + slope x (raw - x0), so that a flat piece gives its y exactly (a likelihood of exactly
    0.2 is Medium, not Low)."""
    xs, ys = cmap.x, cmap.y
    if raw <= xs[0]:
        return ys[0]
    if raw >= xs[-1]:
        return ys[-1]
    k = bisect.bisect_right(xs, raw) - 1
    x0, x1, y0, y1 = xs[k], xs[k + 1], ys[k], ys[k + 1]
    return y0 + (y1 - y0) * (raw - x0) / (x1 - x0)


def band_level(p: float, bands: list[float]) -> int:
    """1 (Negligible) plus one for each band edge the likelihood reaches."""
    return 1 + sum(p >= b for b in bands)


def estimative_word(p: float, words: list[EstimativeBand]) -> str:
    """The ICD 203 word whose band holds the likelihood (pack.yaml: upper bounds exclusive;
    the last band ends at 1 inclusive)."""
    return next((w.word for w in words if p < w.max), words[-1].word)


def condition_holds(cond: Condition, numbers: dict[str, float]) -> bool:
    value = numbers[cond.feature]
    if cond.gte is not None:
        return value >= cond.gte
    if cond.gt is not None:
        return value > cond.gt
    if cond.lte is not None:
        return value <= cond.lte
    if cond.lt is not None:
        return value < cond.lt
    return value == cond.eq


def threshold_level(score: float, thresholds: list[float]) -> int:
    """A score at or above thresholds[k] gives level k + 2."""
    return 1 + sum(score >= t for t in thresholds)


@dataclass
class Track:
    score: float
    level: int
    fired: dict[str, float]  # rule id -> its points (rounded to 2 decimals)
    decisive: dict[str, bool]
    exact: dict[str, float]  # rule id -> its points before rounding


def track_of(exact: dict[str, float], thresholds: list[float]) -> Track:
    """Score, level and decisive rules from the fired rules' points: points rounded to 2
    decimals, the score the rounded sum; decisive when without it the level would be lower."""
    fired = {rid: round(p, 2) for rid, p in exact.items()}
    score = round(sum(fired.values()), 2)
    level = threshold_level(score, thresholds)
    decisive = {
        rid: threshold_level(round(sum(p for r, p in fired.items() if r != rid), 2), thresholds)
        < level
        for rid in fired
    }
    return Track(score, level, fired, decisive, exact)


def score_rules(
    rules: list[ScoreRule], numbers: dict[str, float], thresholds: list[float]
) -> Track:
    """Section 7, read literally: a rule fires when its conditions hold and it scores more
    than 0 points (a number, or min(cap, per_unit x feature))."""
    exact: dict[str, float] = {}
    for rule in rules:
        if not all(condition_holds(c, numbers) for c in rule.when):
            continue
        if isinstance(rule.points, int | float):
            points = float(rule.points)
        else:
            points = min(rule.points.cap, rule.points.per_unit * numbers[rule.points.feature])
        if points > 0:
            exact[rule.id] = points
    return track_of(exact, thresholds)
