"""The assessment as typed data: its JSON form is the public contract for programs, and the one
thing reports, trip checks, `explain`, map layers and the desk read.

The contract keys named in the README are fixed; more keys may be added, none removed.
`advisory schema` prints the JSON Schema generated from these models.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .inputs import inputs_schema

ConfidenceWord = Literal["low", "moderate", "high"]
DriverKind = Literal["evidence", "rule", "guidance", "severity"]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Driver(Model):
    """What moved a level: a model term (its share of the hazard's log-odds), a point rule,
    the guidance step or a severity escalation; whether it was decisive (without it the level
    would be lower), the sentence that explains it and the evidence behind it."""

    rule: str
    track: Literal["personal_security", "regime_collapse"]
    hazard: str | None = None
    kind: DriverKind = "rule"
    points: float
    decisive: bool
    because: str
    incidents: list[str]
    guidance: list[str]
    values: dict[str, str] = {}  # what filled the sentence's placeholders (to write it again)


class Outcome(Model):
    """What a likelihood is the probability of, so anyone can check it against later data."""

    event_types: list[str]
    sub_event_types: list[str]
    radius_km: float
    max_geo_precision: int
    days: int


class GuidanceStep(Model):
    from_level: int
    from_label: str
    to_level: int
    issuers: list[str]
    guidance: list[str]


class Hazard(Model):
    score: float  # the model's log-odds, for ranking
    level: int
    label: str
    likelihood_30d: float
    estimative: str
    outcome: Outcome
    evidence_level: int  # the band of the likelihood, before guidance
    guidance_step: GuidanceStep | None
    # ids of the guidance in force that cites the hazard (enough issuers, a departure action),
    # whether or not the step raised the level: at the ceiling it raises nothing, yet a staff
    # profile's lower level still takes the profile's own step (`advisory check`)
    guidance_cited: list[str] = []
    drivers: list[Driver]


class PersonalSecurity(Model):
    level: int
    label: str
    score: float  # the highest hazard likelihood, for ranking
    method: str
    decided_by: list[str]
    hazards: dict[str, Hazard]


class Episode(Model):
    start: date
    end: date | None
    last_presence: date
    status: str  # raid | regained | lapsed | contested | held | held_governed
    incidents: list[str]


class RegimeCollapse(Model):
    level: int
    label: str
    score: float
    control_status: str | None = None
    control_since: date | None = None
    episodes: list[Episode] = []
    drivers: list[Driver]


class ConfidenceBasis(Model):
    events: int
    sources: int
    latest_days: int | None
    precise_share: float


class Cited(Model):
    """An incident behind a location's levels: how far, and how much it counted."""

    id: str
    km: float
    exposures: list[str]


class Trend(Model):
    recent: int
    baseline: int
    recent_days: int
    baseline_days: int
    new: bool


class Location(Model):
    id: str
    name: str
    kind: str
    admin1: str | None = None
    road: str | None = None
    lat: float
    lon: float
    line: list[tuple[float, float]] | None = None  # a road's (lat, lon) vertices
    personal_security: PersonalSecurity
    regime_collapse: RegimeCollapse
    confidence: ConfidenceWord
    confidence_basis: ConfidenceBasis
    guidance_in_force: list[str]
    drivers: list[Driver]
    evidence: list[Cited]  # strongest first
    trends: dict[str, Trend]
    bottom_line: str

    @property
    def is_road(self) -> bool:
        """A road segment, as the engine tells one (`Place.is_route`): it has a line. Every
        output asks this, not `kind == "route"`, so a place never counts as a road in one
        table and as a place in another."""
        return self.line is not None

    @property
    def ends(self) -> list[tuple[float, float]]:
        """A road's first and last vertex (lat, lon); none for a place."""
        return [self.line[0], self.line[-1]] if self.line else []


class NationalRegime(Model):
    level: int
    label: str
    score: float
    drivers: list[Driver]
    held_centres: list[str]
    raids: int
    capital_fighting_days: int


class NationalPersonal(Model):
    level: int
    label: str
    highest_at: list[str]


class Series(Model):
    """Weekly counts of one exposure's incidents near the capital, oldest week first."""

    key: str
    radius_km: float
    counts: list[int]


class ConditionCheck(Model):
    """A rule's condition as it stood: the feature, the operator (gte, gt, lte, lt, eq), the
    limit, the feature's value and whether the condition held."""

    feature: str
    op: str
    limit: float
    have: float
    holds: bool


class RuleTrace(Model):
    """One national rule in the decision trace: fired or not, and why."""

    rule: str
    conditions: list[str]  # e.g. "national.capital_fighting_days >= 3"
    checks: list[ConditionCheck]  # the same conditions, each with its value and outcome
    fired: bool
    points: float
    why: str  # the sentence when it fired; the condition that failed when it did not


class National(Model):
    regime_collapse: NationalRegime
    personal_security: NationalPersonal
    capital: str | None = None
    capital_roads: list[str]  # the roads with an end at the capital: the roads out of it
    weekly: list[Series] = []
    features: dict[str, float] = {}  # the national.* features the regime rules read
    trace: list[RuleTrace] = []  # every national rule, fired or not


class BottomLine(Model):
    personal_security: str
    regime_collapse: str


class GuidanceSummary(Model):
    id: str
    issuer: str
    issued: date
    # what `issued` stands for: "issuer" (the issuer's own date), "in_force_by" (not known;
    # in force by then), "placeholder" (not known; a date the guidance file chose)
    issued_basis: str = "issuer"
    expires: date | None
    level: int
    action: str
    reasons: list[str]
    in_force: bool
    departure: bool  # the pack counts its action as telling people to leave
    source: str | None
    summary: str | None


class Incident(Model):
    """One incident cited anywhere in the assessment (the register behind every id)."""

    id: str
    date: date
    event_type: str
    sub_event_type: str
    actor1: str
    actor2: str
    location: str
    admin1: str
    lat: float
    lon: float
    geo_precision: int
    fatalities: int
    source: str
    notes: str
    signals: list[str]


class HazardMethod(Model):
    """How a hazard's likelihood is made and what it was checked against (for methodology)."""

    description: str
    outcome_point: Outcome
    outcome_route: Outcome
    intercept: float  # the fitted model's log-odds with every term at zero
    bands: list[float]
    climatology: float
    metrics: dict[str, object]


class ControlMethod(Model):
    """The control settings a reader needs to understand "raid" and "held"."""

    population_centre_kinds: list[str]
    centre_radius_km: float
    raid_window_days: int
    lapse_days: int
    lookback_days: int
    capital_fighting_radius_km: float
    capital_fighting_window_days: int


class TrendDays(Model):
    """An exposure's trend windows: the recent days against the baseline days before them."""

    recent_days: int
    baseline_days: int


class Method(Model):
    hazards: dict[str, HazardMethod]
    fitted: dict[str, object]
    provenance: str = ""  # the pack's own words on what its numbers were fitted on
    control: ControlMethod
    staleness_days: int
    data_age_days: int | None
    stale: bool
    trend_days: dict[str, TrendDays]  # by exposure


class Text(Model):
    en: str
    fr: str


class MeasureText(Model):
    id: str
    en: str
    fr: str


class Posture(Model):
    """What the pack recommends at a personal-security level."""

    phase: str
    phase_text: Text
    measures: list[MeasureText]


class RulePackInfo(Model):
    name: str
    version: str
    digest: str


class Provenance(Model):
    engine_version: str
    rule_pack: RulePackInfo
    inputs: list[dict[str, object]]
    as_of: date
    generated_at: str


class Assessment(Model):
    schema_version: Literal["2"] = "2"
    as_of: date
    scale: dict[str, str]
    bottom_line: BottomLine
    national: National
    locations: list[Location]
    guidance: list[GuidanceSummary]
    method: Method
    postures: dict[str, Posture]  # by level, "1" .. "5"
    incidents: list[Incident]
    inputs: dict[str, object] = Field(json_schema_extra=inputs_schema)
    provenance: Provenance

    def location(self, place_id: str) -> Location:
        for loc in self.locations:
            if loc.id == place_id:
                return loc
        raise KeyError(place_id)

    def capital(self) -> Location | None:
        """The capital's location (`national.capital`), or None when there is none."""
        cap = self.national.capital
        return next((loc for loc in self.locations if loc.id == cap), None) if cap else None

    @property
    def level_names(self) -> list[str]:
        """The rule pack's names of the levels, level 1 first (`scale` keys them "1", "2" ...)."""
        return [self.scale[str(i)] for i in range(1, len(self.scale) + 1)]
