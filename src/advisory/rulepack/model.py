"""Typed shape of every rule-pack file.

Unknown keys are errors (`extra="forbid"`), so a typo in a rule cannot quietly switch it off.
Numbers that steer the analysis live in these files, never in the engine.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

LEVEL_COUNT = 5  # the five-level scale is part of the public contract, not a tunable


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EstimativeBand(Strict):
    word: str
    max: float = Field(gt=0, le=1)


class Likelihood(Strict):
    horizon_days: int = Field(gt=0)
    words: list[EstimativeBand]

    @field_validator("words")
    @classmethod
    def _ascending(cls, v: list[EstimativeBand]) -> list[EstimativeBand]:
        maxima = [b.max for b in v]
        if maxima != sorted(maxima) or len(set(maxima)) != len(maxima):
            raise ValueError("bands must have strictly increasing 'max'")
        if maxima and maxima[-1] != 1:
            raise ValueError("the last band must end at max: 1.0")
        return v


class Evidence(Strict):
    max_ids: int = Field(gt=0)


class DataParams(Strict):
    # the newest usable event may be at most this many days older than --as-of: older data
    # is not an all-clear, and the run stops (unless --allow-stale)
    staleness_days: int = Field(gt=0, le=36500)


class PackInfo(Strict):
    name: str
    version: str
    description: str = ""
    provenance: str = ""  # what the fitted numbers were fitted on, and whose data it was
    levels: list[str]
    likelihood: Likelihood
    evidence: Evidence
    data: DataParams

    @field_validator("levels")
    @classmethod
    def _five(cls, v: list[str]) -> list[str]:
        if len(v) != LEVEL_COUNT:
            raise ValueError(f"exactly {LEVEL_COUNT} level labels are required, got {len(v)}")
        return v


class Match(Strict):
    """Conditions on one ACLED row; all given conditions must hold, lists mean any-of."""

    event_type: list[str] | None = None
    sub_event_type: list[str] | None = None
    disorder_type: list[str] | None = None
    inter1: list[str] | None = None
    inter2: list[str] | None = None
    notes_matches: str | None = None
    notes_not_matches: str | None = None
    actor1_matches: str | None = None
    actor1_not_matches: str | None = None
    actor2_matches: str | None = None
    actor2_not_matches: str | None = None
    assoc_actor_2_matches: str | None = None
    location_matches: str | None = None
    min_fatalities: int | None = None
    # the name in brackets closing actor2 ("Civilians (China)") against the event's country:
    # "foreign" when they differ, "national" when they agree; false when either is missing
    actor2_nationality: Literal["foreign", "national"] | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> Match:
        if not self.model_dump(exclude_none=True):
            raise ValueError("'when' needs at least one condition")
        return self


class ClassifyRule(Strict):
    id: str
    signal: str
    when: Match
    description: str = ""


class ClassifyFile(Strict):
    signals: dict[str, str]
    rules: list[ClassifyRule]


class PerGeometry(Strict):
    point: float = Field(ge=0)
    route: float = Field(ge=0)


class PrecisionPerGeometry(Strict):
    point: int = Field(ge=1, le=3)
    route: int = Field(ge=1, le=3)


class Trend(Strict):
    recent_days: int = Field(gt=0, le=36500)
    baseline_days: int = Field(gt=0, le=36500)
    min_recent: int = Field(ge=1)


class Exposure(Strict):
    description: str = ""
    signals: dict[str, float]
    half_life_days: float = Field(gt=0, le=36500)
    horizon_days: int = Field(gt=0, le=36500)
    radius_km: PerGeometry
    full_weight_km: PerGeometry
    max_geo_precision: PrecisionPerGeometry
    trend: Trend

    @model_validator(mode="after")
    def _radii(self) -> Exposure:
        for geom in ("point", "route"):
            if getattr(self.full_weight_km, geom) > getattr(self.radius_km, geom):
                raise ValueError(f"full_weight_km.{geom} must not exceed radius_km.{geom}")
        return self


class PopulationCentres(Strict):
    kinds: list[str]
    radius_km: float = Field(gt=0)


class HeldWeight(Strict):
    population_reference: float = Field(gt=0)
    population_exponent: float = Field(ge=0)
    default_population: float = Field(gt=0)
    proximity_half_km: float = Field(gt=0)


class CapitalFighting(Strict):
    signals: list[str]
    radius_km: float = Field(gt=0)
    window_days: int = Field(gt=0, le=36500)


class Control(Strict):
    population_centres: PopulationCentres
    seized: list[str]
    ended: list[str]
    governance: list[str]
    # signals that an armed group is still present in a seized centre (fighting, checkpoints,
    # taxation, governance): without one for `lapse_days`, an unended seizure lapses
    presence: list[str]
    lapse_days: int = Field(gt=0, le=36500)
    raid_window_days: int = Field(gt=0, le=36500)
    lookback_days: int = Field(gt=0, le=36500)
    nearby_km: float = Field(gt=0)
    held_weight: HeldWeight
    capital_fighting: CapitalFighting


class Refinement(Strict):
    """A finer current type for some rows of an old type (the first that holds wins)."""

    notes_matches: str | None = None
    inter1: list[str] | None = None
    event_type: str | None = None
    sub_event_type: str

    @model_validator(mode="after")
    def _has_condition(self) -> Refinement:
        if not self.notes_matches and not self.inter1:
            raise ValueError("a refinement needs notes_matches or inter1")
        return self


class LegacyType(Strict):
    event_type: str
    sub_event_type: str
    refine: list[Refinement] = []


class GedViolence(Strict):
    """A UCDP type of violence in ACLED's types; `actor2_type` is inter2 for every row of the
    type (one-sided: Civilians), else a side with a Gleditsch-Ward number is a state."""

    event_type: str
    sub_event_type: str
    civilian_targeting: bool = False
    actor2_type: str | None = None


class UcdpGed(Strict):
    """How UCDP GED rows become ACLED-like events (docs/formats.md, section 6). A precision
    mapped to null sets the row aside, with the reason, in the rejects file."""

    where_prec: dict[int, int | None]
    date_prec: dict[int, int | None]
    type_of_violence: dict[int, GedViolence]
    fatalities: Literal["best", "low", "high"] = "best"
    state_actor_type: str = "State forces"

    @model_validator(mode="after")
    def _codes(self) -> UcdpGed:
        for code, prec in self.where_prec.items():
            if code not in range(1, 8) or prec not in (None, 1, 2, 3):
                raise ValueError(f"where_prec {code}: GED codes 1..7 map to 1, 2, 3 or null")
            if code >= 4 and prec not in (None, 3):  # a province centroid is not on a road
                raise ValueError(f"where_prec {code} is a province or coarser: 3 or null only")
        for code, prec in self.date_prec.items():
            if code not in range(1, 6) or prec not in (None, 1, 2, 3):
                raise ValueError(f"date_prec {code}: GED codes 1..5 map to 1, 2, 3 or null")
        return self


class Formats(Strict):
    acled_legacy: dict[str, LegacyType]
    ucdp_ged: UcdpGed | None = None
