"""Every difference between the slow reference's results and the engine's Assessment.

Each difference is one line, "<location>: <what>: reference <mine>, engine <theirs>", so that a
run prints them all. What is compared, and to which precision, is stated in
bench/reference.py's docstring; `agrees` is the one place that meets the contract's rounding.
"""

from __future__ import annotations

import math
from typing import Any

from reference_assess import HazardResult, Inputs, LocationResult, ReferenceResult
from reference_scoring import Track, estimative_word, track_of

from advisory.assessment import Assessment
from advisory.assessment.model import Driver, Location
from advisory.rulepack import RulePack

SCORE_TOLERANCE = 1e-6  # point-rule points and scores: both sides rounded them to 2 decimals
FEATURE_TOLERANCE = 1e-9  # unrounded floats (national features)
TIE_SLACK = 1e-9  # how close to a half-way point the reference's value may be to accept either
ENDED_LAST_PRESENCE = "ended episode's last_presence"


def agrees(engine: float, mine: float, digits: int) -> bool:
    """The engine's published value is the reference's exact value rounded to `digits`
    decimals (either neighbour when the exact value lies within TIE_SLACK of a half-way
    point, where the two sides' rounding may legitimately differ)."""
    if abs(engine - round(mine, digits)) <= 1e-12:
        return True
    unit = 10.0**-digits
    frac = mine / unit - math.floor(mine / unit)
    near_tie = abs(frac - 0.5) * unit <= TIE_SLACK
    return near_tie and abs(engine - mine) <= unit / 2 + TIE_SLACK


class Diffs:
    """Collects difference lines for one location (or the country)."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.lines: list[str] = []

    def eq(self, what: str, mine: Any, theirs: Any) -> None:
        if mine != theirs:
            self.lines.append(f"{self.where}: {what}: reference {mine}, engine {theirs}")

    def near(self, what: str, mine: float, theirs: float, tolerance: float) -> None:
        if abs(mine - theirs) > tolerance:
            self.lines.append(f"{self.where}: {what}: reference {mine!r}, engine {theirs!r}")

    def rounded(self, what: str, mine: float, theirs: float, digits: int) -> None:
        if not agrees(theirs, mine, digits):
            self.lines.append(
                f"{self.where}: {what}: reference {mine!r} (rounds to {round(mine, digits)}), "
                f"engine {theirs!r}"
            )


# --- drivers -----------------------------------------------------------------------------------

FEATURE_KINDS = ("exposure", "count", "recent", "baseline", "trend", "new", "latest_days")


def driver_values(d: Diffs, driver: Driver, features: dict[str, float]) -> None:
    """The numbers that filled a driver's sentence are the reference's features (to the
    decimals written)."""
    for key, text in driver.values.items():
        if key not in features:
            continue
        try:
            value = float(text.replace(",", ""))
        except ValueError:
            d.eq(f"{driver.rule} value {key}", features[key], text)
            continue
        decimals = len(text.split(".", 1)[1]) if "." in text else 0
        d.rounded(f"{driver.rule} value {key}", features[key], value, decimals)


def driver_incidents(d: Diffs, driver: Driver, loc: LocationResult, max_ids: int) -> None:
    """The incidents a driver cites were counted in the exposures its sentence names."""
    names = {
        key.split(".", 1)[1]
        for key in driver.values
        if key.split(".", 1)[0] in FEATURE_KINDS and key.split(".", 1)[1] in loc.measured
    }
    if driver.kind == "evidence" and driver.hazard and driver.rule.startswith(driver.hazard + "-"):
        names.add(driver.rule[len(driver.hazard) + 1 :])
    if not names:
        return
    counted = set().union(*(loc.measured[n].counted for n in names))
    stray = sorted(set(driver.incidents) - counted)
    d.eq(f"{driver.rule} incidents not counted by the reference", [], stray)
    if driver.kind == "evidence" and len(names) == 1:
        d.eq(f"{driver.rule} incidents listed", min(max_ids, len(counted)), len(driver.incidents))


# --- one location ------------------------------------------------------------------------------


def compare_hazard(d: Diffs, name: str, mine: HazardResult, theirs: Any, pack: RulePack) -> None:
    d.eq(f"{name} level", mine.level, theirs.level)
    d.eq(f"{name} evidence_level", mine.evidence_level, theirs.evidence_level)
    d.rounded(f"{name} likelihood_30d", mine.likelihood, theirs.likelihood_30d, 3)
    word = estimative_word(mine.likelihood, pack.info.likelihood.words)
    d.eq(f"{name} estimative", word, theirs.estimative)
    d.rounded(f"{name} score (log-odds)", mine.log_odds, theirs.score, 3)
    step = theirs.guidance_step
    if mine.level > mine.evidence_level:
        want = (mine.evidence_level, mine.level, sorted(e.issuer for e in mine.cited))
        got = None if step is None else (step.from_level, step.to_level, sorted(step.issuers))
        d.eq(f"{name} guidance_step (from, to, issuers)", want, got)
        if step is not None:
            d.eq(f"{name} guidance_step entries", [e.id for e in mine.cited], sorted(step.guidance))
    else:
        d.eq(f"{name} guidance_step", None, step)
    drivers = {x.rule: x for x in theirs.drivers}
    guided = [x for x in theirs.drivers if x.kind == "guidance"]
    if mine.level > mine.evidence_level:  # only a step that raised the level drives it
        got_ids = sorted(guided[0].guidance) if guided else None
        d.eq(f"{name} guidance driver entries", [e.id for e in mine.cited], got_ids)
        if guided:
            d.eq(f"{name} guidance driver decisive", mine.decisive["guidance"], guided[0].decisive)
    else:
        d.eq(f"{name} guidance drivers", [], [x.rule for x in guided])
    for term, share in mine.terms.items():
        rule = f"{name}-{term}"
        if rule not in drivers:
            if round(share, 2) != 0:
                d.eq(f"{rule} driver", f"points {round(share, 2)}", "missing")
            continue
        d.eq(f"{rule} kind", "evidence", drivers[rule].kind)
        d.rounded(f"{rule} points", share, drivers[rule].points, 2)
        d.eq(f"{rule} decisive", mine.decisive[term], drivers[rule].decisive)


def compare_track(d: Diffs, what: str, mine: Track, drivers: list[Driver], score: float,
                  level: int, thresholds: list[float]) -> None:  # fmt: skip
    """A point-rule track: the rules fired, their points, decisive flags, score and level.
    A rule's points exactly half-way between two hundredths (0.225, from float noise in a
    sum) may round either way; the engine's choice is then taken for the score and level."""
    fired = {x.rule: x for x in drivers}
    d.eq(f"{what} rules fired", sorted(mine.fired), sorted(fired))
    resolved = dict(mine.exact)
    for rule in sorted(set(mine.fired) & set(fired)):
        if agrees(fired[rule].points, mine.exact[rule], 2):
            resolved[rule] = fired[rule].points
        d.rounded(f"{rule} points", mine.exact[rule], fired[rule].points, 2)
    mine = track_of(resolved, thresholds)
    d.eq(f"{what} level", mine.level, level)
    d.near(f"{what} score", mine.score, score, SCORE_TOLERANCE)
    for rule in sorted(set(mine.fired) & set(fired)):
        d.eq(f"{rule} decisive", mine.decisive[rule], fired[rule].decisive)


def compare_regime(d: Diffs, loc: LocationResult, theirs: Location, inputs: Inputs) -> None:
    rc = theirs.regime_collapse
    thresholds = inputs.pack.regime_collapse.place.thresholds
    compare_track(d, "regime_collapse", loc.regime, rc.drivers, rc.score, rc.level, thresholds)
    d.eq("control_status", loc.control_status, rc.control_status)
    # control_since (implied, not stated, by method.md): the start of the episode behind a
    # status other than the government's
    since = [e.start for e, status in loc.episodes if e.end is None and status != "lapsed"]
    d.eq("control_since", since[0] if since else None, rc.control_since)
    theirs = sorted(rc.episodes, key=lambda e: e.start)  # the order is presentation
    want = [(e.start, e.end, status) for e, status in loc.episodes]
    got = [(e.start, e.end, e.status) for e in theirs]
    d.eq("episodes (start, end, status)", want, got)
    if len(want) != len(got):
        return
    for i, ((ep, _), their) in enumerate(zip(loc.episodes, theirs, strict=True)):
        # an open episode's last sign of the group decides a lapse; an ended one's decides
        # nothing, so it is reported apart (ENDED_LAST_PRESENCE)
        what = f"episode {i} last_presence" if ep.end is None else ENDED_LAST_PRESENCE
        d.eq(what, ep.last_presence, their.last_presence)
        d.eq(f"episode {i} incidents", sorted(ep.incidents), sorted(their.incidents))


def compare_evidence(d: Diffs, loc: LocationResult, theirs: Location, terms: set[str]) -> None:
    """Each cited incident: its distance, and the model exposures it was counted in."""
    for cited in theirs.evidence:
        kms = [m.counted[cited.id] for m in loc.measured.values() if cited.id in m.counted]
        if not kms:
            d.eq(f"cited incident {cited.id}", "counted in an exposure", "not counted")
            continue
        d.rounded(f"cited incident {cited.id} km", kms[0], cited.km, 1)
        mine = sorted(n for n in terms if cited.id in loc.measured[n].counted)
        d.eq(f"cited incident {cited.id} exposures", mine, sorted(cited.exposures))


def compare_trends(d: Diffs, loc: LocationResult, theirs: Location, inputs: Inputs) -> None:
    for name, trend in theirs.trends.items():
        if name not in loc.measured:
            d.eq(f"trend {name}", "no such exposure", "shown")
            continue
        m, exp = loc.measured[name], inputs.pack.exposures[name]
        want = (m.recent, m.baseline, m.new, exp.trend.recent_days, exp.trend.baseline_days)
        got = (trend.recent, trend.baseline, trend.new, trend.recent_days, trend.baseline_days)
        d.eq(f"trend {name} (recent, baseline, new, days, days)", want, got)
    shown = sorted(n for n, m in loc.measured.items() if m.recent + m.baseline > 0)
    d.eq("trends with events in their windows", [], sorted(set(shown) - set(theirs.trends)))


def compare_location(loc: LocationResult, theirs: Location, inputs: Inputs) -> list[str]:
    pack = inputs.pack
    d = Diffs(loc.place.id)
    ps = theirs.personal_security
    d.eq("hazards", sorted(loc.hazards), sorted(ps.hazards))
    for name in sorted(set(loc.hazards) & set(ps.hazards)):
        compare_hazard(d, name, loc.hazards[name], ps.hazards[name], pack)
    d.eq("personal_security level", loc.ps_level, ps.level)
    d.rounded("personal_security score", loc.ps_score, ps.score, 3)
    d.eq("personal_security decided_by", loc.decided_by, sorted(ps.decided_by))
    severity = sorted(x.rule for x in theirs.drivers if x.kind == "severity")
    d.eq("severity drivers", sorted(loc.severity), severity)
    compare_regime(d, loc, theirs, inputs)
    d.eq("confidence", loc.confidence, theirs.confidence)
    b = theirs.confidence_basis
    d.eq("confidence_basis (events, sources, latest_days)", loc.basis[:3],
         (b.events, b.sources, b.latest_days))  # fmt: skip
    d.rounded("confidence_basis precise_share", loc.basis[3], b.precise_share, 3)
    d.eq("guidance_in_force", loc.guidance_in_force, sorted(theirs.guidance_in_force))
    compare_trends(d, loc, theirs, inputs)
    terms = {e for h in pack.model.hazards.values() for e in h.coefficients}
    compare_evidence(d, loc, theirs, terms)
    drivers = [*theirs.drivers, *theirs.regime_collapse.drivers]
    drivers += [x for h in ps.hazards.values() for x in h.drivers]
    for driver in drivers:
        driver_values(d, driver, loc.features)
        driver_incidents(d, driver, loc, pack.info.evidence.max_ids)
    return sorted(set(d.lines), key=d.lines.index)


# --- the country, and the incidents' signals ---------------------------------------------------


def compare_national(ref: ReferenceResult, fast: Assessment, inputs: Inputs) -> list[str]:
    d = Diffs("national")
    n, fn = ref.national, fast.national.regime_collapse
    d.eq("capital", n.capital, fast.national.capital)
    thresholds = inputs.pack.regime_collapse.national.thresholds
    compare_track(d, "regime_collapse", n.regime, fn.drivers, fn.score, fn.level, thresholds)
    d.eq("held_centres", sorted(n.held_centres), sorted(fn.held_centres))
    d.eq("raids", n.raids, fn.raids)
    d.eq("capital_fighting_days", n.capital_fighting_days, fn.capital_fighting_days)
    for key, value in sorted(n.features.items()):
        theirs = fast.national.features.get(key)
        if theirs is None:
            d.eq(f"feature {key}", value, "missing")
        else:
            d.near(f"feature {key}", value, theirs, FEATURE_TOLERANCE)
    if ref.complete:
        worst = max(loc.ps_level for loc in ref.locations.values())
        at = sorted(lid for lid, loc in ref.locations.items() if loc.ps_level == worst)
        d.eq("personal_security level", worst, fast.national.personal_security.level)
        d.eq("personal_security highest_at", at, sorted(fast.national.personal_security.highest_at))
    return d.lines


def compare_signals(fast: Assessment, inputs: Inputs) -> list[str]:
    """Every incident the assessment cites carries the signals the reference gives it."""
    d = Diffs("incident")
    by_id = {ev.id: ev for ev in inputs.events}
    for inc in fast.incidents:
        ev = by_id.get(inc.id)
        if ev is None:
            d.eq(inc.id, "not an event at this as-of", "cited")
        else:
            d.eq(f"{inc.id} signals", sorted(ev.signals), sorted(inc.signals))
    return d.lines


def differences(ref: ReferenceResult, fast: Assessment, inputs: Inputs) -> list[str]:
    """Human-readable differences between the reference and the engine (empty when equal)."""
    out: list[str] = []
    if fast.as_of != ref.as_of:
        out.append(f"as_of: reference {ref.as_of}, engine {fast.as_of}")
    by_id = {loc.id: loc for loc in fast.locations}
    for lid, loc in ref.locations.items():
        if lid not in by_id:
            out.append(f"{lid}: missing from the engine's assessment")
        else:
            out.extend(compare_location(loc, by_id[lid], inputs))
    out.extend(compare_national(ref, fast, inputs))
    out.extend(compare_signals(fast, inputs))
    return out


__all__ = ["ENDED_LAST_PRESENCE", "agrees", "differences"]
