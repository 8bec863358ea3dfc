"""Hostile inputs and servers, one test per attack an adversarial review found (issue 20). The
helpers in tests/ (acled_factory, desk_support, ...) are importable from here."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CERTS = Path(__file__).resolve().parent / "certs"
