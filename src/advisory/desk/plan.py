"""What an update weighs before it assesses anything: the `Plan` of what it will write (new
revisions, deletions, guidance revisions; `record_import` writes all of it but the revisions,
which are encoded while the engine runs), and the `Inputs` an assessment is made from besides
the store's data, whose `state_key` tells whether the last assessment was made from the same.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

import polars as pl

from ..errors import InputError, Problem
from ..ingest.sources import file_sha256
from ..rulepack import RulePack
from . import revisions as rv
from .assessing import engine_version
from .config import DeskConfig
from .sources import Gathered
from .store import Store

DATA_RUN = "data.run"  # the last run that changed the data (revisions, deletions, guidance)


@dataclass
class Inputs:
    """What an assessment is made from besides the store's data and the as-of date: the rule
    pack (loaded once per update), the places, the road layer, the config and this advisory's
    version. Their digests are taken once per update, when first needed (a road layer can
    weigh tens of megabytes)."""

    cfg: DeskConfig
    pack: RulePack

    @cached_property
    def digests(self) -> dict[str, str]:
        cfg = self.cfg
        return {
            "rules": self.pack.digest,
            "places": _digest(cfg.places) if cfg.places else "shipped",
            "roads": _digest(cfg.roads) if cfg.roads else "none",
            "config": _digest(cfg.path),
            "advisory": engine_version(),
        }


def _digest(path: Path) -> str:
    """A configured input's digest; an unreadable one is an input error naming it."""
    try:
        return file_sha256(path)
    except OSError as exc:
        raise InputError(Problem(str(path), f"cannot read: {exc.strerror or exc}")) from None


def state_key(store: Store, as_of: date, inputs: Inputs) -> str:
    """What an assessment is made from: the store's data (the last run that changed them),
    the as-of date and the `inputs`. Equal keys give equal assessments, so the second is not
    made."""
    parts = {"data": store.get_meta(DATA_RUN) or "", "as_of": str(as_of), **inputs.digests}
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


class Plan:
    """What an update will write: new revisions, new deletions, guidance revisions."""

    def __init__(self, store: Store, g: Gathered, now: str) -> None:
        incoming = [f for f in g.incoming if f.height]
        keys = store.revision_keys() if incoming and store.batch_count() else None
        self.rows = rv.fresh(pl.concat(incoming), keys) if incoming else None
        self.deletions = store.new_deletions(g.deletions)
        self.guidance = store.guidance_plan(g.guidance, now)
        # a file read again only for its notes (imported before the store kept them), or a
        # copy of known rows under another name, changes what an assessment says of its inputs
        read = [(f.path, f.notes) for f in g.files if f.notes is not None]
        self.notes = store.notes_would_change(read, now)

    @property
    def empty(self) -> bool:
        no_rows = self.rows is None or self.rows.is_empty()
        return no_rows and not self.deletions and not self.guidance and not self.notes

    def new_from(self, source: str) -> int:
        if self.rows is None:
            return 0
        return int((self.rows["_source"] == source).sum())


def record_import(store: Store, g: Gathered, plan: Plan, now: str, run_id: int) -> dict[str, Any]:
    """Write the plan but the new revisions (files read, cursors, deletions, guidance); returns
    the counts the run records."""
    for f in g.files:
        store.record_file(f.path, f.sha, f.rows, f.stat, now, run_id)
        if f.notes is not None:
            store.record_notes(f.path, f.sha, f.notes, now, run_id)
    for key, value in g.cursors.items():
        store.set_meta(key, value)
    deleted = store.add_deletions(plan.deletions, now, run_id)
    gstats = store.apply_guidance(plan.guidance, now, run_id)
    if not plan.empty:
        store.set_meta(DATA_RUN, str(run_id))
    return {
        "files_read": g.files_read,
        "files_unchanged": g.skipped_files,
        "file_rows": g.file_rows,
        "new_revisions_from_files": plan.new_from("file"),
        "api_rows": g.api_rows,
        "new_revisions_from_api": plan.new_from("acled-api"),
        "deletions": deleted,
        "guidance": gstats,
    }
