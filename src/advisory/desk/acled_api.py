"""A small client for ACLED's API (the OAuth API ACLED introduced in 2025), standard library only.

What it relies on (see docs/scheduling.md, "The ACLED API", for the sources):

- Token: POST {base}/oauth/token, form-encoded `username`, `password`,
  `grant_type=password`, `client_id=acled`; the answer holds `access_token` (about 24 h),
  `refresh_token` (about 14 days) and `expires_in`. Refresh: `grant_type=refresh_token`.
- Events: GET {base}/api/acled/read?_format=json with `Authorization: Bearer ...`; filters
  `country`, `event_date` + `event_date_where`, `timestamp` + `timestamp_where` (events added
  or revised since), paging with `limit` and `page`. JSON answers carry `data` (a list of rows).
- Deletions: GET {base}/api/deleted/read?_format=json, `deleted_timestamp` +
  `deleted_timestamp_where`; rows hold `event_id_cnty` and `deleted_timestamp`.

Failures are told apart (`AcledError.kind`): network, auth (401 even after a fresh login),
forbidden (403: ACLED's access tiers refuse API access to some accounts), rate_limited (429
after the bounded retries, or a Retry-After beyond the configured cap), server (5xx after
retries), empty (a 200 with no body) and protocol (an answer that is not ACLED's JSON).
Secrets never appear in messages: every message goes through `redact`.
"""

from __future__ import annotations

import json
import logging
import math
import re
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from email.utils import parsedate_to_datetime
from typing import Any

from . import http
from .config import AcledConfig

log = logging.getLogger("advisory.desk.acled")

CLIENT_ID = "acled"


BEARER = re.compile(r"[A-Za-z0-9\-._~+/]+=*")


def _bearer(token: object) -> bool:
    """A token we may put in an Authorization header (RFC 6750's b64token)."""
    return isinstance(token, str) and len(token) < 8192 and BEARER.fullmatch(token) is not None


class AcledError(Exception):
    """A pull that failed; `kind` says which way, the message says what to do."""

    def __init__(self, kind: str, message: str) -> None:
        self.kind = kind
        super().__init__(message)


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str

    def __repr__(self) -> str:  # never print the password, even in a traceback
        return f"Credentials(username={self.username!r}, password='***')"


@dataclass
class Page:
    rows: list[dict[str, Any]]
    number: int


class AcledClient:
    def __init__(
        self,
        cfg: AcledConfig,
        credentials: Credentials,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.cfg = cfg
        self.creds = credentials
        self.sleep = sleep
        self._access: str | None = None
        self._refresh: str | None = None
        self._secrets: list[str] = [credentials.password]
        self.requests = 0

    # -- secrets -----------------------------------------------------------------------------
    def redact(self, text: str) -> str:
        """Every secret (password, tokens) in every form a server may echo it: as sent
        (form-encoded), as JSON escapes it (\\u00e4 ...), and in any letter case (an error page
        that upper-cases what it quotes). Even a very short secret is redacted: a mangled
        message beats a leaked password."""
        for s in self._secrets:
            if not s:
                continue
            forms = {
                s,
                urllib.parse.quote_plus(s),
                urllib.parse.quote(s),
                json.dumps(s)[1:-1],
                json.dumps(s, ensure_ascii=False)[1:-1],
            }
            pattern = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
            text = re.sub(pattern, "***", text, flags=re.IGNORECASE)
        return text

    def _remember(self, token: str | None) -> None:
        if token:
            self._secrets.append(token)

    # -- HTTP --------------------------------------------------------------------------------
    def _open(self, req: urllib.request.Request) -> tuple[int, dict[str, str], bytes]:
        self.requests += 1
        answer = http.request(
            req.full_url, data=req.data, headers=dict(req.header_items()),  # type: ignore[arg-type]
            timeout_s=self.cfg.timeout_s, deadline_s=self.cfg.deadline_s,
            max_bytes=int(self.cfg.max_answer_mb * 1_000_000),
        )  # fmt: skip
        return answer.status, answer.headers, answer.body

    def _retry_after(self, headers: dict[str, str], attempt: int) -> float:
        value = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
        if value is None:
            return self.cfg.backoff_s * (2**attempt)
        try:
            return max(0.0, float(value))
        except ValueError:
            try:
                when = parsedate_to_datetime(value)
                return max(0.0, when.timestamp() - time.time())
            except (TypeError, ValueError):
                return self.cfg.backoff_s * (2**attempt)

    def _request(
        self,
        url: str,
        *,
        data: bytes | None = None,
        auth: bool = True,
        what: str = "",
        answers: tuple[int, ...] = (200, 401, 403),
    ) -> tuple[int, bytes]:
        """One logical request with bounded retries for network errors, 429 and 5xx.
        Returns (status, body) for the `answers` statuses; raises AcledError otherwise."""
        path = urllib.parse.urlsplit(url).path
        last = ""
        for attempt in range(self.cfg.max_retries + 1):
            req = urllib.request.Request(url, data=data, headers=self._headers(data, auth))
            try:
                status, resp_headers, body = self._open(req)
            except http.HttpError as exc:
                if exc.kind in ("redirect", "too_large"):  # retrying would not help
                    raise AcledError("protocol", self.redact(str(exc))) from None
                last = f"network error reaching {self.cfg.base_url}{path}: {exc}"
                if self._backoff(attempt, self.redact(last)):
                    continue
                raise AcledError("network", self.redact(last)) from None
            if status == 429:
                last = self._rate_limited(path, resp_headers, attempt)
                continue
            if status >= 500:
                last = f"ACLED server error {status} on {path}{what}"
                if self._backoff(attempt, last):
                    continue
                raise AcledError("server", f"{last} after {attempt + 1} attempts")
            if status in answers:
                return status, body
            snippet = self.redact(body[:200].decode("utf-8", "replace"))
            raise AcledError("protocol", f"unexpected HTTP {status} from {path}{what}: {snippet}")
        raise AcledError("network", self.redact(last))  # pragma: no cover - loop always returns

    def _headers(self, data: bytes | None, auth: bool) -> dict[str, str]:
        headers = {"Accept": "application/json", "User-Agent": "advisory-desk"}
        if data is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if auth and self._access:
            headers["Authorization"] = f"Bearer {self._access}"
        return headers

    def _backoff(self, attempt: int, why: str) -> bool:
        """Wait before the next attempt (twice as long each time); False when none is left."""
        if attempt >= self.cfg.max_retries:
            return False
        delay = self.cfg.backoff_s * (2**attempt)
        log.warning("%s; retry %d in %.1fs", why, attempt + 1, delay)
        self.sleep(delay)
        return True

    def _rate_limited(self, path: str, headers: dict[str, str], attempt: int) -> str:
        """After a 429: wait as long as Retry-After asks, unless that is more than the config
        allows or no attempt is left (AcledError). Returns what went wrong, for the last try."""
        wait = self._retry_after(headers, attempt)
        if wait > self.cfg.max_retry_after_s:
            raise AcledError(
                "rate_limited",
                f"ACLED rate limit on {path}: asked to wait {wait:.0f}s, more than "
                f"max_retry_after_s ({self.cfg.max_retry_after_s:.0f}s); try later",
            )
        last = f"ACLED rate limit (429) on {path}"
        if attempt < self.cfg.max_retries:
            log.warning("%s; waiting %.1fs (Retry-After)", last, wait)
            self.sleep(wait)
            return last
        raise AcledError("rate_limited", f"{last}, still refused after {attempt + 1} attempts")

    # -- OAuth -------------------------------------------------------------------------------
    def _token(self, form: dict[str, str]) -> bool:
        url = f"{self.cfg.base_url}/oauth/token"
        data = urllib.parse.urlencode(form).encode()
        # a refused grant is 400 invalid_grant (RFC 6749 5.2); some servers answer 401 or 403
        status, body = self._request(url, data=data, auth=False, answers=(200, 400, 401, 403))
        if status != 200:
            return False
        try:
            doc = json.loads(body)
            access = doc["access_token"]
        except (ValueError, KeyError, TypeError):
            raise AcledError(
                "protocol", "ACLED's token endpoint answered without an access_token"
            ) from None
        refresh = doc.get("refresh_token") if isinstance(doc, dict) else None
        for token in (access, refresh):  # remembered first, so that any message redacts them
            self._remember(str(token) if token else None)
        if not _bearer(access) or (refresh and not _bearer(refresh)):
            raise AcledError(
                "protocol",
                "ACLED's token endpoint answered with a token that is not a bearer token "
                "(RFC 6750: letters, digits and -._~+/ only; it held spaces, line breaks or "
                "other characters); it was not used",
            )
        self._access = str(access)
        self._refresh = str(refresh) if refresh else None
        return True

    def login(self) -> None:
        ok = self._token(
            {
                "username": self.creds.username,
                "password": self.creds.password,
                "grant_type": "password",
                "client_id": CLIENT_ID,
            }
        )
        if not ok:
            raise AcledError(
                "auth",
                f"ACLED refused the login for {self.creds.username}: check ACLED_USERNAME / "
                "ACLED_PASSWORD (or the credentials file) and that the account is active",
            )
        log.info("ACLED login ok for %s", self.creds.username)

    def _renew(self) -> None:
        """After a 401: the refresh token first, then a full login."""
        if self._refresh:
            form = {"grant_type": "refresh_token", "refresh_token": self._refresh}
            if self._token(form | {"client_id": CLIENT_ID}):
                log.info("ACLED access token refreshed")
                return
        self._access = None
        self.login()

    def get_json(self, endpoint: str, params: dict[str, Any], what: str) -> dict[str, Any]:
        if self._access is None:
            self.login()
        query = urllib.parse.urlencode({"_format": "json", **params})
        url = f"{self.cfg.base_url}{endpoint}?{query}"
        status, body = self._request(url, what=what)
        if status == 401:
            self._renew()
            status, body = self._request(url, what=what)
        if status == 401:
            raise AcledError(
                "auth", f"ACLED refused the token for {endpoint} (401) even after a new login"
            )
        if status == 403:
            raise AcledError(
                "forbidden",
                f"ACLED refused access to {endpoint} (403): this account's access tier does "
                "not include API access to this data (see myACLED; API access may have to be "
                "requested), or its terms of use are not accepted",
            )
        if not body.strip():
            raise AcledError("empty", f"ACLED sent an empty answer for {endpoint}{what}")
        try:
            doc = json.loads(body)
        except ValueError:
            snippet = self.redact(body[:120].decode("utf-8", "replace"))
            raise AcledError(
                "protocol", f"ACLED's answer for {endpoint}{what} is not JSON: {snippet!r}"
            ) from None
        if not isinstance(doc, dict) or not isinstance(doc.get("data"), list):
            if isinstance(doc, dict) and (doc.get("error") or doc.get("success") is False):
                err = self.redact(json.dumps(doc.get("error") or doc)[:200])
                raise AcledError("protocol", f"ACLED reported an error for {endpoint}: {err}")
            raise AcledError("protocol", f"ACLED's answer for {endpoint}{what} has no data list")
        return doc

    def _pages(self, endpoint: str, params: dict[str, Any]) -> Iterator[Page]:
        limit = self.cfg.page_size
        for number in range(1, self.cfg.max_pages + 1):
            query = {**params, "limit": limit, "page": number}
            doc = self.get_json(endpoint, query, f" page {number}")
            rows = doc["data"]
            yield Page(rows, number)
            if len(rows) < limit:
                return
        raise AcledError(
            "protocol",
            f"ACLED {endpoint} still had data after max_pages ({self.cfg.max_pages}) pages of "
            f"{limit}; raise max_pages or narrow the query (start_date, countries)",
        )

    # -- public ------------------------------------------------------------------------------
    def events(
        self, country: str, *, since_timestamp: int | None, start_date: date | None
    ) -> Iterator[Page]:
        params: dict[str, Any] = {"country": country}
        if start_date is not None:
            params |= {"event_date": start_date.isoformat(), "event_date_where": ">="}
        if since_timestamp is not None:
            params |= {"timestamp": since_timestamp, "timestamp_where": ">="}
        yield from self._pages("/api/acled/read", params)

    def deletions(self, since_timestamp: int | None) -> list[tuple[str, int]]:
        params: dict[str, Any] = {}
        if since_timestamp is not None:
            params = {"deleted_timestamp": since_timestamp, "deleted_timestamp_where": ">="}
        out = []
        for page in self._pages("/api/deleted/read", params):
            for i, row in enumerate(page.rows, start=1):
                ts = epoch(row.get("deleted_timestamp")) if isinstance(row, dict) else None
                eid = row.get("event_id_cnty") if isinstance(row, dict) else None
                if ts is None or not isinstance(eid, str | int) or not str(eid).strip():
                    raise AcledError(
                        "protocol",
                        f"deletion row {i} on page {page.number} lacks event_id_cnty or a "
                        "deleted_timestamp that is a whole number of seconds",
                    )
                out.append((str(eid).strip(), ts))
        return out


def epoch(value: object) -> int | None:
    """ACLED's Unix seconds as a whole number, or None when they are not one (text, inf,
    nan, 1e400, beyond what a 64-bit integer holds)."""
    if isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number) or abs(number) >= 2**63:
        return None
    return int(number)
