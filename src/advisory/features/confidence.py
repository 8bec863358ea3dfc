"""Confidence in a location's assessment, from the evidence behind it: how many events, how many
independent sources, how recent, how precisely located. It is stated apart from the levels and
the likelihoods (ICD 203: never in the same sentence)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from ..rulepack.tracks import Confidence
from .evidence import Counted


@dataclass
class ConfidenceColumns:
    word: list[str]
    events: list[int]
    sources: list[int]
    latest_days: list[int | None]
    precise_share: list[float]


def _evidence_pairs(cfg: Confidence, counted: dict[str, Counted]) -> pl.DataFrame:
    """Each (location, event) that counts in any of the confidence exposures, once."""
    frames = [
        counted[e].events(np.ones(counted[e].catch.pairs.loc.size, dtype=bool)).select("loc", "ev")
        for e in cfg.exposures
    ]
    if not frames:
        return pl.DataFrame(schema={"loc": pl.Int64, "ev": pl.Int64})
    return pl.concat(frames).unique()


def _source_names(events: pl.DataFrame) -> pl.DataFrame:
    """(event row, source name as a number) for each name in an event's `source` field: the
    names are read once per event, not once per location that event counts at."""
    return (
        pl.DataFrame({"ev": np.arange(events.height), "name": events["source"].fill_null("")})
        .with_columns(pl.col("name").str.split(";"))
        .explode("name")
        .with_columns(pl.col("name").str.strip_chars().str.to_lowercase())
        .filter(pl.col("name") != "")
        .select(pl.col("ev"), pl.col("name").rank("dense"))
    )


def confidence(
    cfg: Confidence,
    counted: dict[str, Counted],
    events: pl.DataFrame,
    ages: np.ndarray,
    n: int,
) -> ConfidenceColumns:
    """Per location: the evidence's volume, recency, precision and independent sources (the
    distinct names in its events' `source` fields, split on ';', case and spaces ignored)."""
    found = _evidence_pairs(cfg, counted)
    ev = found["ev"].to_numpy()
    per_loc = (
        found.with_columns(
            pl.Series("age", ages[ev]),
            pl.Series("precise", events["precision"].to_numpy()[ev] <= 2),
        )
        .group_by("loc")
        .agg(
            pl.len().alias("events"),
            pl.col("age").min().alias("latest"),
            pl.col("precise").mean().alias("share"),
        )
    )
    names = (
        found.join(_source_names(events), on="ev")
        .group_by("loc")
        .agg(pl.col("name").n_unique().alias("sources"))
    )
    full = (
        pl.DataFrame({"loc": np.arange(n, dtype=np.int64)})
        .join(per_loc.with_columns(pl.col("loc").cast(pl.Int64)), on="loc", how="left")
        .join(names.with_columns(pl.col("loc").cast(pl.Int64)), on="loc", how="left")
        .sort("loc")
    )
    count = full["events"].fill_null(0).to_numpy()
    sources = full["sources"].fill_null(0).to_numpy()
    latest = full["latest"].to_numpy()
    share = np.round(full["share"].fill_null(0.0).to_numpy(), 3)
    seen = count > 0
    word = np.full(n, "low", dtype=object)
    age = np.where(seen, np.nan_to_num(latest, nan=np.inf), np.inf)  # inf: nothing seen
    for name in ("moderate", "high"):  # the stronger word wins where both hold
        c = getattr(cfg, name)
        ok = (
            (count >= c.min_events)
            & (sources >= c.min_sources)
            & seen
            & (age <= c.max_latest_days)
            & (share >= c.min_precise_share)
        )
        word[ok] = name
    days = [
        int(d) if s else None
        for d, s in zip(np.nan_to_num(latest).tolist(), seen.tolist(), strict=True)
    ]
    return ConfidenceColumns(
        word.tolist(),
        count.astype(int).tolist(),
        sources.astype(int).tolist(),
        days,
        share.tolist(),
    )
