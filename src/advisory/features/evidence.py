"""The events behind an exposure, per location: which ones count, with what weight, strongest
first.

Exposures are summed per site (`sites.py`); the evidence needs the events again. An event's
contribution at a location is its weight x decay (`ExposureAt.value`) x the taper of its
site's pair with the location, so the events of one site keep their order at every location,
and a location's strongest events lie in its strongest sites: the ranking looks at sites first
and opens only the few it needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import polars as pl

from .exposure import Catchment, ExposureAt
from .table import RankedEvidence

SCHEMA = {"loc": pl.Int64, "ev": pl.Int64, "km": pl.Float64, "c": pl.Float64}


@dataclass
class Counted:
    """One exposure at one date, event by event: its catchment and what it measured."""

    catch: Catchment
    at: ExposureAt

    def pair_best(self) -> np.ndarray:
        """Per pair, the contribution of the strongest event of its site (0: none counts)."""
        slots = 2 * self.catch.sites.size
        best = np.zeros(slots)
        site = self.catch.sites.of_event[self.catch.rows]
        for kind in (0, 1):
            np.maximum.at(best, site + kind * self.catch.sites.size, self.at.value[kind])
        return best[self.catch.keys()] * self.at.taper

    @cached_property
    def _by_slot(self) -> tuple[np.ndarray, np.ndarray]:
        """The counted (kind, member) entries grouped by slot: (entries, starts per slot).
        Only slots some pair reaches are sorted (200 roads reach few of a million events')."""
        catch, m = self.catch, self.catch.rows.size
        counted = np.flatnonzero(self.at.value.ravel() > 0)  # kind * m + member
        slot = catch.sites.of_event[catch.rows[counted % m]] + (counted // m) * catch.sites.size
        reached = np.zeros(2 * catch.sites.size, dtype=bool)
        reached[catch.keys()] = True
        keep = reached[slot]
        counted, slot = counted[keep], slot[keep]
        order = np.argsort(slot, kind="stable")
        starts = np.searchsorted(slot[order], np.arange(2 * catch.sites.size + 1))
        return counted[order], starts

    def events(self, keep: np.ndarray) -> pl.DataFrame:
        """(loc, ev, km, c) for every event that counts through the kept pairs, where c is
        what it gives the location (> 0)."""
        catch, value, m = self.catch, self.at.value, self.catch.rows.size
        entries, starts = self._by_slot
        pick = np.flatnonzero(keep & (self.at.taper > 0))
        key = catch.keys()[pick]
        first, length = starts[key], starts[key + 1] - starts[key]
        pair_of = np.repeat(pick, length)
        offset = np.arange(pair_of.size) - np.repeat(np.cumsum(length) - length, length)
        member = entries[np.repeat(first, length) + offset]
        return pl.DataFrame(
            {
                "loc": catch.pairs.loc[pair_of],
                "ev": catch.rows[member % m],
                "km": catch.pairs.km[pair_of],
                "c": value.ravel()[member] * self.at.taper[pair_of],
            },
            schema=SCHEMA,
        )

    def counting(
        self, loc: np.ndarray, ev: np.ndarray, road: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """For each (location, event row) asked, the location being a road or not: whether
        the event counts there, and its site's distance (inf where it does not). Only the
        pairs of the sites of the events it values are looked at, found by one number per
        (location, site): 0.8M of the regional term's 4.9M at 1M x 10k (the cited evidence
        0.33 to 0.25 s CPU), 2.1M of 8.8M on the road layer."""
        catch, m = self.catch, self.catch.rows.size
        if m == 0:
            return np.zeros(ev.size, dtype=bool), np.full(ev.size, np.inf)
        member = np.minimum(np.searchsorted(catch.rows, ev), m - 1)
        valued = (catch.rows[member] == ev) & (self.at.value[road.astype(np.int64), member] > 0)
        width = np.int64(catch.sites.size)
        site = catch.sites.of_event[ev]
        asked = loc * width + site
        of_asked = np.zeros(catch.sites.size, dtype=bool)
        of_asked[site[valued]] = True
        pairs = np.flatnonzero(of_asked[catch.pairs.site] & (self.at.taper > 0))
        keys = catch.pairs.loc[pairs] * width + catch.pairs.site[pairs]
        near = pl.Series(keys).is_in(pl.Series(asked[valued]).unique().implode()).to_numpy()
        found = pl.DataFrame({"key": keys[near], "km": catch.pairs.km[pairs[near]]})
        km = (
            pl.DataFrame({"key": asked})
            .join(found, on="key", how="left", maintain_order="left")["km"]
            .fill_null(np.inf)
            .to_numpy()
        )
        counts = valued & np.isfinite(km)
        return counts, np.where(counts, km, np.inf)

    def strongest(self, n: int, k: int, event_ids: np.ndarray) -> RankedEvidence:
        """The `k` events that count most per location, strongest first; ties go to the
        smaller event row (rows are sorted by event id, so ids break ties the same way).

        A location's k-th strongest event is at least as strong as its k-th strongest site's
        best event, so only the sites at or above that are opened, and of their events only
        those at or above it are sorted (the limit found once, on the pairs: the same rows as
        finding each location's k-th strongest event again, and a group_by fewer; with the
        first k taken by rank in the sorted rows, not a window: the road bench's 8 terms
        1.8-2.4 s to 1.3-1.7 s CPU, 1M x 10k's 0.73-0.80 s to 0.56-0.59 s)."""
        best = self.pair_best()
        live = best > 0
        limit = kth_largest(self.catch.pairs.loc[live], best[live], k, n)
        keep = live & (best >= limit[self.catch.pairs.loc])
        events = self.events(keep)
        above = events["c"].to_numpy() >= limit[events["loc"].to_numpy()]
        ranked = first_k(events.filter(above), k)
        loc = ranked["loc"].to_numpy()
        starts = np.searchsorted(loc, np.arange(n + 1), side="left")
        return RankedEvidence(starts, ranked["ev"].to_numpy(), event_ids, ranked["c"].to_numpy())


def kth_largest(loc: np.ndarray, c: np.ndarray, k: int, n: int) -> np.ndarray:
    """Each of `n` locations' k-th largest `c`, ties counted; -inf where it has fewer than k
    (all its rows are then kept). One hashed pass, then rows are compared through this array
    indexed by location (a join back onto millions of rows cost more)."""
    limit = np.full(n, -np.inf)
    if loc.size == 0:
        return limit
    kth = (
        pl.DataFrame({"loc": loc, "c": c})
        .group_by("loc")
        .agg(pl.col("c").top_k(k).min(), pl.len())
        .filter(pl.col("len") >= k)
    )
    limit[kth["loc"].to_numpy()] = kth["c"].to_numpy()
    return limit


def top_per_location(frame: pl.DataFrame, k: int) -> pl.DataFrame:
    """The `k` rows with the largest `c` per `loc`, strongest first, ties to the smaller `ev`.

    Rows under their location's k-th largest `c` are dropped first, so only the few left are
    sorted: at 17.5M pairs, 1.1 s against 6.2 s for sorting them all."""
    if frame.is_empty():
        return frame
    loc, c = frame["loc"].to_numpy(), frame["c"].to_numpy()
    return first_k(frame.filter(c >= kth_largest(loc, c, k, int(loc.max()) + 1)[loc]), k)


def first_k(frame: pl.DataFrame, k: int) -> pl.DataFrame:
    """The first `k` rows per `loc` once sorted by location, `c` descending, then `ev`."""
    ranked = frame.sort(["loc", "c", "ev"], descending=[False, True, False])
    loc = ranked["loc"].to_numpy()
    return ranked.filter(np.arange(loc.size) - np.searchsorted(loc, loc) < k)
