"""Expand file-or-directory arguments and fingerprint what was read.

Paths are taken literally: a file called `mali[1].csv` is that file, never a pattern (polars
and glob would read `[1]` as a character class and pick up another file, and the provenance
would then record the wrong digest).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, Problem

INCIDENT_SUFFIXES = (".csv",)  # what a directory of incident exports is read for


@dataclass(frozen=True)
class InputDigest:
    """One input file in the provenance: what it was, where, its sha256 and its records."""

    kind: str
    path: str
    sha256: str
    records: int

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "path": self.path,
            "sha256": self.sha256,
            "records": self.records,
        }


def expand(
    paths: list[Path] | tuple[Path, ...], suffixes: tuple[str, ...], kind: str
) -> list[Path]:
    """Files as given, directories as their matching files in name order."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found = sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in suffixes)
            if not found:
                wanted = " or ".join(suffixes)
                raise InputError(Problem(str(p), f"directory holds no {kind} files ({wanted})"))
            out.extend(found)
        elif p.is_file():
            out.append(p)
        else:
            raise InputError(Problem(str(p), f"{kind} file or directory not found"))
    return out


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str:
    """`sha256(path.read_bytes())` without holding the file in memory."""
    with path.open("rb") as f:
        return "sha256:" + hashlib.file_digest(f, "sha256").hexdigest()
