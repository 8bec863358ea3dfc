"""Apply point rules to features: scores, levels, and a trace of every rule.

Like OPA's decision trace, the result says which rules fired, with how many points, whether each
was decisive (without it the level would be lower), what evidence stood behind it, and for rules
that did not fire, why not.

Two implementations of the same arithmetic: `score` takes one location and keeps the full trace
(the obviously-correct one, used by `explain`); `score_table` scores every location at once with
NumPy (used by the engine, because 10,000 locations x dozens of rules in Python is too slow).
Tests hold them to identical results.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from .featurenames import DAYS_SINCE, NONE_DAYS, default_value
from .features import Features, FeatureTable
from .rulepack.model import ScoreRule

PLACEHOLDER = re.compile(r"\{([a-z0-9_.]+)\}")
_OPS = {
    "gte": lambda a, b: a >= b,
    "gt": lambda a, b: a > b,
    "lte": lambda a, b: a <= b,
    "lt": lambda a, b: a < b,
    "eq": lambda a, b: a == b,
}
_OP_WORDS = {"gte": ">=", "gt": ">", "lte": "<=", "lt": "<", "eq": "=="}


@dataclass
class Fired:
    rule: str
    points: float
    because: str
    evidence: list[str]
    hazard: str | None = None
    decisive: bool = False


@dataclass
class NotFired:
    rule: str
    why: str
    hazard: str | None = None


@dataclass
class Scored:
    score: float
    level: int
    fired: list[Fired] = field(default_factory=list)
    not_fired: list[NotFired] = field(default_factory=list)


def level_for(score: float, thresholds: list[float]) -> int:
    return 1 + sum(score >= t for t in thresholds)


def _fmt(value: float, name: str = "") -> str:
    if value >= NONE_DAYS and name.startswith(DAYS_SINCE):
        return "none"
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


@cache
def _template(template: str) -> tuple[str, ...]:
    """Literal text and placeholder names, alternating (even items are literals)."""
    return tuple(PLACEHOLDER.split(template))


def _render(
    template: str,
    points: float,
    text: Callable[[str], str | None],
    number: Callable[[str], float],
) -> str:
    parts = _template(template)
    out = list(parts)
    for k in range(1, len(parts), 2):
        key = parts[k]
        if key == "points":
            out[k] = _fmt(points)
        else:
            t = text(key)
            out[k] = t if t is not None else _fmt(number(key), key)
    return "".join(out)


def render_because(template: str, ft: Features, points: float) -> str:
    return _render(
        template, points, ft.texts.get, lambda key: ft.numbers.get(key, default_value(key))
    )


def _render_at(template: str, table: FeatureTable, i: int, points: float) -> str:
    """`render_because` for location i of a table, without building its whole Features."""
    return _render(
        template,
        points,
        lambda key: table.texts[key][i] if key in table.texts else None,
        lambda key: float(table.column(key)[i]),
    )


def _evidence(rule: ScoreRule, ft: Features) -> list[str]:
    seen: dict[str, None] = {}
    for k in _evidence_keys(rule):
        for i in ft.evidence.get(k, []):
            seen.setdefault(i, None)
    return list(seen)


def score(
    rules: list[ScoreRule], ft: Features, thresholds: list[float], hazard: str | None = None
) -> Scored:
    """Score one track (or one hazard) of one location."""
    fired: list[Fired] = []
    not_fired: list[NotFired] = []
    for rule in rules:
        if hazard is not None and rule.hazard != hazard:
            continue
        failed = next(
            (
                c
                for c in rule.when
                if not _OPS[c.op[0]](ft.numbers.get(c.feature, default_value(c.feature)), c.op[1])
            ),
            None,
        )
        if failed is not None:
            op, val = failed.op
            have = _fmt(
                ft.numbers.get(failed.feature, default_value(failed.feature)), failed.feature
            )
            why = f"{failed.feature} is {have}, needs {_OP_WORDS[op]} {_fmt(val)}"
            not_fired.append(NotFired(rule.id, why, rule.hazard))
            continue
        if isinstance(rule.points, int | float):
            pts = float(rule.points)
        else:
            sp = rule.points
            pts = min(sp.cap, sp.per_unit * ft.numbers.get(sp.feature, default_value(sp.feature)))
        if pts <= 0:
            not_fired.append(
                NotFired(rule.id, "conditions hold but it scores 0 points", rule.hazard)
            )
            continue
        fired.append(
            Fired(
                rule.id,
                round(pts, 2),
                render_because(rule.because, ft, pts),
                _evidence(rule, ft),
                rule.hazard,
            )
        )
    total = 0.0
    for f in fired:  # a plain left fold, in rule order: score_table adds in the same order
        total += f.points
    total = round(total, 2)
    level = level_for(total, thresholds)
    for f in fired:
        f.decisive = level_for(total - f.points, thresholds) < level
    fired.sort(key=lambda f: (-f.points, f.rule))
    return Scored(total, level, fired, not_fired)


def _evidence_keys(rule: ScoreRule) -> list[str]:
    keys = [c.feature for c in rule.when]
    if not isinstance(rule.points, int | float):
        keys.insert(0, rule.points.feature)
    return keys


_NP_OPS = {
    "gte": np.greater_equal,
    "gt": np.greater,
    "lte": np.less_equal,
    "lt": np.less,
    "eq": np.equal,
}


def _round2(values: np.ndarray) -> np.ndarray:
    # Python's round (correctly rounded), not np.round (which can differ in the last digit):
    # the per-location `score` must give the very same numbers.
    return np.array([round(v, 2) for v in values.tolist()], dtype=np.float64)


@dataclass
class TableScore:
    """One track (or hazard) scored at every location; rule-by-location matrices."""

    rules: list[ScoreRule]
    keys: list[list[str]]  # per rule: the features whose evidence stands behind it
    score: np.ndarray  # (locations,)
    level: np.ndarray  # (locations,) ints
    points: np.ndarray  # (rules, locations): rounded points where fired, else 0
    fired: np.ndarray  # (rules, locations) bool
    decisive: np.ndarray  # (rules, locations) bool
    _by_loc: tuple[list[int], list[int], list[float], list[bool]] | None = None

    def fired_at(self, i: int, table: FeatureTable) -> list[Fired]:
        """The rules that fired at location i, as `score` lists them (strongest first)."""
        if self._by_loc is None:
            # one pass over the matrices instead of one NumPy call per location
            loc, rule = np.nonzero(self.fired.T)
            starts = np.searchsorted(loc, np.arange(self.score.size + 1)).tolist()
            rules = rule.tolist()
            pts = self.points.T[loc, rule].tolist()
            dec = self.decisive.T[loc, rule].tolist()
            self._by_loc = (starts, rules, pts, dec)
        starts, rules, pts, dec = self._by_loc
        out = []
        for k in range(starts[i], starts[i + 1]):
            rule = self.rules[rules[k]]
            seen: dict[str, None] = {}
            for key in self.keys[rules[k]]:
                ev = table.evidence.get(key)
                if ev is not None:
                    seen.update(dict.fromkeys(ev[i]))
            out.append(
                Fired(
                    rule.id,
                    pts[k],
                    _render_at(rule.because, table, i, pts[k]),
                    list(seen),
                    rule.hazard,
                    dec[k],
                )
            )
        out.sort(key=lambda f: (-f.points, f.rule))
        return out


def levels_for(scores: np.ndarray, thresholds: list[float]) -> np.ndarray:
    level = np.ones(scores.shape, dtype=np.int64)
    for t in thresholds:
        level += scores >= t
    return level


def score_table(
    rules: list[ScoreRule],
    table: FeatureTable,
    thresholds: list[float],
    hazard: str | None = None,
) -> TableScore:
    """Score one track (or one hazard) at every location at once; same arithmetic as `score`."""
    chosen = [r for r in rules if hazard is None or r.hazard == hazard]
    n = table.size
    points = np.zeros((len(chosen), n))
    fired = np.zeros((len(chosen), n), dtype=bool)
    total = np.zeros(n)
    for k, rule in enumerate(chosen):
        hold = np.ones(n, dtype=bool)
        for c in rule.when:
            hold &= _NP_OPS[c.op[0]](table.column(c.feature), c.op[1])
        if isinstance(rule.points, int | float):
            pts = np.full(n, float(rule.points))
        else:
            sp = rule.points
            pts = np.minimum(sp.cap, sp.per_unit * table.column(sp.feature))
        hit = hold & (pts > 0)
        rounded = np.zeros(n)
        rounded[hit] = _round2(pts[hit])
        points[k], fired[k] = rounded, hit
        total += rounded  # adding 0.0 where not fired leaves a float unchanged
    total = _round2(total)
    level = levels_for(total, thresholds)
    decisive = fired & (levels_for(total[None, :] - points, thresholds) < level[None, :])
    keys = [_evidence_keys(r) for r in chosen]
    return TableScore(chosen, keys, total, level, points, fired, decisive)
