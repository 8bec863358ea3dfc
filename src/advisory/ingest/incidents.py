"""From raw export rows to one validated, de-duplicated table of events.

Columns are checked as whole columns (polars expressions), never row by row in Python. Every
row that cannot be used is kept with its file, row number, field and reason for the rejects
file. Then rows of one event are merged, across files:

- the same row twice (repeated or overlapping files) counts once (`duplicates_merged`);
- a newer `timestamp` replaces older rows of the event (ACLED revises rows; `revisions_replaced`);
- two rows of one event with the same timestamp, each naming one actor and no `actor2`, are a
  *monadic* pair (ACLED's one-row-per-actor exports) and become one dyadic event: the attacker as
  `actor1` (civilians are never the attacker; otherwise the pair's first row, as ACLED writes
  them), the other as `actor2` (`monadic_pairs_merged`).

Only then are events after `--as-of` and before the rule pack's look-back set aside (counted):
a revision may move an event's date in or out of the window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import polars as pl

from ..errors import InputError, Problem
from ..rulepack.model import LegacyType, UcdpGed
from ..text import plural
from .acled import COLUMNS, Export, read_export
from .fields import typed
from .rejects import first_failing
from .sources import INCIDENT_SUFFIXES, InputDigest, expand
from .ucdp import check_sources

REJECT_COLUMNS = ("_file", "_row", "_field", "_reason")
CIVILIANS = ("civilians",)  # the actor type that is never the attacker of a monadic pair
# Beyond the outermost events, degrees of slack before a pair counts as outside the data's area
AREA_MARGIN_DEG = 1.0


@dataclass
class Incidents:
    """Usable events (typed columns) plus everything that was set aside, and why."""

    frame: pl.DataFrame
    rejects: pl.DataFrame
    inputs: list[InputDigest] = field(default_factory=list)
    rows_read: int = 0
    after_as_of: int = 0
    before_window: int = 0
    duplicates: int = 0
    revisions: int = 0
    monadic_pairs: int = 0
    conflicts: int = 0  # same event and timestamp, different content: one kept (named)
    window_start: date | None = None
    notes: list[str] = field(default_factory=list)
    newest: date | None = None  # the newest usable event on or before as-of

    def reject_reasons(self) -> dict[str, int]:
        if self.rejects.is_empty():
            return {}
        counts = (
            self.rejects.group_by("_reason")
            .len()
            .sort(["len", "_reason"], descending=[True, False])
        )
        return dict(zip(counts["_reason"].to_list(), counts["len"].to_list(), strict=True))

    def summary(self) -> dict[str, object]:
        return {
            "rows_read": self.rows_read,
            "used": self.frame.height,
            "rejected": self.rejects.height,
            "rejected_by_reason": self.reject_reasons(),
            "after_as_of_ignored": self.after_as_of,
            "before_window_ignored": self.before_window,
            "duplicates_merged": self.duplicates,
            "revisions_replaced": self.revisions,
            "monadic_pairs_merged": self.monadic_pairs,
            "same_timestamp_conflicts": self.conflicts,
            "newest_event": self.newest.isoformat() if self.newest else None,
            "illustrative": self.illustrative(),
            "notes": list(self.notes),
        }

    def illustrative(self) -> bool:
        """Whether every event is tagged as illustrative (the shipped demo data is), so that
        what is printed from it says so."""
        tags = self.frame["tags"]
        return bool(
            tags.len() and tags.str.to_lowercase().str.contains("illustrative", literal=True).all()
        )


Area = tuple[float, float, float, float]  # min lat, min lon, max lat, max lon


def _area(frame: pl.DataFrame, fallback: Area | None) -> Area | None:
    """Where the data's events are (1st-99th percentile of each coordinate, with a margin):
    a row outside it whose reversed pair falls inside has its coordinates swapped. With too
    few rows to say, the places' extent (`fallback`) stands in."""
    ok = frame.select("lat", "lon").filter(
        pl.col("lat").is_between(-90, 90) & pl.col("lon").is_between(-180, 180)
        & ~((pl.col("lat") == 0) & (pl.col("lon") == 0))
    )  # fmt: skip
    if ok.height < 20:  # too few to say where the data is
        return fallback
    q = ok.select(
        pl.col("lat").quantile(0.01).alias("a0"), pl.col("lat").quantile(0.99).alias("a1"),
        pl.col("lon").quantile(0.01).alias("o0"), pl.col("lon").quantile(0.99).alias("o1"),
    ).row(0)  # fmt: skip
    m = AREA_MARGIN_DEG
    return q[0] - m, q[2] - m, q[1] + m, q[3] + m


def _checks(area: Area | None) -> list[tuple[pl.Expr, str, str]]:
    """(condition that rejects a row, field, reason), in the order they are reported."""
    if area is not None:
        a0, o0, a1, o1 = area
        inside = pl.col("lat").is_between(a0, a1) & pl.col("lon").is_between(o0, o1)
        reversed_inside = pl.col("lon").is_between(a0, a1) & pl.col("lat").is_between(o0, o1)
        swapped = ~inside & reversed_inside
    else:
        swapped = pl.lit(False)
    return [
        (pl.col("event_id_cnty") == "", "event_id_cnty", "empty event_id_cnty"),
        (pl.col("date").is_null(), "event_date",
         "unparseable or impossible event_date (expected 2025-11-07 or 07 November 2025)"),
        (pl.col("lat").is_null(), "latitude", "latitude is not a number"),
        (pl.col("lon").is_null(), "longitude", "longitude is not a number"),
        (~pl.col("lat").is_between(-90, 90), "latitude", "latitude out of range -90..90"),
        (~pl.col("lon").is_between(-180, 180), "longitude", "longitude out of range -180..180"),
        ((pl.col("lat") == 0) & (pl.col("lon") == 0), "latitude", "coordinates are 0,0 (missing?)"),
        (swapped, "latitude",
         "latitude and longitude look swapped (they fit the data's area reversed)"),
        (~pl.col("precision").is_in([1, 2, 3]) | pl.col("precision").is_null(), "geo_precision",
         "geo_precision must be 1, 2 or 3"),
        (pl.col("fatalities_n").is_null() | (pl.col("fatalities_n") < 0), "fatalities",
         "fatalities must be a whole number >= 0"),
        (pl.col("timestamp_n").is_null() | (pl.col("timestamp_n") < 0), "timestamp",
         "timestamp must be a whole number of Unix seconds"),
    ]  # fmt: skip


def validate(raw: pl.DataFrame, area: Area | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(valid rows, typed; rejected rows with `_field` and `_reason`). The first failing
    check names the row's problem."""
    t = typed(raw)
    checks = _checks(_area(t, area))
    bad = t.select(pl.any_horizontal([cond.fill_null(True) for cond, _, _ in checks])).to_series()
    field_expr, reason_expr = first_failing(checks)
    rejects = t.filter(bad).with_columns(field_expr.alias("_field"), reason_expr.alias("_reason"))
    valid = t.filter(~bad) if bad.any() else t  # a clean million rows is not copied
    return valid, rejects.select(*COLUMNS, *REJECT_COLUMNS)


@dataclass
class Merged:
    frame: pl.DataFrame
    duplicates: int
    revisions: int
    monadic_pairs: int
    conflicts: int


def merge_rows(valid: pl.DataFrame, several: pl.Series) -> Merged:
    """One row per event: duplicates dropped, revisions replaced, monadic pairs merged. Only
    the rows of events that have `several` rows are compared (most events have one row: at a
    million rows, 0.3 s instead of 2.5 s)."""
    alone = valid.filter(~several) if several.any() else valid
    content = pl.concat_str([pl.col(c) for c in COLUMNS], separator="\x1f")
    v = valid.filter(several).with_columns(content.hash().alias("_content"))
    unique = v.unique(
        ["event_id_cnty", "timestamp_n", "_content"], keep="first", maintain_order=True
    )
    duplicates = v.height - unique.height
    latest = unique.filter(
        pl.col("timestamp_n") == pl.col("timestamp_n").max().over("event_id_cnty")
    )
    revisions = unique.height - latest.height
    n_rows = pl.len().over("event_id_cnty")
    one_actor = (pl.col("actor2") == "") & (pl.col("actor1") != "")
    pairable = (n_rows == 2) & one_actor.all().over("event_id_cnty")
    pairable = pairable & (pl.col("actor1").n_unique().over("event_id_cnty") == 2)
    latest = latest.with_columns(n_rows.alias("_n"), pairable.alias("_pair"))
    pairs = _merge_pairs(latest.filter(pl.col("_pair")))
    others = latest.filter(~pl.col("_pair"))
    # rows of one event with the same timestamp that are not a pair: one is kept, by content
    kept = others.sort(["event_id_cnty", "_content"], descending=[False, True]).unique(
        "event_id_cnty", keep="first", maintain_order=True
    )
    conflicts = others.height - kept.height
    cols = [c for c in valid.columns if not c.startswith("_") or c in ("_file", "_row")]
    frame = pl.concat([alone.select(cols), kept.select(cols), pairs.select(cols)])
    return Merged(frame, duplicates, revisions, pairs.height, conflicts)


def _merge_pairs(rows: pl.DataFrame) -> pl.DataFrame:
    """Each monadic pair as one dyadic row: the attacker's row keeps its columns and takes
    the other row's actor as `actor2` (and its associates and type)."""
    if rows.is_empty():
        return rows
    civilian = pl.col("inter1").str.to_lowercase().is_in(list(CIVILIANS))
    ordered = rows.sort(
        [pl.col("event_id_cnty"), civilian, pl.col("_file"), pl.col("_row")], maintain_order=True
    )
    first = ordered.unique("event_id_cnty", keep="first", maintain_order=True)
    second = ordered.unique("event_id_cnty", keep="last", maintain_order=True).select(
        "event_id_cnty",
        pl.col("actor1").alias("_actor2"),
        pl.col("assoc_actor_1").alias("_assoc2"),
        pl.col("inter1").alias("_inter2"),
    )
    return first.join(second, on="event_id_cnty", how="left").with_columns(
        pl.col("_actor2").alias("actor2"),
        pl.col("_assoc2").alias("assoc_actor_2"),
        pl.col("_inter2").alias("inter2"),
    )


def window(as_of: date | None, lookback_days: int | None) -> tuple[date, date] | None:
    """The first and last day of the events an assessment at `as_of` uses (age below
    `lookback_days`); None when either is not known."""
    if as_of is None or lookback_days is None:
        return None
    return as_of - timedelta(days=lookback_days - 1), as_of


def _set_aside(
    events: pl.DataFrame, as_of: date | None, lookback_days: int | None
) -> tuple[pl.DataFrame, int, int, date | None, date | None]:
    """(the events of the window, how many were after `as_of`, how many before the window,
    its first day, the newest event on or before `as_of`). Without `as_of`, the window ends
    on the newest event."""
    dates, none = events["date"], pl.repeat(False, events.height, eager=True)
    late = dates > as_of if as_of is not None else none
    newest = dates.filter(~late).max()
    newest = newest if isinstance(newest, date) else None
    span = window(as_of or newest, lookback_days)
    old = dates < span[0] if span is not None else none
    after, before = int(late.sum()), int((old & ~late).sum())
    # a mask, not an expression: `filter(expression)` copied every column (0.4 GB at 1M rows)
    kept = events.filter(~(late | old)) if after or before else events
    return kept, after, before, span[0] if span else None, newest


# Rows read again whole, from their `_file` and `_row` (the rows a window read without text)
Reread = Callable[[pl.DataFrame], pl.DataFrame]


def normalise(
    raw: pl.DataFrame,
    as_of: date | None,
    lookback_days: int | None,
    digests: list[InputDigest] | None = None,
    area: Area | None = None,
    reread: Reread | None = None,
) -> Incidents:
    """Validated, merged events; those after `as_of` and older than `lookback_days` before it
    are counted and set aside. Without `as_of`, the latest event's date is the as-of. `area`
    (the places' extent) tells swapped coordinates when the data is too small to. Rows read
    without their text (null `notes`: outside the window) are read again by `reread` when
    they turn out to be shown: rejected, or compared with other rows of their event."""
    valid, rejects = validate(raw, area)
    several = _several(valid["event_id_cnty"])  # once, for the text read again and the merge
    if reread is not None:
        valid = _with_text(valid, several, reread)
        rejects = _with_text(rejects, pl.repeat(True, rejects.height, eager=True), reread)
    merged = merge_rows(valid, several)
    events, after, before, start, newest = _set_aside(merged.frame, as_of, lookback_days)
    frame = events.select(
        pl.col("event_id_cnty").alias("event_id"),
        "date", "lat", "lon",
        pl.col("precision").cast(pl.Int8),
        pl.col("fatalities_n").alias("fatalities"),
        pl.col("timestamp_n").alias("timestamp"),
        *[c for c in COLUMNS if c not in ("event_id_cnty", "fatalities", "timestamp")],
    ).sort("event_id")  # a stable order whatever the order of the files  # fmt: skip
    return Incidents(
        frame=frame,
        rejects=rejects,
        inputs=digests or [],
        rows_read=raw.height,
        after_as_of=after,
        before_window=before,
        duplicates=merged.duplicates,
        revisions=merged.revisions,
        monadic_pairs=merged.monadic_pairs,
        conflicts=merged.conflicts,
        window_start=start,
        newest=newest,
    )


def _several(ids: pl.Series) -> pl.Series:
    """Whether each row's event id is on other rows too. The ids' 64-bit hashes are compared
    first, and only the ids whose hash repeats are compared as text: equal ids hash alike (at
    a million ids, 0.09 s of CPU instead of 0.19 s)."""
    maybe = ids.hash().is_duplicated()
    if not maybe.any():
        return maybe
    rows = maybe.arg_true()
    return maybe.scatter(rows, ids.gather(rows).is_duplicated())


def _with_text(rows: pl.DataFrame, shown: pl.Series, reread: Reread) -> pl.DataFrame:
    """`rows` with the text of those `shown` that lack it read again, in place (the order
    and the rows are kept: `shown` still lines up with the result)."""
    lacking = shown & rows["notes"].is_null()
    wanted = rows.select("_file", "_row").filter(lacking).unique()
    if wanted.is_empty():
        return rows
    return rows.update(reread(wanted), on=["_file", "_row"], maintain_order="left")


def _rereader(files: list[Path], legacy: dict[str, LegacyType], ged: UcdpGed | None) -> Reread:
    """Rows of `files` read again whole: a second pass through the files named, for the few
    old rows that are rejected or have other rows of their event."""
    paths = {str(f): f for f in files}

    def reread(rows: pl.DataFrame) -> pl.DataFrame:
        parts = rows.partition_by("_file", as_dict=True)
        return pl.concat(
            read_export(paths[str(name)], legacy, ged, rows=part["_row"].to_list()).frame
            for (name,), part in parts.items()
        )

    return reread


def read_incidents(
    paths: list[Path] | tuple[Path, ...],
    legacy: dict[str, LegacyType],
    as_of: date | None,
    lookback_days: int | None,
    area: Area | None = None,
    *,
    ged: UcdpGed | None = None,
    mix_sources: bool = False,
) -> Incidents:
    """Read, validate and merge ACLED or UCDP GED exports (files or directories of `*.csv`);
    both in one run only with `mix_sources` (they record the same events twice)."""
    files = expand(list(paths), INCIDENT_SUFFIXES, "incident")
    if not files:  # an assessment of no data would read as an all-clear
        raise InputError(Problem("--incidents", "no incident file given"))
    looked = window(as_of, lookback_days)
    exports = [read_export(f, legacy, ged, looked) for f in files]
    mixed = check_sources([(e.digest.path, e.variant) for e in exports], mix_sources)
    raw = pl.concat([e.frame for e in exports], how="vertical")
    reread = _rereader(files, legacy, ged)
    inc = normalise(raw, as_of, lookback_days, [e.digest for e in exports], area, reread)
    set_aside = [e.rejects for e in exports if e.rejects is not None and e.rejects.height]
    if set_aside:  # rows a format's reader refused (GED precision) join the other rejects
        inc.rejects = pl.concat([*set_aside, inc.rejects], how="vertical")
        inc.rows_read += sum(r.height for r in set_aside)
    inc.notes.extend([*mixed, *(note for e in exports for note in export_notes(e))])
    return inc


def export_notes(e: Export) -> list[str]:
    """What was done to a file on the way in, in words for the summary."""
    name, out = e.digest.path, []
    if e.hxl_row:
        out.append(f"{name}: HXL tag row (HDX copy) skipped")
    if e.legacy_rows:
        rows = plural(e.legacy_rows, "row", "rows")
        out.append(
            f"{name}: {e.legacy_rows} {rows} in ACLED's pre-2019 event types, mapped to current "
            "types (rules: formats.yaml)"
        )
    out.extend(e.notes)
    if e.blank_rows:
        out.append(f"{name}: {e.blank_rows} blank {plural(e.blank_rows, 'row', 'rows')} skipped")
    if e.renumbered:
        out.append(f"{name}: row numbers count rows without the blank lines cut out")
    return out
