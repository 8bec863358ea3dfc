"""Apply point rules to features: scores, levels, and a trace of every rule.

Like OPA's decision trace, the result says which rules fired, with how many points, whether each
was decisive (without it the level would be lower), what evidence stood behind it, and for rules
that did not fire, why not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .features import NONE_DAYS, Features
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


# features that hold "days since"; NONE_DAYS there means "no such event"
_DAYS = ("latest_days.", "control.last_raid_days")


def _fmt(value: float, name: str = "") -> str:
    if value >= NONE_DAYS and name.startswith(_DAYS):
        return "none"
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def render_because(template: str, ft: Features, points: float) -> str:
    def sub(m: re.Match[str]) -> str:
        key = m.group(1)
        if key == "points":
            return _fmt(points)
        if key in ft.texts:
            return ft.texts[key]
        return _fmt(ft.numbers.get(key, 0.0), key)

    return PLACEHOLDER.sub(sub, template)


def _evidence(rule: ScoreRule, ft: Features) -> list[str]:
    keys = [c.feature for c in rule.when]
    if not isinstance(rule.points, int | float):
        keys.insert(0, rule.points.feature)
    seen: dict[str, None] = {}
    for k in keys:
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
            (c for c in rule.when if not _OPS[c.op[0]](ft.numbers.get(c.feature, 0.0), c.op[1])),
            None,
        )
        if failed is not None:
            op, val = failed.op
            have = _fmt(ft.numbers.get(failed.feature, 0.0), failed.feature)
            why = f"{failed.feature} is {have}, needs {_OP_WORDS[op]} {_fmt(val)}"
            not_fired.append(NotFired(rule.id, why, rule.hazard))
            continue
        if isinstance(rule.points, int | float):
            pts = float(rule.points)
        else:
            sp = rule.points
            pts = min(sp.cap, sp.per_unit * ft.numbers.get(sp.feature, 0.0))
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
    total = round(sum(f.points for f in fired), 2)
    level = level_for(total, thresholds)
    for f in fired:
        f.decisive = level_for(total - f.points, thresholds) < level
    fired.sort(key=lambda f: (-f.points, f.rule))
    return Scored(total, level, fired, not_fired)
