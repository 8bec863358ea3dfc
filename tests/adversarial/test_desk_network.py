"""Hostile servers: an SMTP impostor, redirects elsewhere, trickling and oversized answers,
tokens with line breaks, rows that are not rows, timestamps from the future or infinity."""

from __future__ import annotations

import base64
import contextlib
import json
import time
from datetime import date
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from conftest import CERTS
from desk_support import (
    PASSWORD,
    USERNAME,
    FakeAcled,
    Mailbox,
    api_event,
    cfg_of,
    fake_acled,
    make_desk,
    serve,
    smtp_server,
)

from advisory.desk import run_update
from advisory.desk.acled_api import AcledClient, AcledError, Credentials
from advisory.desk.config import AcledConfig, ConfigError, EmailConfig, NotifyConfig, load_config
from advisory.desk.notify import send_email
from advisory.desk.store import Store

CREDS = Credentials(USERNAME, PASSWORD)
SMTP_PASSWORD = "smtp-Secret-99"
PAYLOAD = {"desk": "d", "version": "v1", "as_of": "2025-11-20", "changes": [], "folder": "x"}


def _client(url: str, **kw: Any) -> AcledClient:
    cfg = AcledConfig(enabled=True, base_url=url, countries=("Mali",), page_size=3,
                      max_retries=0, backoff_s=0, timeout_s=5, **kw)  # fmt: skip
    return AcledClient(cfg, kw.pop("creds", CREDS), sleep=lambda s: None)


def _pull(client: AcledClient) -> list:
    return list(client.events("Mali", since_timestamp=None, start_date=None))


def _email(port: int, validate: bool = True, **kw: Any) -> NotifyConfig:
    """An email channel; `validate=False` builds one the config loader would refuse."""
    fields = dict(host="127.0.0.1", port=port, sender="desk@example.org",
                  to=("ops@example.org",), username="desk", **kw)  # fmt: skip
    mail = EmailConfig(**fields) if validate else EmailConfig.model_construct(**fields)
    return NotifyConfig(retries=0, backoff_s=0, timeout_s=5, email=mail)


# -- SMTP (issue 20, item 2) ----------------------------------------------------------------


def test_starttls_to_an_impostor_fails_and_never_sends_the_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ADVISORY_SMTP_PASSWORD", SMTP_PASSWORD)
    monkeypatch.setenv("SSL_CERT_FILE", str(CERTS / "ca.pem"))  # trusts only the test CA
    box = Mailbox(cert=(str(CERTS / "impostor.pem"), str(CERTS / "impostor.key")))
    with smtp_server(box) as port, pytest.raises(Exception, match="CERTIFICATE_VERIFY_FAILED"):
        send_email(_email(port, starttls=True), PAYLOAD)
    assert box.auth == [] and box.messages == []


def test_starttls_and_implicit_tls_with_a_trusted_certificate_deliver(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ADVISORY_SMTP_PASSWORD", SMTP_PASSWORD)
    monkeypatch.setenv("SSL_CERT_FILE", str(CERTS / "ca.pem"))
    cert = (str(CERTS / "server.pem"), str(CERTS / "server.key"))
    for implicit in (False, True):
        box = Mailbox(cert=cert, implicit=implicit)
        with smtp_server(box) as port:
            send_email(_email(port, starttls=not implicit, tls=implicit), PAYLOAD)
        assert box.tls_sessions == 1 and len(box.messages) == 1
        user_pass = base64.b64decode(box.auth[0].split()[-1]).split(b"\0")
        assert user_pass[-1] == SMTP_PASSWORD.encode()  # sent, but only inside TLS


def test_no_smtp_login_without_tls_unless_insecure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADVISORY_SMTP_PASSWORD", SMTP_PASSWORD)
    box = Mailbox()
    with smtp_server(box) as port, pytest.raises(RuntimeError, match="unencrypted"):
        send_email(_email(port, validate=False), PAYLOAD)  # the send refuses it as well
    assert box.auth == []
    mail = '[notify.email]\nhost = "mail.example.org"\nfrom = "a@example.org"\n'
    path = make_desk(tmp_path / "d", extra=mail + 'to = ["b@example.org"]\nusername = "desk"\n')
    with pytest.raises(ConfigError, match=r"notify\.email\.username.*unencrypted"):
        load_config(path)
    path.write_text(path.read_text() + "insecure = true\n")
    assert load_config(path).notify.email.insecure is True
    with smtp_server(box) as port:
        send_email(_email(port, insecure=True), PAYLOAD)
    assert len(box.auth) == 1


# -- redirects and plain http (item 5) ---------------------------------------------------------


def test_the_token_never_follows_a_redirect_to_another_origin() -> None:
    seen: list[str] = []

    class Elsewhere(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            seen.append(self.headers.get("Authorization", ""))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

    with serve(Elsewhere) as other:

        def hook(h: Any, method: str, path: str, q: dict) -> bool:
            if method == "GET":
                h.send_response(302)
                h.send_header("Location", f"{other}/steal")
                h.send_header("Content-Length", "0")
                h.end_headers()
                return True
            return False

        with fake_acled(FakeAcled(hook=hook)) as url, pytest.raises(AcledError) as exc:
            _pull(_client(url))
    assert exc.value.kind == "protocol" and "redirect" in str(exc.value)
    assert seen == []  # nothing at all went to the other origin


def test_a_redirect_from_https_to_http_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from advisory.desk import http

    class Downgrade(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            port = self.server.server_address[1]
            self.send_response(301)
            self.send_header("Location", f"http://127.0.0.1:{port}/plain")
            self.send_header("Content-Length", "0")
            self.end_headers()

    monkeypatch.setenv("SSL_CERT_FILE", str(CERTS / "ca.pem"))
    cert = (str(CERTS / "server.pem"), str(CERTS / "server.key"))
    with serve(Downgrade, cert) as url, pytest.raises(http.HttpError) as exc:
        http.request(f"{url}/x", headers={"Authorization": "Bearer t"}, timeout_s=5,
                     deadline_s=10, max_bytes=1000)  # fmt: skip
    assert exc.value.kind == "redirect" and "http://127.0.0.1" in str(exc.value)


def test_an_http_base_url_is_refused_for_the_password_login(tmp_path: Path) -> None:
    path = make_desk(tmp_path / "d", acled_url="http://api.example.org")
    with pytest.raises(ConfigError, match=r"acled\.base_url.*unencrypted"):
        load_config(path)
    assert load_config(make_desk(tmp_path / "e", acled_url="http://127.0.0.1:9")).acled.enabled


# -- deadlines and size caps (items 9 and 13) ----------------------------------------------


def test_a_trickling_server_meets_the_deadline_and_a_huge_answer_the_cap() -> None:
    def trickle(h: Any, method: str, path: str, q: dict) -> bool:
        if method == "POST":
            return False
        body = json.dumps({"data": []}).encode() + b" " * 200
        h.send_response(200)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        try:
            for i in range(len(body)):  # about 20 s in all: a whole answer, if one waits
                h.wfile.write(body[i : i + 1])
                h.wfile.flush()
                time.sleep(0.1)
        except OSError:  # the client hung up (what the deadline does)
            pass
        return True

    with fake_acled(FakeAcled(hook=trickle)) as url, pytest.raises(AcledError) as exc:
        _pull(_client(url, deadline_s=1))
    assert exc.value.kind == "network" and "no complete answer within 1 s" in str(exc.value)

    def huge(h: Any, method: str, path: str, q: dict) -> bool:
        if method == "POST":
            return False
        body = b'{"data": [' + b" " * 3_000_000 + b"]}"
        h.send_response(200)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        with contextlib.suppress(OSError):  # the client hangs up once it has read enough
            h.wfile.write(body)
        return True

    with fake_acled(FakeAcled(hook=huge)) as url, pytest.raises(AcledError) as exc:
        _pull(_client(url, max_answer_mb=1))
    assert exc.value.kind == "protocol" and "larger than 1 MB" in str(exc.value)


# -- tokens and redaction (items 11 and 13) ------------------------------------------------


def test_a_token_with_a_line_break_is_refused_and_never_printed() -> None:
    token = "evil-token-123\r\nX-Injected: yes"
    with fake_acled(FakeAcled(access_token=token)) as url, pytest.raises(AcledError) as exc:
        _pull(_client(url))
    assert exc.value.kind == "protocol" and "not a bearer token" in str(exc.value)
    assert "evil-token-123" not in str(exc.value)


def test_a_password_echoed_in_another_case_is_redacted() -> None:
    def shout(h: Any, method: str, path: str, form: dict) -> bool:
        if method != "POST":
            return False
        h._send(400, {"error": f"INVALID CREDENTIALS FOR {form['password'].upper()}"})
        return True

    with fake_acled(FakeAcled(hook=shout)) as url:
        client = _client(url)
        with pytest.raises(AcledError) as exc:
            client._request(f"{url}/oauth/token", data=b"password=" + PASSWORD.encode(),
                            auth=False, answers=(200,))  # fmt: skip
    assert PASSWORD.upper() not in str(exc.value) and "***" in str(exc.value)


# -- hostile rows (items 7 and 11) ----------------------------------------------------------


def test_rows_that_are_not_objects_fail_the_pull_with_their_page_and_row(tmp_path: Path) -> None:
    state = FakeAcled(events=[api_event("MLI1", date(2025, 10, 1), 1_760_000_000)])

    def odd(h: Any, method: str, path: str, q: dict) -> bool:
        if path != "/api/acled/read":
            return False
        h._send(200, {"data": [state.events[0], 7, ["a", "b"]]})
        return True

    state.hook = odd
    with fake_acled(state) as url:
        cfg = cfg_of(make_desk(tmp_path / "d", acled_url=url))
        res = run_update(cfg, as_of=date(2025, 11, 20), credentials=CREDS)
    assert res.status == "failed" and res.exit_code == 1
    assert "ACLED API Mali page 1, row 2: expected a JSON object, got int" in res.message


def test_infinite_timestamps_are_rejected_rows_and_bad_deletions_a_clear_failure(
    tmp_path: Path,
) -> None:
    events = [api_event("MLI1", date(2025, 10, 1), 1_760_000_000),
              api_event("MLI2", date(2025, 10, 2), 1_760_000_001)]  # fmt: skip
    state = FakeAcled(events=events)

    def infinite(h: Any, method: str, path: str, q: dict) -> bool:
        if path != "/api/acled/read":
            return False
        body = json.dumps({"data": events}).replace("1760000001", "1e999")
        h.send_response(200)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body.encode())
        return True

    state.hook = infinite
    with fake_acled(state) as url:
        cfg = cfg_of(make_desk(tmp_path / "d", acled_url=url))
        res = run_update(cfg, as_of=date(2025, 11, 20), credentials=CREDS)
        assert res.status == "published", res.message
        rejects = (cfg.root / "rejects.csv").read_text()
        assert "MLI2" in rejects and "timestamp must be a whole number of Unix seconds" in rejects
        state.hook = None
        state.deleted.append({"event_id_cnty": "MLI1", "deleted_timestamp": "1e400"})
        res = run_update(cfg, as_of=date(2025, 11, 20), credentials=CREDS)
    assert res.status == "failed"
    assert "deletion row 1 on page 1" in res.message and "OverflowError" not in res.message


def test_a_row_from_the_future_never_moves_the_cursor(tmp_path: Path) -> None:
    now = int(time.time())
    state = FakeAcled(events=[api_event("MLI1", date(2025, 10, 1), now - 1000),
                              api_event("POISON", date(2025, 10, 2), 99_999_999_999)])  # fmt: skip
    with fake_acled(state) as url:
        cfg = cfg_of(make_desk(tmp_path / "d", acled_url=url))
        res = run_update(cfg, as_of=date(2025, 11, 20), credentials=CREDS)
        assert res.status == "published", res.message
        assert any("1 ACLED rows refused" in n and "POISON" in n for n in res.notes)
        s = Store(cfg.store)
        assert s.get_meta("acled.cursor.timestamp") == str(now - 1000)
        ids = set(s.known_frame("9999-01-01T00:00:00.000000Z").frame["event_id_cnty"])
        s.close()
        assert ids == {"MLI1"}
        # a real revision after the poisoned row still comes in
        state.events.append(api_event("MLI1", date(2025, 10, 1), now - 10, fatalities=7))
        res = run_update(cfg, as_of=date(2025, 11, 20), credentials=CREDS)
        assert res.imported["new_revisions_from_api"] == 1, res.message
