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


class PackInfo(Strict):
    name: str
    version: str
    description: str = ""
    levels: list[str]
    likelihood: Likelihood
    evidence: Evidence

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
    recent_days: int = Field(gt=0)
    baseline_days: int = Field(gt=0)
    min_recent: int = Field(ge=1)


class Exposure(Strict):
    description: str = ""
    signals: dict[str, float]
    half_life_days: float = Field(gt=0)
    horizon_days: int = Field(gt=0)
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
    window_days: int = Field(gt=0)


class Control(Strict):
    population_centres: PopulationCentres
    seized: list[str]
    ended: list[str]
    governance: list[str]
    raid_window_days: int = Field(gt=0)
    lookback_days: int = Field(gt=0)
    nearby_km: float = Field(gt=0)
    held_weight: HeldWeight
    capital_fighting: CapitalFighting


class GuidanceParams(Strict):
    departure_actions: list[
        Literal["none", "authorized_departure", "ordered_departure", "leave_now", "embassy_closed"]
    ]


class Condition(Strict):
    feature: str
    gte: float | None = None
    gt: float | None = None
    lte: float | None = None
    lt: float | None = None
    eq: float | None = None

    @model_validator(mode="after")
    def _one_comparator(self) -> Condition:
        given = [k for k in ("gte", "gt", "lte", "lt", "eq") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of gte, gt, lte, lt, eq")
        return self

    @property
    def op(self) -> tuple[str, float]:
        for k in ("gte", "gt", "lte", "lt", "eq"):
            v = getattr(self, k)
            if v is not None:
                return k, v
        raise AssertionError("validated")


class ScaledPoints(Strict):
    feature: str
    per_unit: float
    cap: float = Field(gt=0)


class ScoreRule(Strict):
    id: str
    hazard: str | None = None
    when: list[Condition] = []
    points: float | ScaledPoints
    because: str


class HazardConfig(Strict):
    likelihood_exposure: str
    thresholds: list[float]

    @field_validator("thresholds")
    @classmethod
    def _four(cls, v: list[float]) -> list[float]:
        if len(v) != LEVEL_COUNT - 1 or v != sorted(v) or len(set(v)) != len(v):
            raise ValueError(f"{LEVEL_COUNT - 1} strictly increasing score thresholds required")
        return v


class Combine(Strict):
    method: Literal["max"]
    escalate_when_all_at_least: int | None = Field(default=None, ge=1, le=LEVEL_COUNT)


class PersonalSecurity(Strict):
    hazards: dict[str, HazardConfig]
    combine: Combine
    rules: list[ScoreRule]


class TrackConfig(Strict):
    thresholds: list[float]
    rules: list[ScoreRule]

    _four = field_validator("thresholds")(HazardConfig._four.__func__)  # type: ignore[attr-defined]


class RegimeCollapse(Strict):
    place: TrackConfig
    national: TrackConfig


class ConfidenceLevel(Strict):
    min_events: int = Field(ge=0)
    min_sources: int = Field(ge=0)
    max_latest_days: float = Field(gt=0)
    min_precise_share: float = Field(ge=0, le=1)


class Confidence(Strict):
    exposures: list[str]
    high: ConfidenceLevel
    moderate: ConfidenceLevel


class Text(Strict):
    """A sentence in English and French (most readers in Mali work in French)."""

    en: str
    fr: str


class Posture(Strict):
    phase: str
    measures: list[str]


class Measures(Strict):
    measures: dict[str, Text]
    postures: dict[int, Posture]
    phases: dict[str, Text]

    @model_validator(mode="after")
    def _references(self) -> Measures:
        if sorted(self.postures) != list(range(1, LEVEL_COUNT + 1)):
            raise ValueError(f"postures must cover levels 1..{LEVEL_COUNT}")
        for level, posture in self.postures.items():
            if posture.phase not in self.phases:
                raise ValueError(f"postures.{level}: unknown phase {posture.phase!r}")
            for mid in posture.measures:
                if mid not in self.measures:
                    raise ValueError(f"postures.{level}: unknown measure {mid!r}")
        return self


class Daylight(Strict):
    start: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    end: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")


class Journey(Strict):
    corridor_km: float = Field(gt=0)
    road_speed_kmh: float = Field(gt=0)
    daylight: Daylight
    default_departure: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    airport_km: float = Field(ge=0)


class MeasureRule(Strict):
    hazard: str
    at_least: int = Field(ge=1, le=LEVEL_COUNT)
    measures: list[str]


class Profile(Strict):
    description: str
    hazard_weights: dict[str, float]
    refuse_at: int = Field(ge=1, le=LEVEL_COUNT)
    measures: list[MeasureRule]


class Profiles(Strict):
    journey: Journey
    profiles: dict[str, Profile]
