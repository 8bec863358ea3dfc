"""What drove each location's levels, as the report shows it: its drivers with their sentences
and the incidents behind them, strongest first, with their distance, from the assessment
(`location.evidence`, `location.drivers`) and its register of incidents (`assessment.incidents`).
Nothing is measured again here: the distances are the engine's.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ...assessment.model import Assessment, Driver, Incident, Location
from ...assessment.narrative import N_
from .files import stem
from .formats import decimal, num, number
from .i18n import label, translator
from .sentences import PackText, driver_sentence
from .templating import html_value

EVIDENCE_MIN_LEVEL = 3  # evidence is shown for places at Medium or above on either track
KIND_WORDS = {
    "evidence": N_("model term"),
    "rule": N_("rule"),
    "guidance": N_("guidance"),
    "severity": N_("severity"),
}


def register(a: Assessment) -> dict[str, Incident]:
    return {i.id: i for i in a.incidents}


# The advisory's evidence cites an incident under every place near it (100,452 times for 9,210
# incidents at 1M events x 10k places): the incident's part of the citation, the same under
# every place, is HTML made once here, each value printed as the template prints one
# (`html_value`, then escaped); the template adds the distance. Printed value by value in the
# template, the screen edition took 0.35 s CPU more (render_html 4.8 s).
CITE_HTML = Markup('<a href="#{}">{}</a> {}')  # the id linked to the register, the date
SEP = Markup(" · ")
KM_HTML = Markup(", {} km")  # a distance after the incident's chip


def _html(row: dict[str, Any]) -> dict[str, Markup]:
    """`cite_html` (the chips: the id linked to the register, the date) and `line_html` (the
    printed appendix: id, date, type, actor and the place it was reported at, if any)."""
    v = {k: html_value(row[k]) for k in ("anchor", "id", "date", "type", "actor", "location")}
    line = [v["id"], v["date"], v["type"], v["actor"]]
    if row["location"]:
        line.append(v["location"])
    return {
        "cite_html": CITE_HTML.format(v["anchor"], v["id"], v["date"]),
        "line_html": SEP.join(line),
    }


def incident_row(i: Incident) -> dict[str, Any]:
    """The incident as the register shows it; under a location, with its distance (below)."""
    row = {
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
        "distance": None,
    }
    return {**row, **_html(row)}


class IncidentRows:
    """The register's incidents as report rows, each made once. An incident near several
    places is listed under each: at 1M events x 10k places the evidence lists 100,452
    (location, incident) rows of 9,210 incidents, and making every row from the incident took
    1.1 s CPU; a location's row is now the incident's, copied with its distance (0.3 s)."""

    def __init__(self, a: Assessment, lang: str) -> None:
        self.register = register(a)
        self.lang = lang
        self._rows: dict[str, dict[str, Any]] = {}
        self._km: dict[float, str] = {}
        self._km_html: dict[str, Markup] = {}

    def __contains__(self, incident_id: object) -> bool:
        return incident_id in self.register

    def row(self, incident_id: str) -> dict[str, Any]:
        """The incident's row without a distance (the register's); shared: not to be changed."""
        row = self._rows.get(incident_id)
        if row is None:
            row = self._rows[incident_id] = incident_row(self.register[incident_id])
        return row

    def at(self, incident_id: str, km: float | None) -> dict[str, Any]:
        """The incident's row with its distance from a location."""
        if km is None:
            return self.row(incident_id)
        distance = self._km.get(km)
        if distance is None:
            distance = self._km[km] = number(round(km, 1), self.lang)
        return {**self.row(incident_id), "distance": distance}

    def chips_html(self, incidents: list[dict[str, Any]]) -> Markup:
        """A location's incidents as the screen's line of chips, safe HTML: each one's
        `cite_html` and distance, " · " between them, as the template printed them one by one
        (`{{ i.cite_html }}, {{ i.distance }} km`, each value through `html_value`). Printed
        one by one, in a loop that looks ahead for `loop.last`, the 100,452 chips at 1M events
        x 10k places cost the screen edition 0.3-0.5 s CPU (English 4.3-4.6 -> 4.0-4.1 s)."""
        parts: list[str] = []
        for i in incidents:
            parts.append(i["cite_html"])
            if i["distance"] is not None:
                km = self._km_html.get(i["distance"])
                if km is None:
                    km = self._km_html[i["distance"]] = KM_HTML.format(html_value(i["distance"]))
                parts.append(km)
            parts.append(SEP)
        return Markup("".join(parts[:-1]))


def driver_rows(loc: Location, a: Assessment, lang: str, pack: PackText) -> list[dict[str, Any]]:
    """The location's drivers, strongest first (the engine's order), each sentence in the
    report's language where the catalogues have it. `ids_text` is `ids` as the screen prints
    them, the string Jinja's `ids|join(", ")` made of these plain ids, joined here: the filter,
    called for 66,596 drivers at 1M events x 10k places, cost 0.14 s CPU (English screen
    edition, its template alone: 1.80 -> 1.67 s)."""
    t = translator(lang)
    out = []
    for d in loc.drivers:
        s = driver_sentence(d, loc, a, lang, pack)
        ids = d.incidents + d.guidance
        out.append(
            {
                "rule": d.rule,
                "kind": t(KIND_WORDS.get(d.kind, d.kind)),
                "track": d.track,
                "hazard": label("hazard", lang, d.hazard) if d.hazard else None,
                "points": _points(d, lang),
                "decisive": d.decisive,
                "because": s.text,
                "because_lang": s.lang,
                "ids": ids,
                "ids_text": ", ".join(ids),
            }
        )
    return out


def _points(d: Driver, lang: str) -> str:
    """A model term's log-odds ("+0.83", "+0,83"), a rule's points ("+3"), as the language
    writes them; nothing for a guidance or severity step."""
    if d.kind == "evidence":
        return decimal(d.points, lang, 2, True)  # positional: one cache key, looked up fast
    return "+" + num(d.points, lang) if d.points else ""


def location_incidents(
    loc: Location, rows: IncidentRows, limit: int | None = None
) -> list[dict[str, Any]]:
    """The incidents behind the location (the strongest `limit`), strongest first, with the
    engine's distances."""
    cited = [c for c in loc.evidence if c.id in rows][:limit]
    return [rows.at(c.id, c.km) for c in cited]


def evidence_sections(
    a: Assessment, order: list[Location], lang: str, pack: PackText
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Per place at Medium or above on either track: the drivers and the incidents behind
    them; and the register of those incidents (date, type, actors, notes) once, newest first,
    since the same ambush drives a dozen places."""
    rows = IncidentRows(a, lang)
    out: list[dict[str, Any]] = []
    cited: dict[str, Incident] = {}
    for loc in order:
        if max(loc.personal_security.level, loc.regime_collapse.level) < EVIDENCE_MIN_LEVEL:
            continue
        incidents = location_incidents(loc, rows)
        for i in incidents:
            cited.setdefault(i["id"], rows.register[i["id"]])
        out.append(
            {
                "id": loc.id,
                "anchor": "ev-" + stem(loc.id),
                "name": loc.name,
                "fired": driver_rows(loc, a, lang, pack),
                "incidents": incidents,
                "chips_html": rows.chips_html(incidents),
            }
        )
    newest = sorted(cited.values(), key=lambda i: (i.date, i.id), reverse=True)
    return out, [rows.row(i.id) for i in newest]
