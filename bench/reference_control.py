"""The slow reference (bench/reference.py), section 4 of docs/method.md: who holds the population
centres, by walking each centre's events in date order, and the control features."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from reference_events import NONE_DAYS, ByLatitude, Event, box_around, haversine_km, km_from

from advisory.ingest.places import Place
from advisory.rulepack import RulePack

HELD = ("held", "held_governed")

# --- control of population centres (section 4) -------------------------------------------------


@dataclass
class Episode:
    """A seizure of a centre (or governance reopening it after an end), and how it ended."""

    start: date
    last_presence: date
    end: date | None = None
    governed: bool = False
    reopened: bool = False
    incidents: list[str] = field(default_factory=list)


@dataclass
class Centre:
    place: Place
    episodes: list[Episode] = field(default_factory=list)
    status: str = "government"  # government | contested | held | held_governed


SEIZE, GOVERN, PRESENCE, END = range(4)  # the order of one day's actions (section 4)


def episode_status(ep: Episode, as_of: date, raid_window: int, lapse_days: int) -> str:
    """raid | regained (ended), lapsed | held_governed | contested | held (open), at as-of."""
    if ep.end is not None:
        return "raid" if (ep.end - ep.start).days <= raid_window else "regained"
    if (as_of - ep.last_presence).days > lapse_days:
        return "lapsed"
    if ep.governed and not ep.reopened:
        return "held_governed"
    if (as_of - ep.start).days <= raid_window:
        return "contested"
    return "held_governed" if ep.governed else "held"


def _actions(ev: Event, pack: RulePack) -> list[int]:
    c = pack.control
    wanted = [(SEIZE, c.seized), (GOVERN, c.governance), (PRESENCE, c.presence), (END, c.ended)]
    return [action for action, signals in wanted if ev.signals & set(signals)]


def nearest_centre(ev: Event, near: ByLatitude, order: dict[str, int], radius: float) -> str | None:
    """The nearest centre within `radius` (gazetteer order breaks a tie), or None."""
    best: tuple[tuple[float, int], str] | None = None
    for place in near.inside(box_around([(ev.lat, ev.lon)], radius)):
        d = haversine_km(place.lat, place.lon, ev.lat, ev.lon)
        if d <= radius and (best is None or (d, order[place.id]) < best[0]):
            best = ((d, order[place.id]), place.id)
    return None if best is None else best[1]


def phase(actions: list[int]) -> int:
    """Where an event falls in its day: a seizure first, then governance and presence, then an
    end. An event is walked as a whole, at its earliest phase, except that one which ends an
    episode without seizing comes last (read where method.md is silent: a regain is also
    "fighting", a presence, yet it comes after that day's governance and presence)."""
    if SEIZE in actions:
        return 0
    return 2 if END in actions else 1


def walk(centre: Centre, given: list[tuple[Event, list[int]]]) -> Episode | None:
    """Episodes from one centre's events in (date, phase, id) order; returns the open one."""
    current: Episode | None = None
    for ev, actions in sorted(given, key=lambda g: (g[0].day, phase(g[1]), g[0].id)):
        for action in actions:  # in order: seize, govern, presence, end
            if action == SEIZE and current is None:
                current = Episode(ev.day, ev.day)
            elif action == GOVERN and current is None and centre.episodes:
                current = Episode(ev.day, ev.day, governed=True, reopened=True)  # reopened
            if current is None:
                continue
            if ev.id not in current.incidents:
                current.incidents.append(ev.id)
            if action in (SEIZE, GOVERN, PRESENCE):
                current.last_presence = max(current.last_presence, ev.day)
            if action == GOVERN:
                current.governed = True
            elif action == END:
                current.end = ev.day
                centre.episodes.append(current)
                current = None
    if current is not None:
        centre.episodes.append(current)
    return current


def control_of_centres(
    pack: RulePack, places: list[Place], events: list[Event], as_of: date
) -> dict[str, Centre]:
    """Every population centre's episodes and status at as-of."""
    cfg = pack.control
    centres = {
        p.id: Centre(p) for p in places if p.kind in cfg.population_centres.kinds and not p.is_route
    }
    order = {pid: i for i, pid in enumerate(centres)}
    near = ByLatitude([c.place for c in centres.values()])
    given: dict[str, list[tuple[Event, list[int]]]] = {}
    for ev in events:
        actions = _actions(ev, pack)
        if not actions or not 0 <= ev.age < cfg.lookback_days:
            continue
        pid = nearest_centre(ev, near, order, cfg.population_centres.radius_km)
        if pid is not None:
            given.setdefault(pid, []).append((ev, actions))
    for pid, evs in given.items():
        centre = centres[pid]
        current = walk(centre, evs)
        if current is not None:
            status = episode_status(current, as_of, cfg.raid_window_days, cfg.lapse_days)
            centre.status = "government" if status == "lapsed" else status
    return centres


def held_weight(place: Place, pack: RulePack) -> float:
    """(population / reference) ^ exponent; no population (or 0) is the default one."""
    hw = pack.control.held_weight
    population = place.population or hw.default_population
    return (population / hw.population_reference) ** hw.population_exponent


def raids_of(centre: Centre | None, pack: RulePack, as_of: date) -> list[Episode]:
    c = pack.control
    eps = centre.episodes if centre is not None else []
    return [e for e in eps if episode_status(e, as_of, c.raid_window_days, c.lapse_days) == "raid"]


def control_features(
    pack: RulePack, place: Place | None, centres: dict[str, Centre], as_of: date
) -> dict[str, float]:
    """control.* of one location (section 4)."""
    cfg = pack.control
    centre = centres.get(place.id) if place is not None else None
    status = centre.status if centre else None
    raids = raids_of(centre, pack, as_of)
    last_raid = max((ep.end for ep in raids if ep.end is not None), default=None)
    nearby = 0.0
    for other in centres.values():
        if place is None or other.status not in HELD or other.place.id == place.id:
            continue
        km = km_from(place, other.place.lat, other.place.lon)
        if km <= cfg.nearby_km:
            closeness = 0.5 ** (km / cfg.held_weight.proximity_half_km)
            nearby += held_weight(other.place, pack) * closeness
    return {
        "control.is_centre": float(centre is not None),
        "control.held": float(status in HELD),
        "control.governed": float(status == "held_governed"),
        "control.contested": float(status == "contested"),
        "control.raids": float(len(raids)),
        "control.last_raid_days": NONE_DAYS if last_raid is None else (as_of - last_raid).days,
        "control.held_nearby": nearby,
    }


def national_features(
    pack: RulePack,
    capital: Place | None,
    centres: dict[str, Centre],
    events: list[Event],
    as_of: date,
) -> dict[str, float]:
    """national.* (section 4): held centres weighted by closeness to the capital, raids on
    record, days with fighting inside the capital."""
    cfg = pack.control
    held = [c for c in centres.values() if c.status in HELD]
    weighted = 0.0
    for c in held:
        closeness = 1.0
        if capital is not None:
            km = haversine_km(c.place.lat, c.place.lon, capital.lat, capital.lon)
            closeness = 0.5 ** (km / cfg.held_weight.proximity_half_km)
        weighted += held_weight(c.place, pack) * closeness
    raids = sum(len(raids_of(c, pack, as_of)) for c in centres.values())
    cap = centres.get(capital.id) if capital is not None else None
    cf = cfg.capital_fighting
    days: set[date] = set()
    for ev in events:
        if capital is None or not ev.signals & set(cf.signals):
            continue
        within = haversine_km(capital.lat, capital.lon, ev.lat, ev.lon) <= cf.radius_km
        if within and 0 <= ev.age < cf.window_days:
            days.add(ev.day)
    return {
        "national.held_centres": float(len(held)),
        "national.governed_centres": float(sum(c.status == "held_governed" for c in held)),
        "national.held_weighted": weighted,
        "national.raids": float(raids),
        "national.capital_held": float(cap is not None and cap.status in HELD),
        "national.capital_fighting_days": float(len(days)),
    }
