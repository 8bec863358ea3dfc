"""A whole period of incidents, read and classified once, measured at many as-of dates.

The backtest and the calibration roll the as-of date forward and, at each date, use only the
events dated on or before it — with the engine's own functions (`features.build.measure`,
`scoring.hazards`), so what is checked is what `assess` does. What happened next is each
hazard's outcome: an event of its ACLED types within its radius in the following days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl

from ..classify import classify
from ..features.build import Measured, Reach, measure
from ..features.exposure import Pairs, ages_at, find_pairs
from ..features.sites import Sites
from ..ingest.guidance import GuidanceEntry
from ..ingest.incidents import Incidents, read_incidents
from ..ingest.places import Gazetteer
from ..rulepack import RulePack
from ..rulepack.tracks import Outcome


def outcome_mask(outcome: Outcome, events: pl.DataFrame) -> np.ndarray:
    """The events that count as the outcome: its event types (and sub-types, if it names
    any), located precisely enough."""
    ok = events["event_type"].is_in(outcome.event_types).to_numpy()
    if outcome.sub_event_types:
        ok &= events["sub_event_type"].is_in(outcome.sub_event_types).to_numpy()
    return ok & (events["precision"].to_numpy() <= outcome.max_geo_precision)


@dataclass
class OutcomeReach:
    """A hazard's outcome events and the (location, site) pairs within its radius."""

    pairs: Pairs
    sites: Sites
    rows: np.ndarray

    @classmethod
    def of(
        cls, outcome: Outcome, gaz: Gazetteer, events: pl.DataFrame, sites: Sites
    ) -> OutcomeReach:
        rows = np.flatnonzero(outcome_mask(outcome, events))
        r, at = outcome.radius_km, sites.holding(rows)
        return cls(find_pairs(gaz, sites, at, at, r.point, r.route), sites, rows)

    def per_location(self, ages: np.ndarray, lo: float, hi: float, n: int) -> np.ndarray:
        """How many outcome events aged from `lo` (included) to `hi` (excluded) days lie
        within reach of each location."""
        age = ages[self.rows]
        inside = self.rows[(age >= lo) & (age < hi)]
        per_site = np.bincount(self.sites.of_event[inside], minlength=self.sites.size)
        return np.bincount(self.pairs.loc, weights=per_site[self.pairs.site], minlength=n)


def months(start: date, end: date) -> list[date]:
    """The first of each month from `start`'s month (or the next first) to `end`."""
    d = start if start.day == 1 else (start.replace(day=1) + timedelta(days=32)).replace(day=1)
    out = []
    while d <= end:
        out.append(d)
        d = (d + timedelta(days=32)).replace(day=1)
    return out


def steps(start: date, end: date, step_days: int | None) -> list[date]:
    """As-of dates from `start` to `end`: monthly by default, else every `step_days`."""
    if step_days is None:
        return months(start, end)
    out, d = [], start
    while d <= end:
        out.append(d)
        d += timedelta(days=step_days)
    return out


@dataclass
class History:
    pack: RulePack
    gaz: Gazetteer
    incidents: Incidents
    signals: pl.DataFrame
    reach: Reach
    outcomes: dict[str, OutcomeReach]

    @classmethod
    def read(cls, pack: RulePack, gaz: Gazetteer, paths: list[Path]) -> History:
        inc = read_incidents(
            paths, pack.formats.acled_legacy, None, None, ged=pack.formats.ucdp_ged
        )
        return cls.of(pack, gaz, inc)

    @classmethod
    def of(cls, pack: RulePack, gaz: Gazetteer, inc: Incidents) -> History:
        events = inc.frame
        signals = classify(events, pack.classify.rules, list(pack.classify.signals))
        reach = Reach.of(pack, gaz, events, signals)
        outcomes = {
            name: OutcomeReach.of(hz.outcome, gaz, events, reach.sites)
            for name, hz in pack.personal_security.hazards.items()
        }
        return cls(pack, gaz, inc, signals, reach, outcomes)

    def with_pack(self, pack: RulePack) -> History:
        """The same history under a pack that differs only in its exposures and model (a
        fitted pack): the signals and outcomes stand, the pairs are found again."""
        reach = Reach.of(pack, self.gaz, self.events, self.signals)
        return History(pack, self.gaz, self.incidents, self.signals, reach, self.outcomes)

    @property
    def days(self) -> np.ndarray:
        return self.reach.days

    @property
    def events(self) -> pl.DataFrame:
        return self.incidents.frame

    @property
    def n(self) -> int:
        return len(self.gaz.places)

    def span(self) -> tuple[date, date]:
        dates = self.events["date"]
        return dates.min(), dates.max()  # type: ignore[return-value]

    def measure(self, as_of: date, guidance: list[GuidanceEntry]) -> Measured:
        """The features at `as_of`, from the events dated on or before it."""
        return measure(
            self.pack,
            self.gaz,
            self.events,
            self.signals,
            guidance,
            as_of,
            self.reach,
            evidence=False,
        )

    def outcome(self, hazard: str, as_of: date, days: int) -> np.ndarray:
        """Whether the hazard's outcome happened at each location in (as_of, as_of + days]."""
        return self.outcomes[hazard].per_location(ages_at(self.days, as_of), -days, 0, self.n) > 0

    def counts(self, hazard: str, as_of: date, window: int) -> np.ndarray:
        """The hazard's outcome events at each location in the `window` days up to `as_of`:
        the naive baselines (what happened lately will happen again)."""
        return self.outcomes[hazard].per_location(ages_at(self.days, as_of), 0, window, self.n)
