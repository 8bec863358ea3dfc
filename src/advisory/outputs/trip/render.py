"""Trip check as text: the answer first, then why, leg by leg, in words an officer can forward,
in English or French (the catalogue of the reports, `outputs/report/i18n.py`)."""

from __future__ import annotations

from datetime import date

from ...assessment.narrative import NP_
from ..report.formats import long_date, number
from ..report.i18n import Translator, translator
from ..text.table import clean, wrap
from .results import Alternative, HazardPeak, LegResult, RoadTaken, TripResult

WORDS = {
    "cleared": NP_("decision", "CLEARED"),
    "cleared_with_measures": NP_("decision", "CLEARED WITH MEASURES"),
    "refused": NP_("decision", "REFUSED"),
}


def decision_word(decision: str, lang: str = "en") -> str:
    return translator(lang).p("decision", WORDS[decision])


def where_text(names: list[str], limit: int = 3, lang: str = "en") -> str:
    shown = ", ".join(names[:limit])
    if len(names) <= limit:
        return shown
    t = translator(lang)
    return t("%(shown)s and %(n)s more", shown=shown, n=len(names) - limit)


def _peaks(t: Translator, ambush: HazardPeak, kidnapping: HazardPeak) -> str:
    return t(
        "Highest ambush: %(ambush)s (%(ambush_where)s); highest kidnapping: %(kidnapping)s "
        "(%(kidnapping_where)s)",
        ambush=t.p("level", ambush.label),
        ambush_where=", ".join(ambush.where),
        kidnapping=t.p("level", kidnapping.label),
        kidnapping_where=", ".join(kidnapping.where),
    )


def _km(km: float, lang: str) -> str:
    """Whole km ("1,591"; "1 591" in French), "<1" for a few hundred metres."""
    return number(round(km), lang) if km >= 0.5 else "<1"


def roads_text(roads: list[RoadTaken], lang: str) -> str:
    """The roads of a route by name in travel order, each with its km when there are several:
    "RN27 Bamako – Koulikoro 60 km, Route de Barouéli Koulikoro – Ségou 147 km"."""
    if len(roads) == 1:
        return roads[0].name
    return ", ".join(f"{r.name} {_km(r.distance_km, lang)} km" for r in roads)


def _route_lines(t: Translator, leg: LegResult, lang: str, day: date) -> list[str]:
    roads = roads_text(leg.roads_taken, lang) or "-"
    if leg.hours:
        dist = t(
            "%(km)s km, about %(hours)s h",
            km=number(leg.distance_km or 0.0, lang),
            hours=number(leg.hours, lang),
        )
    else:
        dist = t("no road")
    text = t(
        "Route (%(how)s): %(roads)s (%(distance)s); depart %(depart)s",
        how=leg.route,
        roads=roads,
        distance=dist,
        depart=leg.depart,
    )
    if leg.arrive:
        text += t(", arrive %(arrive)s", arrive=leg.arrive)
        if leg.arrive_date and leg.arrive_date != day:  # a long leg: the day it arrives
            text += t(" on %(date)s", date=leg.arrive_date)
    if leg.after_dark:
        text += t(" - after dark")
    passed = ", ".join(s.name for s in leg.places)
    return wrap(text, "  ") + wrap(t("On or near the route: %(places)s", places=passed), "  ")


def _leg(leg: LegResult, lang: str, as_of: date) -> list[str]:
    t = translator(lang)
    names = {s.id: s.name for s in leg.places}
    ends = {"index": leg.index, "origin": names[leg.from_], "destination": names[leg.to]}
    if leg.mode == "road":
        head = t("Leg %(index)s: %(origin)s -> %(destination)s by road", **ends)
    else:
        head = t("Leg %(index)s: %(origin)s -> %(destination)s by air", **ends)
    if leg.date:
        head += t(" on %(date)s", date=long_date(leg.date, lang))
    out = [t("%(leg)s: %(decision)s", leg=head, decision=decision_word(leg.decision, lang))]
    if leg.mode == "road":
        out += _route_lines(t, leg, lang, leg.date or as_of)
    out += wrap(_peaks(t, leg.ambush, leg.kidnapping), "  ")
    for r in leg.reasons:
        out += wrap(t("- refused because %(reason)s", reason=r), "  ")
    if leg.measures:
        out.append(t("  Measures:"))
        for m in leg.measures:
            out += wrap(f"* {m.text} ({t.p('separator', '; ').join(m.peaks)})", "    ")
    if leg.guidance:
        out += wrap(t("Guidance in force on the way: %(ids)s", ids=", ".join(leg.guidance)), "  ")
    rc = leg.destination_regime_collapse
    out += wrap(
        t(
            "Regime collapse at %(place)s: %(level)s (context only, never a reason to clear or "
            "refuse)",
            place=names[leg.to],
            level=t.p("level", str(rc["label"])),
        ),
        "  ",
    )
    if leg.alternative:
        out += wrap(_alternative(t, leg, lang), "  ")
    return out


def _alternative(t: Translator, leg: LegResult, lang: str) -> str:
    alt = leg.alternative
    assert alt is not None
    values = {
        "decision": decision_word(alt.decision, lang),
        "ambush": t.p("level", alt.ambush.label),
        "kidnapping": t.p("level", alt.kidnapping.label),
        "why": alt.why,
    }
    if alt.mode == "air":
        return t(
            "Alternative: air, %(decision)s (ambush %(ambush)s, kidnapping %(kidnapping)s); "
            "%(why)s",
            **values,
        )
    via = ""
    if alt.roads:
        via = t(" via %(roads)s", roads=roads_text(alt.roads_taken, lang))
        via += alternative_km(t, alt, lang)
    return t(
        "Alternative: road%(via)s, %(decision)s (ambush %(ambush)s, kidnapping %(kidnapping)s); "
        "%(why)s",
        via=via,
        **values,
    )


def alternative_km(t: Translator, alt: Alternative, lang: str) -> str:
    """The alternative road's length, and how it compares with the leg's route."""
    if alt.distance_km is None or alt.longer_km is None:
        return ""
    km, diff = _km(alt.distance_km, lang), _km(abs(alt.longer_km), lang)
    if alt.longer_km >= 0.5:
        return t(" (%(km)s km, %(longer)s km longer)", km=km, longer=diff)
    if alt.longer_km <= -0.5:
        return t(" (%(km)s km, %(shorter)s km shorter)", km=km, shorter=diff)
    return t(" (%(km)s km, as long)", km=km)


def render_trip(res: TripResult, lang: str = "en") -> str:
    """The check as text in `lang`: the decision first, the peaks, then each leg."""
    t = translator(lang)
    out = [
        t.n(
            "%(decision)s: %(n)s leg for %(headcount)s x %(profile)s, assessed as of %(as_of)s",
            "%(decision)s: %(n)s legs for %(headcount)s x %(profile)s, assessed as of %(as_of)s",
            len(res.legs),
            decision=decision_word(res.decision, lang),
            headcount=res.headcount,
            profile=res.profile,
            as_of=long_date(res.as_of, lang),
        ),
        _peaks(t, res.ambush, res.kidnapping),
        "",
    ]
    for leg in res.legs:
        out += [*_leg(leg, lang, res.as_of), ""]
    rp = res.provenance["rule_pack"]
    assert isinstance(rp, dict)
    out.append(
        t(
            "Rules %(name)s %(version)s (%(digest)s...); engine %(engine)s.",
            name=rp["name"],
            version=rp["version"],
            digest=str(rp["digest"])[:19],
            engine=res.provenance["engine_version"],
        )
    )
    return clean("\n".join(out)) + "\n"
