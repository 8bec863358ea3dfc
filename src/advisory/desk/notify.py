"""Tell people a new advisory was published: a webhook POST (JSON) and an email (SMTP).

Email over TLS (STARTTLS or implicit TLS) verifies the server's certificate; the SMTP password
is never sent unencrypted unless `insecure = true` says so. Each channel is tried
`1 + retries` times with a delay of `backoff_s`, doubled at each retry (both from
advisory.toml). Failures are logged and returned, never raised: publishing has already
happened and must not be undone or blocked by a mail server being down.
"""

from __future__ import annotations

import json
import logging
import os
import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from . import http
from .config import NotifyConfig

log = logging.getLogger("advisory.desk.notify")


@dataclass
class Outcome:
    channel: str
    ok: bool
    attempts: int
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "channel": self.channel,
            "ok": self.ok,
            "attempts": self.attempts,
            "detail": self.detail,
        }


def _with_retries(
    channel: str, cfg: NotifyConfig, send: Callable[[], None], sleep: Callable[[float], None]
) -> Outcome:
    last = ""
    for attempt in range(cfg.retries + 1):
        try:
            send()
            return Outcome(channel, True, attempt + 1, "sent")
        except Exception as exc:  # any failure of a channel is reported, never raised
            last = f"{type(exc).__name__}: {exc}"
            log.warning("%s notification failed (attempt %d): %s", channel, attempt + 1, last)
            if attempt < cfg.retries:
                sleep(cfg.backoff_s * (2**attempt))
    return Outcome(channel, False, cfg.retries + 1, last)


def post_webhook(url: str, payload: dict[str, Any], timeout: float) -> None:
    """POST the payload; the whole exchange within `timeout` seconds, redirects only within
    the webhook's own origin, an answer of at most a megabyte (it is not read anyway)."""
    answer = http.request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json", "User-Agent": "advisory-desk"},
        method="POST",
        timeout_s=timeout,
        deadline_s=timeout,
        max_bytes=1_000_000,
    )
    if not 200 <= answer.status < 300:
        raise RuntimeError(f"HTTP {answer.status}")


def email_text(payload: dict[str, Any]) -> tuple[str, str]:
    changes = payload.get("changes", [])
    subject = (
        f"{payload['desk']}: advisory {payload['version']} as of {payload['as_of']} "
        f"({len(changes)} change{'s' if len(changes) != 1 else ''})"
    )
    lines = [
        f"A new advisory was published: {payload['version']}, as of {payload['as_of']}.",
        "",
        *([payload["brief"], ""] if payload.get("brief") else []),
        "What changed:",
        *[f"- {c['text']}" for c in changes],
        "",
    ]
    bl = payload.get("bottom_line") or {}
    if bl:
        lines += [
            "Personal security: " + bl.get("personal_security", ""),
            "",
            "Regime collapse: " + bl.get("regime_collapse", ""),
            "",
        ]
    lines.append(f"Files: {payload.get('folder', '')}")
    return subject, "\n".join(lines)


def send_email(cfg: NotifyConfig, payload: dict[str, Any]) -> None:
    """Send the change list by SMTP. TLS, implicit (`tls`, port 465) or by STARTTLS, verifies
    the server's certificate and name with the default SSL context; a password is never sent
    over a connection that is not encrypted unless the config says `insecure = true`."""
    e = cfg.email
    subject, body = email_text(payload)
    msg = EmailMessage()
    msg["From"] = e.sender
    msg["To"] = ", ".join(e.to)
    msg["Subject"] = f"{e.subject_prefix} {subject}".strip()
    msg.set_content(body)
    password = os.environ.get("ADVISORY_SMTP_PASSWORD", "") if e.username else ""
    if e.username and not password:
        raise RuntimeError("ADVISORY_SMTP_PASSWORD is not set for the SMTP username")
    context = ssl.create_default_context()
    smtp = (
        smtplib.SMTP_SSL(e.host, e.port, timeout=cfg.timeout_s, context=context)
        if e.tls
        else smtplib.SMTP(e.host, e.port, timeout=cfg.timeout_s)
    )
    with smtp:
        if e.starttls:
            smtp.starttls(context=context)
        if e.username:
            if not (e.tls or e.starttls or e.insecure):
                raise RuntimeError(
                    "refused to send the SMTP password over an unencrypted connection: set "
                    "starttls = true (port 587) or tls = true (port 465) in [notify.email]"
                )
            smtp.login(e.username, password)
        smtp.send_message(msg)


def notify(
    cfg: NotifyConfig, payload: dict[str, Any], sleep: Callable[[float], None] = time.sleep
) -> list[Outcome]:
    out: list[Outcome] = []
    if cfg.webhook.url:
        url = cfg.webhook.url
        out.append(
            _with_retries("webhook", cfg, lambda: post_webhook(url, payload, cfg.timeout_s), sleep)
        )
    if cfg.email.host and cfg.email.to:
        out.append(_with_retries("email", cfg, lambda: send_email(cfg, payload), sleep))
    return out
