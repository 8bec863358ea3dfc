"""Send the notifications of published versions that are still `pending`: the one just
published, and any an interrupted update never sent (each is sent once)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from . import publish
from .config import DeskConfig
from .notify import notify
from .store import Store


def briefs(cfg: DeskConfig, folder: str) -> dict[str, str]:
    """The version's briefs by language (message-length text; none for a version published
    before the desk wrote them)."""
    out = {}
    for lang in cfg.languages:
        path = cfg.published / folder / f"brief.{lang}.txt"
        if path.is_file():
            out[lang] = path.read_text("utf-8").rstrip("\n")
    return out


def payload(cfg: DeskConfig, v: Any, doc: dict[str, Any]) -> dict[str, Any]:
    texts = briefs(cfg, v["folder"])
    return {
        "desk": cfg.name,
        "version": publish.version_label(v["id"]),
        "as_of": v["as_of"],
        "published_at": v["published_at"],
        "folder": str(cfg.published / v["folder"]),
        "digest": v["digest"],
        "changes": json.loads(v["changes"]),
        "brief": next(iter(texts.values()), ""),  # the first language's, ready to forward
        "briefs": texts,
        "bottom_line": doc.get("bottom_line", {}),
        "national": {
            track: {
                "level": doc.get("national", {}).get(track, {}).get("level"),
                "label": doc.get("national", {}).get(track, {}).get("label"),
            }
            for track in ("personal_security", "regime_collapse")
        },
    }


def send_pending(
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
        try:
            doc = publish.load_version_json(cfg, v["folder"])
        except (OSError, ValueError) as exc:  # a folder lost since: say so, send the rest
            doc = {}
            out.append({"version": label, "channel": "-", "ok": False, "attempts": 0,
                        "detail": f"cannot read {v['folder']}/advisory.json: {exc}"})  # fmt: skip
        outcomes = notify(cfg.notify, payload(cfg, v, doc), sleep)
        ok = all(o.ok for o in outcomes)
        detail = "; ".join(f"{o.channel}: {o.detail}" for o in outcomes)
        with store.transaction():
            store.set_notify(v["id"], "sent" if ok else "failed", detail)
        out.extend({"version": label, **o.as_dict()} for o in outcomes)
    return out
