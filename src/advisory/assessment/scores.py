"""Everything the engine worked out at one as-of date, before it is written up as an
`Assessment`: the input of the assessment builders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

import numpy as np
import polars as pl

from ..control import CentreStatus
from ..features.build import Measured
from ..features.confidence import ConfidenceColumns
from ..features.table import Features, FeatureTable
from ..ingest.guidance import GuidanceEntry
from ..ingest.places import Gazetteer
from ..rulepack import RulePack
from ..scoring.hazards import Combined, HazardScore
from ..scoring.rules import TableScore, Trace


@dataclass
class Scores:
    pack: RulePack
    gaz: Gazetteer
    events: pl.DataFrame
    signals: pl.DataFrame
    measured: Measured
    statuses: dict[int, CentreStatus]
    hazards: dict[str, HazardScore]
    combined: Combined
    regime: TableScore
    national: Features
    national_trace: Trace
    confidence: ConfidenceColumns
    entries: list[GuidanceEntry]
    as_of: date

    @property
    def table(self) -> FeatureTable:
        return self.measured.table

    @property
    def n(self) -> int:
        return len(self.gaz.places)

    def route_mask(self) -> np.ndarray:
        return self.gaz.route_mask()

    @cached_property
    def entry_by_id(self) -> dict[str, GuidanceEntry]:
        """The guidance entries by id (looked up for every raised hazard of every place)."""
        return {e.id: e for e in self.entries}
