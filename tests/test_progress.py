"""Progress bars: drawn on a terminal once a run is slow, never when stderr is a pipe."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

from advisory.cli.progress import AFTER_ENV, Stages
from advisory.engine import DATA_DIR, STAGES

ARGS = [
    "-m",
    "advisory",
    "assess",
    "--incidents",
    str(DATA_DIR / "incidents"),
    "--as-of",
    "2025-11-20",
    "-f",
    "json",
]


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_every_stage_once_the_run_is_slow() -> None:
    out = FakeTerminal()
    with Stages(3, stream=out, after=0) as bar:
        for stage in ("reading", "scoring", "writing"):
            bar(stage)
    text = out.getvalue()
    assert "reading" in text and "scoring" in text and "writing" in text
    assert "3/3" in text


def test_quick_runs_and_pipes_draw_nothing() -> None:
    quick = FakeTerminal()
    with Stages(2, stream=quick, after=3600) as bar:
        bar("reading")
        bar("writing")
    assert quick.getvalue() == ""
    pipe = io.StringIO()
    with Stages(2, stream=pipe, after=0) as bar:
        bar("reading")
    assert pipe.getvalue() == ""


def _run_in_pty(env: dict[str, str], tmp_path: Path) -> tuple[str, bytes]:
    """Run `advisory assess` with stderr on a pseudo-terminal; stdout to a file."""
    leader, follower = pty.openpty()
    out_path = tmp_path / "out.json"
    with out_path.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, *ARGS], stdout=out, stderr=follower, env=env, cwd=tmp_path
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                data = os.read(leader, 4096)
            except OSError:  # the terminal closes when the process exits
                break
            if not data:
                break
            chunks.append(data)
        assert proc.wait(timeout=120) == 0
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace"), out_path.read_bytes()


def test_the_cli_draws_a_bar_on_a_terminal_and_keeps_stdout_clean(tmp_path: Path) -> None:
    env = {**os.environ, AFTER_ENV: "0"}
    terminal, stdout = _run_in_pty(env, tmp_path)
    for stage in STAGES:
        assert stage in terminal
    assert "writing" in terminal
    assert stdout.startswith(b"{") and b"scoring" not in stdout


def test_the_cli_is_quiet_on_a_pipe(tmp_path: Path) -> None:
    env = {**os.environ, AFTER_ENV: "0"}
    proc = subprocess.run(
        [sys.executable, *ARGS], capture_output=True, env=env, cwd=tmp_path, timeout=120
    )
    assert proc.returncode == 0
    assert not any(stage.encode() in proc.stderr for stage in STAGES)
