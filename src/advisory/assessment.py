"""The assessment as typed data: its JSON form is the public contract for programs.

The contract keys named in the engine issue are fixed; more keys may be added, none removed.
`schema/assessment.schema.json` is generated from these models (see `advisory schema`).
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict

ConfidenceWord = Literal["low", "moderate", "high"]


@cache
def _field_names(cls: type[BaseModel]) -> tuple[str, ...]:
    return tuple(cls.model_fields)


@cache
def _fields_set(cls: type[BaseModel]) -> set[str]:
    return set(cls.model_fields)


_new = object.__new__
_set = object.__setattr__


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @classmethod
    def trusted(cls, **values: object) -> Self:
        """Build from values the engine made itself, every field given, without validation.

        Validating 100,000 drivers costs seconds at scale (and `model_construct` a second);
        the tests round-trip the engine's JSON through full validation instead. Every record
        of a class shares one set of field names (every field is set; pydantic only ever adds
        a field's own name to it): a set of its own each cost a tenth of the records' time."""
        names = _field_names(cls)
        if tuple(values) != names:
            # in field order (the JSON follows it); a missing field is a KeyError here
            values = {name: values[name] for name in names}
        m = _new(cls)
        _set(m, "__dict__", values)
        _set(m, "__pydantic_fields_set__", _fields_set(cls))
        _set(m, "__pydantic_extra__", None)
        _set(m, "__pydantic_private__", None)
        return m


class Driver(Model):
    """A rule that fired: its points, whether it decided the level, the evidence behind it."""

    rule: str
    track: Literal["personal_security", "regime_collapse"]
    hazard: str | None = None
    points: float
    decisive: bool
    because: str
    incidents: list[str]
    guidance: list[str]


class Hazard(Model):
    score: float
    level: int
    label: str
    likelihood_30d: float
    estimative: str
    drivers: list[Driver]


class PersonalSecurity(Model):
    level: int
    label: str
    method: str
    decided_by: list[str]
    hazards: dict[str, Hazard]


class RegimeCollapse(Model):
    level: int
    label: str
    score: float
    control_status: str | None = None
    drivers: list[Driver]


class ConfidenceBasis(Model):
    events: int
    sources: int
    latest_days: int | None
    precise_share: float


class Location(Model):
    id: str
    name: str
    kind: str
    admin1: str | None = None
    road: str | None = None
    personal_security: PersonalSecurity
    regime_collapse: RegimeCollapse
    confidence: ConfidenceWord
    confidence_basis: ConfidenceBasis
    guidance_in_force: list[str]
    drivers: list[Driver]
    bottom_line: str


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


class National(Model):
    regime_collapse: NationalRegime
    personal_security: NationalPersonal


class BottomLine(Model):
    personal_security: str
    regime_collapse: str


class GuidanceSummary(Model):
    id: str
    issuer: str
    issued: date
    expires: date | None
    level: int
    action: str
    reasons: list[str]
    in_force: bool
    source: str | None
    summary: str | None


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
    schema_version: Literal["1"] = "1"
    as_of: date
    scale: dict[str, str]
    bottom_line: BottomLine
    national: National
    locations: list[Location]
    guidance: list[GuidanceSummary]
    inputs: dict[str, object]
    provenance: Provenance
