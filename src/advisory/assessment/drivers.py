"""The drivers behind each level, as plain records: model terms, the guidance step, severity
escalations and point rules, each with its sentence and the incident and guidance ids behind it.
Made for every location at once, term by term and rule by rule."""

from __future__ import annotations

from collections.abc import Set
from typing import Any

import numpy as np
from pydantic import TypeAdapter

from ..scoring.rules import Fired, evidence_rows, written
from .model import Driver
from .scores import Scores

PS, RC = "personal_security", "regime_collapse"
NO_GUIDANCE: frozenset[str] = frozenset()
Record = dict[str, Any]
_DRIVERS = TypeAdapter(list[Driver])


def _driver(
    rule: str, track: str, hazard: str | None, kind: str, points: float, decisive: bool,
    because: str, ids: list[str], guidance_ids: Set[str], values: dict[str, str] | None = None,
) -> Record:  # fmt: skip
    # most cite incidents only (evidence and severity drivers always): their id lists as they
    # are, as validation copies them (regime drivers at 1M x 10k: 0.15 s to 0.12 s)
    cites_guidance = bool(guidance_ids) and not guidance_ids.isdisjoint(ids)
    return {
        "rule": rule,
        "track": track,
        "hazard": hazard,
        "kind": kind,
        "points": points,
        "decisive": decisive,
        "because": because,
        "incidents": [i for i in ids if i not in guidance_ids] if cites_guidance else ids,
        "guidance": [i for i in ids if i in guidance_ids] if cites_guidance else [],
        "values": values or {},
    }


def as_models(per: list[list[Record]]) -> list[list[Driver]]:
    """Per location, its driver records validated in one call. A hazard's drivers are also
    the location's: as models they are the same objects in both lists, validated once (a
    record validated twice would be two copies, with two copies of its incident ids)."""
    flat = _DRIVERS.validate_python([r for rs in per for r in rs])
    out, k = [], 0
    for rs in per:
        out.append(flat[k : k + len(rs)])
        k += len(rs)
    return out


def fired_records(fired: list[Fired], track: str, guidance_ids: set[str]) -> list[Record]:
    return [
        _driver(
            f.rule,
            track,
            None,
            "rule",
            f.points,
            f.decisive,
            f.because,
            f.evidence,
            guidance_ids,
            f.values,
        )
        for f in fired
    ]


def _radius_texts(s: Scores, exposure: str, at: np.ndarray) -> list[str]:
    exp = s.pack.exposures[exposure]
    text = {True: f"{exp.radius_km.route:g}", False: f"{exp.radius_km.point:g}"}
    return [text[r] for r in s.route_mask()[at].tolist()]


def hazard_drivers(s: Scores, name: str) -> list[list[Driver]]:
    """Per location, the hazard's drivers, strongest first: each model term with a share of
    the log-odds, then the guidance step where guidance raised the level."""
    hs, hz = s.hazards[name], s.pack.personal_security.hazards[name]
    out: list[list[Record]] = [[] for _ in range(s.n)]
    for term in hz.terms:
        share = hs.contributions[term.exposure]
        at = np.flatnonzero(share > 0)
        if not at.size:
            continue
        pts = np.round(share[at], 2).tolist()
        extra = {"radius_km": _radius_texts(s, term.exposure, at)}
        because, values = written(term.because, s.table, at.tolist(), pts, extra)
        evidence = evidence_rows(s.table, [f"exposure.{term.exposure}"], at)
        decisive = hs.decisive[term.exposure][at].tolist()
        rule = f"{name}-{term.exposure}"
        for j, i in enumerate(at.tolist()):
            out[i].append(
                _driver(rule, PS, name, "evidence", pts[j], decisive[j], because[j], evidence[j],
                        NO_GUIDANCE, values[j])  # evidence drivers cite incidents only
            )  # fmt: skip
    for i, citing in enumerate(hs.guidance):
        if citing and hs.level[i] > hs.evidence_level[i]:  # a step raising nothing drives nothing
            out[i].append(_guidance_driver(s, name, i, citing))
    for records in out:
        records.sort(key=lambda r: (r["kind"] == "guidance", -r["points"], r["rule"]))
    return as_models(out)


def _guidance_driver(s: Scores, name: str, i: int, citing: list[str]) -> Record:
    hs, by_id = s.hazards[name], s.entry_by_id
    issuers = sorted({by_id[g].issuer for g in citing})
    actions = sorted({by_id[g].action.replace("_", " ") for g in citing})
    before, after = int(hs.evidence_level[i]), int(hs.level[i])
    because = (
        f"raised from {s.pack.label(before)} to {s.pack.label(after)} by guidance: "
        f"{', '.join(issuers)} ({', '.join(actions)}) cite {name}; "
        "the likelihood stays the evidence's"
    )
    rule = f"{name}-guidance"
    return _driver(rule, PS, name, "guidance", 0.0, True, because, citing, set(citing))


def severity_drivers(s: Scores) -> list[list[Driver]]:
    """Per location, the severity conditions that took it from High to Extreme."""
    out: list[list[Record]] = [[] for _ in range(s.n)]
    for esc in s.pack.personal_security.combine.extreme_when:
        at = np.flatnonzero(s.combined.escalated[esc.id])
        if not at.size:
            continue
        because, values = written(esc.because, s.table, at.tolist(), [0.0] * at.size)
        evidence = evidence_rows(s.table, [c.feature for c in esc.when], at)
        for j, i in enumerate(at.tolist()):
            out[i].append(
                _driver(esc.id, PS, None, "severity", 0.0, True, because[j], evidence[j],
                        NO_GUIDANCE, values[j])
            )  # fmt: skip
    return as_models(out)


def regime_drivers(s: Scores) -> list[list[Driver]]:
    guidance_ids = {e.id for e in s.entries}
    fired = s.regime.fired_at(list(range(s.n)))
    return as_models([fired_records(f, RC, guidance_ids) for f in fired])
