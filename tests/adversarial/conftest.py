"""Hostile inputs, one test per attack an adversarial review found (issue 20). The helpers in
tests/ (acled_factory, ...) are importable from here."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
