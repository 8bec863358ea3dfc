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
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from email.utils import parsedate_to_datetime
from typing import Any

from .config import AcledConfig

log = logging.getLogger("advisory.desk.acled")

CLIENT_ID = "acled"


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
        for s in self._secrets:
            if not s:
                continue
            # the secret as sent (form-encoded) and as a JSON echo may show it (\u00e4 ...);
            # even a very short secret is redacted: a mangled message beats a leaked password
            for form in {
                s,
                urllib.parse.quote_plus(s),
                urllib.parse.quote(s),
                json.dumps(s)[1:-1],
                json.dumps(s, ensure_ascii=False)[1:-1],
            }:
                text = text.replace(form, "***")
        return text

    def _remember(self, token: str | None) -> None:
        if token:
            self._secrets.append(token)

    # -- HTTP --------------------------------------------------------------------------------
    def _open(self, req: urllib.request.Request) -> tuple[int, dict[str, str], bytes]:
        self.requests += 1
        try:
            with urllib.request.urlopen(req, timeout=self.cfg.timeout_s) as resp:
                return resp.status, dict(resp.headers.items()), resp.read()
        except urllib.error.HTTPError as exc:
            body = exc.read() if exc.fp is not None else b""
            return exc.code, dict(exc.headers.items()) if exc.headers else {}, body

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
            headers = {"Accept": "application/json", "User-Agent": "advisory-desk"}
            if data is not None:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            if auth and self._access:
                headers["Authorization"] = f"Bearer {self._access}"
            req = urllib.request.Request(url, data=data, headers=headers)
            try:
                status, resp_headers, body = self._open(req)
            except (urllib.error.URLError, OSError, TimeoutError) as exc:
                reason = getattr(exc, "reason", exc)
                last = f"network error reaching {self.cfg.base_url}{path}: {reason}"
                if attempt < self.cfg.max_retries:
                    delay = self.cfg.backoff_s * (2**attempt)
                    log.warning("%s; retry %d in %.1fs", self.redact(last), attempt + 1, delay)
                    self.sleep(delay)
                    continue
                raise AcledError("network", self.redact(last)) from None
            if status == 429:
                wait = self._retry_after(resp_headers, attempt)
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
                    continue
                raise AcledError(
                    "rate_limited", f"{last}, still refused after {attempt + 1} attempts"
                )
            if status >= 500:
                last = f"ACLED server error {status} on {path}{what}"
                if attempt < self.cfg.max_retries:
                    delay = self.cfg.backoff_s * (2**attempt)
                    log.warning("%s; retry %d in %.1fs", last, attempt + 1, delay)
                    self.sleep(delay)
                    continue
                raise AcledError("server", f"{last} after {attempt + 1} attempts")
            if status in answers:
                return status, body
            snippet = self.redact(body[:200].decode("utf-8", "replace"))
            raise AcledError("protocol", f"unexpected HTTP {status} from {path}{what}: {snippet}")
        raise AcledError("network", self.redact(last))  # pragma: no cover - loop always returns

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
        self._access = str(access)
        self._refresh = str(doc["refresh_token"]) if doc.get("refresh_token") else None
        self._remember(self._access)
        self._remember(self._refresh)
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
            for row in page.rows:
                try:
                    out.append((str(row["event_id_cnty"]), int(float(row["deleted_timestamp"]))))
                except (KeyError, TypeError, ValueError):
                    raise AcledError(
                        "protocol",
                        f"a deletion on page {page.number} lacks event_id_cnty or a numeric "
                        "deleted_timestamp",
                    ) from None
        return out
