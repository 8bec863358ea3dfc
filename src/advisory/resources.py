"""Where shipped resources live: inside the installed package, or at the top of a checkout.

The wheel force-includes `rules/` and `templates/` as `advisory/rules` and `advisory/templates`;
a source checkout keeps them at the repository root.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def shipped(name: str) -> Path:
    packaged = PACKAGE_DIR / name
    return packaged if packaged.is_dir() else PACKAGE_DIR.parent.parent / name
