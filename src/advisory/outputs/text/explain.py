"""`advisory explain`: the full decision trace of one location, as text or JSON.

Everything the level rests on: each rule that fired (points, decisive or not, its evidence),
each rule that did not fire and why, and the incidents themselves with their distance.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from ...engine import Run, event_rows
from ...scoring import Scored
from .table import clean, wrap


def _distances(run: Run, loc_index: int) -> dict[str, float]:
    ids = run.incidents.frame["event_id"]
    out: dict[str, float] = {}
    for pairs in run.pairs.values():
        sub = pairs.frame.filter(pl.col("loc") == loc_index)
        for ev, d in zip(sub["ev"].to_list(), sub["dist_km"].to_list(), strict=True):
            eid = ids[ev]
            out[eid] = min(out.get(eid, d), d)
    return out


def incident_record(
    row: dict[str, Any], distance_km: float | None, signals: list[str]
) -> dict[str, Any]:
    """One incident as `explain --format json` and the reports show it."""
    return {
        "id": row["event_id"],
        "date": str(row["date"]),
        "event_type": row["event_type"],
        "sub_event_type": row["sub_event_type"],
        "actor1": row["actor1"],
        "actor2": row["actor2"],
        "location": row["location"],
        "geo_precision": row["precision"],
        "distance_km": None if distance_km is None else round(distance_km, 1),
        "signals": signals,
        "source": row["source"],
        "notes": row["notes"],
    }


def _trace(sc: Scored) -> dict[str, Any]:
    return {
        "score": sc.score,
        "level": sc.level,
        "fired": [
            {
                "rule": f.rule,
                "points": f.points,
                "decisive": f.decisive,
                "because": f.because,
                "evidence": f.evidence,
            }
            for f in sc.fired
        ],
        "not_fired": [{"rule": n.rule, "why": n.why} for n in sc.not_fired],
    }


def explain_data(run: Run, place_id: str) -> dict[str, Any]:
    i = run.gazetteer.index[place_id]
    loc = run.assessment.locations[i]
    trace = run.traces[i]
    dist = _distances(run, i)
    ids: dict[str, None] = {}
    for d in loc.drivers:
        for e in d.incidents:
            ids.setdefault(e, None)
    names = list(run.pack.classify.signals)
    frame_ids = run.incidents.frame["event_id"].to_list()
    row_of = {e: k for k, e in enumerate(frame_ids)}
    incidents = []
    for r in event_rows(run, list(ids)):
        row = row_of[r["event_id"]]
        signals = [s for s in names if run.signals[s][row]]
        incidents.append(incident_record(r, dist.get(r["event_id"]), signals))
    return {
        "as_of": str(run.assessment.as_of),
        "location": loc.model_dump(mode="json"),
        "trace": {
            "personal_security": {h: _trace(sc) for h, sc in trace.hazards.items()},
            "regime_collapse": _trace(trace.regime),
        },
        "features": {k: round(v, 4) for k, v in sorted(run.features[i].numbers.items())},
        "incidents": incidents,
        "guidance": [
            g.model_dump(mode="json")
            for g in run.assessment.guidance
            if g.id in loc.guidance_in_force
        ],
        "provenance": run.assessment.provenance.model_dump(mode="json"),
    }


def _scored_lines(title: str, sc: Scored, extra: str = "") -> list[str]:
    out = [f"  {title}: score {sc.score:.1f} -> level {sc.level}{extra}"]
    for f in sc.fired:
        mark = " [decisive]" if f.decisive else ""
        out += wrap(f"+{f.points:.1f} {f.rule}{mark}: {f.because}", "      ")
        if f.evidence:
            shown = ", ".join(f.evidence[:10])
            out += wrap(f"evidence: {shown}", "        ")
    if not sc.fired:
        out.append("      no rule fired: level 1 by default")
    for n in sc.not_fired:
        out += wrap(f"- {n.rule} did not fire: {n.why}", "      ")
    return out


def explain_text(run: Run, place_id: str) -> str:
    data = explain_data(run, place_id)
    i = run.gazetteer.index[place_id]
    loc = run.assessment.locations[i]
    trace = run.traces[i]
    ps, rc = loc.personal_security, loc.regime_collapse
    admin = f", {loc.admin1}" if loc.admin1 else ""
    out = [f"{loc.name} ({loc.id}): {loc.kind}{admin}; as of {data['as_of']}", ""]
    out += wrap(loc.bottom_line)
    out += [
        "",
        f"Personal security: {ps.level} {ps.label} ({ps.method}; decided by "
        f"{', '.join(ps.decided_by)})",
    ]
    for h, sc in trace.hazards.items():
        hz = ps.hazards[h]
        out += _scored_lines(
            f"{h} {hz.label}",
            sc,
            f"; likelihood of an incident in 30 days: {hz.estimative} ({hz.likelihood_30d:.0%})",
        )
    status = rc.control_status or "not a population centre"
    out += ["", f"Regime collapse: {rc.level} {rc.label} (control status: {status})"]
    out += _scored_lines("regime collapse", trace.regime)
    b = loc.confidence_basis
    latest = f"latest {b.latest_days} days ago" if b.latest_days is not None else "none recent"
    out += [
        "",
        f"Confidence: {loc.confidence} ({b.events} incidents, {b.sources} sources, "
        f"{latest}, {b.precise_share:.0%} located at or near a named place)",
    ]
    out += ["", "Guidance in force:" if data["guidance"] else "Guidance in force: none"]
    for g in data["guidance"]:
        out += wrap(
            f"{g['id']}: {g['issuer']} level {g['level']}, {g['action']}, issued "
            f"{g['issued']} ({', '.join(g['reasons'])})",
            "  ",
        )
    out += ["", f"Incidents behind the drivers ({len(data['incidents'])}):"]
    for e in data["incidents"]:
        dist = f"{e['distance_km']} km" if e["distance_km"] is not None else "-"
        out += wrap(
            f"{e['id']} {e['date']} {e['sub_event_type']} at {e['location']} ({dist}, "
            f"precision {e['geo_precision']}) [{', '.join(e['signals'])}] {e['notes']}",
            "  ",
        )
    p = run.assessment.provenance
    out += [
        "",
        f"Rules {p.rule_pack.name} {p.rule_pack.version} {p.rule_pack.digest}; "
        f"engine {p.engine_version}",
    ]
    return clean("\n".join(out)) + "\n"
