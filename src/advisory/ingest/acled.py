"""Read ACLED exports as they really come, into ACLED's current columns as strings.

Real exports differ from the standard (dyadic, post-2019) one: older exports have no
`sub_event_type` and a different event typology (`Battle-No change of territory`, `Remote
violence`, ...), numeric actor-type codes and extra columns (`data_id`, `event_id_no_cnty`,
`iso3`); HDX copies carry a second header row of HXL hashtags (`#event+code`, ...). Each file is
recognised from its header, and old event types are mapped to current ones through the rule
pack's table (`formats.yaml`), so every later step sees one typology. Monadic pairs and
revisions are merged later, across files (`ingest.incidents`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from ..errors import InputError, Problem
from ..rulepack.model import LegacyType, UcdpGed
from ..text import did_you_mean, plural
from . import ucdp
from .csvfile import Sniffed, Sparse, duplicated_header, read_table, sniff, standard_name
from .sources import InputDigest

# ACLED's export columns, in its order (older exports lack disorder_type, civilian_targeting
# and tags; they may carry data_id, event_id_no_cnty or iso3, which are not needed).
COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip
# What every row is read with, whatever its date: its checks, its date, a legacy type's count.
# The other columns are its text, left out of rows a look-back will not use (`read_export`).
KEYS = (
    "event_id_cnty", "event_date", "event_type", "sub_event_type", "latitude", "longitude",
    "geo_precision", "fatalities", "timestamp",
)  # fmt: skip
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y")  # never dd/mm or mm/dd: ambiguous
REQUIRED = (
    "event_id_cnty", "event_date", "event_type", "actor1", "latitude", "longitude",
    "geo_precision",
)  # fmt: skip
# ACLED's legacy numeric actor-type codes (codebook); newer exports write the text.
INTER_CODES = {
    "0": "", "1": "State forces", "2": "Rebel group", "3": "Political militia",
    "4": "Identity militia", "5": "Rioters", "6": "Protesters", "7": "Civilians",
    "8": "External/Other forces",
}  # fmt: skip
TRIMMED = ("event_id_cnty", "event_type", "sub_event_type", "actor1", "actor2", "assoc_actor_2")
# Headers that say what a file is when it is not an ACLED export.
LOOKALIKES = (
    ({"globaleventid"}, "a GDELT export"),
    ({"geonameid", "feature_class"}, "a GeoNames gazetteer"),
    ({"id", "name", "kind"}, "a places table"),
)


@dataclass
class Export:
    """One file's rows in ACLED's current columns (strings) with `_file` and `_row`."""

    frame: pl.DataFrame
    digest: InputDigest
    variant: str  # "acled" | "acled-pre-2019" (old typology mapped) | "ucdp-ged"
    hxl_row: bool
    blank_rows: int
    renumbered: bool
    legacy_rows: int
    rejects: pl.DataFrame | None = None  # rows the format's reader set aside (GED precision)
    notes: list[str] = field(default_factory=list)


def read_export(
    path: Path,
    legacy: dict[str, LegacyType],
    ged: UcdpGed | None = None,
    window: tuple[date, date] | None = None,
    rows: list[int] | None = None,
) -> Export:
    """One ACLED export (current, pre-2019 or HDX copy), or a UCDP GED export mapped by the
    pack's `ged` table (`ingest.ucdp`), as current ACLED string columns. A row dated outside
    `window` (first and last day) comes without its text (null outside `KEYS`); with `rows`,
    only those rows (`_row`) come, whole."""
    sniffed = sniff(path)
    names = [standard_name(h) for h in sniffed.header]
    if ucdp.is_ged(names):
        g = ucdp.read_ged(path, sniffed, names, ged, COLUMNS)
        return Export(g.frame, g.digest, ucdp.VARIANT, False, g.blank_rows, g.renumbered, 0,
                      g.rejects, [g.note])  # fmt: skip
    _check_header(path, sniffed, names)
    wanted = {n: h for h, n in zip(sniffed.header, names, strict=True) if n in COLUMNS}
    text = [h for n, h in wanted.items() if n not in KEYS]
    sparse = None
    if rows is not None:
        sparse = Sparse(pl.col("_row").is_in(rows), text, only_kept=True)
    elif window is not None:
        sparse = Sparse(in_window(pl.col(wanted["event_date"]), window), text)
    raw = read_table(path, sniffed, list(wanted.values()), sparse)
    df = raw.frame.rename({h: n for n, h in wanted.items()})
    hxl = _is_hxl_row(df, list(wanted))
    if hxl:
        df = df.slice(1)
    df = df.with_columns(pl.lit("").alias(c) for c in COLUMNS if c not in df.columns)
    df = df.with_columns(pl.col(c).str.strip_chars() for c in TRIMMED)
    df = df.with_columns(
        pl.col(c).str.strip_chars().replace(INTER_CODES) for c in ("inter1", "inter2")
    )
    df, n_legacy = map_legacy_types(df, legacy)
    variant = "acled-pre-2019" if n_legacy else "acled"
    frame = df.select(*COLUMNS, pl.lit(str(path)).alias("_file"), "_row")
    digest = InputDigest("incidents", str(path), raw.sha256, frame.height)
    if rows is not None:
        frame = frame.filter(pl.col("_row").is_in(rows))
    return Export(frame, digest, variant, hxl, raw.blank_rows, raw.renumbered, n_legacy)


def in_window(event_date: pl.Expr, window: tuple[date, date]) -> pl.Expr:
    """Whether a row may be an event of `window`: dated in it in ACLED's own form, or in none
    this test reads (the checks parse the other forms, and reject what none reads)."""
    day = event_date.str.strip_chars().str.strptime(pl.Date, DATE_FORMATS[0], strict=False)
    return day.is_null() | day.is_between(*window)


def _check_header(path: Path, sniffed: Sniffed, names: list[str]) -> None:
    """Refuse, with what the file looks like and what was expected, a header that cannot be
    an ACLED export."""
    name = str(path)
    twice = duplicated_header(names)
    if twice:
        raise InputError(Problem(name, f"column {twice!r} appears more than once in the header", 1))
    missing = [c for c in REQUIRED if c not in names]
    if not missing:
        return
    present = set(names)
    looks = next((what for keys, what in LOOKALIKES if keys <= present), None)
    shown = ", ".join(sniffed.header[:12]) + (" ..." if len(names) > 12 else "")
    if looks is not None:
        msg = f"this looks like {looks}, not an ACLED export"
    else:
        unknown = sorted(present - set(COLUMNS))
        hints = "".join(did_you_mean(c, unknown) for c in missing)
        columns = plural(len(missing), "column", "columns")
        msg = f"missing required ACLED {columns} {', '.join(missing)}{hints}"
    raise InputError(
        Problem(name, f"{msg}; expected ACLED's export columns ({', '.join(REQUIRED)}, ...); "
                f"the header has: {shown}", 1)
    )  # fmt: skip


def _is_hxl_row(df: pl.DataFrame, columns: list[str]) -> bool:
    """HDX copies put a row of HXL hashtags (`#event+code`, `#date+occurred`) under the
    header: every field empty or a hashtag, and at least one hashtag."""
    if df.is_empty():
        return False
    first = [str(df[c][0]).strip() for c in columns]
    tags = [v for v in first if v]
    return bool(tags) and all(v.startswith("#") for v in tags)


def map_legacy_types(df: pl.DataFrame, legacy: dict[str, LegacyType]) -> tuple[pl.DataFrame, int]:
    """Rows typed with ACLED's pre-2019 event types, given current ones from the pack's table:
    a default per old type, refined by notes or actor type where the old type was coarser
    ("Remote violence" is an IED, an air strike or shelling). Returns the frame and how many
    rows were mapped."""
    old = pl.col("event_type")
    # "Violence against civilians" is a name in both typologies: only a row without a
    # sub-type is in the old one
    is_legacy = old.is_in(list(legacy)) & (pl.col("sub_event_type") == "")
    n = int(df.select(is_legacy.sum()).item()) if legacy else 0
    if not n:
        return df, 0
    new_type, new_sub = pl.lit(None, pl.String), pl.lit(None, pl.String)
    for name, spec in legacy.items():
        this_type, this_sub = pl.lit(spec.event_type), pl.lit(spec.sub_event_type)
        for ref in reversed(spec.refine):  # the first refinement that holds wins
            cond = _refinement_condition(ref.notes_matches, ref.inter1)
            this_type = (
                pl.when(cond).then(pl.lit(ref.event_type or spec.event_type)).otherwise(this_type)
            )
            this_sub = pl.when(cond).then(pl.lit(ref.sub_event_type)).otherwise(this_sub)
        new_type = pl.when(old == name).then(this_type).otherwise(new_type)
        new_sub = pl.when(old == name).then(this_sub).otherwise(new_sub)
    return (
        df.with_columns(
            pl.when(is_legacy).then(new_type).otherwise(old).alias("event_type"),
            pl.when(is_legacy)
            .then(new_sub)
            .otherwise(pl.col("sub_event_type"))
            .alias("sub_event_type"),
        ),
        n,
    )


def _refinement_condition(notes_matches: str | None, inter1: list[str] | None) -> pl.Expr:
    cond = pl.lit(True)
    if notes_matches:
        cond = cond & pl.col("notes").str.contains("(?i)" + notes_matches).fill_null(False)
    if inter1:
        codes = [c.strip().lower() for c in inter1]
        cond = cond & pl.col("inter1").str.strip_chars().str.to_lowercase().is_in(codes)
    return cond


def records_frame(records: list[dict[str, object]], name: str) -> pl.DataFrame:
    """The raw string table from dict rows (rule-pack test cases use this)."""
    rows = [{c: "" if r.get(c) is None else str(r.get(c)) for c in COLUMNS} for r in records]
    df = pl.DataFrame(rows, schema={c: pl.String for c in COLUMNS})
    return df.with_columns(
        pl.lit(name).alias("_file"), (pl.int_range(pl.len(), dtype=pl.Int64) + 2).alias("_row")
    )
