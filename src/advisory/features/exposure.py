"""Exposure of each location to each named exposure: decayed in time, tapered in distance.

exposure = sum over events of signal weight x distance taper x 0.5^(age / half_life_days),
for events younger than `horizon_days` (an event with several of the exposure's signals counts
once, at its largest weight). Also counts, days since the latest event and a trend of the recent
window against the baseline before it.

The work is split where the backtest needs it: which sites (the points events are located at,
`sites.py`) lie within reach of which locations (`Catchment`, independent of the date) is found
once; the sums for a given as-of date (`exposure_at`) are a pass over the events, summed per
site, then over those pairs. The engine measures one date, `advisory backtest` and `advisory
calibrate` many, with the same two functions.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date

import numpy as np
import polars as pl

from ..geo import point_pairs, segment_pairs
from ..ingest.places import Gazetteer
from ..rulepack.model import Exposure
from ..rulepack.vocabulary import NONE_DAYS
from .sites import Sites

EPOCH = date(1970, 1, 1)


@dataclass
class Pairs:
    """Every (location, site) within reach, with the distance: columns of equal length."""

    loc: np.ndarray
    site: np.ndarray
    km: np.ndarray
    route: np.ndarray  # the location is a road (bool)

    def within(self, radius_point: float, radius_route: float) -> Pairs:
        keep = self.km <= np.where(self.route, radius_route, radius_point)
        return self.subset(keep)

    def subset(self, keep: np.ndarray) -> Pairs:
        return Pairs(self.loc[keep], self.site[keep], self.km[keep], self.route[keep])


_PAIR_COLUMNS = [f.name for f in fields(Pairs)]


def days_since_epoch(frame: pl.DataFrame) -> np.ndarray:
    return frame["date"].cast(pl.Int32).to_numpy().astype(np.float64)


def ages_at(days: np.ndarray, as_of: date) -> np.ndarray:
    """Each event's age in days at `as_of` (negative: after it)."""
    return float((as_of - EPOCH).days) - days


def find_pairs(
    gaz: Gazetteer,
    sites: Sites,
    point_sites: np.ndarray,
    route_sites: np.ndarray,
    radius_point: float,
    radius_route: float,
) -> Pairs:
    """(location, site, km) for the candidate sites within the radius of each place (to the
    point) or road (to the nearest point of its line): places' pairs first, then roads'.
    Each kind has its own candidates (an event may be precise enough for a place, not a
    road). The pairs are copied once at most: millions of them at a national size (1M x 10k's
    regional term, 4.9M: its catchment 0.95 to 0.70 s, when each kind was joined on its own
    and the two then joined again)."""
    parts: list[Pairs] = []
    pidx, plat, plon = gaz.point_arrays()
    if pidx.size and point_sites.size and radius_point > 0:
        lat, lon = sites.lat[point_sites], sites.lon[point_sites]
        q, e, d = point_pairs(plat, plon, lat, lon, radius_point)
        parts.append(Pairs(pidx[q], point_sites[e], d, np.zeros(q.size, dtype=bool)))
    owner, alat, alon, blat, blon = gaz.segment_arrays()
    if owner.size and route_sites.size and radius_route > 0:
        lat, lon = sites.lat[route_sites], sites.lon[route_sites]
        o, e, d = segment_pairs(owner, alat, alon, blat, blon, lat, lon, radius_route)
        parts.append(Pairs(o, route_sites[e], d, np.ones(o.size, dtype=bool)))
    if len(parts) == 1:
        return parts[0]
    if not parts:
        z = np.empty(0, dtype=np.int64)
        return Pairs(z, z.copy(), np.empty(0), np.empty(0, dtype=bool))
    a, b = parts
    return Pairs(*(np.concatenate([getattr(a, f), getattr(b, f)]) for f in _PAIR_COLUMNS))


def signal_weights(exp: Exposure, signals: pl.DataFrame) -> np.ndarray:
    """Each event's weight for this exposure: the largest weight of its signals (0: none)."""
    weight = np.zeros(signals.height)
    for sig, w in exp.signals.items():
        weight = np.maximum(weight, np.where(signals[sig].to_numpy(), w, 0.0))
    return weight


def live_between(exp: Exposure, days: np.ndarray, first: date, last: date) -> np.ndarray:
    """The events this exposure can count at some date from `first` to `last`: dated on or
    before `last`, and less than its horizon or its trend's two windows (whichever is longer)
    before `first`."""
    reach_days = max(exp.horizon_days, exp.trend.recent_days + exp.trend.baseline_days)
    ages_first, ages_last = ages_at(days, first), ages_at(days, last)
    return (ages_last >= 0) & (ages_first < reach_days)


@dataclass
class Catchment:
    """What one exposure can count, whatever the date: its events (a signal, precise enough
    for a place or a road) and the (location, site) pairs within its radius."""

    pairs: Pairs
    sites: Sites
    rows: np.ndarray  # the event rows it may count
    weight: np.ndarray  # their signal weights
    fits: np.ndarray  # (2, rows): precise enough for a place (0), for a road (1)

    def within(self, radius_point: float, radius_route: float) -> Catchment:
        return replace(self, pairs=self.pairs.within(radius_point, radius_route))

    def reweighted(self, weights: np.ndarray) -> Catchment:
        """The same events and pairs under other signal weights (given for every event)."""
        return replace(self, weight=weights[self.rows])

    def keys(self) -> np.ndarray:
        """Each pair's (kind, site) slot: the site for a place, sites + site for a road."""
        return self.pairs.site + np.where(self.pairs.route, self.sites.size, 0)


def catchment(
    exp: Exposure,
    gaz: Gazetteer,
    sites: Sites,
    precision: np.ndarray,
    weights: np.ndarray,
    live: np.ndarray | None = None,
) -> Catchment:
    """The events one exposure counts (a weight, `live` when given) and the sites within its
    radius of each location that hold such an event precise enough for it (a region
    centroid never lights up a road)."""
    mp = exp.max_geo_precision
    usable = weights > 0 if live is None else (weights > 0) & live
    rows = np.flatnonzero(usable & (precision <= max(mp.point, mp.route)))
    fits = np.stack([precision[rows] <= mp.point, precision[rows] <= mp.route])
    r = exp.radius_km
    point, route = (sites.holding(rows[fits[k]]) for k in (0, 1))
    pairs = find_pairs(gaz, sites, point, route, r.point, r.route)
    return Catchment(pairs, sites, rows, weights[rows], fits)


def taper(exp: Exposure, pairs: Pairs) -> np.ndarray:
    """1 up to `full_weight_km`, then linear to 0 at `radius_km`: each kind's ramp on its
    scalars, then the pair's kind picks (road bench: 0.15 s to 0.06 s CPU over the 8 terms,
    against radius and full weight made as arrays per pair)."""
    return np.where(
        pairs.route,
        _ramp(pairs.km, exp.radius_km.route, exp.full_weight_km.route),
        _ramp(pairs.km, exp.radius_km.point, exp.full_weight_km.point),
    )


def _ramp(km: np.ndarray, radius: float, full: float) -> np.ndarray:
    """(radius - km) / (radius - full), clipped to [0, 1]: at or under `full` it is at least
    1 (so exactly 1 once clipped)."""
    if radius <= full:
        return (km <= full).astype(np.float64)
    ramp = np.subtract(radius, km)
    ramp /= radius - full
    return np.clip(ramp, 0.0, 1.0, out=ramp)


@dataclass
class ExposureAt:
    """One exposure measured at one date: columns over locations, what each of its events
    gives where it counts, and each pair's distance taper."""

    columns: dict[str, np.ndarray]  # exposure, count, recent, baseline, trend, new, latest_days
    value: np.ndarray  # (2, rows): weight x decay at a place (0) and on a road (1); 0: not counted
    taper: np.ndarray  # per pair


def _per_slot(catch: Catchment, values: np.ndarray) -> np.ndarray:
    """Sums of per-event values (2, rows) per (kind, site) slot."""
    slots = np.concatenate([catch.sites.of_event[catch.rows]] * 2)
    slots[catch.rows.size :] += catch.sites.size
    return np.bincount(slots, weights=values.ravel(), minlength=2 * catch.sites.size)


def exposure_at(exp: Exposure, catch: Catchment, ages: np.ndarray, n: int) -> ExposureAt:
    """The exposure's feature columns at every location, for events of these ages: each
    site's sums first, then each location's over the sites within reach."""
    age = ages[catch.rows]
    live = (age >= 0) & (age < exp.horizon_days)
    decay = np.power(0.5, np.where(live, age, 0.0) / exp.half_life_days)
    value = np.where(live, catch.weight * decay, 0.0) * catch.fits
    rd, bd = exp.trend.recent_days, exp.trend.baseline_days
    key, tap, loc = catch.keys(), taper(exp, catch.pairs), catch.pairs.loc
    # bincount sums in pair order: the same pairs give the same floats run after run
    cols: dict[str, np.ndarray] = {
        "exposure": np.bincount(loc, weights=_per_slot(catch, value)[key] * tap, minlength=n)
    }
    windows = {
        "count": live,
        "recent": (age >= 0) & (age < rd),
        "baseline": (age >= rd) & (age < rd + bd),
    }
    for name, inside in windows.items():
        per_slot = _per_slot(catch, inside * catch.fits)
        cols[name] = np.bincount(loc, weights=per_slot[key], minlength=n)
    cols["latest_days"] = _latest(catch, age, live, key, n)
    cols["trend"] = (cols["recent"] / rd) / (np.maximum(cols["baseline"], 1.0) / bd)
    new = (cols["baseline"] == 0) & (cols["recent"] >= exp.trend.min_recent)
    cols["new"] = new.astype(np.float64)
    return ExposureAt(cols, value, tap)


def _latest(
    catch: Catchment, age: np.ndarray, live: np.ndarray, key: np.ndarray, n: int
) -> np.ndarray:
    """Days since the latest counted event at each location (NONE_DAYS: none)."""
    slot_latest = np.full(2 * catch.sites.size, NONE_DAYS, dtype=np.float64)
    site = catch.sites.of_event[catch.rows]
    for kind in (0, 1):
        ok = live & catch.fits[kind]
        np.minimum.at(slot_latest, site[ok] + kind * catch.sites.size, age[ok])
    latest = np.full(n, NONE_DAYS, dtype=np.float64)
    np.minimum.at(latest, catch.pairs.loc, slot_latest[key])
    return latest
