"""Everything the rules may look at, for every location at one as-of date (control status is
added on top by `control`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import polars as pl

from ..ingest.guidance import GuidanceEntry
from ..ingest.places import Gazetteer
from ..rulepack import RulePack
from ..rulepack.vocabulary import NONE_DAYS
from .evidence import Counted
from .exposure import (
    Catchment,
    ages_at,
    catchment,
    days_since_epoch,
    exposure_at,
    live_between,
    signal_weights,
)
from .guidance import add_guidance_features
from .sites import Sites
from .table import FeatureTable, RankedEvidence


@dataclass
class Measured:
    """The features, plus what the evidence and explanations need: each exposure's events as
    counted (`counted[name].events(...)`), and the events' ages."""

    table: FeatureTable
    counted: dict[str, Counted]
    ages: np.ndarray
    in_force: list[list[str]]  # guidance ids in force per location
    strongest: dict[str, RankedEvidence]  # per exposure (empty when measured without evidence)


def latest_dates(latest_days: np.ndarray, as_of: date) -> list[str]:
    """Each location's latest event as a date (YYYY-MM-DD, the same in every language; "none"
    where none counts), each distinct age written once."""
    written = {
        d: "none" if d >= NONE_DAYS else (as_of - timedelta(days=int(d))).isoformat()
        for d in set(latest_days.tolist())
    }
    return [written[d] for d in latest_days.tolist()]


def add_location_features(table: FeatureTable, gaz: Gazetteer) -> None:
    table.numbers["location.is_route"] = gaz.route_mask().astype(np.float64)
    table.numbers["location.is_capital"] = np.array(
        [p.kind == "capital" for p in gaz.places], dtype=np.float64
    ).reshape(table.size)


@dataclass
class Reach:
    """Which events each exposure can count at which locations, whatever the date: found once
    for the engine's one date, once for all the dates of a backtest."""

    catchments: dict[str, Catchment]
    sites: Sites
    days: np.ndarray  # each event's date, in days since 1970-01-01

    @classmethod
    def of(
        cls,
        pack: RulePack,
        gaz: Gazetteer,
        events: pl.DataFrame,
        signals: pl.DataFrame,
        dates: tuple[date, date] | None = None,
    ) -> Reach:
        """The pairs for measuring at any date from `dates[0]` to `dates[1]` (default: any
        date at all). Ten years of events measured at one date need two years of them: the
        others are never paired, which at a million events saves most of the work."""
        days = days_since_epoch(events)
        sites = Sites.of(events["lat"].to_numpy(), events["lon"].to_numpy())
        precision = events["precision"].to_numpy()
        catchments = {
            name: catchment(
                exp,
                gaz,
                sites,
                precision,
                signal_weights(exp, signals),
                None if dates is None else live_between(exp, days, *dates),
            )
            for name, exp in pack.exposures.items()
        }
        return cls(catchments, sites, days)


def measure(
    pack: RulePack,
    gaz: Gazetteer,
    events: pl.DataFrame,
    signals: pl.DataFrame,
    guidance: list[GuidanceEntry],
    as_of: date,
    reach: Reach | None = None,
    evidence: bool = True,
) -> Measured:
    """Every exposure's columns (and, with `evidence`, the strongest events behind them),
    guidance in force, and location facts, for the events' ages at `as_of`."""
    n = len(gaz.places)
    reach = reach or Reach.of(pack, gaz, events, signals, (as_of, as_of))
    table = FeatureTable(n)
    ages = ages_at(reach.days, as_of)
    ids = events["event_id"].to_numpy()
    counted: dict[str, Counted] = {}
    ranked_by: dict[str, RankedEvidence] = {}
    for name in sorted(pack.exposures):
        catch = reach.catchments[name]
        at = exposure_at(pack.exposures[name], catch, ages, n)
        counted[name] = Counted(catch, at)
        for prefix, values in at.columns.items():
            table.numbers[f"{prefix}.{name}"] = values
        if evidence:  # the engine's one date: what its sentences and evidence name
            table.texts[f"latest_date.{name}"] = latest_dates(at.columns["latest_days"], as_of)
            ranked = counted[name].strongest(n, pack.info.evidence.max_ids, ids)
            ranked_by[name] = ranked
            for prefix in at.columns:
                table.evidence[f"{prefix}.{name}"] = ranked
    in_force = add_guidance_features(
        table, gaz, guidance, as_of, list(pack.guidance.departure_actions)
    )
    add_location_features(table, gaz)
    return Measured(table, counted, ages, in_force, ranked_by)
