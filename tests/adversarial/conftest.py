"""Hostile inputs and servers against the desk (issue 20). The helpers live one folder up."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CERTS = Path(__file__).resolve().parent / "certs"
