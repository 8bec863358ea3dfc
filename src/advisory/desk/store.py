"""The desk's store: one SQLite file (standard library driver, WAL) holding what was known when.

Tables (schema in `schema.py`, version in `PRAGMA user_version`):

- `revision_batch`: every distinct incident row ACLED sent or a file held, in columnar batches
  (Parquet blobs; the columns are described in `revisions.py`): re-importing a row changes
  nothing, a revised or corrected row is a new revision, none is ever overwritten.
- `deletion`: event ids ACLED deleted, with ACLED's deletion timestamp.
- `guidance_revision`: guidance entries as read (JSON), a new row only when an entry changed
  or was withdrawn.
- `source_file`: files already imported (path, sha256, size, mtime and ctime), so a file that
  was not touched is recognised from its metadata without being read.
- `file_note`: what reading each imported file noted (HXL row skipped, pre-2019 types mapped,
  blank rows), the input notes `advisory assess` prints for the same file.
- `run`: each update (inputs, digests, outcome); `version`: each published advisory.
- `meta`: ACLED pull cursors, and the state the last assessment was made from.

Every revision carries `_imported_at` (UTC, microseconds) and every other row `imported_at`:
`known_frame(t)`, `known_guidance(t)` and `known_notes(t)` rebuild the inputs as they were known
at any instant, which is what `--as-known-at` assesses.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from ..errors import AdvisoryError
from ..ingest.guidance import GuidanceEntry
from . import revisions as rv
from .revisions import Known
from .schema import SCHEMA_VERSION, insert_batches, upgrade
from .store_files import WatchedFiles

__all__ = ["DATA_TABLES", "SCHEMA_VERSION", "Known", "Store", "StoreError"]

DATA_TABLES = (
    "revision_batch", "deletion", "guidance_revision", "source_file", "file_note", "meta",
)  # fmt: skip
# small batches are merged while the one before the newest holds at most this many times its rows
MERGE_RATIO = 4


class StoreError(AdvisoryError):
    """The store is unusable (newer schema, not a store, corrupt)."""


def utc_now() -> str:
    return stamp(datetime.now(UTC))


def stamp(t: datetime) -> str:
    """The one timestamp format of the store: fixed width, so text order is time order."""
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_instant(text: str) -> str:
    """`2025-11-01T06:00`, `2025-11-01 06:00:00+01:00` or `2025-11-01` (end of that day would
    be surprising, so a bare date means its start) -> store stamp. Naive times are UTC.
    Raises ValueError for anything else, a time past year 9999 in UTC included."""
    t = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    try:
        return stamp(t)
    except OverflowError:
        raise ValueError("that is beyond the year 9999 in UTC") from None


class Store(WatchedFiles):
    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        if readonly and not self.path.exists():
            raise StoreError(f"{self.path}: store not found (run `advisory update` first)")
        self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        try:
            self.db.execute("PRAGMA busy_timeout = 30000")
            if not readonly:
                self.db.execute("PRAGMA journal_mode = WAL")
                self.db.execute("PRAGMA synchronous = FULL")
            self.db.execute("PRAGMA foreign_keys = ON")
            self._migrate(readonly)
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise StoreError(f"{self.path}: not a usable advisory store ({exc})") from None

    def close(self) -> None:
        self.db.close()

    # -- schema ------------------------------------------------------------------------------
    @property
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self, readonly: bool) -> None:
        have = self.schema_version
        if have > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: store schema {have} is newer than this advisory "
                f"(knows {SCHEMA_VERSION}); upgrade advisory"
            )
        if have == SCHEMA_VERSION:
            return
        if readonly:
            raise StoreError(
                f"{self.path}: store schema {have} is older than {SCHEMA_VERSION}; "
                "run `advisory update` once to migrate it"
            )
        with self.transaction():
            upgrade(self.db, self.schema_version)  # re-read: another process may have done it
        if have:  # an upgrade may have dropped a large table: give the space back
            self.db.execute("VACUUM")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE: the write lock is taken up front (a second writer waits for
        busy_timeout, then fails) and everything inside commits or rolls back together."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
            self.db.execute("COMMIT")  # a failing COMMIT (disk full) must roll back too
        except BaseException:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise

    def checkpoint(self) -> None:
        """Fold the WAL back into the main file so the store does not grow with runs."""
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def integrity(self) -> str:
        return str(self.db.execute("PRAGMA integrity_check").fetchone()[0])

    # -- meta --------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # -- runs --------------------------------------------------------------------------------
    def start_run(self, started_at: str) -> int:
        cur = self.db.execute(
            "INSERT INTO run (started_at, status) VALUES (?, 'running')", (started_at,)
        )
        return int(cur.lastrowid or 0)

    def finish_run(
        self,
        run_id: int,
        status: str,
        *,
        as_of: str | None = None,
        inputs: dict[str, Any] | None = None,
        assessment_digest: str | None = None,
        version_id: int | None = None,
        message: str = "",
    ) -> None:
        self.db.execute(
            "UPDATE run SET finished_at = ?, status = ?, as_of = ?, inputs = ?, "
            "assessment_digest = ?, version_id = ?, message = ? WHERE id = ?",
            (
                utc_now(),
                status,
                as_of,
                json.dumps(inputs or {}, sort_keys=True),
                assessment_digest,
                version_id,
                message,
                run_id,
            ),
        )

    def record_failed_run(self, started_at: str, as_of: str | None, message: str) -> None:
        """A failed update leaves the data as it was; only the attempt itself is recorded."""
        with self.transaction():
            rid = self.start_run(started_at)
            self.finish_run(rid, "failed", as_of=as_of, message=message)

    def runs(self) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM run ORDER BY id").fetchall()

    # -- incidents ---------------------------------------------------------------------------
    def _batches(self, columns: list[str] | None, at: str | None) -> pl.DataFrame:
        where, args = ("WHERE first_imported_at <= ?", (at,)) if at else ("", ())
        cur = self.db.execute(f"SELECT data FROM revision_batch {where} ORDER BY id", args)
        frames = [rv.decode(r[0], columns) for r in cur]
        if not frames:
            return rv.empty().select(columns or list(rv.SCHEMA))
        return pl.concat(frames, how="vertical", rechunk=False)

    def revision_keys(self) -> pl.DataFrame:
        """The key (`_hash`) of every stored revision: what an import is checked against (only
        that column of each batch is read)."""
        return self._batches([rv.KEY], None)

    def revisions(self, at: str | None = None) -> pl.DataFrame:
        """Every revision imported by `at` (default: all), every column."""
        frame = self._batches(None, at)
        return frame.filter(pl.col("_imported_at") <= at) if at else frame

    def revision_count(self) -> int:
        q = "SELECT COALESCE(SUM(rows), 0) FROM revision_batch"
        return int(self.db.execute(q).fetchone()[0])

    def add_revisions(self, batches: list[rv.Batch]) -> None:
        """Append new revisions (see `revisions.batches`) and merge the small
        batches at the end, so that hourly updates do not leave thousands of tiny blobs: the
        newest two are merged while the older holds at most MERGE_RATIO times the newer's rows
        (a binary counter, as log-structured stores do: each row is rewritten a few times at
        most, and a history of n rows is about n / BATCH_ROWS + log n batches)."""
        if not batches:
            return
        insert_batches(self.db, batches)
        while True:
            last = self.db.execute(
                "SELECT id, rows FROM revision_batch ORDER BY id DESC LIMIT 2"
            ).fetchall()
            if len(last) < 2:
                return
            (new_id, new_rows), (old_id, old_rows) = last
            if old_rows + new_rows > rv.BATCH_ROWS or old_rows > MERGE_RATIO * new_rows:
                return
            both = [
                rv.decode(self.db.execute("SELECT data FROM revision_batch WHERE id = ?",
                                          (i,)).fetchone()[0])
                for i in (old_id, new_id)
            ]  # fmt: skip
            self.db.execute("DELETE FROM revision_batch WHERE id IN (?, ?)", (old_id, new_id))
            insert_batches(self.db, rv.batches(pl.concat(both, how="vertical")))

    def batch_count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM revision_batch").fetchone()[0])

    def deletions(self, at: str | None = None) -> pl.DataFrame:
        where, args = ("WHERE imported_at <= ?", (at,)) if at else ("", ())
        rows = self.db.execute(
            f"SELECT event_id, deleted_ts, imported_at FROM deletion {where}", args
        ).fetchall()
        schema = {"event_id": pl.String, "deleted_ts": pl.Int64, "imported_at": pl.String}
        return pl.DataFrame([tuple(r) for r in rows], schema=schema, orient="row")

    def new_deletions(self, deletions: list[tuple[str, int]]) -> list[tuple[str, int]]:
        q = "SELECT 1 FROM deletion WHERE event_id = ? AND deleted_ts = ?"
        return sorted({d for d in deletions if self.db.execute(q, d).fetchone() is None})

    def add_deletions(self, deletions: list[tuple[str, int]], now: str, run_id: int) -> int:
        before = self.db.total_changes
        self.db.executemany(
            "INSERT OR IGNORE INTO deletion VALUES (?, ?, ?, ?)",
            [(e, ts, now, run_id) for e, ts in deletions],
        )
        return self.db.total_changes - before

    def known_frame(self, at: str) -> Known:
        """The raw incident rows as known at `at` (see `revisions.current`)."""
        return rv.current(self.revisions(at), self.deletions(at), at)

    # -- guidance ----------------------------------------------------------------------------
    def _current_guidance(self, at: str) -> dict[str, sqlite3.Row]:
        rows = self.db.execute(
            """
            SELECT g.* FROM guidance_revision g
            WHERE g.imported_at <= :at AND g.id = (
                SELECT MAX(id) FROM guidance_revision h
                WHERE h.entry_id = g.entry_id AND h.imported_at <= :at
            )
            """,
            {"at": at},
        ).fetchall()
        return {r["entry_id"]: r for r in rows}

    def guidance_plan(
        self, entries: list[tuple[GuidanceEntry, str]], now: str
    ) -> list[tuple[str, str, str | None, str, str]]:
        """The revisions that would make the stored guidance equal the entries read now, as
        (kind, entry id, data, hash, file): new or changed entries, and withdrawals of
        entries no longer in any file (a revision with no data)."""
        current = self._current_guidance(now)
        seen: set[str] = set()
        plan: list[tuple[str, str, str | None, str, str]] = []
        for entry, file in entries:
            data = entry.stored_json()
            h = hashlib.sha256(data.encode()).hexdigest()
            seen.add(entry.id)
            old = current.get(entry.id)
            if old is not None and old["content_hash"] == h:
                continue
            kind = "added" if old is None or old["data"] is None else "changed"
            plan.append((kind, entry.id, data, h, file))
        for eid, old in sorted(current.items()):
            if eid not in seen and old["data"] is not None:
                plan.append(("withdrawn", eid, None, "", old["file"]))
        return plan

    def apply_guidance(
        self, plan: list[tuple[str, str, str | None, str, str]], now: str, run_id: int
    ) -> dict[str, int]:
        counts = {"added": 0, "changed": 0, "withdrawn": 0}
        for kind, eid, data, h, file in plan:
            counts[kind] += 1
            self.db.execute(
                "INSERT INTO guidance_revision (entry_id, content_hash, data, file, imported_at, "
                "run_id) VALUES (?, ?, ?, ?, ?, ?)",
                (eid, h, data, file, now, run_id),
            )
        return counts

    def known_guidance(self, at: str) -> tuple[list[GuidanceEntry], str]:
        rows = [r for r in self._current_guidance(at).values() if r["data"] is not None]
        entries = [GuidanceEntry.model_validate_json(r["data"]) for r in rows]
        entries.sort(key=lambda e: (e.issuer, e.issued, e.id))
        hashes = "\n".join(sorted(r["content_hash"] for r in rows))
        return entries, "sha256:" + hashlib.sha256(hashes.encode()).hexdigest()

    # -- versions ----------------------------------------------------------------------------
    def next_version_id(self) -> int:
        return int(self.db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM version").fetchone()[0])

    def add_version(self, **v: Any) -> None:
        keys = list(v)
        self.db.execute(
            f"INSERT INTO version ({', '.join(keys)}) VALUES ({', '.join('?' * len(keys))})",
            [v[k] for k in keys],
        )

    def versions(self) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM version ORDER BY id").fetchall()

    def last_version(self) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM version ORDER BY id DESC LIMIT 1").fetchone()

    def set_notify(self, version_id: int, status: str, detail: str) -> None:
        self.db.execute(
            "UPDATE version SET notify_status = ?, notify_detail = ? WHERE id = ?",
            (status, detail, version_id),
        )

    def counts(self) -> dict[str, int]:
        out = {"revisions": self.revision_count()}
        for t in (*DATA_TABLES, "run", "version"):
            out[t] = int(self.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0])
        return out

    def dump(self, tables: Iterable[str] = DATA_TABLES) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of the given tables (tests compare stores with it)."""
        return {
            t: [tuple(r) for r in self.db.execute(f"SELECT * FROM {t} ORDER BY 1, 2")]
            for t in tables
        }
