"""Versioned advisories on disk: one folder per version, a `latest` pointer, a changelog.

Layout under the desk's `published/` folder:

    versions/v0003_2025-11-20/   advisory.json, advisory.<lang>.html|md|pdf, changes.json,
                                 manifest.json (sha256 of every file)
    latest -> versions/v0003_2025-11-20     (a symlink)
    CHANGELOG.md, changelog.jsonl           (rebuilt from the store at every update)

A version is written into a hidden temporary folder, flushed to disk, then renamed into
`versions/` (a rename within one file system is atomic). `latest` is switched by creating a
new symlink beside it and `os.replace`-ing it over the old one, which is atomic on POSIX: a
reader (a web server, a sync job) sees the old version or the new one, never a mix. The
changelog files are replaced the same way. `reconcile` repairs whatever an interrupted update
left behind: temporary and unrecorded folders are removed, `latest` and the changelog are made
to match the store.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

import orjson

from ..engine import Run
from .assessing import compared_view
from .changes import COMPARED_FILE
from .config import DeskConfig
from .store import Store

TMP_PREFIX = ".tmp-"


def version_label(vid: int) -> str:
    return f"v{vid}"


def folder_name(vid: int, as_of: str) -> str:
    return f"v{vid:04d}_{as_of}"


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write(path: Path, data: bytes) -> str:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    return "sha256:" + hashlib.sha256(data).hexdigest()


def render_files(
    run: Run, data: bytes, cfg: DeskConfig, previous: dict[str, Any] | None,
    changes: list[dict[str, Any]], folder: Path, compared: bytes,
) -> tuple[dict[str, str], dict[str, float]]:  # fmt: skip
    """Write the assessment's JSON (`data`), the part of it comparisons read (`compared`)
    and every other configured format and language into `folder`; returns {name: sha256}
    and the seconds spent on the JSON and the reports."""
    t0 = time.perf_counter()
    files: dict[str, str] = {}
    files["advisory.json"] = _write(folder / "advisory.json", data)
    files[COMPARED_FILE] = _write(folder / COMPARED_FILE, compared)
    files["changes.json"] = _write(
        folder / "changes.json", json.dumps(changes, indent=2, ensure_ascii=False).encode()
    )
    t1 = time.perf_counter()
    for lang in cfg.languages:
        files.update(_render_language(run, cfg, lang, previous, folder))
    t2 = time.perf_counter()
    return files, {"write_json": round(t1 - t0, 3), "render_reports": round(t2 - t1, 3)}


def _render_language(
    run: Run, cfg: DeskConfig, lang: str, previous: dict[str, Any] | None, folder: Path
) -> dict[str, str]:
    """One language's files: the brief (always: it goes into the notifications), and each
    configured report and export. Returns {name: sha256}. The PDF is laid out in a process of
    its own (`PdfProcess`) while this one renders the brief, the screen HTML and the Markdown
    (at 1M events x 10k places each side takes about 3.5 s CPU); the files are written in the
    same order as before."""
    from ..outputs.exports.brief import brief_text
    from ..outputs.exports.kml import kml_bytes
    from ..outputs.exports.layers import geojson_text
    from ..outputs.exports.xlsx import xlsx_bytes
    from ..outputs.report import PdfProcess, Reports

    a, wants, out = run.assessment, set(cfg.formats), {}
    reports = Reports(a, lang=lang, previous=previous, rules=cfg.rules)  # one context for all

    def put(name: str, data: bytes) -> None:
        out[name] = _write(folder / name, data)

    with contextlib.ExitStack() as stack:
        if "pdf" in wants:
            printed = reports.html(edition="print", appendix=cfg.appendix)
            pdf = stack.enter_context(PdfProcess(printed))
        put(f"brief.{lang}.txt", (brief_text(a, lang, previous=previous) + "\n").encode())
        if "html" in wants:
            put(f"advisory.{lang}.html", reports.html().encode())
        markdown = reports.markdown().encode() if "md" in wants else None  # the PDF still runs
        if "pdf" in wants:
            put(f"advisory.{lang}.pdf", pdf.result())
    if markdown is not None:
        put(f"advisory.{lang}.md", markdown)
    if "xlsx" in wants:
        put(f"advisory.{lang}.xlsx", xlsx_bytes(a, lang, cfg.rules))
    if "geojson" in wants:
        put(f"rated.{lang}.geojson", geojson_text(a, lang).encode())
    if "kml" in wants:
        put(f"rated.{lang}.kml", kml_bytes(a, lang))
    return out


def write_version(
    cfg: DeskConfig,
    run: Run,
    data: bytes,
    vid: int,
    previous: dict[str, Any] | None,
    changes: list[dict[str, Any]],
    meta: dict[str, Any],
    pause: Any = None,
    compared: bytes | None = None,
) -> tuple[str, dict[str, str], dict[str, float]]:
    """Render into a temporary folder, then rename it into versions/. Returns the folder's
    path relative to published/, the file digests and the time spent rendering. `compared`:
    the `compare.json` the update already made (default: made here from the run)."""
    versions = cfg.published / "versions"
    versions.mkdir(parents=True, exist_ok=True)
    name = folder_name(vid, str(meta["as_of"]))
    tmp = versions / f"{TMP_PREFIX}{name}-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        compared = compared or orjson.dumps(compared_view(run))
        files, timings = render_files(run, data, cfg, previous, changes, tmp, compared)
        manifest = {"version": version_label(vid), "folder": name, **meta, "files": files}
        _write(tmp / "manifest.json", json.dumps(manifest, indent=2).encode())
        _fsync_dir(tmp)
        if pause:
            pause("rendered")
        final = versions / name
        if final.exists():  # left by an interrupted update that never committed
            shutil.rmtree(final)
        os.rename(tmp, final)
        _fsync_dir(versions)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return f"versions/{name}", files, timings


def remove_version_folder(cfg: DeskConfig, folder: str) -> None:
    shutil.rmtree(cfg.published / folder, ignore_errors=True)


def switch_latest(cfg: DeskConfig, folder: str) -> None:
    link = cfg.published / "latest"
    tmp = cfg.published / f".latest.tmp-{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    os.symlink(folder, tmp)
    os.replace(tmp, link)
    _fsync_dir(cfg.published)


def latest_target(cfg: DeskConfig) -> str | None:
    link = cfg.published / "latest"
    return os.readlink(link) if link.is_symlink() else None


def _replace_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    _write(tmp, text.encode())
    os.replace(tmp, path)


def write_changelog(cfg: DeskConfig, store: Store) -> None:
    """CHANGELOG.md for people and changelog.jsonl for programs, newest first in the
    Markdown, oldest first in the JSON lines; both rebuilt from the store."""
    rows = store.versions()
    lines = [
        f"# Changelog: {cfg.name}",
        "",
        "Published advisories, newest first (written by `advisory update`).",
        "",
    ]
    jsonl = []
    for v in reversed(rows):
        changes = json.loads(v["changes"])
        forced = " (forced)" if v["forced"] else ""
        lines.append(f"## {version_label(v['id'])}: as of {v['as_of']}{forced}")
        lines.append("")
        lines.append(f"Published {v['published_at']} in `{v['folder']}/`; {v['digest']}")
        lines.append("")
        lines.extend(f"- {c['text']}" for c in changes)
        if not changes:
            lines.append("- no change (published with --force)")
        lines.append("")
    for v in rows:
        jsonl.append(
            json.dumps(
                {
                    "version": version_label(v["id"]),
                    "as_of": v["as_of"],
                    "published_at": v["published_at"],
                    "folder": v["folder"],
                    "digest": v["digest"],
                    "forced": bool(v["forced"]),
                    "changes": json.loads(v["changes"]),
                },
                ensure_ascii=False,
                sort_keys=True,
            )
        )
    cfg.published.mkdir(parents=True, exist_ok=True)
    _replace_text(cfg.published / "CHANGELOG.md", "\n".join(lines))
    _replace_text(cfg.published / "changelog.jsonl", "".join(j + "\n" for j in jsonl))


def _move_aside(cfg: DeskConfig, path: Path) -> str:
    """Move a folder to published/orphaned/ (never deleted: a person judges it)."""
    aside = cfg.published / "orphaned"
    aside.mkdir(exist_ok=True)
    dest, n = aside / path.name, 1
    while dest.exists():
        dest, n = aside / f"{path.name}.{n}", n + 1
    path.rename(dest)
    return f"orphaned/{dest.name}"


def reconcile(cfg: DeskConfig, store: Store) -> list[str]:
    """Repair what an interrupted update (or a careless restore) left: stray temporary files
    and folders, version folders the store never recorded (the update died before its commit),
    a `latest` that is a real folder or does not point at the last recorded version, a stale
    changelog."""
    notes: list[str] = []
    versions = cfg.published / "versions"
    recorded = {v["folder"] for v in store.versions()}
    if versions.is_dir():
        for p in sorted(versions.iterdir()):
            rel = f"versions/{p.name}"
            if p.name.startswith(TMP_PREFIX):
                shutil.rmtree(p, ignore_errors=True)
                notes.append(f"removed the unfinished folder {rel} of an interrupted update")
            elif p.is_dir() and rel not in recorded:
                # a real advisory whose record was lost (a store restored from an older
                # backup) is possible: moved aside, never deleted
                dest = _move_aside(cfg, p)
                notes.append(
                    f"moved {rel} to {dest}: the store has no record of it (an "
                    "interrupted update, or a store restored from an older backup)"
                )
    if cfg.published.is_dir():
        for p in cfg.published.iterdir():
            if p.name.startswith((".latest.tmp-", ".CHANGELOG.md.tmp-", ".changelog.jsonl.tmp-")):
                p.unlink(missing_ok=True)
    link = cfg.published / "latest"
    if link.exists() and not link.is_symlink():  # a copy that followed the link, say
        dest = _move_aside(cfg, link)
        notes.append(
            f"`latest` was a real folder, not a link (a restore or copy that followed the "
            f"link?): moved it to {dest}"
        )
    last = store.last_version()
    if last is not None:
        if latest_target(cfg) != last["folder"]:
            switch_latest(cfg, last["folder"])
            notes.append(f"`latest` now points to {version_label(last['id'])} ({last['folder']})")
        write_changelog(cfg, store)
    return notes


def load_version_json(cfg: DeskConfig, folder: str) -> dict[str, Any]:
    doc: dict[str, Any] = orjson.loads((cfg.published / folder / "advisory.json").read_bytes())
    return doc
