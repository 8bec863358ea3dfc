"""Trip check as text: the answer first, then why, leg by leg, in words an officer can forward."""

from __future__ import annotations

from ..text.table import clean, wrap
from .results import LegResult, TripResult

WORDS = {
    "cleared": "CLEARED",
    "cleared_with_measures": "CLEARED WITH MEASURES",
    "refused": "REFUSED",
}


def where_text(names: list[str], limit: int = 3) -> str:
    shown = ", ".join(names[:limit])
    return f"{shown} and {len(names) - limit} more" if len(names) > limit else shown


def _peaks(item: LegResult | TripResult) -> str:
    a, k = item.ambush, item.kidnapping
    return (
        f"Highest ambush: {a.label} ({where_text(a.where)}); "
        f"highest kidnapping: {k.label} ({where_text(k.where)})"
    )


def _leg(leg: LegResult) -> list[str]:
    roads = ", ".join(s.name for s in leg.roads) or "-"
    names = {s.id: s.name for s in leg.places}
    head = f"Leg {leg.index}: {names[leg.from_]} -> {names[leg.to]} by {leg.mode}"
    if leg.date:
        head += f" on {leg.date}"
    out = [head + f": {WORDS[leg.decision]}"]
    if leg.mode == "road":
        dist = f"{leg.distance_km:g} km, about {leg.hours:.1f} h" if leg.hours else "no road"
        out += wrap(
            f"Route ({leg.route}): {roads} ({dist}); depart {leg.depart}"
            + (f", arrive {leg.arrive}" if leg.arrive else "")
            + (" - after dark" if leg.after_dark else ""),
            "  ",
        )
        passed = [s.name for s in leg.places]
        out += wrap(f"Passes: {', '.join(passed)}", "  ")
    out += wrap(
        f"Highest ambush: {leg.ambush.label} ({', '.join(leg.ambush.where)}); "
        f"highest kidnapping: {leg.kidnapping.label} ({', '.join(leg.kidnapping.where)})",
        "  ",
    )
    for r in leg.reasons:
        out += wrap(f"- refused because {r}", "  ")
    if leg.measures:
        out.append("  Measures:")
        for m in leg.measures:
            why = "; ".join(r.split(" for ")[0] for r in m.reasons)
            out += wrap(f"* {m.text} ({why})", "    ")
    if leg.guidance:
        out += wrap(f"Guidance in force on the way: {', '.join(leg.guidance)}", "  ")
    rc = leg.destination_regime_collapse
    out += wrap(
        f"Regime collapse at {names[leg.to]}: {rc['label']} (context only, never a "
        "reason to clear or refuse)",
        "  ",
    )
    if leg.alternative:
        alt = leg.alternative
        via = f" via {', '.join(alt.roads)}" if alt.roads else ""
        out += wrap(
            f"Alternative: {alt.mode}{via}, {WORDS[alt.decision]} "
            f"(ambush {alt.ambush.label}, kidnapping {alt.kidnapping.label}); {alt.why}",
            "  ",
        )
    return out


def render_trip(res: TripResult) -> str:
    out = [
        f"{WORDS[res.decision]}: {len(res.legs)} leg(s) for {res.headcount} x {res.profile}, "
        f"assessed as of {res.as_of}",
        f"Highest ambush: {res.ambush.label} ({', '.join(res.ambush.where)}); highest "
        f"kidnapping: {res.kidnapping.label} ({', '.join(res.kidnapping.where)})",
        "",
    ]
    for leg in res.legs:
        out += [*_leg(leg), ""]
    rp = res.provenance["rule_pack"]
    assert isinstance(rp, dict)
    out.append(
        f"Rules {rp['name']} {rp['version']} ({str(rp['digest'])[:19]}...); "
        f"engine {res.provenance['engine_version']}."
    )
    return clean("\n".join(out)) + "\n"
