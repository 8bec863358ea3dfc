"""One scheduled update: lock, read sources, import, re-assess, publish when something changed,
switch `latest`, notify. Also the "as known at" assessment that reproduces what was known then.

Order of work and what an interruption at each point leaves (tests kill the process at these
stages, see `pause`):

1. `locked`: an exclusive flock on DIR/.advisory.lock; a second update waits `lock_wait_s`,
   then exits 1 saying another update runs. Nothing written yet.
2. `gathered`: files and the ACLED pull are read into memory. A failure ends the update here
   (exit 1): the store's data are untouched, the failed attempt is recorded in `run`.
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

import contextlib
import fcntl
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ..engine import Run, assess
from ..errors import AdvisoryError, InputError
from ..ingest.acled import write_rejects
from ..ingest.places import read_places
from ..rulepack import load_pack
from . import publish
from .acled_api import Credentials
from .changes import compare, summary
from .config import DeskConfig, load_config
from .notify import notify
from .sources import Gathered, SourceError, next_cursors, pull_acled, read_file_sources
from .store import Store, parse_instant, utc_now

PAUSE_ENV = "ADVISORY_TEST_PAUSE_AT"
STAGES = ("locked", "gathered", "imported", "rendered", "renamed", "committed", "switched")


def pause(stage: str) -> None:
    """Test-only hook: with ADVISORY_TEST_PAUSE_AT=<stage> the update announces the stage on
    stderr and sleeps (ADVISORY_TEST_PAUSE_S seconds, default 60) so that a test can kill it
    there deterministically. Without the variable it does nothing."""
    if os.environ.get(PAUSE_ENV) == stage:
        print(f"ADVISORY_TEST_PAUSED {stage}", file=sys.stderr, flush=True)
        time.sleep(float(os.environ.get("ADVISORY_TEST_PAUSE_S", "60")))


class Busy(AdvisoryError):
    """Another update holds the desk's lock."""

    exit_code = 1


@contextlib.contextmanager
def desk_lock(cfg: DeskConfig) -> Iterator[None]:
    cfg.lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(cfg.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + cfg.lock_wait_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
                    raise Busy(
                        f"another update of this desk is running ({holder or 'unknown process'}); "
                        "nothing was done. Raise [desk] lock_wait_s to wait for it instead."
                    ) from None
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}, started {utc_now()}".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the flock; a killed process releases it too


def _generated_at(stamp: str) -> str:
    t = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    return t.replace(microsecond=0).isoformat()


def assess_known(
    cfg: DeskConfig, store: Store, at: str, as_of: date, generated_at: str | None = None
) -> Run:
    """Assess the incidents and guidance as the store knew them at `at`."""
    known = store.known_frame(at)
    if known.frame.is_empty():  # no all-clear made of no data
        raise InputError(f"no usable incidents: the store knew none at {at}")
    entries, g_digest = store.known_guidance(at)
    gaz = read_places(cfg.places) if cfg.places else None
    pack = load_pack(cfg.rules)
    run = assess(
        places=cfg.places,
        as_of=as_of,
        incident_frame=known.frame,
        guidance_entries=entries,
        gazetteer=gaz,
        pack=pack,
        generated_at=generated_at,
    )
    store_name = cfg.store.name
    prov = run.assessment.provenance
    prov.inputs = [
        {
            "kind": "incidents",
            "path": f"store:{store_name}",
            "sha256": known.digest,
            "records": known.revisions,
            "known_at": at,
        },
        {
            "kind": "guidance",
            "path": f"store:{store_name}",
            "sha256": g_digest,
            "records": len(entries),
            "known_at": at,
        },
        *prov.inputs,
    ]
    return run


def assess_from_config(
    config_path: Path | str, as_of: date | None = None, as_known_at: str | None = None
) -> Run:
    """`advisory assess --config ... [--as-known-at T] [--as-of D]`: assess the desk's store.

    `as_known_at` (e.g. `2025-11-01T06:00`, UTC unless an offset is given) rebuilds the
    incidents and guidance exactly as imported by then; default: everything imported so far.
    `as_of` defaults to the date of `as_known_at`, else to the latest event date."""
    cfg = load_config(config_path)
    store = Store(cfg.store, readonly=True)
    try:
        if as_known_at is not None:
            try:
                at = parse_instant(as_known_at)
            except ValueError:
                raise InputError(
                    f"--as-known-at: expected a time like 2025-11-01T06:00, got {as_known_at!r}"
                ) from None
        else:
            at = utc_now()
        if as_of is None:
            if as_known_at is not None:
                as_of = date.fromisoformat(at[:10])
            else:
                dates = store.known_frame(at).frame["event_date"]
                if dates.is_empty():
                    raise InputError("the store holds no incidents yet: give --as-of")
                from ..ingest.acled import _parse_date

                parsed = dates.to_frame().select(_parse_date("event_date")).to_series()
                as_of = parsed.max()  # type: ignore[assignment]
                if as_of is None:
                    raise InputError("no usable event date in the store: give --as-of")
        return assess_known(cfg, store, at, as_of)  # type: ignore[arg-type]
    finally:
        store.close()


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

    @property
    def exit_code(self) -> int:
        return 1 if self.status == "failed" else 0

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
        }


def _payload(cfg: DeskConfig, v: Any, doc: dict[str, Any]) -> dict[str, Any]:
    return {
        "desk": cfg.name,
        "version": publish.version_label(v["id"]),
        "as_of": v["as_of"],
        "published_at": v["published_at"],
        "folder": str(cfg.published / v["folder"]),
        "digest": v["digest"],
        "changes": json.loads(v["changes"]),
        "bottom_line": doc.get("bottom_line", {}),
        "national": {
            track: {
                "level": doc.get("national", {}).get(track, {}).get("level"),
                "label": doc.get("national", {}).get(track, {}).get("label"),
            }
            for track in ("personal_security", "regime_collapse")
        },
    }


def _send_pending(
    cfg: DeskConfig, store: Store, sleep: Callable[[float], None]
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    pending = [v for v in store.versions() if v["notify_status"] == "pending"]
    for v in pending:
        label = publish.version_label(v["id"])
        if not (cfg.notify.webhook.url or (cfg.notify.email.host and cfg.notify.email.to)):
            with store.transaction():
                store.set_notify(v["id"], "none", "no channel configured")
            continue
        doc = publish.load_version_json(cfg, v["folder"])
        outcomes = notify(cfg.notify, _payload(cfg, v, doc), sleep)
        ok = all(o.ok for o in outcomes)
        detail = "; ".join(f"{o.channel}: {o.detail}" for o in outcomes)
        with store.transaction():
            store.set_notify(v["id"], "sent" if ok else "failed", detail)
        out.extend({"version": label, **o.as_dict()} for o in outcomes)
    return out


def _import(store: Store, g: Gathered, now: str, run_id: int) -> dict[str, Any]:
    new_rows = 0
    for f in g.files:
        n = store.upsert_incidents(f.raw, "file", now, run_id)
        store.record_file(f.path, f.sha, "incidents", f.raw.height, now, run_id)
        new_rows += n
    api_new = 0
    for frame in g.api_frames:
        api_new += store.upsert_incidents(frame, "acled-api", now, run_id)
    for key, value in next_cursors(store, g).items():
        store.set_meta(key, value)
    deleted = store.add_deletions(g.deletions, now, run_id)
    # guidance folders hold the guidance on record: entries no longer there are withdrawn
    gstats = store.sync_guidance(g.guidance, now, run_id)
    return {
        "files_read": len(g.files),
        "files_unchanged": g.skipped_files,
        "file_rows": sum(f.raw.height for f in g.files),
        "new_revisions_from_files": new_rows,
        "api_rows": g.api_rows,
        "new_revisions_from_api": api_new,
        "deletions": deleted,
        "guidance": gstats,
    }


def run_update(
    cfg: DeskConfig,
    *,
    as_of: date | None = None,
    force: bool = False,
    credentials: Credentials | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> UpdateResult:
    """The whole update; never raises for a failed update (status `failed`), only for bad
    configuration (ConfigError) or a held lock (Busy)."""
    as_of = as_of or datetime.now(UTC).date()  # a scheduled job assesses "now"
    for d in (cfg.published, *cfg.incidents, *cfg.guidance):
        if not d.suffix:
            d.mkdir(parents=True, exist_ok=True)
    with desk_lock(cfg):
        pause("locked")
        store = Store(cfg.store)
        try:
            return _locked_update(cfg, store, as_of, force, credentials, sleep)
        finally:
            with contextlib.suppress(Exception):
                store.checkpoint()
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
    result.notes.extend(publish.reconcile(cfg, store))
    # versions whose notification an interrupted update never sent
    result.notifications.extend(_send_pending(cfg, store, sleep))

    g = Gathered()
    try:
        read_file_sources(cfg, store, g)
        if cfg.acled.enabled:
            pull_acled(cfg, store, g, credentials)
    except SourceError as exc:
        result.message = f"{exc}. Nothing was imported or published."
        store.record_failed_run(started, str(as_of), str(exc))
        return result
    result.notes.extend(g.notes)
    pause("gathered")

    folder: str | None = None
    try:
        with store.transaction():
            now = utc_now()
            run_id = store.start_run(started)
            result.imported = _import(store, g, now, run_id)
            pause("imported")
            run = assess_known(cfg, store, now, as_of, publish_generated_at(now))
            inc = run.incidents
            if inc.frame.is_empty() and not inc.before_window:
                raise InputError(
                    "no usable incidents are known yet: drop an ACLED CSV export into "
                    f"{cfg.incidents[0] if cfg.incidents else 'a watched folder'} or enable [acled]"
                )
            if inc.rejects.height:
                path = cfg.root / "rejects.csv"
                write_rejects(inc.rejects, path)
                reasons = "; ".join(f"{n} x {r}" for r, n in inc.reject_reasons().items())
                result.notes.append(
                    f"{inc.rejects.height} incident rows rejected ({reasons}); see {path}"
                )
            digest = publish.assessment_digest(run)
            doc = json.loads(run.assessment.model_dump_json())
            last = store.last_version()
            prev_doc = publish.load_version_json(cfg, last["folder"]) if last else None
            if last is not None:
                result.previous = publish.version_label(last["id"])
            changes = compare(prev_doc, doc, cfg.driver_change_threshold)
            inputs = {"imported": result.imported, "assessment": digest}
            if not changes and not force:
                store.finish_run(
                    run_id, "unchanged", as_of=str(as_of), inputs=inputs,
                    assessment_digest=digest,
                    message=f"no change since {result.previous}",
                )  # fmt: skip
                result.status = "unchanged"
                result.message = (
                    f"Nothing to publish: no level, driver-set or guidance change since "
                    f"{result.previous} (as of {last['as_of'] if last else '-'})."
                )
                return result
            vid = store.next_version_id()
            meta = {
                "as_of": str(as_of),
                "known_at": now,
                "run": run_id,
                "previous": result.previous,
                "forced": bool(force and not changes),
                "assessment_digest": digest,
            }
            folder, files = publish.write_version(
                cfg, run, vid, prev_doc, changes, meta, pause=pause
            )
            pause("renamed")
            store.add_version(
                id=vid,
                run_id=run_id,
                as_of=str(as_of),
                known_at=now,
                published_at=utc_now(),
                folder=folder,
                digest=files["advisory.json"],
                assessment_digest=digest,
                forced=int(force and not changes),
                changes=json.dumps(changes, ensure_ascii=False),
                files=json.dumps(files, sort_keys=True),
            )
            store.finish_run(
                run_id, "published", as_of=str(as_of), inputs=inputs, assessment_digest=digest,
                version_id=vid, message=summary(changes),
            )  # fmt: skip
            result.status = "published"
            result.version = publish.version_label(vid)
            result.folder = str(cfg.published / folder)
            result.changes = changes
            result.message = f"Published {result.version} (as of {as_of}) in {result.folder}: " + (
                summary(changes) if changes else "no change, published with --force"
            )
    except (AdvisoryError, Exception) as exc:  # the transaction has been rolled back
        if folder is not None:
            publish.remove_version_folder(cfg, folder)
        what = str(exc) if isinstance(exc, AdvisoryError) else f"{type(exc).__name__}: {exc}"
        result.status = "failed"
        result.version = result.folder = None
        result.message = f"update failed: {what}. Nothing was imported or published."
        store.record_failed_run(started, str(as_of), what)
        return result
    pause("committed")
    publish.switch_latest(cfg, folder)
    publish.write_changelog(cfg, store)
    pause("switched")
    result.notifications.extend(_send_pending(cfg, store, sleep))
    failed = [n for n in result.notifications if not n["ok"]]
    if failed:
        result.notes.append(
            "notification failed ("
            + "; ".join(f"{n['channel']}: {n['detail']}" for n in failed)
            + "); the advisory is published regardless"
        )
    return result


def publish_generated_at(now: str) -> str:
    return _generated_at(now)
