"""Hostile files and folders: glob characters in names, infinite and future timestamps, names
that break TOML, an unwritable published folder; and `assess --config` without --as-of."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import time
import tomllib
from datetime import date
from pathlib import Path

import pytest
from acled_factory import BAMAKO, event, write_csv
from click.testing import CliRunner
from desk_support import ambushes, cfg_of, make_desk

from advisory.cli import cli
from advisory.desk import load_config, run_update
from advisory.desk.store import Store

ALL = "9999-01-01T00:00:00.000000Z"


def _known(cfg) -> dict[str, str]:
    s = Store(cfg.store)
    try:
        frame = s.known_frame(ALL).frame
    finally:
        s.close()
    return dict(zip(frame["event_id_cnty"], frame["_file"], strict=True))


def test_glob_characters_in_a_file_name_are_read_literally(tmp_path: Path) -> None:
    cfg = cfg_of(make_desk(tmp_path / "d"))
    odd = write_csv(cfg.incidents[0] / "mali[1].csv", ambushes("ODD", date(2025, 10, 1), 3))
    plain = write_csv(cfg.incidents[0] / "mali1.csv", ambushes("PLAIN", date(2025, 10, 2), 2))
    res = run_update(cfg, as_of=date(2025, 11, 20))
    assert res.status == "published", res.message
    assert res.imported["new_revisions_from_files"] == 5
    known = _known(cfg)
    assert {k for k, f in known.items() if f == str(odd)} == {"ODD0", "ODD1", "ODD2"}
    assert {k for k, f in known.items() if f == str(plain)} == {"PLAIN0", "PLAIN1"}
    s = Store(cfg.store)
    files = {r["path"]: r["sha256"] for r in s.db.execute("SELECT * FROM source_file")}
    s.close()
    for f in (odd, plain):
        assert files[str(f)] == "sha256:" + hashlib.sha256(f.read_bytes()).hexdigest()
    again = run_update(cfg, as_of=date(2025, 11, 20))
    assert again.status == "unchanged" and again.imported["files_unchanged"] == 2


def test_infinite_timestamps_are_rejected_by_row_and_future_ones_refused(tmp_path: Path) -> None:
    cfg = cfg_of(make_desk(tmp_path / "d"))
    rows = ambushes("OK", date(2025, 10, 1), 3)
    rows += [event(f"INF{i}", date(2025, 10, 5), *BAMAKO, timestamp=t)
             for i, t in enumerate(["inf", "1e999", "1e400", "-inf", "nan"])]  # fmt: skip
    rows.append(event("FUTURE", date(2025, 10, 6), *BAMAKO, timestamp=99_999_999_999))
    path = write_csv(cfg.incidents[0] / "odd.csv", rows)
    res = run_update(cfg, as_of=date(2025, 11, 20))
    assert res.status == "published", res.message
    wanted = "5 incident rows rejected (5 x timestamp must be a whole number of Unix seconds"
    assert any(wanted in n for n in res.notes)
    rejects = (cfg.root / "rejects.csv").read_text()
    for i in range(5):
        assert f"INF{i}" in rejects
    assert f"{path}" in rejects
    assert any(f"1 rows of {path} refused" in n and "FUTURE" in n and "row 10" in n
               for n in res.notes), res.notes  # fmt: skip
    assert "FUTURE" not in _known(cfg)


def test_init_writes_valid_toml_whatever_the_name(tmp_path: Path) -> None:
    for i, name in enumerate(["C:\\quick", "two\nlines", 'a "quoted" name', "tab\tand \\u0041"]):
        root = tmp_path / f"desk{i}"
        res = CliRunner().invoke(cli, ["init", str(root), "--name", name])
        assert res.exit_code == 0, res.output
        text = (root / "advisory.toml").read_text("utf-8")
        assert tomllib.loads(text)["desk"]["name"] == name
        assert load_config(root).name == name


def test_an_unwritable_published_folder_is_an_input_error_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_desk(tmp_path / "d")
    cfg = cfg_of(path)
    write_csv(cfg.incidents[0] / "a.csv", ambushes("A", date(2025, 10, 1), 3))
    if os.geteuid() == 0:  # root writes through permissions: a read-only file system it is
        real = os.open

        def read_only(p, flags, *a, **k):  # type: ignore[no-untyped-def]
            if str(p).startswith(str(cfg.published)) and flags & (os.O_WRONLY | os.O_RDWR):
                raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(p))
            return real(p, flags, *a, **k)

        monkeypatch.setattr(os, "open", read_only)
    else:
        cfg.published.chmod(0o555)
    res = CliRunner().invoke(cli, ["update", "--config", str(path), "--as-of", "2025-11-20"])
    assert res.exit_code == 2, res.output
    assert f"Error: {cfg.published}: cannot write the desk's lock here" in res.output
    assert "internal error" not in res.output


def test_assess_config_without_as_of_uses_the_latest_event(tmp_path: Path) -> None:
    path = make_desk(tmp_path / "d")
    cfg = cfg_of(path)
    write_csv(cfg.incidents[0] / "a.csv", ambushes("A", date(2025, 10, 1), 4))
    assert run_update(cfg, as_of=date(2025, 11, 20)).status == "published"
    res = CliRunner().invoke(cli, ["assess", "--config", str(path), "-f", "json",
                                   "--rejects", str(tmp_path / "r.csv")])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["as_of"] == "2025-10-07"  # the fourth ambush, two days apart
    far = CliRunner().invoke(cli, ["assess", "--config", str(path), "--as-known-at",
                                   "9999-12-31T23:00-05:00"])  # fmt: skip
    assert far.exit_code == 2 and "--as-known-at" in far.output and "year 9999" in far.output
    assert "internal error" not in far.output


def test_a_touched_file_is_not_read_again_and_a_rewritten_one_is(tmp_path: Path) -> None:
    cfg = cfg_of(make_desk(tmp_path / "d"))
    f = write_csv(cfg.incidents[0] / "a.csv", ambushes("A", date(2025, 10, 1), 3))
    assert run_update(cfg, as_of=date(2025, 11, 20)).status == "published"
    later = time.time() + 100
    os.utime(f, (later, later))  # touched: hashed again, not read
    res = run_update(cfg, as_of=date(2025, 11, 20))
    assert res.imported["files_read"] == 0 and res.imported["files_unchanged"] == 1
    st = f.stat()
    rows = ambushes("B", date(2025, 10, 1), 3)  # the same size, the mtime put back by hand
    write_csv(f, rows)
    assert f.stat().st_size == st.st_size
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    res = run_update(cfg, as_of=date(2025, 11, 20))
    assert res.imported["files_read"] == 1 and res.imported["new_revisions_from_files"] == 3
