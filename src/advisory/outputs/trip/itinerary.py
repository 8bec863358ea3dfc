"""The itinerary file (YAML): travellers and legs in order. A public contract (README)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ...errors import InputError, Problem
from ...validation import validation_problems, vocabulary
from ...yamlsafe import YamlProblems, load_yaml

HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"


class Travellers(BaseModel):
    model_config = ConfigDict(extra="forbid")
    profile: str
    headcount: int = Field(default=1, ge=1)


class Leg(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    from_: str = Field(alias="from")
    to: str
    via: str | None = None
    date: dt.date | None = None
    depart: str | None = Field(default=None, pattern=HHMM)
    mode: Literal["road", "air"] = "road"
    vehicles: int | None = Field(default=None, ge=1)


class Itinerary(BaseModel):
    model_config = ConfigDict(extra="forbid")
    travellers: Travellers
    legs: list[Leg] = Field(min_length=1)


def load_itinerary(path: Path) -> Itinerary:
    name = str(path)
    if not Path(path).is_file():
        raise InputError(Problem(name, "itinerary file not found"))
    try:
        data, lines = load_yaml(Path(path), name)
    except YamlProblems as exc:
        raise InputError(exc.problems) from exc
    if not isinstance(data, dict):
        raise InputError(Problem(name, "expected a mapping with 'travellers' and 'legs'", 1))
    try:
        return Itinerary.model_validate(data)
    except ValidationError as exc:
        vocab = vocabulary(Itinerary, Travellers, Leg) | {"from"}
        raise InputError(validation_problems(exc, name, data, lines, vocab)) from exc
