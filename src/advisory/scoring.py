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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from itertools import chain, repeat

import numpy as np

from .featurenames import DAYS_SINCE, NONE_DAYS, default_value
from .features import Evidence, Features, FeatureTable, RankedEvidence
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


def render_rows(
    template: str, table: FeatureTable, at: list[int], points: list[float]
) -> list[str]:
    """`render_because` for many locations of a table at once (the same text, row by row):
    one pass per placeholder, each distinct number formatted once (counts repeat a lot)."""
    parts = _template(template)
    if len(parts) == 1:
        return [parts[0]] * len(at)
    columns: list[Iterable[str]] = [repeat(parts[0])]
    for k in range(1, len(parts), 2):
        key = parts[k]
        if key == "points":
            memo = {v: _fmt(v) for v in set(points)}
            column = [memo[v] for v in points]
        else:
            values = table.column(key)[at].tolist()
            memo = {v: _fmt(v, key) for v in set(values)}
            texts = table.texts.get(key)
            if texts is None:
                column = [memo[v] for v in values]
            else:
                words = [texts[i] for i in at]
                pairs = zip(words, values, strict=True)
                column = [w if w is not None else memo[v] for w, v in pairs]
        columns += [column, repeat(parts[k + 1])]
    return ["".join(row) for row in zip(*columns)]  # noqa: B905 (literals repeat)


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


_CENTS = 10.0**2  # two decimals, as `score` rounds
_FINE = 2.0**44  # below this a double's spacing is under 0.002, far below a cent


def _round2(values: np.ndarray) -> np.ndarray:
    """Python's round (correctly rounded), not np.round (which can differ in the last digit):
    the per-location `score` must give the very same numbers.

    A value that already is the double nearest to k/100 (about half of them: caps, fixed
    points, sums of those) rounds to itself; only the others go through Python's round."""
    with np.errstate(over="ignore"):  # huge values go through Python's round below
        out = np.rint(values * _CENTS) / _CENTS
    other = np.flatnonzero((out != values) | ~(np.abs(values) < _FINE))
    out[other] = [round(v, 2) for v in values[other].tolist()]
    return out


def _evidence_rows(table: FeatureTable, keys: list[str], at: np.ndarray) -> list[list[str]]:
    """`_evidence` for many locations at once: the ids behind the keys, each once, in order.

    Ranked event evidence is gathered with one NumPy call for all the locations, not one each."""
    found: list[Evidence] = []
    for key in keys:
        ev = table.evidence.get(key)
        if ev is not None and all(ev is not f for f in found):  # a repeat adds nothing new
            found.append(ev)
    if not found:
        return [[] for _ in range(at.size)]
    per_key = [_lists_at(ev, at) for ev in found]
    if len(per_key) == 1:
        return [list(dict.fromkeys(ids)) for ids in per_key[0]]
    return [list(dict.fromkeys(chain.from_iterable(ids))) for ids in zip(*per_key, strict=True)]


def _lists_at(ev: Evidence, at: np.ndarray) -> list[list[str]]:
    if not isinstance(ev, RankedEvidence):
        return [ev[i] for i in at.tolist()]
    lo, hi = ev.starts[at], ev.starts[at + 1]
    width = hi - lo
    ends = np.cumsum(width)
    picks = np.repeat(lo - (ends - width), width) + np.arange(int(ends[-1]) if ends.size else 0)
    ids = ev.event_ids[ev.rows[picks]].tolist()
    bounds = [0, *ends.tolist()]
    return [ids[bounds[j] : bounds[j + 1]] for j in range(at.size)]


@dataclass
class FiredRows:
    """Every (rule, location) pair where a rule fired, as columns (rule by rule)."""

    loc: np.ndarray  # location index
    rule: list[str]
    hazard: list[str | None]
    points: list[float]
    decisive: list[bool]
    because: list[str]
    evidence: list[list[str]]

    @classmethod
    def at_one(cls, fired: list[Fired]) -> FiredRows:
        """The rules that fired at one location (a `score` trace), as rows."""
        return cls(
            np.zeros(len(fired), dtype=np.int64),
            [f.rule for f in fired],
            [f.hazard for f in fired],
            [float(f.points) for f in fired],
            [f.decisive for f in fired],
            [f.because for f in fired],
            [list(f.evidence) for f in fired],
        )

    def __len__(self) -> int:
        return self.loc.size

    def __add__(self, other: FiredRows) -> FiredRows:
        return FiredRows(
            np.concatenate([self.loc, other.loc]),
            self.rule + other.rule,
            self.hazard + other.hazard,
            self.points + other.points,
            self.decisive + other.decisive,
            self.because + other.because,
            self.evidence + other.evidence,
        )

    def strongest_first(self) -> np.ndarray:
        """The order `score` lists fired rules in: by location, then (-points, rule) (stable)."""
        rank = {r: k for k, r in enumerate(sorted(set(self.rule)))}
        rule_rank = np.array([rank[r] for r in self.rule], dtype=np.int64)
        return np.lexsort((rule_rank, -np.array(self.points, dtype=np.float64), self.loc))


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

    def fired_rows(self, table: FeatureTable) -> FiredRows:
        """Every rule that fired, at every location, with its sentence and evidence as `score`
        gives them; rule by rule, so each sentence and evidence list is made in one pass."""
        rule_of, loc = np.nonzero(self.fired)
        points = self.points[rule_of, loc].tolist()
        bounds = np.searchsorted(rule_of, np.arange(len(self.rules) + 1)).tolist()
        rule, hazard, because, evidence = [], [], [], []
        for k, r in enumerate(self.rules):
            a, b = bounds[k], bounds[k + 1]
            if a == b:
                continue
            at = loc[a:b]
            rule += [r.id] * (b - a)
            hazard += [r.hazard] * (b - a)
            because += render_rows(r.because, table, at.tolist(), points[a:b])
            evidence += _evidence_rows(table, self.keys[k], at)
        decisive = self.decisive[rule_of, loc].tolist()
        return FiredRows(loc, rule, hazard, points, decisive, because, evidence)


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
