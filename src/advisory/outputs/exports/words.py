"""The exports' own words in English and French, and the shared vocabulary they print.

Only text the exports compose lives in `WORDS` (sheet names, column heads, the brief's and the
map layers' phrases): one table, so it moves into the gettext catalogue with the report's in
one step. Words the report already translates (levels, hazards, confidence, estimative words,
kinds of place, guidance vocabulary) come from `outputs.report.i18n`, so a level reads the same
in a workbook, a message and an advisory. The engine's own sentences (bottom lines, a driver's
`because`) are English; the column heads say so in French rather than pretending otherwise.
"""

from __future__ import annotations

import re

from ..report.i18n import check_lang, label, level_label

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "sheet.summary": "Bottom line", "sheet.places": "Places", "sheet.roads": "Roads",
        "sheet.drivers": "Drivers", "sheet.incidents": "Incidents", "sheet.guidance": "Guidance",
        "sheet.measures": "Measures", "sheet.provenance": "Provenance",
        "track.personal_security": "Personal security", "track.regime_collapse": "Regime collapse",
        "national": "national", "yes": "yes", "no": "no", "stale": "STALE DATA",
        "col.track": "Track", "col.level": "Level", "col.level_n": "Level (1-5)",
        "col.where": "Where", "col.bottom_line": "Bottom line (engine text, English)",
        "col.as_of": "As of", "col.id": "ID", "col.name": "Name", "col.kind": "Kind",
        "col.admin1": "Region", "col.road": "Road", "col.length_km": "Length (km)",
        "col.ps_n": "Personal security (1-5)", "col.rc_n": "Regime collapse (1-5)",
        "col.chance": "{hazard}: chance in {days} days", "col.chance_words": "{hazard}: in words",
        "col.raised": "Raised by guidance", "col.control": "Control",
        "col.confidence": "Confidence",
        "col.events": "Incidents in range", "col.sources": "Sources",
        "col.latest_days": "Latest incident (days ago)",
        "col.guidance_in_force": "Guidance in force",
        "col.lat": "Latitude", "col.lon": "Longitude", "col.location": "Place or road",
        "col.hazard": "Hazard", "col.driver_kind": "Kind of driver", "col.rule": "Rule",
        "col.points": "Points", "col.decisive": "Decisive",
        "col.because": "Because (engine text, English)", "col.incident_ids": "Incident ids",
        "col.guidance_ids": "Guidance ids", "col.date": "Date", "col.event_type": "Event type",
        "col.sub_event_type": "Sub-event type", "col.actor1": "Actor 1", "col.actor2": "Actor 2",
        "col.place_name": "Location", "col.geo_precision": "Location precision (1-3)",
        "col.fatalities": "Fatalities", "col.source": "Source", "col.signals": "Signals",
        "col.notes": "Notes (source text)", "col.issuer": "Issuer", "col.issued": "Issued",
        "col.expires": "Expires", "col.action": "Action", "col.reasons": "Reasons",
        "col.in_force": "In force", "col.summary": "Summary", "col.phase": "Phase",
        "col.measure_id": "Measure id", "col.measure": "Measure", "col.item": "Item",
        "col.name_or_path": "Name or file", "col.version": "Version or records",
        "col.digest": "Digest", "col.date_utc": "Date (UTC)", "col.licence": "Licence",
        "col.attribution": "Attribution",
        "prov.engine": "engine", "prov.rule_pack": "rule pack", "prov.as_of": "assessment as of",
        "prov.generated": "generated", "prov.incidents": "incidents", "prov.guidance": "guidance",
        "prov.places": "places",
        "driver.evidence": "evidence", "driver.rule": "rule", "driver.guidance": "guidance",
        "driver.severity": "severity",
        "raised": "{hazard} {old} → {new} ({issuers})",
        "brief.title": "Travel risk, situation as of {date}",
        "brief.stale": " (STALE DATA: newest incident {days} days old)",
        "brief.ps": "Personal security: {level} at worst", "brief.where": " ({names})",
        "brief.rc": "Regime collapse: {level}",
        "brief.place": "{name}: {level} ({chances} in {days} days)",
        "brief.more": "+{n} more in the full advisory",
        "brief.changes": "Since {date}: {items}",
        "brief.no_change": "No level changed since {date}.",
        "brief.change_more": "{n} more change(s)", "brief.sep": "; ",
        "brief.measure": "At {level} ({phase}): {measure}",
        "brief.credit": "Data: UCDP GED (CC BY 4.0)",
        "map.document": "Rated places and roads, situation as of {date}",
        "map.description": "{kind}. Personal security: {ps}. Regime collapse: {rc}. "
        "Chance in {days} days: {chances}. Confidence: {confidence}.",
        "map.places": "Places", "map.roads": "Roads",
    },
    "fr": {
        "sheet.summary": "Synthèse", "sheet.places": "Lieux", "sheet.roads": "Routes",
        "sheet.drivers": "Facteurs", "sheet.incidents": "Incidents", "sheet.guidance": "Consignes",
        "sheet.measures": "Mesures", "sheet.provenance": "Provenance",
        "track.personal_security": "Sécurité des personnes",
        "track.regime_collapse": "Effondrement du régime",
        "national": "national", "yes": "oui", "no": "non", "stale": "DONNÉES ANCIENNES",
        "col.track": "Volet", "col.level": "Niveau", "col.level_n": "Niveau (1-5)",
        "col.where": "Où", "col.bottom_line": "Synthèse (texte du moteur, en anglais)",
        "col.as_of": "Situation au", "col.id": "Identifiant", "col.name": "Nom",
        "col.kind": "Type", "col.admin1": "Région", "col.road": "Route",
        "col.length_km": "Longueur (km)", "col.ps_n": "Sécurité des personnes (1-5)",
        "col.rc_n": "Effondrement du régime (1-5)",
        "col.chance": "{hazard} : probabilité sur {days} jours",
        "col.chance_words": "{hazard} : en mots", "col.raised": "Relevé par les consignes",
        "col.control": "Contrôle", "col.confidence": "Confiance",
        "col.events": "Incidents à portée", "col.sources": "Sources",
        "col.latest_days": "Dernier incident (il y a … jours)",
        "col.guidance_in_force": "Consignes en vigueur", "col.lat": "Latitude",
        "col.lon": "Longitude", "col.location": "Lieu ou route", "col.hazard": "Danger",
        "col.driver_kind": "Nature du facteur", "col.rule": "Règle", "col.points": "Points",
        "col.decisive": "Décisif", "col.because": "Motif (texte du moteur, en anglais)",
        "col.incident_ids": "Identifiants d'incidents",
        "col.guidance_ids": "Identifiants de consignes", "col.date": "Date",
        "col.event_type": "Type d'événement (ACLED)", "col.sub_event_type": "Sous-type (ACLED)",
        "col.actor1": "Acteur 1", "col.actor2": "Acteur 2", "col.place_name": "Localité",
        "col.geo_precision": "Précision du lieu (1-3)", "col.fatalities": "Morts",
        "col.source": "Source", "col.signals": "Signaux",
        "col.notes": "Notes (texte de la source)", "col.issuer": "Émetteur",
        "col.issued": "Émise le", "col.expires": "Expire le", "col.action": "Consigne",
        "col.reasons": "Motifs", "col.in_force": "En vigueur", "col.summary": "Résumé",
        "col.phase": "Phase", "col.measure_id": "Identifiant", "col.measure": "Mesure",
        "col.item": "Élément", "col.name_or_path": "Nom ou fichier",
        "col.version": "Version ou enregistrements", "col.digest": "Empreinte",
        "col.date_utc": "Date (UTC)", "col.licence": "Licence", "col.attribution": "Attribution",
        "prov.engine": "moteur", "prov.rule_pack": "jeu de règles",
        "prov.as_of": "évaluation au", "prov.generated": "produite le",
        "prov.incidents": "incidents", "prov.guidance": "consignes", "prov.places": "lieux",
        "driver.evidence": "données", "driver.rule": "règle", "driver.guidance": "consignes",
        "driver.severity": "gravité",
        "raised": "{hazard} {old} → {new} ({issuers})",
        "brief.title": "Risque sécuritaire, situation au {date}",
        "brief.stale": " (DONNÉES ANCIENNES : dernier incident il y a {days} jours)",
        "brief.ps": "Sécurité des personnes : {level} au pire", "brief.where": " ({names})",
        "brief.rc": "Effondrement du régime : {level}",
        "brief.place": "{name} : {level} ({chances} sur {days} jours)",
        "brief.more": "+{n} de plus dans l'avis complet",
        "brief.changes": "Depuis le {date} : {items}",
        "brief.no_change": "Aucun niveau n'a changé depuis le {date}.",
        "brief.change_more": "{n} autre(s) changement(s)", "brief.sep": " ; ",
        "brief.measure": "Niveau {level} ({phase}) : {measure}",
        "brief.credit": "Données : UCDP GED (CC BY 4.0)",
        "map.document": "Lieux et routes notés, situation au {date}",
        "map.description": "{kind}. Sécurité des personnes : {ps}. Effondrement du régime : "
        "{rc}. Probabilité sur {days} jours : {chances}. Confiance : {confidence}.",
        "map.places": "Lieux", "map.roads": "Routes",
    },
}  # fmt: skip

_SPACES = re.compile(r"\s+")


def one_line(text: object) -> str:
    """Text from the inputs on one line: a name with line breaks or tabs cannot forge a line
    of a message or break a table cell's layout."""
    return _SPACES.sub(" ", str(text)).strip()


class Vocabulary:
    """Every word an export prints, in one language: its own phrases (`t`) and the report's
    controlled vocabulary."""

    def __init__(self, lang: str, scale: dict[str, str]) -> None:
        self.lang = check_lang(lang)
        self._table = WORDS[self.lang]
        self._levels = [scale[str(n)] for n in range(1, 6)]

    def t(self, key: str, **values: object) -> str:
        text = self._table[key]
        return text.format(**values) if values else text

    def level(self, n: int) -> str:
        return level_label(n, self.lang, self._levels)

    def hazard(self, name: str) -> str:
        return label("hazard", self.lang, name)

    def word(self, kind: str, key: object) -> str:
        """A label of the report's vocabulary: confidence, estimative, kind, status, action,
        reason, issuer, guidance_level (the key itself when it has none)."""
        return label(kind, self.lang, key)

    def yes_no(self, flag: bool) -> str:
        return self._table["yes" if flag else "no"]

    def percent(self, p: float) -> str:
        """A chance as people say it: whole percents, "<1" and ">99" at the ends."""
        n = round(p * 100)
        text = "<1" if p > 0 and n < 1 else ">99" if p < 1 and n > 99 else str(n)
        return f"{text} %" if self.lang == "fr" else f"{text}%"

