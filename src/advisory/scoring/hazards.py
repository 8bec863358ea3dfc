"""The personal-security hazards: a calibrated probability of an observable event, its level,
and a bounded, stated step for government guidance.

For each hazard the fitted model (model.yaml) gives log-odds from its terms, each the weight of
ln(1 + exposure); the logistic of that is mapped through the isotonic calibration fitted on
history, floored at a base rate (no place is ever given exactly 0 %). The result is
`likelihood_30d`: the chance of at least one event of the outcome's ACLED types within its
radius in the next 30 days. The level is the band that probability falls in, so a higher level
never carries a lower likelihood. Guidance may then raise a hazard by at most one level, shown
as its own driver; the likelihood stays the evidence's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..features.table import FeatureTable
from ..ingest.guidance import GuidanceEntry
from ..rulepack import RulePack
from ..rulepack.tracks import FittedHazard, GuidanceAdjustment, Hazard
from .calibration import apply_map
from .rules import conditions_hold, levels_for


def log_odds(model: FittedHazard, exposure: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Each term's contribution to the log-odds (weight x ln(1 + exposure))."""
    return {name: w * np.log1p(exposure[name]) for name, w in model.coefficients.items()}


def probability(model: FittedHazard, z: np.ndarray) -> np.ndarray:
    """Calibrated probability from log-odds: the logistic, the isotonic map, the floor."""
    raw = 0.5 * (1.0 + np.tanh(0.5 * z))  # the logistic, without overflow at any z
    return apply_map(model.calibration.x, model.calibration.y, raw, model.floor)


def step_up(level: Any, step: int, max_level: int) -> Any:
    """The guidance step: `step` levels up, never above `max_level`, never below where the
    level was (arrays or single levels)."""
    return np.maximum(level, np.minimum(level + step, max_level))


def for_profile(p: np.ndarray, weight: float) -> np.ndarray:
    """The chance for a staff profile whose exposure is `weight` times the average: a rate
    `weight` times as high, 1 - (1 - p)^weight."""
    return 1.0 - np.power(1.0 - p, weight)


def over_days(p: np.ndarray, days: float, horizon: float) -> np.ndarray:
    """A horizon's chance stretched or shrunk to `days`, at the same rate."""
    return 1.0 - np.power(1.0 - p, days / horizon)


@dataclass
class HazardScore:
    """One hazard at every location."""

    name: str
    log_odds: np.ndarray
    likelihood: np.ndarray
    evidence_level: np.ndarray  # the band the likelihood falls in
    level: np.ndarray  # after guidance
    contributions: dict[str, np.ndarray]  # term exposure -> its share of the log-odds
    decisive: dict[str, np.ndarray]  # term exposure -> without it the level would be lower
    guidance: list[list[str]]  # ids of the guidance that raised the level (empty: none)


def guidance_citing(
    hazard: Hazard, adj: GuidanceAdjustment, entries: list[GuidanceEntry], in_force: list[list[str]]
) -> list[list[str]]:
    """Per location, the entries in force that cite the hazard with a departure action, one
    per issuer — or none when fewer than `min_issuers` governments do."""
    by_id = {e.id: e for e in entries}
    memo: dict[tuple[str, ...], list[str]] = {}
    out = []
    for ids in in_force:
        key = tuple(ids)
        if key not in memo:
            reasons = set(hazard.guidance_reasons)
            citing = [
                by_id[i]
                for i in ids
                if by_id[i].action in adj.actions and set(by_id[i].reasons) & reasons
            ]
            issuers = {e.issuer for e in citing}
            memo[key] = [e.id for e in citing] if len(issuers) >= adj.min_issuers else []
        out.append(memo[key])
    return out


def score_hazard(
    name: str,
    hazard: Hazard,
    model: FittedHazard,
    table: FeatureTable,
    citing: list[list[str]],
    adj: GuidanceAdjustment,
) -> HazardScore:
    """The hazard at every location: calibrated likelihood, its band, the guidance step."""
    exposure = {e: table.column(f"exposure.{e}") for e in model.coefficients}
    parts = log_odds(model, exposure)
    z = model.intercept + sum(parts.values(), np.zeros(table.size))
    p = probability(model, z)
    level = levels_for(p, model.bands)
    decisive = {
        e: levels_for(probability(model, z - c), model.bands) < level for e, c in parts.items()
    }
    raised = np.array([bool(ids) for ids in citing], dtype=bool)
    final = np.where(raised, step_up(level, adj.raise_levels, adj.max_level), level)
    return HazardScore(name, z, p, level, final, parts, decisive, citing)


def score_hazards(
    pack: RulePack, table: FeatureTable, entries: list[GuidanceEntry], in_force: list[list[str]]
) -> dict[str, HazardScore]:
    ps = pack.personal_security
    out = {}
    for name, hazard in ps.hazards.items():
        citing = guidance_citing(hazard, ps.guidance, entries, in_force)
        model = pack.model.hazards[name]
        out[name] = score_hazard(name, hazard, model, table, citing, ps.guidance)
    return out


@dataclass
class Combined:
    """A place's personal-security level from its hazards."""

    level: np.ndarray
    decided_by: list[list[str]]
    escalated: dict[str, np.ndarray]  # escalation id -> where it took High to Extreme
    score: np.ndarray  # the highest hazard likelihood (for ranking)


def combine(pack: RulePack, hazards: dict[str, HazardScore], table: FeatureTable) -> Combined:
    """The worst hazard's level; where the evidence alone (not guidance) puts a hazard at
    High, a severity condition makes it Extreme."""
    names = list(hazards)
    levels = np.stack([hazards[h].level for h in names])
    top = levels.max(axis=0)
    evidence_top = np.stack([hazards[h].evidence_level for h in names]).max(axis=0)
    high, extreme = len(pack.info.levels) - 1, len(pack.info.levels)
    escalated = {}
    for esc in pack.personal_security.combine.extreme_when:
        escalated[esc.id] = (
            (top == high) & (evidence_top == high) & conditions_hold(esc.when, table)
        )
    any_esc = np.zeros(table.size, dtype=bool)
    for hit in escalated.values():
        any_esc |= hit
    level = np.where(any_esc, extreme, top)
    decided = [
        [h for h, lv in zip(names, col, strict=True) if lv == t]
        for col, t in zip(levels.T.tolist(), top.tolist(), strict=True)
    ]
    score = np.stack([hazards[h].likelihood for h in names]).max(axis=0)
    return Combined(level, decided, escalated, score)
