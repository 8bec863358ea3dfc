"""The slow reference's assessment of one location and of the country (method.md 6-8).

Builds on bench/reference_events.py, _features.py, _control.py and _scoring.py;
bench/reference.py reads the inputs and compares the result with the engine. Nothing here is
rounded except where method.md rounds (a point rule's points and score): likelihoods and
log-odds are kept whole, and the comparison states how it meets the contract's rounding.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from reference_control import (
    HELD,
    Centre,
    Episode,
    control_features,
    control_of_centres,
    episode_status,
    national_features,
)
from reference_events import NONE_DAYS, ByLatitude, Event, box_around, km_from
from reference_features import (
    Measured,
    exposure_features,
    geometry_of,
    guidance_applied,
    measure_exposure,
)
from reference_scoring import (
    Track,
    band_level,
    calibrate,
    condition_holds,
    logistic,
    score_rules,
)

from advisory.ingest.guidance import GuidanceEntry
from advisory.ingest.places import Place
from advisory.rulepack import RulePack


@dataclass
class Inputs:
    pack: RulePack
    places: list[Place]
    events: list[Event]
    guidance: list[GuidanceEntry]
    as_of: date


@dataclass
class HazardResult:
    log_odds: float
    likelihood: float  # max(calibration(logistic(log_odds)), floor)
    evidence_level: int  # the band of the likelihood
    level: int  # after the guidance step
    terms: dict[str, float]  # exposure -> coefficient x ln(1 + exposure), its log-odds share
    cited: list[GuidanceEntry]  # entries with a departure action citing the hazard's reasons
    decisive: dict[str, bool]  # term -> without it the evidence level would be lower;
    # "guidance" -> the step raised the level


@dataclass
class LocationResult:
    place: Place
    features: dict[str, float]
    measured: dict[str, Measured]
    hazards: dict[str, HazardResult]
    ps_level: int
    ps_score: float  # the highest hazard likelihood
    decided_by: list[str]  # hazards at the worst hazard level
    severity: list[str]  # extreme_when rules behind an escalation to Extreme
    regime: Track
    control_status: str | None
    episodes: list[tuple[Episode, str]]
    confidence: str
    basis: tuple[int, int, int | None, float]  # events, sources, latest_days, precise_share
    guidance_in_force: list[str]


@dataclass
class NationalResult:
    capital: str | None
    features: dict[str, float]
    regime: Track
    held_centres: list[str]  # names
    raids: int
    capital_fighting_days: int


@dataclass
class ReferenceResult:
    as_of: date
    locations: dict[str, LocationResult]
    national: NationalResult
    complete: bool  # every location assessed (the national personal-security level is known)
    centres: dict[str, Centre]


# --- section 6: hazards --------------------------------------------------------------------


def guided_level(pack: RulePack, evidence_level: int, cited: int) -> int:
    """The guidance step: up by raise_levels, never above max_level nor below where it was."""
    g = pack.personal_security.guidance
    if cited < g.min_issuers:
        return evidence_level
    return max(evidence_level, min(evidence_level + g.raise_levels, g.max_level))


def assess_hazard(
    pack: RulePack, name: str, features: dict[str, float], applied: dict[str, GuidanceEntry]
) -> HazardResult:
    fitted = pack.model.hazards[name]
    hazard = pack.personal_security.hazards[name]
    terms = {
        e: coef * math.log1p(features[f"exposure.{e}"]) for e, coef in fitted.coefficients.items()
    }

    def likelihood(log_odds: float) -> float:
        return max(calibrate(logistic(log_odds), fitted.calibration), fitted.floor)

    log_odds = fitted.intercept + sum(terms.values())
    p = likelihood(log_odds)
    evidence_level = band_level(p, fitted.bands)
    reasons = set(hazard.guidance_reasons)
    actions = set(pack.personal_security.guidance.actions)
    cited = [e for e in applied.values() if e.action in actions and reasons & set(e.reasons)]
    level = guided_level(pack, evidence_level, len(cited))
    # method.md defines "decisive" for point rules only (section 7). Read here: a term is
    # decisive when without it the evidence's band would be lower (what the evidence drivers
    # explain; the guidance step has its own driver), the step when it raised the level.
    decisive = {"guidance": level > evidence_level}
    for e, share in terms.items():
        decisive[e] = band_level(likelihood(log_odds - share), fitted.bands) < evidence_level
    cited.sort(key=lambda e: e.id)
    return HazardResult(log_odds, p, evidence_level, level, terms, cited, decisive)


def personal_security(
    pack: RulePack, hazards: dict[str, HazardResult], features: dict[str, float]
) -> tuple[int, list[str], list[str]]:
    """The worst hazard's level; Extreme where a hazard is High on the evidence and a severity
    condition holds. Returns the level, the hazards at the worst level, the severity rules."""
    worst = max(h.level for h in hazards.values())
    decided_by = sorted(n for n, h in hazards.items() if h.level == worst)
    high = len(pack.info.levels) - 1  # High: the level Extreme escalates from
    severity: list[str] = []
    if any(h.evidence_level >= high for h in hazards.values()):
        severity = [
            e.id
            for e in pack.personal_security.combine.extreme_when
            if all(condition_holds(c, features) for c in e.when)
        ]
    return (len(pack.info.levels) if severity else worst), decided_by, severity


# --- section 8: confidence -----------------------------------------------------------------


def confidence(
    pack: RulePack, measured: dict[str, Measured]
) -> tuple[str, tuple[int, int, int | None, float]]:
    """From the events behind the confidence exposures (each once)."""
    events = {ev.id: ev for name in pack.confidence.exposures for ev in measured[name].events}
    n = len(events)
    sources = len(set().union(*(ev.sources for ev in events.values()))) if events else 0
    latest = min((ev.age for ev in events.values()), default=None)
    share = sum(ev.precision <= 2 for ev in events.values()) / n if n else 0.0
    word = "low"
    for name in ("moderate", "high"):
        need = getattr(pack.confidence, name)
        if (
            n >= need.min_events
            and sources >= need.min_sources
            and latest is not None
            and latest <= need.max_latest_days
            and share >= need.min_precise_share
        ):
            word = name
    return word, (n, sources, latest, share)


# --- one location, and the country ---------------------------------------------------------


def place_features(
    inputs: Inputs, place: Place | None, near: list[Event], centres: dict[str, Centre]
) -> tuple[dict[str, float], dict[str, Measured]]:
    """Every feature of a location (None: "no place", for a country without a capital)."""
    pack, as_of = inputs.pack, inputs.as_of
    geometry = geometry_of(place)
    measured_events = [(ev, km_from(place, ev.lat, ev.lon)) for ev in near] if place else []
    measured = {
        name: measure_exposure(exp, geometry, measured_events)
        for name, exp in sorted(pack.exposures.items())
    }
    features: dict[str, float] = {}
    for name, m in measured.items():
        features.update(exposure_features(name, m))
    features.update(control_features(pack, place, centres, as_of))
    features["location.is_route"] = float(place is not None and place.is_route)
    features["location.is_capital"] = float(place is not None and place.kind == "capital")
    return features, measured


def events_near(inputs: Inputs, by_lat: ByLatitude, place: Place) -> list[Event]:
    """The events inside a box around the place that holds the widest exposure radius."""
    geometry = geometry_of(place)
    reach = max(getattr(e.radius_km, geometry) for e in inputs.pack.exposures.values())
    return by_lat.inside(box_around(place.coords, reach))


def assess_location(
    inputs: Inputs,
    place: Place,
    near: list[Event],
    centres: dict[str, Centre],
    national: dict[str, float],
) -> LocationResult:
    pack, as_of = inputs.pack, inputs.as_of
    features, measured = place_features(inputs, place, near, centres)
    features |= national  # every track sees the national features ...
    applied = guidance_applied(place, inputs.guidance, as_of)
    hazards = {
        name: assess_hazard(pack, name, features, applied)
        for name in pack.personal_security.hazards
    }
    ps_level, decided_by, severity = personal_security(pack, hazards, features)
    rc = pack.regime_collapse.place
    regime = score_rules(rc.rules, features, rc.thresholds)  # ... guidance has none to show
    centre = centres.get(place.id)
    c = pack.control
    episodes = [
        (ep, episode_status(ep, as_of, c.raid_window_days, c.lapse_days))
        for ep in (centre.episodes if centre else [])
    ]
    word, basis = confidence(pack, measured)
    return LocationResult(
        place=place,
        features=features,
        measured=measured,
        hazards=hazards,
        ps_level=ps_level,
        ps_score=max(h.likelihood for h in hazards.values()),
        decided_by=decided_by,
        severity=severity,
        regime=regime,
        control_status=centre.status if centre else None,
        episodes=episodes,
        confidence=word,
        basis=basis,
        guidance_in_force=sorted(e.id for e in applied.values()),
    )


def reference_assessment(inputs: Inputs, ids: list[str] | None = None) -> ReferenceResult:
    """The given locations (all when None) and the country, at inputs.as_of."""
    pack, as_of = inputs.pack, inputs.as_of
    centres = control_of_centres(pack, inputs.places, inputs.events, as_of)
    capital = next((p for p in inputs.places if p.kind == "capital"), None)
    national = national_features(pack, capital, centres, inputs.events, as_of)
    by_lat = ByLatitude(inputs.events)
    wanted = set(ids) if ids is not None else {p.id for p in inputs.places}
    locations = {
        p.id: assess_location(inputs, p, events_near(inputs, by_lat, p), centres, national)
        for p in inputs.places
        if p.id in wanted
    }
    # the national track: the national rules on the capital's features (no place: none)
    near = events_near(inputs, by_lat, capital) if capital is not None else []
    cap_features = place_features(inputs, capital, near, centres)[0] | national
    if capital is None:
        assert cap_features[f"latest_days.{next(iter(pack.exposures))}"] == NONE_DAYS
    rc = pack.regime_collapse.national
    regime = score_rules(rc.rules, cap_features, rc.thresholds)
    nat = NationalResult(
        capital=capital.id if capital else None,
        features={k: v for k, v in national.items()},
        regime=regime,
        held_centres=[c.place.name for c in centres.values() if c.status in HELD],
        raids=int(national["national.raids"]),
        capital_fighting_days=int(national["national.capital_fighting_days"]),
    )
    complete = wanted >= {p.id for p in inputs.places}
    return ReferenceResult(as_of, locations, nat, complete, centres)
