"""Comparing versions through their `compare.json` (the part of the advisory comparisons read)
gives exactly what comparing the whole advisories gives: the update's change list, `diff`'s,
and the reports' "what changed". A version published before versions had a `compare.json`
still compares (its advisory.json is read instead)."""

from __future__ import annotations

import copy
import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner
from desk_support import cfg_of, make_desk

from advisory.assessment.model import Assessment
from advisory.cli import AdvisoryGroup
from advisory.cli.desk import diff
from advisory.desk import run_update
from advisory.desk.changes import COMPARED_FILE, compare, compared_part, load_compared
from advisory.desk.config import DeskConfig
from advisory.engine import DATA_DIR
from advisory.outputs.exports.brief import brief_text
from advisory.outputs.report import render_markdown

THRESHOLD = 0.25  # the default: some driver changes of this fixture fall below it


def _publish(cfg: DeskConfig, as_of: str, force: bool = False) -> list[dict[str, Any]]:
    res = run_update(cfg, as_of=date.fromisoformat(as_of), force=force)
    assert res.status == "published", res.message
    return res.changes


def _folder(cfg: DeskConfig, version: int) -> Path:
    (folder,) = (cfg.published / "versions").glob(f"v{version:04d}_*")
    return folder


def _whole(folder: Path) -> dict[str, Any]:
    doc: dict[str, Any] = orjson.loads((folder / "advisory.json").read_bytes())
    return doc


@pytest.fixture(scope="module")
def demo_desk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's incidents, guidance and 62 places published as of 2025-09-30 (v1) and
    2025-11-20 (v2): 241 changes of every level, of drivers (some under the threshold) and of
    guidance coming into force."""
    root = tmp_path_factory.mktemp("desk") / "d"
    path = make_desk(root, formats=("json", "md"), threshold=THRESHOLD, small=False)
    cfg = cfg_of(path)
    for f in (DATA_DIR / "incidents").glob("*.csv"):
        shutil.copy(f, cfg.incidents[0] / f.name)
    for f in (DATA_DIR / "guidance").glob("*.yaml"):
        shutil.copy(f, cfg.guidance[0] / f.name)
    _publish(cfg, "2025-09-30")
    _publish(cfg, "2025-11-20")
    return root


def _copy(demo_desk: Path, tmp_path: Path) -> DeskConfig:
    shutil.copytree(demo_desk, tmp_path / "d", symlinks=True)
    return cfg_of(tmp_path / "d" / "advisory.toml")


def test_compare_json_is_the_compared_part_of_the_advisory(demo_desk: Path) -> None:
    cfg = cfg_of(demo_desk / "advisory.toml")
    for v in (1, 2):
        folder = _folder(cfg, v)
        assert orjson.loads((folder / COMPARED_FILE).read_bytes()) == compared_part(_whole(folder))
        manifest = json.loads((folder / "manifest.json").read_text())
        assert COMPARED_FILE in manifest["files"]


def test_the_update_and_diff_list_the_changes_of_the_whole_advisories(demo_desk: Path) -> None:
    cfg = cfg_of(demo_desk / "advisory.toml")
    v1, v2 = _folder(cfg, 1), _folder(cfg, 2)
    whole = compare(_whole(v1), _whole(v2), THRESHOLD)
    kinds = {c["kind"] for c in whole}
    assert len(whole) > 200 and kinds == {"level", "drivers", "guidance"}
    # the update's list (from compare.json and the typed assessment), as recorded everywhere
    assert json.loads((v2 / "changes.json").read_text()) == whole
    changelog = (cfg.published / "changelog.jsonl").read_text().splitlines()
    assert json.loads(changelog[1])["changes"] == whole
    # diff: every driver change, from the two compare.json
    every = compare(_whole(v1), _whole(v2), 1e-9)
    assert len(every) > len(whole)
    assert compare(load_compared(v1), load_compared(v2), 1e-9) == every
    res = CliRunner().invoke(
        AdvisoryGroup(commands={"diff": diff}),
        ["diff", "v1", "v2", "--config", str(demo_desk / "advisory.toml"), "-f", "json"],
    )
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["changes"] == every


def test_places_rules_and_withdrawn_guidance_compare_alike(demo_desk: Path) -> None:
    """The change kinds the fixture's two dates do not make: a place gone and one new (with
    every level and driver of its own), the rule pack, guidance no longer on record."""
    cfg = cfg_of(demo_desk / "advisory.toml")
    old, new = _whole(_folder(cfg, 1)), copy.deepcopy(_whole(_folder(cfg, 2)))
    added = copy.deepcopy(new["locations"][0])
    added["id"], added["name"] = "new-town", "New Town"
    new["locations"] = [*new["locations"][2:], added]
    new["provenance"]["rule_pack"]["digest"] = "sha256:another"
    new["guidance"] = new["guidance"][1:]
    for threshold in (THRESHOLD, 1e-9):
        whole = compare(old, new, threshold)
        assert {"place", "rules", "guidance"} <= {c["kind"] for c in whole}
        assert compare(compared_part(old), compared_part(new), threshold) == whole


def test_reports_say_the_same_from_the_compared_part(demo_desk: Path) -> None:
    """The previous advisory the reports were given is v1's compare.json: they read nothing
    else of it (the Markdown of v2 is the one the whole v1 gives)."""
    cfg = cfg_of(demo_desk / "advisory.toml")
    v1, v2 = _folder(cfg, 1), _folder(cfg, 2)
    a = Assessment.model_validate_json((v2 / "advisory.json").read_bytes())
    md = render_markdown(a, lang="en", previous=_whole(v1))
    assert "30 September 2025" in md  # the previous version's date, in words
    assert (v2 / "advisory.en.md").read_text("utf-8") == md
    brief = brief_text(a, "en", previous=_whole(v1))
    assert (v2 / "brief.en.txt").read_text("utf-8") == brief + "\n"


def _as_published_before(folder: Path) -> None:
    """A version folder as a desk without compare.json wrote it."""
    (folder / COMPARED_FILE).unlink()
    manifest = json.loads((folder / "manifest.json").read_text())
    del manifest["files"][COMPARED_FILE]
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2))


def test_a_version_published_before_compare_json_still_compares(
    demo_desk: Path, tmp_path: Path
) -> None:
    cfg = _copy(demo_desk, tmp_path)
    v1, v2 = _folder(cfg, 1), _folder(cfg, 2)
    every = compare(_whole(v1), _whole(v2), 1e-9)
    _as_published_before(v1)
    _as_published_before(v2)
    res = CliRunner().invoke(
        AdvisoryGroup(commands={"diff": diff}),
        ["diff", "v1", "v2", "--config", str(cfg.path), "-f", "json"],
    )
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["changes"] == every
    # the next update compares with v2's advisory.json, and writes its own compare.json
    changes = _publish(cfg, "2025-12-20", force=True)
    v3 = _folder(cfg, 3)
    assert changes and changes == compare(_whole(v2), _whole(v3), THRESHOLD)
    assert orjson.loads((v3 / COMPARED_FILE).read_bytes()) == compared_part(_whole(v3))
    md = render_markdown(
        Assessment.model_validate_json((v3 / "advisory.json").read_bytes()),
        lang="en", previous=_whole(v2),
    )  # fmt: skip
    assert (v3 / "advisory.en.md").read_text("utf-8") == md
