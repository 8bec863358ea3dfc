"""The numbers that steer how a road layer becomes a network (`rules/roads.yaml`).

They change results (which pieces join, which towns reach a road, how a stretch is drawn), so
they live in the rule pack beside the other tunables, validated like them, and are part of the
key a built network is cached under.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

PlaceKind = Literal["capital", "city", "town", "village", "airport", "border_crossing", "base"]

# OpenStreetMap's road classes for travel between places; streets, paths and service roads are
# left out by default (a town's streets would cut every stretch into blocks).
DEFAULT_HIGHWAYS = (
    "motorway",
    "motorway_link",
    "trunk",
    "trunk_link",
    "primary",
    "primary_link",
    "secondary",
    "secondary_link",
    "tertiary",
    "tertiary_link",
    "unclassified",
    "road",
    "track",
)
DEFAULT_ATTACH: tuple[PlaceKind, ...] = (
    "capital",
    "city",
    "town",
    "village",
    "airport",
    "border_crossing",
    "base",
)


class RoadSettings(BaseModel):
    """`rules/roads.yaml`. A pack without the file gets these defaults, which the shipped file
    repeats with comments (a test holds the two equal)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    join_tolerance_m: float = Field(default=20.0, gt=0, le=1000)
    attach_km: float = Field(default=5.0, gt=0, le=200)
    snap_km: float = Field(default=1.5, ge=0, le=20)
    simplify_m: float = Field(default=50.0, ge=0, le=5000)
    highways: tuple[str, ...] = Field(default=DEFAULT_HIGHWAYS, min_length=1)
    attach_kinds: tuple[PlaceKind, ...] = Field(default=DEFAULT_ATTACH, min_length=1)
    safest_level_factor: float = Field(default=10.0, ge=1, le=1000)

    def key(self) -> str:
        """A canonical text of the settings, for cache keys."""
        return self.model_dump_json()
