"""A slow, plain-Python reference assessment, and a check that the engine gives the same levels.

Issue 6: the engine is vectorised for speed, and nothing about a vectorised join says "obviously
right". This file recomputes the assessment for a sample of locations the straightforward way:
a loop over every event for each location, `math` great-circle distances, explicit if/else for
every window, decay and taper, classification row by row with Python `re`, control status by
walking events in date order, and each scoring rule read literally from the rule pack. It is
meant to be read next to README.md and rules/*.yaml and checked by eye.

    python bench/reference.py --incidents F.csv --places P.geojson [--guidance DIR] \\
        --as-of 2025-11-20 --sample 50 --seed 1

prints every difference from `advisory.engine.assess` and exits 1 when there is one (0 with a
summary line when the two agree). It depends on the engine only through public things: the
rule pack loader, the input readers (parsing and validation are not what is checked here) and
`assess(...).assessment`, the JSON contract.

Semantics taken from the README and the rule pack, with the engine read where they are terse:

- Distances: great-circle (haversine, Earth radius 6371.0088 km) from a point place. From a
  road, the shortest distance to its polyline, each piece a straight line in latitude and
  longitude measured on a flat map centred on the other point (see `km_to_road`).
- An event's weight for an exposure is the largest weight among its signals (an attack that is
  also "fighting" counts once, at the attack's weight), not their sum.
- Roads measure everything "near" to the polyline, also held centres nearby and guidance areas
  (the engine measures those two to the road's vertices: reported as a bug, see the tests).
- A rule's points are rounded to 2 decimals; the score is the rounded sum of those, and the
  level is read from that score. A rule worth 0 points or less adds nothing.
- Every feature the README lists is available to every track, except that guidance never
  reaches the regime-collapse track (the engine gives personal-security rules 0 for national.*
  features: reported as a bug).
- The national track reads the capital's features; with no capital in the gazetteer, those of
  "no place" (no events: latest_days 9999, as the README says; the engine reads 0 there).
- A population of 0 counts as unknown (the default population), as in the engine.

Reported bugs are pinned by xfail tests in tests/test_reference.py. Where the engine's choice
is wanted instead, `km_from` in `control_numbers` and `covers` is the place to change.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import math
import random
import re
import sys
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from advisory.assessment import Assessment
from advisory.engine import assess, default_places
from advisory.ingest.acled import read_incidents
from advisory.ingest.guidance import GuidanceEntry, read_guidance
from advisory.ingest.places import Gazetteer, Place, read_places
from advisory.rulepack import RulePack, load_pack
from advisory.rulepack.model import ClassifyRule, Condition, Exposure, ScoreRule

EARTH_RADIUS_KM = 6371.0088  # the engine's (IUGG mean) radius
KM_PER_DEG = EARTH_RADIUS_KM * math.pi / 180.0  # km per degree of latitude
NONE_DAYS = 9999.0  # README: latest_days (and last_raid_days) are 9999 when there is none
SCORE_TOLERANCE = 1e-6  # scores are compared after both sides rounded them to 2 decimals
# README, guidance contract: the reasons an entry may cite (guidance.reason.R for each)
GUIDANCE_REASONS = (
    "terrorism",
    "kidnapping",
    "crime",
    "unrest",
    "armed_conflict",
    "wrongful_detention",
    "health",
    "natural_disaster",
    "other",
)
HELD = ("held", "held_governed")


# --- distances -----------------------------------------------------------------------------


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(max(a, 0.0), 1.0)))


def km_to_road(lat: float, lon: float, road: tuple[tuple[float, float], ...]) -> float:
    """Shortest distance from a point to a road's polyline.

    Each piece of the road runs straight in latitude and longitude between two vertices, as
    drawn in the GeoJSON. The distance is measured on a flat map centred on the point
    (1 degree of latitude = KM_PER_DEG km, 1 degree of longitude = KM_PER_DEG x cos(latitude)),
    accurate to well under 1 % at tens of km: the engine's definition of distance to a road.
    """
    kx = KM_PER_DEG * math.cos(math.radians(lat))
    best = math.inf
    for (a_lat, a_lon), (b_lat, b_lon) in itertools.pairwise(road):
        ax, ay = (a_lon - lon) * kx, (a_lat - lat) * KM_PER_DEG
        bx, by = (b_lon - lon) * kx, (b_lat - lat) * KM_PER_DEG
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        # how far along the piece its point closest to ours lies (0 = a piece of no length)
        t = min(1.0, max(0.0, -(ax * dx + ay * dy) / length2)) if length2 > 0 else 0.0
        best = min(best, math.hypot(ax + t * dx, ay + t * dy))
    return best


def km_from(place: Place, lat: float, lon: float) -> float:
    """Distance from a place (a point, or a road's polyline) to a point."""
    if place.is_route:
        return km_to_road(lat, lon, place.coords)
    return haversine_km(place.lat, place.lon, lat, lon)


@dataclass(frozen=True)
class Box:
    lat_lo: float
    lat_hi: float
    lon_lo: float
    lon_hi: float

    def holds(self, lat: float, lon: float) -> bool:
        return self.lat_lo <= lat <= self.lat_hi and self.lon_lo <= lon <= self.lon_hi


def box_around(coords: Iterable[tuple[float, float]], km: float) -> Box:
    """A latitude/longitude box holding every point within `km` of the coordinates (and of
    any straight piece between them), with a 10 % margin.

    Conservative on purpose: it only saves time. Whatever is inside is still measured
    exactly; whatever lies within `km` is inside, because one degree of latitude is
    KM_PER_DEG km and one degree of longitude at least KM_PER_DEG x cos(the box's most
    poleward latitude). Not for data that straddle the antimeridian.
    """
    lats = [c[0] for c in coords]
    lons = [c[1] for c in coords]
    margin = 1.1 * km / KM_PER_DEG + 0.01
    lat_lo, lat_hi = min(lats) - margin, max(lats) + margin
    poleward = min(max(abs(lat_lo), abs(lat_hi)), 89.0)
    lon_margin = margin / math.cos(math.radians(poleward))
    return Box(lat_lo, lat_hi, min(lons) - lon_margin, max(lons) + lon_margin)


class ByLatitude:
    """Things with `.lat` and `.lon`, sorted by latitude, so that a box needs no full scan."""

    def __init__(self, items: Iterable) -> None:
        self.items = sorted(items, key=lambda x: x.lat)
        self.lats = [x.lat for x in self.items]

    def inside(self, box: Box) -> list:
        lo = bisect.bisect_left(self.lats, box.lat_lo)
        hi = bisect.bisect_right(self.lats, box.lat_hi)
        return [x for x in self.items[lo:hi] if box.holds(x.lat, x.lon)]


# --- events and their signals ----------------------------------------------------------------

LIST_CONDITIONS = ("event_type", "sub_event_type", "disorder_type", "inter1", "inter2")
REGEX_CONDITIONS = {  # condition -> (column, True when the pattern must NOT match)
    "notes_matches": ("notes", False),
    "notes_not_matches": ("notes", True),
    "actor1_matches": ("actor1", False),
    "actor1_not_matches": ("actor1", True),
    "actor2_matches": ("actor2", False),
    "actor2_not_matches": ("actor2", True),
    "assoc_actor_2_matches": ("assoc_actor_2", False),
    "location_matches": ("location", False),
}
ROW_COLUMNS = tuple(
    dict.fromkeys(
        [*LIST_CONDITIONS, *(c for c, _ in REGEX_CONDITIONS.values()), "fatalities", "country"]
    )
)
BRACKETS = re.compile(r"\(([^()]*)\)\s*$")  # "Civilians (Burkina Faso)": the last bracket


@dataclass(slots=True)
class Event:
    id: str
    day: date
    age: int  # days before as_of
    lat: float
    lon: float
    precision: int
    signals: frozenset[str]


@dataclass
class ReadRule:
    """One classify rule, its lists lower-cased and its patterns compiled once."""

    rule: ClassifyRule
    lists: dict[str, set[str]]
    patterns: list[tuple[str, re.Pattern[str], bool]]

    @classmethod
    def of(cls, rule: ClassifyRule) -> ReadRule:
        lists = {
            name: {v.lower() for v in values}
            for name in LIST_CONDITIONS
            if (values := getattr(rule.when, name)) is not None
        }
        patterns = [
            (column, re.compile(pattern, re.IGNORECASE), negate)
            for key, (column, negate) in REGEX_CONDITIONS.items()
            if (pattern := getattr(rule.when, key)) is not None
        ]
        return cls(rule, lists, patterns)

    def matches(self, row: dict[str, Any]) -> bool:
        """All conditions hold; a list is any-of, case-insensitive; patterns are searched."""
        for name, allowed in self.lists.items():
            if str(row[name]).lower() not in allowed:
                return False
        minimum = self.rule.when.min_fatalities
        if minimum is not None and int(row["fatalities"]) < minimum:
            return False
        for column, pattern, negate in self.patterns:
            found = pattern.search(str(row[column] or "")) is not None
            if found == negate:
                return False
        wanted = self.rule.when.actor2_nationality
        if wanted is not None:
            bracket = BRACKETS.search(str(row["actor2"] or ""))
            nationality = bracket.group(1).strip().lower() if bracket else ""
            country = str(row["country"] or "").strip().lower()
            if not nationality or not country:
                return False
            if (nationality == country) != (wanted == "national"):
                return False
        return True


def read_events(frame: pl.DataFrame, pack: RulePack, as_of: date) -> list[Event]:
    """Every validated incident with the signals its classify rules give it (rows with no
    signal are dropped: nothing downstream looks at them)."""
    rules = [ReadRule.of(r) for r in pack.classify.rules]
    columns = {c: frame[c].to_list() for c in ROW_COLUMNS}
    ids, days = frame["event_id"].to_list(), frame["date"].to_list()
    lats, lons, precs = frame["lat"].to_list(), frame["lon"].to_list(), frame["precision"].to_list()
    shared: dict[frozenset[str], frozenset[str]] = {}  # one object per distinct signal set
    events = []
    for i in range(frame.height):
        row = {c: columns[c][i] for c in ROW_COLUMNS}
        signals = frozenset(r.rule.signal for r in rules if r.matches(row))
        if signals:
            signals = shared.setdefault(signals, signals)
            age = (as_of - days[i]).days
            events.append(Event(ids[i], days[i], age, lats[i], lons[i], precs[i], signals))
    return events


# --- control of population centres ---------------------------------------------------------


@dataclass
class Episode:
    """A seizure of a centre, and how it ended (if it did)."""

    start: date
    end: date | None = None
    governed: bool = False


@dataclass
class Centre:
    place: Place
    episodes: list[Episode] = field(default_factory=list)
    status: str = "government"  # government | contested | held | held_governed


def episode_status(ep: Episode, as_of: date, window: int) -> str:
    """README: ended within the raid window = raid; not ended by then = held; governance
    during the seizure = held_governed at once; not ended and still inside the window =
    contested. Ended after the window: the government has it back ("regained")."""
    if ep.end is not None:
        if (ep.end - ep.start).days <= window:
            return "raid"
        return "regained"
    if ep.governed:
        return "held_governed"
    if (as_of - ep.start).days <= window:
        return "contested"
    return "held"


def control_of_centres(
    pack: RulePack, gaz: Gazetteer, events: list[Event], as_of: date
) -> dict[str, Centre]:
    """Status of every population centre, from seizure, end and governance events."""
    cfg = pack.control
    centres = {
        p.id: Centre(p)
        for p in gaz.places
        if p.kind in cfg.population_centres.kinds and not p.is_route
    }
    order = {pid: i for i, pid in enumerate(centres)}  # gazetteer order breaks distance ties
    radius = cfg.population_centres.radius_km
    near = ByLatitude([c.place for c in centres.values()])
    seized, ended, governance = set(cfg.seized), set(cfg.ended), set(cfg.governance)

    # Each event goes to the nearest centre within the radius, and to that one only.
    given: dict[str, list[Event]] = {}
    for ev in events:
        if not ev.signals & (seized | ended | governance):
            continue
        if not (0 <= ev.age < cfg.lookback_days):
            continue
        best = None
        for place in near.inside(box_around([(ev.lat, ev.lon)], radius)):
            d = haversine_km(place.lat, place.lon, ev.lat, ev.lon)
            if d <= radius and (best is None or (d, order[place.id]) < best[0]):
                best = ((d, order[place.id]), place.id)
        if best is not None:
            given.setdefault(best[1], []).append(ev)

    for pid, evs in given.items():
        # Date order; on one day a seizure comes first, then governance, then what ends it.
        evs.sort(key=lambda e: (e.day, not (e.signals & seized), bool(e.signals & ended), e.id))
        centre = centres[pid]
        current: Episode | None = None
        for ev in evs:  # one event may do several things: "took the town, set up a court"
            if ev.signals & seized and current is None:
                current = Episode(ev.day)
            if ev.signals & governance and current is not None:
                current.governed = True
            if ev.signals & ended and current is not None:
                current.end = ev.day
                centre.episodes.append(current)
                current = None
        if current is not None:
            centre.episodes.append(current)
            centre.status = episode_status(current, as_of, cfg.raid_window_days)
    return centres


def held_weight(place: Place, pack: RulePack) -> float:
    """(population / reference) ^ exponent; the default population when the gazetteer gives
    none (README, control.yaml). A population of 0 counts as none: no town, city or capital
    has no people, and 0 is GeoNames' "unknown"."""
    hw = pack.control.held_weight
    population = place.population or hw.default_population
    return (population / hw.population_reference) ** hw.population_exponent


def national_numbers(
    pack: RulePack, gaz: Gazetteer, centres: dict[str, Centre], events: list[Event], as_of: date
) -> dict[str, float]:
    cfg = pack.control
    capital = next((p for p in gaz.places if p.kind == "capital"), None)
    held = [c for c in centres.values() if c.status in HELD]
    weighted = 0.0
    for c in held:
        closeness = 1.0
        if capital is not None:
            km = haversine_km(c.place.lat, c.place.lon, capital.lat, capital.lon)
            closeness = 0.5 ** (km / cfg.held_weight.proximity_half_km)
        weighted += held_weight(c.place, pack) * closeness
    raids = sum(
        episode_status(ep, as_of, cfg.raid_window_days) == "raid"
        for c in centres.values()
        for ep in c.episodes
    )
    capital_status = centres[capital.id].status if capital and capital.id in centres else None
    fighting_days: set[date] = set()
    cf = cfg.capital_fighting
    fighting = set(cf.signals)
    if capital is not None:
        for ev in events:
            if (
                ev.signals & fighting
                and 0 <= ev.age < cf.window_days
                and haversine_km(capital.lat, capital.lon, ev.lat, ev.lon) <= cf.radius_km
            ):
                fighting_days.add(ev.day)
    return {
        "national.held_centres": float(len(held)),
        "national.governed_centres": float(sum(c.status == "held_governed" for c in held)),
        "national.held_weighted": weighted,
        "national.raids": float(raids),
        "national.capital_held": float(capital_status in HELD),
        "national.capital_fighting_days": float(len(fighting_days)),
    }


# --- per-location features -----------------------------------------------------------------


def exposure_numbers(
    name: str, exp: Exposure, geometry: str, measured: list[tuple[Event, float]]
) -> dict[str, float]:
    """exposure, count, recent, baseline, trend, new and latest_days of one exposure, from
    the events around a place (point or route geometry) and their distance from it in km."""
    radius = getattr(exp.radius_km, geometry)
    full = getattr(exp.full_weight_km, geometry)
    max_precision = getattr(exp.max_geo_precision, geometry)
    recent_days, baseline_days = exp.trend.recent_days, exp.trend.baseline_days
    total, count, recent, baseline = 0.0, 0, 0, 0
    latest: int | None = None
    for ev, km in measured:
        weight = max((w for sig, w in exp.signals.items() if sig in ev.signals), default=0.0)
        if weight <= 0 or ev.precision > max_precision or ev.age < 0:
            continue
        if radius <= 0:  # a radius of 0 switches the exposure off for this geometry
            continue
        if km > radius:
            continue
        if ev.age < exp.horizon_days:
            taper = 1.0 if km <= full else (radius - km) / (radius - full)
            decay = 0.5 ** (ev.age / exp.half_life_days)
            total += weight * taper * decay
            count += 1
            latest = ev.age if latest is None else min(latest, ev.age)
        if ev.age < recent_days:
            recent += 1
        elif ev.age < recent_days + baseline_days:
            baseline += 1
    # trend: recent rate over baseline rate, the baseline floored at one event
    trend = (recent / recent_days) / (max(baseline, 1) / baseline_days)
    new = baseline == 0 and recent >= exp.trend.min_recent
    return {
        f"exposure.{name}": total,
        f"count.{name}": float(count),
        f"recent.{name}": float(recent),
        f"baseline.{name}": float(baseline),
        f"trend.{name}": trend,
        f"new.{name}": float(new),
        f"latest_days.{name}": NONE_DAYS if latest is None else float(latest),
    }


def control_numbers(
    pack: RulePack, place: Place | None, centres: dict[str, Centre], as_of: date
) -> dict[str, float]:
    cfg = pack.control
    centre = centres.get(place.id) if place is not None else None
    status = centre.status if centre else None
    raids = [
        ep
        for ep in (centre.episodes if centre else [])
        if episode_status(ep, as_of, cfg.raid_window_days) == "raid"
    ]
    last_raid = max((ep.end for ep in raids if ep.end is not None), default=None)
    last_raid_days = NONE_DAYS if last_raid is None else float((as_of - last_raid).days)
    nearby = 0.0
    for other in centres.values():
        if place is None or other.status not in HELD or other.place.id == place.id:
            continue
        km = km_from(place, other.place.lat, other.place.lon)
        if km <= cfg.nearby_km:
            nearby += held_weight(other.place, pack) * 0.5 ** (
                km / cfg.held_weight.proximity_half_km
            )
    return {
        "control.is_centre": float(centre is not None),
        "control.held": float(status in HELD),
        "control.governed": float(status == "held_governed"),
        "control.contested": float(status == "contested"),
        "control.raids": float(len(raids)),
        "control.last_raid_days": last_raid_days,
        "control.held_nearby": nearby,
    }


def fold(text: str) -> str:
    """README: names match with accents and case ignored ("Ségou" = "segou")."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", bare.casefold()).strip()


def covers(entry: GuidanceEntry, place: Place) -> bool:
    """README: no scope, or country only, is the whole country; admin1 and/or areas cover a
    place in a listed admin1 or within an area's radius; another country is never covered."""
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


def guidance_numbers(
    pack: RulePack, place: Place | None, entries: list[GuidanceEntry], as_of: date
) -> dict[str, float]:
    applied: dict[str, GuidanceEntry] = {}  # per issuer, the latest-issued entry in force
    for e in entries:
        in_force = e.issued <= as_of and (e.expires is None or as_of < e.expires)
        if place is None or not in_force or not covers(e, place):
            continue
        current = applied.get(e.issuer)
        if current is None or (e.issued, e.id) > (current.issued, current.id):
            applied[e.issuer] = e
    force = list(applied.values())
    departures = set(pack.guidance.departure_actions)
    reasons = set(GUIDANCE_REASONS) | {r for e in entries for r in e.reasons}
    numbers = {
        "guidance.issuers": float(len(force)),
        "guidance.max_level": float(max((e.level for e in force), default=0)),
        "guidance.do_not_travel_issuers": float(sum(e.level == 4 for e in force)),
        "guidance.departure_issuers": float(sum(e.action in departures for e in force)),
    }
    for r in sorted(reasons):
        numbers[f"guidance.reason.{r}"] = float(sum(r in e.reasons for e in force))
    return numbers


def place_numbers(
    pack: RulePack,
    place: Place | None,
    events: list[Event],
    centres: dict[str, Centre],
    entries: list[GuidanceEntry],
    as_of: date,
) -> dict[str, float]:
    """Every place feature the README lists; `place=None` is "no place at all" (no events,
    no centre, no guidance), for a country without a capital."""
    geometry = "route" if place is not None and place.is_route else "point"
    widest = max((getattr(e.radius_km, geometry) for e in pack.exposures.values()), default=0)
    measured = []  # each event with its distance from the place, measured once
    for ev in events if place is not None else []:
        km = km_from(place, ev.lat, ev.lon)
        if km <= widest:
            measured.append((ev, km))
    numbers: dict[str, float] = {}
    for name in sorted(pack.exposures):
        numbers.update(exposure_numbers(name, pack.exposures[name], geometry, measured))
    numbers.update(control_numbers(pack, place, centres, as_of))
    numbers.update(guidance_numbers(pack, place, entries, as_of))
    numbers["location.is_route"] = float(place is not None and place.is_route)
    numbers["location.is_capital"] = float(place is not None and place.kind == "capital")
    return numbers


# --- scoring -------------------------------------------------------------------------------


def condition_holds(cond: Condition, numbers: dict[str, float]) -> bool:
    value = numbers[cond.feature]
    if cond.gte is not None:
        return value >= cond.gte
    if cond.gt is not None:
        return value > cond.gt
    if cond.lte is not None:
        return value <= cond.lte
    if cond.lt is not None:
        return value < cond.lt
    return value == cond.eq


def level_for(score: float, thresholds: list[float]) -> int:
    """Score >= thresholds[k] gives level k + 2 (personal_security.yaml)."""
    level = 1
    for t in thresholds:
        if score >= t:
            level += 1
    return level


def score_track(
    rules: list[ScoreRule],
    numbers: dict[str, float],
    thresholds: list[float],
    hazard: str | None = None,
) -> tuple[float, int]:
    """Score and level of one track (or one hazard)."""
    shown_points = []
    for rule in rules:
        if hazard is not None and rule.hazard != hazard:
            continue
        if not all(condition_holds(c, numbers) for c in rule.when):
            continue
        if isinstance(rule.points, int | float):
            points = float(rule.points)
        else:
            scaled = rule.points
            points = min(scaled.cap, scaled.per_unit * numbers[scaled.feature])
        if points <= 0:
            continue  # a rule that scores nothing does not fire
        shown_points.append(round(points, 2))
    score = round(float(sum(shown_points)), 2)
    return score, level_for(score, thresholds)


# --- the assessment ------------------------------------------------------------------------


@dataclass(frozen=True)
class HazardResult:
    score: float
    level: int


@dataclass
class LocationResult:
    id: str
    hazards: dict[str, HazardResult]
    personal_security: int
    regime_score: float
    regime_level: int
    control_status: str | None


@dataclass
class NationalResult:
    score: float
    level: int
    held_centres: list[str]
    raids: int
    capital_fighting_days: int


@dataclass
class ReferenceResult:
    as_of: date
    locations: dict[str, LocationResult]
    national: NationalResult


@dataclass
class Inputs:
    pack: RulePack
    gazetteer: Gazetteer
    events: list[Event]
    guidance: list[GuidanceEntry]
    as_of: date


def read_inputs(
    incidents: list[Path],
    places: Path | None,
    guidance: list[Path],
    rules: Path | None,
    as_of: date | None,
) -> Inputs:
    """The inputs through the engine's public readers (validated, de-duplicated, as-of cut);
    without `as_of`, the latest event's date, as `assess` does."""
    pack = load_pack(rules)
    gaz = read_places(places or default_places())
    frame = read_incidents(list(incidents), as_of, gaz.extent()).frame
    if as_of is None:
        as_of = frame["date"].max()
    entries = read_guidance(list(guidance))[0] if guidance else []
    return Inputs(pack, gaz, read_events(frame, pack, as_of), entries, as_of)


def choose_sample(
    gaz: Gazetteer, centres: dict[str, Centre], sample: int | None, seed: int
) -> list[str]:
    """`sample` random locations, roads and points half and half, plus the capital and every
    centre not with the government (contested, held); every location when `sample` is None."""
    if sample is None or sample >= len(gaz.places):
        return [p.id for p in gaz.places]
    always = {p.id for p in gaz.places if p.kind == "capital"}
    always |= {pid for pid, c in centres.items() if c.status != "government"}
    points = [p.id for p in gaz.places if not p.is_route and p.id not in always]
    roads = [p.id for p in gaz.places if p.is_route and p.id not in always]
    n_roads = min(len(roads), (sample + 1) // 2)
    n_points = min(len(points), sample - n_roads)
    n_roads = min(len(roads), sample - n_points)  # fewer points than asked: more roads
    rng = random.Random(seed)
    chosen = always | set(rng.sample(points, n_points)) | set(rng.sample(roads, n_roads))
    return [p.id for p in gaz.places if p.id in chosen]


def reference_assessment(inputs: Inputs, ids: list[str] | None = None) -> ReferenceResult:
    """Levels and scores of the given locations (all when None) and of the country."""
    pack, gaz, as_of = inputs.pack, inputs.gazetteer, inputs.as_of
    events = inputs.events
    centres = control_of_centres(pack, gaz, events, as_of)
    national = national_numbers(pack, gaz, centres, events, as_of)
    by_lat = ByLatitude(events)
    ps, rc = pack.personal_security, pack.regime_collapse
    if ps.combine.method != "max":
        raise NotImplementedError(f"combine method {ps.combine.method!r}")

    def numbers_of(place: Place | None) -> dict[str, float]:
        if place is None:
            near: list[Event] = []
        else:
            geometry = "route" if place.is_route else "point"
            reach = max(
                (getattr(e.radius_km, geometry) for e in pack.exposures.values()), default=0
            )
            near = by_lat.inside(box_around(place.coords, reach))
        own = place_numbers(pack, place, near, centres, inputs.guidance, as_of)
        return own | national  # the national features are visible to every rule

    def regime_view(numbers: dict[str, float]) -> dict[str, float]:
        # README invariant: guidance never scores on the regime-collapse track
        return {k: v for k, v in numbers.items() if not k.startswith("guidance.")}

    wanted = set(ids) if ids is not None else {p.id for p in gaz.places}
    locations = {}
    for place in gaz.places:
        if place.id not in wanted:
            continue
        numbers = numbers_of(place)
        hazards = {}
        for h, cfg in ps.hazards.items():
            s, lvl = score_track(ps.rules, numbers, cfg.thresholds, hazard=h)
            hazards[h] = HazardResult(s, lvl)
        top = max(hz.level for hz in hazards.values())
        escalate = ps.combine.escalate_when_all_at_least
        if escalate is not None and all(hz.level >= escalate for hz in hazards.values()):
            top = min(top + 1, len(pack.info.levels))
        r_score, r_level = score_track(rc.place.rules, regime_view(numbers), rc.place.thresholds)
        centre = centres.get(place.id)
        locations[place.id] = LocationResult(
            place.id, hazards, top, r_score, r_level, centre.status if centre else None
        )

    capital = next((p for p in gaz.places if p.kind == "capital"), None)
    n_score, n_level = score_track(
        rc.national.rules, regime_view(numbers_of(capital)), rc.national.thresholds
    )
    nat = NationalResult(
        n_score,
        n_level,
        [c.place.name for c in centres.values() if c.status in HELD],
        int(national["national.raids"]),
        int(national["national.capital_fighting_days"]),
    )
    return ReferenceResult(as_of, locations, nat)


# --- comparison ----------------------------------------------------------------------------


def _score_differs(a: float, b: float) -> bool:
    return abs(a - b) > SCORE_TOLERANCE


def differences(ref: ReferenceResult, fast: Assessment) -> list[str]:
    """Human-readable differences between the reference and the engine (empty when equal):
    levels, control status and national counts exactly, scores within SCORE_TOLERANCE."""
    out: list[str] = []
    if fast.as_of != ref.as_of:
        out.append(f"as_of: reference {ref.as_of}, engine {fast.as_of}")
    by_id = {loc.id: loc for loc in fast.locations}
    for lid, r in ref.locations.items():
        f = by_id.get(lid)
        if f is None:
            out.append(f"{lid}: missing from the engine's assessment")
            continue
        fh = f.personal_security.hazards
        for h in sorted(set(r.hazards) | set(fh)):
            if h not in r.hazards or h not in fh:
                out.append(f"{lid}: hazard {h} only in the {'engine' if h in fh else 'reference'}")
                continue
            if fh[h].level != r.hazards[h].level:
                out.append(
                    f"{lid}: {h} level: reference {r.hazards[h].level}, engine {fh[h].level}"
                )
            if _score_differs(fh[h].score, r.hazards[h].score):
                out.append(
                    f"{lid}: {h} score: reference {r.hazards[h].score}, engine {fh[h].score}"
                )
        if f.personal_security.level != r.personal_security:
            out.append(
                f"{lid}: personal_security level: reference {r.personal_security}, "
                f"engine {f.personal_security.level}"
            )
        rc = f.regime_collapse
        if rc.level != r.regime_level:
            out.append(f"{lid}: regime level: reference {r.regime_level}, engine {rc.level}")
        if _score_differs(rc.score, r.regime_score):
            out.append(f"{lid}: regime score: reference {r.regime_score}, engine {rc.score}")
        if rc.control_status != r.control_status:
            out.append(
                f"{lid}: control_status: reference {r.control_status}, engine {rc.control_status}"
            )
    n, fn = ref.national, fast.national.regime_collapse
    checks = [
        ("regime_collapse level", n.level, fn.level),
        ("held_centres", n.held_centres, fn.held_centres),
        ("raids", n.raids, fn.raids),
        ("capital_fighting_days", n.capital_fighting_days, fn.capital_fighting_days),
    ]
    for what, mine, theirs in checks:
        if mine != theirs:
            out.append(f"national: {what}: reference {mine}, engine {theirs}")
    if _score_differs(fn.score, n.score):
        out.append(f"national: regime_collapse score: reference {n.score}, engine {fn.score}")
    return out


@dataclass
class Comparison:
    differences: list[str]
    locations: int
    seconds_reference: float
    seconds_engine: float


def run_comparison(
    incidents: list[Path],
    places: Path | None,
    guidance: list[Path],
    rules: Path | None,
    as_of: date | None,
    sample: int | None,
    seed: int,
) -> Comparison:
    t0 = time.perf_counter()
    fast = assess(list(incidents), list(guidance), places, rules, as_of).assessment
    t1 = time.perf_counter()
    inputs = read_inputs(incidents, places, guidance, rules, as_of)
    centres = control_of_centres(inputs.pack, inputs.gazetteer, inputs.events, inputs.as_of)
    ids = choose_sample(inputs.gazetteer, centres, sample, seed)
    ref = reference_assessment(inputs, ids)
    t2 = time.perf_counter()
    return Comparison(differences(ref, fast), len(ids), t2 - t1, t1 - t0)


def compare(
    incidents: list[Path],
    places: Path | None,
    guidance: list[Path],
    rules: Path | None,
    as_of: date | None,
    sample: int | None = 50,
    seed: int = 1,
) -> list[str]:
    """Differences between the engine and the reference on a sample of locations (every
    location when `sample` is None) and the country; empty when they agree."""
    return run_comparison(incidents, places, guidance, rules, as_of, sample, seed).differences


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--incidents", "-i", type=Path, action="append", required=True)
    ap.add_argument("--places", "-p", type=Path, default=None)
    ap.add_argument("--guidance", "-g", type=Path, action="append", default=[])
    ap.add_argument("--rules", "-r", type=Path, default=None)
    ap.add_argument("--as-of", type=date.fromisoformat, default=None)
    ap.add_argument("--sample", type=int, default=50, help="locations to check; 0 = all")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    result = run_comparison(
        args.incidents,
        args.places,
        args.guidance,
        args.rules,
        args.as_of,
        args.sample or None,
        args.seed,
    )
    for line in result.differences:
        print(line)
    what = f"{result.locations} locations + national"
    if result.differences:
        print(f"{what}: {len(result.differences)} difference(s)")
    else:
        print(f"{what}: identical")
    print(
        f"reference {result.seconds_reference:.1f} s, engine {result.seconds_engine:.1f} s",
        file=sys.stderr,
    )
    return 1 if result.differences else 0


if __name__ == "__main__":
    sys.exit(main())
