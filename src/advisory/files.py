"""Files written by atomic replace, for every output the package writes (reports, exports,
trip sheets, the road network cache).

The data goes to a new temporary file in the target's folder, which is then renamed over the
target: a reader never sees half a file, an interrupted run leaves the old file whole, and a
symlink planted where the file goes is replaced, never followed. The file is made readable by
all (0644), as an ordinary write would leave it; `mkstemp` alone would leave it 0600.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename."""
    fd, tmp = tempfile.mkstemp(prefix=".advisory-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
