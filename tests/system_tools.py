"""Debian tools some tests drive for real (Chromium, poppler). Missing tools fail loudly."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

INSTALL = "apt-get install chromium poppler-utils fonts-dejavu-core"


def tool(name: str) -> str:
    """The tool's path; a missing tool fails the test (never a silent skip)."""
    path = shutil.which(name)
    if path is None:
        where = "CI must install it in .ci/run" if os.environ.get("CI") else "install it"
        pytest.fail(f"{name} not found: {where} ({INSTALL})")
    return path


def chromium(*args: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    """Headless Chromium with a throw-away profile in `tmp`, no network side jobs."""
    cmd = [
        tool("chromium"),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        f"--user-data-dir={tmp / 'chromium-profile'}",
        *args,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
