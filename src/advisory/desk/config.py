"""The desk's configuration, `advisory.toml`: pydantic models validated as the rule pack is.

Each section of the file is a model (`DeskSection`, `SourcesSection`, `PublishSection`,
`AcledConfig`, `NotifyConfig` with `WebhookConfig` and `EmailConfig`) and each default is
written once, on its field; `advisory init` writes the same defaults into its commented file
(`template.py`). Every problem of a file is reported at once, with the file, the line, the
key and, for an unknown key, a "did you mean": a misspelt `driver_change_threshold` silently
falling back to its default would change what gets published. Secrets never live here: a
`password` or `token` key (in any letter case) is refused with a message saying where
credentials go instead, and without its value.
"""

from __future__ import annotations

import re
import tomllib
import urllib.parse
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ..errors import InputError, Problem
from ..validation import validation_problems, vocabulary

FORMATS = ("json", "html", "md", "pdf", "xlsx", "geojson", "kml")  # the brief is always written
DEFAULT_FORMATS = ("json", "html", "md", "pdf")
SECRET_KEYS = {"password", "passwd", "secret", "token", "access_token", "refresh_token", "key"}

Number = Annotated[float, Field(strict=True)]  # an int or a float, never a string or a bool
Positive = Annotated[float, Field(strict=True, gt=0)]
NonNegative = Annotated[float, Field(strict=True, ge=0)]
Names = tuple[Annotated[StrictStr, Field(min_length=1)], ...]


class ConfigError(InputError):
    """advisory.toml is missing, unreadable or holds a bad value (exit 2)."""


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _loopback(url: str) -> bool:
    host = (urllib.parse.urlsplit(url).hostname or "").lower()
    return host in ("localhost", "127.0.0.1", "::1")


class DeskSection(Section):
    name: StrictStr = "advisory desk"
    store: StrictStr = "store.sqlite"
    published: StrictStr = "published"
    places: StrictStr | None = None
    roads: StrictStr | None = None
    rules: StrictStr | None = None
    lock_wait_s: NonNegative = 0.0


class SourcesSection(Section):
    incidents: Names = ()
    guidance: Names = ()


class PublishSection(Section):
    formats: Names = DEFAULT_FORMATS
    languages: Names = ("en",)
    driver_change_threshold: Annotated[float, Field(strict=True, gt=0, le=1)] = 0.25
    appendix: StrictBool = False  # the PDF carries the evidence appendix (render --appendix)

    @field_validator("formats")
    @classmethod
    def _known_formats(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for f in v:
            if f not in FORMATS:
                raise ValueError(f"unknown format {f!r}; formats are {', '.join(FORMATS)}")
        if "json" not in v:
            raise ValueError("'json' is required: it is the record later runs compare")
        return v

    @field_validator("languages")
    @classmethod
    def _some_language(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        if not v:
            raise ValueError('give at least one language, e.g. ["en"]')
        return v


class AcledConfig(Section):
    enabled: StrictBool = False
    base_url: StrictStr = "https://acleddata.com"
    countries: Names = Field((), validate_default=True)  # (checked against `enabled`)
    start_date: date | None = None
    page_size: Annotated[StrictInt, Field(ge=1)] = 5000
    max_pages: Annotated[StrictInt, Field(ge=1)] = 200
    timeout_s: Positive = 60.0
    deadline_s: Positive = 180.0
    max_answer_mb: Positive = 64.0
    max_retries: Annotated[StrictInt, Field(ge=0)] = 3
    backoff_s: NonNegative = 2.0
    max_retry_after_s: NonNegative = 300.0
    credentials_file: Path | None = None

    @field_validator("base_url")
    @classmethod
    def _https(cls, v: str) -> str:
        v = v.rstrip("/")
        if not v.startswith(("https://", "http://")):
            raise ValueError("expected an https:// URL")
        if v.startswith("http://") and not _loopback(v):
            raise ValueError(
                "http:// would send the ACLED password and tokens unencrypted: use https:// "
                "(http is accepted only for a server on this machine: localhost, 127.0.0.1, ::1)"
            )
        return v

    @field_validator("countries")
    @classmethod
    def _a_country(cls, v: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        if info.data.get("enabled") and not v:
            raise ValueError('the ACLED pull needs a country, e.g. ["Mali"]')
        return v


class WebhookConfig(Section):
    url: StrictStr = ""

    @field_validator("url")
    @classmethod
    def _http(cls, v: str) -> str:
        if v and not v.startswith(("https://", "http://")):
            raise ValueError("expected an http(s) URL")
        return v


class EmailConfig(Section):
    host: StrictStr = ""
    port: Annotated[StrictInt, Field(ge=1, le=65535)] = 25
    sender: StrictStr = Field("", alias="from")
    to: Names = ()
    starttls: StrictBool = False
    tls: StrictBool = False
    insecure: StrictBool = False
    username: StrictStr = ""
    subject_prefix: StrictStr = "[advisory]"

    @field_validator("tls")
    @classmethod
    def _one_tls(cls, v: bool, info: ValidationInfo) -> bool:
        if v and info.data.get("starttls"):
            raise ValueError("give tls (implicit TLS, port 465) or starttls, not both")
        return v

    @field_validator("username")
    @classmethod
    def _no_login_in_clear(cls, v: str, info: ValidationInfo) -> str:
        d = info.data
        if v and not (d.get("tls") or d.get("starttls") or d.get("insecure")):
            raise ValueError(
                "the SMTP password would be sent unencrypted: set starttls = true (port 587) "
                "or tls = true (port 465); only insecure = true allows a login without TLS"
            )
        return v

    @model_validator(mode="after")
    def _complete(self) -> EmailConfig:
        if self.to and not (self.host and self.sender):
            raise ValueError("email notifications need host, from and to")
        return self


class NotifyConfig(Section):
    retries: Annotated[StrictInt, Field(ge=0)] = 3
    backoff_s: NonNegative = 5.0
    timeout_s: Positive = 10.0
    webhook: WebhookConfig = WebhookConfig()
    email: EmailConfig = EmailConfig()


class ConfigFile(Section):
    """advisory.toml as written: its sections."""

    desk: DeskSection = DeskSection()
    sources: SourcesSection = SourcesSection()
    publish: PublishSection = PublishSection()
    acled: AcledConfig = AcledConfig()
    notify: NotifyConfig = NotifyConfig()


_VOCAB = vocabulary(ConfigFile, DeskSection, SourcesSection, PublishSection, AcledConfig,
                    NotifyConfig, WebhookConfig, EmailConfig) | {"from"}  # fmt: skip


@dataclass(frozen=True)
class DeskConfig:
    """The configuration as the desk uses it: paths resolved against the file's folder."""

    path: Path
    root: Path
    name: str
    store: Path
    published: Path
    places: Path | None
    roads: Path | None  # a road layer (OpenStreetMap or HDX GeoJSON): stretches rated as roads
    rules: Path | None
    lock_wait_s: float
    incidents: tuple[Path, ...]
    guidance: tuple[Path, ...]
    formats: tuple[str, ...]
    languages: tuple[str, ...]
    driver_change_threshold: float
    acled: AcledConfig
    notify: NotifyConfig
    appendix: bool = False  # the PDF carries the evidence appendix


def _lines(text: str) -> dict[tuple[Any, ...], int]:
    """Where each table and key is (1-based), as the rule pack's YAML line map; tomllib gives
    none. `[notify.email]` is ("notify", "email"), its `host` ("notify", "email", "host")."""
    out: dict[tuple[Any, ...], int] = {}
    table: tuple[str, ...] = ()
    for i, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if m := re.fullmatch(r"\[\s*([A-Za-z0-9_.\- ]+?)\s*\]\s*(#.*)?", line):
            table = tuple(p.strip() for p in m.group(1).split("."))
            out.setdefault(table, i)
        elif m := re.match(r"([A-Za-z0-9_\-]+)\s*=", line):
            out.setdefault((*table, m.group(1)), i)
    return out


def _secrets(data: dict[str, Any], path: str, lines: dict[tuple[Any, ...], int]) -> list[Problem]:
    """Secret-looking keys, removed from `data` (their values are never shown)."""
    found: list[Problem] = []

    def walk(node: dict[str, Any], where: tuple[str, ...]) -> None:
        for key in list(node):
            if key.lower() in SECRET_KEYS:
                del node[key]
                found.append(Problem(
                    path, "secrets never go in advisory.toml: use environment variables or a "
                    "credentials file readable only by you (see docs/scheduling.md)",
                    lines.get((*where, key)), ".".join((*where, key)),
                ))  # fmt: skip
            elif isinstance(node[key], dict):
                walk(node[key], (*where, key))

    walk(data, ())
    return found


def _problems(exc: ValidationError, path: str, data: Any, text: str) -> list[Problem]:
    out = []
    for p in validation_problems(exc, path, data, _lines(text), _VOCAB):
        message = p.message.removeprefix("Value error, ")
        if p.field and "." not in p.field and message.startswith("unknown key"):
            message = message.replace("unknown key", "unknown section", 1)
        out.append(Problem(p.file, message, p.line, p.field))
    return out


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
    problems = _secrets(data, str(path), _lines(text))
    try:
        doc = ConfigFile.model_validate(data)
    except ValidationError as exc:
        problems += _problems(exc, str(path), data, text)
    if problems:
        raise ConfigError(problems)
    return _resolved(doc, path.resolve())


def _resolved(doc: ConfigFile, path: Path) -> DeskConfig:
    root = path.parent

    def rel(p: str | Path) -> Path:
        q = Path(p).expanduser()
        return q if q.is_absolute() else root / q

    d, a = doc.desk, doc.acled
    creds = rel(a.credentials_file) if a.credentials_file else None
    return DeskConfig(
        path=path,
        root=root,
        name=d.name,
        store=rel(d.store),
        published=rel(d.published),
        places=rel(d.places) if d.places else None,
        roads=rel(d.roads) if d.roads else None,
        rules=rel(d.rules) if d.rules else None,
        lock_wait_s=d.lock_wait_s,
        incidents=tuple(rel(p) for p in doc.sources.incidents),
        guidance=tuple(rel(p) for p in doc.sources.guidance),
        formats=doc.publish.formats,
        languages=doc.publish.languages,
        driver_change_threshold=doc.publish.driver_change_threshold,
        appendix=doc.publish.appendix,
        acled=a.model_copy(update={"credentials_file": creds}),
        notify=doc.notify,
    )
