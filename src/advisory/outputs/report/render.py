"""The renderers: an assessment into the advisory's HTML (screen or print edition) and
Markdown, and the demo's two files. Imported through the package (`advisory.outputs.report`)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jinja2

from ...assessment.model import Assessment
from ...files import write_atomic
from ...objects import gc_paused
from .context import PRINT_EVIDENCE, Edition, Options, edition_context, report_context
from .formats import check_lang
from .pdf import render_pdf
from .templating import html_environment, markdown_environment

HTML_TEMPLATE = "advisory.html.j2"
MARKDOWN_TEMPLATE = "advisory.md.j2"


class Reports:
    """One assessment's advisories in one language: the HTML's screen and print editions and
    the Markdown, made from one context. A desk publishes all three; each made its own context
    and drew again what they print alike (the map, 0.4 s CPU at 1M events x 10k places; the
    10,200 level rows, 0.4 s in English and 0.9 s in French; the bottom lines, the guidance).
    Here the second and third find them made. The assessment is read as the reports are made:
    change it, and make a new `Reports`.

        reports = Reports(a, lang="fr", previous=last)
        html, brief, md = reports.html(), reports.html(edition="print"), reports.markdown()
    """

    def __init__(
        self,
        a: Assessment,
        *,
        lang: str = "en",
        previous: dict[str, Any] | None = None,
        rules: Path | None = None,
    ) -> None:
        if not isinstance(a, Assessment):
            raise TypeError(f"reports are made from an Assessment, not {type(a).__name__}")
        self.a, self.lang, self.previous, self.rules = a, check_lang(lang), previous, rules
        self._context: dict[str, Any] | None = None

    def html(
        self,
        *,
        template_dirs: Iterable[Path | str] = (),
        print_evidence: int = PRINT_EVIDENCE,
        appendix: bool = False,
        edition: Edition = "screen",
    ) -> str:
        """The advisory's HTML (see `render_html`)."""
        opts = Options(self.previous, print_evidence, appendix, self.rules, edition)
        return self._render(html_environment(template_dirs, self.lang), HTML_TEMPLATE, opts)

    def markdown(self, *, template_dirs: Iterable[Path | str] = ()) -> str:
        """The advisory's Markdown (see `render_markdown`)."""
        opts = Options(self.previous, rules=self.rules)
        return self._render(markdown_environment(template_dirs, self.lang), MARKDOWN_TEMPLATE, opts)

    def _render(self, env: jinja2.Environment, template: str, options: Options) -> str:
        # Rendering makes no cyclic garbage (a collection afterwards frees nothing), but its
        # many short-lived objects set off full collections that walk the caller's whole
        # assessment: three of 1.6 s each at 10,200 locations (render_html 15.5 s -> 10.6 s
        # CPU paused).
        with gc_paused():
            if self._context is None:
                self._context = report_context(self.a, self.lang, self.previous, self.rules)
            ctx = edition_context(self._context, options)
            return env.get_template(template).render(ctx).replace("\x00", "")


def render_html(
    a: Assessment,
    *,
    lang: str = "en",
    previous: dict[str, Any] | None = None,
    template_dirs: Iterable[Path | str] = (),
    print_evidence: int = PRINT_EVIDENCE,
    appendix: bool = False,
    rules: Path | None = None,
    edition: Edition = "screen",
) -> str:
    """The full advisory as one self-contained HTML file (inline CSS and SVG, no requests).
    The screen shows every incident behind each place; print is the brief, plus with
    `appendix` the evidence with the strongest `print_evidence` incidents per place.
    `rules`: the pack whose sentences to translate (default: shipped).

    `edition="print"` renders only what print shows, the HTML `render_pdf` should be given:
    WeasyPrint styles every element, shown or not, and the screen edition of a country-wide
    assessment holds every row and incident (64 MB at 10,200 locations; its brief is 0.7 MB).
    Several reports of one assessment: `Reports`.
    """
    reports = Reports(a, lang=lang, previous=previous, rules=rules)
    return reports.html(
        template_dirs=template_dirs,
        print_evidence=print_evidence,
        appendix=appendix,
        edition=edition,
    )


def render_markdown(
    a: Assessment,
    *,
    lang: str = "en",
    previous: dict[str, Any] | None = None,
    template_dirs: Iterable[Path | str] = (),
    rules: Path | None = None,
) -> str:
    """The bottom line, what changed, the levels and the provenance, for email and chat."""
    reports = Reports(a, lang=lang, previous=previous, rules=rules)
    return reports.markdown(template_dirs=template_dirs)


def write_demo_reports(
    a: Assessment, outdir: Path, *, appendix: bool = False, lang: str = "en"
) -> list[Path]:
    """advisory.html and advisory.pdf in `outdir` (created if needed), in `lang`."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    reports = Reports(a, lang=lang)
    html_path, pdf_path = outdir / "advisory.html", outdir / "advisory.pdf"
    write_atomic(html_path, reports.html(appendix=appendix).encode("utf-8"))
    brief = reports.html(appendix=appendix, edition="print")
    write_atomic(pdf_path, render_pdf(brief))
    return [html_path, pdf_path]
