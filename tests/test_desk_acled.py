"""The ACLED client and pull, against a local server that behaves like ACLED's API."""

from __future__ import annotations

import json
import logging
import os
import socket
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from desk_support import (
    PASSWORD,
    USERNAME,
    FakeAcled,
    api_event,
    cfg_of,
    fake_acled,
    make_desk,
)
from test_desk_update import data_dump, desk_cli

from advisory.desk import run_update
from advisory.desk.acled_api import AcledClient, AcledError, Credentials
from advisory.desk.config import AcledConfig
from advisory.desk.pull import load_credentials
from advisory.desk.store import Store

CREDS = Credentials(USERNAME, PASSWORD)


def seven_events() -> list[dict]:
    return [api_event(f"MLI{i}", date(2025, 10, 1 + 3 * i), 1_760_000_000 + i) for i in range(7)]


def test_pull_pages_refreshes_an_expired_token_and_applies_deletions(tmp_path: Path) -> None:
    state = FakeAcled(events=seven_events(), token_lifetime=2)
    with fake_acled(state) as url:
        cfg = cfg_of(make_desk(tmp_path / "d", acled_url=url))
        first = run_update(cfg, as_of=date(2025, 11, 20), credentials=CREDS)
        assert first.status == "published", first.message
        assert first.imported["api_rows"] == 7 and first.imported["new_revisions_from_api"] == 7
        reads = [r for r in state.requests if r["path"] == "/api/acled/read"]
        assert [r["query"]["page"] for r in reads if r["auth"] != "Bearer acc-1-XYZ"][-3:]
        assert {r["query"]["country"] for r in reads} == {"Mali"}
        assert reads[0]["query"]["event_date"] == "2025-01-01"
        assert "timestamp" not in reads[0]["query"]  # first pull: everything since start_date
        assert state.refreshes >= 1  # the token expired mid-pull and was refreshed
        pages = sorted({int(r["query"]["page"]) for r in reads})
        assert pages == [1, 2, 3]

        # ACLED revises one event, adds one and deletes another
        revised = dict(state.events[2], fatalities=9, timestamp=1_770_000_000)
        state.events[2] = revised
        state.events.append(api_event("MLI99", date(2025, 11, 12), 1_770_000_001))
        state.deleted.append({"event_id_cnty": "MLI0", "deleted_timestamp": 1_770_000_002})
        state.requests.clear()
        second = run_update(cfg, as_of=date(2025, 11, 20), credentials=CREDS)
        assert second.status in ("published", "unchanged"), second.message
        assert second.imported["new_revisions_from_api"] == 2
        assert second.imported["deletions"] == 1
        reads = [r for r in state.requests if r["path"] == "/api/acled/read"]
        assert all(r["query"]["timestamp"] == "1760000006" for r in reads)  # since the cursor
        assert all(r["query"]["timestamp_where"] == ">=" for r in reads)

    s = Store(cfg.store)
    known = s.known_frame("9999-12-31T00:00:00.000000Z").frame
    s.close()
    ids = set(known["event_id_cnty"].to_list())
    assert "MLI0" not in ids and "MLI99" in ids and len(ids) == 7
    row = known.filter(known["event_id_cnty"] == "MLI2").row(0, named=True)
    assert row["fatalities"] == "9" and row["_file"].startswith("ACLED API Mali page")


def test_a_500_mid_pull_publishes_nothing_and_keeps_the_store(tmp_path: Path) -> None:
    state = FakeAcled(events=seven_events())
    with fake_acled(state) as url:
        cfg = cfg_of(make_desk(tmp_path / "d", acled_url=url))
        assert run_update(cfg, as_of=date(2025, 11, 20), credentials=CREDS).status == "published"
        before = data_dump(cfg)
        state.events.extend(
            api_event(f"NEW{i}", date(2025, 11, 10), 1_780_000_000 + i) for i in range(5)
        )
        state.script[("/api/acled/read", 2)] = [500, 500, 500]  # more than max_retries (2)
        failed = run_update(cfg, as_of=date(2025, 11, 20), credentials=CREDS)
        assert failed.status == "failed" and failed.exit_code == 1
        assert "server error 500" in failed.message and "page 2" in failed.message
        assert data_dump(cfg) == before  # not even the first page was kept
        assert os.readlink(cfg.published / "latest") == "versions/v0001_2025-11-20"
        # a transient 500 is retried and the pull completes
        state.script[("/api/acled/read", 2)] = [500]
        ok = run_update(cfg, as_of=date(2025, 11, 20), credentials=CREDS)
        assert ok.status in ("published", "unchanged")
        # the cursor is inclusive (>=): the last event of the previous pull comes again and
        # the upsert drops it
        assert ok.imported["api_rows"] == 6 and ok.imported["new_revisions_from_api"] == 5


def _client(url: str, **kw) -> tuple[AcledClient, list[float]]:
    waits: list[float] = []
    cfg = AcledConfig(
        enabled=True,
        base_url=url,
        countries=("Mali",),
        page_size=3,
        max_retries=kw.pop("max_retries", 2),
        backoff_s=0.5,
        max_retry_after_s=kw.pop("max_retry_after_s", 30),
        timeout_s=5,
        **kw,
    )
    return AcledClient(cfg, kw.get("creds", CREDS), sleep=waits.append), waits


def _pull(client: AcledClient) -> list:
    return list(client.events("Mali", since_timestamp=None, start_date=None))


def test_failures_are_reported_distinctly() -> None:
    state = FakeAcled(events=seven_events())
    with fake_acled(state) as url:
        bad = AcledClient(_client(url)[0].cfg, Credentials(USERNAME, "wrong-Pa55word-xyz"))
        with pytest.raises(AcledError) as exc:
            _pull(bad)
        assert exc.value.kind == "auth" and "wrong-Pa55word-xyz" not in str(exc.value)

        state.forbidden = True
        with pytest.raises(AcledError) as exc:
            _pull(_client(url)[0])
        assert exc.value.kind == "forbidden" and "access tier" in str(exc.value)
        state.forbidden = False

        state.empty_body = True
        with pytest.raises(AcledError) as exc:
            _pull(_client(url)[0])
        assert exc.value.kind == "empty"
        state.empty_body = False

        # 429: Retry-After is honoured, a bounded number of times
        state.retry_after = "7"
        state.script[("/api/acled/read", 1)] = [429, 429]
        client, waits = _client(url)
        assert len(_pull(client)) == 3  # 7 rows in pages of 3
        assert waits == [7.0, 7.0]
        state.script[("/api/acled/read", 1)] = [429, 429, 429]
        client, waits = _client(url)
        with pytest.raises(AcledError) as exc:
            _pull(client)
        assert exc.value.kind == "rate_limited" and waits == [7.0, 7.0]
        # a Retry-After beyond the cap fails at once rather than sleeping for an hour
        state.retry_after = "3600"
        state.script[("/api/acled/read", 1)] = [429]
        client, waits = _client(url)
        with pytest.raises(AcledError) as exc:
            _pull(client)
        assert exc.value.kind == "rate_limited" and "3600" in str(exc.value) and waits == []
        state.script.clear()

        # 5xx: retried with backoff from config, then reported as a server error
        state.script[("/api/acled/read", 1)] = [503, 502, 500]
        client, waits = _client(url)
        with pytest.raises(AcledError) as exc:
            _pull(client)
        assert exc.value.kind == "server" and waits == [0.5, 1.0]

    # nothing listens on this port any more: a network error, retried then reported
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client, waits = _client(f"http://127.0.0.1:{port}")
    with pytest.raises(AcledError) as exc:
        _pull(client)
    assert exc.value.kind == "network" and len(waits) == 2


def test_secrets_never_reach_output_or_logs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    state = FakeAcled(events=seven_events(), token_lifetime=1)
    with fake_acled(state) as url:
        path = make_desk(tmp_path / "d", acled_url=url)
        monkeypatch.setenv("ACLED_USERNAME", USERNAME)
        monkeypatch.setenv("ACLED_PASSWORD", PASSWORD)
        ok = CliRunner().invoke(
            desk_cli(), ["update", "--config", str(path), "--as-of", "2025-11-20", "-f", "json"]
        )
        assert ok.exit_code == 0, ok.output
        monkeypatch.setenv("ACLED_PASSWORD", "wrong-Pa55word-xyz")
        state.tokens.clear()
        state.refresh_tokens.clear()
        state.events.append(api_event("MLI50", date(2025, 11, 12), 1_790_000_000))
        bad = CliRunner().invoke(desk_cli(), ["update", "--config", str(path)])
        assert bad.exit_code == 1 and "ACLED pull failed (auth)" in bad.output
    tokens = [t for t in (*state.refresh_tokens, *state.tokens) if t] + ["acc-1-XYZ", "ref-1-XYZ"]
    stored = (tmp_path / "d" / "store.sqlite").read_bytes().decode("latin-1")
    everything = ok.output + bad.output + caplog.text + stored
    for secret in (PASSWORD, "wrong-Pa55word-xyz", *tokens):
        assert secret not in everything, secret


def test_credentials_come_from_env_or_a_private_file(tmp_path: Path) -> None:
    cfg = AcledConfig(enabled=True, countries=("Mali",))
    creds = load_credentials(cfg, {"ACLED_USERNAME": "a@b.c", "ACLED_PASSWORD": "pw-123456"})
    assert creds.username == "a@b.c" and "pw-123456" not in repr(creds)
    with pytest.raises(Exception, match="no credentials were found"):
        load_credentials(cfg, {})
    f = tmp_path / "acled.toml"
    f.write_text('username = "a@b.c"\npassword = "pw-123456"\n')
    f.chmod(0o644)
    file_cfg = AcledConfig(enabled=True, countries=("Mali",), credentials_file=f)
    with pytest.raises(Exception, match="chmod 600") as exc:
        load_credentials(file_cfg, {})
    assert "readable or writable by others" in str(exc.value)
    f.chmod(0o600)
    assert load_credentials(file_cfg, {}).password == "pw-123456"
    f.write_text('username = "a@b.c"\npassword = pw-123456 oops\n')
    with pytest.raises(Exception) as exc:
        load_credentials(file_cfg, {})
    assert "pw-123456" not in str(exc.value)


def test_redaction_covers_short_and_escaped_forms_of_secrets() -> None:
    client = AcledClient(_client("http://127.0.0.1:9")[0].cfg, Credentials(USERNAME, "pä$"))
    echoed = json.dumps({"password": "pä$"}) + " form: " + "p%C3%A4%24" + " raw: pä$"
    out = client.redact(echoed)
    assert "pä$" not in out and "p\\u00e4$" not in out and "p%C3%A4%24" not in out
    assert out.count("***") == 3
