"""Read everything an update imports, before the store is written.

Watched folders (incident CSVs, guidance YAML) and the ACLED API (`pull.py`) are read into
memory first; only when every source has been read without error does the update open its
transaction. So a corrupt file or a failed pull fails the update with its name and row and
leaves the store as it was.

A watched file the store has imported before and that nobody touched since (same size, mtime
and ctime) is not read at all; one whose metadata changed is hashed, and read only when its
digest is new. Reading a file notes what was done to it on the way in, as `advisory assess`
does ("HXL tag row (HDX copy) skipped", "... rows in ACLED's pre-2019 event types ..."): the
store keeps those notes with the file (`file_note`), and every assessment of what was known
carries them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from ..errors import InputError
from ..ingest import acled
from ..ingest.guidance import GuidanceEntry, read_guidance_files
from ..ingest.incidents import export_notes
from ..ingest.sources import file_sha256
from ..rulepack.model import Formats
from . import revisions as rv
from .config import DeskConfig
from .store import Store


class SourceError(Exception):
    """A source could not be read: the update fails (exit 1) and nothing is imported."""


@dataclass
class FileRecord:
    path: str
    sha: str
    rows: int
    stat: tuple[int, int, int]  # size, mtime_ns, ctime_ns
    notes: list[str] | None = None  # what reading it noted (None: not read, only touched)


@dataclass
class Gathered:
    """What the sources hold now. `incoming` frames are keyed (`revisions.keyed`)."""

    incoming: list[pl.DataFrame] = field(default_factory=list)
    files: list[FileRecord] = field(default_factory=list)
    files_read: int = 0
    file_rows: int = 0
    skipped_files: int = 0
    guidance: list[tuple[GuidanceEntry, str]] = field(default_factory=list)
    api_rows: int = 0
    deletions: list[tuple[str, int]] = field(default_factory=list)
    cursors: dict[str, str] = field(default_factory=dict)
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


def read_file_sources(cfg: DeskConfig, store: Store, g: Gathered, formats: Formats) -> None:
    """The watched exports (read with the update's rule pack's `formats`) and guidance."""
    for f in _files(cfg.incidents, (".csv",)):
        _read_file(f, store, g, formats)
    _read_guidance(cfg, g)


def _read_file(f: Path, store: Store, g: Gathered, formats: Formats) -> None:
    """One watched export: skipped from its metadata, or from its digest, or read. Only a
    path the store has seen is hashed before it is read (it may be a file merely touched); a
    file that is read is hashed once, by the reader, so its digest is that of what was read."""
    try:
        st = f.stat()
        stat = (st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        if store.file_unchanged(str(f), *stat):
            g.skipped_files += 1
            return
        if store.path_seen(str(f)):
            sha = file_sha256(f)
            if store.file_seen(str(f), sha):
                g.skipped_files += 1  # touched, not changed: remember its metadata now
                g.files.append(FileRecord(str(f), sha, -1, stat))
                return
        try:  # as `advisory assess` reads it: the same checks, errors and digest
            export = acled.read_export(f, formats.acled_legacy, formats.ucdp_ged)
        except InputError as exc:
            raise SourceError(f"incident source failed: {exc}") from None
    except OSError as exc:
        raise SourceError(f"incident source failed: {f}: {exc.strerror or exc}") from None
    frame = export.frame
    # the notes `assess` prints for it (HXL row, pre-2019 types, blank rows), kept in the store
    notes = export_notes(export)
    g.files.append(FileRecord(str(f), export.digest.sha256, frame.height, stat, notes))
    g.files_read += 1
    g.file_rows += frame.height
    rows = rv.keyed(frame, "file")
    g.incoming.append(refuse_future(rows, f"rows of {f}", g, int(time.time())))


def _read_guidance(cfg: DeskConfig, g: Gathered) -> None:
    gfiles = _files(cfg.guidance, (".yaml", ".yml"))
    if not gfiles:
        return
    try:
        read = read_guidance_files(gfiles)
    except InputError as exc:
        raise SourceError(f"guidance source failed: {exc}") from None
    g.guidance = [(e, read.file_of[e.id]) for e in read.entries]


def refuse_future(frame: pl.DataFrame, what: str, g: Gathered, now: int) -> pl.DataFrame:
    """The rows whose timestamp is not in the future (beyond `FUTURE_SKEW_S`); the others are
    named in the update's notes and not imported. A row from the future would be taken as the
    latest revision of its event for ever, hiding every real revision after it."""
    kept, refused = rv.refuse_future(frame, now)
    if refused.height:
        where = ", ".join(
            f"{f} row {r} ({e}, timestamp {t})"
            for f, r, e, t in refused.select("_file", "_row", rv.EVENT, "timestamp")
            .head(5)
            .iter_rows()
        )
        more = f" and {refused.height - 5} more" if refused.height > 5 else ""
        g.notes.append(
            f"{refused.height} {what} refused: their timestamp is in the future (the desk's "
            f"clock reads {now}, {rv.FUTURE_SKEW_S} s of skew allowed): {where}{more}. They "
            "were not imported and no ACLED cursor moved past them"
        )
    return kept
