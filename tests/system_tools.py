"""Debian tools some tests drive for real (Chromium, poppler). Missing tools fail loudly."""

from __future__ import annotations

import os
import shutil

import pytest

INSTALL = "apt-get install chromium poppler-utils fonts-dejavu-core"


def tool(name: str) -> str:
    """The tool's path; a missing tool fails the test (never a silent skip)."""
    path = shutil.which(name)
    if path is None:
        where = "CI must install it in .ci/run" if os.environ.get("CI") else "install it"
        pytest.fail(f"{name} not found: {where} ({INSTALL})")
    return path
