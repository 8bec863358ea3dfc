"""Reliability bars: SIGKILL at each stage, two updates at once, 100 updates, notifications."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from acled_factory import write_csv
from click.testing import CliRunner
from desk_support import (
    Hook,
    Mailbox,
    ambushes,
    cfg_of,
    make_desk,
    reaped,
    release,
    smtp_server,
    spawn_update,
    wait_for_line,
    webhook,
)
from test_desk_update import desk_cli

from advisory.desk import run_update
from advisory.desk.store import Store


def _intact(folder: Path) -> bool:
    manifest = json.loads((folder / "manifest.json").read_text())
    return all(
        "sha256:" + hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
        for name, digest in manifest["files"].items()
    )


def _seed(tmp_path: Path, hook_url: str) -> Path:
    extra = f'[notify]\nretries = 0\nbackoff_s = 0\n\n[notify.webhook]\nurl = "{hook_url}"\n'
    path = make_desk(tmp_path / "d", extra=extra)
    cfg = cfg_of(path)
    write_csv(cfg.incidents[0] / "a.csv", ambushes("A", date(2025, 10, 1), 3))
    assert run_update(cfg, as_of=date(2025, 11, 20)).status == "published"
    more = ambushes("B", date(2025, 11, 1), 9) + ambushes(
        "K", date(2025, 11, 2), 6, kind="kidnap_foreign"
    )
    write_csv(cfg.incidents[0] / "b.csv", more)
    return path


@pytest.mark.parametrize(
    "stage", ["locked", "gathered", "imported", "rendered", "renamed", "committed", "switched"]
)
def test_sigkill_at_any_stage_leaves_the_last_advisory_and_the_store_sound(
    tmp_path: Path, stage: str
) -> None:
    hook = Hook()
    with webhook(hook) as url:
        path = _seed(tmp_path, url)
        cfg = cfg_of(path)
        v1 = cfg.published / "versions" / "v0001_2025-11-20"
        proc = spawn_update(path, pause_at=stage)
        with reaped(proc):
            wait_for_line(proc, f"ADVISORY_TEST_PAUSED {stage}")
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        assert proc.returncode == -signal.SIGKILL
        # what readers see: the last published advisory, whole (v2 is switched in only once it
        # is recorded; killed after the switch, only its notification is outstanding)
        shown = "v0002_2025-11-20" if stage == "switched" else "v0001_2025-11-20"
        assert os.readlink(cfg.published / "latest") == f"versions/{shown}"
        assert _intact(cfg.published / "latest") and _intact(v1)
        s = Store(cfg.store)
        assert s.integrity() == "ok"
        recorded = [v["id"] for v in s.versions()]
        s.close()
        assert recorded == ([1, 2] if stage in ("committed", "switched") else [1])

        again = run_update(cfg, as_of=date(2025, 11, 20))
        assert again.exit_code == 0, again.message
        assert again.status == ("unchanged" if stage in ("committed", "switched") else "published")
        assert os.readlink(cfg.published / "latest") == "versions/v0002_2025-11-20"
        assert _intact(cfg.published / "latest")
        assert sorted(p.name for p in (cfg.published / "versions").iterdir()) == [
            "v0001_2025-11-20",
            "v0002_2025-11-20",
        ]
        assert "## v2" in (cfg.published / "CHANGELOG.md").read_text()
        assert [m["version"] for m in hook.received] == ["v1", "v2"]  # each sent exactly once
        s = Store(cfg.store)
        assert s.integrity() == "ok" and all(v["notify_status"] == "sent" for v in s.versions())
        s.close()


def test_two_updates_at_once_never_write_together(tmp_path: Path) -> None:
    path = make_desk(tmp_path / "d")
    cfg = cfg_of(path)
    write_csv(cfg.incidents[0] / "a.csv", ambushes("A", date(2025, 10, 1), 3))
    first = spawn_update(path, pause_at="locked")
    with reaped(first):
        wait_for_line(first, "ADVISORY_TEST_PAUSED locked")
        second = subprocess.run(
            [sys.executable, "-m", "advisory.desk", "update", "--config", str(path),
             "--as-of", "2025-11-20"],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert second.returncode == 1
        assert "another update of this desk is running (pid" in second.stderr
        out, _ = release(first)
    assert first.returncode == 0 and "Published v1" in out

    # with lock_wait_s the second one waits for the first, then runs
    path.write_text(path.read_text().replace("[desk]", "[desk]\nlock_wait_s = 600"))
    first = spawn_update(path, pause_at="locked")
    second = None
    with reaped(first):
        wait_for_line(first, "ADVISORY_TEST_PAUSED locked")
        second = spawn_update(path, "--force")
        with reaped(second):
            wait_for_line(second, "waiting for another update of this desk to finish")
            release(first)
            out, err = release(second)
    assert first.returncode == 0 and second.returncode == 0, err
    assert "Published v2" in out
    s = Store(cfg.store)
    runs = s.runs()
    s.close()
    # never two writers: run records do not overlap in time
    spans = sorted((r["started_at"], r["finished_at"]) for r in runs)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def _size(cfg) -> int:
    return sum(
        p.stat().st_size
        for p in (cfg.store, Path(f"{cfg.store}-wal"), Path(f"{cfg.store}-shm"))
        if p.exists()
    )


def test_hundred_updates_with_small_deltas_grow_only_with_data(tmp_path: Path) -> None:
    cfg = cfg_of(make_desk(tmp_path / "d"))
    start = date(2025, 6, 1)
    write_csv(cfg.incidents[0] / "base.csv", ambushes("BASE", start, 5))
    assert run_update(cfg, as_of=start + timedelta(days=10)).status == "published"
    base = _size(cfg)
    t0 = time.monotonic()
    n = 100
    for i in range(n):
        day = start + timedelta(days=10 + i)
        rows = ambushes(f"D{i}-", day, 2)
        write_csv(cfg.incidents[0] / f"delta-{i:03d}.csv", rows)
        res = run_update(cfg, as_of=day + timedelta(days=1))
        assert res.exit_code == 0, res.message
    elapsed = time.monotonic() - t0
    grown = _size(cfg) - base
    s = Store(cfg.store)
    counts = s.counts()
    assert s.integrity() == "ok"
    s.close()
    assert counts["revisions"] == 5 + 2 * n and counts["run"] == n + 1
    per_revision = grown / (2 * n)
    print(
        f"\n100 updates: {elapsed:.1f}s, store +{grown / 1024:.0f} KiB "
        f"({per_revision:.0f} B per new revision), {counts['version']} versions"
    )
    assert per_revision < 4096
    # updates with nothing new add only their run record: no growth beyond a few pages
    before = _size(cfg)
    for _ in range(20):
        assert run_update(cfg, as_of=start + timedelta(days=111)).status == "unchanged"
    assert _size(cfg) - before <= 4 * 4096
    assert not Path(f"{cfg.store}-wal").exists() or Path(f"{cfg.store}-wal").stat().st_size == 0


def test_notifications_retry_then_deliver_and_never_block_publishing(tmp_path: Path) -> None:
    hook, box = Hook(statuses=[500, 503]), Mailbox(refuse_first=1)
    with webhook(hook) as url, smtp_server(box) as port:
        extra = f"""
[notify]
retries = 2
backoff_s = 0

[notify.webhook]
url = "{url}"

[notify.email]
host = "127.0.0.1"
port = {port}
from = "desk@example.org"
to = ["security@example.org", "ops@example.org"]
"""
        path = make_desk(tmp_path / "d", extra=extra)
        cfg = cfg_of(path)
        write_csv(cfg.incidents[0] / "a.csv", ambushes("A", date(2025, 10, 1), 3))
        res = CliRunner().invoke(
            desk_cli(), ["update", "--config", str(path), "--as-of", "2025-11-20", "-f", "json"]
        )
        assert res.exit_code == 0, res.output
        doc = json.loads(res.stdout)
        by = {n["channel"]: n for n in doc["notifications"]}
        assert by["webhook"]["ok"] and by["webhook"]["attempts"] == 3
        assert by["email"]["ok"] and by["email"]["attempts"] == 2
        assert hook.received[0]["version"] == "v1"
        assert hook.received[0]["changes"][0]["kind"] == "first"
        # the brief, as written beside the version, in the payload and at the top of the email
        brief = (cfg.published / "latest" / "brief.en.txt").read_text("utf-8").rstrip("\n")
        assert brief.startswith("Travel risk, situation as of") and len(brief) <= 1000
        assert hook.received[0]["brief"] == brief == hook.received[0]["briefs"]["en"]
        body = box.messages[0].replace("=\r\n", "").replace("\r\n", "\n")
        assert brief.splitlines()[0] in body
        assert box.envelopes[0][1] == ["<security@example.org>", "<ops@example.org>"]
        assert "Subject: [advisory] Test desk: advisory v1 as of 2025-11-20" in box.messages[0]

        # every attempt fails: published anyway, exit 0, and it says so
        hook.statuses = [500] * 10
        box.refuse_first = box.connections + 10
        res = CliRunner().invoke(
            desk_cli(), ["update", "--config", str(path), "--as-of", "2025-11-20", "--force"]
        )
        assert res.exit_code == 0, res.output
        assert "Published v2" in res.output
        assert "notification webhook (v2): FAILED after 3 attempts" in res.output
        assert "the advisory is published regardless" in res.output
        hist = json.loads(
            CliRunner().invoke(desk_cli(), ["history", "--config", str(path), "-f", "json"]).stdout
        )
        assert [h["notification"] for h in hist] == ["sent", "failed"]
        assert os.readlink(cfg.published / "latest") == "versions/v0002_2025-11-20"
