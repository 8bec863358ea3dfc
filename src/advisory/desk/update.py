"""One scheduled update: lock, read sources, import, re-assess, publish when something changed,
switch `latest`, notify. Also the "as known at" assessment that reproduces what was known then.

Order of work and what an interruption at each point leaves (tests kill the process at these
stages, see `pause`):

1. `locked`: exclusive locks on the store and on `published/` (`locking.py`); a second update
   waits `lock_wait_s`, then exits 1 saying another update runs. Nothing written yet.
2. `gathered`: files and the ACLED pull are read into memory. A failure ends the update here
   (exit 1): the store's data are untouched, the failed attempt is recorded in `run`.
   When nothing new arrived and the assessment would be made from the very inputs the last one
   was made from (`state_key`), the update ends here: it records an `unchanged` run without
   assessing again (a second or so, whatever the size of the history).
3. One SQLite transaction (BEGIN IMMEDIATE ... COMMIT) imports, assesses, and, when publishing,
   renders the version into a temporary folder (`rendered`), renames it into place (`renamed`)
   and records it. Killed before COMMIT: SQLite rolls the import back; the renamed folder is
   unrecorded and the next update removes it and redoes the work.
4. `committed`: the version is recorded; `latest` and the changelog are switched after. Killed
   here: the next update's `reconcile` points `latest` at it and rebuilds the changelog.
5. `switched`: notifications. Killed here: the version is still `pending` notification and the
   next update sends it.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import orjson
import polars as pl

from ..engine import Run
from ..errors import AdvisoryError, InputError, Problem
from ..objects import thawed_after
from ..rulepack import load_pack
from . import publish
from . import revisions as rv
from .acled_api import Credentials
from .alerts import send_pending
from .assessing import (
    assess_known,
    compared_view,
    generated_at_of,
    json_digest,
    no_usable_incidents,
    run_json,
    write_run_rejects,
)
from .changes import compare, load_compared, summary
from .config import DeskConfig, load_config
from .locking import Busy, desk_lock
from .plan import Inputs, Plan, record_import, state_key
from .pull import pull_acled
from .repair import DeskStateError, check_store_presence, rebuild_missing_last
from .result import UpdateResult
from .sources import Gathered, SourceError, read_file_sources
from .store import Store, parse_instant, utc_now

__all__ = ["Busy", "DeskStateError", "UpdateResult", "assess_from_config", "run_update"]

log = logging.getLogger("advisory.desk")
PAUSE_ENV = "ADVISORY_TEST_PAUSE_AT"
STAGES = ("locked", "gathered", "imported", "rendered", "renamed", "committed", "switched")
ASSESSED = "assessed.state"  # the state key of the last assessment that completed


def pause(stage: str) -> None:
    """Test-only hook: with ADVISORY_TEST_PAUSE_AT=<stage> the update announces the stage on
    stderr and waits (ADVISORY_TEST_PAUSE_S seconds, default 60, or until stdin closes when
    ADVISORY_TEST_PAUSE_S is `stdin`) so that a test can act there deterministically."""
    if os.environ.get(PAUSE_ENV) != stage:
        return
    print(f"ADVISORY_TEST_PAUSED {stage}", file=sys.stderr, flush=True)
    wait = os.environ.get("ADVISORY_TEST_PAUSE_S", "60")
    if wait == "stdin":
        sys.stdin.read()  # the test closes our stdin to let us go on: an event, not a clock
    else:
        time.sleep(float(wait))


def assess_from_config(
    config_path: Path | str, as_of: date | None = None, as_known_at: str | None = None
) -> Run:
    """`advisory assess --config ... [--as-known-at T] [--as-of D]`: assess the desk's store.

    `as_known_at` (e.g. `2025-11-01T06:00`, UTC unless an offset is given) rebuilds the
    incidents and guidance exactly as imported by then; default: everything imported so far.
    `as_of` defaults to the date of `as_known_at`, else to the latest event date."""
    cfg = load_config(config_path)
    if as_known_at is not None:
        try:
            at = parse_instant(as_known_at)
        except ValueError as exc:
            raise InputError(
                f"--as-known-at: expected a time like 2025-11-01T06:00 (UTC unless an offset "
                f"is given), got {as_known_at!r}{f': {exc}' if 'year' in str(exc) else ''}"
            ) from None
        as_of = as_of or date.fromisoformat(at[:10])
    else:
        at = utc_now()
    store = Store(cfg.store, readonly=True)
    try:
        return assess_known(cfg, store.known_frame(at), store.known_guidance(at), at, as_of,
                            notes=store.known_notes(at))  # fmt: skip
    finally:
        store.close()


def run_update(
    cfg: DeskConfig,
    *,
    as_of: date | None = None,
    force: bool = False,
    credentials: Credentials | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> UpdateResult:
    """The whole update; never raises for a failed update (status `failed`), only for bad
    configuration or an unwritable folder (InputError), a held lock (Busy) or a store that
    must not be used as it is (DeskStateError)."""
    as_of = as_of or datetime.now(UTC).date()  # a scheduled job assesses "now"
    for d in (cfg.published, *cfg.incidents, *cfg.guidance):
        if not d.suffix:
            try:
                d.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                problem = Problem(str(d), f"cannot create this folder: {exc.strerror}")
                raise InputError(problem) from None
    with desk_lock(cfg.store, cfg.published, cfg.lock_wait_s):
        pause("locked")
        check_store_presence(cfg)
        store = Store(cfg.store)
        try:
            return _locked_update(cfg, store, as_of, force, credentials, sleep)
        finally:
            try:
                store.checkpoint()
            except Exception as exc:  # the update is done; a checkpoint can wait for the next
                log.warning("store checkpoint failed: %s", exc)
            store.close()


def _locked_update(
    cfg: DeskConfig,
    store: Store,
    as_of: date,
    force: bool,
    credentials: Credentials | None,
    sleep: Callable[[float], None],
) -> UpdateResult:
    started = utc_now()
    result = UpdateResult(status="failed", as_of=str(as_of))
    clock = result.clock()
    result.notes.extend(publish.reconcile(cfg, store))
    result.notes.extend(rebuild_missing_last(cfg, store))
    # versions whose notification an interrupted update never sent
    result.notifications.extend(send_pending(cfg, store, sleep))
    g = Gathered()
    try:
        inputs = Inputs(cfg, load_pack(cfg.rules))
        read_file_sources(cfg, store, g, inputs.pack.formats)
        if cfg.acled.enabled:
            pull_acled(cfg, store, g, credentials)
        plan = Plan(store, g, started)
    except SourceError as exc:
        result.message = f"{exc}. Nothing was imported or published."
        store.record_failed_run(started, str(as_of), str(exc))
        return result
    result.notes.extend(g.notes)
    clock("gather")
    pause("gathered")
    if plan.empty and not force and store.get_meta(ASSESSED) == state_key(store, as_of, inputs):
        return _unchanged_without_assessing(store, g, plan, started, result, clock)
    with thawed_after():  # the run kept out of the collector's walks, until it is gone
        return _assess_and_publish(cfg, store, g, plan, inputs, as_of, force, started, result,
                                   sleep)  # fmt: skip


def _unchanged_without_assessing(
    store: Store, g: Gathered, plan: Plan, started: str, result: UpdateResult, clock: Any
) -> UpdateResult:
    last = store.last_version()
    with store.transaction():
        run_id = store.start_run(started)
        result.imported = record_import(store, g, plan, utc_now(), run_id)
        result.previous = publish.version_label(last["id"]) if last else None
        store.finish_run(
            run_id, "unchanged", as_of=result.as_of, inputs={"imported": result.imported},
            message=f"nothing new since {result.previous}; not assessed again",
        )  # fmt: skip
    result.status = "unchanged"
    result.message = (
        f"Nothing to publish: nothing new since {result.previous} (as of "
        f"{last['as_of'] if last else '-'}), and the same inputs as the last assessment."
    )
    clock("record")
    return result


def _assess_and_publish(
    cfg: DeskConfig, store: Store, g: Gathered, plan: Plan, inputs: Inputs, as_of: date,
    force: bool, started: str, result: UpdateResult, sleep: Callable[[float], None],
) -> UpdateResult:  # fmt: skip
    """Stages 3 to 5 of the module's docstring: import, assess, compare and publish in one
    transaction, then switch `latest` and notify."""
    clock = result.clock()
    folder: str | None = None
    existing = store.revisions() if store.batch_count() else rv.empty()
    encoder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="encode")
    try:
        with store.transaction():
            now = utc_now()
            run_id = store.start_run(started)
            result.imported = record_import(store, g, plan, now, run_id)
            new = rv.stamped(plan.rows, now, run_id) if plan.rows is not None else rv.empty()
            # the new rows are encoded for the store while the engine assesses (both without
            # the GIL, on the two cores of a small machine)
            encoding = encoder.submit(rv.batches, new)
            known = rv.current(pl.concat([existing, new]), store.deletions(), now)
            del existing, new
            clock("import")
            generated = generated_at_of(now)
            run = assess_known(cfg, known, store.known_guidance(now), now, as_of, generated,
                               inputs.pack, store.known_notes(now))  # fmt: skip
            del known
            store.add_revisions(encoding.result())
            pause("imported")
            data, digest = _run_json(cfg, run, generated, result)
            clock("assess")
            last, previous, view, changes = _compared(cfg, store, run, result)
            clock("compare")
            store.set_meta(ASSESSED, state_key(store, as_of, inputs))
            if not changes and not force:
                return _no_change(store, run_id, as_of, digest, last, result)
            folder = _publish(cfg, store, run, data, orjson.dumps(view), previous, changes,
                              digest, run_id, now, as_of, force, result)  # fmt: skip
            clock("publish")
    except Exception as exc:  # the transaction has been rolled back
        return _failed(cfg, store, folder, exc, started, as_of, result)
    finally:
        encoder.shutdown(wait=True)
    _switch_and_notify(cfg, store, folder, result, sleep)
    clock("switch_notify")
    return result


def _run_json(cfg: DeskConfig, run: Run, generated: str, result: UpdateResult) -> tuple[bytes, str]:
    """The run's JSON and its digest, once the run is known to have usable incidents (its
    rejects written to the desk's rejects.csv)."""
    if no_usable_incidents(run):
        raise InputError(
            "no usable incidents are known yet: drop an ACLED CSV export into "
            f"{cfg.incidents[0] if cfg.incidents else 'a watched folder'} or enable [acled]"
        )
    note = write_run_rejects(run, cfg.root / "rejects.csv")
    if note:
        result.notes.append(note)
    data = run_json(run)
    return data, json_digest(data, generated)


def _compared(
    cfg: DeskConfig, store: Store, run: Run, result: UpdateResult
) -> tuple[sqlite3.Row | None, dict[str, Any] | None, dict[str, Any], list[dict[str, Any]]]:
    """The last version, its compared part, the run's, and the changes between them."""
    # the part of each advisory comparisons read (changes.COMPARED), not two 120 MB
    # documents parsed (8.7 s at 1M events x 10k places)
    last = store.last_version()
    previous = load_compared(cfg.published / last["folder"]) if last else None
    result.previous = publish.version_label(last["id"]) if last else None
    view = compared_view(run)
    changes = compare(previous, view, cfg.driver_change_threshold)
    return last, previous, view, changes


def _no_change(
    store: Store, run_id: int, as_of: date, digest: str, last: sqlite3.Row | None,
    result: UpdateResult,
) -> UpdateResult:  # fmt: skip
    """Assessed, but nothing to publish: the run is recorded as unchanged."""
    recorded = {"imported": result.imported, "assessment": digest}
    store.finish_run(
        run_id, "unchanged", as_of=str(as_of), inputs=recorded,
        assessment_digest=digest, message=f"no change since {result.previous}",
    )  # fmt: skip
    result.status = "unchanged"
    result.message = (
        f"Nothing to publish: no level, driver-set or guidance change since "
        f"{result.previous} (as of {last['as_of'] if last else '-'})."
    )
    return result


def _failed(
    cfg: DeskConfig, store: Store, folder: str | None, exc: Exception, started: str,
    as_of: date, result: UpdateResult,
) -> UpdateResult:  # fmt: skip
    """After the transaction was rolled back: the rendered folder removed, the failure
    recorded."""
    if folder is not None:
        publish.remove_version_folder(cfg, folder)
    what = str(exc) if isinstance(exc, AdvisoryError) else f"{type(exc).__name__}: {exc}"
    result.status = "failed"
    result.version = result.folder = None
    result.message = f"update failed: {what}. Nothing was imported or published."
    store.record_failed_run(started, str(as_of), what)
    return result


def _switch_and_notify(
    cfg: DeskConfig, store: Store, folder: str, result: UpdateResult,
    sleep: Callable[[float], None],
) -> None:  # fmt: skip
    """Once the version is committed: `latest` and the changelog, then the notifications."""
    pause("committed")
    publish.switch_latest(cfg, folder)
    publish.write_changelog(cfg, store)
    pause("switched")
    result.notifications.extend(send_pending(cfg, store, sleep))
    failed = [n for n in result.notifications if not n["ok"]]
    if failed:
        result.notes.append(
            "notification failed ("
            + "; ".join(f"{n['channel']}: {n['detail']}" for n in failed)
            + "); the advisory is published regardless"
        )


def _publish(
    cfg: DeskConfig, store: Store, run: Run, data: bytes, compared: bytes,
    previous: dict[str, Any] | None, changes: list[dict[str, Any]], digest: str, run_id: int,
    now: str, as_of: date, force: bool, result: UpdateResult,
) -> str:  # fmt: skip
    """Render and record a new version (inside the update's transaction). `previous` is the
    last version's compared part: all the reports read of it (`changes.COMPARED`)."""
    vid = store.next_version_id()
    forced = bool(force and not changes)
    meta = {
        "as_of": str(as_of), "known_at": now, "run": run_id, "previous": result.previous,
        "forced": forced, "assessment_digest": digest,
    }  # fmt: skip
    folder, files, timings = publish.write_version(
        cfg, run, data, vid, previous, changes, meta, pause=pause, compared=compared
    )
    result.timings.update(timings)
    pause("renamed")
    store.add_version(
        id=vid, run_id=run_id, as_of=str(as_of), known_at=now, published_at=utc_now(),
        folder=folder, digest=files["advisory.json"], assessment_digest=digest,
        forced=int(forced), changes=json.dumps(changes, ensure_ascii=False),
        files=json.dumps(files, sort_keys=True),
    )  # fmt: skip
    store.finish_run(
        run_id, "published", as_of=str(as_of), inputs={"imported": result.imported,
        "assessment": digest}, assessment_digest=digest, version_id=vid,
        message=summary(changes),
    )  # fmt: skip
    result.status = "published"
    result.version = publish.version_label(vid)
    result.folder = str(cfg.published / folder)
    result.changes = changes
    result.message = f"Published {result.version} (as of {as_of}) in {result.folder}: " + (
        summary(changes) if changes else "no change, published with --force"
    )
    return folder
