"""A desk whose folders were tampered with: two configs on one store, `latest` copied into a
real folder, the last version's folder deleted, the store emptied or lost."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from datetime import date
from pathlib import Path

from acled_factory import write_csv
from click.testing import CliRunner
from desk_support import ambushes, cfg_of, make_desk, reaped, release, spawn_update, wait_for_line

from advisory.cli import cli
from advisory.desk import run_update
from advisory.desk.store import Store

AS_OF = date(2025, 11, 20)


def _published(tmp_path: Path) -> Path:
    path = make_desk(tmp_path / "d")
    cfg = cfg_of(path)
    write_csv(cfg.incidents[0] / "a.csv", ambushes("A", date(2025, 10, 1), 3))
    assert run_update(cfg, as_of=AS_OF).status == "published"
    write_csv(cfg.incidents[0] / "b.csv", ambushes("B", date(2025, 11, 1), 9))
    assert run_update(cfg, as_of=AS_OF).status == "published"
    return path


def test_two_configs_on_one_store_take_the_same_lock(tmp_path: Path) -> None:
    first = _published(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    shared = first.parent
    same = (f'places = "{shared}/places.geojson"\nstore = "{shared}/store.sqlite"\n'
            f'published = "{shared}/published"')  # fmt: skip
    text = first.read_text().replace('places = "places.geojson"', same)
    (other / "advisory.toml").write_text(text, "utf-8")
    a = spawn_update(first, "--force", pause_at="renamed")
    with reaped(a):
        wait_for_line(a, "ADVISORY_TEST_PAUSED renamed")  # v3 renamed in, not yet recorded
        res = CliRunner().invoke(cli, ["update", "--config", str(other / "advisory.toml"),
                                       "--as-of", "2025-11-20", "--force"])  # fmt: skip
        assert res.exit_code == 1 and "another update of this desk is running" in res.output
        out, err = release(a)
    assert a.returncode == 0 and "Published v3" in out, err
    cfg = cfg_of(first)
    assert os.readlink(cfg.published / "latest") == "versions/v0003_2025-11-20"
    assert not (cfg.published / "orphaned").exists()


def test_latest_as_a_real_folder_is_moved_aside_and_made_a_link_again(tmp_path: Path) -> None:
    path = _published(tmp_path)
    cfg = cfg_of(path)
    latest = cfg.published / "latest"
    copy = tmp_path / "copy"
    shutil.copytree(latest, copy)  # a restore that followed the link
    latest.unlink()
    shutil.copytree(copy, latest)
    res = run_update(cfg, as_of=AS_OF)
    assert res.exit_code == 0, res.message
    assert latest.is_symlink() and os.readlink(latest) == "versions/v0002_2025-11-20"
    assert any("`latest` was a real folder" in n for n in res.notes)
    assert (cfg.published / "orphaned" / "latest" / "advisory.json").exists()


def test_a_deleted_last_version_is_rebuilt_byte_for_byte(tmp_path: Path) -> None:
    path = _published(tmp_path)
    cfg = cfg_of(path)
    folder = cfg.published / "versions" / "v0002_2025-11-20"
    recorded = "sha256:" + hashlib.sha256((folder / "advisory.json").read_bytes()).hexdigest()
    shutil.rmtree(folder)
    res = run_update(cfg, as_of=AS_OF)
    assert res.status == "unchanged", res.message
    assert any("the folder of v2 was missing: rebuilt" in n for n in res.notes), res.notes
    rebuilt = (folder / "advisory.json").read_bytes()
    assert "sha256:" + hashlib.sha256(rebuilt).hexdigest() == recorded
    assert json.loads((folder / "manifest.json").read_text())["rebuilt"] is True
    assert os.readlink(cfg.published / "latest") == "versions/v0002_2025-11-20"


def test_an_empty_or_missing_store_beside_versions_is_refused(tmp_path: Path) -> None:
    path = _published(tmp_path)
    cfg = cfg_of(path)
    before = sorted(p.name for p in (cfg.published / "versions").iterdir())
    for damage in ("empty", "missing"):
        for p in (cfg.store, Path(f"{cfg.store}-wal"), Path(f"{cfg.store}-shm")):
            p.unlink(missing_ok=True)
        if damage == "empty":
            cfg.store.write_bytes(b"")
        res = CliRunner().invoke(cli, ["update", "--config", str(path), "--as-of", "2025-11-20"])
        assert res.exit_code == 1, res.output
        assert f"the store {cfg.store} is {damage}" in res.output
        assert "holds 2 published versions" in res.output and "restore it" in res.output
        assert sorted(p.name for p in (cfg.published / "versions").iterdir()) == before
        assert not (cfg.published / "orphaned").exists()
    # a store that exists but never published these versions is refused as well
    cfg.store.unlink(missing_ok=True)
    Store(cfg.store).close()
    res = CliRunner().invoke(cli, ["update", "--config", str(path), "--as-of", "2025-11-20"])
    assert res.exit_code == 1 and "records no published version" in res.output
