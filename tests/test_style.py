"""The code stays ruff-clean, mypy-clean (the strictness stated in pyproject.toml) and keeps its
one-way flow (the import contracts in pyproject.toml): checked here so CI enforces them with
the tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_clean() -> None:
    targets = [str(ROOT / d) for d in ("src", "tests", "tools", "bench") if (ROOT / d).is_dir()]
    # ruff is in the test extra; run it from this interpreter so no PATH set-up is needed
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", *targets],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_formatted() -> None:
    """One layout for all the Python (ruff format), so a diff shows changes, not styles."""
    targets = [str(ROOT / d) for d in ("src", "tests", "tools", "bench") if (ROOT / d).is_dir()]
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", *targets],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, cwd=ROOT, check=False
    )


def test_mypy_clean() -> None:
    result = _run("-m", "mypy", "--no-incremental")  # files and strictness: pyproject.toml
    assert result.returncode == 0, result.stdout + result.stderr


def test_imports_flow_one_way() -> None:
    """import-linter's contracts: the layers, helpers that import no layer, click in cli/."""
    code = "import sys; from importlinter.cli import lint_imports_command as c; sys.exit(c())"
    result = _run("-c", code)
    assert result.returncode == 0, result.stdout + result.stderr
