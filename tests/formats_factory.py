"""Project-made files in each real incident format, and what the engine should make of them.

The formats are described, with sources, in docs/formats.md: ACLED's dyadic export, its monadic
form (one row per actor), the pre-2019 typology, HDX copies with a HXL hashtag row, and UCDP GED.
Every row below is invented, modelled on public reporting of the Sahel; none is copied from a real
ACLED or UCDP export (ACLED's terms forbid redistributing rows).

Each writer puts one file in a folder and returns a `Fixture`: the file, its columns, and the
events the engine should hold once monadic pairs are merged, revisions applied and old types
mapped (the proposals of docs/formats.md, in ACLED's current vocabulary).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

from acled_factory import COLUMNS, FAMA, JNIM

DYADIC = tuple(COLUMNS)  # the current export (since March 2023)

# The 2019 - March 2023 API columns (HDX copies of that time carry exactly these).
DYADIC_2019 = (
    "data_id", "iso", "event_id_cnty", "event_id_no_cnty", "event_date", "year", "time_precision",
    "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2",
    "assoc_actor_2", "inter2", "interaction", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "timestamp", "iso3",
)  # fmt: skip
PRE_2019 = tuple(c for c in DYADIC_2019 if c != "sub_event_type")
MONADIC = tuple(c for c in DYADIC if c not in ("actor2", "assoc_actor_2", "inter2"))
GED = (
    "id", "relid", "year", "active_year", "code_status", "type_of_violence", "conflict_dset_id",
    "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id", "dyad_name",
    "side_a_dset_id", "side_a_new_id", "side_a", "side_b_dset_id", "side_b_new_id", "side_b",
    "number_of_sources", "source_article", "source_office", "source_date", "source_headline",
    "source_original", "where_prec", "where_coordinates", "where_description", "adm_1", "adm_2",
    "latitude", "longitude", "geom_wkt", "priogrid_gid", "country", "country_id", "region",
    "event_clarity", "date_prec", "date_start", "date_end", "deaths_a", "deaths_b",
    "deaths_civilians", "deaths_unknown", "best", "high", "low", "gwnoa", "gwnob",
)  # fmt: skip
# The tags OCHA's HDX scraper wrote under the header (2020-2025); other columns get "".
HXL_TAGS = {
    "event_id_cnty": "#event+code", "event_date": "#date+occurred", "year": "#date+year",
    "event_type": "#event+type", "actor1": "#group+name+first",
    "assoc_actor_1": "#group+name+first+assoc", "actor2": "#group+name+second",
    "assoc_actor_2": "#group+name+second+assoc", "region": "#region+name",
    "country": "#country+name", "admin1": "#adm1+name", "admin2": "#adm2+name",
    "admin3": "#adm3+name", "location": "#loc+name", "latitude": "#geo+lat",
    "longitude": "#geo+lon", "source": "#meta+source", "notes": "#description",
    "fatalities": "#affected+killed", "iso3": "#country+code",
}  # fmt: skip
OLD_EVENT_TYPES = (
    "Battle-No change of territory", "Battle-Non-state actor overtakes territory",
    "Battle-Government regains territory", "Remote violence", "Violence against civilians",
    "Riots/Protests", "Strategic development", "Headquarters or base established",
    "Non-violent transfer of territory",
)  # fmt: skip
INTER = {0: "", 1: "State forces", 2: "Rebel group", 3: "Political militia",
         4: "Identity militia", 5: "Rioters", 6: "Protesters", 7: "Civilians",
         8: "External/Other forces"}  # fmt: skip

ISSP = "Islamic State (Greater Sahara)"
FAMA_2013 = "Military Forces of Mali (2013-2020)"
MINUSMA = "MINUSMA: United Nations Multidimensional Integrated Stabilization Mission in Mali"
KNOWN = set(DYADIC) | set(DYADIC_2019) | set(GED)
KAYES, MOPTI, SEGOU_NEAR = (14.4469, -11.4445), (14.4843, -4.1827), (13.2961, -6.0120)


@dataclass(frozen=True)
class Event:
    """One event as the engine should hold it after reading, in ACLED's current vocabulary."""

    event_id: str
    day: date
    event_type: str
    sub_event_type: str  # "" where the source cannot say (old Remote violence without a keyword)
    actor1: str
    actor2: str = ""
    inter1: str = ""
    inter2: str = ""
    geo_precision: int = 1
    time_precision: int = 1
    fatalities: int = 0
    timestamp: int = 0
    civilian_targeting: bool = False


@dataclass(frozen=True)
class Fixture:
    """A written file and what reading it should give."""

    path: Path
    kind: str  # "acled-dyadic", "acled-pre2019", "ucdp-ged" ...: the keys of `write_all`
    columns: tuple[str, ...]
    expected: tuple[Event, ...]
    pairs: int = 0  # monadic pairs in the file: two rows, one id, one timestamp
    revisions: int = 0  # ids whose older version (in another fixture's file) this file replaces
    hxl_row: bool = False
    rejected: tuple[str, ...] = ()  # event ids the engine should set aside (docs/formats.md)


def _write(
    path: Path,
    columns: tuple[str, ...],
    rows: Iterable[Mapping[str, object]],
    hxl: Mapping[str, str] | None = None,
) -> Path:
    """Write `columns` of each row; fields of other formats are left out, unknown names refused."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(columns)
        if hxl is not None:
            out.writerow([hxl.get(c, "") for c in columns])
        for row in rows:
            unknown = set(row) - KNOWN
            if unknown:
                raise KeyError(f"not a column of any format: {sorted(unknown)}")
            out.writerow([row.get(c, "") for c in columns])
    return path


def _acled(eid: str, day: date, where: tuple[float, float], **fields: object) -> dict[str, object]:
    """Columns every ACLED row of these fixtures shares; `fields` fills in the event."""
    row: dict[str, object] = {
        "event_id_cnty": eid, "event_date": day.isoformat(), "year": day.year,
        "time_precision": 1, "iso": 466, "region": "Western Africa", "country": "Mali",
        "location": "Testville", "latitude": f"{where[0]:.4f}", "longitude": f"{where[1]:.4f}",
        "geo_precision": 1, "source": "Studio Tamani; AFP", "source_scale": "National",
        "fatalities": 0, "tags": "", "iso3": "MLI", "event_id_no_cnty": eid[3:],
        "data_id": 7000 + int(eid[-3:]),
    }  # fmt: skip
    row.update(fields)
    return row


def write_dyadic(folder: Path) -> Fixture:
    """The current export: one row per event, text actor types, ISO dates (since March 2023)."""
    ambush = _acled(
        "MLI90001", date(2025, 9, 14), SEGOU_NEAR, disorder_type="Political violence",
        event_type="Battles", sub_event_type="Armed clash", actor1=JNIM, inter1="Rebel group",
        actor2=FAMA, inter2="State forces", interaction="State forces-Rebel group",
        admin1="Segou", geo_precision=2, fatalities=3, timestamp=1758000000,
        notes="On 14 September 2025, JNIM militants ambushed a convoy of fuel tankers escorted "
        "by FAMa on the RN6 near Testville (Segou). Three soldiers were killed.",
    )  # fmt: skip
    base = _acled(
        "MLI90002", date(2025, 10, 2), MOPTI, disorder_type="Strategic developments",
        event_type="Strategic developments", sub_event_type="Headquarters or base established",
        actor1=JNIM, inter1="Rebel group", interaction="Rebel group only", admin1="Mopti",
        timestamp=1759500000,
        notes="On 2 October 2025, JNIM set up a base in Testville (Mopti), local sources said.",
    )  # fmt: skip
    expected = (
        Event("MLI90001", date(2025, 9, 14), "Battles", "Armed clash", JNIM, FAMA,
              "Rebel group", "State forces", 2, 1, 3, 1758000000),
        Event("MLI90002", date(2025, 10, 2), "Strategic developments",
              "Headquarters or base established", JNIM, "", "Rebel group", "", 1, 1, 0,
              1759500000),
    )  # fmt: skip
    path = _write(folder / "acled_dyadic.csv", DYADIC, [ambush, base])
    return Fixture(path, "acled-dyadic", DYADIC, expected)


def _side(row: dict[str, object], actor: str, inter: str) -> dict[str, object]:
    return {**row, "actor1": actor, "inter1": inter}


_WORDS = {2: "Two", 4: "Four"}


def _monadic_events(ied_fatalities: int, ied_timestamp: int) -> tuple[dict[str, object], ...]:
    """The three events of the monadic file, as shared fields (no actor yet)."""
    abduction = _acled(
        "MLI90011", date(2025, 10, 21), KAYES, disorder_type="Political violence",
        event_type="Violence against civilians", sub_event_type="Abduction/forced disappearance",
        interaction="Rebel group-Civilians", civilian_targeting="Civilians targeted",
        admin1="Kayes", geo_precision=2, timestamp=1761300000,
        notes="On 21 October 2025, JNIM militants abducted three Chinese workers at a gold "
        "mining site near Testville (Kayes). No casualties were reported.",
    )  # fmt: skip
    ied = _acled(
        "MLI90012", date(2025, 10, 25), SEGOU_NEAR, disorder_type="Political violence",
        event_type="Explosions/Remote violence", sub_event_type="Remote explosive/landmine/IED",
        interaction="State forces-Rebel group", admin1="Segou", geo_precision=2,
        fatalities=ied_fatalities, timestamp=ied_timestamp,
        notes="On 25 October 2025, a FAMa vehicle struck an IED laid by JNIM militants on the road "
        f"out of Testville (Segou). {_WORDS[ied_fatalities]} soldiers were killed.",
    )  # fmt: skip
    blockade = _acled(
        "MLI90013", date(2025, 11, 3), SEGOU_NEAR, disorder_type="Strategic developments",
        event_type="Strategic developments", sub_event_type="Other", actor1=JNIM,
        inter1="Rebel group", interaction="Rebel group only", admin1="Segou",
        timestamp=1762300000,
        notes="On 3 November 2025, JNIM declared that fuel trucks bound for Testville (Segou) "
        "would be attacked.",
    )  # fmt: skip
    return abduction, ied, blockade


def _monadic_expected(ied_fatalities: int, ied_timestamp: int) -> tuple[Event, ...]:
    return (
        Event("MLI90011", date(2025, 10, 21), "Violence against civilians",
              "Abduction/forced disappearance", JNIM, "Civilians (China)", "Rebel group",
              "Civilians", 2, 1, 0, 1761300000, civilian_targeting=True),
        Event("MLI90012", date(2025, 10, 25), "Explosions/Remote violence",
              "Remote explosive/landmine/IED", JNIM, FAMA, "Rebel group", "State forces", 2, 1,
              ied_fatalities, ied_timestamp),
        Event("MLI90013", date(2025, 11, 3), "Strategic developments", "Other", JNIM, "",
              "Rebel group", "", 1, 1, 0, 1762300000),
    )  # fmt: skip


def write_monadic(folder: Path, *, victim_first: bool = False) -> Fixture:
    """One row per actor: an abduction and an IED as pairs, a one-actor strategic development.

    Pairs are written attacker first, the order ACLED's own R package reads as actor1, actor2.
    `victim_first` puts the Civilians row of the abduction first: the codebook's one order rule
    (the target of Violence against civilians is always actor2) must still give JNIM as actor1.
    """
    abduction, ied, blockade = _monadic_events(2, 1761500000)
    kidnappers, victims = (_side(abduction, JNIM, "Rebel group"),
                           _side(abduction, "Civilians (China)", "Civilians"))  # fmt: skip
    rows = [
        *((victims, kidnappers) if victim_first else (kidnappers, victims)),
        _side(ied, JNIM, "Rebel group"),
        _side(ied, FAMA, "State forces"),
        blockade,
    ]
    path = _write(folder / "acled_monadic.csv", MONADIC, rows)
    return Fixture(path, "acled-monadic", MONADIC, _monadic_expected(2, 1761500000), pairs=2)


def write_monadic_revision(folder: Path) -> Fixture:
    """A later export of the IED pair (newer timestamp, four dead instead of two).

    Read together with `write_monadic`'s file, the newer pair replaces the older one; `expected`
    is what the two files give together."""
    _, ied, _ = _monadic_events(4, 1762900000)
    rows = [_side(ied, JNIM, "Rebel group"), _side(ied, FAMA, "State forces")]
    path = _write(folder / "acled_monadic_update.csv", MONADIC, rows)
    return Fixture(path, "acled-monadic-update", MONADIC, _monadic_expected(4, 1762900000),
                   pairs=1, revisions=1)  # fmt: skip


class Old(NamedTuple):
    """A pre-2019 row and the current event type and sub-type it should map to."""

    eid: str
    day: int  # of November 2018
    old_type: str
    actor1: str
    inter1: int
    actor2: str
    inter2: int
    dead: int
    notes: str
    event_type: str
    sub_event_type: str


# Each row exercises one line of docs/formats.md's "Proposed mapping" table.
_OLD = (
    Old("MLI80001", 7, "Battle-No change of territory", JNIM, 2, FAMA_2013, 1, 2,
        "JNIM militants ambushed a FAMa supply convoy near Testville; two soldiers were killed.",
        "Battles", "Armed clash"),
    Old("MLI80002", 8, "Battle-Non-state actor overtakes territory", JNIM, 2, FAMA_2013, 1, 0,
        "JNIM militants drove FAMa out of Testville and took control of the town.",
        "Battles", "Non-state actor overtakes territory"),
    Old("MLI80013", 21, "Battle-Government regains territory", FAMA_2013, 1, JNIM, 2, 1,
        "FAMa retook Testville from JNIM militants; one soldier was killed.",
        "Battles", "Government regains territory"),
    Old("MLI80003", 9, "Remote violence", JNIM, 2, MINUSMA, 8, 1,
        "A MINUSMA convoy struck an improvised explosive device near Testville; one "
        "peacekeeper was killed.", "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    Old("MLI80004", 10, "Remote violence", JNIM, 2, FAMA_2013, 1, 0,
        "Militants fired several mortar shells at the FAMa camp in Testville.",
        "Explosions/Remote violence", "Shelling/artillery/missile attack"),
    Old("MLI80005", 11, "Remote violence", "Unidentified Armed Group (Mali)", 3, FAMA_2013, 1, 0,
        "Unidentified assailants attacked the FAMa camp in Testville from a distance.",
        "Explosions/Remote violence", ""),
    Old("MLI80006", 12, "Violence against civilians", JNIM, 2, "Civilians (Mali)", 7, 0,
        "Gunmen suspected to be JNIM kidnapped a village chief near Testville.",
        "Violence against civilians", "Abduction/forced disappearance"),
    Old("MLI80007", 13, "Violence against civilians", JNIM, 2, "Civilians (Mali)", 7, 2,
        "JNIM militants shot dead two traders on the road to Testville.",
        "Violence against civilians", "Attack"),
    Old("MLI80008", 14, "Riots/Protests", "Protesters (Mali)", 6, "", 0, 0,
        "Residents of Testville protested against fuel shortages blamed on the blockade.",
        "Protests", "Peaceful protest"),
    Old("MLI80009", 15, "Riots/Protests", "Rioters (Mali)", 5,
        "Police Forces of Mali (2013-2020)", 1, 0,
        "Youths burned tyres and threw stones at police in Testville.",
        "Riots", "Violent demonstration"),
    Old("MLI80010", 16, "Strategic development", JNIM, 2, "", 0, 0,
        "JNIM set up an Islamic court and collected zakat from herders around Testville.",
        "Strategic developments", "Other"),
    Old("MLI80011", 19, "Headquarters or base established", JNIM, 2, "", 0, 0,
        "JNIM established a base in the forest east of Testville.",
        "Strategic developments", "Headquarters or base established"),
    Old("MLI80012", 20, "Non-violent transfer of territory", JNIM, 2, "", 0, 0,
        "JNIM entered Testville after FAMa withdrew; no fighting was reported.",
        "Strategic developments", "Non-violent transfer of territory"),
)  # fmt: skip


def _old_row(old: Old) -> tuple[dict[str, object], Event]:
    day, ts = date(2018, 11, old.day), 1542000000 + old.day * 86400
    codes = sorted((old.inter1, old.inter2)) if old.inter2 else [old.inter1, 0]
    row = _acled(
        old.eid, day, MOPTI, event_date=day.strftime("%d %B %Y"), event_type=old.old_type,
        actor1=old.actor1, inter1=old.inter1, actor2=old.actor2, inter2=old.inter2,
        interaction="".join(map(str, codes)), admin1="Mopti", fatalities=old.dead,
        timestamp=ts, notes=f"On {day:%d %B %Y}, {old.notes}",
    )  # fmt: skip
    targets_civilians = old.old_type == "Violence against civilians" or old.inter2 == 7
    event = Event(old.eid, day, old.event_type, old.sub_event_type, old.actor1, old.actor2,
                  INTER[old.inter1], INTER[old.inter2], 1, 1, old.dead, ts,
                  civilian_targeting=targets_civilians)  # fmt: skip
    return row, event


def write_pre2019(folder: Path) -> Fixture:
    """The old columns and typology: no sub_event_type, numeric inter codes, "07 November 2018"."""
    rows, expected = zip(*(_old_row(old) for old in _OLD), strict=True)
    path = _write(folder / "acled_pre2019.csv", PRE_2019, rows)
    return Fixture(path, "acled-pre2019", PRE_2019, tuple(expected))


def write_hdx(folder: Path) -> Fixture:
    """An HDX copy (2019-2023 columns, numeric inter codes) with its HXL hashtag row."""
    clash = _acled(
        "MLI85001", date(2020, 3, 10), MOPTI, event_type="Battles", sub_event_type="Armed clash",
        actor1=JNIM, inter1=2, actor2=ISSP, inter2=2, interaction=22, admin1="Mopti",
        fatalities=6, timestamp=1584500000,
        notes="On 10 March 2020, JNIM and IS Greater Sahara fighters clashed near Testville.",
    )  # fmt: skip
    abduction = _acled(
        "MLI85002", date(2020, 6, 2), KAYES, event_type="Violence against civilians",
        sub_event_type="Abduction/forced disappearance",
        actor1="Unidentified Armed Group (Mali)", inter1=3, actor2="Civilians (Mali)", inter2=7,
        interaction=37, admin1="Kayes", geo_precision=2, timestamp=1591500000,
        notes="On 2 June 2020, gunmen abducted a truck driver near Testville.",
    )  # fmt: skip
    protest = _acled(
        "MLI85003", date(2020, 8, 19), SEGOU_NEAR, event_type="Protests",
        sub_event_type="Peaceful protest", actor1="Protesters (Mali)", inter1=6, inter2=0,
        interaction=60, admin1="Segou", timestamp=1598300000,
        notes="On 19 August 2020, residents of Testville marched against insecurity on the roads.",
    )  # fmt: skip
    expected = (
        Event("MLI85001", date(2020, 3, 10), "Battles", "Armed clash", JNIM, ISSP, "Rebel group",
              "Rebel group", 1, 1, 6, 1584500000),
        Event("MLI85002", date(2020, 6, 2), "Violence against civilians",
              "Abduction/forced disappearance", "Unidentified Armed Group (Mali)",
              "Civilians (Mali)", "Political militia", "Civilians", 2, 1, 0, 1591500000,
              civilian_targeting=True),
        Event("MLI85003", date(2020, 8, 19), "Protests", "Peaceful protest",
              "Protesters (Mali)", "", "Protesters", "", 1, 1, 0, 1598300000),
    )  # fmt: skip
    path = _write(folder / "conflict_data_mli.csv", DYADIC_2019, [clash, abduction, protest],
                  hxl=HXL_TAGS)  # fmt: skip
    return Fixture(path, "acled-hdx", DYADIC_2019, expected, hxl_row=True)


class Ged(NamedTuple):
    """A GED event: who, how precisely placed and dated, and the deaths on each side."""

    gid: int
    kind: int  # type_of_violence
    side_a: str
    side_b: str
    where_prec: int
    date_prec: int
    start: date
    end: date
    deaths_a: int
    deaths_b: int
    deaths_civilians: int


_GOV, _JNIM, _IS = "Government of Mali", "JNIM", "IS Sahel"
_GED = (
    Ged(990001, 1, _GOV, _JNIM, 1, 1, date(2024, 3, 5), date(2024, 3, 5), 3, 2, 0),
    Ged(990002, 1, _GOV, _JNIM, 2, 2, date(2024, 4, 8), date(2024, 4, 10), 1, 2, 0),
    Ged(990003, 2, _JNIM, _IS, 3, 1, date(2024, 5, 2), date(2024, 5, 2), 5, 7, 0),
    Ged(990004, 3, _JNIM, "Civilians", 4, 4, date(2024, 6, 1), date(2024, 6, 30), 0, 0, 7),
    Ged(990005, 3, _GOV, "Civilians", 1, 3, date(2024, 7, 8), date(2024, 7, 14), 0, 0, 4),
    Ged(990006, 1, _GOV, _JNIM, 6, 1, date(2024, 8, 1), date(2024, 8, 1), 2, 0, 0),
    Ged(990007, 2, _JNIM, _IS, 1, 5, date(2024, 1, 1), date(2024, 12, 31), 4, 4, 0),
)  # fmt: skip
# docs/formats.md, "Proposed precision mapping": where_prec 6-7 and date_prec 5 are rejected.
_GED_GEO = {1: 1, 2: 2, 3: 3, 4: 3, 5: 3}
_GED_TIME = {1: 1, 2: 2, 3: 2, 4: 3}
_CONFLICT = {1: ("Mali: Government", 432), 2: ("IS - JNIM", 14101), 3: ("JNIM - Civilians", 14102)}


def _ged_row(ev: Ged) -> dict[str, object]:
    lat, lon = SEGOU_NEAR if ev.kind == 1 else MOPTI
    conflict, conflict_id = _CONFLICT[ev.kind]
    best = ev.deaths_a + ev.deaths_b + ev.deaths_civilians
    return {
        "id": ev.gid, "relid": f"MLI-2024-{ev.kind}-{conflict_id}-{ev.gid % 1000}",
        "year": ev.start.year, "active_year": 1, "code_status": "Clear",
        "type_of_violence": ev.kind, "conflict_dset_id": conflict_id,
        "conflict_new_id": conflict_id, "conflict_name": conflict,
        "dyad_dset_id": conflict_id + 500, "dyad_new_id": conflict_id + 500,
        "dyad_name": f"{ev.side_a} - {ev.side_b}", "side_a_dset_id": 100, "side_a_new_id": 100,
        "side_a": ev.side_a, "side_b_dset_id": 200, "side_b_new_id": 200, "side_b": ev.side_b,
        "number_of_sources": 2, "source_article": f"Testville Times {ev.start}",
        "source_office": "Testville Times", "source_date": ev.start.isoformat(),
        "source_headline": "Deaths reported near Testville", "source_original": "local officials",
        "where_prec": ev.where_prec, "where_coordinates": "Testville town",
        "where_description": "in and around Testville", "adm_1": "Mopti region",
        "adm_2": "Testville cercle", "latitude": lat, "longitude": lon,
        "geom_wkt": f"POINT ({lon} {lat})", "priogrid_gid": 150000 + ev.gid % 1000,
        "country": "Mali", "country_id": 432, "region": "Africa", "event_clarity": 1,
        "date_prec": ev.date_prec, "date_start": f"{ev.start} 00:00:00.000",
        "date_end": f"{ev.end} 00:00:00.000", "deaths_a": ev.deaths_a, "deaths_b": ev.deaths_b,
        "deaths_civilians": ev.deaths_civilians, "deaths_unknown": 0, "best": best,
        "high": best + 2, "low": best, "gwnoa": "432" if ev.side_a == _GOV else "", "gwnob": "",
    }  # fmt: skip


def _ged_event(ev: Ged) -> Event | None:
    """What the engine should make of a GED row, or None where it should set the row aside."""
    if ev.where_prec not in _GED_GEO or ev.date_prec not in _GED_TIME:
        return None
    one_sided = ev.kind == 3
    return Event(
        f"GED{ev.gid}", ev.start + timedelta(days=(ev.end - ev.start).days // 2),
        "Violence against civilians" if one_sided else "Battles",
        "Attack" if one_sided else "Armed clash", ev.side_a, ev.side_b,
        "State forces" if ev.side_a == _GOV else "", "Civilians" if one_sided else "",
        _GED_GEO[ev.where_prec], _GED_TIME[ev.date_prec],
        ev.deaths_a + ev.deaths_b + ev.deaths_civilians, 0, civilian_targeting=one_sided,
    )  # fmt: skip


def write_ged(folder: Path) -> Fixture:
    """A UCDP GED CSV: each type of violence, precision variety, two rows to set aside.

    990006 is placed only at country level (where_prec 6) and 990007 only in a year (date_prec
    5): docs/formats.md proposes rejecting both."""
    events = [_ged_event(ev) for ev in _GED]
    path = _write(folder / "ged.csv", GED, [_ged_row(ev) for ev in _GED])
    rejected = tuple(f"GED{ev.gid}" for ev, got in zip(_GED, events, strict=True) if got is None)
    return Fixture(path, "ucdp-ged", GED, tuple(e for e in events if e is not None),
                   rejected=rejected)  # fmt: skip


def write_all(folder: Path) -> dict[str, Fixture]:
    """Every fixture, each in its own file under `folder`, keyed by kind."""
    fixtures = (write_dyadic(folder), write_monadic(folder), write_monadic_revision(folder),
                write_pre2019(folder), write_hdx(folder), write_ged(folder))  # fmt: skip
    return {f.kind: f for f in fixtures}
