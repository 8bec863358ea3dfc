"""The desk carries the input notes `advisory assess` prints ("HXL tag row (HDX copy) skipped",
"... rows in ACLED's pre-2019 event types, mapped ..."): they are kept in the store with each
file's import (schema 4, `file_note`), so an update with nothing new, `--as-known-at` and a
rebuilt version give the same notes; a schema-3 store upgrades in place."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

from acled_factory import BAMAKO, event, write_csv
from desk_support import cfg_of, make_desk
from formats_factory import write_hdx, write_pre2019

from advisory.desk import assess_from_config, run_update
from advisory.desk.store import SCHEMA_VERSION, Store
from advisory.engine import assess

AS_OF = date(2020, 9, 1)


def _desk(tmp_path: Path):
    cfg = cfg_of(make_desk(tmp_path / "d"))
    folder = cfg.incidents[0]
    write_hdx(folder)
    write_pre2019(folder)
    recent = [event(f"R{i}", date(2020, 8, 20 + i), *BAMAKO) for i in range(3)]
    write_csv(folder / "recent.csv", recent)
    return cfg


def _notes(folder: Path | str) -> list[str]:
    doc = json.loads((Path(folder) / "advisory.json").read_text("utf-8"))
    return list(doc["inputs"]["incidents"]["notes"])


def _known_at(cfg, version: int = -1) -> str:
    s = Store(cfg.store)
    try:
        return str(s.versions()[version]["known_at"])
    finally:
        s.close()


def test_the_desk_publishes_the_notes_assess_prints_for_the_same_files(tmp_path: Path) -> None:
    cfg = _desk(tmp_path)
    files = sorted(cfg.incidents[0].iterdir())
    expected = assess(files, places=cfg.places, as_of=AS_OF).incidents.notes
    assert any("HXL tag row (HDX copy) skipped" in n for n in expected)
    assert any("rows in ACLED's pre-2019 event types" in n for n in expected)

    v1 = run_update(cfg, as_of=AS_OF)
    assert v1.status == "published", v1.message
    assert _notes(v1.folder) == expected  # was []
    # nothing new: not assessed again, and the store gives the same notes to every reader
    same = run_update(cfg, as_of=AS_OF)
    assert same.status == "unchanged", same.message
    now = assess_from_config(cfg.path, as_of=AS_OF)
    assert now.assessment.inputs["incidents"]["notes"] == expected
    then = assess_from_config(cfg.path, as_of=AS_OF, as_known_at=_known_at(cfg))
    assert then.assessment.inputs["incidents"]["notes"] == expected

    # a later file with notes of its own: known from its import on, not before
    later = cfg.incidents[0] / "later.csv"
    write_csv(later, [event("L1", date(2020, 8, 30), *BAMAKO)])
    later.write_text(later.read_text("utf-8") + "\n\n", "utf-8")  # blank rows at the end
    v2 = run_update(cfg, as_of=AS_OF)
    assert v2.status in ("published", "unchanged"), v2.message
    notes = assess_from_config(cfg.path, as_of=AS_OF).assessment.inputs["incidents"]["notes"]
    assert notes == assess([*files, later], places=cfg.places, as_of=AS_OF).incidents.notes
    assert len(notes) > len(expected)
    then = assess_from_config(cfg.path, as_of=AS_OF, as_known_at=_known_at(cfg, 0))
    assert then.assessment.inputs["incidents"]["notes"] == expected


def test_a_schema_3_store_upgrades_in_place_and_learns_its_files_notes(tmp_path: Path) -> None:
    """A store written before the notes were kept (schema 3): opened, it gains `file_note`
    and keeps everything else; the next update reads each file still watched once more for
    its notes, and what was known before that still reads as it was published (no notes)."""
    cfg = _desk(tmp_path)
    v1 = run_update(cfg, as_of=AS_OF)
    assert v1.status == "published", v1.message
    db = sqlite3.connect(cfg.store, isolation_level=None)
    db.execute("DROP TABLE file_note")  # the schema-3 store: exactly migrations 1-3
    db.execute("PRAGMA user_version = 3")
    db.close()
    published = json.loads((Path(v1.folder) / "advisory.json").read_text("utf-8"))
    published["inputs"]["incidents"]["notes"] = []  # as a schema-3 desk published it

    s = Store(cfg.store)
    assert s.schema_version == SCHEMA_VERSION == 4
    assert s.known_notes("9999-01-01T00:00:00.000000Z") == []
    revisions, versions = s.revision_count(), len(s.versions())
    s.close()

    res = run_update(cfg, as_of=AS_OF)
    assert res.status in ("published", "unchanged"), res.message
    assert res.imported["files_read"] == 3 and res.imported["new_revisions_from_files"] == 0
    s = Store(cfg.store)
    assert s.revision_count() == revisions and len(s.versions()) >= versions
    s.close()
    files = sorted(p for p in cfg.incidents[0].iterdir())
    expected = assess(files, places=cfg.places, as_of=AS_OF).incidents.notes
    now = assess_from_config(cfg.path, as_of=AS_OF)
    assert now.assessment.inputs["incidents"]["notes"] == expected
    # as known when v1 was published: what was known then, notes and all (none)
    then = assess_from_config(cfg.path, as_of=AS_OF, as_known_at=_known_at(cfg, 0))
    doc = json.loads(then.assessment.model_dump_json())
    for d in (doc, published):
        d["provenance"]["generated_at"] = ""
    assert doc == published
    # and once read, the files are skipped again from their metadata
    again = run_update(cfg, as_of=AS_OF)
    assert again.status == "unchanged" and again.imported["files_read"] == 0
