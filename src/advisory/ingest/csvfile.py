"""Read a delimited text file into string columns, safely, whatever it turns out to be.

Users hand the engine whatever their tools produced: a compressed download renamed `.csv`, an
Excel workbook, a UTF-16 export, a French-locale CSV separated by semicolons, a file padded with
millions of blank lines. Each is recognised from its first bytes and either read as it is meant
(semicolons, tabs, a byte-order mark) or refused with what it looks like and what to do, before
polars is asked to parse it: polars would silently decompress gzip, and a blank line is a row
of empty fields to it (ten million of them cost gigabytes). A row with fewer fields than the
header (a file cut short, or mangled) is refused with its row and field counts: polars would
read its missing fields as empty ones.
"""

from __future__ import annotations

import csv
import hashlib
import io
import mmap
import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from ..errors import InputError, Problem
from ..text import plural

SNIFF_BYTES = 1 << 16  # enough for any header row we can use
# A blank line: a line break followed by spaces, tabs or carriage returns and another break.
BLANK_LINES = re.compile(rb"\n(?:[ \t\r]*\n)+")
# Beyond this many blank lines a file is padding, not a tidy export: they are cut out of the
# bytes before parsing (memory stays the file's size) rather than parsed as empty rows.
MAX_BLANK_ROWS_PARSED = 1000

MAGIC = (
    (b"\x1f\x8b", "a gzip-compressed file: decompress it first (gunzip)"),
    (b"\x28\xb5\x2f\xfd", "a zstd-compressed file: decompress it first (unzstd)"),
    (b"BZh", "a bzip2-compressed file: decompress it first (bunzip2)"),
    (b"\xfd7zXZ\x00", "an xz-compressed file: decompress it first (unxz)"),
    (b"PK\x03\x04", "a ZIP archive or an Excel workbook: export the sheet as CSV (UTF-8)"),
    (b"\xd0\xcf\x11\xe0", "an old Excel (.xls) workbook: export the sheet as CSV (UTF-8)"),
    (b"%PDF", "a PDF document, not a CSV export"),
    (b"\xff\xfe", "UTF-16 text: re-export the file as UTF-8 CSV"),
    (b"\xfe\xff", "UTF-16 text: re-export the file as UTF-8 CSV"),
)


@dataclass(frozen=True)
class Sniffed:
    """What the first bytes of a file say: its separator and its header names."""

    separator: str
    header: list[str]


@dataclass
class RawTable:
    """A file's rows as strings (`_row`: spreadsheet row number, header = 1)."""

    frame: pl.DataFrame
    blank_rows: int
    sha256: str  # of the file's bytes, as `sources.file_sha256` gives it
    renumbered: bool = False  # padding was cut out: row numbers count rows without it


def standard_name(header: str) -> str:
    return header.strip().lower().lstrip("\ufeff")


def sniff(path: Path) -> Sniffed:
    """The separator and header of a text table, or an input error saying what the file is."""
    name = str(path)
    try:
        with path.open("rb") as f:
            head = f.read(SNIFF_BYTES)
    except OSError as exc:
        raise InputError(Problem(name, f"cannot read the file: {exc.strerror}")) from exc
    if not head.strip():
        raise InputError(Problem(name, "empty file: expected a CSV export with a header row"))
    for magic, what in MAGIC:
        if head.startswith(magic):
            raise InputError(Problem(name, f"this is {what}"))
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text[:1] in (b"{", b"["):
        raise InputError(Problem(name, "this looks like JSON, not a CSV export"))
    if b"\x00" in head:
        raise InputError(Problem(name, "binary data (NUL bytes): not a CSV text export"))
    first = text.split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8", "replace")
    counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
    separator = max(counts, key=lambda s: (counts[s], s == ","))
    try:  # the header as polars will name the columns (quotes, spaces and all)
        header = pl.read_csv(
            path, n_rows=0, separator=separator, infer_schema=False, glob=False
        ).columns
    except Exception as exc:  # polars raises several error types for malformed CSV
        raise _malformed(path, exc, Sniffed(separator, [])) from exc
    return Sniffed(separator, header)


def duplicated_header(names: list[str]) -> str | None:
    """The first name that appears twice (a Counter, not `names.count` per name: a header
    of 200,000 columns must not take minutes)."""
    twice = sorted(n for n, k in Counter(n for n in names if n).items() if k > 1)
    return twice[0] if twice else None


@dataclass(frozen=True)
class Sparse:
    """Columns read only in the rows where `keep` (an expression on the file's columns) holds,
    null in the others: the rows a look-back leaves out are counted and checked on their dates
    and numbers, never shown, so their notes are not kept (at a million rows of ten years: 0.7
    instead of 3.3 GB at the read's peak)."""

    keep: pl.Expr
    columns: list[str]
    only_kept: bool = False  # the caller drops the other rows: only kept rows are checked


def read_table(
    path: Path, sniffed: Sniffed, columns: list[str], sparse: Sparse | None = None
) -> RawTable:
    """The named columns (file header names, all read as strings) of every row that is not
    blank, the `sparse` columns only where it keeps them. A few blank lines are parsed and
    dropped (row numbers stay the spreadsheet's); padding of more lines is cut out of the
    bytes first. One streaming scan: the rows' text is dropped batch by batch as it is read.
    A row with fewer fields than the header fails the read (`refuse_short_rows`)."""
    sha, source, removed = _hashed_and_cut(path)
    frame, blank_rows, suspects = _parsed(path, source, sniffed, columns, sparse)
    if suspects.rows:
        refuse_short_rows(path, source, sniffed, suspects, removed)
    return RawTable(frame, removed + blank_rows, sha, renumbered=bool(removed))


def _hashed_and_cut(path: Path) -> tuple[str, Path | io.BytesIO, int]:
    """The file's sha256 (as `sources.file_sha256` gives it); the file, or its bytes with
    blank lines cut out when there are more than `MAX_BLANK_ROWS_PARSED` of them; how many
    were cut. The bytes are mapped once and hashed in a thread while the regex searches them:
    hashlib lets go of the GIL, `re` does not (at 590 MB on an idle 2-core machine: 1.01 s one
    after the other, 0.56 s side by side)."""
    with (
        path.open("rb") as f,
        mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m,
        ThreadPoolExecutor(max_workers=1) as pool,  # left (the hash done) before m is closed
    ):
        digest = pool.submit(lambda: "sha256:" + hashlib.sha256(m).hexdigest())
        # one regex search finds blank lines, spaces and tabs included (at 590 MB: 0.5 s,
        # where two `find`s for "\n\n" and "\n\r\n" took 1.6 s and missed "\n \n"; measured
        # again: the search 0.2-0.3 s of CPU, each `mmap.find` 0.4-0.55 s, so no set of finds
        # gating it pays; the hash, 0.45 s, is the longer of the two anyway)
        source: Path | io.BytesIO = path
        cut = 0
        if BLANK_LINES.search(m):
            runs = _unquoted_blank_runs(m)
            blanks = sum(m[a:b].count(b"\n") - 1 for a, b in runs)
            if blanks > MAX_BLANK_ROWS_PARSED:
                source, cut = io.BytesIO(_without(m, runs)), blanks
        return digest.result(), source, cut


def _unquoted_blank_runs(data: mmap.mmap) -> list[tuple[int, int]]:
    """The spans of blank lines outside quoted fields. A paragraph break inside a quoted note
    is the note's text, not padding: a run counts only where an even number of quote bytes
    (an escaped `""` is two) precedes it. Only files with blank lines get here."""
    runs, quotes, pos = [], 0, 0
    for x in BLANK_LINES.finditer(data):
        quotes += data[pos : x.start()].count(b'"')
        pos = x.start()
        if quotes % 2 == 0:
            runs.append(x.span())
    return runs


def _without(data: mmap.mmap, runs: list[tuple[int, int]]) -> bytes:
    """The bytes with each run of blank lines made one line end."""
    pieces, pos = [], 0
    for a, b in runs:
        pieces += [data[pos:a], b"\n"]
        pos = b
    return b"".join([*pieces, data[pos:]])


@dataclass(frozen=True)
class MaybeShort:
    """The rows that may lack fields (`_row`s) and the file's last row."""

    rows: list[int]
    last_row: int


def _parsed(
    path: Path,
    source: Path | io.BytesIO,
    sniffed: Sniffed,
    columns: list[str],
    sparse: Sparse | None,
) -> tuple[pl.DataFrame, int, MaybeShort]:
    """The rows of `source` that are not blank (columns as `read_table` says), how many blank
    ones were dropped and the rows that may be short (`_maybe_short`)."""
    scan = pl.scan_csv(
        source,
        separator=sniffed.separator,
        infer_schema=False,
        empty_string_is_null=False,
        glob=False,
        row_index_name="_row",
        row_index_offset=2,
        truncate_ragged_lines=False,
    )
    cut = [c for c in columns if sparse is not None and c in sparse.columns]
    keep = sparse.keep if sparse is not None else pl.lit(True)
    # The kept fields are copied out of the batch read: a column of views would hold on to the
    # whole batch's text (a look-back over a file in random date order then kept it all: 1.4
    # instead of 0.9 GB at a million rows, for 0.5 s more). Measured again (CPU, medians of 3,
    # 1M rows in random date order): the copy costs 0.4 s of 1.6; copying the notes alone saves
    # 0.25 s of it but keeps 0.15 GB more at the peak; `+ ""`, `str.slice(0)`, a cast through
    # Binary or a `filter` in a second output of the scan copy nothing or cost more.
    text = [pl.concat_str(pl.when("_keep").then(pl.col(c)), pl.lit("")).alias(c) for c in cut]
    try:  # the test once per row, then once per column it cuts
        df = (
            scan.with_columns(keep.alias("_keep"))
            .select(
                pl.col("_row").cast(pl.Int64),
                "_keep",
                *_shape(sniffed, columns),
                *(c for c in columns if c not in cut),
                *text,
            )
            .collect(engine="streaming")
        )
    except Exception as exc:  # polars raises several error types for malformed CSV
        raise _malformed(path, exc, sniffed) from exc
    # Left in its batches (273 chunks at a million rows): a rechunk here cost 0.25-0.3 s of CPU
    # and saved 0.15 s in the steps after it (measured, medians of 5)
    blank = _blank(df, columns)
    frame = df.filter(~blank).select("_row", *columns)
    return frame, df.height - frame.height, _maybe_short(df, blank, sparse)


def _shape(sniffed: Sniffed, columns: list[str]) -> list[pl.Expr]:
    """What the scan notes of each row's shape, whether those columns are read or not, and
    before `Sparse` cuts them. `_empty_last`: whether its last field is empty. polars reads
    the fields a short row lacks as empty strings, like fields that are there and empty (older
    versions as nulls: counted too), so it cannot tell a short row from a whole one; only a
    row whose last field is empty may be short (an export's last column, `timestamp` or
    `iso3`, is never empty: then nothing more is done). `_lead`, when the file's first column
    is not read: whether its first field holds anything, so that a row blank in the columns
    read but not in the file (a row cut after an old export's `data_id`) is not taken for a
    blank line."""
    first, last = sniffed.header[0], sniffed.header[-1]
    shape = [(pl.col(last).fill_null("") == "").alias("_empty_last")]
    if first not in columns:
        shape.append((pl.col(first).fill_null("").str.strip_chars() != "").alias("_lead"))
    return shape


def _maybe_short(df: pl.DataFrame, blank: pl.Series, sparse: Sparse | None) -> MaybeShort:
    """The rows whose fields `refuse_short_rows` counts: those with an empty last field that
    are not blank lines (padding, skipped), only those kept when the caller drops the others
    (`Sparse.only_kept`: rows read again, checked whole by the first read)."""
    maybe = df["_empty_last"] & ~(blank & ~df["_lead"] if "_lead" in df.columns else blank)
    if sparse is not None and sparse.only_kept:
        maybe = maybe & df["_keep"]
    rows = df["_row"].filter(maybe).to_list() if maybe.any() else []
    last = df["_row"].max()
    return MaybeShort(rows, last if isinstance(last, int) else 1)


def refuse_short_rows(
    path: Path, source: Path | io.BytesIO, sniffed: Sniffed, maybe: MaybeShort, removed: int
) -> None:
    """Fail the read on the first of `maybe`'s rows that has fewer fields than the header,
    with its row number (spreadsheet numbering, header = 1) and both counts: a file cut short
    or otherwise mangled still parses, its missing fields read as empty ones, and an
    assessment made of it would lose them without a word. polars cannot count a row's fields
    (`_empty_last`), so Python's csv module does, on the bytes polars parsed (`source`: padding
    cut out, so the row numbers agree), from the top to the last row in question: seconds for
    a large export, hence only when some row may be short."""
    width, wanted, last = len(sniffed.header), set(maybe.rows), max(maybe.rows)
    # a field may be as long as the file (csv's default limit is 128 KiB; polars has none)
    size = source.getbuffer().nbytes if isinstance(source, io.BytesIO) else path.stat().st_size
    csv.field_size_limit(max(csv.field_size_limit(), size))
    if isinstance(source, io.BytesIO):
        source.seek(0)
    raw = source if isinstance(source, io.BytesIO) else path.open("rb")
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")
    reader = csv.reader(text, delimiter=sniffed.separator)
    try:
        next(reader, None)  # the header
        for row_no, row in enumerate(reader, 2):
            if row_no in wanted and len(row) < width and any(f.strip() for f in row):
                tail = " (the file looks cut short)" if row_no == maybe.last_row else ""
                numbers = (
                    f" (row numbers count rows without the {removed} blank lines cut out)"
                    if removed else ""
                )  # fmt: skip
                raise InputError(
                    Problem(
                        str(path),
                        f"row has {len(row)} {plural(len(row), 'field', 'fields')}, "
                        f"the header has {width}{tail}; "
                        f"fix or re-export the file{numbers}",
                        row_no,
                    )
                )
            if row_no >= last:
                return
    except csv.Error as exc:
        raise InputError(
            Problem(str(path), f"not a readable CSV file: {exc}", reader.line_num)
        ) from None
    finally:
        text.detach()
        if raw is not source:
            raw.close()


def _blank(df: pl.DataFrame, columns: list[str]) -> pl.Series:
    """Rows whose every field is empty or spaces. The first column alone rules most rows out,
    so the other fields (the notes are most of the bytes) are only stripped in the rows that
    may be blank: 0.03 s at a million rows instead of 0.33 s."""
    if not columns:
        return pl.Series("blank", [False] * df.height)

    def empty(c: str) -> pl.Expr:
        return pl.col(c).fill_null("").str.strip_chars() == ""

    first = df.select(empty(columns[0])).to_series()
    if len(columns) == 1 or not first.any():
        return first
    maybe = first.arg_true()
    rest = df[maybe].select(pl.all_horizontal([empty(c) for c in columns[1:]])).to_series()
    return first.scatter(maybe, rest)


def _malformed(path: Path, exc: Exception, sniffed: Sniffed) -> InputError:
    """An input error for a file polars could not parse: where it is not UTF-8, or the
    first line of polars' message, with a hint when the fields look differently separated."""
    name = str(path)
    bad = _first_non_utf8(path)
    if bad is not None:
        line, byte = bad
        return InputError(
            Problem(name, f"not valid UTF-8 (byte 0x{byte:02x}): re-export the file as UTF-8", line)
        )
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if "more fields" in msg or "schema" in msg.lower():
        msg = (
            "a row has more fields than the header (an unquoted separator inside a field?); "
            f"fields are separated by {sniffed.separator!r}"
        )
    return InputError(Problem(name, f"not a readable CSV file: {msg}"))


def _first_non_utf8(path: Path) -> tuple[int, int] | None:
    """The first line that is not UTF-8 and its first bad byte (read once parsing failed)."""
    with path.open("rb") as f:
        for number, line in enumerate(f, 1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                return number, line[exc.start]
    return None
