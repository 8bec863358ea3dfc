"""One writer at a time: an update holds exclusive locks on its store and on its `published/`
folder for as long as it runs.

The locks belong to what is written, not to the config that names it: two configs pointing at
one store (or one `published/` folder) take the same lock, so one update's repair can never
remove another's version in progress. Each lock is an `flock` on a file beside what it guards
(`store.sqlite.lock`, `published/.advisory.lock`); the kernel releases it when the process ends,
however it ends, so a killed update never leaves a stale lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path

from ..errors import AdvisoryError, InputError, Problem
from .store import utc_now

log = logging.getLogger("advisory.desk")


class Busy(AdvisoryError):
    """Another update holds the store's or the published folder's lock."""

    exit_code = 1


def lock_paths(store: Path, published: Path) -> list[Path]:
    return [store.with_name(store.name + ".lock"), published / ".advisory.lock"]


def _open(path: Path) -> int:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    except OSError as exc:
        raise InputError(
            Problem(
                str(path.parent),
                f"cannot write the desk's lock here ({exc.strerror or exc}): the desk writes "
                "its store and published/ folder, which must be writable by the user it runs as",
            )
        ) from None


def _acquire(fd: int, path: Path, deadline: float) -> None:
    waiting = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if not waiting and time.monotonic() < deadline:
                waiting = True
                log.info("waiting for another update of this desk to finish (%s)", path)
            if time.monotonic() >= deadline:
                holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
                raise Busy(
                    f"another update of this desk is running ({holder or 'unknown process'}); "
                    "nothing was done. Raise [desk] lock_wait_s to wait for it instead."
                ) from None
            time.sleep(0.05)


@contextlib.contextmanager
def desk_lock(store: Path, published: Path, wait_s: float) -> Iterator[None]:
    """Both locks, always in the same order (store first), or `Busy` after `wait_s`."""
    deadline = time.monotonic() + wait_s
    fds: list[int] = []
    try:
        for path in lock_paths(store, published):
            fds.append(_open(path))
            _acquire(fds[-1], path, deadline)
            os.ftruncate(fds[-1], 0)
            os.pwrite(fds[-1], f"pid {os.getpid()}, started {utc_now()}".encode(), 0)
        yield
    finally:
        for fd in reversed(fds):
            os.close(fd)  # closing releases the flock; a killed process releases it too
