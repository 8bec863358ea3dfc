"""Expand file-or-directory arguments and fingerprint what was read."""

from __future__ import annotations

import contextlib
import hashlib
import mmap
import os
import stat
import threading
import weakref
from collections.abc import Iterable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError, Problem

INCIDENT_SUFFIXES = (".csv",)  # what a directory of incident exports is read for
NICEST = 19  # the lowest scheduling priority a Unix thread can ask for
HASH_BLOCK = 16 << 20  # bytes mapped (or read) and hashed at a time: whole pages


@dataclass(frozen=True)
class InputDigest:
    kind: str
    path: str
    digest: str | FileDigest  # a large file's is worked out in the background
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
    """The same digest as `sha256(path.read_bytes())`, without holding the file in memory.

    A regular file is hashed through a memory map, a window at a time: hashlib reads the page
    cache in place, where `read` would first copy every byte (the copy was most of the hash's
    cost in a run: 0.17 s of 0.23 s at a million rows), and a window keeps the mapped pages
    from counting the whole file again in resident memory (a file cut short while it is hashed
    would end the process with SIGBUS, as it would the rejects cutter's map; one rewritten in
    place gives another digest either way). Anything else (a pipe) is read in blocks. Both
    release the GIL: a background hash that took it back every 256 kB (as
    `hashlib.file_digest` does) slowed the Python thread it ran beside."""
    h = hashlib.sha256()
    with f:
        fd = f.fileno()
        info = os.fstat(fd)
        if stat.S_ISREG(info.st_mode):
            for start in range(0, info.st_size, HASH_BLOCK):
                length = min(HASH_BLOCK, info.st_size - start)
                with mmap.mmap(fd, length, offset=start, access=mmap.ACCESS_READ) as window:
                    h.update(window)
        else:
            block = bytearray(HASH_BLOCK)
            view = memoryview(block)
            while n := f.readinto(block):
                h.update(view[:n])
    return "sha256:" + h.hexdigest()


class FileDigest:
    """A file's sha256 (as `sha256(path.read_bytes())`), worked out in a background thread
    once `start` is called, or when it is asked for.

    A million-row export takes 0.3-0.4 s of a core to hash, and the digest is only read for
    the provenance at the end. The thread runs at the lowest priority, so it takes only what
    the parser, the classifier and the spatial joins leave idle: the command line starts it
    before polars is even imported (`hash_early`), while one core starts the interpreter and
    the other has nothing to do; the engine starts any other when the parse is done. The
    file is opened at once, so a file replaced afterwards is not the one hashed."""

    def __init__(self, path: Path) -> None:
        self._name = path.name
        self._file = path.open("rb")
        weakref.finalize(self, self._file.close)  # never started: closed when dropped
        self._future: Future[str] = Future()
        self._lock = threading.Lock()
        self._started = False

    def start(self) -> None:
        with self._lock:
            if self._started:
                return
            self._started = True
        threading.Thread(target=self._work, name=f"sha256 {self._name}", daemon=True).start()

    def result(self) -> str:
        self.start()
        return self._future.result()

    def _work(self) -> None:
        # not Linux, or not allowed: then it hashes at normal priority
        with contextlib.suppress(AttributeError, OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICEST)
        try:
            self._future.set_result(_sha256_of(self._file))
        except BaseException as exc:  # handed to whoever asks for the digest
            self._future.set_exception(exc)


def hash_early(paths: Iterable[Path]) -> dict[Path, FileDigest]:
    """Start hashing the incident exports these arguments name, now, keyed as `expand` lists
    them (`parse_incidents` takes them). For the command line, before it imports polars (0.1-
    0.15 s on one core, the other idle). Never raises: a path that cannot be expanded or
    opened is left out, and the reader that follows reports it where it always does."""
    try:
        files = expand(list(paths), INCIDENT_SUFFIXES, "incident")
    except (InputError, OSError):
        return {}
    started: dict[Path, FileDigest] = {}
    for f in files:
        with contextlib.suppress(OSError):
            started[f] = FileDigest(f)
            started[f].start()
    return started


def start_hashing(digests: Iterable[InputDigest]) -> None:
    """Start the background hashes of these inputs (see `FileDigest`)."""
    for d in digests:
        if isinstance(d.digest, FileDigest):
            d.digest.start()
