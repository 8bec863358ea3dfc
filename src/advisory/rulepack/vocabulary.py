"""The closed vocabulary of features that rules and sentences may name.

Rules are checked against this list at load time, so a misspelt feature is an error with a
suggestion rather than a rule that silently never fires.
"""

from __future__ import annotations

from collections.abc import Iterable

NONE_DAYS = 9999.0  # "no such event": larger than any window a pack can name
DAYS_SINCE = ("latest_days.", "control.last_raid_days")  # features that count days since


def default_value(feature: str) -> float:
    """What a feature reads as where nothing was measured: 0, except "days since" features,
    which read as "none" (a place with no data has not just seen an event)."""
    return NONE_DAYS if feature.startswith(DAYS_SINCE) else 0.0


GUIDANCE_REASONS = (
    "terrorism",
    "kidnapping",
    "crime",
    "unrest",
    "armed_conflict",
    "wrongful_detention",
    "health",
    "natural_disaster",
    "other",
)

EXPOSURE_FEATURES = {
    "exposure": "decayed, distance-weighted sum of matching incidents",
    "count": "incidents within the radius and horizon",
    "recent": "incidents within the trend's recent window",
    "baseline": "incidents within the trend's baseline window (before the recent one)",
    "trend": "recent rate divided by baseline rate (baseline floored at one event)",
    "new": "1 when the baseline window had none and the recent window has at least min_recent",
    "latest_days": "days since the latest incident (9999 when none)",
}

# Texts beside the numbers, per exposure: what a sentence names where a number would need a
# plural of its own ("the latest 1 days ago"; a sentence has one count, `sentence.Plural`'s)
EXPOSURE_TEXTS = {
    "latest_date": "date of the latest incident, YYYY-MM-DD ('none' when none)",
}

CONTROL_FEATURES = {
    "control.is_centre": "1 when the place is a population centre",
    "control.held": "1 when an armed group holds the centre (seizure not ended in the raid window)",
    "control.governed": "1 when held and governance was set up after the seizure",
    "control.contested": "1 when seized recently and still inside the raid window",
    "control.raids": "seizures of the centre that ended within the raid window (lookback)",
    "control.last_raid_days": "days since the latest raid ended (9999 when none)",
    "control.held_nearby": "held centres within nearby_km, weighted by population and distance",
}

NATIONAL_FEATURES = {
    "national.held_centres": "population centres held by armed groups",
    "national.governed_centres": "held centres where governance was set up",
    "national.held_weighted": "held centres weighted by population and closeness to the capital",
    "national.raids": "raids on population centres within the lookback",
    "national.capital_held": "1 when the capital itself is held",
    "national.capital_fighting_days": "days with fighting inside the capital in the window",
}

GUIDANCE_NUMBERS = {
    "guidance.issuers": "governments with guidance in force covering the place",
    "guidance.max_level": "highest guidance level in force (0 when none)",
    "guidance.do_not_travel_issuers": "issuers at level 4",
    "guidance.departure_issuers": "issuers whose action is a departure (see guidance.yaml)",
}
GUIDANCE_TEXT = {
    "guidance.issuer_list": "issuers in force, e.g. 'FR, GB, US'",
    "guidance.departure_list": "issuers telling nationals or staff to leave",
    "guidance.reasons_list": "reasons cited",
}

LOCATION_FEATURES = {
    "location.is_route": "1 for a road segment, 0 for a point",
    "location.is_capital": "1 for the capital",
}


def numeric_features(exposures: Iterable[str]) -> dict[str, str]:
    """Every numeric feature name available to `when` conditions and scaled points."""
    names: dict[str, str] = {}
    for e in exposures:
        for prefix, doc in EXPOSURE_FEATURES.items():
            names[f"{prefix}.{e}"] = doc
    names.update(CONTROL_FEATURES)
    names.update(NATIONAL_FEATURES)
    names.update(GUIDANCE_NUMBERS)
    for r in GUIDANCE_REASONS:
        names[f"guidance.reason.{r}"] = f"issuers citing {r}"
    names.update(LOCATION_FEATURES)
    return names


def text_features(exposures: Iterable[str] = ()) -> dict[str, str]:
    """Every text feature name a sentence may use (never a condition: they are not numbers)."""
    names = {f"{prefix}.{e}": doc for e in exposures for prefix, doc in EXPOSURE_TEXTS.items()}
    names.update(GUIDANCE_TEXT)
    return names


# Placeholders a hazard term's sentence may use beside the features: its exposure's settings
TERM_PLACEHOLDERS = {
    "radius_km": "the exposure's radius for this place or road",
    "half_life_days": "the exposure's half-life",
}


def is_guidance(feature: str) -> bool:
    return feature.startswith("guidance.")
