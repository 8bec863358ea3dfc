"""Clear or refuse each leg, and the trip, for one staff profile.

Personal security decides; regime collapse at the destination is reported as context only and
never clears or refuses a leg (the two tracks stay apart here too).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import cached_property

import numpy as np

from ...assessment.model import Hazard, Location
from ...engine import Run
from ...errors import InputError, Problem
from ...ingest.places import Place
from ...rulepack.tracks import Profile
from ...scoring.hazards import for_profile, step_up
from ...scoring.rules import levels_for
from ...text import did_you_mean
from ..report.roadnames import find_named, localised, road_name
from .itinerary import Leg
from .network import RoadNetwork
from .results import (
    Alternative,
    Decision,
    HazardPeak,
    LegResult,
    Measure,
    RoadTaken,
    Segment,
    Timing,
)
from .words import TripWords

ORDER = {"cleared": 0, "cleared_with_measures": 1, "refused": 2}


def _hhmm(t: datetime) -> str:
    return t.strftime("%H:%M")


class Checker:
    """Evaluates legs against one assessment and one profile. The sentences it writes (why
    a leg is refused, why a measure applies, how the route was chosen) are in `lang`; levels,
    labels and ids stay the assessment's."""

    def __init__(
        self, run: Run, profile_name: str, prefer: str = "shortest", lang: str = "en"
    ) -> None:
        pack = run.pack
        profiles = pack.profiles.profiles
        if profile_name not in profiles:
            raise InputError(
                Problem(
                    "--profile",
                    f"unknown profile {profile_name!r}"
                    f"{did_you_mean(profile_name, set(profiles))}; known: "
                    f"{', '.join(sorted(profiles))}",
                )
            )
        self.run = run
        self.profile_name = profile_name
        self.profile: Profile = profiles[profile_name]
        self.journey = pack.profiles.journey
        self.net = RoadNetwork.build(run.gazetteer, run.network)
        self.prefer = prefer
        # the roads' generated names in the language (the decision never depends on it)
        shown = localised(run.assessment, lang)
        self.locs: dict[str, Location] = {loc.id: loc for loc in shown.locations}
        self.method = run.assessment.method
        self.guidance = pack.personal_security.guidance
        self.lang = lang
        self.words = TripWords(lang, pack.info.levels, profile_name)

    # -- levels -----------------------------------------------------------------------------
    def effective(self, loc: Location, hazard: str) -> int:
        """The hazard's level for this profile: its chance at the profile's exposure
        (1 - (1 - p)^weight) put in the hazard's bands, then the profile's guidance step
        where guidance cites the hazard there (never above the pack's guidance ceiling)."""
        hz = loc.personal_security.hazards[hazard]
        weight = self.profile.exposure.get(hazard, 1.0)
        p = for_profile(np.array([hz.likelihood_30d]), weight)
        level = int(levels_for(p, self.method.hazards[hazard].bands)[0])
        if self._cited(hz):
            step = self.profile.guidance_raise.get(hazard, self.guidance.raise_levels)
            level = int(step_up(level, step, self.guidance.max_level))
        return level

    @staticmethod
    def _cited(hz: Hazard) -> bool:
        """Whether guidance in force here cites the hazard, also where the engine's step
        raised nothing (the evidence already at the ceiling) and so left no guidance driver
        or `guidance_step`: the profile's level may be lower and take its own step."""
        return bool(hz.guidance_cited)

    def _segment(self, pid: str, km: float | None = None) -> Segment:
        loc = self.locs[pid]
        return Segment(
            id=pid,
            name=loc.name,
            kind=loc.kind,
            distance_km=round(km, 1) if km is not None else None,
            ambush=self.effective(loc, "ambush"),
            kidnapping=self.effective(loc, "kidnapping"),
            personal_security=loc.personal_security.level,
        )

    def peak(self, items: list[Segment], hazard: str) -> HazardPeak:
        level = max((getattr(s, hazard) for s in items), default=1)
        where = list(dict.fromkeys(s.name for s in items if getattr(s, hazard) == level))
        return HazardPeak(level=level, label=self.run.pack.label(level), where=where)

    # -- one leg ----------------------------------------------------------------------------
    def place(self, query: str, leg: int) -> Place:
        try:
            return find_named(self.run.gazetteer, query, self.lang)
        except InputError as exc:
            raise InputError(Problem(f"leg {leg}", exc.problems[0].message)) from None

    @cached_property
    def _cost(self) -> Callable[[str], float] | None:
        """With `prefer="safest"`: each km of a road counts `factor ** (level - 1)` km, its
        level the worst hazard's for this profile (the factor is the pack's, roads.yaml).
        Made once per check: every leg and alternative routes by the same levels."""
        if self.prefer != "safest":
            return None
        factor = self.run.pack.roads.safest_level_factor
        levels = {
            rid: max(self.effective(loc, h) for h in ("ambush", "kidnapping"))
            for rid, loc in self.locs.items()
            if loc.is_road
        }
        return lambda rid: self.net.length[rid] * factor ** (levels.get(rid, 1) - 1)

    def _route_words(self, a: str, b: str, roads: list[str] | None) -> str:
        if self.prefer != "safest" or roads is None:
            return self.words.shortest()
        shortest = self.net.shortest(a, b) or []
        return self.words.safest(self.net.km(roads) - self.net.km(shortest), roads == shortest)

    def _airport_near(self, p: Place) -> Place | None:
        from ...geo import haversine

        best = None
        for q in self.run.gazetteer.places:
            if q.kind == "airport":
                d = float(haversine(p.lat, p.lon, q.lat, q.lon))
                if d <= self.journey.airport_km and (best is None or d < best[0]):
                    best = (d, q)
        return best[1] if best else None

    def leg(self, i: int, leg: Leg, banned: frozenset[str] = frozenset()) -> LegResult:
        a, b = self._ends(i, leg)
        reasons: list[str] = []
        roads, route = self._route(i, leg, a, b, banned, reasons)
        segs = [self._segment(r, self.net.length[r]) for r in roads]
        passed = self.net.passed(roads, self.journey.corridor_km) if roads else {}
        passed.setdefault(a.id, 0.0)
        passed.setdefault(b.id, 0.0)
        ends = {a.id: 0, b.id: 1}  # the leg's start, its end, then the places nearest its roads
        order = sorted(passed, key=lambda pid: (ends.get(pid, 2), passed[pid], pid))
        places = [self._segment(pid) for pid in order]
        # Ambush is a road hazard: on a road leg it is read on the roads; kidnapping happens on
        # roads and in the places passed. By air only the two ends count.
        exposed = segs + places if leg.mode == "road" else places[:2]
        by_hazard = {
            "ambush": segs if leg.mode == "road" and segs else places[:2],
            "kidnapping": exposed,
        }
        km = self.net.km(roads) if roads else None
        timing = self._timing(leg, km)
        peaks = {hz: self.peak(items, hz) for hz, items in by_hazard.items()}
        ambush, kidnapping = peaks["ambush"], peaks["kidnapping"]
        measures = self._measures(peaks)
        reasons += self._refusals(leg, (ambush, kidnapping), {m.id for m in measures}, timing)
        decision: Decision = (
            "refused" if reasons else ("cleared_with_measures" if measures else "cleared")
        )
        dest = self.locs[b.id].regime_collapse
        return LegResult(
            index=i,
            from_=a.id,
            to=b.id,
            mode=leg.mode,
            date=leg.date,
            depart=timing.depart_text,
            arrive=_hhmm(timing.arrive) if timing.arrive else None,
            arrive_date=timing.arrive.date() if timing.arrive else None,
            distance_km=round(km, 1) if km is not None else None,
            hours=round(timing.hours, 2) if timing.hours is not None else None,
            after_dark=timing.after_dark,
            route=route,
            roads=segs,
            roads_taken=[
                RoadTaken(name=name, distance_km=round(km, 1), roads=ids)
                for name, km, ids in self.net.runs(a.id, roads, self.lang)
            ],
            places=places,
            decision=decision,
            measures=measures,
            reasons=reasons,
            ambush=ambush,
            kidnapping=kidnapping,
            guidance=sorted({g for s in exposed for g in self.locs[s.id].guidance_in_force}),
            destination_regime_collapse={
                "level": dest.level,
                "label": dest.label,
                "control_status": dest.control_status,
                "note": self.words.context_only(),
            },
        )

    def _ends(self, i: int, leg: Leg) -> tuple[Place, Place]:
        a, b = self.place(leg.from_, i), self.place(leg.to, i)
        if a.is_route or b.is_route:
            raise InputError(Problem(f"leg {i}", "from and to must be places, not roads"))
        if a.id == b.id:
            raise InputError(Problem(f"leg {i}", f"from and to are the same place ({a.name})"))
        return a, b

    def _route(
        self, i: int, leg: Leg, a: Place, b: Place, banned: frozenset[str], reasons: list[str]
    ) -> tuple[list[str], str]:
        """The roads of the leg and how they were chosen. No road at all is an input error (a
        gap in the road data is never a security decision); no road once refused roads are
        banned is a reason to refuse."""
        if leg.mode == "air":
            ports = [self._airport_near(a), self._airport_near(b)]
            missing = [p.name for p, port in zip((a, b), ports, strict=True) if port is None]
            if missing:
                reasons.append(self.words.no_airport(self.journey.airport_km, missing))
            return [], self.words.by_air()
        via = None
        if leg.via:
            via = self.place(leg.via, i)
            if not via.is_route:
                raise InputError(Problem(f"leg {i}", f"via {leg.via!r} is not a road"))
            if why := self.net.not_a_stretch(leg.via, via):
                raise InputError(Problem(f"leg {i}", why))
            roads = self.net.via(a.id, b.id, via.id)
            route = self.words.via(road_name(via.name, self.lang, via.road is None))
        else:
            roads = self.net.shortest(a.id, b.id, banned, self._cost)
            route = self._route_words(a.id, b.id, roads)
        if roads is not None:
            return roads, route
        if not banned:
            # a gap in the data: the network's own account of it (on a road layer, the
            # separate parts the places and the road are on)
            raise InputError(Problem(f"leg {i}", self.net.no_road(a, b, via.id if via else None)))
        reasons.append(self.words.no_road_avoiding(a.name, b.name))
        return [], self.words.no_route()

    def _timing(self, leg: Leg, km: float | None) -> Timing:
        depart_text = leg.depart or self.journey.default_departure
        day = leg.date or self.run.assessment.as_of

        def at(hhmm: str) -> datetime:
            return datetime.combine(day, datetime.strptime(hhmm, "%H:%M").time())

        depart = at(depart_text)
        hours = km / self.journey.road_speed_kmh if km is not None and leg.mode == "road" else None
        arrive = depart + timedelta(hours=hours) if hours is not None else None
        dl = self.journey.daylight
        start, end = at(dl.start), at(dl.end)
        after_dark = bool(
            leg.mode == "road" and arrive is not None and (depart < start or arrive > end)
        )
        return Timing(depart_text, arrive, hours, after_dark, start, end)

    def _refusals(
        self, leg: Leg, peaks: tuple[HazardPeak, HazardPeak], measure_ids: set[str], timing: Timing
    ) -> list[str]:
        """Why the leg is refused as planned: a hazard at the profile's refusal level on the
        road, daylight-only travel planned after dark, one vehicle where two are required."""
        reasons = []
        for hz, peak in zip(("ambush", "kidnapping"), peaks, strict=True):
            if peak.level >= self.profile.refuse_at and leg.mode == "road":
                reasons.append(self.words.refused_at(hz, peak, self.profile.refuse_at))
        t, dl = timing, self.journey.daylight
        if "daylight_only" in measure_ids and t.after_dark and t.hours and t.arrive:
            latest = t.daylight_end - timedelta(hours=t.hours)
            fits = latest >= t.daylight_start
            arrive = _hhmm(t.arrive)
            if t.arrive.date() != t.daylight_start.date():  # a long leg: say the day
                arrive += self.words.on_day(t.arrive.date())
            reasons.append(
                self.words.daylight(
                    t.depart_text, arrive, dl.start, dl.end, _hhmm(latest) if fits else None
                )
            )
        if "two_vehicles" in measure_ids and leg.vehicles is not None and leg.vehicles < 2:
            reasons.append(self.words.two_vehicles(leg.vehicles))
        return reasons

    def _measures(self, peaks: dict[str, HazardPeak]) -> list[Measure]:
        """The profile's measures the leg's peaks call for, each with why."""
        texts = self.run.pack.measures.measures
        found: dict[str, dict[str, str]] = {}  # measure -> {why: the peak in short}
        for rule in self.profile.measures:
            hazards = ["ambush", "kidnapping"] if rule.hazard == "any" else [rule.hazard]
            for hz in hazards:
                peak = peaks[hz]
                if peak.level >= rule.at_least:
                    why = self.words.peak_for_profile(hz, peak)
                    for mid in rule.measures:
                        found.setdefault(mid, {}).setdefault(why, self.words.peak(hz, peak))
        return [
            Measure(
                id=mid,
                text=getattr(texts[mid], self.lang),
                reasons=list(found[mid]),
                peaks=list(found[mid].values()),
            )
            for mid in found
        ]

    def alternative(self, i: int, leg: Leg, result: LegResult) -> Alternative | None:
        """A lower-risk way when a leg is refused: another road (avoiding the worst segment)
        or flying, whichever is better."""
        options: list[tuple[tuple[int, int], Alternative]] = []
        refused = [s for s in result.roads if max(s.ambush, s.kidnapping) >= self.profile.refuse_at]
        worst, avoided = [s.id for s in refused], [s.name for s in refused]
        if leg.mode == "road" and worst:
            alt = self.leg(i, leg.model_copy(update={"via": None}), frozenset(worst))
            if alt.roads:
                km = alt.distance_km or 0.0
                options.append(
                    (
                        (ORDER[alt.decision], max(alt.ambush.level, alt.kidnapping.level)),
                        Alternative(
                            mode="road",
                            roads=[s.id for s in alt.roads],
                            road_names=[s.name for s in alt.roads],
                            decision=alt.decision,
                            ambush=alt.ambush,
                            kidnapping=alt.kidnapping,
                            why=self.words.avoids(avoided),
                            roads_taken=alt.roads_taken,
                            distance_km=alt.distance_km,
                            longer_km=round(km - (result.distance_km or 0.0), 1),
                        ),
                    )
                )
        if leg.mode == "road" and all(self._airport_near(p) for p in self._ends(i, leg)):
            air = self.leg(i, leg.model_copy(update={"mode": "air", "via": None}))
            options.append(
                (
                    (ORDER[air.decision], max(air.ambush.level, air.kidnapping.level)),
                    Alternative(
                        mode="air",
                        roads=[],
                        decision=air.decision,
                        ambush=air.ambush,
                        kidnapping=air.kidnapping,
                        why=self.words.flying(),
                    ),
                )
            )
        current = (ORDER[result.decision], max(result.ambush.level, result.kidnapping.level))
        better = sorted((o for o in options if o[0] < current), key=lambda o: o[0])
        return better[0][1] if better else None
