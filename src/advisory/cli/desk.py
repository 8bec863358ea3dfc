"""The desk's commands: `init`, `update`, `history`, `diff` (listed on the main `advisory` group
in `advisory.cli.LAZY_COMMANDS`, so this module is imported only when one of them runs).

Exit codes: 0 success (for `update`: published, or nothing to publish, and it says which);
1 the update failed (a source, the pull, the assessment or the lock); 2 bad configuration or
usage. Programs use `--format json` (stdout); messages for people go to stderr.
"""

from __future__ import annotations

import json
import logging
import shlex
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import click

from ..errors import AdvisoryError, InputError, Problem
from ..text import plural
from .kit import format_option, parse_date

__all__ = ["diff", "history", "init", "update"]


log = logging.getLogger("advisory.desk")


class UpdateFailed(click.ClickException):
    exit_code = 1


class _Stderr(logging.StreamHandler):
    """A handler writing to whatever `sys.stderr` is when a record is emitted."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


def log_to_stderr() -> None:
    """The desk's messages (the `advisory` loggers, INFO and above) on stderr, each with its
    UTC time: a scheduled job's log then says when every update started, what it noted and
    how it ended. stdout keeps the result itself (a sentence, or JSON with --format json)."""
    logger = logging.getLogger("advisory")
    if any(isinstance(h, _Stderr) for h in logger.handlers):
        return
    handler = _Stderr()
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s",
                                  "%Y-%m-%dT%H:%M:%SZ")  # fmt: skip
    formatter.converter = time.gmtime
    handler.setFormatter(formatter)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def _config_option(f: Any) -> Any:
    return click.option(
        "--config",
        "-c",
        "config_path",
        required=True,
        type=click.Path(path_type=Path),
        help="The desk's advisory.toml (or its folder).",
    )(f)


@click.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--name", help="The desk's name (default: the folder name).")
def init(directory: Path, name: str | None) -> None:
    """Create a desk: a commented advisory.toml, watched folders and the store.

    DIRECTORY/incidents/ and DIRECTORY/guidance/ are watched: files dropped there are
    imported by the next `advisory update`.

    \b
    Example:
      advisory init mali-desk/
      advisory update --config mali-desk/advisory.toml
    """
    from ..desk.store import Store
    from ..desk.template import config_template

    cfg_path = directory / "advisory.toml"
    if cfg_path.exists():
        raise InputError(Problem(str(cfg_path), "already exists: this folder is a desk already"))
    directory.mkdir(parents=True, exist_ok=True)
    for sub in ("incidents", "guidance", "published"):
        (directory / sub).mkdir(exist_ok=True)
    cfg_path.write_text(config_template(name or directory.resolve().name), "utf-8")
    Store(directory / "store.sqlite").close()
    made = [
        (str(cfg_path), "settings (commented)"),
        (f"{directory / 'incidents'}/", "drop ACLED CSV exports here"),
        (f"{directory / 'guidance'}/", "guidance YAML files on record"),
        (f"{directory / 'published'}/", "versions, latest, changelog"),
        (str(directory / "store.sqlite"), "the store (back it up)"),
    ]
    width = max(len(path) for path, _ in made)
    click.echo(f"Initialised the desk in {directory}/:")
    for path, what in made:
        click.echo(f"  {path.ljust(width)}  {what}")
    click.echo(f"Next: advisory update --config {shlex.quote(str(cfg_path))}")


@click.command()
@_config_option
@click.option(
    "--as-of",
    "as_of",
    callback=parse_date,
    help="Assess as of this date (YYYY-MM-DD). Default: today (UTC), for scheduled runs.",
)
@click.option("--force", is_flag=True, help="Publish a new version even if nothing changed.")
@format_option()
def update(config_path: Path, as_of: date | None, force: bool, fmt: str) -> None:
    """Import new data, re-assess, and publish a new version when something changed.

    Exit 0: published, or nothing to publish (it says which); 1: the update failed (nothing
    was imported or published); 2: bad configuration.

    \b
    Example:
      advisory update --config mali-desk/advisory.toml
      advisory update --config mali-desk/advisory.toml --as-of 2025-11-20 --format json
    """
    from ..desk.config import load_config
    from ..desk.update import Busy, DeskStateError, run_update

    log_to_stderr()
    cfg = load_config(config_path)
    log.info("update of %s started (as of %s)", cfg.path, as_of or "today")
    # the update's wall time, measured once: its step timings overlap (`publish` holds
    # `render_reports`) and leave gaps, so their sum is neither
    started = time.perf_counter()
    try:
        result = run_update(cfg, as_of=as_of, force=force)
    except (Busy, DeskStateError) as exc:
        log.error("%s", exc)
        if fmt == "json":
            status = "busy" if isinstance(exc, Busy) else "refused"
            click.echo(json.dumps({"status": status, "message": str(exc)}, indent=2))
        raise UpdateFailed(str(exc)) from None
    for note in result.notes:
        log.warning("Note: %s", note)
    log.info("update finished: %s in %.1f s", result.status, time.perf_counter() - started)
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
    elif result.status != "failed":
        click.echo(result.message)
        for c in result.changes if len(result.changes) > 1 else ():  # one: the message says it
            click.echo(f"  - {c['text']}")
        for n in result.notifications:
            state = "sent" if n["ok"] else f"FAILED after {n['attempts']} attempts"
            click.echo(f"  notification {n['channel']} ({n['version']}): {state}")
    if result.status == "failed":
        log.error("%s", result.message)
        raise UpdateFailed(result.message)


def _store(config_path: Path) -> Any:
    from ..desk.config import load_config
    from ..desk.store import Store

    cfg = load_config(config_path)
    return cfg, Store(cfg.store, readonly=True)


@click.command()
@_config_option
@format_option()
def history(config_path: Path, fmt: str) -> None:
    """List the published versions: when, as of what date, what changed, digests.

    \b
    Example:
      advisory history --config mali-desk/advisory.toml --format json
    """
    from ..desk.changes import summary
    from ..desk.publish import version_label

    cfg, store = _store(config_path)
    try:
        rows = store.versions()
    finally:
        store.close()
    items = [
        {
            "version": version_label(v["id"]),
            "as_of": v["as_of"],
            "published_at": v["published_at"],
            "known_at": v["known_at"],
            "folder": str(cfg.published / v["folder"]),
            "digest": v["digest"],
            "forced": bool(v["forced"]),
            "notification": v["notify_status"],
            "changes": json.loads(v["changes"]),
        }
        for v in rows
    ]
    if fmt == "json":
        click.echo(json.dumps(items, indent=2, ensure_ascii=False))
        return
    if not items:
        click.echo("No version published yet.", err=True)
        return
    for it in items:
        forced = " (forced)" if it["forced"] else ""
        click.echo(
            f"{it['version']:>5}  as of {it['as_of']}  published {it['published_at'][:19]}Z"
            f"{forced}  {it['digest'][:19]}"
        )
        click.echo(f"       {summary(it['changes'])}")


def resolve_version(rows: list[Any], ref: str) -> Any:
    """`v3` or `3`: that version; `2025-11-18`: the last version as of that date or earlier."""
    from ..desk.publish import version_label

    text = ref.strip().lower()
    if text.lstrip("v").isdigit():
        vid = int(text.lstrip("v"))
        for v in rows:
            if v["id"] == vid:
                return v
        known = ", ".join(version_label(v["id"]) for v in rows) or "none yet"
        raise InputError(Problem("VERSION", f"no version {ref!r} (published: {known})"))
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InputError(
            Problem("VERSION", f"expected a version (v3) or a date (2025-11-18), got {ref!r}")
        ) from None
    candidates = [v for v in rows if v["as_of"] <= day.isoformat()]
    if not candidates:
        first = rows[0]["as_of"] if rows else "none yet"
        raise InputError(
            Problem("VERSION", f"no version as of {day} or earlier (first is {first})")
        )
    return max(candidates, key=lambda v: (v["as_of"], v["id"]))


@click.command()
@click.argument("version_a")
@click.argument("version_b")
@_config_option
@format_option()
def diff(version_a: str, version_b: str, config_path: Path, fmt: str) -> None:
    """What changed between two published versions (by id, v3, or by as-of date).

    Every level and guidance change is listed, and every change in a place's set of drivers
    (not only those above the publishing threshold).

    \b
    Example:
      advisory diff 2025-11-18 2025-11-20 --config mali-desk/advisory.toml
    """
    from ..desk.changes import compare, load_compared
    from ..desk.publish import version_label

    cfg, store = _store(config_path)
    try:
        rows = store.versions()
    finally:
        store.close()
    a, b = resolve_version(rows, version_a), resolve_version(rows, version_b)
    try:
        doc_a = load_compared(cfg.published / a["folder"])
        doc_b = load_compared(cfg.published / b["folder"])
    except (OSError, ValueError) as exc:
        raise AdvisoryError(f"cannot read a published version: {exc}") from None
    changes = compare(doc_a, doc_b, threshold=1e-9)
    out = {
        "from": {"version": version_label(a["id"]), "as_of": a["as_of"]},
        "to": {"version": version_label(b["id"]), "as_of": b["as_of"]},
        "changes": changes,
    }
    if fmt == "json":
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    n = len(changes)
    click.echo(
        f"{version_label(a['id'])} (as of {a['as_of']}) -> "
        f"{version_label(b['id'])} (as of {b['as_of']}): {n} {plural(n, 'change', 'changes')}"
    )
    for c in changes:
        click.echo(f"  - {c['text']}")


def main() -> None:  # `python -m advisory.desk ...`
    from . import AdvisoryGroup

    group = AdvisoryGroup("advisory-desk", help="The desk commands (also on `advisory`).")
    for cmd in (init, update, history, diff):
        group.add_command(cmd)
    group(prog_name="python -m advisory.desk", args=sys.argv[1:])
