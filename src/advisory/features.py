"""Per-location features: what the scoring rules are allowed to look at.

Exposure to each named exposure (decayed in time, tapered in distance), trend against baseline,
guidance in force, and (in control.py) the control status of population centres. Each feature
carries the evidence behind it (incident or guidance ids, strongest first) so that every level
can be traced back to the rows that produced it.

Features are held as columns, one NumPy array per feature over all locations, because the scale
issue scores 10,000 places in one go; `FeatureTable[i]` gives one location's features as plain
dicts for the decision trace (`advisory explain`) and the reports.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

import numpy as np
import polars as pl

from .featurenames import NONE_DAYS, default_value, is_guidance
from .geo import haversine, km_to_locations, km_to_segments, point_pairs, segment_pairs
from .ingest.guidance import GuidanceEntry
from .ingest.places import Gazetteer, Place
from .rulepack import RulePack
from .rulepack.model import Exposure
from .text import fold

EXPOSURE_THREADS = 2  # the 2-core machines the scale issue names; more gains little
RANK_LOC_BITS = 20  # locations (about a million) that `_rank_key` packs beside a contribution


@dataclass
class Features:
    """Numbers, texts and evidence for one location."""

    numbers: dict[str, float] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    evidence: dict[str, list[str]] = field(default_factory=dict)


class Evidence(Protocol):
    """Evidence ids behind one feature, per location (strongest first)."""

    def __getitem__(self, i: int) -> list[str]: ...


@dataclass
class RankedEvidence:
    """Per-location slices of one array of event rows (CSR): the top events of an exposure.

    Ids are only turned into strings for the locations someone asks about."""

    starts: np.ndarray  # length n + 1
    rows: np.ndarray  # event row numbers, grouped by location, strongest first
    event_ids: np.ndarray

    def __getitem__(self, i: int) -> list[str]:
        return self.event_ids[self.rows[self.starts[i] : self.starts[i + 1]]].tolist()


@dataclass
class ListEvidence:
    lists: list[list[str]]

    def __getitem__(self, i: int) -> list[str]:
        return self.lists[i]


@dataclass
class SameEvidence:
    """The same ids for every location (national features)."""

    ids: list[str]

    def __getitem__(self, i: int) -> list[str]:
        return self.ids


@dataclass
class FeatureTable(Sequence[Features]):
    """Every location's features as columns; indexing gives one location's `Features`."""

    size: int
    numbers: dict[str, np.ndarray] = field(default_factory=dict)
    texts: dict[str, list[str]] = field(default_factory=dict)
    evidence: dict[str, Evidence] = field(default_factory=dict)

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, i: int) -> Features:  # type: ignore[override]
        if not -self.size <= i < self.size:
            raise IndexError(i)
        i %= self.size
        return Features(
            {k: float(v[i]) for k, v in self.numbers.items()},
            {k: v[i] for k, v in self.texts.items()},
            {k: v[i] for k, v in self.evidence.items()},
        )

    def column(self, name: str) -> np.ndarray:
        """A feature's values; one nobody computed reads as its default everywhere."""
        col = self.numbers.get(name)
        return col if col is not None else np.full(self.size, default_value(name))

    def add_national(self, national: Features) -> None:
        """The national features, the same at every location (both tracks may use them)."""
        self.numbers.update({k: np.full(self.size, v) for k, v in national.numbers.items()})
        self.texts.update({k: [v] * self.size for k, v in national.texts.items()})
        self.evidence.update({k: SameEvidence(v) for k, v in national.evidence.items()})

    def regime_view(self) -> FeatureTable:
        """What the regime-collapse track may see: everything but guidance.

        Engine invariant: guidance never reaches the regime-collapse track."""
        nums = {k: v for k, v in self.numbers.items() if not is_guidance(k)}
        ev: dict[str, Evidence] = {k: v for k, v in self.evidence.items() if not is_guidance(k)}
        return FeatureTable(self.size, nums, {}, ev)


@dataclass
class ExposurePairs:
    """Every (location, event) pair that contributes to one exposure, as columns."""

    frame: pl.DataFrame  # loc, ev, dist_km, age, contrib, in_horizon


def event_ages(frame: pl.DataFrame, as_of: date) -> np.ndarray:
    days = frame["date"].cast(pl.Int32).to_numpy().astype(np.float64)  # days since 1970-01-01
    epoch = date(1970, 1, 1)
    return float((as_of - epoch).days) - days


def _pairs_for(
    gaz: Gazetteer,
    lat: np.ndarray,
    lon: np.ndarray,
    precision: np.ndarray,
    cand: np.ndarray,
    radius: dict[str, float],
    max_prec: dict[str, int],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs for points and routes, each with its own radius and precision limit."""
    locs, evs, dists = [], [], []
    pidx, plat, plon = gaz.point_arrays()
    keep = cand[precision[cand] <= max_prec["point"]]
    if pidx.size and keep.size and radius["point"] > 0:
        q, e, d = point_pairs(plat, plon, lat[keep], lon[keep], radius["point"])
        locs.append(pidx[q])
        evs.append(keep[e])
        dists.append(d)
    owner, alat, alon, blat, blon = gaz.segment_arrays()
    keep = cand[precision[cand] <= max_prec["route"]]
    if owner.size and keep.size and radius["route"] > 0:
        o, e, d = segment_pairs(
            owner, alat, alon, blat, blon, lat[keep], lon[keep], radius["route"]
        )
        locs.append(o)
        evs.append(keep[e])
        dists.append(d)
    if not locs:
        z = np.empty(0, dtype=np.int64)
        return z, z.copy(), np.empty(0)
    return np.concatenate(locs), np.concatenate(evs), np.concatenate(dists)


def exposure_pairs(
    exp: Exposure,
    gaz: Gazetteer,
    events: pl.DataFrame,
    signals: pl.DataFrame,
    ages: np.ndarray,
) -> ExposurePairs:
    """Contributions of events to one exposure at every location."""
    weight = np.zeros(events.height)
    for sig, w in exp.signals.items():
        weight = np.maximum(weight, np.where(signals[sig].to_numpy(), w, 0.0))
    lookback = max(exp.horizon_days, exp.trend.recent_days + exp.trend.baseline_days)
    cand = np.nonzero((weight > 0) & (ages >= 0) & (ages < lookback))[0]
    lat = events["lat"].to_numpy()
    lon = events["lon"].to_numpy()
    prec = events["precision"].to_numpy()
    is_route = gaz.route_mask()
    radius = exp.radius_km.model_dump()
    full = exp.full_weight_km.model_dump()
    loc, ev, dist = _pairs_for(
        gaz, lat, lon, prec, cand, radius, exp.max_geo_precision.model_dump()
    )
    r = np.where(is_route[loc], radius["route"], radius["point"])
    f = np.where(is_route[loc], full["route"], full["point"])
    taper = np.where(dist <= f, 1.0, (r - dist) / np.where(r > f, r - f, 1.0))
    age = ages[ev]
    in_horizon = age < exp.horizon_days
    decay = np.power(0.5, age / exp.half_life_days)
    contrib = np.where(in_horizon, weight[ev] * np.clip(taper, 0, 1) * decay, 0.0)
    frame = pl.DataFrame(
        {
            "loc": loc,
            "ev": ev,
            "dist_km": dist,
            "age": age,
            "contrib": contrib,
            "in_horizon": in_horizon,
        }
    )
    return ExposurePairs(frame)


def _rank_key(loc: np.ndarray, contrib: np.ndarray, n: int) -> tuple[np.ndarray, int]:
    """A sort key per pair that orders as (location ascending, contribution descending), and
    the shift that gives the location back: the location in the top `RANK_LOC_BITS` bits and
    below it the top bits of the contribution's IEEE pattern, inverted (positive doubles'
    patterns order as their values do). Pairs it cannot tell apart are rare, and are still
    ordered by the contribution and the event: sorted on it, then on those, the order is the
    three-column sort's, in half the time (27 ms against 51 ms for 630,000 pairs), as far
    fewer comparisons fall through to the second column. Beyond `RANK_LOC_BITS` locations the
    key is the location alone (the plain three-column sort)."""
    if n > 1 << RANK_LOC_BITS:
        return loc.astype(np.uint64), 0
    shift = 64 - RANK_LOC_BITS
    pattern = np.ascontiguousarray(contrib, dtype=np.float64).view(np.uint64)
    fine = (~pattern & np.uint64((1 << 63) - 1)) >> np.uint64(63 - shift)
    return (loc.astype(np.uint64) << np.uint64(shift)) | fine, shift


def top_events(
    loc: np.ndarray,
    ev: np.ndarray,
    contrib: np.ndarray,
    n: int,
    max_ids: int,
    event_ids: np.ndarray,
) -> RankedEvidence:
    """The `max_ids` strongest contributing events per location, strongest first.

    Ties go to the smaller event id: event rows are sorted by id (ingest guarantees it), so the
    row number breaks ties the same way the id would."""
    live = contrib > 0
    loc, contrib, ev = loc[live], contrib[live], ev[live]
    # (loc, ev) pairs are unique, so this order is total: the same whatever the threads do
    key, shift = _rank_key(loc, contrib, n)
    ranked = pl.DataFrame({"key": key, "contrib": contrib, "ev": ev}).sort(
        ["key", "contrib", "ev"], descending=[False, True, False]
    )
    loc = (ranked["key"].to_numpy() >> np.uint64(shift)).astype(np.int64)
    ev = ranked["ev"].to_numpy()
    first = np.searchsorted(loc, np.arange(n), side="left")
    rank = np.arange(loc.size) - first[loc]
    keep = rank < max_ids
    loc, ev = loc[keep], ev[keep]
    starts = np.searchsorted(loc, np.arange(n + 1), side="left")
    return RankedEvidence(starts, ev, event_ids)


def exposure_columns(
    n: int,
    exp: Exposure,
    pairs: ExposurePairs,
    event_ids: np.ndarray,
    max_ids: int,
) -> tuple[dict[str, np.ndarray], RankedEvidence]:
    """One exposure's feature columns (by prefix) and the evidence behind them."""
    df = pairs.frame
    recent_days, base_days = exp.trend.recent_days, exp.trend.baseline_days
    # NumPy's bincount sums in row order: the same pairs always give the same floats (a
    # multi-threaded group-by may not), and the JSON must be byte-identical run after run.
    loc = df["loc"].to_numpy()
    age = df["age"].to_numpy()
    inh = df["in_horizon"].to_numpy()
    contrib = df["contrib"].to_numpy()
    cols = {
        "exposure": np.bincount(loc, weights=contrib, minlength=n),
        "count": np.bincount(loc, weights=inh, minlength=n),
        "recent": np.bincount(loc, weights=age < recent_days, minlength=n),
        "baseline": np.bincount(
            loc, weights=(age >= recent_days) & (age < recent_days + base_days), minlength=n
        ),
    }
    latest = np.full(n, NONE_DAYS)
    np.minimum.at(latest, loc[inh], age[inh])
    recent_rate = cols["recent"] / recent_days
    base_rate = np.maximum(cols["baseline"], 1.0) / base_days
    cols["trend"] = recent_rate / base_rate
    cols["new"] = ((cols["baseline"] == 0) & (cols["recent"] >= exp.trend.min_recent)).astype(
        np.float64
    )
    cols["latest_days"] = latest
    evidence = top_events(loc, df["ev"].to_numpy(), contrib, n, max_ids, event_ids)
    return {k: v.astype(np.float64) for k, v in cols.items()}, evidence


def likelihood(exposure: float, half_life_days: float, horizon_days: int) -> float:
    """P(at least one incident in the horizon) if incidents arrive as a Poisson process.

    A decayed sum of a steady Poisson stream of rate r has expectation r * half_life / ln 2, so the
    exposure gives the rate back. It is a model to be backtested, not a fact.
    """
    rate = exposure * math.log(2) / half_life_days
    return 1.0 - math.exp(-rate * horizon_days)


def km_to_place(place: Place, lat: float, lon: float) -> float:
    """Distance from a point to a place, or to the nearest point of a road's polyline."""
    if not place.is_route:
        return float(haversine(lat, lon, place.lat, place.lon))
    a, b = np.array(place.coords[:-1]), np.array(place.coords[1:])
    return float(km_to_segments(lat, lon, a[:, 0], a[:, 1], b[:, 0], b[:, 1]).min())


def _coverage(entry: GuidanceEntry, gaz: Gazetteer) -> np.ndarray:
    """Which locations an entry's scope covers: no scope, or a country only, is the whole
    country; admin1 and areas cover the places in a listed admin1 or within an area's radius
    (a road when any part of it is); another country is never covered."""
    n = len(gaz.places)
    scope = entry.scope
    if scope is None:
        return np.ones(n, dtype=bool)
    country = fold(scope.country)
    same = np.array([c is None or c == country for c in gaz.folded("country")], bool)
    if not scope.admin1 and not scope.areas:
        return same
    hit = np.zeros(n, dtype=bool)
    if scope.admin1:
        wanted = {fold(a) for a in scope.admin1}
        hit |= np.array([a is not None and a in wanted for a in gaz.folded("admin1")], bool)
    for area in scope.areas or []:
        hit |= km_to_locations(gaz, area.lat, area.lon) <= area.radius_km
    return same & hit


def add_guidance_features(
    table: FeatureTable,
    gaz: Gazetteer,
    entries: list[GuidanceEntry],
    as_of: date,
    departure_actions: list[str],
    reasons: tuple[str, ...],
) -> list[list[str]]:
    """Guidance features; returns the ids in force per location (for the assessment).

    Per issuer, the latest-issued entry in force that covers the place applies. Places are
    grouped by the entries that apply to them (a handful of groups, even for 10,000 places),
    and each group's features are worked out once."""
    n = table.size
    live = sorted((e for e in entries if e.in_force(as_of)), key=lambda e: (e.issued, e.id))
    issuers = sorted({e.issuer for e in live})
    chosen = np.full((len(issuers), n), -1, dtype=np.int64)
    for k, e in enumerate(live):  # ascending: a later entry that also covers a place wins
        chosen[issuers.index(e.issuer), _coverage(e, gaz)] = k
    groups: dict[tuple[int, ...], int] = {}
    group_of = np.array(
        [groups.setdefault(tuple(col), len(groups)) for col in chosen.T.tolist()], dtype=np.int64
    ).reshape(n)
    nums: dict[str, list[float]] = {}
    texts: dict[str, list[str]] = {}
    ev: dict[str, list[list[str]]] = {}
    in_force_ids: list[list[str]] = []
    for sig in groups:  # dicts keep insertion order: group g is the g-th key
        force = [live[k] for k in sig if k >= 0]  # sorted by issuer
        in_force_ids.append([e.id for e in force])
        ids = [e.id for e in sorted(force, key=lambda e: (-e.level, e.issuer))]
        departure = [e for e in force if e.action in departure_actions]
        row = {
            "guidance.issuers": float(len(force)),
            "guidance.max_level": float(max((e.level for e in force), default=0)),
            "guidance.do_not_travel_issuers": float(sum(e.level == 4 for e in force)),
            "guidance.departure_issuers": float(len(departure)),
        }
        row_ev = {
            "guidance.issuers": ids,
            "guidance.max_level": ids,
            "guidance.do_not_travel_issuers": ids,
            "guidance.departure_issuers": [e.id for e in departure],
        }
        for r in reasons:
            row[f"guidance.reason.{r}"] = float(sum(r in e.reasons for e in force))
            row_ev[f"guidance.reason.{r}"] = [e.id for e in force if r in e.reasons]
        cited = sorted({r for e in force for r in e.reasons})
        row_texts = {
            "guidance.issuer_list": ", ".join(e.issuer for e in force) or "none",
            "guidance.departure_list": ", ".join(e.issuer for e in departure) or "none",
            "guidance.reasons_list": ", ".join(cited) or "none",
        }
        for k, v in row.items():
            nums.setdefault(k, []).append(v)
        for k, t in row_texts.items():
            texts.setdefault(k, []).append(t)
        for k, e in row_ev.items():
            ev.setdefault(k, []).append(e)
    members = group_of.tolist()
    for k, vals in nums.items():
        table.numbers[k] = np.array(vals, dtype=np.float64)[group_of]
    for k, t in texts.items():
        table.texts[k] = [t[g] for g in members]
    for k, lists in ev.items():
        table.evidence[k] = ListEvidence([lists[g] for g in members])
    return [in_force_ids[g] for g in members]


def add_location_features(table: FeatureTable, gaz: Gazetteer) -> None:
    table.numbers["location.is_route"] = gaz.route_mask().astype(np.float64)
    table.numbers["location.is_capital"] = np.array(
        [p.kind == "capital" for p in gaz.places], dtype=np.float64
    ).reshape(table.size)


def build_features(
    pack: RulePack,
    gaz: Gazetteer,
    events: pl.DataFrame,
    signals: pl.DataFrame,
    guidance: list[GuidanceEntry],
    as_of: date,
) -> tuple[FeatureTable, dict[str, ExposurePairs], np.ndarray, list[list[str]]]:
    """Everything but control status, which control.py adds on top."""
    from .featurenames import GUIDANCE_REASONS

    table = FeatureTable(len(gaz.places))
    ages = event_ages(events, as_of)
    ids = events["event_id"].to_numpy()
    gaz.point_arrays(), gaz.segment_arrays(), gaz.route_mask()  # built once, before threads

    def one(name: str) -> tuple[ExposurePairs, dict[str, np.ndarray], RankedEvidence]:
        exp = pack.exposures[name]
        found = exposure_pairs(exp, gaz, events, signals, ages)
        cols, evidence = exposure_columns(table.size, exp, found, ids, pack.info.evidence.max_ids)
        return found, cols, evidence

    # Exposures are independent and NumPy and polars release the GIL, so two run at once;
    # results are put in place in name order, so the output does not depend on timing.
    names = sorted(pack.exposures)
    with ThreadPoolExecutor(max_workers=EXPOSURE_THREADS) as pool:
        done = list(pool.map(one, names))
    pairs: dict[str, ExposurePairs] = {}
    for name, (found, cols, evidence) in zip(names, done, strict=True):
        pairs[name] = found
        for prefix, values in cols.items():
            table.numbers[f"{prefix}.{name}"] = values
            table.evidence[f"{prefix}.{name}"] = evidence
    in_force = add_guidance_features(
        table, gaz, guidance, as_of, list(pack.guidance.departure_actions), GUIDANCE_REASONS
    )
    add_location_features(table, gaz)
    return table, pairs, ages, in_force
