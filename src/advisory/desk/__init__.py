"""The advisory desk: scheduled updates over a local store.

An incident store (SQLite) fed by watched folders and the ACLED API, re-assessment at every
update, versioned advisories published only when something changed, change alerts by webhook
and email. See docs/scheduling.md. The CLI commands are in `advisory.desk.cli`; the library
entry points are `run_update` and `assess_from_config`.
"""

from __future__ import annotations

from .config import ConfigError, DeskConfig, load_config
from .result import UpdateResult
from .update import assess_from_config, run_update

__all__ = [
    "ConfigError",
    "DeskConfig",
    "UpdateResult",
    "assess_from_config",
    "load_config",
    "run_update",
]
