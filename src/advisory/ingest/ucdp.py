"""Read UCDP's Georeferenced Event Dataset (GED) CSV into ACLED's current columns.

GED is the open alternative to ACLED (CC BY 4.0, free bulk download, monthly candidate
releases) for organisations that ACLED's access tiers refuse. A file is recognised by its
header (`type_of_violence`, `side_a`, `date_start`); its rows become ACLED-like events through
the rule pack's table (`formats.yaml`, `ucdp_ged`), so every later step sees one vocabulary:
`where_prec` to `geo_precision` (a province centroid never lights up a road), `date_prec` to
`time_precision`, one-sided violence to attacks on civilians, `side_a`/`side_b` to the actors,
`GED<id>` ids. A row whose precision the table maps to null, or that GED's codes cannot place,
is set aside with a reason in GED's own terms, before the checks every event gets.

GED and ACLED record many of the same events with different ids, dates and coordinates: one
run reading both counts them twice, so mixing is refused unless asked for (`check_sources`).
The data must be credited (CC BY 4.0): each GED file's provenance entry carries the licence and
the attribution, which the outputs print. The mapping is docs/formats.md's proposal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ..errors import InputError, Problem
from ..rulepack.model import UcdpGed
from ..text import plural
from .csvfile import Sniffed, duplicated_header, read_table
from .rejects import first_failing
from .sources import InputDigest

SIGNATURE = frozenset({"type_of_violence", "side_a", "date_start"})  # what says "this is GED"
REQUIRED = (
    "id", "type_of_violence", "side_a", "side_b", "where_prec", "latitude", "longitude",
    "date_prec", "date_start", "date_end", "best",
)  # fmt: skip
OPTIONAL = (
    "low", "high", "gwnoa", "gwnob", "country", "region", "adm_1", "adm_2",
    "where_coordinates", "source_office", "source_headline",
)  # fmt: skip
# GED codebook meanings, for the reasons a row is set aside (docs/formats.md, section 6)
WHERE_PREC = {
    1: "the place itself", 2: "an area around a named place", 3: "a district centroid",
    4: "a province centroid", 5: "a region larger than a province, or a vague place",
    6: "the whole country", 7: "at sea or in the air",
}  # fmt: skip
DATE_PREC = {1: "the day", 2: "2 to 6 days", 3: "a week", 4: "a month", 5: "a year"}
VARIANT = "ucdp-ged"
LICENCE = "CC BY 4.0"
ATTRIBUTION = (
    "UCDP Georeferenced Event Dataset (GED){version}, Uppsala Conflict Data Program "
    "(https://ucdp.uu.se), licensed under CC BY 4.0 "
    "(https://creativecommons.org/licenses/by/4.0/); changes made: rows mapped to ACLED-like "
    "event types by advisory (rule pack formats.yaml, ucdp_ged). Sundberg and Melander (2013), "
    "Introducing the UCDP Georeferenced Event Dataset, Journal of Peace Research 50(4)."
)
_RELEASE = re.compile(r"v(\d+(?:[._]\d+)*)", re.IGNORECASE)  # GEDEvent_v24_1.csv -> 24.1
_INTEGER = r"^\d+$"


@dataclass(frozen=True)
class CreditedDigest(InputDigest):
    """A GED file in the provenance: its digest plus the credit CC BY 4.0 requires."""

    licence: str = LICENCE
    attribution: str = ""

    def as_dict(self) -> dict[str, object]:
        return {**super().as_dict(), "format": VARIANT, "licence": self.licence,
                "attribution": self.attribution}  # fmt: skip


@dataclass
class GedRows:
    """A GED file's rows in ACLED's columns, those set aside (ACLED columns plus `_file`,
    `_row`, `_field`, `_reason`, in GED's terms) and its provenance entry."""

    frame: pl.DataFrame
    rejects: pl.DataFrame
    digest: CreditedDigest
    blank_rows: int
    renumbered: bool
    note: str


def is_ged(names: list[str]) -> bool:
    """Whether a header (standardised names) is a GED export's."""
    return set(names) >= SIGNATURE


def attribution(path: Path) -> str:
    """The credit line, naming the release when the file name says it (GEDEvent_v24_1.csv)."""
    found = _RELEASE.search(path.stem)
    release = f" version {found.group(1).replace('_', '.')}" if found else ""
    return ATTRIBUTION.format(version=release)


def read_ged(
    path: Path, sniffed: Sniffed, names: list[str], table: UcdpGed | None, columns: tuple[str, ...]
) -> GedRows:
    """A GED CSV as rows in ACLED's `columns` (strings), mapped by the pack's `table`."""
    name = str(path)
    if table is None:
        raise InputError(Problem(name, "this is a UCDP GED export, but no ucdp_ged table "
                                 "(rule pack: formats.yaml) was given to map it with"))  # fmt: skip
    twice = duplicated_header(names)
    missing = [c for c in dict.fromkeys((*REQUIRED, table.fatalities)) if c not in names]
    if twice or missing:
        noun = plural(len(missing), "column", "columns")
        why = (f"column {twice!r} appears more than once in the header" if twice else
               f"a UCDP GED export without the {noun} {', '.join(missing)}")  # fmt: skip
        raise InputError(Problem(name, f"{why}; expected GED's columns ({', '.join(REQUIRED)}, "
                                 "...) as UCDP's CSV download has them", 1))  # fmt: skip
    wanted = {n: h for h, n in zip(sniffed.header, names, strict=True) if n in REQUIRED + OPTIONAL}
    raw = read_table(path, sniffed, list(wanted.values()))
    ged = raw.frame.rename({h: n for n, h in wanted.items()})
    ged = ged.with_columns(pl.lit("").alias(c) for c in OPTIONAL if c not in ged.columns)
    ged = ged.with_columns(pl.col(c).str.strip_chars() for c in (*REQUIRED, *OPTIONAL))
    mapped = _mapped(ged, table).with_columns(pl.lit(name).alias("_file"))
    field_expr, reason_expr = _set_aside(table)
    mapped = mapped.with_columns(field_expr.alias("_field"), reason_expr.alias("_reason"))
    bad = pl.col("_reason").is_not_null()
    kept = mapped.filter(~bad).select(*columns, "_file", "_row")
    rejects = mapped.filter(bad).select(*columns, "_file", "_row", "_field", "_reason")
    digest = CreditedDigest("incidents", name, raw.sha256, kept.height,
                            attribution=attribution(path))  # fmt: skip
    rows = plural(kept.height, "row", "rows")
    note = (f"{name}: UCDP GED export, {kept.height} {rows} read as ACLED-like events "
            f"(rules: formats.yaml ucdp_ged), {rejects.height} set aside; credit: UCDP GED, "
            f"{LICENCE}")  # fmt: skip
    return GedRows(kept, rejects, digest, raw.blank_rows, raw.renumbered, note)


def _day(column: str) -> pl.Expr:
    """GED's dates: `2024-01-05` in the API, `2024-01-05 00:00:00.000` in the CSV download."""
    return pl.col(column).str.slice(0, 10).str.strptime(pl.Date, "%Y-%m-%d", strict=False)


def _lookup(column: str, mapping: Mapping[int, object]) -> pl.Expr:
    """The table's value for an integer code written as text (null when absent or null)."""
    text = {str(k): None if v is None else str(v) for k, v in mapping.items()}
    return pl.col(column).replace_strict(text, default=None, return_dtype=pl.String)


def _mapped(ged: pl.DataFrame, table: UcdpGed) -> pl.DataFrame:
    """Every row in ACLED's columns (set-aside rows too: the rejects file shows them so)."""
    start, end = _day("date_start"), _day("date_end")
    end = pl.when(pl.col("date_end") == "").then(start).otherwise(end)
    middle = start + pl.duration(days=(end - start).dt.total_days() // 2)
    kinds = table.type_of_violence
    kind = {f: {k: getattr(v, f) for k, v in kinds.items()}
            for f in ("event_type", "sub_event_type", "actor2_type")}  # fmt: skip
    targeted = {k: "Civilians targeted" if v.civilian_targeting else "" for k, v in kinds.items()}
    state = pl.lit(table.state_actor_type)
    inter2 = pl.when(pl.col("gwnob") != "").then(state).otherwise(pl.lit(""))
    return ged.select(
        ("GED" + pl.col("id")).alias("event_id_cnty"),
        middle.dt.strftime("%Y-%m-%d").fill_null(pl.col("date_start")).alias("event_date"),
        middle.dt.year().cast(pl.String).fill_null("").alias("year"),
        _lookup("date_prec", table.date_prec).fill_null("").alias("time_precision"),
        pl.lit("Political violence").alias("disorder_type"),
        _lookup("type_of_violence", kind["event_type"]).fill_null("").alias("event_type"),
        _lookup("type_of_violence", kind["sub_event_type"]).fill_null("").alias("sub_event_type"),
        pl.col("side_a").alias("actor1"),
        pl.lit("").alias("assoc_actor_1"),
        pl.when(pl.col("gwnoa") != "").then(state).otherwise(pl.lit("")).alias("inter1"),
        pl.col("side_b").alias("actor2"),
        pl.lit("").alias("assoc_actor_2"),
        _lookup("type_of_violence", kind["actor2_type"]).fill_null(inter2).alias("inter2"),
        pl.lit("").alias("interaction"),
        _lookup("type_of_violence", targeted).fill_null("").alias("civilian_targeting"),
        pl.lit("").alias("iso"),
        pl.col("region"),
        pl.col("country"),
        pl.col("adm_1").alias("admin1"),
        pl.col("adm_2").alias("admin2"),
        pl.lit("").alias("admin3"),
        pl.col("where_coordinates").alias("location"),
        "latitude",
        "longitude",
        _lookup("where_prec", table.where_prec).fill_null("").alias("geo_precision"),
        pl.col("source_office").alias("source"),
        pl.lit("").alias("source_scale"),
        pl.col("source_headline").alias("notes"),
        pl.col(table.fatalities).alias("fatalities"),
        pl.lit("").alias("tags"),
        pl.lit("0").alias("timestamp"),  # GED has none: revisions come as new releases
        "_row", "where_prec", "date_prec", "type_of_violence", "date_start", "date_end",
        start.alias("_start"), end.alias("_end"),
    )  # fmt: skip


def _set_aside(table: UcdpGed) -> tuple[pl.Expr, pl.Expr]:
    """(field, reason) of the first GED check a row fails, null when it passes them all.
    The common checks (coordinates, fatalities ...) come after, on the mapped row."""
    checks: list[tuple[pl.Expr, str, str]] = [
        (~pl.col("event_id_cnty").str.slice(3).str.contains(_INTEGER), "id",
         "id must be UCDP's whole-number event id"),
        (pl.col("_start").is_null(), "date_start",
         "unparseable date_start (expected 2024-01-05 or 2024-01-05 00:00:00.000)"),
        (pl.col("_end").is_null(), "date_end",
         "unparseable date_end (expected 2024-01-05 or 2024-01-05 00:00:00.000)"),
        (pl.col("_end") < pl.col("_start"), "date_end", "date_end is before date_start"),
        (~pl.col("fatalities").str.contains(_INTEGER), table.fatalities,
         f"{table.fatalities} (deaths) must be a whole number >= 0"),
        (~pl.col("type_of_violence").is_in([str(k) for k in table.type_of_violence]),
         "type_of_violence", "type_of_violence must be "
         + " or ".join(str(k) for k in sorted(table.type_of_violence))),
    ]  # fmt: skip
    for column, codes, meanings in (("where_prec", table.where_prec, WHERE_PREC),
                                    ("date_prec", table.date_prec, DATE_PREC)):  # fmt: skip
        unknown = ~pl.col(column).is_in([str(k) for k in codes])
        checks.append((unknown, column, f"{column} is not a GED code the rule pack maps "
                       f"({', '.join(str(k) for k in sorted(codes))})"))  # fmt: skip
        for code in sorted(k for k, v in codes.items() if v is None):
            why = f"GED {column} {code} ({meanings.get(code, 'no meaning known')}) is too coarse"
            why += f": set aside (rules: formats.yaml ucdp_ged.{column})"
            checks.append((pl.col(column) == str(code), column, why))
    return first_failing(checks)


def check_sources(variants: list[tuple[str, str]], mix_sources: bool) -> list[str]:
    """Refuse ACLED and GED files in one run unless `mix_sources`: the two record many of the
    same events under different ids, dates and coordinates, so each would count twice.
    `variants` are (file, variant) pairs; returns the note to print when mixing is allowed."""
    ged = [f for f, v in variants if v == VARIANT]
    acled = [f for f, v in variants if v != VARIANT]
    if not ged or not acled:
        return []
    if not mix_sources:
        raise InputError(Problem(ged[0], f"UCDP GED export given with an ACLED export "
            f"({acled[0]}): the two datasets record many of the same events under different "
            "ids, dates and places, so each would count twice. Give one source, or "
            "--mix-sources to read both anyway"))  # fmt: skip
    files = plural(len(ged), "file", "files")
    return [f"ACLED and UCDP GED files mixed (--mix-sources): events both recorded count twice "
            f"({len(acled)} ACLED, {len(ged)} GED {files})"]  # fmt: skip
