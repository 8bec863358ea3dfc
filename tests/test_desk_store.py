"""The store's layout (schema 3): revisions in columnar batches, keyed by row hash; an
existing store of schema 2 upgrades in place; small batches are merged; an update with nothing
new is not assessed again."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date
from pathlib import Path

import polars as pl
from acled_factory import BAMAKO, event, write_csv
from desk_support import ambushes, cfg_of, make_desk

from advisory.desk import revisions as rv
from advisory.desk import run_update
from advisory.desk.schema import V1, V2, statements
from advisory.desk.store import SCHEMA_VERSION, Store
from advisory.ingest.acled import COLUMNS, read_export
from advisory.rulepack import load_pack

T1, T2 = "2025-11-01T06:00:00.000000Z", "2025-11-02T06:00:00.000000Z"
ALL = "9999-01-01T00:00:00.000000Z"

FORMATS = load_pack().formats
LEGACY_GED = (FORMATS.acled_legacy, FORMATS.ucdp_ged)  # as an update reads its files


def test_row_hashes_are_hashlib_of_the_joined_row() -> None:
    raw = pl.DataFrame(
        [{c: v for c, v in zip(COLUMNS, [f"é{i}\u202e", "", "x,y\n\"z\"", *["1"] * 28],
                               strict=False)} for i in range(3)],
        schema={c: pl.String for c in COLUMNS},
    ).with_columns(pl.lit("f").alias("_file"), pl.lit(2).alias("_row"))  # fmt: skip
    keyed = rv.keyed(raw, "file")
    for row, h in zip(raw.select(COLUMNS).iter_rows(), keyed["_hash"], strict=True):
        assert h == hashlib.sha256("\x1f".join(row).encode()).hexdigest()


def _v2_store(path: Path, rows: list[tuple[str, pl.DataFrame]]) -> None:
    """A store as advisory wrote it before schema 3: one SQLite row per revision."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN")
    for script in (V1, V2):
        for stmt in statements(script):
            db.execute(stmt)
    db.execute("PRAGMA user_version = 2")
    cols = ", ".join(f'"c_{c}"' for c in COLUMNS)
    for run, (stamp, frame) in enumerate(rows, start=1):
        db.execute("INSERT INTO run (id, started_at, status) VALUES (?, ?, 'published')",
                   (run, stamp))  # fmt: skip
        for r in frame.select(*COLUMNS, "_file", "_row").iter_rows():
            values = r[: len(COLUMNS)]
            ts = int(float(values[COLUMNS.index("timestamp")] or 0))
            db.execute(
                f"INSERT OR IGNORE INTO incident_revision (event_id, ts_key, content_hash, "
                f"{cols}, source, file, row, imported_at, run_id) VALUES "
                f"({', '.join('?' * (len(COLUMNS) + 8))})",
                (values[0], ts, hashlib.sha256("\x1f".join(values).encode()).hexdigest(),
                 *values, "file", r[-2], r[-1], stamp, run),
            )  # fmt: skip
    db.execute("INSERT INTO deletion VALUES ('A1', 1700000000, ?, 2)", (T2,))
    db.execute("COMMIT")
    db.close()


def test_a_schema_2_store_upgrades_in_place_and_keeps_what_was_known(tmp_path: Path) -> None:
    path = make_desk(tmp_path / "d")
    cfg = cfg_of(path)
    first = write_csv(tmp_path / "first.csv", ambushes("A", date(2025, 10, 1), 4))
    revised = event("A0", date(2025, 10, 1), *BAMAKO, fatalities=5, timestamp=1_750_000_000)
    second = write_csv(tmp_path / "second.csv", [revised])
    _v2_store(
        cfg.store,
        [(T1, read_export(first, *LEGACY_GED).frame), (T2, read_export(second, *LEGACY_GED).frame)],
    )

    s = Store(cfg.store)
    assert s.schema_version == SCHEMA_VERSION == 4
    tables = {r[0] for r in s.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "incident_revision" not in tables and s.revision_count() == 5
    then, now = s.known_frame(T1), s.known_frame(ALL)
    s.close()
    assert sorted(then.frame["event_id_cnty"]) == ["A0", "A1", "A2", "A3"]
    by_id = {r["event_id_cnty"]: r for r in now.frame.iter_rows(named=True)}
    assert sorted(by_id) == ["A0", "A2", "A3"]  # A1 deleted, A0 revised
    assert by_id["A0"]["fatalities"] == "5" and by_id["A0"]["_file"] == str(second)
    # the digest of what was known is the one schema 2 gave: sha256 of the sorted row hashes
    hashes = sorted(
        (r[0], hashlib.sha256("\x1f".join(r).encode()).hexdigest())
        for r in read_export(first, *LEGACY_GED).frame.select(COLUMNS).iter_rows()
    )
    assert (
        then.digest
        == "sha256:" + hashlib.sha256("\n".join(h for _, h in hashes).encode()).hexdigest()
    )

    # the keys carried over: the same rows under another name are nothing new
    (cfg.incidents[0] / "again.csv").write_bytes(first.read_bytes())
    res = run_update(cfg, as_of=date(2025, 11, 20))
    assert res.status == "published", res.message
    assert res.imported["file_rows"] == 4 and res.imported["new_revisions_from_files"] == 0


def test_small_imports_are_merged_into_few_batches(tmp_path: Path) -> None:
    s = Store(tmp_path / "store.sqlite")
    with s.transaction():
        for i in range(40):
            rows = [event(f"E{i}-{j}", date(2025, 10, 1), *BAMAKO) for j in range(3)]
            raw = pl.DataFrame(rows).select(pl.col(c).cast(pl.String) for c in COLUMNS)
            raw = raw.with_columns(pl.lit("f").alias("_file"), pl.lit(2, pl.Int64).alias("_row"))
            stamped = rv.stamped(rv.keyed(raw, "file"), f"2025-11-01T00:00:{i:02d}.000000Z", i)
            s.add_revisions(rv.batches(stamped))
    assert s.revision_count() == 120
    assert s.batch_count() <= 6  # a binary counter: about log2(40) batches, not 40
    known = s.known_frame("2025-11-01T00:00:19.000000Z")
    assert known.revisions == 60  # as known after the first 20 imports, merged or not
    s.close()


def test_nothing_new_is_not_assessed_again_but_a_new_day_is(tmp_path: Path) -> None:
    cfg = cfg_of(make_desk(tmp_path / "d"))
    write_csv(cfg.incidents[0] / "a.csv", ambushes("A", date(2025, 10, 1), 3))
    assert run_update(cfg, as_of=date(2025, 11, 20)).status == "published"
    same = run_update(cfg, as_of=date(2025, 11, 20))
    assert same.status == "unchanged" and "assess" not in same.timings
    assert "the same inputs as the last assessment" in same.message
    later = run_update(cfg, as_of=date(2025, 11, 21))  # events age: assessed again
    assert later.status in ("published", "unchanged") and "assess" in later.timings
    cfg.path.write_text(cfg.path.read_text().replace("0.25", "0.3"))  # a config change too
    again = run_update(cfg_of(cfg.path), as_of=date(2025, 11, 21))
    assert "assess" in again.timings


def test_guidance_stored_before_issued_basis_existed_is_not_changed(tmp_path: Path) -> None:
    """Entries are stored as JSON and hashed: the new `issued_basis` field, at its default,
    must not make every entry a desk stored before it read as changed (nor its hash move);
    an entry whose date is not the issuer's is stored with it, and read back so."""
    from advisory.ingest.guidance import GuidanceEntry

    plain = GuidanceEntry.model_validate(
        {"id": "us-1", "issuer": "US", "issued": "2025-01-01", "level": 3, "action": "none"}
    )
    unknown = plain.model_copy(update={"id": "gb-1", "issued_basis": "in_force_by"})
    before = plain.model_dump_json(exclude={"issued_basis"})  # as advisory stored it before
    assert plain.stored_json() == before
    s = Store(tmp_path / "store.sqlite")
    with s.transaction():
        h = hashlib.sha256(before.encode()).hexdigest()
        s.apply_guidance([("added", "us-1", before, h, "g.yaml")], T1, 1)
    assert s.guidance_plan([(plain, "g.yaml")], T2) == []
    with s.transaction():
        s.apply_guidance(s.guidance_plan([(plain, "g.yaml"), (unknown, "g.yaml")], T2), T2, 2)
    entries, _ = s.known_guidance(ALL)
    assert {e.id: e.issued_basis for e in entries} == {"gb-1": "in_force_by", "us-1": "issuer"}
    s.close()
