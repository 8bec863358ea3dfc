"""`advisory backtest`: roll the as-of date over a period, predict with the rule pack using only
the data known at each step, and score the predictions against what happened next.

As conflict forecasters do (ViEWS, ACLED CAST): ROC AUC for the ranking, Brier score and Brier
skill against climatology for calibration and sharpness, a reliability table per ICD 203 band,
and two baselines beside the pack: the count of the outcome's events in the previous 90 days and
in the previous 730 days.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np

from ..ingest.guidance import GuidanceEntry
from ..rulepack import RulePack
from ..scoring.hazards import combine, over_days, score_hazards
from . import metrics
from .history import History, steps

BASELINES = (90, 730)  # days of the naive count baselines


def word_bands(pack: RulePack) -> list[metrics.Band]:
    """The pack's estimative words (ICD 203 in the shipped pack) as (word, from, to) bands."""
    words = pack.info.likelihood.words
    lows = [0.0, *(w.max for w in words[:-1])]
    return [(w.word, lo, w.max) for w, lo in zip(words, lows, strict=True)]


@dataclass
class Predictions:
    """Stacked over dates and locations: what was predicted and what happened."""

    dates: list[date] = field(default_factory=list)
    y: dict[str, list[np.ndarray]] = field(default_factory=dict)
    p: dict[str, list[np.ndarray]] = field(default_factory=dict)
    score: dict[str, list[np.ndarray]] = field(default_factory=dict)
    counts: dict[tuple[str, int], list[np.ndarray]] = field(default_factory=dict)

    def add(self, key: str, y: np.ndarray, p: np.ndarray, score: np.ndarray) -> None:
        self.y.setdefault(key, []).append(y.astype(np.int64))
        self.p.setdefault(key, []).append(p)
        self.score.setdefault(key, []).append(score)

    def stacked(self, key: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return (
            np.concatenate(self.y[key]),
            np.concatenate(self.p[key]),
            np.concatenate(self.score[key]),
        )

    def count(self, key: str, window: int) -> np.ndarray:
        return np.concatenate(self.counts[(key, window)])


def predict(
    history: History,
    dates: list[date],
    horizon: int,
    guidance: list[GuidanceEntry],
    tick: Callable[[], None] | None = None,
) -> Predictions:
    """Each hazard's likelihood over `horizon` days, the place's level (and its probability:
    the highest hazard likelihood, the place's `personal_security.score` — the hazards'
    outcomes overlap, so their union is not their independent combination), what happened,
    and the count baselines."""
    pack = history.pack
    span = pack.info.likelihood.horizon_days
    out = Predictions()
    for as_of in dates:
        m = history.measure(as_of, guidance)
        hazards = score_hazards(pack, m.table, guidance, m.in_force)
        combined = combine(pack, hazards, m.table)
        top = np.zeros(history.n)
        y_any = np.zeros(history.n, dtype=bool)
        for name, hs in hazards.items():
            p = over_days(hs.likelihood, horizon, span)
            y = history.outcome(name, as_of, horizon)
            out.add(name, y, p, hs.log_odds)
            top = np.maximum(top, p)
            y_any |= y
            for w in BASELINES:
                out.counts.setdefault((name, w), []).append(history.counts(name, as_of, w))
        out.add("level", y_any, top, combined.level.astype(np.float64))
        for w in BASELINES:  # the level's baseline: the hazards' counts of this date, summed
            total = np.sum([out.counts[(h, w)][-1] for h in hazards], axis=0)
            out.counts.setdefault(("level", w), []).append(total)
        out.dates.append(as_of)
        if tick is not None:
            tick()
    return out


def _scores(s: metrics.Scores) -> dict[str, Any]:
    def r(v: float | None) -> float | None:
        return None if v is None else round(v, 4)

    return {
        "n": s.n,
        "base_rate": r(s.base_rate),
        "auc": r(s.auc),
        "brier": r(s.brier),
        "brier_skill": r(s.brier_skill),
    }


def evaluate_key(
    test: Predictions,
    key: str,
    climatology: float,
    train: Predictions | None,
    bands: list[metrics.Band],
) -> dict[str, Any]:
    """One hazard (or the level): the pack and the two baselines, plus its reliability."""
    y, p, score = test.stacked(key)
    out: dict[str, Any] = {"outcomes": int(y.sum())}
    out["model"] = _scores(metrics.scores(y, score, p, climatology))
    if key == "level":
        out["level_probability"] = _scores(metrics.scores(y, p, p, climatology))
    ty = train.stacked(key)[0] if train is not None and train.dates else None
    for w in BASELINES:
        counts = test.count(key, w)
        prob = None
        if train is not None and ty is not None and ty.min() != ty.max():
            prob = metrics.baseline_probability(train.count(key, w), ty, counts)
        out[f"count_{w}d"] = _scores(metrics.scores(y, counts, prob, climatology))
    out["reliability"] = [row.__dict__ for row in metrics.reliability(y, p, bands)]
    return out


def climatology(history: History, key: str, horizon: int, train: Predictions | None) -> float:
    """The base rate a forecast must beat: what happened in the year before the period, at the
    same locations (data known then), or, without that year, the pack's training base rate."""
    if train is not None and train.dates:
        return float(train.stacked(key)[0].mean())
    pack = history.pack
    if key == "level":
        return float(pack.model.fitted.get("level_climatology", 0.0))
    p = np.array([pack.model.hazards[key].climatology])
    return float(over_days(p, horizon, pack.info.likelihood.horizon_days)[0])


def backtest(
    history: History,
    start: date,
    end: date,
    *,
    horizon: int = 30,
    step_days: int | None = None,
    guidance: list[GuidanceEntry] | None = None,
    tick: Callable[[], None] | None = None,
) -> dict[str, Any]:
    """Roll as-of from `start` to `end` and score every hazard and the level. The baselines'
    counts are turned into probabilities on the year before `start` (data known then)."""
    entries = guidance or []
    dates = steps(start, end, step_days)
    if not dates:
        raise ValueError(f"no as-of date between {start} and {end}")
    first, _ = history.span()
    warm = steps(max(first, start - timedelta(days=365)), start - timedelta(days=1), step_days)
    train = predict(history, warm, horizon, entries) if warm else None
    test = predict(history, dates, horizon, entries, tick)
    result: dict[str, Any] = {
        "from": str(dates[0]),
        "to": str(dates[-1]),
        "steps": len(dates),
        "horizon_days": horizon,
        "locations": history.n,
    }
    result["climatology_from"] = (
        "the year before --from, at these locations" if train else "the rule pack's training period"
    )
    for key in [*history.pack.personal_security.hazards, "level"]:
        clim = climatology(history, key, horizon, train)
        result[key] = evaluate_key(test, key, clim, train, word_bands(history.pack))
    result["level_counts"] = {
        str(k): int((test.stacked("level")[2] == k).sum()) for k in range(1, 6)
    }
    return result
