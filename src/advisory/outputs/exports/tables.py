"""The assessment as tables: what the workbook's sheets hold, independent of the file format.

Each table is a list of typed rows (text, numbers, real dates, levels with their word), so the
writer only decides how a kind of cell looks, and tests can check the content without Excel.
Everything is read from the `Assessment`; nothing is recomputed but a road's length.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Literal

from ...assessment.model import Assessment, Driver, Location
from ...geo import haversine
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
    lat = [p[0] for p in loc.line]
    lon = [p[1] for p in loc.line]
    legs = haversine(lat[:-1], lon[:-1], lat[1:], lon[1:])
    return round(float(sum(legs)), 1)


def is_road(loc: Location) -> bool:
    return loc.line is not None


def workbook_tables(a: Assessment, lang: str) -> list[Table]:
    v = Vocabulary(lang, a.scale)
    places = [loc for loc in a.locations if not is_road(loc)]
    roads = [loc for loc in a.locations if is_road(loc)]
    return [
        summary(a, v),
        locations(a, v, places, roads=False),
        locations(a, v, roads, roads=True),
        drivers(a, v),
        incidents(a, v),
        guidance(a, v),
        measures(a, v),
        provenance(a, v),
    ]


def summary(a: Assessment, v: Vocabulary) -> Table:
    t = v.t
    table = Table(t("sheet.summary"), [
        Column(t("col.track"), 24), Column(t("col.level"), 14, "level"),
        Column(t("col.level_n"), 10, "int"), Column(t("col.where"), 40, "wrap"),
        Column(t("col.bottom_line"), 90, "wrap"), Column(t("col.as_of"), 12, "date"),
    ])  # fmt: skip
    names = {loc.id: loc.name for loc in a.locations}
    ps, rc = a.national.personal_security, a.national.regime_collapse
    table.rows = [
        [t("track.personal_security"), Level(ps.level, v.level(ps.level)), ps.level,
         ", ".join(names.get(i, i) for i in ps.highest_at), a.bottom_line.personal_security,
         a.as_of],
        [t("track.regime_collapse"), Level(rc.level, v.level(rc.level)), rc.level,
         ", ".join(names.get(i, i) for i in rc.held_centres), a.bottom_line.regime_collapse,
         a.as_of],
    ]  # fmt: skip
    return table


def _location_columns(v: Vocabulary, hazards: dict[str, int], roads: bool) -> list[Column]:
    t = v.t
    cols = [Column(t("col.id"), 26), Column(t("col.name"), 30),
            Column(t("col.road") if roads else t("col.kind"), 12), Column(t("col.admin1"), 14),
            Column(t("track.personal_security"), 14, "level"),
            Column(t("col.ps_n"), 10, "int")]  # fmt: skip
    for h, days in hazards.items():
        name = v.hazard(h)
        cols += [Column(name, 12, "level"),
                 Column(t("col.chance", hazard=name, days=days), 12, "percent"),
                 Column(t("col.chance_words", hazard=name), 18)]  # fmt: skip
    cols += [Column(t("col.raised"), 30, "wrap"),
             Column(t("track.regime_collapse"), 14, "level"),
             Column(t("col.rc_n"), 10, "int")]  # fmt: skip
    if not roads:
        cols.append(Column(t("col.control"), 24))
    cols += [Column(t("col.confidence"), 12), Column(t("col.events"), 10, "int"),
             Column(t("col.sources"), 9, "int"), Column(t("col.latest_days"), 10, "int"),
             Column(t("col.guidance_in_force"), 24, "wrap"), Column(t("col.lat"), 10, "number"),
             Column(t("col.lon"), 10, "number")]  # fmt: skip
    if roads:
        cols.append(Column(t("col.length_km"), 10, "number"))
    return [*cols, Column(t("col.bottom_line"), 70, "wrap")]


def _raised(loc: Location, v: Vocabulary) -> str:
    """Hazards a government's guidance raised above the evidence's band, and by whom."""
    out = []
    for h, hz in loc.personal_security.hazards.items():
        if step := hz.guidance_step:
            old, new = v.level(step.from_level), v.level(step.to_level)
            issuers = ", ".join(step.issuers)
            out.append(v.t("raised", hazard=v.hazard(h), old=old, new=new, issuers=issuers))
    return "; ".join(out)


def _location_row(loc: Location, v: Vocabulary, hazards: list[str], roads: bool) -> list[Cell]:
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
    return [*row, loc.bottom_line]


def locations(a: Assessment, v: Vocabulary, locs: list[Location], roads: bool) -> Table:
    hazards = hazard_days(a)
    name = v.t("sheet.roads" if roads else "sheet.places")
    table = Table(name, _location_columns(v, hazards, roads), frozen_columns=2)
    table.rows = [_location_row(loc, v, list(hazards), roads) for loc in locs]
    return table


def _driver_row(where: str, name: str, d: Driver, v: Vocabulary) -> list[Cell]:
    return [where, name, v.t(f"track.{d.track}"), v.hazard(d.hazard) if d.hazard else "",
            v.t(f"driver.{d.kind}"), d.rule, d.points, v.yes_no(d.decisive), d.because,
            ", ".join(d.incidents), ", ".join(d.guidance)]  # fmt: skip


def drivers(a: Assessment, v: Vocabulary) -> Table:
    t = v.t
    table = Table(t("sheet.drivers"), [
        Column(t("col.id"), 26), Column(t("col.location"), 30), Column(t("col.track"), 20),
        Column(t("col.hazard"), 14), Column(t("col.driver_kind"), 12), Column(t("col.rule"), 26),
        Column(t("col.points"), 8, "number"), Column(t("col.decisive"), 9),
        Column(t("col.because"), 70, "wrap"), Column(t("col.incident_ids"), 40, "wrap"),
        Column(t("col.guidance_ids"), 30, "wrap"),
    ], frozen_columns=2)  # fmt: skip
    national = t("national")
    nat = a.national.regime_collapse.drivers
    table.rows = [_driver_row("national", national, d, v) for d in nat]
    table.rows += [_driver_row(loc.id, loc.name, d, v) for loc in a.locations for d in loc.drivers]
    return table


def incidents(a: Assessment, v: Vocabulary) -> Table:
    t = v.t
    table = Table(t("sheet.incidents"), [
        Column(t("col.id"), 14), Column(t("col.date"), 12, "date"),
        Column(t("col.event_type"), 24), Column(t("col.sub_event_type"), 28),
        Column(t("col.actor1"), 30), Column(t("col.actor2"), 30), Column(t("col.place_name"), 18),
        Column(t("col.admin1"), 14), Column(t("col.lat"), 10, "number"),
        Column(t("col.lon"), 10, "number"), Column(t("col.geo_precision"), 10, "int"),
        Column(t("col.fatalities"), 10, "int"), Column(t("col.source"), 24),
        Column(t("col.signals"), 24), Column(t("col.notes"), 80, "wrap"),
    ], frozen_columns=1)  # fmt: skip
    table.rows = [
        [i.id, i.date, i.event_type, i.sub_event_type, i.actor1, i.actor2, i.location, i.admin1,
         i.lat, i.lon, i.geo_precision, i.fatalities, i.source, ", ".join(i.signals), i.notes]
        for i in a.incidents
    ]  # fmt: skip
    return table


def guidance(a: Assessment, v: Vocabulary) -> Table:
    t = v.t
    table = Table(t("sheet.guidance"), [
        Column(t("col.id"), 18), Column(t("col.issuer"), 16), Column(t("col.issued"), 12, "date"),
        Column(t("col.expires"), 12, "date"), Column(t("col.level"), 26),
        Column(t("col.action"), 28), Column(t("col.reasons"), 28, "wrap"),
        Column(t("col.in_force"), 9), Column(t("col.source"), 40),
        Column(t("col.summary"), 60, "wrap"),
    ], frozen_columns=1)  # fmt: skip
    table.rows = [
        [g.id, v.word("issuer", g.issuer), g.issued, g.expires, v.word("guidance_level", g.level),
         v.word("action", g.action), ", ".join(v.word("reason", r) for r in g.reasons),
         v.yes_no(g.in_force), g.source or "", g.summary or ""]
        for g in a.guidance
    ]  # fmt: skip
    return table


def measures(a: Assessment, v: Vocabulary) -> Table:
    t = v.t
    table = Table(t("sheet.measures"), [
        Column(t("col.level"), 14, "level"), Column(t("col.level_n"), 10, "int"),
        Column(t("col.phase"), 24), Column(t("col.measure_id"), 20),
        Column(t("col.measure"), 90, "wrap"),
    ])  # fmt: skip
    for key in sorted(a.postures, key=int):
        p, n = a.postures[key], int(key)
        phase = getattr(p.phase_text, v.lang)
        word = Level(n, v.level(n))
        table.rows += [[word, n, phase, m.id, getattr(m, v.lang)] for m in p.measures]
    return table


def provenance(a: Assessment, v: Vocabulary) -> Table:
    t = v.t
    table = Table(t("sheet.provenance"), [
        Column(t("col.item"), 18), Column(t("col.name_or_path"), 50, "wrap"),
        Column(t("col.version"), 14), Column(t("col.digest"), 30),
        Column(t("col.date_utc"), 18, "datetime"),
        Column(t("col.licence"), 12), Column(t("col.attribution"), 80, "wrap"),
    ])  # fmt: skip
    p = a.provenance
    pack = p.rule_pack
    generated = _utc(p.generated_at)
    table.rows = [
        [t("prov.engine"), "advisory", p.engine_version, "", None, "", ""],
        [t("prov.rule_pack"), pack.name, pack.version, pack.digest, None, "", ""],
        [t("prov.as_of"), "", "", "", datetime(p.as_of.year, p.as_of.month, p.as_of.day), "", ""],
        [t("prov.generated"), "" if generated else p.generated_at, "", "", generated, "", ""],
    ]  # fmt: skip
    for entry in p.inputs:
        kind = str(entry.get("kind", ""))
        table.rows.append([
            t(f"prov.{kind}") if f"prov.{kind}" in _KNOWN_INPUTS else one_line(kind),
            str(entry.get("path", "")), _count(entry.get("records")), str(entry.get("sha256", "")),
            None, str(entry.get("licence", "")), str(entry.get("attribution", "")),
        ])  # fmt: skip
    return table


_KNOWN_INPUTS = {"prov.incidents", "prov.guidance", "prov.places"}


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
