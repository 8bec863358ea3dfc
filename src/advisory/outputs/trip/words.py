"""The sentences a trip check writes (why a leg is refused, why a measure applies, how the route
was chosen), in one language: English as the message ids, French from the reports' catalogue
(outputs/report/i18n.py). The decision is made before any of them is written."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ...assessment.narrative import NP_
from ..report.formats import long_date, num, number
from ..report.i18n import join, level_label, translator
from .results import HazardPeak

# the hazards as the sentences name them ("ambush High for national-staff at ...")
HAZARD_WORDS = {
    "ambush": NP_("hazard word", "ambush"),
    "kidnapping": NP_("hazard word", "kidnapping"),
}


class TripWords:
    """One check's sentences: its language, the pack's level names, the profile checked."""

    def __init__(self, lang: str, levels: Sequence[str], profile: str) -> None:
        self.lang, self.levels, self.profile = lang, levels, profile
        self.t = translator(lang)

    def level(self, level: int) -> str:
        return level_label(level, self.lang, self.levels)

    def peak(self, hazard: str, peak: HazardPeak) -> str:
        """ "ambush High": the hazard and its level."""
        hz = self.t.p("hazard word", HAZARD_WORDS[hazard])
        return self.t("%(hazard)s %(level)s", hazard=hz, level=self.level(peak.level))

    def peak_for_profile(self, hazard: str, peak: HazardPeak) -> str:
        """ "ambush High for national-staff at RN6 Fana – Ségou": why a measure applies."""
        where = ", ".join(peak.where)
        return self.t(
            "%(peak)s for %(profile)s at %(where)s",
            peak=self.peak(hazard, peak),
            profile=self.profile,
            where=where,
        )

    def refused_at(self, hazard: str, peak: HazardPeak, threshold: int) -> str:
        return self.t(
            "%(peak)s (refused from %(threshold)s for this profile)",
            peak=self.peak_for_profile(hazard, peak),
            threshold=self.level(threshold),
        )

    def daylight(self, depart: str, arrive: str, start: str, end: str, latest: str | None) -> str:
        """Daylight-only travel planned outside daylight, with when to depart instead (`latest`:
        the latest departure that arrives in daylight; None: none does)."""
        fix = (
            self.t("depart between %(start)s and %(latest)s", start=start, latest=latest)
            if latest is not None
            else self.t("the leg cannot be driven in daylight: split it with a night stop")
        )
        return self.t(
            "daylight-only travel is required but the plan departs %(depart)s and "
            "arrives %(arrive)s (daylight %(start)s-%(end)s): %(fix)s",
            depart=depart,
            arrive=arrive,
            start=start,
            end=end,
            fix=fix,
        )

    def two_vehicles(self, vehicles: int) -> str:
        return self.t(
            "two vehicles are required and the plan has %(n)s: refused as planned, add a vehicle",
            n=vehicles,
        )

    def no_airport(self, km: float, missing: list[str]) -> str:
        within = num(km, self.lang)
        places = join(missing, self.lang, "or")
        return self.t(
            "no airport within %(km)s km of %(places)s in the gazetteer", km=within, places=places
        )

    def shortest(self) -> str:
        return self.t("shortest path over the road network")

    def safest(self, longer_km: float, same: bool = False) -> str:
        """How the safest route compares with the shortest (`same`: it is the shortest)."""
        if same:
            return self.t("safest path over the road network, also the shortest")
        if longer_km < 0.5:  # another way, as long to the km
            return self.t("safest path over the road network, as long as the shortest")
        longer = number(round(longer_km), self.lang)
        return self.t(
            "safest path over the road network, %(km)s km longer than the shortest", km=longer
        )

    def on_day(self, day: date) -> str:
        """ " on 2025-11-21": the day a time falls on, when it is not the departure's."""
        return self.t(" on %(date)s", date=long_date(day, self.lang))

    def via(self, road: str) -> str:
        return self.t("via %(road)s as requested", road=road)

    def by_air(self) -> str:
        return self.t("by air")

    def no_route(self) -> str:
        return self.t("none")

    def no_road_avoiding(self, a: str, b: str) -> str:
        return self.t("no road avoiding the refused roads joins %(a)s and %(b)s", a=a, b=b)

    def avoids(self, roads: list[str]) -> str:
        return self.t("avoids %(roads)s", roads=", ".join(roads))

    def flying(self) -> str:
        return self.t("flying avoids the roads")

    def context_only(self) -> str:
        return self.t("context only: regime collapse never clears or refuses a trip")
