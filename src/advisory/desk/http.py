"""HTTP for the desk (the ACLED API and the webhook), with three guarantees urllib lacks:

- a total deadline on each request: a watchdog shuts the socket down when it passes, so a
  server that trickles a byte every half second cannot hold the desk (and its lock) for as
  long as it likes (urllib's timeout applies to each socket operation, not to the whole);
- a cap on the size of each answer, read in blocks: a hostile or broken server cannot fill the
  desk's memory;
- redirects are followed only within the same origin (scheme, host and port): urllib copies
  every header, `Authorization` included, to wherever a redirect points, and would follow
  https to http. A redirect elsewhere fails the request instead; nothing is sent there.

Certificates are verified with the default SSL context (the system's trusted authorities).
Proxies set in the environment (`https_proxy`, ...) are honoured as urllib honours them.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

BLOCK = 1 << 16


class HttpError(Exception):
    """A request that could not complete: `kind` is network, deadline, too_large or
    redirect."""

    def __init__(self, kind: str, message: str) -> None:
        self.kind = kind
        super().__init__(message)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


def origin(url: str) -> tuple[str, str, int | None]:
    parts = urllib.parse.urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), parts.port or default


class _Watchdog:
    """Shuts down every socket of one request when the deadline passes."""

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self._socks: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def track(self, sock: socket.socket) -> None:
        with self._lock:
            self._socks.append(sock)
            if self.expired:
                self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)

    def _fire(self) -> None:
        with self._lock:
            self.expired = True
            for s in self._socks:
                self._shut(s)

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()


def _connection(base: type[http.client.HTTPConnection], watch: _Watchdog) -> Any:
    class Watched(base):  # type: ignore[misc, valid-type]
        def connect(self) -> None:
            super().connect()
            watch.track(self.sock)

    return Watched


class _Http(urllib.request.HTTPHandler):
    def __init__(self, watch: _Watchdog) -> None:
        super().__init__()
        self.watch = watch

    def http_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_connection(http.client.HTTPConnection, self.watch), req)


class _Https(urllib.request.HTTPSHandler):
    def __init__(self, watch: _Watchdog) -> None:
        self.tls = ssl.create_default_context()  # certificates and host names verified
        super().__init__(context=self.tls)
        self.watch = watch

    def https_open(self, req: urllib.request.Request) -> Any:
        conn = _connection(http.client.HTTPSConnection, self.watch)
        return self.do_open(conn, req, context=self.tls)


class _SameOrigin(urllib.request.HTTPRedirectHandler):
    max_redirections = 5

    def redirect_request(
        self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:  # fmt: skip
        if origin(newurl) != origin(req.full_url):
            fp.close()
            there = "{}://{}".format(*origin(newurl)[:2])
            here = "{}://{}".format(*origin(req.full_url)[:2])
            raise HttpError(
                "redirect",
                f"{here} redirected to {there}: a redirect to another origin (or from https to "
                "http) is not followed, so that no credential is sent there",
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _read(resp: Any, max_bytes: int, url: str) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while block := resp.read(BLOCK):
        size += len(block)
        if size > max_bytes:
            raise HttpError(
                "too_large",
                f"the answer from {urllib.parse.urlsplit(url).path or '/'} is larger than "
                f"{max_bytes / 1e6:.0f} MB; refused",
            )
        chunks.append(block)
    return b"".join(chunks)


def request(
    url: str,
    *,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    method: str | None = None,
    timeout_s: float,
    deadline_s: float,
    max_bytes: int,
) -> Answer:
    """One request and its whole answer within `deadline_s` and `max_bytes`. Any HTTP status
    is an `Answer`; what prevents one is an `HttpError`."""
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    with _Watchdog(deadline_s) as watch:
        opener = urllib.request.build_opener(_Http(watch), _Https(watch), _SameOrigin())
        try:
            try:
                resp = opener.open(req, timeout=timeout_s)
            except urllib.error.HTTPError as exc:  # a status that is not 2xx: still an answer
                resp = exc
            with resp:
                status = resp.status if hasattr(resp, "status") else resp.code
                got = dict(resp.headers.items()) if resp.headers else {}
                body = _read(resp, max_bytes, url) if resp.fp is not None else b""
        except HttpError:
            raise
        except ValueError:  # its message quotes the header, which may hold a credential
            raise HttpError(
                "network",
                "the request could not be sent: a header holds a character HTTP "
                "does not allow (a line break?)",
            ) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            if watch.expired:
                raise HttpError("deadline", f"no complete answer within {deadline_s:g} s") from None
            reason = getattr(exc, "reason", exc)
            raise HttpError("network", f"{type(exc).__name__}: {reason}") from None
        if watch.expired:  # a read cut short by the watchdog looks like the end of the body
            raise HttpError("deadline", f"no complete answer within {deadline_s:g} s")
    return Answer(status, got, body)
