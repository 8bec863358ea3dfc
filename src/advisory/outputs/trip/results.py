"""What a trip check decides, as the JSON, the terminal and the clearance sheet show it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

Decision = Literal["cleared", "cleared_with_measures", "refused"]


class HazardPeak(BaseModel):
    level: int
    label: str
    where: list[str]


class Segment(BaseModel):
    id: str
    name: str
    kind: str
    distance_km: float | None = None
    ambush: int
    kidnapping: int
    personal_security: int


class Measure(BaseModel):
    id: str
    text: str
    reasons: list[str]
    # each reason in short ("ambush High"), as the table and the sheet print them; not in the
    # JSON, whose reasons say it in full
    peaks: list[str] = Field(default_factory=list, exclude=True)


class RoadTaken(BaseModel):
    """One road of a route as people name it, in the direction of travel: on a road layer the
    consecutive stretches of one road, from where the route joins it to where it leaves it
    ("RN27 Bamako – Koulikoro"); on the schematic network one road, by its name."""

    name: str
    distance_km: float
    roads: list[str]  # the road (stretch) ids it is made of, in order


class Alternative(BaseModel):
    mode: Literal["road", "air"]
    roads: list[str]
    road_names: list[str] = Field(default_factory=list)  # the roads as people know them
    decision: Decision
    ambush: HazardPeak
    kidnapping: HazardPeak
    why: str
    roads_taken: list[RoadTaken] = Field(default_factory=list)  # by road, in travel order
    distance_km: float | None = None
    longer_km: float | None = None  # than the leg's route as planned (negative: shorter)


class LegResult(BaseModel):
    index: int
    from_: str
    to: str
    mode: str
    date: dt.date | None
    depart: str
    arrive: str | None
    distance_km: float | None
    hours: float | None
    after_dark: bool
    route: str
    roads: list[Segment]
    places: list[Segment]
    decision: Decision
    measures: list[Measure]
    reasons: list[str]
    ambush: HazardPeak
    kidnapping: HazardPeak
    guidance: list[str]
    destination_regime_collapse: dict[str, object]
    alternative: Alternative | None = None
    roads_taken: list[RoadTaken] = Field(default_factory=list)  # by road, in travel order
    arrive_date: dt.date | None = None  # the day `arrive` falls on (a long leg: a later one)

    def model_dump_public(self) -> dict[str, object]:
        d = self.model_dump(mode="json")
        d["from"] = d.pop("from_")
        return d


class TripResult(BaseModel):
    decision: Decision
    profile: str
    headcount: int
    as_of: dt.date
    measures: list[Measure]
    ambush: HazardPeak
    kidnapping: HazardPeak
    legs: list[LegResult]
    provenance: dict[str, object]

    def public(self) -> dict[str, Any]:
        d = self.model_dump(mode="json")
        d["legs"] = [leg.model_dump_public() for leg in self.legs]
        return d


@dataclass
class Timing:
    """When a leg departs and arrives, and whether it drives outside daylight."""

    depart_text: str  # HH:MM as planned
    arrive: datetime | None
    hours: float | None
    after_dark: bool
    daylight_start: datetime
    daylight_end: datetime
