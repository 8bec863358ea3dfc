"""Government guidance in force at each location: how many issuers, how high, who told people
to leave, which reasons they cite. Guidance is evidence about personal security only; the
regime-collapse track never sees these features (`FeatureTable.without_guidance`)."""

from __future__ import annotations

from datetime import date

import numpy as np

from ..ingest.guidance import GuidanceEntry
from ..ingest.places import Gazetteer
from ..rulepack.vocabulary import GUIDANCE_REASONS
from ..text import fold
from .table import FeatureTable, ListEvidence


def _coverage(entry: GuidanceEntry, gaz: Gazetteer) -> np.ndarray:
    """Which locations an entry's scope covers: no scope, or a country only, is the whole
    country; admin1 and areas cover the places in a listed admin1 or within an area's radius
    (a road when any part of it is); another country is never covered."""
    n = len(gaz.places)
    scope = entry.scope
    if scope is None:
        return np.ones(n, dtype=bool)
    country = fold(scope.country)
    same = np.array([c is None or c == country for c in gaz.folded("country")], bool)
    if not scope.admin1 and not scope.areas:
        return same
    hit = np.zeros(n, dtype=bool)
    if scope.admin1:
        wanted = {fold(a) for a in scope.admin1}
        hit |= np.array([a is not None and a in wanted for a in gaz.folded("admin1")], bool)
    for area in scope.areas or []:
        hit |= gaz.km_from(area.lat, area.lon) <= area.radius_km
    return same & hit


GroupFeatures = tuple[dict[str, float], dict[str, str], dict[str, list[str]]]


def _groups(gaz: Gazetteer, live: list[GuidanceEntry]) -> tuple[list[tuple[int, ...]], np.ndarray]:
    """Places grouped by the entries that apply to them: per issuer, the latest-issued entry
    in force that covers the place (`live` is sorted by issue date). Returns each group's
    entry indices (-1: none from that issuer) and each place's group."""
    n = len(gaz.places)
    issuers = sorted({e.issuer for e in live})
    chosen = np.full((len(issuers), n), -1, dtype=np.int64)
    for k, e in enumerate(live):  # ascending: a later entry that also covers a place wins
        chosen[issuers.index(e.issuer), _coverage(e, gaz)] = k
    groups: dict[tuple[int, ...], int] = {}
    group_of = np.array(
        [groups.setdefault(tuple(col), len(groups)) for col in chosen.T.tolist()], dtype=np.int64
    ).reshape(n)
    return list(groups), group_of  # dicts keep insertion order: group g is the g-th key


def _group_features(
    force: list[GuidanceEntry], departure_actions: list[str], reasons: tuple[str, ...]
) -> GroupFeatures:
    """One group's numbers, texts and evidence (the entries in force, sorted by issuer)."""
    ids = [e.id for e in sorted(force, key=lambda e: (-e.level, e.issuer))]
    departure = [e for e in force if e.action in departure_actions]
    numbers = {
        "guidance.issuers": float(len(force)),
        "guidance.max_level": float(max((e.level for e in force), default=0)),
        "guidance.do_not_travel_issuers": float(sum(e.level == 4 for e in force)),
        "guidance.departure_issuers": float(len(departure)),
    }
    evidence = {
        "guidance.issuers": ids,
        "guidance.max_level": ids,
        "guidance.do_not_travel_issuers": ids,
        "guidance.departure_issuers": [e.id for e in departure],
    }
    for r in reasons:
        numbers[f"guidance.reason.{r}"] = float(sum(r in e.reasons for e in force))
        evidence[f"guidance.reason.{r}"] = [e.id for e in force if r in e.reasons]
    cited = sorted({r for e in force for r in e.reasons})
    texts = {
        "guidance.issuer_list": ", ".join(e.issuer for e in force) or "none",
        "guidance.departure_list": ", ".join(e.issuer for e in departure) or "none",
        "guidance.reasons_list": ", ".join(cited) or "none",
    }
    return numbers, texts, evidence


def add_guidance_features(
    table: FeatureTable,
    gaz: Gazetteer,
    entries: list[GuidanceEntry],
    as_of: date,
    departure_actions: list[str],
    reasons: tuple[str, ...] = GUIDANCE_REASONS,
) -> list[list[str]]:
    """Guidance features; returns the ids in force per location (for the assessment).

    Places are grouped by the entries that apply to them (a handful of groups, even for
    10,000 places), and each group's features are worked out once."""
    live = sorted((e for e in entries if e.in_force(as_of)), key=lambda e: (e.issued, e.id))
    groups, group_of = _groups(gaz, live)
    forces = [[live[k] for k in sig if k >= 0] for sig in groups]
    per_group = [_group_features(force, departure_actions, reasons) for force in forces]
    if not per_group:  # no places
        return []
    members = group_of.tolist()
    for name in per_group[0][0]:
        table.numbers[name] = np.array([g[0][name] for g in per_group])[group_of]
    for name in per_group[0][1]:
        table.texts[name] = [per_group[m][1][name] for m in members]
    for name in per_group[0][2]:
        table.evidence[name] = ListEvidence([per_group[m][2][name] for m in members])
    return [[e.id for e in forces[m]] for m in members]
