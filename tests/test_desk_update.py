"""The desk: init, the store's upsert, publishing only on change, as-known-at, history, diff."""

from __future__ import annotations

import csv
import json
import os
import re
import shlex
from datetime import date
from pathlib import Path

import pytest
from acled_factory import GUIDANCE_LEAVE, SEGOU, event, write_csv
from click.testing import CliRunner
from desk_support import ambushes, cfg_of, make_desk

from advisory.cli import AdvisoryGroup
from advisory.cli.desk import diff, history, init, update
from advisory.desk import assess_from_config, load_config, run_update
from advisory.desk.changes import compare, jaccard_distance
from advisory.desk.config import ConfigError
from advisory.desk.store import DATA_TABLES, SCHEMA_VERSION, Store, utc_now
from advisory.errors import InputError


def desk_cli():
    group = AdvisoryGroup("advisory")
    for c in (init, update, history, diff):
        group.add_command(c)
    return group


def invoke(*args: str):
    return CliRunner().invoke(desk_cli(), list(args))


def data_dump(cfg) -> dict:
    s = Store(cfg.store)
    try:
        return s.dump((*DATA_TABLES, "version"))
    finally:
        s.close()


def test_init_writes_a_commented_config_the_loader_accepts(tmp_path: Path) -> None:
    res = invoke("init", str(tmp_path / "mali-desk"))
    assert res.exit_code == 0, res.output
    root = tmp_path / "mali-desk"
    text = (root / "advisory.toml").read_text()
    assert text.count("#") > 20  # commented
    for d in ("incidents", "guidance", "published"):
        assert (root / d).is_dir()
    cfg = load_config(root / "advisory.toml")
    assert cfg.incidents == (root / "incidents",) and cfg.guidance == (root / "guidance",)
    assert cfg.driver_change_threshold == 0.25 and cfg.appendix is False
    assert "\nappendix = false " in text
    assert cfg.formats == ("json", "html", "md", "pdf") and cfg.acled.enabled is False
    assert Store(cfg.store).schema_version == SCHEMA_VERSION
    again = invoke("init", str(root))
    assert again.exit_code == 2 and "already exists" in again.output


def test_init_says_the_next_command_as_a_shell_takes_it(tmp_path: Path) -> None:
    root = tmp_path / "a desk with spaces"
    res = invoke("init", str(root))
    assert res.exit_code == 0, res.output
    [nxt] = [line for line in res.output.splitlines() if line.startswith("Next: ")]
    assert shlex.split(nxt.removeprefix("Next: ")) == [
        "advisory", "update", "--config", str(root / "advisory.toml"),
    ]  # fmt: skip
    # what each path is, in one column whatever the paths' lengths
    listed = [line for line in res.output.splitlines() if line.startswith("  ")]
    starts = {re.search(r" {2,}(\S[^ ].*)$", line).start(1) for line in listed}
    assert len(listed) == 5 and len(starts) == 1, listed


def test_bad_config_is_exit_2_with_key_and_suggestion(tmp_path: Path) -> None:
    cfg = make_desk(tmp_path / "d")
    cfg.write_text(cfg.read_text().replace("driver_change_threshold", "driver_change_treshold"))
    res = invoke("update", "--config", str(cfg), "--as-of", "2025-11-20")
    assert res.exit_code == 2
    assert "publish.driver_change_treshold" in res.output
    assert "did you mean 'driver_change_threshold'" in res.output
    cfg.write_text('[acled]\npassword = "hunter22"\n')
    with pytest.raises(ConfigError) as exc:
        load_config(cfg)
    assert "secrets never go in advisory.toml" in str(exc.value) and "hunter22" not in str(
        exc.value
    )
    res = invoke("update", "--config", str(tmp_path / "nowhere.toml"))
    assert res.exit_code == 2 and "advisory init" in res.output


def test_reimporting_a_file_changes_nothing(tmp_path: Path) -> None:
    path = make_desk(tmp_path / "d")
    cfg = cfg_of(path)
    rows = ambushes("A", date(2025, 10, 1), 8)
    write_csv(cfg.incidents[0] / "export.csv", rows)
    first = run_update(cfg, as_of=date(2025, 11, 20))
    assert first.status == "published", first.message
    assert first.imported["new_revisions_from_files"] == 8
    before = data_dump(cfg)
    # the same rows again, under another name and shuffled: no new revision, no new version
    write_csv(cfg.incidents[0] / "export-again.csv", list(reversed(rows)))
    again = run_update(cfg, as_of=date(2025, 11, 20))
    assert again.status == "unchanged" and again.exit_code == 0
    assert again.imported["file_rows"] == 8 and again.imported["new_revisions_from_files"] == 0
    after = data_dump(cfg)
    for table in ("revision_batch", "deletion", "guidance_revision", "version", "meta"):
        assert after[table] == before[table], table
    # the unchanged file is not even re-read
    third = run_update(cfg, as_of=date(2025, 11, 20))
    assert third.imported["files_read"] == 0 and third.imported["files_unchanged"] == 2


def test_the_first_version_is_said_once(tmp_path: Path) -> None:
    """A single change is the message's summary: it is not listed again below it."""
    path = make_desk(tmp_path / "d")
    write_csv(cfg_of(path).incidents[0] / "a.csv", ambushes("A", date(2025, 10, 1), 3))
    first = invoke("update", "--config", str(path), "--as-of", "2025-11-20")
    assert first.exit_code == 0 and "Published v1" in first.output
    assert first.output.count("first published advisory") == 1, first.output


def test_publishes_only_on_change_force_and_history(tmp_path: Path) -> None:
    path = make_desk(tmp_path / "d")
    cfg = cfg_of(path)
    write_csv(cfg.incidents[0] / "a.csv", ambushes("A", date(2025, 10, 1), 3))
    v1 = run_update(cfg, as_of=date(2025, 11, 20))
    assert v1.status == "published" and v1.version == "v1"
    assert [c["kind"] for c in v1.changes] == ["first"]
    same = invoke("update", "--config", str(path), "--as-of", "2025-11-20")
    assert same.exit_code == 0 and "Nothing to publish" in same.output
    forced = invoke(
        "update", "--config", str(path), "--as-of", "2025-11-20", "--force", "-f", "json"
    )
    assert forced.exit_code == 0
    doc = json.loads(forced.stdout)
    assert doc["status"] == "published" and doc["version"] == "v2" and doc["changes"] == []
    # a wave of ambushes and foreign kidnappings on the road: levels move
    more = ambushes("B", date(2025, 11, 1), 9) + ambushes(
        "K", date(2025, 11, 2), 6, kind="kidnap_foreign"
    )
    write_csv(cfg.incidents[0] / "b.csv", more)
    v3 = run_update(cfg, as_of=date(2025, 11, 20))
    assert v3.status == "published" and v3.version == "v3"
    assert any(c["kind"] == "level" and c["id"] == "bamako" for c in v3.changes), v3.changes
    latest = cfg.published / "latest"
    assert latest.is_symlink() and os.readlink(latest) == "versions/v0003_2025-11-20"
    published = json.loads((latest / "advisory.json").read_text())
    assert published["as_of"] == "2025-11-20"
    manifest = json.loads((latest / "manifest.json").read_text())
    assert manifest["previous"] == "v2" and set(manifest["files"]) >= {"advisory.json"}
    changelog = (cfg.published / "CHANGELOG.md").read_text()
    assert changelog.index("## v3") < changelog.index("## v2") < changelog.index("## v1")
    assert "(forced)" in changelog
    assert len((cfg.published / "changelog.jsonl").read_text().splitlines()) == 3

    hist = invoke("history", "--config", str(path), "--format", "json")
    assert hist.exit_code == 0
    items = json.loads(hist.stdout)
    assert [i["version"] for i in items] == ["v1", "v2", "v3"]
    assert all(i["digest"].startswith("sha256:") for i in items)
    assert items[1]["forced"] is True
    table = invoke("history", "--config", str(path))
    assert "v3" in table.output and "as of 2025-11-20" in table.output

    d = invoke("diff", "v1", "v3", "--config", str(path), "--format", "json")
    assert d.exit_code == 0, d.output
    out = json.loads(d.stdout)
    assert out["from"]["version"] == "v1" and out["to"]["version"] == "v3"
    assert any(c["kind"] == "level" for c in out["changes"])
    # by date: the last version as of that date
    by_date = invoke("diff", "2025-11-20", "v1", "--config", str(path), "-f", "json")
    assert json.loads(by_date.stdout)["from"]["version"] == "v3"
    bad = invoke("diff", "2024-01-01", "v1", "--config", str(path))
    assert bad.exit_code == 2 and "no version as of 2024-01-01" in bad.output


def test_as_known_at_reproduces_the_published_advisory(tmp_path: Path) -> None:
    path = make_desk(tmp_path / "d")
    cfg = cfg_of(path)
    rows = ambushes("A", date(2025, 10, 1), 4)
    write_csv(cfg.incidents[0] / "a.csv", rows)
    (cfg.guidance[0] / "g.yaml").write_text(GUIDANCE_LEAVE, "utf-8")
    v1 = run_update(cfg, as_of=date(2025, 11, 10))
    assert v1.status == "published"
    s = Store(cfg.store)
    known_at = s.last_version()["known_at"]
    s.close()
    published = json.loads((cfg.published / "latest" / "advisory.json").read_text())

    # later: ACLED revises an event (new timestamp, more fatalities), new events come in,
    # one guidance file disappears (withdrawn)
    revised = dict(rows[0], fatalities=12, timestamp=1_780_000_000)
    write_csv(cfg.incidents[0] / "b.csv", [revised, *ambushes("C", date(2025, 11, 1), 6)])
    (cfg.guidance[0] / "g.yaml").unlink()
    v2 = run_update(cfg, as_of=date(2025, 11, 10))
    assert v2.status == "published"
    assert any(c["kind"] == "guidance" for c in v2.changes)

    then = assess_from_config(path, as_of=date(2025, 11, 10), as_known_at=known_at)
    doc = json.loads(then.assessment.model_dump_json())
    for d in (doc, published):
        d["provenance"]["generated_at"] = ""
    assert doc == published  # byte for byte what was published then, apart from the clock
    now = assess_from_config(path, as_of=date(2025, 11, 10))
    assert now.assessment.inputs["guidance_entries"] == 0
    assert then.assessment.inputs["guidance_entries"] == 3
    a0 = next(r for r in now.incidents.frame.iter_rows(named=True) if r["event_id"] == "A0")
    assert a0["fatalities"] == 12
    # a time before anything was imported: nothing known, and no all-clear made of nothing
    with pytest.raises(InputError, match="the store knew none at 2000-01-01"):
        assess_from_config(path, as_of=date(2025, 11, 10), as_known_at="2000-01-01T00:00")
    with pytest.raises(Exception, match="as-known-at"):
        assess_from_config(path, as_known_at="yesterday")


def test_corrupt_or_truncated_file_fails_with_name_and_row(tmp_path: Path) -> None:
    path = make_desk(tmp_path / "d")
    cfg = cfg_of(path)
    write_csv(cfg.incidents[0] / "good.csv", ambushes("A", date(2025, 10, 1), 5))
    assert run_update(cfg, as_of=date(2025, 11, 20)).status == "published"
    before = data_dump(cfg)
    bad = write_csv(cfg.incidents[0] / "cut.csv", ambushes("Z", date(2025, 11, 1), 5))
    raw = bad.read_text()
    bad.write_text(raw[: len(raw) - 80])  # cut short in the middle of the last row
    res = invoke("update", "--config", str(path), "--as-of", "2025-11-20")
    assert res.exit_code == 1
    assert "cut.csv:6" in res.output and "cut short" in res.output
    assert "Nothing was imported or published" in res.output
    assert data_dump(cfg) == before
    assert os.readlink(cfg.published / "latest") == "versions/v0001_2025-11-20"
    # not UTF-8: the file and line are named too
    header = raw.splitlines()[0].encode()
    bad.write_bytes(header + b"\nX1,\xff\xfe" + b"," * (header.count(b",") - 1) + b"\n")
    res = invoke("update", "--config", str(path), "--as-of", "2025-11-20")
    assert res.exit_code == 1 and "cut.csv:2" in res.output and "UTF-8" in res.output
    # the failed attempts are on record, the data are not touched
    s = Store(cfg.store)
    assert [r["status"] for r in s.runs()] == ["published", "failed", "failed"]
    s.close()
    bad.unlink()
    assert run_update(cfg, as_of=date(2025, 11, 20)).status == "unchanged"


def write_semicolon_csv(path: Path, rows: list[dict]) -> Path:
    """An export as a French-locale spreadsheet saves it: fields separated by `;`."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), delimiter=";")
        w.writeheader()
        w.writerows(rows)
    return path


def test_a_semicolon_export_with_commas_in_its_notes_is_imported(tmp_path: Path) -> None:
    path = make_desk(tmp_path / "d")
    cfg = cfg_of(path)
    rows = ambushes("A", date(2025, 10, 1), 5, notes="Gunmen, on motorbikes, ambushed a convoy.")
    write_semicolon_csv(cfg.incidents[0] / "fr.csv", rows)
    res = invoke("update", "--config", str(path), "--as-of", "2025-11-20")
    assert res.exit_code == 0, res.output
    assert "Published v1 (as of 2025-11-20)" in res.output
    s = Store(cfg.store)
    try:
        notes = s.known_frame(utc_now()).frame["notes"].to_list()
    finally:
        s.close()
    assert notes == ["Gunmen, on motorbikes, ambushed a convoy."] * 5


def test_a_semicolon_export_with_a_short_row_is_refused_naming_the_row(tmp_path: Path) -> None:
    path = make_desk(tmp_path / "d")
    cfg = cfg_of(path)
    bad = write_semicolon_csv(cfg.incidents[0] / "fr.csv", ambushes("A", date(2025, 10, 1), 5))
    lines = bad.read_text("utf-8").splitlines(keepends=True)
    lines[3] = lines[3].rsplit(";", 3)[0] + "\r\n"  # row 4 (header = 1) lacks its last 3 fields
    bad.write_text("".join(lines), "utf-8")
    res = invoke("update", "--config", str(path), "--as-of", "2025-11-20")
    assert res.exit_code == 1, res.output
    assert "fr.csv:4" in res.output and "row has 28 fields, the header has 31" in res.output
    assert "Nothing was imported or published" in res.output
    s = Store(cfg.store)
    try:
        assert [r["status"] for r in s.runs()] == ["failed"]
    finally:
        s.close()


@pytest.mark.parametrize(
    ("row", "keep", "said"),
    [
        (3, 28, "row has 28 fields, the header has 31; fix or re-export the file"),
        (6, 28, "row has 28 fields, the header has 31 (the file looks cut short); fix or"),
    ],
)
def test_assess_and_the_desk_refuse_a_short_row_in_the_same_words(
    tmp_path: Path, row: int, keep: int, said: str
) -> None:
    """One read for every command: `assess` and an update read a watched export through the
    same ingest, so a row with fewer fields than the header fails both with the same message
    (exit 2 for `assess`'s input error; exit 1 for the update, whose failed runs all exit 1)."""
    from advisory.cli import cli

    path = make_desk(tmp_path / "d")
    cfg = cfg_of(path)
    bad = write_csv(cfg.incidents[0] / "short.csv", ambushes("A", date(2025, 10, 1), 5))
    lines = bad.read_text("utf-8").splitlines(keepends=True)
    cells = next(csv.reader([lines[row - 1]]))[:keep]
    lines[row - 1] = ",".join(cells) + ("\n" if row < len(lines) else "")
    bad.write_text("".join(lines), "utf-8")
    message = f"{bad}:{row}: {said}"
    assessed = CliRunner().invoke(cli, ["assess", "-i", str(bad), "--as-of", "2025-11-20"])
    assert assessed.exit_code == 2, assessed.output
    assert f"Error: {message}" in assessed.stderr
    updated = invoke("update", "--config", str(path), "--as-of", "2025-11-20")
    assert updated.exit_code == 1, updated.output
    assert f"incident source failed: {message}" in updated.output
    assert "Nothing was imported or published" in updated.output


def test_rejected_rows_are_reported_and_the_update_goes_on(tmp_path: Path) -> None:
    path = make_desk(tmp_path / "d")
    cfg = cfg_of(path)
    rows = ambushes("A", date(2025, 10, 1), 4)
    rows.append(event("BAD1", date(2025, 10, 2), 95.0, -8.0))  # latitude out of range
    write_csv(cfg.incidents[0] / "a.csv", rows)
    res = invoke("update", "--config", str(path), "--as-of", "2025-11-20")
    assert res.exit_code == 0 and "1 incident rows rejected" in res.output
    rejects = (cfg.root / "rejects.csv").read_text()
    assert "BAD1" in rejects and "a.csv" in rejects and "latitude out of range" in rejects


def test_empty_store_is_a_failed_update(tmp_path: Path) -> None:
    path = make_desk(tmp_path / "d")
    res = invoke("update", "--config", str(path), "--as-of", "2025-11-20")
    assert res.exit_code == 1 and "no usable incidents" in res.output


def test_stale_data_refused_with_what_a_desk_can_do(tmp_path: Path) -> None:
    """`update` has no --allow-stale (a desk never publishes stale data): its refusal says
    what a desk can do instead, not to use a flag it does not have."""
    path = make_desk(tmp_path / "d")
    write_csv(cfg_of(path).incidents[0] / "export.csv", ambushes("A", date(2025, 1, 1), 8))
    res = invoke("update", "--config", str(path), "--as-of", "2025-11-20")
    assert res.exit_code == 1, res.output
    said = " ".join(res.output.split())
    assert "the newest incident is from 2025-01-15" in said
    assert "drop a fresher export into the watched folder or pull from ACLED" in said
    assert "--allow-stale" not in said


def test_guidance_change_alone_publishes(tmp_path: Path) -> None:
    path = make_desk(tmp_path / "d")
    cfg = cfg_of(path)
    write_csv(cfg.incidents[0] / "a.csv", ambushes("A", date(2025, 10, 1), 3, where=SEGOU))
    assert run_update(cfg, as_of=date(2025, 11, 20)).status == "published"
    (cfg.guidance[0] / "g.yaml").write_text(GUIDANCE_LEAVE, "utf-8")
    res = run_update(cfg, as_of=date(2025, 11, 20))
    assert res.status == "published"
    kinds = {c["kind"] for c in res.changes}
    assert "guidance" in kinds
    texts = " ".join(c["text"] for c in res.changes)
    assert "guidance fr-1 (FR, level 4, leave_now) added" in texts


def test_each_guidance_entry_is_recorded_with_the_file_it_came_from(tmp_path: Path) -> None:
    path = make_desk(tmp_path / "d")
    cfg = cfg_of(path)
    write_csv(cfg.incidents[0] / "a.csv", ambushes("A", date(2025, 10, 1), 3, where=SEGOU))
    us_gb, fr = GUIDANCE_LEAVE.split("- id: fr-1")
    first = cfg.guidance[0] / "a.yaml"
    first.write_text(us_gb, "utf-8")
    last = cfg.guidance[0] / "z.yaml"
    last.write_text("- id: fr-1" + fr, "utf-8")
    assert run_update(cfg, as_of=date(2025, 11, 20)).status == "published"
    s = Store(cfg.store)
    try:
        rows = s.db.execute("SELECT entry_id, file FROM guidance_revision").fetchall()
    finally:
        s.close()
    assert dict(rows) == {"us-1": str(first), "gb-1": str(first), "fr-1": str(last)}


def _doc(drivers: list[str], level: int = 3) -> dict:
    loc = {
        "id": "bamako",
        "name": "Bamako",
        "personal_security": {"level": level, "hazards": {}},
        "regime_collapse": {"level": 1},
        "drivers": [{"track": "personal_security", "hazard": "ambush", "rule": r} for r in drivers],
    }
    return {"national": {}, "locations": [loc], "guidance": []}


def test_driver_threshold_is_the_configured_number() -> None:
    old, new = _doc(["a", "b", "c", "d"]), _doc(["a", "b", "c", "e"])
    d = jaccard_distance({"a", "b", "c", "d"}, {"a", "b", "c", "e"})
    assert d == pytest.approx(0.4)
    assert [c["kind"] for c in compare(old, new, threshold=0.4)] == ["drivers"]
    assert compare(old, new, threshold=0.41) == []
    assert compare(old, old, threshold=0.01) == []
    change = compare(old, new, threshold=0.25)[0]
    assert "now e" in change["text"] and "no longer d" in change["text"]
    lvl = compare(_doc(["a"], 3), _doc(["a"], 4), threshold=1.0)
    assert [(c["kind"], c["from"], c["to"]) for c in lvl] == [("level", 3, 4)]


def test_a_version_holds_every_format_and_says_what_changed(tmp_path: Path) -> None:
    from advisory.engine import DATA_DIR

    path = make_desk(tmp_path / "d", small=False)  # v1: JSON only (PDF is skippable)
    cfg = cfg_of(path)
    for f in (DATA_DIR / "incidents").glob("*.csv"):
        (cfg.incidents[0] / f.name).write_bytes(f.read_bytes())
    for f in (DATA_DIR / "guidance").glob("*.yaml"):
        (cfg.guidance[0] / f.name).write_bytes(f.read_bytes())
    assert run_update(cfg, as_of=date(2025, 11, 18)).status == "published"
    assert sorted(p.name for p in (cfg.published / "latest").iterdir()) == [
        "advisory.json", "brief.en.txt", "changes.json", "compare.json", "manifest.json",
    ]  # fmt: skip
    text = path.read_text().replace('formats = ["json"]', 'formats = ["json", "html", "md", "pdf"]')
    path.write_text(text)
    cfg = cfg_of(path)
    res = run_update(cfg, as_of=date(2025, 11, 20), force=True)
    assert res.status == "published", res.message
    folder = cfg.published / "latest"
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "advisory.en.html", "advisory.en.md", "advisory.en.pdf", "advisory.json",
        "brief.en.txt", "changes.json", "compare.json", "manifest.json",
    ]  # fmt: skip
    assert (folder / "advisory.en.pdf").read_bytes().startswith(b"%PDF")
    md = (folder / "advisory.en.md").read_text()
    assert "18 November 2025" in md  # the previous advisory, passed to the renderer
    html = (folder / "advisory.en.html").read_text()
    assert "18 November 2025" in html and "<script" not in html.lower()


def test_a_corrected_row_with_the_same_timestamp_replaces_the_earlier_one(tmp_path: Path) -> None:
    cfg = make_desk(tmp_path / "d")
    inc = tmp_path / "d" / "incidents"
    # an export without timestamps (older or hand-made files): every revision ties on time
    seized = event("S1", date(2025, 10, 1), *SEGOU, kind="seized", precision=1, timestamp="")
    write_csv(inc / "a.csv", [seized])
    assert invoke("update", "--config", str(cfg), "--as-of", "2025-11-20").exit_code == 0
    held = assess_from_config(cfg, as_of=date(2025, 11, 20))
    by_id = {loc.id: loc for loc in held.assessment.locations}
    assert by_id["segou"].regime_collapse.control_status == "held"
    # the analyst corrects the row: it was the army regaining the town, not a seizure
    corrected = event("S1", date(2025, 10, 1), *SEGOU, kind="regained", precision=1, timestamp="")
    write_csv(inc / "a.csv", [corrected])
    res = invoke("update", "--config", str(cfg), "--as-of", "2025-11-20")
    assert res.exit_code == 0, res.output
    now = assess_from_config(cfg, as_of=date(2025, 11, 20))
    by_id = {loc.id: loc for loc in now.assessment.locations}
    assert by_id["segou"].regime_collapse.control_status == "government"


def test_a_version_carries_the_exports_it_is_configured_for(tmp_path: Path) -> None:
    """The brief is written with every version in every language; the workbook and the map
    layers when the config lists them; an unknown format is a config error."""
    import openpyxl

    path = make_desk(tmp_path / "d", formats=("json", "xlsx", "geojson", "kml"),
                     languages=("en", "fr"))  # fmt: skip
    cfg = cfg_of(path)
    write_csv(cfg.incidents[0] / "a.csv", ambushes("A", date(2025, 10, 1), 3))
    assert run_update(cfg, as_of=date(2025, 11, 20)).status == "published"
    latest = cfg.published / "latest"
    for lang in ("en", "fr"):
        assert (latest / f"brief.{lang}.txt").read_text("utf-8").strip()
        book = openpyxl.load_workbook(latest / f"advisory.{lang}.xlsx")
        assert len(book.sheetnames) >= 5
        layer = json.loads((latest / f"rated.{lang}.geojson").read_text("utf-8"))
        assert layer["type"] == "FeatureCollection" and layer["features"]
        assert (latest / f"rated.{lang}.kml").read_bytes().startswith(b"<?xml")
    assert not list(latest.glob("*.html"))  # not configured
    (tmp_path / "e").mkdir()
    bad = make_desk(tmp_path / "e", formats=("json", "docx"))
    with pytest.raises(ConfigError, match="unknown format 'docx'"):
        load_config(bad)


def test_a_missing_places_file_is_an_input_error_even_with_nothing_new(tmp_path: Path) -> None:
    path = make_desk(tmp_path / "d")
    cfg = cfg_of(path)
    write_csv(cfg.incidents[0] / "a.csv", ambushes("A", date(2025, 10, 1), 3))
    assert run_update(cfg, as_of=date(2025, 11, 20)).status == "published"
    assert cfg.places is not None
    cfg.places.unlink()
    runner = CliRunner()
    res = runner.invoke(AdvisoryGroup(commands={"update": update}),
                        ["update", "--config", str(path), "--as-of", "2025-11-21"])  # fmt: skip
    assert res.exit_code == 2, res.output
    assert str(cfg.places) in res.output and "internal error" not in res.output


def test_an_update_leaves_the_collector_as_it_found_it(tmp_path: Path) -> None:
    """The update's run is kept out of the collector's walks (objects.gc_paused(keep=True)
    inside objects.thawed_after) and given back at its end, failed or not; a heap frozen by
    the caller stays frozen."""
    import gc

    cfg = cfg_of(make_desk(tmp_path / "d"))
    write_csv(cfg.incidents[0] / "a.csv", ambushes("A", date(2025, 10, 1), 3))
    assert run_update(cfg, as_of=date(2025, 11, 20)).status == "published"
    assert gc.get_freeze_count() == 0
    write_csv(cfg.incidents[0] / "b.csv", ambushes("B", date(2025, 11, 1), 9))
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        assert run_update(cfg, as_of=date(2025, 11, 20)).status == "published"
        assert gc.get_freeze_count() >= before
    finally:
        gc.unfreeze()


def test_the_log_gives_the_updates_wall_time_not_the_sum_of_its_steps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`publish` holds `render_reports`: their sum said 8.1 s of an update that took 5.2 s.
    The step timings stay as they are in the JSON (`timings`)."""
    import time

    import advisory.desk.update as desk_update
    from advisory.desk.result import UpdateResult

    steps = {"gather": 0.1, "publish": 5.0, "render_reports": 4.0}

    def slow(cfg, as_of=None, force=False):
        time.sleep(0.3)
        return UpdateResult(status="unchanged", message="Nothing new.", timings=dict(steps))

    monkeypatch.setattr(desk_update, "run_update", slow)
    res = invoke("update", "--config", str(make_desk(tmp_path / "d")), "--format", "json")
    assert res.exit_code == 0, res.output
    took = float(res.stderr.split("update finished: unchanged in ")[1].split(" s")[0])
    assert 0.3 <= took < 2.0, res.stderr
    assert json.loads(res.stdout)["timings"] == steps


def test_a_desk_prints_the_evidence_appendix_when_its_config_asks(tmp_path: Path) -> None:
    """`[publish] appendix = true`: each version's PDF carries the evidence, as `render
    --appendix` does; without it the PDF is the brief (test_report_render.py)."""
    import subprocess

    from system_tools import tool

    path = make_desk(tmp_path / "d", formats=("json", "pdf"))
    threshold = "driver_change_threshold = 0.25"
    path.write_text(path.read_text().replace(threshold, threshold + "\nappendix = true"))
    cfg = cfg_of(path)
    assert cfg.appendix is True
    write_csv(cfg.incidents[0] / "a.csv", ambushes("A", date(2025, 10, 1), 9))
    assert run_update(cfg, as_of=date(2025, 11, 20)).status == "published"
    pdf = cfg.published / "latest" / "advisory.en.pdf"
    text = subprocess.run(
        [tool("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Appendix: evidence" in text
