"""The assessment as tables: what the workbook's sheets hold, independent of the file format.

Each table is a list of typed rows (text, numbers, real dates, levels with their word), so the
writer only decides how a kind of cell looks, and tests can check the content without Excel.
Everything is read from the `Assessment`; nothing is recomputed but a road's length. The
engine's sentences (bottom lines, drivers' `because`) are in the workbook's language: English as
the assessment has them, another language written again by the report's `sentences` (the
drivers' from the rule pack's catalogue, `rules`; English where it has no template).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal

from ...assessment.model import Assessment, Driver, Location
from ...assessment.narrative import NP_
from ...geo import line_km
from ..report.evidence import KIND_WORDS
from ..report.i18n import join
from ..report.roadnames import localised
from ..report.sections import issued_prefix
from ..report.sentences import PackText, bottom_lines, driver_sentence, location_sentence
from .words import Vocabulary, one_line

ColumnKind = Literal["text", "wrap", "int", "number", "percent", "date", "datetime", "level"]


@dataclass(frozen=True)
class Level:
    """A level cell: the number (for the fill and for sorting) and the word printed."""

    n: int
    word: str


Cell = str | int | float | date | datetime | Level | None


@dataclass(frozen=True)
class Column:
    head: str
    width: float  # in characters, as spreadsheets measure columns
    kind: ColumnKind = "text"


@dataclass
class Table:
    name: str
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    frozen_columns: int = 0  # kept in view when scrolling right (ids and names)


def hazard_days(a: Assessment) -> dict[str, int]:
    """Every hazard rated anywhere, in the engine's (the pack's) order, with the days its
    likelihood is for (its outcome's horizon)."""
    out: dict[str, int] = {}
    for loc in a.locations:
        for h, hz in loc.personal_security.hazards.items():
            out.setdefault(h, hz.outcome.days)
    return out


def road_km(loc: Location) -> float | None:
    """A road's length along its vertices (great circle), to one decimal."""
    if not loc.line or len(loc.line) < 2:
        return None
    return round(line_km(loc.line), 1)


def workbook_tables(a: Assessment, lang: str, rules: Path | None = None) -> list[Table]:
    """The sheets' tables in `lang`; `rules` is the rule pack folder whose catalogue
    translates the drivers' sentences (default: the shipped pack's)."""
    a = localised(a, lang)  # a road layer's generated names in the language
    v = Vocabulary(lang, a.level_names)
    pack = PackText.load(rules, lang)
    places = [loc for loc in a.locations if not loc.is_road]
    roads = [loc for loc in a.locations if loc.is_road]
    return [
        summary(a, v),
        locations(a, v, pack, places, roads=False),
        locations(a, v, pack, roads, roads=True),
        drivers(a, v, pack),
        incidents(a, v),
        guidance(a, v),
        measures(a, v),
        provenance(a, v),
    ]


def summary(a: Assessment, v: Vocabulary) -> Table:
    t = v.t
    table = Table(t.p("sheet", "Bottom line"), [
        Column(t("Track"), 24), Column(t("Level"), 14, "level"),
        Column(t("Level (1-5)"), 10, "int"), Column(t("Where"), 40, "wrap"),
        Column(t("Bottom line"), 90, "wrap"), Column(t("As of"), 12, "date"),
    ])  # fmt: skip
    names = {loc.id: loc.name for loc in a.locations}
    ps, rc = a.national.personal_security, a.national.regime_collapse
    said = a.bottom_line.model_dump() if v.lang == "en" else bottom_lines(a, v.lang)
    table.rows = [
        [v.track("personal_security"), Level(ps.level, v.level(ps.level)), ps.level,
         ", ".join(names.get(i, i) for i in ps.highest_at), said["personal_security"], a.as_of],
        [v.track("regime_collapse"), Level(rc.level, v.level(rc.level)), rc.level,
         ", ".join(names.get(i, i) for i in rc.held_centres), said["regime_collapse"], a.as_of],
    ]  # fmt: skip
    return table


def _location_columns(v: Vocabulary, hazards: dict[str, int], roads: bool) -> list[Column]:
    t = v.t
    cols = [Column(t("ID"), 26), Column(t("Name"), 30),
            Column(t("Road") if roads else t("Kind"), 12), Column(t("Region"), 14),
            Column(v.track("personal_security"), 14, "level"),
            Column(t("Personal security (1-5)"), 10, "int")]  # fmt: skip
    for h, days in hazards.items():
        name = v.hazard(h)
        chance = t.n("%(hazard)s: chance in %(n)s day", "%(hazard)s: chance in %(n)s days",
                     days, hazard=name)  # fmt: skip
        cols += [Column(name, 12, "level"), Column(chance, 12, "percent"),
                 Column(t("%(hazard)s: in words", hazard=name), 18)]  # fmt: skip
    cols += [Column(t("Raised by guidance"), 30, "wrap"),
             Column(v.track("regime_collapse"), 14, "level"),
             Column(t("Regime collapse (1-5)"), 10, "int")]  # fmt: skip
    if not roads:
        cols.append(Column(t("Control"), 24))
    cols += [Column(t("Confidence"), 12), Column(t("Incidents in range"), 10, "int"),
             Column(t("Sources"), 9, "int"), Column(t("Latest incident (days ago)"), 10, "int"),
             Column(t("Guidance in force"), 24, "wrap"), Column(t("Latitude"), 10, "number"),
             Column(t("Longitude"), 10, "number")]  # fmt: skip
    if roads:
        cols.append(Column(t("Length (km)"), 10, "number"))
    return [*cols, Column(t("Bottom line"), 70, "wrap")]


def _raised(loc: Location, v: Vocabulary) -> str:
    """Hazards a government's guidance raised above the evidence's band, and by whom ("Ambush
    Medium → High (FR, US) and Kidnapping Low → Medium (US)")."""
    out = []
    for h, hz in loc.personal_security.hazards.items():
        if step := hz.guidance_step:
            old, new = v.level(step.from_level), v.level(step.to_level)
            out.append(f"{v.hazard(h)} {old} → {new} ({', '.join(step.issuers)})")
    return join(out, v.lang)


def _location_row(
    loc: Location, a: Assessment, v: Vocabulary, pack: PackText, hazards: list[str], roads: bool
) -> list[Cell]:
    ps, rc, basis = loc.personal_security, loc.regime_collapse, loc.confidence_basis
    row: list[Cell] = [loc.id, loc.name, (loc.road or "") if roads else v.word("kind", loc.kind),
                       loc.admin1 or "", Level(ps.level, v.level(ps.level)), ps.level]  # fmt: skip
    for h in hazards:
        hz = ps.hazards.get(h)
        row += ([None, None, None] if hz is None else
                [Level(hz.level, v.level(hz.level)), hz.likelihood_30d,
                 v.word("estimative", hz.estimative)])  # fmt: skip
    row += [_raised(loc, v), Level(rc.level, v.level(rc.level)), rc.level]
    if not roads:
        row.append(v.word("status", rc.control_status or "none"))
    row += [v.word("confidence", loc.confidence), basis.events, basis.sources, basis.latest_days,
            ", ".join(loc.guidance_in_force), loc.lat, loc.lon]  # fmt: skip
    if roads:
        row.append(road_km(loc))
    return [*row, location_sentence(loc, a, v.lang, pack)]


def locations(
    a: Assessment, v: Vocabulary, pack: PackText, locs: list[Location], roads: bool
) -> Table:
    hazards = hazard_days(a)
    name = v.t.p("sheet", "Roads") if roads else v.t.p("sheet", "Places")
    table = Table(name, _location_columns(v, hazards, roads), frozen_columns=2)
    table.rows = [_location_row(loc, a, v, pack, list(hazards), roads) for loc in locs]
    return table


def _driver_row(where: str, name: str, d: Driver, because: str, v: Vocabulary) -> list[Cell]:
    return [where, name, v.track(d.track), v.hazard(d.hazard) if d.hazard else "",
            v.t(KIND_WORDS.get(d.kind, d.kind)), d.rule, d.points, v.yes_no(d.decisive), because,
            ", ".join(d.incidents), ", ".join(d.guidance)]  # fmt: skip


def drivers(a: Assessment, v: Vocabulary, pack: PackText) -> Table:
    t = v.t
    table = Table(t.p("sheet", "Drivers"), [
        Column(t("ID"), 26), Column(t("Place or road"), 30), Column(t("Track"), 20),
        Column(t("Hazard"), 14), Column(t("Kind of driver"), 12), Column(t("Rule"), 26),
        Column(t("Points"), 8, "number"), Column(t("Decisive"), 9),
        Column(t("Because"), 70, "wrap"), Column(t("Incident ids"), 40, "wrap"),
        Column(t("Guidance ids"), 30, "wrap"),
    ], frozen_columns=2)  # fmt: skip
    national = t("national")
    table.rows = [_driver_row("national", national, d, pack.driver(d).text, v)
                  for d in a.national.regime_collapse.drivers]  # fmt: skip
    for loc in a.locations:
        for d in loc.drivers:
            because = driver_sentence(d, loc, a, v.lang, pack).text
            table.rows.append(_driver_row(loc.id, loc.name, d, because, v))
    return table


def incidents(a: Assessment, v: Vocabulary) -> Table:
    t = v.t
    table = Table(t.p("sheet", "Incidents"), [
        Column(t("ID"), 14), Column(t("Date"), 12, "date"),
        Column(t("Event type"), 24), Column(t("Sub-event type"), 28),
        Column(t("Actor 1"), 30), Column(t("Actor 2"), 30), Column(t("Location"), 18),
        Column(t("Region"), 14), Column(t("Latitude"), 10, "number"),
        Column(t("Longitude"), 10, "number"), Column(t("Location precision (1-3)"), 10, "int"),
        Column(t("Fatalities"), 10, "int"), Column(t("Source"), 24),
        Column(t("Signals"), 24), Column(t("Notes (source text)"), 80, "wrap"),
    ], frozen_columns=1)  # fmt: skip
    table.rows = [
        [i.id, i.date, i.event_type, i.sub_event_type, i.actor1, i.actor2, i.location, i.admin1,
         i.lat, i.lon, i.geo_precision, i.fatalities, i.source, ", ".join(i.signals), i.notes]
        for i in a.incidents
    ]  # fmt: skip
    return table


def guidance(a: Assessment, v: Vocabulary) -> Table:
    t = v.t
    table = Table(t.p("sheet", "Guidance"), [
        Column(t("ID"), 18), Column(t("Issuer"), 16), Column(t("Issued"), 12, "date"),
        Column(t("Date basis"), 24, "wrap"),
        Column(t("Expires"), 12, "date"), Column(t("Level"), 26),
        Column(t("Action"), 28), Column(t("Reasons"), 28, "wrap"),
        Column(t("In force"), 9), Column(t("Source"), 40),
        Column(t("Summary"), 60, "wrap"),
    ], frozen_columns=1)  # fmt: skip
    table.rows = [
        [g.id, v.word("issuer", g.issuer), g.issued,
         issued_prefix(g.issued_basis, v.lang) or t("the issuer's issue date"),
         g.expires, v.word("guidance_level", g.level),
         v.word("action", g.action), ", ".join(v.word("reason", r) for r in g.reasons),
         v.yes_no(g.in_force), g.source or "", g.summary or ""]
        for g in a.guidance
    ]  # fmt: skip
    return table


def measures(a: Assessment, v: Vocabulary) -> Table:
    t = v.t
    table = Table(t.p("sheet", "Measures"), [
        Column(t("Level"), 14, "level"), Column(t("Level (1-5)"), 10, "int"),
        Column(t("Phase"), 24), Column(t("Measure id"), 20),
        Column(t("Measure"), 90, "wrap"),
    ])  # fmt: skip
    for key in sorted(a.postures, key=int):
        p, n = a.postures[key], int(key)
        phase = getattr(p.phase_text, v.lang)
        word = Level(n, v.level(n))
        table.rows += [[word, n, phase, m.id, getattr(m, v.lang)] for m in p.measures]
    return table


# the inputs' kinds as the provenance sheet names them (`provenance.inputs[].kind`)
INPUT_KINDS = {
    "incidents": NP_("provenance", "incidents"),
    "guidance": NP_("provenance", "guidance"),
    "places": NP_("provenance", "places"),
}


def provenance(a: Assessment, v: Vocabulary) -> Table:
    t = v.t
    table = Table(t.p("sheet", "Provenance"), [
        Column(t("Item"), 18), Column(t("Name or file"), 50, "wrap"),
        Column(t("Version or records"), 14), Column(t("Digest"), 30),
        Column(t("Date (UTC)"), 18, "datetime"),
        Column(t("Licence"), 12), Column(t("Attribution"), 80, "wrap"),
    ])  # fmt: skip
    p = a.provenance
    pack = p.rule_pack
    generated = _utc(p.generated_at)
    table.rows = [
        [t.p("provenance", "engine"), "advisory", p.engine_version, "", None, "", ""],
        [t.p("provenance", "rule pack"), pack.name, pack.version, pack.digest, None, "", ""],
        [t.p("provenance", "assessment as of"), "", "", "",
         datetime(p.as_of.year, p.as_of.month, p.as_of.day), "", ""],
        [t.p("provenance", "generated"), "" if generated else p.generated_at, "", "", generated,
         "", ""],
    ]  # fmt: skip
    for entry in p.inputs:
        kind = str(entry.get("kind", ""))
        table.rows.append([
            t.p("provenance", INPUT_KINDS[kind]) if kind in INPUT_KINDS else one_line(kind),
            str(entry.get("path", "")), _count(entry.get("records")), str(entry.get("sha256", "")),
            None, str(entry.get("licence", "")), str(entry.get("attribution", "")),
        ])  # fmt: skip
    return table


def _count(value: object) -> Cell:
    """A record count as a number (text if an older document wrote something else)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return one_line(value or "")


def _utc(stamp: str) -> datetime | None:
    """`generated_at` as a naive UTC date-time (spreadsheets have no time zones)."""
    try:
        when = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return when
