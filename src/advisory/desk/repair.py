"""Self-repair, and refusals where repairing would lose history.

The store is the record of what was published; `published/` holds the files. When they
disagree the update either repairs `published/` from the store or stops with a message saying
what to restore: it never starts the numbering again at v1 beside an existing history.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date

from ..errors import AdvisoryError
from ..text import plural
from . import publish
from .assessing import assess_known, generated_at_of, run_json
from .config import DeskConfig
from .store import Store

BACKUP_HINT = 'restore it from a backup (docs/scheduling.md, "Backups")'


class DeskStateError(AdvisoryError):
    """The store and `published/` disagree in a way the update must not repair by itself."""

    exit_code = 1


def _version_folders(cfg: DeskConfig) -> list[str]:
    versions = cfg.published / "versions"
    if not versions.is_dir():
        return []
    return sorted(p.name for p in versions.iterdir() if p.is_dir() and not p.name.startswith("."))


def check_store_presence(cfg: DeskConfig) -> None:
    """Refuse to run when published versions exist but the store that recorded them is missing
    or empty: a new store would number from v1 again and move the real history aside."""
    folders = _version_folders(cfg)
    if not folders:
        return
    shown = ", ".join(folders[:3]) + (" ..." if len(folders) > 3 else "")
    if not cfg.store.exists() or cfg.store.stat().st_size == 0:
        state = "is missing" if not cfg.store.exists() else "is empty (0 bytes)"
        versions = plural(len(folders), "version", "versions")
        raise DeskStateError(
            f"the store {cfg.store} {state}, but {cfg.published / 'versions'} holds "
            f"{len(folders)} published {versions} ({shown}): {BACKUP_HINT}. Nothing was done; "
            "a new store would restart the history at v1. To start a new history on purpose, "
            "move the published folder aside first."
        )
    store = Store(cfg.store)
    try:
        recorded = len(store.versions())
    finally:
        store.close()
    if recorded == 0:
        raise DeskStateError(
            f"the store {cfg.store} records no published version, but "
            f"{cfg.published / 'versions'} holds {len(folders)} ({shown}): the store is not "
            f"the one that published them; {BACKUP_HINT}. Nothing was done."
        )


def rebuild_missing_last(cfg: DeskConfig, store: Store) -> list[str]:
    """The last version's folder deleted: rebuilt from the store (as known at its time, as of
    its date, with its generation time), kept only if its advisory.json is byte for byte the
    one recorded. Older missing folders are reported; the history in the store is intact."""
    notes: list[str] = []
    rows = store.versions()
    for v in rows[:-1]:
        if not (cfg.published / v["folder"]).is_dir():
            notes.append(
                f"the folder of {publish.version_label(v['id'])} ({v['folder']}) is missing; "
                f"`diff` cannot read it until you {BACKUP_HINT}"
            )
    if not rows or (cfg.published / rows[-1]["folder"]).is_dir():
        return notes
    last = rows[-1]
    label = publish.version_label(last["id"])
    at = last["known_at"]
    run = assess_known(cfg, store.known_frame(at), store.known_guidance(at), at,
                       date.fromisoformat(last["as_of"]), generated_at_of(at),
                       notes=store.known_notes(at))  # fmt: skip
    data = run_json(run)
    if "sha256:" + hashlib.sha256(data).hexdigest() != last["digest"]:
        raise DeskStateError(
            f"the folder of the last published version, {label} ({last['folder']}), is "
            f"missing, and rebuilding it from the store gives another advisory (the rules, "
            f"places or advisory changed since): {BACKUP_HINT}. Nothing was done."
        )
    previous = None
    if len(rows) > 1 and (cfg.published / rows[-2]["folder"]).is_dir():
        previous = publish.load_version_json(cfg, rows[-2]["folder"])
    meta = json.loads(last["files"])  # only to say which files it had
    _, files, _ = publish.write_version(
        cfg, run, data, last["id"], previous, json.loads(last["changes"]),
        {"as_of": last["as_of"], "known_at": at, "run": last["run_id"], "rebuilt": True,
         "assessment_digest": last["assessment_digest"]},
    )  # fmt: skip
    publish.switch_latest(cfg, last["folder"])
    lost = sorted(set(meta) - set(files))
    notes.append(
        f"the folder of {label} was missing: rebuilt from the store ({last['folder']}, "
        f"advisory.json identical to the one published)"
        + (f"; not rebuilt: {', '.join(lost)} (not in today's formats)" if lost else "")
    )
    return notes
