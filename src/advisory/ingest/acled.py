"""Read ACLED CSV exports into one columnar, validated, de-duplicated table.

Columns are checked as whole columns (polars expressions), never row by row in Python, because
the same reader has to take a multi-country history of millions of rows. `advisory assess` parses
in two steps (`parse_incidents(..., checked_first=True)`): the checked columns of every row, then
every column of the rows it keeps. Every row that cannot be used is kept, with its file, row
number, field and reason, for the rejects file.
"""

from __future__ import annotations

import io
import mmap
from collections.abc import Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import polars as pl

from ..errors import InputError, Problem
from ..text import did_you_mean
from .sources import INCIDENT_SUFFIXES, FileDigest, InputDigest, expand

if TYPE_CHECKING:
    import numpy as np

# ACLED's export columns, in its order (older exports lack disorder_type, civilian_targeting
# and tags; they may carry data_id, event_id_no_cnty or iso3, which are ignored).
EXPORT_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip
REQUIRED = (
    "event_id_cnty",
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "latitude",
    "longitude",
    "geo_precision",
)
OPTIONAL = tuple(c for c in EXPORT_COLUMNS if c not in REQUIRED)
COLUMNS = REQUIRED + OPTIONAL
# What every row is checked on. `parse_incidents(..., checked_first=True)` parses only these for
# every row, and every column only for the rows that are kept (see `_kept_rows`): the look-back
# leaves out most of a long history, and the notes are most of a file's bytes.
CHECKED = (
    "event_id_cnty", "event_date", "latitude", "longitude", "geo_precision", "fatalities",
    "timestamp",
)  # fmt: skip
# Columns kept trimmed in the output: ids (trimmed on reading: every row is checked and
# de-duplicated on them), and the actors that anchored patterns read (trimmed on the rows that
# are kept). Other fields are trimmed where they are parsed or compared (numbers, dates,
# exact-value lists), not copied trimmed: at a million rows each trimmed copy costs time.
TRIMMED_ACTORS = ("actor1", "actor2", "assoc_actor_2")

# ACLED's legacy numeric actor-type codes (codebook); newer exports write the text.
INTER_CODES = {
    "0": "",
    "1": "State forces",
    "2": "Rebel group",
    "3": "Political militia",
    "4": "Identity militia",
    "5": "Rioters",
    "6": "Protesters",
    "7": "Civilians",
    "8": "External/Other forces",
}
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y")

REJECT_COLUMNS = ("_file", "_row", "_field", "_reason")
# Rejected rows cut out of a file at most (see `_rejected_rows`); beyond that many a whole read
# is quicker (at a million rows: 100 rows cut in 0.5 s, 100,000 in 1.0 s; a whole read 0.9-1.7 s)
MAX_CUT_ROWS = 100_000


class Parsed(NamedTuple):
    table: pl.DataFrame  # every file's rows, raw strings, in the standard columns (or CHECKED)
    digests: list[InputDigest]


@dataclass
class Incidents:
    """Usable events (typed columns) plus everything that was set aside, and why."""

    frame: pl.DataFrame
    rejects: pl.DataFrame
    inputs: list[InputDigest] = field(default_factory=list)
    rows_read: int = 0
    after_as_of: int = 0
    duplicates: int = 0
    before_window: int = 0  # valid rows older than the rule pack's look-back, not assessed
    window_start: date | None = None

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
        }


def _not_utf8(raw: bytes, name: str) -> None:
    """Raise a located error if the bytes are not UTF-8 (only called once reading failed)."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            Problem(
                name,
                f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); re-export the file as UTF-8",
                line,
            )
        ) from exc


def _blank(path: Path) -> bool:
    """True when the file holds nothing but whitespace (looked at without reading it all)."""
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            if not chunk.isspace():
                return False
    return True


def _read_one(path: Path) -> tuple[pl.DataFrame, InputDigest]:
    """One export with its `_file` and `_row` columns, actors trimmed: the desk's store keeps
    rows as they will be assessed, with where they came from."""
    df, digest = _read_csv(path)
    df = df.with_columns(pl.col(c).str.strip_chars() for c in TRIMMED_ACTORS)
    return with_origin(df, digest.path), digest


def with_origin(df: pl.DataFrame, name: str) -> pl.DataFrame:
    return df.with_columns(
        pl.lit(name).alias("_file"),
        (pl.int_range(pl.len(), dtype=pl.Int64) + 2).alias("_row"),  # spreadsheet row numbers
    )


def _standard_name(header: str) -> str:
    return header.strip().lower().lstrip("\ufeff")


def _read_csv(
    path: Path, columns: tuple[str, ...] = COLUMNS, digest: FileDigest | None = None
) -> tuple[pl.DataFrame, InputDigest]:
    """One export as string columns in the standard order, only `columns` of them (absent
    optional ones as empty strings). No per-row columns are added: a column built whole (a
    literal, a range) is chunked unlike the parsed ones, and then every later expression on the
    table first re-chunks all of it (0.25 s and 0.5 GB a time at a million rows). Rejected rows
    get their file and row from the files' offsets (`_origin`). `digest` is the file's hash
    if it is already under way (`sources.hash_early`)."""
    name = str(path)
    if _blank(path):
        raise InputError(
            Problem(name, "empty file: expected an ACLED CSV export with a header row")
        )
    # hashed in the background: needed only for the provenance, at the end
    digest = digest if digest is not None else FileDigest(path)
    try:
        df = _read_table(path, columns)
    except InputError:
        if set(COLUMNS) <= set(columns):
            raise
        # polars words a malformed file differently when it parses some columns only: the
        # whole read gives the message every command gives (and decides, should they differ)
        df = _read_table(path).select(c for c in COLUMNS if c in columns)
    return df, InputDigest("incidents", name, digest, df.height)


def _read_table(
    path: Path,
    columns: tuple[str, ...] = COLUMNS,
    rows: tuple[int, int] | None = None,
    data: bytes | None = None,
) -> pl.DataFrame:
    """`_read_csv`'s table; `rows` (first, count) reads only those data rows; `data` is read
    in place of the file (a header and rows cut out of it), every column of it."""
    name = str(path)
    headers = _headers_of(path, columns) if data is None else None
    first, count = rows if rows is not None else (0, None)
    try:
        df = pl.read_csv(
            io.BytesIO(data) if data is not None else path,
            infer_schema=False,
            empty_string_is_null=False,
            columns=headers,
            skip_rows_after_header=first,
            n_rows=count,
        )
    except Exception as exc:  # polars raises several error types for malformed CSV
        _not_utf8(data if data is not None else path.read_bytes(), name)  # find the line
        msg = str(exc).strip().splitlines()[0]
        raise InputError(Problem(name, f"not a readable CSV file: {msg}")) from exc
    names = [_standard_name(c) for c in df.columns]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise InputError(
            Problem(name, f"column {twice[0]!r} appears more than once in the header", 1)
        )
    df = df.rename(dict(zip(df.columns, names, strict=True)))
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing and headers is None:  # (the header read apart had them all)
        unknown = sorted(set(df.columns) - set(COLUMNS))  # only headers we could not place
        hints = "".join(did_you_mean(c, unknown) for c in missing)
        raise InputError(
            Problem(
                name,
                f"missing required column(s) {', '.join(missing)}{hints}; "
                f"the header has: {', '.join(df.columns[:12])}{' ...' if df.width > 12 else ''}",
                1,
            )
        )
    # Absent optional columns are empty strings, derived from a parsed column so that they
    # are chunked like it (see above); nulls are filled just below.
    wanted = [c for c in COLUMNS if c in columns]
    df = df.with_columns(
        pl.col(REQUIRED[0]).str.head(0).alias(c) for c in wanted if c not in df.columns
    )
    df = df.select(wanted)
    df = df.with_columns(pl.col(c).fill_null("") for c in wanted if df[c].null_count())
    return df.with_columns(pl.col("event_id_cnty").str.strip_chars())


def _headers_of(path: Path, columns: tuple[str, ...]) -> list[str] | None:
    """The file's own header names for `columns`, for polars to parse only those; None (parse
    everything) when all are wanted, or when the header cannot be read apart or names a column
    twice: the whole read then reports what is wrong as usual. Only the header row is read."""
    if set(COLUMNS) <= set(columns):
        return None
    try:
        header = pl.read_csv(path, n_rows=0, infer_schema=False).columns
    except Exception:  # reported by the whole read
        return None
    names = [_standard_name(h) for h in header]
    if len(set(names)) < len(names) or any(c not in names for c in REQUIRED):
        return None
    return [h for h, n in zip(header, names, strict=True) if n in columns]


def read_incidents(
    paths: list[Path] | tuple[Path, ...],
    as_of: date | None,
    area: tuple[float, float, float, float] | None = None,
    lookback_days: int | None = None,
) -> Incidents:
    """Read, validate and merge ACLED exports; `area` (min_lat, min_lon, max_lat, max_lon)
    is the gazetteer's extent, used only to recognise swapped coordinates; `lookback_days`
    as in `normalise`."""
    return check_incidents(parse_incidents(paths), as_of, area, lookback_days)


def parse_incidents(
    paths: list[Path] | tuple[Path, ...],
    checked_first: bool = False,
    hashing: Mapping[Path, FileDigest] | None = None,
) -> list[Parsed]:
    """The first half of `read_incidents`: the files parsed, nothing checked. polars does it
    without holding the GIL, so the engine loads the rules and places meanwhile. The result
    is a one-item list that `check_incidents` empties (see `normalise`). With `checked_first`
    only the `CHECKED` columns are parsed here; `normalise` reads the rest for the rows kept.
    `hashing` holds digests already started (`sources.hash_early`), by file."""
    files = expand(paths, INCIDENT_SUFFIXES, "incident")
    columns = CHECKED if checked_first else COLUMNS
    frames, digests = [], []
    for f in files:
        df, digest = _read_csv(f, columns, (hashing or {}).get(f))
        frames.append(df)
        digests.append(digest)
    table = pl.concat(frames, how="vertical") if frames else _empty_raw().select(columns)
    frames.clear()
    return [Parsed(table, digests)]


def start_parsing(
    paths: list[Path] | tuple[Path, ...],
    checked_first: bool = False,
    hashing: Mapping[Path, FileDigest] | None = None,
) -> Future[list[Parsed]]:
    """`parse_incidents` in a thread of its own, started now. The command line calls it before
    it imports the engine: polars parses while the rest of the package (0.13 s) is imported."""
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="parse")
    try:
        return pool.submit(parse_incidents, list(paths), checked_first, hashing)
    finally:
        pool.shutdown(wait=False)  # the thread ends when the parse does


def check_incidents(
    parsed: list[Parsed],
    as_of: date | None,
    area: tuple[float, float, float, float] | None = None,
    lookback_days: int | None = None,
) -> Incidents:
    """The second half of `read_incidents`: `normalise` over what `parse_incidents` read."""
    table, digests = parsed.pop()
    origins = [(d.path, d.records) for d in digests]
    # the merged table is handed over in a list that normalise empties: no reference is kept
    # here, so it is freed as soon as the output is built
    owned = [table]
    del table
    return normalise(owned, as_of, area, digests, lookback_days, origins)


def _empty_raw() -> pl.DataFrame:
    schema = {c: pl.String for c in COLUMNS} | {"_file": pl.String, "_row": pl.Int64}
    return pl.DataFrame(schema=schema)


def records_frame(records: list[dict[str, object]], name: str) -> pl.DataFrame:
    """Build the raw string table from dict rows (rule-pack test cases use this)."""
    rows = [{c: "" if r.get(c) is None else str(r.get(c)) for c in COLUMNS} for r in records]
    df = pl.DataFrame(rows, schema={c: pl.String for c in COLUMNS})
    return df.with_columns(
        pl.lit(name).alias("_file"), (pl.int_range(pl.len(), dtype=pl.Int64) + 1).alias("_row")
    )


def _trim(column: str) -> pl.Expr:
    return pl.col(column).str.strip_chars()


def _parse_dates(col: str) -> pl.Expr:
    """Dates in any of ACLED's formats, the first that reads each row. An expression, not a
    computed Series: a Series built apart is chunked unlike the table and makes polars
    re-chunk all of it (see `_read_csv`); strptime parses each distinct date once anyway."""
    tries = [_trim(col).str.strptime(pl.Date, fmt, strict=False) for fmt in DATE_FORMATS]
    return pl.coalesce(tries).alias("date")


def _parsed(raw: pl.DataFrame) -> pl.DataFrame:
    """The raw table with its dates and numbers parsed (null where they cannot be).

    Each column is first read as a clean export writes it; only a column where that leaves a
    gap is read again the careful way (spaces trimmed, a decimal comma, an empty count as 0,
    a timestamp written as a decimal, the other date format). Where the plain reading works
    the careful one gives the same value, so the result is the same, for a third of the time
    on a clean million-row file."""
    lat, lon, prec, fat, ts = "latitude", "longitude", "geo_precision", "fatalities", "timestamp"
    plain = {
        "date": pl.col("event_date").str.strptime(pl.Date, DATE_FORMATS[0], strict=False),
        "lat": pl.col(lat).cast(pl.Float64, strict=False),
        "lon": pl.col(lon).cast(pl.Float64, strict=False),
        "precision": pl.col(prec).cast(pl.Int64, strict=False),
        "fatalities_n": pl.col(fat).cast(pl.Int64, strict=False),
        "timestamp_n": pl.col(ts).cast(pl.Int64, strict=False),
    }
    careful = {
        "date": _parse_dates("event_date"),
        "lat": _trim(lat).str.replace(",", ".", literal=True).cast(pl.Float64, strict=False),
        "lon": _trim(lon).str.replace(",", ".", literal=True).cast(pl.Float64, strict=False),
        "precision": _trim(prec).cast(pl.Int64, strict=False),
        "fatalities_n": pl.when(_trim(fat) == "")
        .then(0)
        .otherwise(_trim(fat).cast(pl.Int64, strict=False)),
        "timestamp_n": pl.when(_trim(ts) == "")
        .then(0)
        .otherwise(_trim(ts).cast(pl.Float64, strict=False).cast(pl.Int64, strict=False)),
    }
    typed = raw.with_columns(expr.alias(name) for name, expr in plain.items())
    again = [name for name in plain if typed[name].null_count()]
    return typed.with_columns(careful[name].alias(name) for name in again) if again else typed


def _origin(positions: np.ndarray, origins: list[tuple[str, int]]) -> list[pl.Series]:
    """`_file` and `_row` (spreadsheet row: the header is row 1) of rows of concatenated
    files, from their positions in the concatenation."""
    # NumPy is imported here, not above: the command line imports this module to start the
    # parse, which NumPy's import (0.04 s) would delay; only rejected rows come this way
    import numpy as np

    names = [name for name, _ in origins]
    ends = np.cumsum([rows for _, rows in origins], dtype=np.int64)
    which = np.searchsorted(ends, positions, side="right")
    starts = ends - np.array([rows for _, rows in origins], dtype=np.int64)
    return [
        pl.Series("_file", [names[i] for i in which.tolist()], dtype=pl.String),
        pl.Series("_row", positions - starts[which] + 2, dtype=pl.Int64),
    ]


def _by_file(
    at: np.ndarray, origins: list[tuple[str, int]]
) -> Iterator[tuple[str, tuple[int, int], np.ndarray]]:
    """Per file holding any of the positions `at` (ascending, in the files' concatenation): its
    name, where its rows begin in the concatenation and how many there are, and the positions
    in the file itself."""
    start = 0
    for name, n in origins:
        mine = at[(at >= start) & (at < start + n)] - start
        if mine.size:
            yield name, (start, n), mine
        start += n


def _kept_rows(kept: pl.DataFrame, ok: pl.Series, origins: list[tuple[str, int]]) -> pl.DataFrame:
    """Every column of the rows `ok` keeps (`kept`, read in the `CHECKED` columns only), read
    from their files: per file, only the stretch from its first kept row to its last. ACLED
    exports are sorted by date, so the rows inside the look-back are one stretch at the top
    and the rest of the file is not parsed. The stretch is parsed whole, so a malformed field
    in it stops the run as in a whole read, and its checked columns must be the ones read
    first: a file that changed in between is an error, not a silent mix of two versions."""
    frames, done = [_empty_raw().select(COLUMNS)], 0
    for name, _, rows in _by_file(ok.arg_true().cast(pl.Int64).to_numpy(), origins):
        frames.append(_stretch(Path(name), rows, kept[REQUIRED[0]].slice(done, rows.size)))
        done += rows.size
    got = pl.concat(frames, how="vertical")
    if not got.select(CHECKED).equals(kept.select(CHECKED)):
        raise InputError(Problem(origins[0][0], "the file changed while it was being read"))
    return got


def _stretch(path: Path, rows: np.ndarray, ids: pl.Series) -> pl.DataFrame:
    """These rows of one file (ascending positions; `ids` theirs), every column. Parsed from
    the first of them; but polars finds that first row with a simpler scanner than its parser
    (a stray quote inside an unquoted field misleads it), so if the rows read are not the ones
    expected it parses from the top of the file before it calls the file changed."""
    first, last = int(rows[0]), int(rows[-1])
    for skip in (first, 0) if first else (0,):
        try:
            df = _read_table(path, COLUMNS, (skip, last + 1 - skip))
        except InputError:
            if skip:
                continue
            raise
        if df.height == last + 1 - skip:
            got = df if df.height == rows.size else df[rows - skip]
            if got[REQUIRED[0]].equals(ids):
                return got
    raise InputError(Problem(str(path), "the file changed while it was being read"))


def _rejected_rows(
    at: np.ndarray, typed: pl.DataFrame, origins: list[tuple[str, int]]
) -> pl.DataFrame | None:
    """Every column of the rows at `at` (positions in the files' concatenation), cut out of
    their files rather than parsed with all the others: a row begins on a new line with its id
    and ends where the next row's begins. That takes one search through the bytes instead of
    a second whole parse (about 0.5 s of a core for a few rows of a million-row file, against
    0.85 s of two). None when there are too many rows to cut (`MAX_CUT_ROWS`) or it cannot be
    done with certainty: an id that is not its file's first column, is empty or not unique, or
    a row cut out that does not read as the first step read it. Then the caller reads the
    files whole."""
    if at.size > MAX_CUT_ROWS:
        return None
    ids = typed["event_id_cnty"]
    once = (ids != "") & ~ids.is_duplicated()
    frames = []
    for name, (start, n), rows in _by_file(at, origins):
        cut = _cut_rows(Path(name), rows, ids.slice(start, n), once.slice(start, n))
        if cut is None:
            return None
        frames.append(cut)
    got = pl.concat(frames, how="vertical")
    return got if got.select(CHECKED).equals(typed[at].select(CHECKED)) else None


def _cut_rows(path: Path, rows: np.ndarray, ids: pl.Series, once: pl.Series) -> pl.DataFrame | None:
    """`_rejected_rows` for one file; `rows` ascending, `ids` and `once` for all its rows."""
    try:
        with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
            data = _cut(m, rows, ids, once)
    except (OSError, ValueError):  # gone or emptied since: the whole read will say so
        return None
    if data is None:
        return None
    try:
        return _read_table(path, data=data)
    except InputError:  # cut inside a quoted field, say (`_rejected_rows` checks the rest)
        return None


def _cut(m: mmap.mmap, rows: np.ndarray, ids: pl.Series, once: pl.Series) -> bytes | None:
    """The header and these rows of a file's bytes, or None (see `_rejected_rows`)."""
    n = ids.len()
    header_end = m.find(b"\n") + 1
    header = m[:header_end]
    first = header.decode("utf-8", "replace").split(",", 1)[0]
    if header_end == 0 or _standard_name(first) != REQUIRED[0]:
        return None
    parts, pos = [header], header_end - 1  # the new line before the first row
    for r in rows.tolist():
        if not once[r] or (r + 1 < n and not once[r + 1]):
            return None
        a = m.find(b"\n" + ids[r].encode() + b",", pos)
        b = m.find(b"\n" + ids[r + 1].encode() + b",", a + 1) if r + 1 < n else len(m)
        piece = m[a + 1 : b + 1]
        # A row's quotes pair up. An odd count means a search matched inside a quoted field (a
        # note with a line that begins like a row); two such pieces could parse together into
        # rows whose checked columns read right and the others wrong.
        if a < 0 or b < 0 or piece.count(b'"') % 2:
            return None
        parts.append(piece)
        pos = b
    return b"".join(parts)


def _distinct(values: pl.Series) -> bool:
    """Whether no value repeats. Distinct 64-bit hashes prove it (sorting a million of them
    takes a quarter of the time of counting distinct strings); equal ones are checked exactly."""
    hashes = values.hash().sort().to_numpy()
    if not (hashes[1:] == hashes[:-1]).any():
        return True
    return values.n_unique() == values.len()


def normalise(
    raw: pl.DataFrame | list[pl.DataFrame],
    as_of: date | None,
    area: tuple[float, float, float, float] | None,
    digests: list[InputDigest] | None = None,
    lookback_days: int | None = None,
    origins: list[tuple[str, int]] | None = None,
) -> Incidents:
    """Typed columns, per-row rejection reasons, as-of cut, de-duplication and, given
    `lookback_days`, the cut of events too old to count (every row is still validated, so a
    bad old row is reported like any other). Rows carry their file and row number in `_file`
    and `_row` columns, or, for a concatenation of whole files, `origins` lists each file's
    name and row count in order. A table of the `CHECKED` columns only (`parse_incidents`
    with `checked_first`) gets the other columns of the rows it keeps from those files.

    Given the table inside a one-item list, it takes it out of the list, so that nobody else
    holds it and it is freed as soon as the output is built."""
    if isinstance(raw, list):
        raw = raw.pop()
    incomplete = not set(COLUMNS) <= set(raw.columns)
    if incomplete and not origins:
        raise ValueError("a table without every column needs its files (origins)")
    typed = _parsed(raw)
    in_lat = pl.col("lat").is_between(-90, 90)
    in_lon = pl.col("lon").is_between(-180, 180)
    if area is not None:
        a0, o0, a1, o1 = area
        inside = pl.col("lat").is_between(a0, a1) & pl.col("lon").is_between(o0, o1)
        swapped_inside = pl.col("lon").is_between(a0, a1) & pl.col("lat").is_between(o0, o1)
        swapped = ~inside & swapped_inside
    else:
        swapped = pl.lit(False)
    checks: list[tuple[pl.Expr, str, str]] = [
        (pl.col("event_id_cnty") == "", "event_id_cnty", "empty event_id_cnty"),
        (
            pl.col("date").is_null(),
            "event_date",
            "unparseable or impossible event_date (expected 2025-11-07 or 07 November 2025)",
        ),
        (pl.col("lat").is_null(), "latitude", "latitude is not a number"),
        (pl.col("lon").is_null(), "longitude", "longitude is not a number"),
        (~in_lat, "latitude", "latitude out of range -90..90"),
        (~in_lon, "longitude", "longitude out of range -180..180"),
        ((pl.col("lat") == 0) & (pl.col("lon") == 0), "latitude", "coordinates are 0,0 (missing?)"),
        (swapped, "latitude", "latitude and longitude look swapped (they fit the area reversed)"),
        (
            ~pl.col("precision").is_in([1, 2, 3]) | pl.col("precision").is_null(),
            "geo_precision",
            "geo_precision must be 1, 2 or 3",
        ),
        (
            pl.col("fatalities_n").is_null() | (pl.col("fatalities_n") < 0),
            "fatalities",
            "fatalities must be a whole number >= 0",
        ),
        (pl.col("timestamp_n").is_null(), "timestamp", "timestamp must be a number (Unix seconds)"),
    ]
    failed = pl.any_horizontal([cond.fill_null(True) for cond, _, _ in checks])
    ok = ~typed.select(failed.alias("bad")).to_series()
    # Field and reason are worked out for the rejected rows only (usually none of them).
    field_expr = pl.lit(None, dtype=pl.String)
    reason_expr = pl.lit(None, dtype=pl.String)
    for cond, fld, why in reversed(checks):  # the first failing check wins
        field_expr = pl.when(cond.fill_null(True)).then(pl.lit(fld)).otherwise(field_expr)
        reason_expr = pl.when(cond.fill_null(True)).then(pl.lit(why)).otherwise(reason_expr)
    late = ok & (typed["date"] > as_of) if as_of is not None else None
    current = ok & ~late if late is not None else ok
    ids = typed["event_id_cnty"].filter(current)
    repeats = ids.len() > 1 and not _distinct(ids)
    bad = None if ok.all() else (~ok).arg_true().cast(pl.Int64).to_numpy()
    cut = None
    if incomplete and not repeats and bad is not None:  # rejected rows go to the file whole
        cut = _rejected_rows(bad, typed, origins or [])
    if incomplete and (repeats or (cut is None and bad is not None)):
        # Revisions are told apart on every column, and rejected rows that could not be cut
        # out of their files are needed whole: the files are read again whole (as by
        # `read_incidents`), and this first reading is dropped, so that only one copy of
        # the table is held at a time.
        del raw, typed
        frames = [_read_table(Path(name)) for name, _ in origins or []]
        again = [(name, df.height) for (name, _), df in zip(origins or [], frames, strict=True)]
        whole = [pl.concat(frames, how="vertical")]
        frames.clear()
        return normalise(whole, as_of, area, digests, lookback_days, again)
    if bad is None:  # the usual case
        rejects = _empty_raw().with_columns(
            pl.lit(None, pl.String).alias("_field"), pl.lit(None, pl.String).alias("_reason")
        )
    else:
        rejects = typed.filter(~ok)
        if cut is not None:
            rejects = rejects.hstack(cut.select(c for c in COLUMNS if c not in rejects.columns))
        if "_file" not in rejects.columns:
            rejects = rejects.with_columns(_origin(bad, origins or []))
        rejects = rejects.with_columns(field_expr.alias("_field"), reason_expr.alias("_reason"))
    rejects = rejects.select(*COLUMNS, *REJECT_COLUMNS)
    after = int(late.sum()) if late is not None else 0
    ok = current
    n = int(ok.sum())
    if repeats:
        # Latest revision wins; ties (monadic exports) are broken on the row's content, not its
        # position, so shuffled or repeated files give the same result. Done before the
        # look-back cut: a revision may move an event's date in or out of it.
        content = pl.concat_str([pl.col(c) for c in COLUMNS], separator="\x1f")
        keep = (
            typed.select("event_id_cnty", "timestamp_n", content.alias("_content"))
            .with_row_index("_i")
            .filter(ok)
            .sort(["event_id_cnty", "timestamp_n", "_content"], descending=[False, True, True])
            .unique(subset=["event_id_cnty"], keep="first", maintain_order=True)
        )
        ok = pl.repeat(False, typed.height, eager=True).scatter(keep["_i"], True)
    kept = int(ok.sum())
    dups = n - kept
    before, start = 0, None
    if lookback_days is not None and kept:
        day = typed["date"].filter(ok)
        start = (as_of or day.max()) - timedelta(days=lookback_days - 1)  # age < lookback_days
        before = int((day < start).sum())
        if before:
            ok = ok & (typed["date"] >= start)

    rows_read = raw.height
    del raw
    inter = {c: pl.col(c).replace(INTER_CODES) for c in ("inter1", "inter2")}
    kept = typed.filter(ok)
    del typed
    if incomplete:  # (no id repeated; rejected rows, if any, were cut out above)
        rest = _kept_rows(kept, ok, origins or [])
        kept = kept.hstack(rest.select(c for c in COLUMNS if c not in kept.columns))
    out = kept.select(
        pl.col("event_id_cnty").alias("event_id"),
        "date",
        "lat",
        "lon",
        pl.col("precision").cast(pl.Int8),
        pl.col("fatalities_n").alias("fatalities"),
        pl.col("timestamp_n").alias("timestamp"),
        *[c for c in OPTIONAL if c not in ("fatalities", "timestamp")],
        "event_type",
        "sub_event_type",
        "actor1",
    )
    del kept
    # A stable order whatever the order of the files: sorted by id, which is unique by now
    # (features.py relies on it to break ties). Filtering, then sorting the rows that are left
    # is three times faster than gathering them in id order (polars sorts all columns at once).
    frame = out.sort("event_id").with_columns(
        *[pl.col(c).str.strip_chars() for c in TRIMMED_ACTORS], **inter
    )
    return Incidents(
        frame=frame,
        rejects=rejects,
        inputs=digests or [],
        rows_read=rows_read,
        after_as_of=after,
        duplicates=dups,
        before_window=before,
        window_start=start,
    )


def write_rejects(rejects: pl.DataFrame, path: Path) -> None:
    rejects.sort(["_file", "_row"]).write_csv(path)
