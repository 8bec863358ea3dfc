"""Test helpers for the desk: desks in tmp folders, and local servers (127.0.0.1, port 0) that
behave like ACLED's API, a webhook receiver and an SMTP server. Nothing here leaves loopback."""

from __future__ import annotations

import json
import socketserver
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from acled_factory import BAMAKO, SEGOU, event, small_gazetteer, write_csv

from advisory.desk.config import DeskConfig, load_config

PASSWORD = "s3cret-Pa55word!"
USERNAME = "analyst@example.org"


def make_desk(
    root: Path,
    *,
    formats: tuple[str, ...] = ("json",),
    languages: tuple[str, ...] = ("en",),
    threshold: float = 0.25,
    acled_url: str | None = None,
    extra: str = "",
    small: bool = True,
) -> Path:
    """A desk folder with its config; `small` uses a 3-place gazetteer (fast)."""
    root.mkdir(parents=True, exist_ok=True)
    for d in ("incidents", "guidance", "published"):
        (root / d).mkdir(exist_ok=True)
    places = ""
    if small:
        small_gazetteer(root / "places.geojson")
        places = 'places = "places.geojson"'
    acled = ""
    if acled_url:
        acled = f"""
[acled]
enabled = true
base_url = "{acled_url}"
countries = ["Mali"]
start_date = "2025-01-01"
page_size = 3
max_pages = 50
timeout_s = 5
max_retries = 2
backoff_s = 0
max_retry_after_s = 5
"""
    text = f"""
[desk]
name = "Test desk"
{places}

[sources]
incidents = ["incidents"]
guidance = ["guidance"]

[publish]
formats = {json.dumps(list(formats))}
languages = {json.dumps(list(languages))}
driver_change_threshold = {threshold}
{acled}
{extra}
"""
    (root / "advisory.toml").write_text(text, "utf-8")
    return root / "advisory.toml"


def cfg_of(path: Path) -> DeskConfig:
    return load_config(path)


def ambushes(prefix: str, start: date, n: int, where: tuple[float, float] = BAMAKO, **kw: Any):
    from datetime import timedelta

    return [event(f"{prefix}{i}", start + timedelta(days=2 * i), *where, **kw) for i in range(n)]


def drop(desk: Path, name: str, rows: list[dict[str, Any]]) -> Path:
    return write_csv(desk.parent / "incidents" / name, rows)


# -- a fake ACLED API ------------------------------------------------------------------------


@dataclass
class FakeAcled:
    events: list[dict[str, Any]] = field(default_factory=list)
    deleted: list[dict[str, Any]] = field(default_factory=list)
    # a token stops working after this many data requests (simulates the 24 h expiry)
    token_lifetime: int = 1000
    # scripted answers: (endpoint, page) -> list of statuses to send before the real answer
    script: dict[tuple[str, int], list[int]] = field(default_factory=dict)
    retry_after: str = "0"
    forbidden: bool = False
    empty_body: bool = False
    requests: list[dict[str, Any]] = field(default_factory=list)
    tokens: dict[str, int] = field(default_factory=dict)
    refresh_tokens: set[str] = field(default_factory=set)
    counter: int = 0
    logins: int = 0
    refreshes: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    # a hostile or broken server: called first with (handler, method, path, query or form);
    # when it returns True it has answered the request itself
    hook: Any = None
    access_token: str | None = None  # the next access token handed out, as given

    def new_tokens(self) -> dict[str, Any]:
        self.counter += 1
        access, refresh = f"acc-{self.counter}-XYZ", f"ref-{self.counter}-XYZ"
        if self.access_token is not None:
            access = self.access_token
        self.tokens[access] = 0
        self.refresh_tokens.add(refresh)
        return {
            "token_type": "Bearer",
            "expires_in": 86400,
            "access_token": access,
            "refresh_token": refresh,
        }


def _handler(state: FakeAcled) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep test output clean
            pass

        def _send(self, status: int, doc: Any = None, headers: dict[str, str] | None = None):
            body = b"" if doc is None else json.dumps(doc).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            n = int(self.headers.get("Content-Length", 0))
            form = dict(urllib.parse.parse_qsl(self.rfile.read(n).decode()))
            if state.hook and state.hook(self, "POST", self.path, form):
                return None
            with state.lock:
                state.requests.append({"path": self.path, "form": form})
                if self.path != "/oauth/token" or form.get("client_id") != "acled":
                    return self._send(400, {"error": "invalid_request"})
                grant = form.get("grant_type")
                if grant == "password":
                    if form.get("username") == USERNAME and form.get("password") == PASSWORD:
                        state.logins += 1
                        return self._send(200, state.new_tokens())
                    # a careless server that echoes what it got (the client must redact it)
                    # RFC 6749 5.2: a refused grant is 400 invalid_grant
                    return self._send(400, {"error": "invalid_grant", "echo": form})
                if grant == "refresh_token" and form.get("refresh_token") in state.refresh_tokens:
                    state.refresh_tokens.discard(form["refresh_token"])
                    state.refreshes += 1
                    return self._send(200, state.new_tokens())
                return self._send(400, {"error": "invalid_grant"})

        def do_GET(self) -> None:
            url = urllib.parse.urlsplit(self.path)
            q = dict(urllib.parse.parse_qsl(url.query))
            page = int(q.get("page", 1))
            if state.hook and state.hook(self, "GET", url.path, q):
                return None
            with state.lock:
                auth = self.headers.get("Authorization", "")
                state.requests.append({"path": url.path, "query": q, "auth": auth})
                scripted = state.script.get((url.path, page))
                if scripted:
                    status = scripted.pop(0)
                    headers = {"Retry-After": state.retry_after} if status == 429 else None
                    return self._send(status, {"error": f"scripted {status}"}, headers)
                token = auth.removeprefix("Bearer ")
                if token not in state.tokens or state.tokens[token] >= state.token_lifetime:
                    return self._send(401, {"error": "token expired"})
                state.tokens[token] += 1
                if state.forbidden:
                    return self._send(403, {"error": "Access denied"})
                if state.empty_body:
                    return self._send(200, None)
                limit = int(q.get("limit", 5000))
                if url.path == "/api/acled/read":
                    rows = [
                        r
                        for r in state.events
                        if r["country"] == q.get("country")
                        and ("timestamp" not in q or int(r["timestamp"]) >= int(q["timestamp"]))
                        and ("event_date" not in q or r["event_date"] >= q["event_date"])
                    ]
                    rows.sort(key=lambda r: (r["event_date"], r["event_id_cnty"]), reverse=True)
                elif url.path == "/api/deleted/read":
                    rows = [
                        r
                        for r in state.deleted
                        if "deleted_timestamp" not in q
                        or float(r["deleted_timestamp"]) >= float(q["deleted_timestamp"])
                    ]
                else:
                    return self._send(404, {"error": "no such endpoint"})
                chunk = rows[(page - 1) * limit : page * limit]
                return self._send(200, {"status": 200, "success": True, "count": len(chunk),
                                        "data": chunk})  # fmt: skip

    return Handler


@contextmanager
def serve(
    handler: type[BaseHTTPRequestHandler], cert: tuple[str, str] | None = None
) -> Iterator[str]:
    """A local HTTP server; with `cert` (PEM certificate and key) an HTTPS one."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    if cert is not None:
        import ssl

        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(*cert)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    try:
        yield f"{'https' if cert else 'http'}://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        t.join(5)


@contextmanager
def fake_acled(state: FakeAcled) -> Iterator[str]:
    with serve(_handler(state)) as url:
        yield url


def api_event(eid: str, day: date, ts: int, where=BAMAKO, **kw: Any) -> dict[str, Any]:
    """An event as ACLED's JSON sends it (numbers as numbers)."""
    row = event(eid, day, *where, timestamp=ts, **kw)
    row["latitude"] = float(row["latitude"])
    row["longitude"] = float(row["longitude"])
    row["country"] = "Mali"
    return row


SEGOU_WHERE = SEGOU


# -- webhook receiver ------------------------------------------------------------------------


@dataclass
class Hook:
    statuses: list[int] = field(default_factory=list)  # sent first, then 200
    received: list[dict[str, Any]] = field(default_factory=list)
    attempts: int = 0


@contextmanager
def webhook(hook: Hook) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            n = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(n)
            hook.attempts += 1
            status = hook.statuses.pop(0) if hook.statuses else 200
            if status == 200:
                hook.received.append(json.loads(body))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

    with serve(Handler) as url:
        yield url + "/hook"


# -- a tiny SMTP server ----------------------------------------------------------------------


@dataclass
class Mailbox:
    refuse_first: int = 0  # connections answered 421 and closed
    messages: list[str] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    connections: int = 0
    # TLS: the server's certificate and key (PEM files); `implicit` wraps the connection at
    # once (port 465 style), otherwise STARTTLS is offered
    cert: tuple[str, str] | None = None
    implicit: bool = False
    auth: list[str] = field(default_factory=list)  # AUTH lines received (they hold the password)
    tls_sessions: int = 0  # connections that completed a TLS handshake


def _tls(box: Mailbox, sock: Any) -> Any:
    import ssl

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(*box.cert)  # type: ignore[misc]
    wrapped = ctx.wrap_socket(sock, server_side=True)
    box.tls_sessions += 1
    return wrapped


@contextmanager
def smtp_server(box: Mailbox) -> Iterator[int]:
    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line: str) -> None:
            self.wfile.write((line + "\r\n").encode())
            self.wfile.flush()

        def secure(self) -> bool:
            try:
                self.request = self.tls = _tls(box, self.request)
            except OSError:  # the client refused our certificate
                return False
            self.rfile = self.request.makefile("rb")
            self.wfile = self.request.makefile("wb")
            return True

        def finish(self) -> None:
            with suppress(OSError):
                super().finish()
            if getattr(self, "tls", None) is not None:
                self.tls.close()

        def handle(self) -> None:
            box.connections += 1
            if box.connections <= box.refuse_first:
                self.reply("421 service not available, try later")
                return
            if box.implicit and not self.secure():
                return
            self.reply("220 localhost test SMTP")
            sender, rcpts = "", []
            for _ in range(100):  # bounded conversation
                raw = self.rfile.readline()
                if not raw:
                    return
                cmd = raw.decode("utf-8", "replace").strip()
                verb = cmd.split(" ", 1)[0].upper()
                if verb == "EHLO":
                    tls = b"250-STARTTLS\r\n" if box.cert and not box.implicit else b""
                    self.wfile.write(b"250-localhost\r\n" + tls + b"250-AUTH PLAIN LOGIN\r\n"
                                     b"250 8BITMIME\r\n")  # fmt: skip
                    self.wfile.flush()
                elif verb == "STARTTLS" and box.cert:
                    self.reply("220 ready for TLS")
                    if not self.secure():
                        return
                elif verb == "AUTH":
                    box.auth.append(cmd)
                    self.reply("235 authenticated")
                elif verb == "HELO":
                    self.reply("250 localhost")
                elif verb == "MAIL":
                    sender = cmd.split(":", 1)[1].strip()
                    self.reply("250 OK")
                elif verb == "RCPT":
                    rcpts.append(cmd.split(":", 1)[1].strip())
                    self.reply("250 OK")
                elif verb == "DATA":
                    self.reply("354 end with .")
                    lines = []
                    while True:
                        line = self.rfile.readline()
                        if not line or line in (b".\r\n", b".\n"):
                            break
                        lines.append(line.decode("utf-8", "replace"))
                    box.messages.append("".join(lines))
                    box.envelopes.append((sender, rcpts))
                    self.reply("250 queued")
                elif verb == "QUIT":
                    self.reply("221 bye")
                    return
                else:
                    self.reply("250 OK")

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        t.join(5)


# -- updates in other processes --------------------------------------------------------------


def spawn_update(config: Path, *extra: str, pause_at: str | None = None) -> Any:
    """`python -m advisory.desk update` in a process of its own. With `pause_at` it stops at
    that stage until `release` closes its stdin (an event, not a clock)."""
    import os
    import subprocess
    import sys

    env = dict(os.environ)
    if pause_at:
        env |= {"ADVISORY_TEST_PAUSE_AT": pause_at, "ADVISORY_TEST_PAUSE_S": "stdin"}
    return subprocess.Popen(
        [sys.executable, "-m", "advisory.desk", "update", "--config", str(config),
         "--as-of", "2025-11-20", *extra],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=env,
    )  # fmt: skip


def wait_for_line(proc: Any, text: str) -> str:
    """Read the process's stderr until a line holds `text` (or fail if it ends first)."""
    lines = []
    for line in proc.stderr:
        lines.append(line)
        if text in line:
            return line
    proc.wait()
    raise AssertionError(f"never saw {text!r}; stderr: {''.join(lines)}")


def release(proc: Any) -> tuple[str, str]:
    """Let a paused update go on and wait for its end; (stdout, rest of stderr)."""
    proc.stdin.close()
    out = proc.stdout.read()
    err = proc.stderr.read()
    proc.wait()
    return out, err


@contextmanager
def reaped(*procs: Any) -> Iterator[None]:
    """Whatever happens in the test, no process it started outlives it."""
    try:
        yield
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
            p.wait()
            for f in (p.stdin, p.stdout, p.stderr):
                if f is not None and not f.closed:
                    f.close()
