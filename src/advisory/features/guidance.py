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


def add_guidance_features(
    table: FeatureTable,
    gaz: Gazetteer,
    entries: list[GuidanceEntry],
    as_of: date,
    departure_actions: list[str],
    reasons: tuple[str, ...] = GUIDANCE_REASONS,
) -> list[list[str]]:
    """Guidance features; returns the ids in force per location (for the assessment).

    Per issuer, the latest-issued entry in force that covers the place applies. Places are
    grouped by the entries that apply to them (a handful of groups, even for 10,000 places),
    and each group's features are worked out once."""
    n = table.size
    live = sorted((e for e in entries if e.in_force(as_of)), key=lambda e: (e.issued, e.id))
    issuers = sorted({e.issuer for e in live})
    chosen = np.full((len(issuers), n), -1, dtype=np.int64)
    for k, e in enumerate(live):  # ascending: a later entry that also covers a place wins
        chosen[issuers.index(e.issuer), _coverage(e, gaz)] = k
    groups: dict[tuple[int, ...], int] = {}
    group_of = np.array(
        [groups.setdefault(tuple(col), len(groups)) for col in chosen.T.tolist()], dtype=np.int64
    ).reshape(n)
    nums: dict[str, list[float]] = {}
    texts: dict[str, list[str]] = {}
    ev: dict[str, list[list[str]]] = {}
    in_force_ids: list[list[str]] = []
    for sig in groups:  # dicts keep insertion order: group g is the g-th key
        force = [live[k] for k in sig if k >= 0]  # sorted by issuer
        in_force_ids.append([e.id for e in force])
        ids = [e.id for e in sorted(force, key=lambda e: (-e.level, e.issuer))]
        departure = [e for e in force if e.action in departure_actions]
        row = {
            "guidance.issuers": float(len(force)),
            "guidance.max_level": float(max((e.level for e in force), default=0)),
            "guidance.do_not_travel_issuers": float(sum(e.level == 4 for e in force)),
            "guidance.departure_issuers": float(len(departure)),
        }
        row_ev = {
            "guidance.issuers": ids,
            "guidance.max_level": ids,
            "guidance.do_not_travel_issuers": ids,
            "guidance.departure_issuers": [e.id for e in departure],
        }
        for r in reasons:
            row[f"guidance.reason.{r}"] = float(sum(r in e.reasons for e in force))
            row_ev[f"guidance.reason.{r}"] = [e.id for e in force if r in e.reasons]
        cited = sorted({r for e in force for r in e.reasons})
        row_texts = {
            "guidance.issuer_list": ", ".join(e.issuer for e in force) or "none",
            "guidance.departure_list": ", ".join(e.issuer for e in departure) or "none",
            "guidance.reasons_list": ", ".join(cited) or "none",
        }
        for k, v in row.items():
            nums.setdefault(k, []).append(v)
        for k, t in row_texts.items():
            texts.setdefault(k, []).append(t)
        for k, e in row_ev.items():
            ev.setdefault(k, []).append(e)
    members = group_of.tolist()
    for k, vals in nums.items():
        table.numbers[k] = np.array(vals, dtype=np.float64)[group_of]
    for k, t in texts.items():
        table.texts[k] = [t[g] for g in members]
    for k, lists in ev.items():
        table.evidence[k] = ListEvidence([lists[g] for g in members])
    return [in_force_ids[g] for g in members]
