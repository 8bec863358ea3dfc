"""The commented advisory.toml that `advisory init` writes: every key, its default as the
config models hold it (one place for each default), and what it does."""

from __future__ import annotations

from typing import Any

import tomli_w
from pydantic import BaseModel

from .config import ConfigFile

TEMPLATE = """\
# advisory.toml: the configuration of one advisory desk, written by `advisory init`.
# Relative paths are relative to this file. Secrets (ACLED password, SMTP password) never go
# here: see docs/scheduling.md ("Credentials"). Unknown keys are errors.

[desk]
{name}
store = {desk.store:<24}# SQLite store: every incident revision, deletion, guidance entry,
                                # run and published version. Back it up (docs/scheduling.md).
published = {desk.published:<20}# one folder per published version, `latest` -> newest
# places = "places.geojson"     # default: the shipped Bamako gazetteer
# roads = "roads.geojson"       # a road layer (OpenStreetMap, HDX): its stretches are rated
# rules = "rules"               # default: the shipped rule pack
lock_wait_s = {desk.lock_wait_s:<17} # a second `advisory update` started while one runs waits this
                                # long for it, then exits 1 with a message (0: exit at once)

[sources]
# Watched sources, read at every update. Incident CSV exports (ACLED's format) dropped in
# these folders are imported (re-importing the same rows changes nothing). Guidance YAML
# files in these folders are the guidance on record: editing or removing a file revises or
# withdraws its entries at the next update (earlier states stay reproducible).
incidents = ["incidents"]
guidance = ["guidance"]

[publish]
formats = {publish.formats}   # json is required; drop "pdf" to skip WeasyPrint;
                                # add "xlsx", "geojson", "kml" (the brief is always written)
languages = ["en", "fr"]
# A new version is published when a level changes, guidance changes, or, for some place or
# road, the share of its drivers (rules that fired) that appeared or disappeared is at least
# this number (Jaccard distance of the two driver sets: 0.25 = a quarter of them).
driver_change_threshold = {publish.driver_change_threshold}
appendix = {publish.appendix:<20} # true: the PDF carries the evidence appendix too (the drivers
                                # and strongest incidents of each place; the HTML always has it)

[acled]
enabled = {acled.enabled:<21} # pull from the ACLED API at each update
base_url = {acled.base_url}   # https only (http only for a server on this machine)
countries = ["Mali"]
start_date = "2024-01-01"       # first pull: events from this date; later pulls: only events
                                # added or revised since the last pull, plus deletions
page_size = {acled.page_size:<19} # rows per page (ACLED's `limit`)
max_pages = {acled.max_pages:<19} # a pull needing more pages fails instead of looping
timeout_s = {acled.timeout_s:<19} # per wait for the network (connect, each read)
deadline_s = {acled.deadline_s:<18} # the whole of one request, however slowly the server answers
max_answer_mb = {acled.max_answer_mb:<15} # a larger answer is refused
max_retries = {acled.max_retries:<17} # for network errors, 5xx and 429 (Retry-After is honoured)
backoff_s = {acled.backoff_s:<19} # first retry delay; doubles at each retry
max_retry_after_s = {acled.max_retry_after_s:<11} # a longer Retry-After fails the pull at once
# Credentials: ACLED_USERNAME and ACLED_PASSWORD in the environment, or a file readable only
# by you (chmod 600) holding `username = "..."` and `password = "..."`:
# credentials_file = "~/.config/advisory/acled.toml"

[notify]
retries = {notify.retries:<21} # per channel, after the first attempt
backoff_s = {notify.backoff_s:<19} # delay before the first retry; doubles at each retry
timeout_s = {notify.timeout_s:<19} # the whole of a webhook request; each wait for SMTP

[notify.webhook]
url = {webhook.url:<25} # POST of a JSON change list; empty: no webhook

[notify.email]
host = {email.host:<24} # SMTP server; empty: no email
port = {email.port}
from = {email.sender}
to = {email.to}
starttls = {email.starttls:<20} # STARTTLS (port 587); the certificate is verified
tls = {email.tls:<25} # or implicit TLS (port 465)
insecure = {email.insecure:<20} # true: allow a username (login) without TLS
username = {email.username:<20} # password: ADVISORY_SMTP_PASSWORD in the environment
subject_prefix = {email.subject_prefix}
"""


class _Toml:
    """A section's defaults as TOML values, for the template (`{acled.page_size}`)."""

    def __init__(self, model: BaseModel) -> None:
        self.model = model

    def __getattr__(self, name: str) -> str:
        return self.value(getattr(self.model, name))

    @classmethod
    def value(cls, v: Any) -> str:
        if isinstance(v, tuple | list):  # on one line, as a person writes a short list
            return "[" + ", ".join(cls.value(x) for x in v) + "]"
        return tomli_w.dumps({"v": v})[4:].strip()


def config_template(name: str) -> str:
    """The commented advisory.toml, with every default as the models hold it; the name is
    written by tomli-w, so that any name (quotes, backslashes, line breaks) is a valid TOML
    string that reads back as given."""
    doc = ConfigFile()
    return TEMPLATE.format(
        name=tomli_w.dumps({"name": name}).strip(),
        desk=_Toml(doc.desk), publish=_Toml(doc.publish), acled=_Toml(doc.acled),
        notify=_Toml(doc.notify), webhook=_Toml(doc.notify.webhook), email=_Toml(doc.notify.email),
    )  # fmt: skip
