"""The slow reference (bench/reference.py), sections 3 and 5 of docs/method.md: each exposure at
a location by a loop over the events around it, and the guidance in force there."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from reference_events import NONE_DAYS, Event, km_from

from advisory.ingest.guidance import GuidanceEntry
from advisory.ingest.places import Place
from advisory.rulepack.model import Exposure

# --- exposure (section 3) ----------------------------------------------------------------------


@dataclass
class Measured:
    """One exposure at one location: its numbers and the events counted, with their km."""

    exposure: float
    count: int
    recent: int
    baseline: int
    trend: float
    new: bool
    latest_days: float
    counted: dict[str, float]  # event id -> km, for `count`
    events: list[Event]


def geometry_of(place: Place | None) -> str:
    return "route" if place is not None and place.is_route else "point"


def measure_exposure(exp: Exposure, geometry: str, near: list[tuple[Event, float]]) -> Measured:
    """exposure = sum of weight x taper x 0.5^(age / half_life), and the counts beside it."""
    radius = getattr(exp.radius_km, geometry)
    full = getattr(exp.full_weight_km, geometry)
    max_precision = getattr(exp.max_geo_precision, geometry)
    recent_days, baseline_days = exp.trend.recent_days, exp.trend.baseline_days
    total, recent, baseline = 0.0, 0, 0
    counted: dict[str, float] = {}
    events: list[Event] = []
    latest: int | None = None
    for ev, km in near:
        weight = max((w for sig, w in exp.signals.items() if sig in ev.signals), default=0.0)
        if weight <= 0 or ev.precision > max_precision or km > radius or ev.age < 0:
            continue
        if ev.age < exp.horizon_days:
            taper = 1.0 if km <= full else (radius - km) / (radius - full)
            total += weight * taper * 0.5 ** (ev.age / exp.half_life_days)
            counted[ev.id] = km
            events.append(ev)
            latest = ev.age if latest is None else min(latest, ev.age)
        if ev.age < recent_days:
            recent += 1
        elif ev.age < recent_days + baseline_days:
            baseline += 1
    trend = (recent / recent_days) / (max(baseline, 1) / baseline_days)
    new = baseline == 0 and recent >= exp.trend.min_recent
    latest_days = NONE_DAYS if latest is None else float(latest)
    return Measured(total, len(counted), recent, baseline, trend, new, latest_days, counted, events)


def exposure_features(name: str, m: Measured) -> dict[str, float]:
    return {
        f"exposure.{name}": m.exposure,
        f"count.{name}": float(m.count),
        f"recent.{name}": float(m.recent),
        f"baseline.{name}": float(m.baseline),
        f"trend.{name}": m.trend,
        f"new.{name}": float(m.new),
        f"latest_days.{name}": m.latest_days,
    }


# --- guidance in force (section 5) -------------------------------------------------------------


def fold(text: str) -> str:
    """Names match with accents and case ignored ("Ségou" = "segou")."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", bare.casefold()).strip()


def covers(entry: GuidanceEntry, place: Place) -> bool:
    """The whole country, or the places in a listed admin1 or within an area's radius (to a
    road's line for a road)."""
    scope = entry.scope
    if scope is None:
        return True
    if place.country and fold(place.country) != fold(scope.country):
        return False
    if not scope.admin1 and not scope.areas:
        return True
    if scope.admin1 and place.admin1 and fold(place.admin1) in {fold(a) for a in scope.admin1}:
        return True
    return any(km_from(place, a.lat, a.lon) <= a.radius_km for a in scope.areas or [])


def guidance_applied(
    place: Place, entries: list[GuidanceEntry], as_of: date
) -> dict[str, GuidanceEntry]:
    """Per issuer, the latest entry in force (issued <= as-of < expires) covering the place."""
    applied: dict[str, GuidanceEntry] = {}
    for e in entries:
        in_force = e.issued <= as_of and (e.expires is None or as_of < e.expires)
        if not in_force or not covers(e, place):
            continue
        current = applied.get(e.issuer)
        if current is None or (e.issued, e.id) > (current.issued, current.id):
            applied[e.issuer] = e
    return applied
