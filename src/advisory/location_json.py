"""The locations' records as JSON lines, straight from the scores' columns.

`assess -f json` only writes the records. At 10,000 locations making them as objects (about
150,000, drivers included) and serialising those took 0.5 s of one core, so this path builds
the same records as one polars table, drivers as nested lists, and polars encodes it on every
core. Like `score` and `score_table`, `records.location_objects` and `encoded_locations` are one
specification written twice: tests hold them to the very same bytes, and `assessment_json`
of the objects stays the reference.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from typing import BinaryIO

import numpy as np
import polars as pl

from .assessment import LINE_SEP
from .features import FeatureTable, RankedEvidence
from .narrative import CONTROL_WORDS
from .records import PS, RC, LocationRecords, control_status
from .scoring import TableScore, render_rows

_DRIVER = ("rule", "track", "hazard", "points", "decisive", "because", "incidents", "guidance")


def _evidence(
    score: TableScore, table: FeatureTable, loc: np.ndarray, bounds: list[int], ids: pl.Series
) -> pl.DataFrame:
    """(row, id): the evidence ids of every fired row, in the order `score` lists them (the
    rule's features in order, each one's ids in order), an id repeated in a row kept once.
    `ids` are the events' ids, which ranked evidence indexes by row.
    A ranked list never repeats an event; only the other rows are sorted and made unique."""
    parts: list[pl.DataFrame] = []
    for k in range(len(score.rules)):
        a, b = bounds[k], bounds[k + 1]
        if a == b:
            continue
        at = loc[a:b]
        found: list[object] = []
        for key in score.keys[k]:
            ev = table.evidence.get(key)
            if ev is not None and all(ev is not f for f in found):  # a repeat adds nothing
                found.append(ev)
        rows: list[np.ndarray] = []
        values: list[pl.Series] = []
        for ev in found:
            if isinstance(ev, RankedEvidence):
                if ev.event_ids.size != ids.len():
                    raise ValueError("ranked evidence indexes another table of events")
                lo = ev.starts[at]
                width = ev.starts[at + 1] - lo
                ends = np.cumsum(width)
                picks = np.repeat(lo - (ends - width), width) + np.arange(int(ends[-1]))
                values.append(ids.gather(ev.rows[picks]))
            else:
                lists = [ev[i] for i in at.tolist()]  # type: ignore[index]
                width = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
                values.append(pl.Series(list(chain.from_iterable(lists)), dtype=pl.String))
            rows.append(np.repeat(np.arange(a, b), width))
        if not rows:
            continue
        part = pl.DataFrame({"row": np.concatenate(rows), "id": pl.concat(values)})
        if len(rows) > 1 or not isinstance(found[0], RankedEvidence):
            part = part.sort("row", maintain_order=True).unique(keep="first", maintain_order=True)
        parts.append(part)
    if not parts:
        return pl.DataFrame(schema={"row": pl.Int64, "id": pl.String})
    return pl.concat(parts)  # rows ascending: the rules' rows follow one another


def _fired(
    score: TableScore, table: FeatureTable, track: str, guidance_ids: set[str], ids: pl.Series
) -> pl.DataFrame:
    """Every (rule, location) where a rule fired, as a driver struct, strongest first within
    each location (`FiredRows.strongest_first`)."""
    rule_of, loc = np.nonzero(score.fired)
    bounds = np.searchsorted(rule_of, np.arange(len(score.rules) + 1)).tolist()
    points = score.points[rule_of, loc]
    pts = points.tolist()
    because: list[str] = []
    for k, rule in enumerate(score.rules):
        a, b = bounds[k], bounds[k + 1]
        if a < b:
            because += render_rows(rule.because, table, loc[a:b].tolist(), pts[a:b])
    evidence = _evidence(score, table, loc, bounds, ids)
    guide = pl.col("id").is_in(list(guidance_ids))
    lists = evidence.group_by("row", maintain_order=True).agg(
        pl.col("id").filter(~guide).alias("incidents"), pl.col("id").filter(guide).alias("guidance")
    )
    empty = pl.lit([], dtype=pl.List(pl.String))
    frame = (
        pl.DataFrame(
            {
                "loc": loc,
                "rule": pl.Series([r.id for r in score.rules]).gather(rule_of),
                "track": pl.Series([track] * len(rule_of), dtype=pl.String),
                "hazard": pl.Series([r.hazard for r in score.rules], dtype=pl.String).gather(
                    rule_of
                ),
                "points": points,
                "decisive": score.decisive[rule_of, loc],
                "because": pl.Series(because, dtype=pl.String),
            }
        )
        .with_row_index("row")
        .with_columns(pl.col("row").cast(pl.Int64))
        .join(lists, on="row", how="left", maintain_order="left")
        .with_columns(pl.col("incidents").fill_null(empty), pl.col("guidance").fill_null(empty))
    )
    return frame.sort(["loc", "points", "rule"], descending=[False, True, False]).select(
        "loc", pl.struct(_DRIVER).alias("driver")
    )


def _grouped(frame: pl.DataFrame, by: str, n: int, name: str) -> pl.Series:
    """`frame`'s other column as one list per value of `by` (0 to n - 1, in row order
    within each); a value with no rows gets an empty list."""
    value = next(c for c in frame.columns if c != by)
    grouped = frame.group_by(by, maintain_order=True).agg(pl.col(value).alias(name))
    every = pl.DataFrame({by: pl.Series(np.arange(n, dtype=np.int64)).cast(frame.schema[by])})
    joined = every.join(grouped, on=by, how="left", maintain_order="left")
    return joined.select(pl.col(name).fill_null(pl.lit([], dtype=grouped.schema[name])))[name]


def _first(ps: pl.DataFrame, n: int) -> pl.Series:
    """The sentence of each location's strongest personal-security driver (null if none)."""
    firsts = ps.unique("loc", keep="first", maintain_order=True).select(
        "loc", pl.col("driver").struct.field("because")
    )
    return _grouped(firsts, "loc", n, "top").list.first()


def _string_lists(lists: list[list[str]], name: str) -> pl.Series:
    """Python lists of strings as a list column: flattened first, as polars builds a list
    column from 10,000 small Python lists slowly (0.05-0.14 s against 0.01 s)."""
    width = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    flat = pl.Series("v", list(chain.from_iterable(lists)), dtype=pl.String)
    frame = pl.DataFrame({"i": np.repeat(np.arange(len(lists), dtype=np.int64), width), "v": flat})
    return _grouped(frame, "i", len(lists), name)


def write_lines(lines: pl.DataFrame, out: BinaryIO) -> None:
    """One-column `lines` (`encoded_locations`) written to `out`, joined as `assessment_json`
    joins them. polars' CSV writer serves as the line writer (no quoting, the separator as the
    line end, none after the last line); given a file, it writes to its descriptor itself,
    with no 38 MB buffer made first and copied (0.11 -> 0.07 s at 10,000 locations)."""
    plain = {"include_header": False, "quote_style": "never"}
    lines.head(lines.height - 1).write_csv(out, line_terminator=LINE_SEP.decode(), **plain)
    lines.tail(1).write_csv(out, line_terminator="", **plain)


def encoded_locations(rec: LocationRecords) -> pl.DataFrame:
    """What `records.location_objects` makes, as JSON (pydantic's bytes): one string column,
    a record a row, in the locations' order."""
    pack, gaz, table, regime, sc = rec.pack, rec.gaz, rec.table, rec.regime, rec.scoring
    statuses, in_force, guidance_ids, event_ids = (
        rec.statuses, rec.in_force, rec.guidance_ids, rec.event_ids,
    )  # fmt: skip
    n_loc = len(gaz.places)
    labels = {k: pack.label(k) for k in range(1, len(pack.info.levels) + 1)}
    label = pl.Series("label", [labels[k] for k in sorted(labels)], dtype=pl.String)
    places = gaz.places

    def word(levels: Sequence[int] | np.ndarray) -> pl.Series:
        return label.gather(np.asarray(levels, dtype=np.int64) - 1)

    hz_fired = {h: _fired(s, table, PS, guidance_ids, event_ids) for h, s in sc.hazards.items()}
    rc_fired = _fired(sc.regime, regime, RC, guidance_ids, event_ids)
    ps_all = pl.concat(list(hz_fired.values())).sort(
        ["loc", pl.col("driver").struct.field("points"), pl.col("driver").struct.field("rule")],
        descending=[False, True, False],
        maintain_order=True,
    )
    rc_lists = _grouped(rc_fired, "loc", n_loc, "rc")
    both = pl.concat([ps_all, rc_fired]).sort("loc", maintain_order=True)  # each: ps, then rc
    all_lists = _grouped(both, "loc", n_loc, "drivers")
    hazards = [
        pl.DataFrame(
            [
                pl.Series("score", s.score, dtype=pl.Float64),
                pl.Series("level", s.level, dtype=pl.Int64),
                word(s.level),
                pl.Series("likelihood_30d", sc.likelihood[h], dtype=pl.Float64),
                pl.Series("estimative", sc.estimative[h], dtype=pl.String),
                _grouped(hz_fired[h], "loc", n_loc, "drivers"),
            ]
        )
        .select(pl.struct(pl.all()).alias(h))
        .to_series()
        for h, s in sc.hazards.items()
    ]
    status = control_status(statuses, n_loc)
    conf = rec.confidence.result()  # worked out beside the drivers so far (`LocationRecords`)
    lower = pl.Series([labels[k].lower() for k in sorted(labels)], dtype=pl.String)
    hz_text = pl.concat_str(
        [pl.lit(f"{h} ") + lower.gather(s.level - 1) for h, s in sc.hazards.items()],
        separator=", ",
    )
    frame = pl.DataFrame(
        {
            "id": [p.id for p in places],
            "name": [p.name for p in places],
            "kind": [p.kind for p in places],
            "admin1": pl.Series([p.admin1 for p in places], dtype=pl.String),
            "road": pl.Series([p.road for p in places], dtype=pl.String),
            "ps_level": pl.Series(sc.ps_level, dtype=pl.Int64),
            "ps_label": word(sc.ps_level),
            "rc_level": pl.Series(sc.regime.level, dtype=pl.Int64),
            "rc_label": word(sc.regime.level),
            "rc_score": pl.Series(sc.regime.score, dtype=pl.Float64),
            "control_status": pl.Series(status, dtype=pl.String),
            "control_words": [CONTROL_WORDS[s] for s in status],
            "confidence": pl.Series(conf.word, dtype=pl.String),
            "events": pl.Series(conf.events, dtype=pl.Int64),
            "sources": pl.Series(conf.sources, dtype=pl.Int64),
            "latest_days": pl.Series(conf.latest_days, dtype=pl.Int64),
            "precise_share": pl.Series(conf.precise_share, dtype=pl.Float64),
            "decided_by": _string_lists(sc.decided_by, "decided_by"),
            "guidance_in_force": _string_lists(in_force, "guidance_in_force"),
        }
    ).with_columns(rc_lists, all_lists, pl.struct(hazards).alias("hazards"), _first(ps_all, n_loc))
    top = pl.col("top")
    lead = pl.when(top.is_not_null() & (top != "")).then(
        pl.concat_str(pl.lit(" Main driver: "), top, pl.lit("."))
    )
    bottom = pl.concat_str(
        pl.lit("Personal security at "), "name", pl.lit(" is "), "ps_label",
        pl.lit(" ("), hz_text, pl.lit(")."), lead.otherwise(pl.lit("")),
        pl.lit(" Regime collapse is "), "rc_label", pl.lit(": "), "control_words", pl.lit("."),
    )  # fmt: skip
    record = pl.struct(
        "id",
        "name",
        "kind",
        "admin1",
        "road",
        pl.struct(
            pl.col("ps_level").alias("level"),
            pl.col("ps_label").alias("label"),
            pl.lit(sc.method, dtype=pl.String).alias("method"),
            "decided_by",
            "hazards",
        ).alias("personal_security"),
        pl.struct(
            pl.col("rc_level").alias("level"),
            pl.col("rc_label").alias("label"),
            pl.col("rc_score").alias("score"),
            "control_status",
            pl.col("rc").alias("drivers"),
        ).alias("regime_collapse"),
        "confidence",
        pl.struct("events", "sources", "latest_days", "precise_share").alias("confidence_basis"),
        "guidance_in_force",
        "drivers",
        bottom.alias("bottom_line"),
    )
    # collected lazily, polars encodes in batches on every core (eagerly, on one: 0.1 s
    # against 0.05 s at 10,000 locations)
    return frame.lazy().select(record.struct.json_encode()).collect()
