"""Read everything an update imports, before the store is touched.

Watched folders (incident CSVs, guidance YAML) and the ACLED API are read into memory first;
only when every source has been read without error does the update open its transaction. So a
corrupt file or a failed pull fails the update with its name and row and leaves the store as
it was.
"""

from __future__ import annotations

import csv
import io
import os
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from ..errors import InputError, Problem
from ..ingest.acled import COLUMNS, _read_one
from ..ingest.guidance import GuidanceEntry, read_guidance
from ..ingest.sources import sha256
from .acled_api import AcledClient, AcledError, Credentials
from .config import AcledConfig, ConfigError, DeskConfig
from .store import Store


class SourceError(Exception):
    """A source could not be read: the update fails (exit 1) and nothing is imported."""


@dataclass
class FileBatch:
    path: str
    sha: str
    raw: pl.DataFrame


@dataclass
class Gathered:
    files: list[FileBatch] = field(default_factory=list)
    skipped_files: int = 0
    guidance: list[tuple[GuidanceEntry, str]] = field(default_factory=list)
    guidance_files: list[str] = field(default_factory=list)
    api_frames: list[pl.DataFrame] = field(default_factory=list)
    api_rows: int = 0
    deletions: list[tuple[str, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _files(paths: tuple[Path, ...], suffixes: tuple[str, ...]) -> list[Path]:
    """Watched folders may be empty or not exist yet (nothing dropped there): that is fine."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(
                sorted(
                    f
                    for f in p.iterdir()
                    if f.is_file() and f.suffix.lower() in suffixes and not f.name.startswith(".")
                )
            )
        elif p.is_file():
            out.append(p)
    return out


def check_csv_structure(path: Path, raw: bytes) -> None:
    """A file cut short or otherwise mangled often still parses (missing fields become empty
    values), so rows are counted field by field: any row whose field count differs from the
    header's fails the file, with its row number (spreadsheet numbering, header = 1)."""
    text = raw.decode("utf-8-sig", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            return
        width = len(header)
        row_no = 1
        for row in reader:
            row_no += 1
            if not row:
                continue
            if len(row) != width:
                tail = " (the file looks cut short)" if reader.line_num >= text.count("\n") else ""
                raise InputError(
                    Problem(
                        str(path),
                        f"row has {len(row)} fields, the header has {width}{tail}; "
                        "fix or re-export the file",
                        row_no,
                    )
                )
    except csv.Error as exc:
        raise InputError(
            Problem(str(path), f"not a readable CSV file: {exc}", reader.line_num)
        ) from None


def read_file_sources(cfg: DeskConfig, store: Store, g: Gathered) -> None:
    for f in _files(cfg.incidents, (".csv",)):
        raw = f.read_bytes()
        sha = sha256(raw)
        if store.file_seen(str(f), sha):
            g.skipped_files += 1
            continue
        try:
            check_csv_structure(f, raw)
            frame, _digest = _read_one(f)
        except InputError as exc:
            raise SourceError(f"incident source failed: {exc}") from None
        g.files.append(FileBatch(str(f), sha, frame))
    gfiles = _files(cfg.guidance, (".yaml", ".yml"))
    if gfiles:
        try:
            entries, digests = read_guidance(gfiles)
        except InputError as exc:
            raise SourceError(f"guidance source failed: {exc}") from None
        # read_guidance sorts entries; map each back to its file for the record
        by_id: dict[str, str] = {}
        for f in gfiles:
            try:
                more, _ = read_guidance([f])
            except InputError:  # pragma: no cover - the full read above already succeeded
                continue
            by_id.update({e.id: str(f) for e in more})
        g.guidance = [(e, by_id.get(e.id, "")) for e in entries]
        g.guidance_files = [d.path for d in digests]


def load_credentials(cfg: AcledConfig, env: dict[str, str] | None = None) -> Credentials:
    """ACLED_USERNAME (or ACLED_EMAIL) and ACLED_PASSWORD from the environment, else the
    credentials file, which must be readable by its owner only."""
    env = dict(os.environ) if env is None else env
    user = env.get("ACLED_USERNAME") or env.get("ACLED_EMAIL") or ""
    password = env.get("ACLED_PASSWORD", "")
    if user and password:
        return Credentials(user, password)
    path = cfg.credentials_file
    if path is None:
        raise ConfigError(
            Problem(
                "[acled]",
                "ACLED is enabled but no credentials were found: set ACLED_USERNAME and "
                "ACLED_PASSWORD in the environment, or credentials_file in advisory.toml",
            )
        )
    try:
        st = path.stat()
    except FileNotFoundError:
        raise ConfigError(Problem(str(path), "ACLED credentials file not found")) from None
    if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(
            Problem(
                str(path),
                f"credentials file is readable or writable by others "
                f"(mode {stat.S_IMODE(st.st_mode):o}); run `chmod 600 {path}`",
            )
        )
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        raise ConfigError(
            Problem(str(path), "credentials file belongs to another user; it must be yours")
        )
    try:
        doc = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        # the message of a TOML error may quote the line holding the password: leave it out
        raise ConfigError(
            Problem(str(path), f"cannot read the credentials file ({type(exc).__name__})")
        ) from None
    user = str(doc.get("username", ""))
    password = str(doc.get("password", ""))
    if not (user and password):
        raise ConfigError(Problem(str(path), "expected `username = ...` and `password = ...`"))
    return Credentials(user, password)


def _api_frame(rows: list[dict[str, object]], name: str) -> pl.DataFrame:
    recs = []
    for r in rows:
        low = {str(k).lower(): v for k, v in r.items()}
        recs.append({c: "" if low.get(c) is None else str(low.get(c)).strip() for c in COLUMNS})
    df = pl.DataFrame(recs, schema={c: pl.String for c in COLUMNS})
    return df.with_columns(
        pl.lit(name).alias("_file"), (pl.int_range(pl.len(), dtype=pl.Int64) + 1).alias("_row")
    )


CURSOR_EVENTS = "acled.cursor.timestamp"
CURSOR_DELETED = "acled.cursor.deleted_timestamp"


def pull_acled(
    cfg: DeskConfig, store: Store, g: Gathered, credentials: Credentials | None = None
) -> AcledClient:
    """Events added or revised since the last pull (ACLED `timestamp` >= the cursor; the
    upsert drops what is already stored) and deletions since the last deletion seen."""
    creds = credentials or load_credentials(cfg.acled)
    client = AcledClient(cfg.acled, creds)
    since = store.get_meta(CURSOR_EVENTS)
    since_del = store.get_meta(CURSOR_DELETED)
    try:
        for country in cfg.acled.countries:
            for page in client.events(
                country,
                since_timestamp=int(since) if since else None,
                start_date=cfg.acled.start_date,
            ):
                if page.rows:
                    g.api_frames.append(
                        _api_frame(page.rows, f"ACLED API {country} page {page.number}")
                    )
                    g.api_rows += len(page.rows)
        g.deletions = client.deletions(int(since_del) if since_del else None)
    except AcledError as exc:
        raise SourceError(f"ACLED pull failed ({exc.kind}): {client.redact(str(exc))}") from None
    if g.api_rows == 0:
        g.notes.append(
            "ACLED: no new or revised events"
            + (f" since timestamp {since}" if since else " (the API returned none)")
        )
    return client


def next_cursors(store: Store, g: Gathered) -> dict[str, str]:
    """Cursor values after this pull: the largest ACLED timestamps seen (kept when none)."""
    out: dict[str, str] = {}
    ts = [
        int(float(v))
        for f in g.api_frames
        for v in f["timestamp"].to_list()
        if v and v.replace(".", "", 1).isdigit()
    ]
    old = store.get_meta(CURSOR_EVENTS)
    if ts:
        out[CURSOR_EVENTS] = str(max([*ts, int(old) if old else 0]))
    if g.deletions:
        old_d = store.get_meta(CURSOR_DELETED)
        out[CURSOR_DELETED] = str(max([*(d for _, d in g.deletions), int(old_d) if old_d else 0]))
    elif store.get_meta(CURSOR_DELETED) is None and ts:
        # first pull: ACLED's current data already excludes earlier deletions
        out[CURSOR_DELETED] = str(max(ts))
    return out
