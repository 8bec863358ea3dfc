"""The slow reference (bench/reference.py), sections 1-3 of docs/method.md: distances, and each
event read row by row and given its signals with Python `re`.

No number of its own: every radius, window and pattern comes from the rule pack. Only the
rule-pack model types are imported from the engine (to read the pack).
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from advisory.ingest.places import Place
from advisory.rulepack import RulePack
from advisory.rulepack.model import ClassifyRule

EARTH_RADIUS_KM = 6371.0088  # method.md section 3
KM_PER_DEG = EARTH_RADIUS_KM * math.pi / 180.0  # km per degree of latitude
NONE_DAYS = 9999.0  # latest_days (and days since) when there is none

# --- distances (section 3) ---------------------------------------------------------------------


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(max(a, 0.0), 1.0)))


def km_to_road(lat: float, lon: float, road: Sequence[tuple[float, float]]) -> float:
    """Distance from a point to the nearest point of a road's line: each straight piece on a
    flat map centred on the point (1 degree of latitude = KM_PER_DEG km, of longitude
    KM_PER_DEG x cos(latitude))."""
    kx = KM_PER_DEG * math.cos(math.radians(lat))
    best = math.inf
    for (a_lat, a_lon), (b_lat, b_lon) in itertools.pairwise(road):
        ax, ay = (a_lon - lon) * kx, (a_lat - lat) * KM_PER_DEG
        bx, by = (b_lon - lon) * kx, (b_lat - lat) * KM_PER_DEG
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        # how far along the piece its point closest to ours lies (0 for a piece of no length)
        t = min(1.0, max(0.0, -(ax * dx + ay * dy) / length2)) if length2 > 0 else 0.0
        best = min(best, math.hypot(ax + t * dx, ay + t * dy))
    return best


def km_from(place: Place, lat: float, lon: float) -> float:
    """Distance from a place (a point, or a road's line) to a point."""
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
    the straight pieces between them), with a 10 % margin. It only saves time: whatever is
    inside is still measured exactly. Not for data across the antimeridian."""
    points = list(coords)
    lats = [c[0] for c in points]
    lons = [c[1] for c in points]
    margin = 1.1 * km / KM_PER_DEG + 0.01
    lat_lo, lat_hi = min(lats) - margin, max(lats) + margin
    poleward = min(max(abs(lat_lo), abs(lat_hi)), 89.0)
    lon_margin = margin / math.cos(math.radians(poleward))
    return Box(lat_lo, lat_hi, min(lons) - lon_margin, max(lons) + lon_margin)


class ByLatitude:
    """Things with `.lat` and `.lon`, sorted by latitude, so that a box needs no full scan."""

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = sorted(items, key=lambda x: x.lat)
        self.lats = [x.lat for x in self.items]

    def inside(self, box: Box) -> list[Any]:
        lo = bisect.bisect_left(self.lats, box.lat_lo)
        hi = bisect.bisect_right(self.lats, box.lat_hi)
        return [x for x in self.items[lo:hi] if box.holds(x.lat, x.lon)]


# --- classification (section 2) ----------------------------------------------------------------

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
BRACKETS = re.compile(r"\(([^()]*)\)\s*$")  # "Civilians (Burkina Faso)": the closing bracket


@dataclass(slots=True)
class Event:
    id: str
    day: date
    age: int  # days before as-of (0 on the day)
    lat: float
    lon: float
    precision: int
    fatalities: int
    sources: frozenset[str]  # the names in `source`, folded (section 8)
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
            if str(row[name] or "").lower() not in allowed:
                return False
        minimum = self.rule.when.min_fatalities
        if minimum is not None and int(row["fatalities"] or 0) < minimum:
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


def source_names(text: str | None) -> frozenset[str]:
    """Section 8: the names in a `source` field, split on ';', case and spaces ignored."""
    names = ("".join(part.split()).casefold() for part in (text or "").split(";"))
    return frozenset(n for n in names if n)


def lookback_days(pack: RulePack) -> int:
    """The longest window any part of the method uses (section 1): an older event cannot
    change anything, so it is not classified (only to save time; every window is still
    applied where it is used)."""
    spans = [max(e.horizon_days, e.trend.recent_days + e.trend.baseline_days)
             for e in pack.exposures.values()]  # fmt: skip
    c = pack.control
    return max([*spans, c.lookback_days, c.raid_window_days, c.capital_fighting.window_days])


def classify_rows(rows: Iterable[dict[str, Any]], pack: RulePack, as_of: date) -> list[Event]:
    """Every event up to the look-back with the signals its classify rules give it, row by
    row."""
    rules = [ReadRule.of(r) for r in pack.classify.rules]
    oldest = lookback_days(pack)
    events = []
    for row in rows:
        day = row["date"]
        if not 0 <= (as_of - day).days < oldest:
            continue
        signals = frozenset(r.rule.signal for r in rules if r.matches(row))
        events.append(
            Event(
                row["event_id"],
                day,
                (as_of - day).days,
                row["lat"],
                row["lon"],
                int(row["precision"]),
                int(row["fatalities"] or 0),
                source_names(row["source"]),
                signals,
            )
        )
    return events
