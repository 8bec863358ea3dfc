"""HTML to PDF with WeasyPrint, fetching nothing.

The report is self-contained (inline CSS and SVG), so the PDF renderer has no reason to fetch
anything. A URL fetcher that refuses every scheme but `data:` makes that a guarantee rather
than a hope: hostile text cannot make the renderer read `file:///etc/passwd` or call a server,
and an organisation's letterhead must embed its logo as a `data:` URL. Refused URLs are not
skipped silently: rendering fails with the list, so nobody ships a PDF missing its logo.

The HTML to give it is the print edition (`render_html(..., edition="print")`): WeasyPrint
computes a style for every element, shown or not, so the screen edition's every row and incident
would cost seconds for nothing the page shows.

The layout runs with the cyclic collector paused: WeasyPrint's trees, styles and boxes refer to
one another, so the whole document is cyclic garbage once the PDF is written (133,000 objects
for the demo's brief); while it is laid out it is alive, and the collections its allocations
set off walk it, and the caller's heap, for little (two full ones per demo brief). Paused, one
collection of the young generation at the end frees the lot, walking only what was made since
the last one (demo brief 1.77 to 1.54 s CPU, min of 6; the peak memory did not grow).

`PdfProcess` lays a PDF out in a Python process of its own, for a caller with other work to do
meanwhile (a desk renders the screen HTML as it runs).
"""

from __future__ import annotations

import gc
import logging
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from types import TracebackType

from ...errors import AdvisoryError
from ...objects import gc_paused

SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


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


def render_pdf(html: str, *, fetcher=None) -> bytes:
    """The advisory HTML as PDF bytes. `base_url` is None, so relative URLs resolve nowhere."""
    from weasyprint import HTML

    fetcher = fetcher if fetcher is not None else data_only_fetcher()
    # WeasyPrint logs a warning per refused resource; we raise instead (see the docstring)
    log = logging.getLogger("weasyprint")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        with gc_paused():
            try:
                pdf = HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf()
            finally:
                gc.collect(0)  # the layout's cycles, all young: only they are walked
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


# The child: the same package as the parent's (its folder first on the path), `main` below.
# `-P`: nothing from the working directory is imported.
CHILD = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from advisory.outputs.report.pdf import main; main()"
)
REFUSED_EXIT = 3


class PdfProcess:
    """`render_pdf(html)` in a new Python process, started at once; `result()` waits for the
    PDF and raises what `render_pdf` raises (`RefusedFetch`, else a `RuntimeError` with the
    child's error). The child is given the HTML alone: nothing of the caller's memory.

    A new interpreter, not a fork: a desk's process has run polars' thread pool (a forked child
    can deadlock in it) and holds its store's connection and locks. The child inherits no open
    descriptor but its three temporary files (the HTML in, the PDF and its errors out: files,
    so neither side ever waits on a full pipe), writes nothing else, and is killed when the
    caller leaves the `with` block without its result. A caller killed outright leaves it to
    finish on its own into files nobody reads. At 1M events x 10k places the desk's screen
    HTML and Markdown (3.6 s CPU) run beside the PDF (3.0 s with WeasyPrint's import): the
    reports' wall time on two cores falls by the PDF's (see docs/internals.md).

        with PdfProcess(render_html(a, edition="print")) as job:
            html = render_html(a)  # meanwhile
            pdf = job.result()
    """

    def __init__(self, html: str) -> None:
        # closed by __exit__, which a `with` block guarantees
        self._files = [tempfile.TemporaryFile() for _ in range(3)]  # noqa: SIM115
        source, out, err = self._files
        source.write(html.encode("utf-8"))
        source.seek(0)
        package_parent = str(Path(__file__).resolve().parents[3])
        self._proc = subprocess.Popen(
            [sys.executable, "-P", "-c", CHILD, package_parent],
            stdin=source,
            stdout=out,
            stderr=err,
        )

    def result(self) -> bytes:
        code = self._proc.wait()
        _, out, err = self._files
        if code == 0:
            out.seek(0)
            return out.read()
        err.seek(0)
        message = err.read().decode("utf-8", "replace").strip()
        if code == REFUSED_EXIT:
            raise RefusedFetch(message)
        raise RuntimeError(
            f"the PDF renderer's process failed (exit code {code}): {message[-2000:]}"
        )

    def __enter__(self) -> PdfProcess:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        for f in self._files:
            f.close()


def main() -> None:
    """The child of `PdfProcess`: HTML on stdin, the PDF on stdout."""
    html = sys.stdin.buffer.read().decode("utf-8")
    try:
        pdf = render_pdf(html)
    except RefusedFetch as exc:
        sys.stderr.write(str(exc))
        sys.exit(REFUSED_EXIT)
    sys.stdout.buffer.write(pdf)
