"""A progress bar on stderr for long runs, and nothing at all when stderr is not a terminal.

The engine names its stages as it goes (`assess(progress=...)`); a run over a whole region's
history takes seconds, and a silent terminal for that long looks hung. Quick runs draw nothing:
the bar appears only once a run has lasted `after` seconds. Scheduled jobs and pipes never see
it, so their stderr keeps only warnings and errors.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any, TextIO

import click

DEFAULT_AFTER_S = 1.0  # a user interface choice, not an analysis number
AFTER_ENV = "ADVISORY_PROGRESS_AFTER"  # seconds before the bar shows (0 shows it at once)


class Stages:
    """Counts stages; draws them as a bar once the run is slow enough to need one."""

    def __init__(self, total: int, stream: TextIO | None = None, after: float | None = None):
        self.total = total
        self.stream = stream or sys.stderr
        if after is None:
            after = float(os.environ.get(AFTER_ENV, DEFAULT_AFTER_S))
        self.after = after
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.start = time.monotonic()
        self.done = 0
        self.bar: Any = None

    def __call__(self, stage: str) -> None:
        """A new stage begins (the previous one is done)."""
        if not self.enabled:
            return
        if self.bar is None and time.monotonic() - self.start >= self.after:
            self.bar = click.progressbar(
                length=self.total,
                label=stage.ljust(22),
                file=self.stream,
                show_eta=False,
                show_percent=False,
                show_pos=True,
                width=24,
            )
            self.bar.__enter__()
            self.bar.update(self.done)
        elif self.bar is not None:
            self.bar.label = stage.ljust(22)
            self.bar.update(1)
        self.done += 1

    def close(self) -> None:
        if self.bar is not None:
            self.bar.update(self.total - self.bar.pos)
            self.bar.__exit__(None, None, None)
            self.bar = None

    def __enter__(self) -> Stages:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
