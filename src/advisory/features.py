"""Per-location features: what the scoring rules are allowed to look at.

Exposure to each named exposure (decayed in time, tapered in distance), trend against baseline,
guidance in force, and (in control.py) the control status of population centres. Each feature
carries the evidence behind it (incident or guidance ids, strongest first) so that every level
can be traced back to the rows that produced it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import polars as pl

from .geo import haversine, point_pairs, segment_pairs
from .ingest.guidance import GuidanceEntry
from .ingest.places import Gazetteer, Place
from .rulepack import RulePack
from .rulepack.model import Exposure
from .text import fold

NONE_DAYS = 9999.0  # "no such event": larger than any window a pack can name


@dataclass
class Features:
    """Numbers, texts and evidence for one location."""

    numbers: dict[str, float] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    evidence: dict[str, list[str]] = field(default_factory=dict)


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
    name: str,
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
    is_route = np.array([p.is_route for p in gaz.places])
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


def add_exposure_features(
    feats: list[Features],
    name: str,
    exp: Exposure,
    pairs: ExposurePairs,
    event_ids: np.ndarray,
    max_ids: int,
) -> None:
    n = len(feats)
    df = pairs.frame
    recent_days, base_days = exp.trend.recent_days, exp.trend.baseline_days
    # NumPy's bincount sums in row order: the same pairs always give the same floats (a
    # multi-threaded group-by may not), and the JSON must be byte-identical run after run.
    loc = df["loc"].to_numpy()
    age = df["age"].to_numpy()
    inh = df["in_horizon"].to_numpy()
    cols = {
        "exposure": np.bincount(loc, weights=df["contrib"].to_numpy(), minlength=n),
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
    trend = recent_rate / base_rate
    new = (cols["baseline"] == 0) & (cols["recent"] >= exp.trend.min_recent)

    live = df.filter(pl.col("contrib") > 0)
    top = (
        live.with_columns(
            pl.Series("event_id", event_ids[live["ev"].to_numpy()].tolist(), dtype=pl.String)
        )
        .sort(["loc", "contrib", "event_id"], descending=[False, True, False])
        .group_by("loc", maintain_order=True)
        .head(max_ids)
        .group_by("loc", maintain_order=True)
        .agg(pl.col("event_id"))
    )
    evidence = dict(zip(top["loc"].to_list(), top["event_id"].to_list(), strict=True))
    for i, ft in enumerate(feats):
        ft.numbers[f"exposure.{name}"] = float(cols["exposure"][i])
        ft.numbers[f"count.{name}"] = float(cols["count"][i])
        ft.numbers[f"recent.{name}"] = float(cols["recent"][i])
        ft.numbers[f"baseline.{name}"] = float(cols["baseline"][i])
        ft.numbers[f"trend.{name}"] = float(trend[i])
        ft.numbers[f"new.{name}"] = float(new[i])
        ft.numbers[f"latest_days.{name}"] = float(latest[i])
        ids = evidence.get(i, [])
        for prefix in ("exposure", "count", "latest_days"):
            ft.evidence[f"{prefix}.{name}"] = ids
        for prefix in ("recent", "baseline", "trend", "new"):
            ft.evidence[f"{prefix}.{name}"] = ids


def likelihood(exposure: float, half_life_days: float, horizon_days: int) -> float:
    """P(at least one incident in the horizon) if incidents arrive as a Poisson process.

    A decayed sum of a steady Poisson stream of rate r has expectation r * half_life / ln 2, so the
    exposure gives the rate back. It is a model to be backtested, not a fact.
    """
    rate = exposure * math.log(2) / half_life_days
    return 1.0 - math.exp(-rate * horizon_days)


def _covers(entry: GuidanceEntry, place: Place) -> bool:
    scope = entry.scope
    if scope is None:
        return True
    if place.country and fold(place.country) != fold(scope.country):
        return False
    if not scope.admin1 and not scope.areas:
        return True
    if scope.admin1 and place.admin1 and fold(place.admin1) in {fold(a) for a in scope.admin1}:
        return True
    for area in scope.areas or []:
        lat = np.array([c[0] for c in place.coords])
        lon = np.array([c[1] for c in place.coords])
        if float(haversine(area.lat, area.lon, lat, lon).min()) <= area.radius_km:
            return True
    return False


def guidance_in_force(
    entries: list[GuidanceEntry], place: Place, as_of: date
) -> list[GuidanceEntry]:
    """Per issuer, the latest-issued entry in force whose scope covers the place."""
    latest: dict[str, GuidanceEntry] = {}
    for e in entries:
        if e.in_force(as_of) and _covers(e, place):
            cur = latest.get(e.issuer)
            if cur is None or (e.issued, e.id) > (cur.issued, cur.id):
                latest[e.issuer] = e
    return [latest[k] for k in sorted(latest)]


def add_guidance_features(
    feats: list[Features],
    places: list[Place],
    entries: list[GuidanceEntry],
    as_of: date,
    departure_actions: list[str],
    reasons: tuple[str, ...],
) -> None:
    for ft, place in zip(feats, places, strict=True):
        force = guidance_in_force(entries, place, as_of)
        ids = [e.id for e in sorted(force, key=lambda e: (-e.level, e.issuer))]
        departure = [e for e in force if e.action in departure_actions]
        ft.numbers["guidance.issuers"] = float(len(force))
        ft.numbers["guidance.max_level"] = float(max((e.level for e in force), default=0))
        ft.numbers["guidance.do_not_travel_issuers"] = float(sum(e.level == 4 for e in force))
        ft.numbers["guidance.departure_issuers"] = float(len(departure))
        for r in reasons:
            ft.numbers[f"guidance.reason.{r}"] = float(sum(r in e.reasons for e in force))
            ft.evidence[f"guidance.reason.{r}"] = [e.id for e in force if r in e.reasons]
        ft.texts["guidance.issuer_list"] = ", ".join(e.issuer for e in force) or "none"
        ft.texts["guidance.departure_list"] = ", ".join(e.issuer for e in departure) or "none"
        cited = sorted({r for e in force for r in e.reasons})
        ft.texts["guidance.reasons_list"] = ", ".join(cited) or "none"
        for key in ("guidance.issuers", "guidance.max_level", "guidance.do_not_travel_issuers"):
            ft.evidence[key] = ids
        ft.evidence["guidance.departure_issuers"] = [e.id for e in departure]


def add_location_features(feats: list[Features], places: list[Place]) -> None:
    for ft, p in zip(feats, places, strict=True):
        ft.numbers["location.is_route"] = float(p.is_route)
        ft.numbers["location.is_capital"] = float(p.kind == "capital")


def build_features(
    pack: RulePack,
    gaz: Gazetteer,
    events: pl.DataFrame,
    signals: pl.DataFrame,
    guidance: list[GuidanceEntry],
    as_of: date,
) -> tuple[list[Features], dict[str, ExposurePairs], np.ndarray]:
    """Everything but control status, which control.py adds on top."""
    from .featurenames import GUIDANCE_REASONS

    feats = [Features() for _ in gaz.places]
    ages = event_ages(events, as_of)
    ids = events["event_id"].to_numpy()
    pairs: dict[str, ExposurePairs] = {}
    for name in sorted(pack.exposures):
        exp = pack.exposures[name]
        pairs[name] = exposure_pairs(name, exp, gaz, events, signals, ages)
        add_exposure_features(feats, name, exp, pairs[name], ids, pack.info.evidence.max_ids)
    add_guidance_features(
        feats, gaz.places, guidance, as_of, list(pack.guidance.departure_actions), GUIDANCE_REASONS
    )
    add_location_features(feats, gaz.places)
    return feats, pairs, ages
