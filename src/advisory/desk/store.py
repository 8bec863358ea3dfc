"""The desk's store: one SQLite file (standard library driver, WAL) holding what was known when.

Tables (schema version in `PRAGMA user_version`, upgraded by the MIGRATIONS list in order):

- `incident_revision`: every distinct row ACLED sent or a file held, as ACLED's raw string
  columns (so the engine's own validation runs on the way out and rejects are still reported),
  unique on (event id, timestamp, content hash): re-importing a row changes nothing.
- `deletion`: event ids ACLED deleted, with ACLED's deletion timestamp.
- `guidance_revision`: guidance entries as read (JSON), a new row only when an entry changed
  or was withdrawn.
- `source_file`: files already imported (path + sha256), so unchanged files are not re-read.
- `run`: each update (inputs, digests, outcome); `version`: each published advisory.
- `meta`: ACLED pull cursors.

Every row carries `imported_at` (UTC, microseconds): `known_frame(t)` and `known_guidance(t)`
rebuild the inputs as they were known at any instant, which is what `--as-known-at` assesses.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from ..errors import AdvisoryError
from ..ingest.acled import COLUMNS
from ..ingest.guidance import GuidanceEntry

SCHEMA_VERSION = 2


def _col(c: str) -> str:
    return f'"c_{c}"'


MIGRATIONS: list[str] = [
    # 1: the initial schema
    f"""
    CREATE TABLE incident_revision (
        id INTEGER PRIMARY KEY,
        event_id TEXT NOT NULL,
        ts_key INTEGER NOT NULL,          -- ACLED timestamp as a number, -1 when unusable
        content_hash TEXT NOT NULL,
        {", ".join(f"{_col(c)} TEXT NOT NULL" for c in COLUMNS)},
        source TEXT NOT NULL,             -- 'file' or 'acled-api'
        file TEXT NOT NULL,
        row INTEGER NOT NULL,
        imported_at TEXT NOT NULL,
        run_id INTEGER NOT NULL,
        UNIQUE (event_id, ts_key, content_hash)
    );
    CREATE INDEX incident_known ON incident_revision (imported_at);
    CREATE TABLE deletion (
        event_id TEXT NOT NULL,
        deleted_ts INTEGER NOT NULL,
        imported_at TEXT NOT NULL,
        run_id INTEGER NOT NULL,
        PRIMARY KEY (event_id, deleted_ts)
    );
    CREATE TABLE guidance_revision (
        id INTEGER PRIMARY KEY,
        entry_id TEXT NOT NULL,
        content_hash TEXT NOT NULL,       -- '' for a withdrawal
        data TEXT,                        -- the entry as JSON; NULL when withdrawn
        file TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        run_id INTEGER NOT NULL
    );
    CREATE INDEX guidance_known ON guidance_revision (entry_id, imported_at);
    CREATE TABLE source_file (
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        kind TEXT NOT NULL,
        rows INTEGER NOT NULL,
        imported_at TEXT NOT NULL,
        run_id INTEGER NOT NULL,
        PRIMARY KEY (path, sha256)
    );
    CREATE TABLE run (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        as_of TEXT,
        status TEXT NOT NULL,             -- published | unchanged | failed
        inputs TEXT NOT NULL DEFAULT '{{}}',
        assessment_digest TEXT,
        version_id INTEGER,
        message TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE version (
        id INTEGER PRIMARY KEY,           -- 1, 2, 3 ... shown as v1, v2, v3
        run_id INTEGER NOT NULL,
        as_of TEXT NOT NULL,
        known_at TEXT NOT NULL,
        published_at TEXT NOT NULL,
        folder TEXT NOT NULL,
        digest TEXT NOT NULL,             -- sha256 of advisory.json
        assessment_digest TEXT NOT NULL,  -- sha256 of the assessment without generated_at
        forced INTEGER NOT NULL,
        changes TEXT NOT NULL,            -- JSON change list against the previous version
        files TEXT NOT NULL               -- JSON {{name: sha256}}
    );
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 2: notification state per version (pending until sent or given up)
    """
    ALTER TABLE version ADD COLUMN notify_status TEXT NOT NULL DEFAULT 'pending';
    ALTER TABLE version ADD COLUMN notify_detail TEXT NOT NULL DEFAULT '';
    """,
]
assert len(MIGRATIONS) == SCHEMA_VERSION

DATA_TABLES = ("incident_revision", "deletion", "guidance_revision", "source_file", "meta")


def _statements(script: str) -> Iterator[str]:
    """Split a migration into statements (executescript would COMMIT mid-migration)."""
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            yield buf
            buf = ""
    if buf.strip():
        raise ValueError(f"incomplete SQL statement in a migration: {buf[:60]!r}")


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
    be surprising, so a bare date means its start) -> store stamp. Naive times are UTC."""
    t = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return stamp(t)


def row_hash(values: Iterable[str]) -> str:
    return hashlib.sha256("\x1f".join(values).encode("utf-8")).hexdigest()


def _ts_key(value: str) -> int:
    if value == "":
        return 0  # as the engine reads it (normalise: empty timestamp = 0)
    try:
        return int(float(value))
    except ValueError:
        return -1


@dataclass
class Known:
    """Incidents as known at an instant: the raw frame for `normalise`, plus a digest."""

    frame: pl.DataFrame
    digest: str
    revisions: int


class Store:
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
        self.db.execute("BEGIN IMMEDIATE")
        try:
            have = self.schema_version  # another process may have migrated meanwhile
            for i in range(have, SCHEMA_VERSION):
                for stmt in _statements(MIGRATIONS[i]):
                    self.db.execute(stmt)
                self.db.execute(f"PRAGMA user_version = {i + 1}")
            self.db.execute("COMMIT")
        except BaseException:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise

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

    # -- files -------------------------------------------------------------------------------
    def file_seen(self, path: str, sha: str) -> bool:
        q = "SELECT 1 FROM source_file WHERE path = ? AND sha256 = ?"
        return self.db.execute(q, (path, sha)).fetchone() is not None

    def record_file(self, path: str, sha: str, kind: str, rows: int, now: str, run: int) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO source_file VALUES (?, ?, ?, ?, ?, ?)",
            (path, sha, kind, rows, now, run),
        )

    # -- incidents ---------------------------------------------------------------------------
    def upsert_incidents(self, raw: pl.DataFrame, source: str, now: str, run_id: int) -> int:
        """Insert rows not seen before (same event id, timestamp and content = same row).
        Returns the number of new revisions."""
        if raw.is_empty():
            return 0
        cols = [_col(c) for c in COLUMNS]
        sql = (
            f"INSERT OR IGNORE INTO incident_revision (event_id, ts_key, content_hash, "
            f"{', '.join(cols)}, source, file, row, imported_at, run_id) "
            f"VALUES ({', '.join('?' * (len(COLUMNS) + 8))})"
        )
        before = self.db.total_changes
        rows = raw.select(*COLUMNS, "_file", "_row").iter_rows()

        def params() -> Iterator[tuple[Any, ...]]:
            for r in rows:
                values = r[: len(COLUMNS)]
                yield (
                    values[0],
                    _ts_key(values[COLUMNS.index("timestamp")]),
                    row_hash(values),
                    *values,
                    source,
                    r[-2],
                    r[-1],
                    now,
                    run_id,
                )

        self.db.executemany(sql, params())
        return self.db.total_changes - before

    def add_deletions(self, deletions: list[tuple[str, int]], now: str, run_id: int) -> int:
        before = self.db.total_changes
        self.db.executemany(
            "INSERT OR IGNORE INTO deletion VALUES (?, ?, ?, ?)",
            [(e, ts, now, run_id) for e, ts in deletions],
        )
        return self.db.total_changes - before

    def known_frame(self, at: str) -> Known:
        """The raw incident rows as known at `at`: per event, the revisions with the highest
        timestamp and, among those, the ones imported by the latest run (a corrected row whose
        timestamp did not change replaces the earlier one; rows of one import that tie, as in
        monadic exports, are all kept and the engine breaks the tie on content), minus events
        deleted by a deletion known then that is not older than that revision."""
        cols = ", ".join(f"r.{_col(c)}" for c in COLUMNS)
        sql = f"""
            WITH known AS (SELECT * FROM incident_revision WHERE imported_at <= :at),
            top AS (SELECT event_id, MAX(ts_key) AS m FROM known GROUP BY event_id),
            latest AS (
                SELECT k.event_id, k.ts_key, MAX(k.run_id) AS run_id
                FROM known k JOIN top t ON k.event_id = t.event_id AND k.ts_key = t.m
                GROUP BY k.event_id
            )
            SELECT {cols}, r.file, r.row, r.content_hash
            FROM known r JOIN latest t
              ON r.event_id = t.event_id AND r.ts_key = t.ts_key AND r.run_id = t.run_id
            WHERE NOT EXISTS (
                SELECT 1 FROM deletion d
                WHERE d.event_id = r.event_id AND d.imported_at <= :at AND d.deleted_ts >= r.ts_key
            )
            ORDER BY r.event_id, r.content_hash
        """
        rows = self.db.execute(sql, {"at": at}).fetchall()
        schema = {c: pl.String for c in COLUMNS} | {
            "_file": pl.String,
            "_row": pl.Int64,
            "_hash": pl.String,
        }
        frame = pl.DataFrame([tuple(r) for r in rows], schema=schema, orient="row")
        digest = hashlib.sha256("\n".join(frame["_hash"].to_list()).encode()).hexdigest()
        return Known(frame.drop("_hash"), "sha256:" + digest, frame.height)

    def max_acled_timestamp(self) -> int | None:
        row = self.db.execute(
            "SELECT MAX(ts_key) FROM incident_revision WHERE source = 'acled-api'"
        ).fetchone()
        return row[0]

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

    def sync_guidance(
        self, entries: list[tuple[GuidanceEntry, str]], now: str, run_id: int
    ) -> dict[str, int]:
        """Make the stored guidance equal the entries read now: new or changed entries get a
        revision, entries no longer in any file are withdrawn (a revision with no data)."""
        current = self._current_guidance(now)
        seen: set[str] = set()
        added = changed = withdrawn = 0
        for entry, file in entries:
            data = entry.model_dump_json()
            h = hashlib.sha256(data.encode()).hexdigest()
            seen.add(entry.id)
            old = current.get(entry.id)
            if old is not None and old["content_hash"] == h:
                continue
            if old is None or old["data"] is None:
                added += 1
            else:
                changed += 1
            self.db.execute(
                "INSERT INTO guidance_revision (entry_id, content_hash, data, file, imported_at, "
                "run_id) VALUES (?, ?, ?, ?, ?, ?)",
                (entry.id, h, data, file, now, run_id),
            )
        for eid, old in sorted(current.items()):
            if eid not in seen and old["data"] is not None:
                withdrawn += 1
                self.db.execute(
                    "INSERT INTO guidance_revision (entry_id, content_hash, data, file, "
                    "imported_at, run_id) VALUES (?, '', NULL, ?, ?, ?)",
                    (eid, old["file"], now, run_id),
                )
        return {"added": added, "changed": changed, "withdrawn": withdrawn}

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

    def runs(self) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM run ORDER BY id").fetchall()

    def counts(self) -> dict[str, int]:
        out = {}
        for t in (*DATA_TABLES, "run", "version"):
            out[t] = int(self.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0])
        return out

    def dump(self, tables: Iterable[str] = DATA_TABLES) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of the given tables (tests compare stores with it)."""
        return {
            t: [tuple(r) for r in self.db.execute(f"SELECT * FROM {t} ORDER BY 1, 2")]
            for t in tables
        }
