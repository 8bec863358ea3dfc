"""The desk's configuration: `advisory.toml`, read with the standard library's tomllib.

Every setting has a documented default (the file `advisory init` writes is the reference, see
`docs/scheduling.md`). Unknown keys are errors with a "did you mean", because a misspelt
`driver_change_threshold` silently falling back to its default would change what gets published.
Secrets never live here: a `password` or `token` key is refused with a message saying where
credentials go instead.
"""

from __future__ import annotations

import tomllib
import urllib.parse
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import tomli_w

from ..errors import InputError, Problem
from ..text import did_you_mean

FORMATS = ("json", "html", "md", "pdf")
SECRET_KEYS = {"password", "passwd", "secret", "token", "access_token", "refresh_token", "key"}


class ConfigError(InputError):
    """advisory.toml is missing, unreadable or holds a bad value (exit 2)."""


@dataclass(frozen=True)
class AcledConfig:
    enabled: bool = False
    base_url: str = "https://acleddata.com"
    countries: tuple[str, ...] = ()
    start_date: date | None = None
    page_size: int = 5000
    max_pages: int = 200
    timeout_s: float = 60.0
    deadline_s: float = 180.0
    max_answer_mb: float = 64.0
    max_retries: int = 3
    backoff_s: float = 2.0
    max_retry_after_s: float = 300.0
    credentials_file: Path | None = None


@dataclass(frozen=True)
class WebhookConfig:
    url: str = ""


@dataclass(frozen=True)
class EmailConfig:
    host: str = ""
    port: int = 25
    sender: str = ""
    to: tuple[str, ...] = ()
    starttls: bool = False
    tls: bool = False
    insecure: bool = False
    username: str = ""
    subject_prefix: str = "[advisory]"


@dataclass(frozen=True)
class NotifyConfig:
    retries: int = 3
    backoff_s: float = 5.0
    timeout_s: float = 10.0
    webhook: WebhookConfig = field(default_factory=WebhookConfig)
    email: EmailConfig = field(default_factory=EmailConfig)


@dataclass(frozen=True)
class DeskConfig:
    path: Path
    root: Path
    name: str = "advisory desk"
    store: Path = Path("store.sqlite")
    published: Path = Path("published")
    places: Path | None = None
    rules: Path | None = None
    lock_wait_s: float = 0.0
    incidents: tuple[Path, ...] = ()
    guidance: tuple[Path, ...] = ()
    formats: tuple[str, ...] = ("json", "html", "md", "pdf")
    languages: tuple[str, ...] = ("en",)
    driver_change_threshold: float = 0.25
    acled: AcledConfig = field(default_factory=AcledConfig)
    notify: NotifyConfig = field(default_factory=NotifyConfig)

    @property
    def lock_path(self) -> Path:
        return self.root / ".advisory.lock"


# section -> key -> expected python type(s) (the schema of advisory.toml)
SCHEMA: dict[str, dict[str, tuple[type, ...]]] = {
    "desk": {
        "name": (str,),
        "store": (str,),
        "published": (str,),
        "places": (str,),
        "rules": (str,),
        "lock_wait_s": (int, float),
    },
    "sources": {"incidents": (list,), "guidance": (list,)},
    "publish": {
        "formats": (list,),
        "languages": (list,),
        "driver_change_threshold": (int, float),
    },
    "acled": {
        "enabled": (bool,),
        "base_url": (str,),
        "countries": (list,),
        "start_date": (date, str),
        "page_size": (int,),
        "max_pages": (int,),
        "timeout_s": (int, float),
        "deadline_s": (int, float),
        "max_answer_mb": (int, float),
        "max_retries": (int,),
        "backoff_s": (int, float),
        "max_retry_after_s": (int, float),
        "credentials_file": (str,),
    },
    "notify": {
        "retries": (int,),
        "backoff_s": (int, float),
        "timeout_s": (int, float),
        "webhook": (dict,),
        "email": (dict,),
    },
    "notify.webhook": {"url": (str,)},
    "notify.email": {
        "host": (str,),
        "port": (int,),
        "from": (str,),
        "to": (list,),
        "starttls": (bool,),
        "tls": (bool,),
        "insecure": (bool,),
        "username": (str,),
        "subject_prefix": (str,),
    },
}


def _loopback(url: str) -> bool:
    host = (urllib.parse.urlsplit(url).hostname or "").lower()
    return host in ("localhost", "127.0.0.1", "::1")


def _line_of(text: str, section: str, key: str | None) -> int | None:
    """Best-effort line number of a key (tomllib gives none), for error messages."""
    current = ""
    for i, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("[") and line.endswith("]"):
            current = line.strip("[]").strip()
            if key is None and current == section:
                return i
            continue
        if key is not None and current == section and line.split("=")[0].strip() == key:
            return i
    return None


class _Reader:
    def __init__(self, path: Path, text: str, data: dict[str, Any]) -> None:
        self.path, self.text, self.data = path, text, data
        self.problems: list[Problem] = []

    def problem(self, section: str, key: str | None, message: str) -> None:
        where = f"{section}.{key}" if key else section
        self.problems.append(
            Problem(str(self.path), message, _line_of(self.text, section, key), where)
        )

    def section(self, name: str) -> dict[str, Any]:
        parts = name.split(".")
        node: Any = self.data
        for p in parts:
            node = node.get(p, {}) if isinstance(node, dict) else {}
        if not isinstance(node, dict):
            self.problem(name, None, "expected a table")
            return {}
        allowed = SCHEMA[name]
        out: dict[str, Any] = {}
        for key, value in node.items():
            if name == "notify" and key in ("webhook", "email"):
                continue
            if key.lower() in SECRET_KEYS:
                self.problem(
                    name,
                    key,
                    "secrets never go in advisory.toml: use environment variables or a "
                    "credentials file readable only by you (see docs/scheduling.md)",
                )
                continue
            if key not in allowed:
                self.problem(name, key, f"unknown key{did_you_mean(key, set(allowed))}")
                continue
            types = allowed[key]
            if isinstance(value, bool) and bool not in types:
                self.problem(name, key, f"expected {types[0].__name__}, got a boolean")
                continue
            if not isinstance(value, types):
                self.problem(
                    name,
                    key,
                    f"expected {' or '.join(t.__name__ for t in types)}, "
                    f"got {type(value).__name__}",
                )
                continue
            out[key] = value
        return out


def _strings(r: _Reader, section: str, key: str, value: list[Any]) -> tuple[str, ...]:
    if not all(isinstance(v, str) and v for v in value):
        r.problem(section, key, "expected a list of non-empty strings")
        return ()
    return tuple(value)


def load_config(path: Path | str) -> DeskConfig:
    """Read and validate advisory.toml; every problem is reported at once (ConfigError)."""
    path = Path(path)
    if path.is_dir():
        path = path / "advisory.toml"
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise ConfigError(
            Problem(str(path), "config file not found (create one with `advisory init DIR`)")
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(Problem(str(path), f"cannot read the config file: {exc}")) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(Problem(str(path), f"not valid TOML: {exc}")) from None
    r = _Reader(path, text, data)
    for top in data:
        if top not in ("desk", "sources", "publish", "acled", "notify"):
            known = {"desk", "sources", "publish", "acled", "notify"}
            r.problem(top, None, f"unknown section [{top}]{did_you_mean(top, known)}")
    root = path.resolve().parent

    def rel(p: str) -> Path:
        q = Path(p).expanduser()
        return q if q.is_absolute() else root / q

    desk = r.section("desk")
    sources = r.section("sources")
    pub = r.section("publish")
    ac = r.section("acled")
    no = r.section("notify")
    hook = r.section("notify.webhook")
    mail = r.section("notify.email")

    formats = _strings(r, "publish", "formats", pub.get("formats", list(FORMATS)))
    for f in formats:
        if f not in FORMATS:
            r.problem("publish", "formats", f"unknown format {f!r}{did_you_mean(f, set(FORMATS))}")
    if "json" not in formats:
        r.problem("publish", "formats", "'json' is required: it is the record later runs compare")
    languages = _strings(r, "publish", "languages", pub.get("languages", ["en"]))
    if not languages:
        r.problem("publish", "languages", 'give at least one language, e.g. ["en"]')
    threshold = float(pub.get("driver_change_threshold", 0.25))
    if not 0 < threshold <= 1:
        r.problem(
            "publish", "driver_change_threshold", "expected a number in (0, 1] (share of drivers)"
        )

    start = ac.get("start_date")
    if isinstance(start, str):
        try:
            start = date.fromisoformat(start)
        except ValueError:
            r.problem("acled", "start_date", f"expected YYYY-MM-DD, got {start!r}")
            start = None
    countries = _strings(r, "acled", "countries", ac.get("countries", []))
    enabled = bool(ac.get("enabled", False))
    if enabled and not countries:
        r.problem("acled", "countries", 'the ACLED pull needs a country, e.g. ["Mali"]')
    for key in ("page_size", "max_pages"):
        if key in ac and ac[key] < 1:
            r.problem("acled", key, "expected a whole number >= 1")
    for section, values, key in (
        ("acled", ac, "max_retries"),
        ("notify", no, "retries"),
        ("acled", ac, "backoff_s"),
        ("notify", no, "backoff_s"),
        ("desk", desk, "lock_wait_s"),
    ):
        if key in values and values[key] < 0:
            r.problem(section, key, "expected a number >= 0")
    base_url = ac.get("base_url", AcledConfig.base_url).rstrip("/")
    if not base_url.startswith(("https://", "http://")):
        r.problem("acled", "base_url", "expected an https:// URL")
    elif base_url.startswith("http://") and not _loopback(base_url):
        r.problem(
            "acled", "base_url",
            "http:// would send the ACLED password and tokens unencrypted: use https:// "
            "(http is accepted only for a server on this machine: localhost, 127.0.0.1, ::1)",
        )  # fmt: skip
    for key in ("timeout_s", "deadline_s", "max_answer_mb"):
        if key in ac and ac[key] <= 0:
            r.problem("acled", key, "expected a number > 0")
    encrypted = mail.get("tls") or mail.get("starttls") or mail.get("insecure")
    if mail.get("username") and not encrypted:
        r.problem(
            "notify.email", "username",
            "the SMTP password would be sent unencrypted: set starttls = true (port 587) or "
            "tls = true (port 465); only insecure = true allows a login without TLS",
        )  # fmt: skip
    if mail.get("tls") and mail.get("starttls"):
        r.problem("notify.email", "tls", "give tls (implicit TLS, port 465) or starttls, not both")

    to = _strings(r, "notify.email", "to", mail.get("to", []))
    if to and not (mail.get("host") and mail.get("from")):
        r.problem("notify.email", None, "email notifications need host, from and to")
    url = hook.get("url", "")
    if url and not url.startswith(("https://", "http://")):
        r.problem("notify.webhook", "url", "expected an http(s) URL")

    incidents = _strings(r, "sources", "incidents", sources.get("incidents", []))
    guidance = _strings(r, "sources", "guidance", sources.get("guidance", []))

    if r.problems:
        raise ConfigError(r.problems)

    return DeskConfig(
        path=path.resolve(),
        root=root,
        name=desk.get("name", DeskConfig.name),
        store=rel(desk.get("store", "store.sqlite")),
        published=rel(desk.get("published", "published")),
        places=rel(desk["places"]) if desk.get("places") else None,
        rules=rel(desk["rules"]) if desk.get("rules") else None,
        lock_wait_s=float(desk.get("lock_wait_s", 0.0)),
        incidents=tuple(rel(p) for p in incidents),
        guidance=tuple(rel(p) for p in guidance),
        formats=formats,
        languages=languages,
        driver_change_threshold=threshold,
        acled=AcledConfig(
            enabled=enabled,
            base_url=base_url,
            countries=countries,
            start_date=start,
            page_size=int(ac.get("page_size", AcledConfig.page_size)),
            max_pages=int(ac.get("max_pages", AcledConfig.max_pages)),
            timeout_s=float(ac.get("timeout_s", AcledConfig.timeout_s)),
            deadline_s=float(ac.get("deadline_s", AcledConfig.deadline_s)),
            max_answer_mb=float(ac.get("max_answer_mb", AcledConfig.max_answer_mb)),
            max_retries=int(ac.get("max_retries", AcledConfig.max_retries)),
            backoff_s=float(ac.get("backoff_s", AcledConfig.backoff_s)),
            max_retry_after_s=float(ac.get("max_retry_after_s", AcledConfig.max_retry_after_s)),
            credentials_file=rel(ac["credentials_file"]) if ac.get("credentials_file") else None,
        ),
        notify=NotifyConfig(
            retries=int(no.get("retries", NotifyConfig.retries)),
            backoff_s=float(no.get("backoff_s", NotifyConfig.backoff_s)),
            timeout_s=float(no.get("timeout_s", NotifyConfig.timeout_s)),
            webhook=WebhookConfig(url=url),
            email=EmailConfig(
                host=mail.get("host", ""),
                port=int(mail.get("port", 25)),
                sender=mail.get("from", ""),
                to=to,
                starttls=bool(mail.get("starttls", False)),
                tls=bool(mail.get("tls", False)),
                insecure=bool(mail.get("insecure", False)),
                username=mail.get("username", ""),
                subject_prefix=mail.get("subject_prefix", EmailConfig.subject_prefix),
            ),
        ),
    )


TEMPLATE = """\
# advisory.toml: the configuration of one advisory desk, written by `advisory init`.
# Relative paths are relative to this file. Secrets (ACLED password, SMTP password) never go
# here: see docs/scheduling.md ("Credentials"). Unknown keys are errors.

[desk]
{name}
store = "store.sqlite"          # SQLite store: every incident revision, deletion, guidance entry,
                                # run and published version. Back it up (docs/scheduling.md).
published = "published"         # one folder per published version, `latest` -> newest
# places = "places.geojson"     # default: the shipped Bamako gazetteer
# rules = "rules"               # default: the shipped rule pack
lock_wait_s = 0                 # a second `advisory update` started while one runs waits this
                                # long for it, then exits 1 with a message (0: exit at once)

[sources]
# Watched sources, read at every update. Incident CSV exports (ACLED's format) dropped in
# these folders are imported (re-importing the same rows changes nothing). Guidance YAML
# files in these folders are the guidance on record: editing or removing a file revises or
# withdraws its entries at the next update (earlier states stay reproducible).
incidents = ["incidents"]
guidance = ["guidance"]

[publish]
formats = ["json", "html", "md", "pdf"]   # json is required; drop "pdf" to skip WeasyPrint
languages = ["en", "fr"]
# A new version is published when a level changes, guidance changes, or, for some place or
# road, the share of its drivers (rules that fired) that appeared or disappeared is at least
# this number (Jaccard distance of the two driver sets: 0.25 = a quarter of them).
driver_change_threshold = 0.25

[acled]
enabled = false                 # pull from the ACLED API at each update
base_url = "https://acleddata.com"   # https only (http only for a server on this machine)
countries = ["Mali"]
start_date = "2024-01-01"       # first pull: events from this date; later pulls: only events
                                # added or revised since the last pull, plus deletions
page_size = 5000                # rows per page (ACLED's `limit`)
max_pages = 200                 # a pull needing more pages fails instead of looping
timeout_s = 60                  # per wait for the network (connect, each read)
deadline_s = 180                # the whole of one request, however slowly the server answers
max_answer_mb = 64              # a larger answer is refused
max_retries = 3                 # for network errors, 5xx and 429 (Retry-After is honoured)
backoff_s = 2.0                 # first retry delay; doubles at each retry
max_retry_after_s = 300         # a Retry-After longer than this fails the pull at once
# Credentials: ACLED_USERNAME and ACLED_PASSWORD in the environment, or a file readable only
# by you (chmod 600) holding `username = "..."` and `password = "..."`:
# credentials_file = "~/.config/advisory/acled.toml"

[notify]
retries = 3                     # per channel, after the first attempt
backoff_s = 5.0                 # delay before the first retry; doubles at each retry
timeout_s = 10

[notify.webhook]
url = ""                        # POST of a JSON change list; empty: no webhook

[notify.email]
host = ""                       # SMTP server; empty: no email
port = 25
from = ""
to = []
starttls = false                # STARTTLS (port 587); the certificate is verified
tls = false                     # or implicit TLS (port 465)
insecure = false                # true: allow a username (login) without TLS
username = ""                   # password: ADVISORY_SMTP_PASSWORD in the environment
subject_prefix = "[advisory]"
"""


def config_template(name: str) -> str:
    """The commented advisory.toml; the name is written by tomli-w, so that any name (quotes,
    backslashes, line breaks) is a valid TOML string that reads back as given."""
    return TEMPLATE.format(name=tomli_w.dumps({"name": name}).strip())
