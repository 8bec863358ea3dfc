"""`advisory explain`: everything one location's levels rest on, as text or JSON.

For each hazard: what its likelihood is the probability of, the model's terms (each one's share
of the log-odds, decisive or not, the incidents behind it), the band, the guidance step and any
severity escalation. For regime collapse: every rule that fired and every rule that did not, and
why (a slice of the engine's rule-by-location matrices). Then the incidents themselves, with
their distance.
"""

from __future__ import annotations

from typing import Any

from ...assessment.model import Assessment, Driver, Hazard, Location
from ...assessment.narrative import percent
from ...engine import Run
from ...scoring.rules import Trace
from .table import clean, wrap


def _trace(tr: Trace) -> dict[str, Any]:
    return {
        "score": tr.score,
        "level": tr.level,
        "fired": [
            {
                "rule": f.rule,
                "points": f.points,
                "decisive": f.decisive,
                "because": f.because,
                "evidence": f.evidence,
            }
            for f in tr.fired
        ],
        "not_fired": [{"rule": n.rule, "why": n.why} for n in tr.not_fired],
    }


def _incidents(a: Assessment, loc: Location) -> list[dict[str, Any]]:
    """The incidents behind the location's drivers and evidence, strongest first, with km."""
    km = {c.id: c.km for c in loc.evidence}
    wanted = list(
        dict.fromkeys([c.id for c in loc.evidence] + [i for d in loc.drivers for i in d.incidents])
    )
    register = {i.id: i for i in a.incidents}
    out = []
    for eid in wanted:
        inc = register.get(eid)
        if inc is not None:
            out.append({**inc.model_dump(mode="json"), "distance_km": km.get(eid)})
    return out


def explain_data(run: Run, place_id: str) -> dict[str, Any]:
    a = run.assessment
    i = run.gazetteer.index[place_id]
    loc = a.locations[i]
    features = run.scores.table[i].numbers
    return {
        "as_of": str(a.as_of),
        "location": loc.model_dump(mode="json"),
        "model": {
            h: {
                "intercept": run.pack.model.hazards[h].intercept,
                "bands": run.pack.model.hazards[h].bands,
            }
            for h in loc.personal_security.hazards
        },
        "trace": {"regime_collapse": _trace(run.scores.regime.trace(i))},
        "features": {k: round(v, 4) for k, v in sorted(features.items())},
        "incidents": _incidents(a, loc),
        "guidance": [
            g.model_dump(mode="json") for g in a.guidance if g.id in loc.guidance_in_force
        ],
        "provenance": a.provenance.model_dump(mode="json"),
    }


def _driver_lines(d: Driver) -> list[str]:
    mark = " [decisive]" if d.decisive else ""
    if d.kind == "evidence":
        head = f"{d.points:+.2f} log-odds {d.rule}{mark}: {d.because}"
    elif d.kind in ("guidance", "severity"):
        head = f"{d.kind}: {d.rule}{mark}: {d.because}"
    else:
        head = f"+{d.points:g} {d.rule}{mark}: {d.because}"
    out = wrap(head, "      ")
    ids = d.incidents or d.guidance
    if ids:
        out += wrap("evidence: " + ", ".join(ids[:10]), "        ")
    return out


def _hazard_lines(name: str, h: Hazard, intercept: float) -> list[str]:
    o = h.outcome
    kinds = ", ".join(o.sub_event_types or o.event_types)
    out = [
        f"  {name}: {h.level} {h.label} — likelihood {h.estimative} "
        f"({percent(h.likelihood_30d)}) of at least one {kinds} within {o.radius_km:g} km "
        f"in the next {o.days} days",
        f"      log-odds {h.score:.2f} = intercept {intercept:.2f} + the terms below; "
        f"band {h.evidence_level} on the evidence",
    ]
    for d in h.drivers:
        out += _driver_lines(d)
    return out


def _regime_lines(loc: Location, tr: dict[str, Any]) -> list[str]:
    """The regime-collapse level, every rule that fired or did not (`tr`, the trace), and the
    seizures behind the control status."""
    rc = loc.regime_collapse
    status = rc.control_status or "not a population centre"
    out = [
        "",
        f"Regime collapse: {rc.level} {rc.label} (control status: {status}); score {tr['score']:g}",
    ]
    for f in tr["fired"]:
        mark = " [decisive]" if f["decisive"] else ""
        out += wrap(f"+{f['points']:g} {f['rule']}{mark}: {f['because']}", "      ")
    for n in tr["not_fired"]:
        out += wrap(f"- {n['rule']} did not fire: {n['why']}", "      ")
    for ep in rc.episodes:
        end = f"ended {ep.end}" if ep.end else f"last sign of presence {ep.last_presence}"
        out += wrap(f"seizure {ep.start} ({ep.status}; {end}): {', '.join(ep.incidents)}", "      ")
    return out


def _evidence_lines(guidance: list[dict[str, Any]], incidents: list[dict[str, Any]]) -> list[str]:
    """The guidance in force and the incidents behind the levels, as `explain_data` gives them."""
    out = ["", "Guidance in force:" if guidance else "Guidance in force: none"]
    for g in guidance:
        out += wrap(
            f"{g['id']}: {g['issuer']} level {g['level']}, {g['action']}, "
            f"issued {g['issued']} ({', '.join(g['reasons'])})",
            "  ",
        )
    out += ["", f"Incidents behind the levels ({len(incidents)}):"]
    for e in incidents:
        dist = f"{e['distance_km']} km" if e["distance_km"] is not None else "-"
        out += wrap(
            f"{e['id']} {e['date']} {e['sub_event_type'] or e['event_type']} "
            f"at {e['location']} ({dist}, precision {e['geo_precision']}) "
            f"[{', '.join(e['signals'])}] {e['notes']}",
            "  ",
        )
    return out


def explain_text(run: Run, place_id: str) -> str:
    data = explain_data(run, place_id)
    a = run.assessment
    loc = a.locations[run.gazetteer.index[place_id]]
    ps = loc.personal_security
    admin = f", {loc.admin1}" if loc.admin1 else ""
    out = [f"{loc.name} ({loc.id}): {loc.kind}{admin}; as of {data['as_of']}", ""]
    out += wrap(loc.bottom_line)
    out += [
        "",
        f"Personal security: {ps.level} {ps.label} "
        f"({ps.method}; decided by {', '.join(ps.decided_by)})",
    ]
    for h, hz in ps.hazards.items():
        out += _hazard_lines(h, hz, data["model"][h]["intercept"])
    for d in (d for d in loc.drivers if d.kind == "severity"):
        out += _driver_lines(d)
    out += _regime_lines(loc, data["trace"]["regime_collapse"])
    b = loc.confidence_basis
    latest = f"latest {b.latest_days} days ago" if b.latest_days is not None else "none recent"
    out += [
        "",
        f"Confidence: {loc.confidence} ({b.events} incidents, {b.sources} sources, "
        f"{latest}, {b.precise_share:.0%} located at or near a named place)",
    ]
    out += _evidence_lines(data["guidance"], data["incidents"])
    p = a.provenance
    out += [
        "",
        f"Rules {p.rule_pack.name} {p.rule_pack.version} {p.rule_pack.digest}; "
        f"engine {p.engine_version}",
    ]
    return clean("\n".join(out)) + "\n"
