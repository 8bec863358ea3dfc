"""Bottom lines built from the trace, in the spirit of the analysis in DOMAIN.md.

Personal security and regime collapse are written as separate paragraphs and never blended;
likelihood words and confidence are never put in one sentence (ICD 203).
"""

from __future__ import annotations

from .model import Hazard, Location, National


def _names(locs: list[Location], limit: int = 4) -> str:
    names = [loc.name for loc in locs[:limit]]
    more = len(locs) - len(names)
    text = ", ".join(names)
    return f"{text} and {more} more" if more > 0 else text


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


CONTROL_WORDS = {
    "government": "the government holds it",
    "contested": "an armed group seized it recently and the raid window is still open",
    "held": "an armed group holds it beyond the raid window",
    "held_governed": "an armed group holds it and has set up governance",
    None: "it is not a population centre",
}


def percent(p: float) -> str:
    """A likelihood as people read it: whole per cent, "<1 %" rather than "0 %"."""
    return "<1 %" if p < 0.005 else f"{round(p * 100)} %"


def hazard_phrase(name: str, h: Hazard) -> str:
    """ "ambush high, likely (62 % in 30 days)" — or, when guidance raised the level, what the
    evidence alone says and that guidance raised it, so a level never seems to contradict its
    likelihood."""
    chance = f"{h.estimative} ({percent(h.likelihood_30d)} in {h.outcome.days} days)"
    if h.guidance_step is None:
        return f"{name} {h.label.lower()}, {chance}"
    return (
        f"{name} {h.label.lower()}: {h.guidance_step.from_label.lower()} on the evidence, {chance}, "
        f"raised one level by guidance from {', '.join(h.guidance_step.issuers)}"
    )


def location_line(loc: Location) -> str:
    """One location's two tracks in two sentences (and its main driver)."""
    ps, rc = loc.personal_security, loc.regime_collapse
    hz = "; ".join(hazard_phrase(name, h) for name, h in ps.hazards.items())
    top = next((d.because for d in loc.drivers if d.track == "personal_security"), None)
    lead = f" Main driver: {top}." if top else ""
    return (
        f"Personal security at {loc.name} is {ps.label} ({hz}).{lead} "
        f"Regime collapse is {rc.label}: {CONTROL_WORDS[rc.control_status]}."
    )


def personal_security_line(
    locations: list[Location],
    national: National,
    levels: list[str],
    guidance_issuers: list[str],
    departure_issuers: list[str],
    capital_id: str | None = None,
    capital_roads: list[str] | None = None,
) -> str:
    """Worst level and where, the capital and the roads out of it, hazard peaks, guidance."""
    ps = national.personal_security
    by_id = {loc.id: loc for loc in locations}
    cap = by_id.get(capital_id or "")
    lead = f"Personal security: {ps.label} at worst ({_names_by_id(locations, ps.highest_at)})"
    if cap is not None:
        lead += f"; {cap.personal_security.label} in {cap.name}"
    parts = [lead + "."]
    high = [loc for loc in locations if loc.personal_security.level >= 4]
    if high:
        sentence = (
            f"{len(high)} of {len(locations)} places and road segments are rated "
            f"{levels[3]} or {levels[4]}"
        )
        roads_out = [by_id[r] for r in capital_roads or [] if r in by_id]
        if cap is not None and roads_out:
            bad = sum(r.personal_security.level >= 4 for r in roads_out)
            sentence += f", including {bad} of the {len(roads_out)} roads out of {cap.name}"
        parts.append(sentence + ".")
    peaks = []
    for hazard in ("ambush", "kidnapping"):
        rated = [loc for loc in locations if hazard in loc.personal_security.hazards]
        worst = max((loc.personal_security.hazards[hazard].level for loc in rated), default=0)
        if worst >= 3:
            where = [loc for loc in rated if loc.personal_security.hazards[hazard].level == worst]
            peaks.append(f"{hazard} at {levels[worst - 1]} ({_names(where, 3)})")
    if peaks:
        parts.append(f"Risk peaks: {'; '.join(peaks)}.")
    if guidance_issuers:
        dep = (
            f"; {_join(departure_issuers)} told nationals or staff to leave"
            if departure_issuers
            else ""
        )
        parts.append(
            f"Guidance in force from {_join(guidance_issuers)}{dep}: it reflects the risk of "
            "ambushes and kidnappings, and it raises a hazard by at most one level where two or "
            "more governments tell their people to leave; the likelihoods stay the evidence's."
        )
    return " ".join(parts)


def _names_by_id(locations: list[Location], ids: list[str]) -> str:
    wanted = set(ids)
    chosen = [loc for loc in locations if loc.id in wanted]
    return _names(chosen) if chosen else "nowhere"


def regime_collapse_line(
    national: National,
    capital: str,
    window_days: int,
    raid_window_days: int,
    guidance_present: bool,
) -> str:
    rc = national.regime_collapse
    parts = [f"Regime collapse: {rc.label}."]
    if rc.held_centres:
        parts.append(
            f"Armed groups hold {len(rc.held_centres)} population centre(s) beyond the "
            f"{raid_window_days}-day raid window: {_join(rc.held_centres)}; that is the tripwire "
            "this track watches."
        )
    else:
        raid = (
            f"; the {rc.raids} seizure(s) of population centres on record ended within "
            f"{raid_window_days} days "
            "(raid, loot, withdraw), which is a personal-security signal, not a change of control"
            if rc.raids
            else ""
        )
        parts.append(f"No population centre is held by an armed group{raid}.")
    if rc.capital_fighting_days:
        parts.append(
            f"There was fighting in or near {capital} on {rc.capital_fighting_days} day(s) "
            f"of the last {window_days}."
        )
    else:
        parts.append(f"There was no fighting inside {capital} in the last {window_days} days.")
    if guidance_present:
        parts.append(
            "Evacuation and travel guidance does not enter this track: operating is not "
            "controlling."
        )
    return " ".join(parts)


def trend_sentence(
    what: str,
    place: str,
    recent: float,
    baseline: float,
    recent_days: int,
    baseline_days: int,
    is_new: bool,
) -> str:
    """Is it new, or has it always been like this? Counts, then a plain word for the change."""
    if is_new:
        word = "new: none in the baseline"
    elif baseline == 0 and recent == 0:
        word = "none in either window"
    else:
        rate_now, rate_before = recent / recent_days, baseline / baseline_days
        word = (
            "more often than before"
            if rate_now > rate_before
            else "less often than before"
            if rate_now < rate_before
            else "as often as before"
        )
        if baseline > 0:
            word += "; not new"
    return (
        f"Near {place}: {int(recent)} {what} in the last {recent_days} days against "
        f"{int(baseline)} in the {baseline_days} days before ({word})."
    )
