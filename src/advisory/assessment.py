"""The assessment as typed data: its JSON form is the public contract for programs.

The contract keys named in the engine issue are fixed; more keys may be added, none removed.
`schema/assessment.schema.json` is generated from these models (see `advisory schema`).
"""

from __future__ import annotations

from datetime import date
from typing import Literal, Self

import orjson
import pydantic_core
from pydantic import BaseModel, ConfigDict

ConfidenceWord = Literal["low", "moderate", "high"]


_BUILDER = """
def trusted(_cls, *, {params}):
    _m = _new(_cls)
    _set(_m, "__dict__", {{{items}}})
    _set(_m, "__pydantic_fields_set__", _names)
    _set(_m, "__pydantic_extra__", None)
    _set(_m, "__pydantic_private__", None)
    return _m
"""


def _trusted_builder(cls: type[BaseModel]) -> classmethod:  # type: ignore[type-arg]
    """`trusted` written out for one class, as dataclasses writes `__init__`: keyword-only
    parameters, one per field and none optional, so Python itself rejects a missing or unknown
    field, and the values go straight into a dict in field order (the JSON follows it).

    Every record of a class shares one set of field names: every field is set, and pydantic
    only ever adds a field's own name to it. (Names cannot clash: fields never start with _.)"""
    names = tuple(cls.model_fields)
    source = _BUILDER.format(params=", ".join(names), items=", ".join(f"{n!r}: {n}" for n in names))
    scope = {"_new": object.__new__, "_set": object.__setattr__, "_names": set(names)}
    exec(source, scope)  # the source is made from the class's own field names only
    return classmethod(scope["trusted"])


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @classmethod
    def trusted(cls, **values: object) -> Self:
        """Build from values the engine made itself, every field given, without validation.

        Validating 100,000 drivers costs seconds at scale (and `model_construct` a second);
        the tests round-trip the engine's JSON through full validation instead. Each subclass
        gets its own version from `_trusted_builder` (twice as fast as a generic one)."""
        raise NotImplementedError(cls)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: object) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls.trusted = _trusted_builder(cls)  # type: ignore[method-assign]


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


LINE_SEP = b",\n    "  # between two locations' lines

# Where the locations go. Only a top-level key's line can read so (a line break or a quote
# inside a string is escaped, so no value can end a line or open a key).
_LOCATIONS_SLOT = b'\n  "locations": [],'


def _fields(obj: object) -> dict[str, object]:
    """orjson's fallback for our models: their fields, in order, as pydantic writes them. The
    models have no serializers, aliases or computed fields that pydantic would apply; tests hold
    the two writers to the same bytes."""
    if isinstance(obj, Model):
        return obj.__dict__
    raise TypeError(f"{type(obj).__name__} is not one of the assessment's models")


def assessment_json(doc: Assessment) -> bytes:
    """The assessment as UTF-8 JSON, indented, but each location on a line of its own, as
    GDAL writes GeoJSON features: 10,000 locations make 38 MB instead of 69 MB fully indented,
    written in 0.2 s less, and a line diff of two assessments lists the locations that changed.
    Built as bytes: at that size a str would cost time to build and then encode again.

    The location lines are written by orjson, byte for byte what pydantic writes for them, in
    about half the time (0.10-0.12 s against 0.18-0.19 s for 10,000 locations)."""
    lines = LINE_SEP.join(orjson.dumps(loc, default=_fields) for loc in doc.locations)
    return b"".join(json_parts(doc.model_copy(update={"locations": []}), lines))


def json_parts(head: Assessment, lines: bytes | memoryview) -> list[bytes | memoryview]:
    """`assessment_json` in pieces to write one after the other: `head` is the assessment
    without its locations, `lines` their JSON, a location a line, joined by `LINE_SEP`."""
    if not lines:
        return [_head_json(head) + b"\n"]
    before, after = around_lines(head)
    return [before, lines, after]


def around_lines(head: Assessment) -> tuple[bytes, bytes]:
    """What `assessment_json` writes before the locations' lines and after them (there must
    be at least one location: without, the document is `head`'s JSON as it is)."""
    before, slot, after = _head_json(head).partition(_LOCATIONS_SLOT)
    if not slot:  # the models define the layout; tests hold this function to it
        raise RuntimeError("assessment_json: no top-level locations key in the document")
    return before + b'\n  "locations": [\n    ', b"\n  ]," + after + b"\n"


def _head_json(head: Assessment) -> bytes:
    if head.locations:
        raise ValueError("the locations go in as lines, not in the head")
    return pydantic_core.to_json(head, indent=2)
