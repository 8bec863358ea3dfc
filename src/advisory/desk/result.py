"""What an update did, for people (`message`, `notes`) and programs (`as_dict`)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class UpdateResult:
    status: str  # published | unchanged | failed
    as_of: str | None = None
    version: str | None = None
    folder: str | None = None
    previous: str | None = None
    changes: list[dict[str, Any]] = field(default_factory=list)
    imported: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    notifications: list[dict[str, Any]] = field(default_factory=list)
    message: str = ""
    # seconds per step (gather, import, assess, compare, json, reports, notify, ...): where
    # an update's time went, for the log and the bench
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return 1 if self.status == "failed" else 0

    def clock(self) -> Callable[[str], None]:
        """A stopwatch: each call records the time since the previous one under its step."""
        last = [time.perf_counter()]

        def lap(step: str) -> None:
            now = time.perf_counter()
            self.timings[step] = round(self.timings.get(step, 0.0) + now - last[0], 3)
            last[0] = now

        return lap

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "as_of": self.as_of,
            "version": self.version,
            "folder": self.folder,
            "previous": self.previous,
            "changes": self.changes,
            "imported": self.imported,
            "notifications": self.notifications,
            "notes": self.notes,
            "message": self.message,
            "timings": self.timings,
        }
