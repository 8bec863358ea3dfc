"""No all-clear from stale or empty data (issue 16): when the newest usable incident is older
than the rule pack's staleness limit before the as-of date, every command that rates places
stops with exit 2 and says how old the data is; `--allow-stale` assesses anyway and marks every
output STALE DATA."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from acled_factory import BAMAKO, series, write_csv
from click.testing import CliRunner, Result

from advisory.cli import cli


def run_cli(*args: str | Path) -> Result:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output + result.stderr
    return result


@pytest.fixture
def old_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return write_csv(
        tmp_path / "old.csv", series("A", date(2020, 12, 1), 11, BAMAKO[0] + 0.05, BAMAKO[1])
    )


STALE = "the newest incident is from 2020-12-31, 3,652 days before 2030-12-31"


@pytest.mark.parametrize(
    "command",
    [
        ["assess"],
        ["explain", "bamako"],
        ["render", "-f", "md"],
        ["check", "bamako", "kati", "--profile", "national-staff"],
    ],
)
def test_stale_data_stops_every_rating_command_with_exit_2(
    old_export: Path, command: list[str]
) -> None:
    as_of = "--date" if command[0] == "check" else "--as-of"
    result = run_cli(*command, "-i", old_export, as_of, "2030-12-31")
    assert result.exit_code == 2, (result.exit_code, result.output)  # never 1: that is "refused"
    assert STALE in result.stderr
    assert "refresh the export or give an earlier --as-of" in result.stderr


def test_allow_stale_assesses_and_marks_every_output(old_export: Path) -> None:
    result = run_cli(
        "assess", "-i", old_export, "--as-of", "2030-12-31", "--allow-stale", "-f", "json"
    )
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["method"]["stale"] is True and doc["method"]["data_age_days"] == 3652
    assert doc["bottom_line"]["personal_security"].startswith("STALE DATA: ")
    assert doc["bottom_line"]["regime_collapse"].startswith("STALE DATA: ")
    table = run_cli("assess", "-i", old_export, "--as-of", "2030-12-31", "--allow-stale")
    assert "Two-track assessment as of 31 December 2030 -- STALE DATA" in table.stdout
    assert "Warning: STALE DATA" in table.stderr


def test_fresh_data_is_not_stale(old_export: Path) -> None:
    result = run_cli("assess", "-i", old_export, "-f", "json")  # as of the latest event
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["method"]["stale"] is False and doc["method"]["data_age_days"] == 0
    assert not doc["bottom_line"]["personal_security"].startswith("STALE")


def test_data_within_the_limit_is_assessed_without_a_mark(old_export: Path) -> None:
    result = run_cli("assess", "-i", old_export, "--as-of", "2021-02-28", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["method"]["data_age_days"] == 59


def test_a_desk_publishes_nothing_from_stale_data_and_exits_1(old_export: Path) -> None:
    """A desk whose newest import is years old says so with the same words, exits 1 (a failed
    update) and publishes nothing."""
    from desk_support import make_desk

    from advisory.desk.config import load_config

    config = make_desk(old_export.parent / "desk")
    old_export.rename(old_export.parent / "desk" / "incidents" / "old.csv")
    result = run_cli("update", "--config", config, "--as-of", "2030-12-31")
    assert result.exit_code == 1, result.output
    assert STALE in result.output and "Nothing was imported or published" in result.output
    cfg = load_config(config)
    assert not (cfg.published / "latest").exists()


def test_no_incident_file_is_an_input_error_not_an_all_clear() -> None:
    from advisory.engine import assess
    from advisory.errors import InputError

    with pytest.raises(InputError, match="no incident file given"):
        assess([], as_of=date(2025, 11, 20))
