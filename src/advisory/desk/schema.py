"""The store's schema, as the list of migrations that builds it (`PRAGMA user_version` counts
how many have run). A new store runs them all; an existing one runs those it lacks, in one
transaction, so an interrupted upgrade leaves the store as it was.

Schema 3 moved incident revisions out of a 39-column table (one SQLite row per revision) into
columnar batches (`revision_batch`, Parquet blobs): a desk that follows a region for years holds
a million revisions, and reading them back row by row was most of the cost of every update
(see `docs/scheduling.md`, "How the store is laid out").

Schema 4 keeps what reading each imported file noted (`file_note`: "HXL tag row skipped", "1339
rows in ACLED's pre-2019 event types ..."), so the desk's assessments carry the same input notes
as `advisory assess` on the same files. A store upgraded from schema 3 has none for the files it
imported before: the next update reads each such file still watched once more, for its notes
(recorded as known from then on, so earlier versions still rebuild as they were published).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator

import polars as pl

from ..ingest.acled import COLUMNS
from . import revisions as rv


def _col(c: str) -> str:
    return f'"c_{c}"'


V1 = f"""
CREATE TABLE incident_revision (
    id INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL,
    ts_key INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    {", ".join(f"{_col(c)} TEXT NOT NULL" for c in COLUMNS)},
    source TEXT NOT NULL,
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
"""

V2 = """
ALTER TABLE version ADD COLUMN notify_status TEXT NOT NULL DEFAULT 'pending';
ALTER TABLE version ADD COLUMN notify_detail TEXT NOT NULL DEFAULT '';
"""

V3 = """
CREATE TABLE revision_batch (
    id INTEGER PRIMARY KEY,
    rows INTEGER NOT NULL,
    first_imported_at TEXT NOT NULL,  -- of its rows (a compacted batch spans several runs)
    last_imported_at TEXT NOT NULL,
    data BLOB NOT NULL                -- Parquet: revisions.SCHEMA
);
CREATE INDEX revision_batch_known ON revision_batch (first_imported_at);
CREATE INDEX deletion_known ON deletion (imported_at);
ALTER TABLE source_file ADD COLUMN size INTEGER NOT NULL DEFAULT -1;
ALTER TABLE source_file ADD COLUMN mtime_ns INTEGER NOT NULL DEFAULT -1;
ALTER TABLE source_file ADD COLUMN ctime_ns INTEGER NOT NULL DEFAULT -1;
CREATE INDEX source_file_stat ON source_file (path, size, mtime_ns, ctime_ns);
"""


V4 = """
CREATE TABLE file_note (
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    notes TEXT NOT NULL,              -- JSON list: what reading the file did (`export_notes`)
    imported_at TEXT NOT NULL,        -- when this desk first read that content
    run_id INTEGER NOT NULL,
    PRIMARY KEY (path, sha256)
);
CREATE INDEX file_note_known ON file_note (path, imported_at);
"""


def insert_batches(db: sqlite3.Connection, batches: list[rv.Batch]) -> None:
    db.executemany(
        "INSERT INTO revision_batch (rows, first_imported_at, last_imported_at, data) "
        "VALUES (?, ?, ?, ?)",
        [(b.rows, b.first_imported_at, b.last_imported_at, b.data) for b in batches],
    )


def _v3_batches(db: sqlite3.Connection) -> None:
    """Schema 2's revision rows, in their order, into batches (their keys are kept as they are:
    the hash is the same function of the same columns)."""
    cols = ", ".join(_col(c) for c in COLUMNS)
    cur = db.execute(
        f"SELECT {cols}, file, row, source, ts_key, content_hash, imported_at, run_id "
        "FROM incident_revision ORDER BY id"
    )
    while rows := cur.fetchmany(rv.BATCH_ROWS):
        insert_batches(db, rv.batches(pl.DataFrame(rows, schema=rv.SCHEMA, orient="row")))
    db.execute("DROP TABLE incident_revision")


Step = str | Callable[[sqlite3.Connection], None]
MIGRATIONS: list[list[Step]] = [[V1], [V2], [V3, _v3_batches], [V4]]
SCHEMA_VERSION = len(MIGRATIONS)


def statements(script: str) -> Iterator[str]:
    """Split a migration into statements (executescript would COMMIT mid-migration)."""
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            yield buf
            buf = ""
    if buf.strip():
        raise ValueError(f"incomplete SQL statement in a migration: {buf[:60]!r}")


def upgrade(db: sqlite3.Connection, have: int, want: int = SCHEMA_VERSION) -> None:
    """Run migrations `have`..`want` (the caller holds the transaction)."""
    for i in range(have, want):
        for step in MIGRATIONS[i]:
            if isinstance(step, str):
                for stmt in statements(step):
                    db.execute(stmt)
            else:
                step(db)
        db.execute(f"PRAGMA user_version = {i + 1}")
