"""HTML to PDF with WeasyPrint, fetching nothing.

The report is self-contained (inline CSS and SVG), so the PDF renderer has no reason to fetch
anything. A URL fetcher that refuses every scheme but `data:` makes that a guarantee rather
than a hope: hostile text cannot make the renderer read `file:///etc/passwd` or call a server,
and an organisation's letterhead must embed its logo as a `data:` URL. Refused URLs are not
skipped silently: rendering fails with the list, so nobody ships a PDF missing its logo.

Content a template wraps in `<!--screen-only-->` ... `<!--/screen-only-->` (the evidence
appendix unless asked for, the incident register) is hidden by the print CSS anyway; it is cut
from the HTML before WeasyPrint parses it because WeasyPrint computes a style for every
element, shown or not. A named block (`<!--screen-only:NAME-->` ... `<!--/screen-only:NAME-->`)
may hold plain ones. Autoescaped text cannot contain `<!--`, so no input can cut or keep
anything.
"""

from __future__ import annotations

import logging
import re

from ...errors import AdvisoryError

SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
SCREEN_ONLY = re.compile(r"<!--screen-only(:[a-z]+|)-->.*?<!--/screen-only\1-->", re.DOTALL)


class RefusedFetch(AdvisoryError):
    """The HTML asked the PDF renderer for something other than embedded data."""


def _fetcher_class():
    from weasyprint.urls import URLFetcher

    class DataOnlyFetcher(URLFetcher):
        """WeasyPrint's fetcher restricted to `data:` URLs; records what it refused."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols=("data",), allow_redirects=False)
            self.refused: list[str] = []
            self.fetched: list[str] = []

        def fetch(self, url, headers=None):
            m = SCHEME.match(url or "")
            if not m or m.group(1).lower() != "data":
                self.refused.append(url)
                raise RefusedFetch(f"refused to fetch {url[:80]!r}: only data: URLs are allowed")
            self.fetched.append(url[:40])
            return super().fetch(url, headers)

    return DataOnlyFetcher


def data_only_fetcher():
    """A fresh fetcher (WeasyPrint 70 `URLFetcher` subclass) that only serves `data:` URLs."""
    return _fetcher_class()()


def print_html(html: str) -> str:
    """The HTML the PDF is made from: the same page without its screen-only blocks."""
    return SCREEN_ONLY.sub("", html)


def render_pdf(html: str, *, fetcher=None) -> bytes:
    """The advisory HTML as PDF bytes. `base_url` is None, so relative URLs resolve nowhere."""
    from weasyprint import HTML

    fetcher = fetcher if fetcher is not None else data_only_fetcher()
    # WeasyPrint logs a warning per refused resource; we raise instead (see the docstring)
    log = logging.getLogger("weasyprint")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        pdf = HTML(string=print_html(html), base_url=None, url_fetcher=fetcher).write_pdf()
    finally:
        log.setLevel(level)
    if fetcher.refused:
        shown = ", ".join(repr(u[:80]) for u in fetcher.refused[:5])
        raise RefusedFetch(
            f"the report asks for {len(fetcher.refused)} outside resource(s) ({shown}); the PDF "
            "renderer fetches nothing: embed images as data: URLs in your template"
        )
    assert pdf is not None
    return pdf
