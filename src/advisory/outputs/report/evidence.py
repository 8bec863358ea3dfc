"""What drove each location's levels, as the report shows it: its drivers with their sentences
and the incidents behind them, strongest first, with their distance, from the assessment
(`location.evidence`, `location.drivers`) and its register of incidents (`assessment.incidents`).
Nothing is measured again here: the distances are the engine's.
"""

from __future__ import annotations

from typing import Any

from ...assessment.model import Assessment, Driver, Incident, Location
from ...assessment.narrative import N_
from .files import stem
from .i18n import label, number, translator
from .sentences import PackText, driver_sentence

EVIDENCE_MIN_LEVEL = 3  # evidence is shown for places at Medium or above on either track
KIND_WORDS = {
    "evidence": N_("model term"),
    "rule": N_("rule"),
    "guidance": N_("guidance"),
    "severity": N_("severity"),
}


def register(a: Assessment) -> dict[str, Incident]:
    return {i.id: i for i in a.incidents}


def incident_row(i: Incident, km: float | None, lang: str) -> dict[str, Any]:
    return {
        "id": i.id,
        "anchor": "inc-" + stem(i.id),
        "date": i.date.isoformat(),
        "type": i.sub_event_type or i.event_type,
        "actor": i.actor1,
        "actor2": i.actor2,
        "location": i.location,
        "precision": i.geo_precision,
        "fatalities": i.fatalities,
        "signals": ", ".join(i.signals),
        "source": i.source,
        "notes": i.notes,
        "distance": None if km is None else number(round(km, 1), lang),
    }


def driver_rows(loc: Location, a: Assessment, lang: str, pack: PackText) -> list[dict[str, Any]]:
    """The location's drivers, strongest first (the engine's order), each sentence in the
    report's language where the catalogues have it."""
    t = translator(lang)
    out = []
    for d in loc.drivers:
        s = driver_sentence(d, loc, a, lang, pack)
        out.append(
            {
                "rule": d.rule,
                "kind": t(KIND_WORDS.get(d.kind, d.kind)),
                "track": d.track,
                "hazard": label("hazard", lang, d.hazard) if d.hazard else None,
                "points": _points(d),
                "decisive": d.decisive,
                "because": s.text,
                "because_lang": s.lang,
                "ids": d.incidents + d.guidance,
            }
        )
    return out


def _points(d: Driver) -> str:
    return f"+{d.points:.2f}" if d.kind == "evidence" else (f"+{d.points:g}" if d.points else "")


def location_incidents(
    loc: Location, reg: dict[str, Incident], lang: str, limit: int | None = None
) -> list[dict[str, Any]]:
    """The incidents behind the location (the strongest `limit`), strongest first, with the
    engine's distances."""
    cited = [c for c in loc.evidence if c.id in reg][:limit]
    return [incident_row(reg[c.id], c.km, lang) for c in cited]


def evidence_sections(
    a: Assessment, order: list[Location], lang: str, pack: PackText
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Per place at Medium or above on either track: the drivers and the incidents behind
    them; and the register of those incidents (date, type, actors, notes) once, newest first,
    since the same ambush drives a dozen places."""
    reg = register(a)
    out: list[dict[str, Any]] = []
    cited: dict[str, Incident] = {}
    for loc in order:
        if max(loc.personal_security.level, loc.regime_collapse.level) < EVIDENCE_MIN_LEVEL:
            continue
        incidents = location_incidents(loc, reg, lang)
        for i in incidents:
            cited.setdefault(i["id"], reg[i["id"]])
        out.append(
            {
                "id": loc.id,
                "anchor": "ev-" + stem(loc.id),
                "name": loc.name,
                "fired": driver_rows(loc, a, lang, pack),
                "incidents": incidents,
            }
        )
    rows = [
        incident_row(i, None, lang)
        for i in sorted(cited.values(), key=lambda i: (i.date, i.id), reverse=True)
    ]
    return out, rows
