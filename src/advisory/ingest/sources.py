"""Expand file-or-directory arguments and fingerprint what was read."""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError, Problem

NICEST = 19  # the lowest scheduling priority a Unix thread can ask for


@dataclass(frozen=True)
class InputDigest:
    kind: str
    path: str
    digest: str | Future[str]  # a large file's is worked out in the background (hash_later)
    records: int

    @property
    def sha256(self) -> str:
        d = self.digest
        return d if isinstance(d, str) else d.result()

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


def _sha256_of(f: BinaryIO) -> str:
    """The same digest as `sha256(path.read_bytes())`, without holding the file in memory."""
    with f:
        return "sha256:" + hashlib.file_digest(f, "sha256").hexdigest()


def hash_later(path: Path) -> Future[str]:
    """A file's sha256 (as `sha256(path.read_bytes())`), worked out in a background thread at
    the lowest CPU priority.

    A million-row export takes 0.4 s of a core to hash. At normal priority that is taken from
    the parser and the classifier, which use both cores; at the lowest it runs when a core is
    free (scoring is one Python thread), and the digest is only needed for the provenance at
    the end. The file is opened now, so a file replaced afterwards is not the one hashed."""
    f = path.open("rb")
    future: Future[str] = Future()

    def work() -> None:
        # not Linux, or not allowed: then it hashes at normal priority
        with contextlib.suppress(AttributeError, OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICEST)
        try:
            future.set_result(_sha256_of(f))
        except BaseException as exc:  # handed to whoever asks for the digest
            future.set_exception(exc)

    threading.Thread(target=work, name=f"sha256 {path.name}", daemon=True).start()
    return future
