"""Typed shape of the scoring files: the two tracks, the fitted hazard model, confidence,
measures and trip profiles."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from .model import LEVEL_COUNT, Exposure, PerGeometry, Strict
from .sentence import Because

Action = Literal["none", "authorized_departure", "ordered_departure", "leave_now", "embassy_closed"]


class GuidanceParams(Strict):
    departure_actions: list[Action]


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
    when: list[Condition] = Field(default_factory=list)
    points: float | ScaledPoints
    because: Because


def _four_increasing(v: list[float]) -> list[float]:
    if len(v) != LEVEL_COUNT - 1 or v != sorted(v) or len(set(v)) != len(v):
        raise ValueError(f"{LEVEL_COUNT - 1} strictly increasing thresholds required")
    return v


# --- personal security: hazards with an observable outcome and a fitted model --------------


class Outcome(Strict):
    """What a hazard's likelihood is the probability of: at least one ACLED event of these
    types within the radius of the place (or of the road's line) in the next `days` days."""

    event_types: list[str] = Field(min_length=1)
    # empty: any sub-type of the event types
    sub_event_types: list[str] = Field(default_factory=list)
    radius_km: PerGeometry
    max_geo_precision: int = Field(ge=1, le=3)
    days: int = Field(gt=0, le=3650)


class FitGrid(Strict):
    """The values `advisory calibrate` may choose from for one term's exposure."""

    half_life_days: list[float] = Field(default_factory=list)
    radius_km: list[PerGeometry] = Field(default_factory=list)
    # tried for each of the exposure's signals
    signal_weights: list[float] = Field(default_factory=list)


class Term(Strict):
    """One input of a hazard's model: an exposure (defined in model.yaml, fitted) and the
    sentence that explains its contribution."""

    exposure: str
    because: Because
    fit: FitGrid = Field(default_factory=FitGrid)


class Hazard(Strict):
    description: str
    outcome: Outcome
    terms: list[Term] = Field(min_length=1)
    guidance_reasons: list[str]  # guidance citing one of these reasons cites this hazard


class Escalation(Strict):
    """A severity condition that takes a place from High to Extreme."""

    id: str
    when: list[Condition] = Field(min_length=1)
    because: Because


class Combine(Strict):
    method: Literal["max"]
    extreme_when: list[Escalation] = Field(default_factory=list)


class GuidanceAdjustment(Strict):
    """Guidance is a bounded, stated step on personal security: a hazard is raised by at most
    `raise_levels` (and never above `max_level`) when at least `min_issuers` governments with
    one of `actions` in force cite one of the hazard's reasons. The likelihood shown stays the
    evidence's."""

    raise_levels: int = Field(ge=0, le=1)
    max_level: int = Field(ge=1, le=LEVEL_COUNT)  # guidance never raises a hazard above this
    min_issuers: int = Field(ge=1)
    actions: list[Action]


class PersonalSecurity(Strict):
    hazards: dict[str, Hazard]
    combine: Combine
    guidance: GuidanceAdjustment


# --- the fitted model (model.yaml, written by `advisory calibrate`) ------------------------


class CalibrationMap(Strict):
    """Isotonic map from the model's raw probability to the calibrated one (np.interp)."""

    x: list[float]
    y: list[float]

    @model_validator(mode="after")
    def _monotone(self) -> CalibrationMap:
        if len(self.x) != len(self.y) or not self.x:
            raise ValueError("x and y need the same length, at least 1")
        if any(b <= a for a, b in zip(self.x, self.x[1:], strict=False)):
            raise ValueError("x must be strictly increasing")
        if self.y != sorted(self.y):
            raise ValueError("y must be non-decreasing")
        if not all(0 <= v <= 1 for v in self.x + self.y):
            raise ValueError("x and y are probabilities (0..1)")
        return self


class FittedHazard(Strict):
    intercept: float
    coefficients: dict[str, float]  # exposure name -> weight of ln(1 + exposure)
    calibration: CalibrationMap
    floor: float = Field(gt=0, lt=1)  # no place is ever given less than this
    climatology: float = Field(ge=0, le=1)  # the training period's base rate
    bands: list[float]  # probability at which Low, Medium, High and Extreme begin
    # what calibrate measured (reported, never used)
    metrics: dict[str, Any] = Field(default_factory=dict)

    @field_validator("bands")
    @classmethod
    def _four_bands(cls, v: list[float]) -> list[float]:
        if not all(0 < b < 1 for b in v):
            raise ValueError("bands are probabilities between 0 and 1")
        return _four_increasing(v)


class FittedModel(Strict):
    fitted: dict[str, Any]  # what the numbers were fitted on (files, digests, periods)
    exposures: dict[str, Exposure]
    hazards: dict[str, FittedHazard]


# --- regime collapse: point rules -----------------------------------------------------------


class TrackConfig(Strict):
    thresholds: list[float]
    rules: list[ScoreRule]

    @field_validator("thresholds")
    @classmethod
    def _four_thresholds(cls, v: list[float]) -> list[float]:
        return _four_increasing(v)


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
    # relative exposure of this staff profile to each hazard: its chance is 1 - (1 - p)^w
    exposure: dict[str, float]
    # levels guidance may add to each hazard for this profile (the pack's default otherwise)
    guidance_raise: dict[str, int] = Field(default_factory=dict)
    refuse_at: int = Field(ge=1, le=LEVEL_COUNT)
    measures: list[MeasureRule]

    @field_validator("exposure")
    @classmethod
    def _positive(cls, v: dict[str, float]) -> dict[str, float]:
        if any(w <= 0 for w in v.values()):
            raise ValueError("exposure weights must be greater than 0")
        return v

    @field_validator("guidance_raise")
    @classmethod
    def _bounded(cls, v: dict[str, int]) -> dict[str, int]:
        if any(not 0 <= k <= 1 for k in v.values()):
            raise ValueError("guidance may raise a hazard by 0 or 1 level")
        return v


class Profiles(Strict):
    journey: Journey
    profiles: dict[str, Profile]
