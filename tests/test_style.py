"""The code stays ruff-clean: checked here so CI enforces it with the tests."""

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
