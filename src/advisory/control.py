"""Who holds each population centre: raid-and-withdraw versus held (and governed).

Operating is not controlling: a seizure that ends within the raid window (a regain, or the
group withdrawing) is a raid, a personal-security signal. One that outlasts the window is held,
and governance set up after it makes it held-and-governed: those are regime-collapse signals.

A seizure stays held only while signs of the group's presence keep coming (fighting, checkpoints,
taxation, governance): a single claim with nothing after it lapses after `lapse_days` (the
centre reads as the government's again, the episode is kept as "lapsed"). Governance in a town
after the army regained it reopens it: contested at first, held if the group stays.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import polars as pl

from .features.table import Features, FeatureTable, ListEvidence
from .geo import point_pairs
from .ingest.places import Gazetteer, Place
from .rulepack.model import Control
from .rulepack.vocabulary import NONE_DAYS


@dataclass
class Episode:
    start: date
    ids: list[str]
    last_presence: date
    end: date | None = None
    governed: bool = False
    reopened: bool = False  # opened by governance after the army had regained the town

    def status(self, as_of: date, cfg: Control) -> str:
        window = cfg.raid_window_days
        if self.end is not None:
            return "raid" if (self.end - self.start).days <= window else "regained"
        if (as_of - self.last_presence).days > cfg.lapse_days:
            return "lapsed"
        if self.governed and not self.reopened:  # seized with governance: held at once
            return "held_governed"
        if (as_of - self.start).days <= window:
            return "contested"
        return "held_governed" if self.governed else "held"

    def add(self, event_id: str, day: date, presence: bool = True) -> None:
        """Cite the event; a sign of the group also moves its last presence forward (the event
        that ends an episode, a withdrawal, is cited but is no such sign)."""
        if event_id not in self.ids:
            self.ids.append(event_id)
        if presence:
            self.last_presence = max(self.last_presence, day)


HELD = ("held", "held_governed")


@dataclass
class CentreStatus:
    place_id: str
    status: str  # government | contested | held | held_governed (a lapsed seizure: government)
    episodes: list[Episode] = field(default_factory=list)
    since: date | None = None

    def evidence(self) -> list[str]:
        return [i for ep in reversed(self.episodes) for i in ep.ids]


def _flags(signals: pl.DataFrame, names: list[str]) -> np.ndarray:
    hit = np.zeros(signals.height, dtype=bool)
    for sig in names:
        hit |= signals[sig].to_numpy()
    return hit


@dataclass
class Flags:
    """Which events are seizures, ends, governance and presence (NumPy bool columns)."""

    seized: np.ndarray
    ended: np.ndarray
    governed: np.ndarray
    present: np.ndarray

    @classmethod
    def of(cls, signals: pl.DataFrame, cfg: Control) -> Flags:
        return cls(
            _flags(signals, cfg.seized),
            _flags(signals, cfg.ended),
            _flags(signals, cfg.governance),
            _flags(signals, cfg.presence),
        )


def _centres(gaz: Gazetteer, cfg: Control) -> list[int]:
    kinds = cfg.population_centres.kinds
    return [i for i, p in enumerate(gaz.places) if p.kind in kinds and not p.is_route]


def _events_by_centre(
    gaz: Gazetteer, centres: list[int], events: pl.DataFrame, cand: np.ndarray, radius: float
) -> dict[int, list[int]]:
    """Each candidate event given to its nearest centre within the radius (a seizure of a
    suburb must not also make the neighbouring capital "held")."""
    clat = np.array([gaz.places[i].lat for i in centres])
    clon = np.array([gaz.places[i].lon for i in centres])
    q, e, d = point_pairs(
        clat, clon, events["lat"].to_numpy()[cand], events["lon"].to_numpy()[cand], radius
    )
    order = np.lexsort((q, d, e))
    first = np.ones(order.size, dtype=bool)
    first[1:] = e[order][1:] != e[order][:-1]
    out: dict[int, list[int]] = {}
    for qi, ei in zip(q[order][first].tolist(), cand[e[order][first]].tolist(), strict=True):
        out.setdefault(centres[qi], []).append(ei)
    return out


def _episodes(
    evs: list[int], f: Flags, dates: dict[int, date], ids: dict[int, str]
) -> tuple[list[Episode], Episode | None]:
    """The centre's seizure episodes from its control events, in date order: closed ones,
    and the one still open (if any). Only centres with a seizure get here, so the loop is short."""
    # same day: a seizure opens before governance or presence is noted and before it ends
    evs = sorted(evs, key=lambda j: (dates[j], not f.seized[j], bool(f.ended[j]), ids[j]))
    closed: list[Episode] = []
    open_ep: Episode | None = None
    for j in evs:
        day, eid = dates[j], ids[j]
        # one event may carry several signals ("took the town and set up a court")
        if f.seized[j]:
            if open_ep is None:
                open_ep = Episode(day, [eid], day)
            open_ep.add(eid, day)
        if f.governed[j]:
            if open_ep is None and closed:  # governance after the town was retaken
                open_ep = Episode(day, [eid], day, reopened=True)
            if open_ep is not None:
                open_ep.governed = True
                open_ep.add(eid, day)
        if f.present[j] and open_ep is not None:
            open_ep.add(eid, day)
        if f.ended[j] and open_ep is not None:  # "took the post, looted, withdrew" is a raid
            open_ep.end = day
            open_ep.add(eid, day, presence=bool(f.present[j] or f.seized[j] or f.governed[j]))
            closed.append(open_ep)
            open_ep = None
    return closed, open_ep


def centre_statuses(
    gaz: Gazetteer,
    events: pl.DataFrame,
    signals: pl.DataFrame,
    ages: np.ndarray,
    cfg: Control,
    as_of: date,
) -> dict[int, CentreStatus]:
    """The status of every population centre at `as_of`."""
    centres = _centres(gaz, cfg)
    out = {i: CentreStatus(gaz.places[i].id, "government") for i in centres}
    f = Flags.of(signals, cfg)
    relevant = f.seized | f.governed | f.ended | f.present
    cand = np.flatnonzero(relevant & (ages >= 0) & (ages < cfg.lookback_days))
    if not centres or cand.size == 0:
        return out
    by_centre = _events_by_centre(gaz, centres, events, cand, cfg.population_centres.radius_km)
    # an episode opens only on a seizure: a centre with none stays "government" whatever its
    # fighting, so its (common) presence events are not walked at all
    by_centre = {c: evs for c, evs in by_centre.items() if any(f.seized[j] for j in evs)}
    rows = sorted({j for evs in by_centre.values() for j in evs})
    dates = dict(zip(rows, events["date"].gather(rows).to_list(), strict=True))
    ids = dict(zip(rows, events["event_id"].gather(rows).to_list(), strict=True))
    for ci, evs in by_centre.items():
        closed, open_ep = _episodes(evs, f, dates, ids)
        status, since = "government", None
        if open_ep is not None:
            closed.append(open_ep)
            if (state := open_ep.status(as_of, cfg)) != "lapsed":
                status, since = state, open_ep.start
        if closed:
            out[ci] = CentreStatus(gaz.places[ci].id, status, closed, since)
    return out


def _held_weight(place: Place, cfg: Control) -> float:
    hw = cfg.held_weight
    pop = place.population or hw.default_population
    return float((pop / hw.population_reference) ** hw.population_exponent)


def add_control_features(
    table: FeatureTable,
    gaz: Gazetteer,
    statuses: dict[int, CentreStatus],
    cfg: Control,
    as_of: date,
) -> None:
    """Control features; only population centres and places near a held one get non-zero
    values, so the loop runs over those, not over every location."""
    n = table.size
    cols = {
        k: np.zeros(n)
        for k in (
            "control.is_centre",
            "control.held",
            "control.governed",
            "control.contested",
            "control.raids",
        )
    }
    last_raid = np.full(n, NONE_DAYS)
    empty: list[str] = []
    own_ev: list[list[str]] = [empty] * n
    raid_ev: list[list[str]] = [empty] * n
    for i, st in statuses.items():
        raids = [ep for ep in st.episodes if ep.status(as_of, cfg) == "raid"]
        last = max((ep.end for ep in raids if ep.end), default=None)
        cols["control.is_centre"][i] = 1.0
        cols["control.held"][i] = float(st.status in HELD)
        cols["control.governed"][i] = float(st.status == "held_governed")
        cols["control.contested"][i] = float(st.status == "contested")
        cols["control.raids"][i] = float(len(raids))
        if last:
            last_raid[i] = float((as_of - last).days)
        if st.status != "government":
            own_ev[i] = st.evidence()
        raid_ev[i] = [x for ep in reversed(raids) for x in ep.ids]
    nearby = np.zeros(n)
    near_ev: list[list[str]] = [[] for _ in range(n)]
    held = {i: s for i, s in statuses.items() if s.status in HELD}
    for hi, hs in held.items():
        other = gaz.places[hi]
        dist = gaz.km_from(other.lat, other.lon)
        weight, evidence = _held_weight(other, cfg), hs.evidence()
        for i in np.nonzero(dist <= cfg.nearby_km)[0].tolist():
            if i == hi:
                continue
            d = float(dist[i])
            nearby[i] += weight * 0.5 ** (d / cfg.held_weight.proximity_half_km)
            near_ev[i].extend(evidence)
    table.numbers.update(cols)
    table.numbers["control.last_raid_days"] = last_raid
    table.numbers["control.held_nearby"] = nearby
    own = ListEvidence(own_ev)
    for key in ("control.held", "control.governed", "control.contested"):
        table.evidence[key] = own
    table.evidence["control.raids"] = ListEvidence(raid_ev)
    table.evidence["control.last_raid_days"] = table.evidence["control.raids"]
    table.evidence["control.held_nearby"] = ListEvidence(near_ev)


def national_features(
    gaz: Gazetteer,
    statuses: dict[int, CentreStatus],
    events: pl.DataFrame,
    signals: pl.DataFrame,
    ages: np.ndarray,
    cfg: Control,
    as_of: date,
) -> Features:
    """The regime-collapse features of the country: held centres weighted by population and
    closeness to the capital, raids, the capital's own status and fighting inside it."""
    ft = Features()
    cap = gaz.capital()
    held = {i: s for i, s in statuses.items() if s.status in HELD}
    cap_km = gaz.km_from(cap.lat, cap.lon) if cap is not None else np.zeros(len(gaz.places))
    weighted, held_ids = 0.0, []
    for i, s in held.items():
        prox = 0.5 ** (float(cap_km[i]) / cfg.held_weight.proximity_half_km)
        weighted += _held_weight(gaz.places[i], cfg) * prox
        held_ids.extend(s.evidence())
    raids = [
        (ep, s) for s in statuses.values() for ep in s.episodes if ep.status(as_of, cfg) == "raid"
    ]
    raids.sort(key=lambda r: r[0].end or r[0].start, reverse=True)
    ft.numbers["national.held_centres"] = float(len(held))
    ft.numbers["national.governed_centres"] = float(
        sum(s.status == "held_governed" for s in held.values())
    )
    ft.numbers["national.held_weighted"] = weighted
    ft.numbers["national.raids"] = float(len(raids))
    ft.evidence["national.held_centres"] = held_ids
    ft.evidence["national.governed_centres"] = [
        x for s in held.values() if s.status == "held_governed" for x in s.evidence()
    ]
    ft.evidence["national.held_weighted"] = held_ids
    ft.evidence["national.raids"] = [x for ep, _ in raids for x in ep.ids]
    cap_idx = gaz.index.get(cap.id) if cap else None
    cap_status = statuses.get(cap_idx) if cap_idx is not None else None
    ft.numbers["national.capital_held"] = float(
        cap_status is not None and cap_status.status in HELD
    )
    ft.evidence["national.capital_held"] = cap_status.evidence() if cap_status else []
    days, fight_ids = _capital_fighting(cap, events, signals, ages, cfg)
    ft.numbers["national.capital_fighting_days"] = float(days)
    ft.evidence["national.capital_fighting_days"] = fight_ids
    ft.texts["national.capital"] = cap.name if cap else "the capital"
    return ft


def _capital_fighting(
    cap: Place | None, events: pl.DataFrame, signals: pl.DataFrame, ages: np.ndarray, cfg: Control
) -> tuple[int, list[str]]:
    """Days with fighting inside the capital in the window, and the events."""
    cf = cfg.capital_fighting
    if cap is None or not events.height:
        return 0, []
    cand = np.flatnonzero(_flags(signals, cf.signals) & (ages >= 0) & (ages < cf.window_days))
    if not cand.size:
        return 0, []
    lat, lon = events["lat"].to_numpy()[cand], events["lon"].to_numpy()[cand]
    _, e, _ = point_pairs(np.array([cap.lat]), np.array([cap.lon]), lat, lon, cf.radius_km)
    chosen = cand[e]
    days = len(set(events["date"].to_numpy()[chosen].tolist()))
    return days, sorted(events["event_id"].to_numpy()[chosen].tolist())
