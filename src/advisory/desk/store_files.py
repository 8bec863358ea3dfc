"""The store's ledger of watched files: which were imported (path, sha256, size, mtime and
ctime, so an untouched file is recognised without being read) and what reading each noted."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable


class WatchedFiles:
    """The `source_file` and `file_note` tables of a `Store` (which opens `db`)."""

    db: sqlite3.Connection

    def file_unchanged(self, path: str, size: int, mtime_ns: int, ctime_ns: int) -> bool:
        """Imported before and not touched since (same size, mtime and ctime): not read again.
        ctime cannot be set back by hand, so a rewrite that keeps the mtime is still seen. A
        file imported before the store kept its notes (schema 3) is read once more for them."""
        q = (
            "SELECT 1 FROM source_file s JOIN file_note n USING (path, sha256) "
            "WHERE s.path = ? AND size = ? AND mtime_ns = ? AND ctime_ns = ?"
        )
        return self.db.execute(q, (path, size, mtime_ns, ctime_ns)).fetchone() is not None

    def path_seen(self, path: str) -> bool:
        q = "SELECT 1 FROM source_file WHERE path = ? LIMIT 1"
        return self.db.execute(q, (path,)).fetchone() is not None

    def file_seen(self, path: str, sha: str) -> bool:
        """This content of this path was imported, and its notes are kept."""
        q = "SELECT 1 FROM file_note WHERE path = ? AND sha256 = ?"
        return self.db.execute(q, (path, sha)).fetchone() is not None

    def record_notes(self, path: str, sha: str, notes: list[str], now: str, run: int) -> None:
        """What reading a file noted, kept from the first time this desk read that content."""
        self.db.execute(
            "INSERT OR IGNORE INTO file_note (path, sha256, notes, imported_at, run_id) "
            "VALUES (?, ?, ?, ?, ?)",
            (path, sha, json.dumps(notes, ensure_ascii=False), now, run),
        )

    def known_notes(self, at: str) -> list[str]:
        """The input notes as known at `at`: for each file path, those of the content of it
        read last by then (its rows are known; an older content's rows mostly again), by path.
        A file gone from the watched folder keeps its notes: its rows are still known."""
        rows = self.db.execute(
            """
            SELECT n.path, n.notes FROM file_note n
            WHERE n.imported_at <= :at AND n.imported_at = (
                SELECT MAX(m.imported_at) FROM file_note m
                WHERE m.path = n.path AND m.imported_at <= :at
            )
            ORDER BY n.path, n.sha256
            """,
            {"at": at},
        ).fetchall()
        return [note for r in rows for note in json.loads(r["notes"])]

    def notes_would_change(self, files: Iterable[tuple[str, list[str]]], now: str) -> bool:
        """Whether recording these files' notes (path, notes) changes `known_notes`."""
        latest: dict[str, list[str]] = {}
        for path, notes in files:
            latest[path] = notes
        if not latest:
            return False
        q = (
            "SELECT notes FROM file_note WHERE path = ? AND imported_at <= ? "
            "ORDER BY imported_at DESC LIMIT 1"
        )
        for path, notes in latest.items():
            row = self.db.execute(q, (path, now)).fetchone()
            if (json.loads(row[0]) if row else []) != notes:
                return True
        return False

    def record_file(
        self, path: str, sha: str, rows: int, st: tuple[int, int, int], now: str, run: int
    ) -> None:
        """Record a file (or, for one seen before, its metadata now: size, mtime, ctime)."""
        self.db.execute(
            "INSERT INTO source_file (path, sha256, kind, rows, imported_at, run_id, size, "
            "mtime_ns, ctime_ns) VALUES (?, ?, 'incidents', ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (path, sha256) DO UPDATE SET size = excluded.size, "
            "mtime_ns = excluded.mtime_ns, ctime_ns = excluded.ctime_ns",
            (path, sha, rows, now, run, *st),
        )
