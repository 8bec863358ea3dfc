"""Who holds each population centre: raid-and-withdraw versus held (and governed).

Operating is not controlling: a seizure that ends within the raid window (a regain, or the
group withdrawing) is a raid, a personal-security signal. One that outlasts the window is held,
and governance set up after it makes it held-and-governed: those are regime-collapse signals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import polars as pl

from .features import NONE_DAYS, Features, FeatureTable, ListEvidence, km_to_place
from .geo import km_to_locations, point_pairs
from .ingest.places import Gazetteer, Place
from .rulepack.model import Control


@dataclass
class Episode:
    start: date
    ids: list[str]
    end: date | None = None
    governed: bool = False

    def status(self, as_of: date, window: int) -> str:
        if self.end is not None:
            return "raid" if (self.end - self.start).days <= window else "regained"
        if self.governed:  # a seizure that comes with governance is held, window or not
            return "held_governed"
        if (as_of - self.start).days <= window:
            return "contested"
        return "held"


@dataclass
class CentreStatus:
    place_id: str
    status: str  # government | contested | held | held_governed
    episodes: list[Episode] = field(default_factory=list)
    since: date | None = None

    def evidence(self) -> list[str]:
        return [i for ep in reversed(self.episodes) for i in ep.ids]


def _flags(signals: pl.DataFrame, names: list[str]) -> np.ndarray:
    hit = np.zeros(signals.height, dtype=bool)
    for sig in names:
        hit |= signals[sig].to_numpy()
    return hit


def centre_statuses(
    gaz: Gazetteer,
    events: pl.DataFrame,
    signals: pl.DataFrame,
    ages: np.ndarray,
    cfg: Control,
    as_of: date,
) -> dict[int, CentreStatus]:
    centres = [
        i
        for i, p in enumerate(gaz.places)
        if p.kind in cfg.population_centres.kinds and not p.is_route
    ]
    out = {i: CentreStatus(gaz.places[i].id, "government") for i in centres}
    seized = _flags(signals, cfg.seized)
    governed = _flags(signals, cfg.governance)
    ended = _flags(signals, cfg.ended)
    relevant = seized | governed | ended
    cand = np.nonzero(relevant & (ages >= 0) & (ages < cfg.lookback_days))[0]
    if not centres or cand.size == 0:
        return out
    clat = np.array([gaz.places[i].lat for i in centres])
    clon = np.array([gaz.places[i].lon for i in centres])
    q, e, d = point_pairs(
        clat,
        clon,
        events["lat"].to_numpy()[cand],
        events["lon"].to_numpy()[cand],
        cfg.population_centres.radius_km,
    )
    # Each event belongs to its nearest centre only: a seizure of a suburb must not also make
    # the neighbouring capital "held".
    order = np.lexsort((q, d, e))
    first = np.ones(order.size, dtype=bool)
    first[1:] = e[order][1:] != e[order][:-1]
    q, ev = q[order][first], cand[e[order][first]]
    # only the few control events are turned into Python objects
    dates = dict(zip(ev.tolist(), events["date"].gather(ev).to_list(), strict=True))
    ids = dict(zip(ev.tolist(), events["event_id"].gather(ev).to_list(), strict=True))
    # control events are rare (seizures, regains, governance), so a loop over them is cheap
    by_centre: dict[int, list[int]] = {}
    for qi, ei in zip(q.tolist(), ev.tolist(), strict=True):
        by_centre.setdefault(centres[qi], []).append(ei)
    for ci, evs in by_centre.items():
        # same day: a seizure opens before governance is noted and before anything ends it
        evs.sort(key=lambda j: (dates[j], not seized[j], bool(ended[j]), ids[j]))
        episodes: list[Episode] = []
        open_ep: Episode | None = None
        for j in evs:
            # one event may carry several signals ("took the town and set up a court")
            if seized[j]:
                if open_ep is None:
                    open_ep = Episode(dates[j], [ids[j]])
                elif ids[j] not in open_ep.ids:
                    open_ep.ids.append(ids[j])
            if governed[j] and open_ep is not None:
                open_ep.governed = True
                if ids[j] not in open_ep.ids:
                    open_ep.ids.append(ids[j])
            if ended[j] and open_ep is not None:  # "took the post, looted, withdrew" is a raid
                open_ep.end = dates[j]
                open_ep.ids.append(ids[j])
                episodes.append(open_ep)
                open_ep = None
        status = "government"
        since = None
        if open_ep is not None:
            episodes.append(open_ep)
            status = open_ep.status(as_of, cfg.raid_window_days)
            since = open_ep.start
        out[ci] = CentreStatus(gaz.places[ci].id, status, episodes, since)
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
    window = cfg.raid_window_days
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
        raids = [ep for ep in st.episodes if ep.status(as_of, window) == "raid"]
        last = max((ep.end for ep in raids if ep.end), default=None)
        cols["control.is_centre"][i] = 1.0
        cols["control.held"][i] = float(st.status in ("held", "held_governed"))
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
    held = {i: s for i, s in statuses.items() if s.status in ("held", "held_governed")}
    for hi, hs in held.items():
        other = gaz.places[hi]
        dist = km_to_locations(gaz, other.lat, other.lon)
        for i in np.nonzero(dist <= cfg.nearby_km)[0].tolist():
            if i == hi:
                continue
            d = float(dist[i])
            nearby[i] += _held_weight(other, cfg) * 0.5 ** (d / cfg.held_weight.proximity_half_km)
            near_ev[i].extend(hs.evidence())
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
    ft = Features()
    cap = gaz.capital()
    held = {i: s for i, s in statuses.items() if s.status in ("held", "held_governed")}
    weighted, held_ids = 0.0, []
    for i, s in held.items():
        p = gaz.places[i]
        prox = (
            1.0
            if cap is None
            else 0.5 ** (km_to_place(p, cap.lat, cap.lon) / cfg.held_weight.proximity_half_km)
        )
        weighted += _held_weight(p, cfg) * prox
        held_ids.extend(s.evidence())
    raids = [
        (ep, s)
        for s in statuses.values()
        for ep in s.episodes
        if ep.status(as_of, cfg.raid_window_days) == "raid"
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
        bool(cap_status) and cap_status.status in ("held", "held_governed")
    )
    ft.evidence["national.capital_held"] = cap_status.evidence() if cap_status else []
    days, fight_ids = 0, []
    cf = cfg.capital_fighting
    if cap is not None and events.height:
        hit = np.zeros(events.height, dtype=bool)
        for s in cf.signals:
            hit |= signals[s].to_numpy()
        cand = np.nonzero(hit & (ages >= 0) & (ages < cf.window_days))[0]
        if cand.size:
            _, e, _ = point_pairs(
                np.array([cap.lat]),
                np.array([cap.lon]),
                events["lat"].to_numpy()[cand],
                events["lon"].to_numpy()[cand],
                cf.radius_km,
            )
            chosen = cand[e]
            days = len(set(events["date"].to_numpy()[chosen].tolist()))
            fight_ids = sorted(events["event_id"].to_numpy()[chosen].tolist())
    ft.numbers["national.capital_fighting_days"] = float(days)
    ft.evidence["national.capital_fighting_days"] = fight_ids
    ft.texts["national.capital"] = cap.name if cap else "the capital"
    return ft
