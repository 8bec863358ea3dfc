"""Every command that writes a file: a target that cannot be written is an input error (exit
2) naming the file, never "internal error, please report" (exit 1), and for `check` never
the exit code of a refusal.

The unwritable target is a file name longer than any file system takes (ENAMETOOLONG): unlike
a read-only folder it stays unwritable when the tests run as root."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from acled_factory import (
    BAMAKO,
    SEGOU,
    cli_inputs,
    event,
    line,
    point,
    series,
    write_csv,
    write_places,
)
from click.testing import CliRunner, Result

from advisory.cli import cli

TOO_LONG = "x" * 300  # NAME_MAX is 255 bytes on Linux and macOS


def run_cli(*args: str | Path) -> Result:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result


def cannot_write(result: Result, name: str) -> None:
    """An input error naming the file, not an internal error."""
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert "internal error" not in result.stderr
    assert "cannot write" in result.stderr and name in result.stderr, result.stderr


def test_render_to_an_unwritable_file_is_an_input_error(tmp_path: Path) -> None:
    for fmt in ("geojson", "md", "kml"):
        out = tmp_path / f"{TOO_LONG}.{fmt}"
        cannot_write(run_cli("render", *cli_inputs(tmp_path), "-f", fmt, "--out", out), TOO_LONG)
    good = tmp_path / "rated.geojson"
    r = run_cli("render", *cli_inputs(tmp_path), "-f", "geojson", "--out", good)
    assert r.exit_code == 0 and good.is_file() and f"Wrote {good}" in r.stderr


def _routable_places(tmp_path: Path) -> Path:
    return write_places(
        tmp_path / "places.geojson",
        [
            point("bamako", "Bamako", "capital", *BAMAKO, population=2800000),
            point("segou", "Ségou", "city", *SEGOU, population=205787),
            line("rn6", "RN6", [BAMAKO, SEGOU], **{"from": "bamako", "to": "segou"}),
        ],
    )


def test_check_that_cannot_write_exits_2_never_1(tmp_path: Path) -> None:
    """Exit 1 means refused: a file that cannot be written must not read as a refusal."""
    rows = [event("Z1", date(2025, 11, 1), 14.0, -3.0, kind="clash")]  # far away: cleared
    inputs = ["--incidents", write_csv(tmp_path / "acled.csv", rows),
              "--places", _routable_places(tmp_path), "--date", "2025-11-20",
              "--rejects", tmp_path / "rejects.csv"]  # fmt: skip
    trip = ["check", "bamako", "segou", "--profile", "national-staff", *inputs, "-f", "json"]
    cannot_write(run_cli(*trip, "--out", tmp_path / f"{TOO_LONG}.json"), TOO_LONG)
    taken = tmp_path / "taken"
    taken.mkdir()  # a folder where the file should go
    cannot_write(run_cli(*trip, "--out", taken), "taken")
    good = tmp_path / "trip.json"
    r = run_cli(*trip, "--out", good)
    assert r.exit_code == 0 and good.is_file(), r.output
    assert f"Wrote {good}" in r.stderr


def test_backtest_to_an_unwritable_file_is_an_input_error(tmp_path: Path) -> None:
    rows = series("A", date(2025, 1, 10), 3, BAMAKO[0] + 0.02, BAMAKO[1], every_days=20)
    inputs = ["-i", write_csv(tmp_path / "e.csv", rows), "-p", _routable_places(tmp_path),
              "--from", "2025-03-01", "--to", "2025-04-01"]  # fmt: skip
    good = tmp_path / "bt.txt"
    r = run_cli("backtest", *inputs, "--out", good)
    assert r.exit_code == 0 and "Backtest 2025-03-01" in good.read_text("utf-8"), r.output
    cannot_write(run_cli("backtest", *inputs, "--out", tmp_path / f"{TOO_LONG}.txt"), TOO_LONG)


def test_demo_reports_to_an_unwritable_folder_are_an_input_error(tmp_path: Path) -> None:
    folder = tmp_path / TOO_LONG
    r = run_cli("demo", "--reports-dir", folder, "--rejects", tmp_path / "rejects.csv")
    cannot_write(r, TOO_LONG)
