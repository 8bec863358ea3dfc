"""The ACLED pull of an update: credentials, events and deletions since the cursors, and the
cursors' next values.

The cursors (ACLED `timestamp` and `deleted_timestamp` of the latest rows seen) only ever move
to rows that were accepted: a row whose timestamp lies in the future (beyond a day of clock
skew) would otherwise move a cursor past every revision and deletion still to come, and each
later pull would miss them with exit 0. Such rows are refused, named in the update's notes, and
asked for again at the next pull.
"""

from __future__ import annotations

import os
import stat
import time
import tomllib
from collections.abc import Sequence

import polars as pl

from ..errors import Problem
from ..ingest.acled import COLUMNS
from . import revisions as rv
from .acled_api import AcledClient, AcledError, Credentials
from .config import AcledConfig, ConfigError, DeskConfig
from .sources import Gathered, SourceError, refuse_future
from .store import Store

CURSOR_EVENTS = "acled.cursor.timestamp"
CURSOR_DELETED = "acled.cursor.deleted_timestamp"


def load_credentials(cfg: AcledConfig, env: dict[str, str] | None = None) -> Credentials:
    """ACLED_USERNAME (or ACLED_EMAIL) and ACLED_PASSWORD from the environment, else the
    credentials file, which must be readable by its owner only."""
    env = dict(os.environ) if env is None else env
    user = env.get("ACLED_USERNAME") or env.get("ACLED_EMAIL") or ""
    password = env.get("ACLED_PASSWORD", "")
    if user and password:
        return Credentials(user, password)
    path = cfg.credentials_file
    if path is None:
        raise ConfigError(
            Problem(
                "[acled]",
                "ACLED is enabled but no credentials were found: set ACLED_USERNAME and "
                "ACLED_PASSWORD in the environment, or credentials_file in advisory.toml",
            )
        )
    try:
        st = path.stat()
    except FileNotFoundError:
        raise ConfigError(Problem(str(path), "ACLED credentials file not found")) from None
    if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(
            Problem(
                str(path),
                f"credentials file is readable or writable by others "
                f"(mode {stat.S_IMODE(st.st_mode):o}); run `chmod 600 {path}`",
            )
        )
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        raise ConfigError(
            Problem(str(path), "credentials file belongs to another user; it must be yours")
        )
    try:
        doc = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        # the message of a TOML error may quote the line holding the password: leave it out
        raise ConfigError(
            Problem(str(path), f"cannot read the credentials file ({type(exc).__name__})")
        ) from None
    user = str(doc.get("username", ""))
    password = str(doc.get("password", ""))
    if not (user and password):
        raise ConfigError(Problem(str(path), "expected `username = ...` and `password = ...`"))
    return Credentials(user, password)


def api_frame(rows: Sequence[object], name: str) -> pl.DataFrame:
    """One page of ACLED's JSON rows as raw string columns; a row that is not a JSON object
    fails the pull, naming the page and row."""
    recs = []
    for i, r in enumerate(rows, start=1):
        if not isinstance(r, dict):
            raise SourceError(
                f"ACLED pull failed (protocol): {name}, row {i}: expected a JSON object, "
                f"got {type(r).__name__}. Nothing was imported"
            )
        low = {str(k).lower(): v for k, v in r.items()}
        recs.append({c: "" if low.get(c) is None else str(low.get(c)).strip() for c in COLUMNS})
    df = pl.DataFrame(recs, schema={c: pl.String for c in COLUMNS})
    return df.with_columns(
        pl.lit(name).alias("_file"), (pl.int_range(pl.len(), dtype=pl.Int64) + 1).alias("_row")
    )


def pull_acled(
    cfg: DeskConfig, store: Store, g: Gathered, credentials: Credentials | None = None
) -> None:
    """Events added or revised since the last pull (ACLED `timestamp` >= the cursor; rows the
    store holds already are dropped on import) and deletions since the last deletion seen."""
    creds = credentials or load_credentials(cfg.acled)
    client = AcledClient(cfg.acled, creds)
    since = store.get_meta(CURSOR_EVENTS)
    since_del = store.get_meta(CURSOR_DELETED)
    now = int(time.time())
    frames: list[pl.DataFrame] = []
    try:
        for country in cfg.acled.countries:
            for page in client.events(
                country, since_timestamp=int(since) if since else None,
                start_date=cfg.acled.start_date,
            ):  # fmt: skip
                if page.rows:
                    name = f"ACLED API {country} page {page.number}"
                    frames.append(rv.keyed(api_frame(page.rows, name), "acled-api"))
                    g.api_rows += len(page.rows)
        deletions = client.deletions(int(since_del) if since_del else None)
    except AcledError as exc:
        raise SourceError(f"ACLED pull failed ({exc.kind}): {client.redact(str(exc))}") from None
    events = pl.concat(frames) if frames else rv.empty().drop("_imported_at", "_run")
    events = refuse_future(events, "ACLED rows", g, now)
    late = [d for d in deletions if d[1] > now + rv.FUTURE_SKEW_S]
    if late:
        g.notes.append(
            f"{len(late)} ACLED deletions refused: their deleted_timestamp is in the future "
            f"({', '.join(f'{e} at {t}' for e, t in late[:5])}); not applied, cursor kept"
        )
    g.deletions = [d for d in deletions if d[1] <= now + rv.FUTURE_SKEW_S]
    if events.height:
        g.incoming.append(events)
    g.cursors = next_cursors(events, g.deletions, since, since_del)
    if g.api_rows == 0:
        g.notes.append(
            "ACLED: no new or revised events"
            + (f" since timestamp {since}" if since else " (the API returned none)")
        )


def next_cursors(
    events: pl.DataFrame, deletions: list[tuple[str, int]], since: str | None, since_del: str | None
) -> dict[str, str]:
    """Cursor values after this pull: the largest timestamps of the accepted rows (kept when
    there are none)."""
    out: dict[str, str] = {}
    ts = events.filter(pl.col("_ts") >= 0)["_ts"]
    top = ts.max() if ts.len() else None
    if isinstance(top, int):
        out[CURSOR_EVENTS] = str(max(top, int(since) if since else 0))
    if deletions:
        out[CURSOR_DELETED] = str(max([*(d for _, d in deletions), int(since_del or 0)]))
    elif since_del is None and top is not None:
        # first pull: ACLED's current data already excludes earlier deletions
        out[CURSOR_DELETED] = str(top)
    return out
