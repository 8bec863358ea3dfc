"""The incident revision log as columns: keys, de-duplication, the state known at an instant.

Every revision is kept as ACLED's raw string columns (the engine validates them on the way out,
so rejects are still reported) plus seven columns of the store's own:

- `_file`, `_row`: where the row came from (a file and its spreadsheet row, or an API page);
- `_source`: `file` or `acled-api`;
- `_ts`: ACLED's `timestamp` as a whole number, read as the engine reads it (empty = 0), -1 when
  it is not a usable number (the engine then rejects the row with its reason);
- `_hash`: sha256 of the row's raw columns joined by U+001F: the same revision imported twice
  has the same (event id, `_ts`, `_hash`) and is stored once;
- `_imported_at` (the store's timestamp format) and `_run`: when, and by which update.

Everything here works on whole columns (polars, and polars-hash for sha256): a first import of
a million rows is hashed in about a second, not a quarter of a minute one row at a time.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

import polars as pl
import polars_hash as plh

from ..ingest.acled import COLUMNS

EVENT = "event_id_cnty"
# A revision's identity. The hash covers every raw column, the event id and the timestamp
# included, so it alone tells revisions apart (event id and `_ts` follow from it).
KEY = "_hash"
OWN = {
    "_file": pl.String,
    "_row": pl.Int64,
    "_source": pl.String,
    "_ts": pl.Int64,
    "_hash": pl.String,
    "_imported_at": pl.String,
    "_run": pl.Int64,
}
SCHEMA = {c: pl.String for c in COLUMNS} | OWN
# Rows per stored batch: a batch is one Parquet blob in SQLite (about 25 MB at this size), well
# under SQLite's 1 GB limit on a value, and big enough that a long history is a few blobs.
BATCH_ROWS = 250_000
# How far ahead of the desk's clock an ACLED timestamp may be (clocks differ a little); a row
# beyond it would shadow every later revision of its event, and move the API cursor past them.
FUTURE_SKEW_S = 86_400


def ts_key() -> pl.Expr:
    """ACLED's `timestamp` as the engine reads it: empty is 0, an integer or a finite decimal
    is truncated to a whole number, anything else (text, inf, nan, 1e999) is -1."""
    t = pl.col("timestamp").str.strip_chars()
    as_float = t.cast(pl.Float64, strict=False)
    finite = as_float.is_finite() & (as_float.abs() < 9.2e18)
    from_float = pl.when(finite).then(as_float).cast(pl.Int64, strict=False)
    return (
        pl.when(t == "")
        .then(pl.lit(0, pl.Int64))
        .otherwise(pl.coalesce(t.cast(pl.Int64, strict=False), from_float, pl.lit(-1, pl.Int64)))
        .alias("_ts")
    )


def content() -> pl.Expr:
    """The raw columns joined by U+001F: its sha256 is the row's `_hash`, the value `hashlib`
    gives for "\\x1f".join(row), which is what stores of schema 2 hold (their keys carry over)."""
    return pl.concat_str([pl.col(c).fill_null("") for c in COLUMNS], separator="\x1f")


def keyed(raw: pl.DataFrame, source: str) -> pl.DataFrame:
    """A raw frame (COLUMNS, `_file`, `_row`) with `_source`, `_ts` and `_hash` added."""
    return (
        raw.lazy()
        .with_columns(content().alias("_content"), ts_key(), pl.lit(source).alias("_source"))
        .with_columns(plh.col("_content").chash.sha2_256().alias("_hash"))
        .drop("_content")
        .collect(engine="streaming")  # in morsels on every core: 10-20 % less than in one go
    )


def refuse_future(frame: pl.DataFrame, now_epoch: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Split off rows whose timestamp lies beyond the clock and its skew: (kept, refused)."""
    late = pl.col("_ts") > now_epoch + FUTURE_SKEW_S
    if not frame.select(late.any()).item():  # the usual case: no copy of the rows
        return frame, frame.clear()
    return frame.filter(~late), frame.filter(late)


def fresh(incoming: pl.DataFrame, known_keys: pl.DataFrame | None) -> pl.DataFrame:
    """The incoming rows not stored yet: one row per key (the first met, as files are read in
    name order), minus the keys the store holds."""
    # Distinct 64-bit prefixes prove the rows distinct, ten times faster than comparing the
    # hashes whole; only when some prefix repeats are the rows made unique on the whole hash.
    prefix = pl.col(KEY).str.slice(0, 16).str.to_integer(base=16, dtype=pl.UInt64)
    repeats = incoming.height > 1 and incoming.select(prefix.is_duplicated().any()).item()
    rows = incoming.unique(subset=KEY, keep="first", maintain_order=True) if repeats else incoming
    if known_keys is not None and known_keys.height:
        rows = rows.join(known_keys, on=KEY, how="anti", maintain_order="left")
    return rows


def stamped(rows: pl.DataFrame, now: str, run_id: int) -> pl.DataFrame:
    return rows.with_columns(
        pl.lit(now).alias("_imported_at"), pl.lit(run_id, pl.Int64).alias("_run")
    ).select(list(SCHEMA))


def empty() -> pl.DataFrame:
    return pl.DataFrame(schema=SCHEMA)


@dataclass
class Known:
    """Incidents as known at an instant: the raw frame the engine reads, and its digest."""

    frame: pl.DataFrame
    digest: str
    revisions: int


def current(revisions: pl.DataFrame, deletions: pl.DataFrame, at: str) -> Known:
    """The rows as known at `at`: per event, the revisions with the highest timestamp and,
    among those, the ones imported by the latest run (a corrected row whose timestamp did not
    change replaces the earlier one; rows of one import that tie, as in monadic exports, are
    all kept and the engine breaks the tie on content), minus events deleted by a deletion
    known then that is not older than that revision. `deletions` has `event_id`,
    `deleted_ts` and `imported_at`."""
    # chosen on the key columns, then the rows taken once (and not copied at all when every
    # row is current, as after a first import): each pass over all 38 columns costs time
    keys = revisions.select(EVENT, "_ts", "_run", "_imported_at").with_row_index("_i")
    keys = keys.filter(pl.col("_imported_at") <= at)
    keys = keys.filter(pl.col("_ts") == pl.col("_ts").max().over(EVENT))
    keys = keys.filter(pl.col("_run") == pl.col("_run").max().over(EVENT))
    known = revisions if keys.height == revisions.height else revisions[keys["_i"]]
    gone = (
        deletions.filter(pl.col("imported_at") <= at)
        .group_by("event_id")
        .agg(pl.col("deleted_ts").max())
        .rename({"event_id": EVENT})
    )
    if gone.height:
        known = known.join(gone, on=EVENT, how="left", maintain_order="left")
        known = known.filter(
            pl.col("deleted_ts").is_null() | (pl.col("deleted_ts") < pl.col("_ts"))
        ).drop("deleted_ts")
    order = known.select(EVENT, "_hash").sort(EVENT, "_hash")
    text = order.select(pl.col("_hash").str.join("\n")).item() if order.height else ""
    digest = "sha256:" + hashlib.sha256(text.encode()).hexdigest()
    return Known(known.select(*COLUMNS, "_file", "_row"), digest, known.height)


@dataclass
class Batch:
    """Revision rows as stored: one Parquet blob and what the store indexes it by."""

    rows: int
    first_imported_at: str
    last_imported_at: str
    data: bytes


def batches(frame: pl.DataFrame) -> list[Batch]:
    """Stamped revision rows as batches of at most `BATCH_ROWS` (polars encodes without the
    GIL: an update encodes while the engine assesses)."""
    out = []
    for start in range(0, frame.height, BATCH_ROWS):
        part = frame.slice(start, BATCH_ROWS)
        stamps = part["_imported_at"]
        out.append(Batch(part.height, str(stamps.min()), str(stamps.max()), encode(part)))
    return out


def encode(frame: pl.DataFrame) -> bytes:
    """A batch as stored: Parquet, zstd (a third of the size of lz4 here, and faster to read)."""
    out = io.BytesIO()
    frame.select(list(SCHEMA)).write_parquet(
        out, compression="zstd", compression_level=1, statistics=False
    )  # level 1: the same size here as the default 3, a sixth less time
    return out.getvalue()


def decode(blob: bytes, columns: list[str] | None = None) -> pl.DataFrame:
    return pl.read_parquet(io.BytesIO(blob), columns=columns)
