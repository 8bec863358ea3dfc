"""A whole trip: every leg checked, the trip taking its worst leg, the measures of all legs
merged with every reason each was called for."""

from __future__ import annotations

from ...engine import Run
from .decide import ORDER, Checker
from .itinerary import Itinerary
from .results import LegResult, Measure, Segment, TripResult


def leg_items(leg: LegResult, hazard: str) -> list[Segment]:
    """The items a leg's hazard is read on (see Checker.leg)."""
    if hazard == "ambush":
        return leg.roads if leg.mode == "road" and leg.roads else leg.places[:2]
    return leg.roads + leg.places if leg.mode == "road" else leg.places[:2]


def check_trip(
    run: Run,
    itinerary: Itinerary,
    profile: str | None = None,
    prefer: str = "shortest",
    lang: str = "en",
) -> TripResult:
    """Clear or refuse every leg and the trip; the sentences in `lang` (en, fr)."""
    checker = Checker(run, profile or itinerary.travellers.profile, prefer, lang)
    legs = []
    for i, planned in enumerate(itinerary.legs, start=1):
        res = checker.leg(i, planned)
        if res.decision == "refused":
            res.alternative = checker.alternative(i, planned, res)
        legs.append(res)
    decision = max((leg.decision for leg in legs), key=ORDER.__getitem__)
    peaks = {hz: [s for leg in legs for s in leg_items(leg, hz)] for hz in ("ambush", "kidnapping")}
    prov = run.assessment.provenance.model_dump(mode="json")
    return TripResult(
        decision=decision,
        profile=checker.profile_name,
        headcount=itinerary.travellers.headcount,
        as_of=run.assessment.as_of,
        measures=merged_measures(legs),
        ambush=checker.peak(peaks["ambush"], "ambush"),
        kidnapping=checker.peak(peaks["kidnapping"], "kidnapping"),
        legs=legs,
        provenance=prov,
    )


def merged_measures(legs: list[LegResult]) -> list[Measure]:
    """Each measure once for the trip, with every leg's reasons for it, in first-seen order."""
    merged: dict[str, Measure] = {}
    for leg in legs:
        for m in leg.measures:
            if m.id not in merged:
                merged[m.id] = m.model_copy(deep=True)
                continue
            kept = merged[m.id]
            for r, peak in zip(m.reasons, m.peaks, strict=True):
                if r not in kept.reasons:
                    kept.reasons.append(r)
                    kept.peaks.append(peak)
    return list(merged.values())
