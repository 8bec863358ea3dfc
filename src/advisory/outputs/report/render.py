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
from .context import PRINT_EVIDENCE, Edition, Options, build_context
from .i18n import check_lang
from .pdf import render_pdf
from .templating import html_environment, markdown_environment

HTML_TEMPLATE = "advisory.html.j2"
MARKDOWN_TEMPLATE = "advisory.md.j2"


def _render(
    env: jinja2.Environment, template: str, a: Assessment, lang: str, options: Options
) -> str:
    if not isinstance(a, Assessment):
        raise TypeError(f"reports are made from an Assessment, not {type(a).__name__}")
    # Rendering makes no cyclic garbage (a collection afterwards frees nothing), but its many
    # short-lived objects set off full collections that walk the caller's whole assessment:
    # three of 1.6 s each at 10,200 locations (render_html 15.5 s -> 10.6 s CPU paused).
    with gc_paused():
        ctx = build_context(a, check_lang(lang), options)
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
    """
    opts = Options(previous, print_evidence, appendix, rules, edition)
    return _render(html_environment(template_dirs, lang), HTML_TEMPLATE, a, lang, opts)


def render_markdown(
    a: Assessment,
    *,
    lang: str = "en",
    previous: dict[str, Any] | None = None,
    template_dirs: Iterable[Path | str] = (),
    rules: Path | None = None,
) -> str:
    """The bottom line, what changed, the levels and the provenance, for email and chat."""
    opts = Options(previous, rules=rules)
    return _render(markdown_environment(template_dirs, lang), MARKDOWN_TEMPLATE, a, lang, opts)


def write_demo_reports(
    a: Assessment, outdir: Path, *, appendix: bool = False, lang: str = "en"
) -> list[Path]:
    """advisory.html and advisory.pdf in `outdir` (created if needed), in `lang`."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    html = render_html(a, lang=lang, appendix=appendix)
    html_path, pdf_path = outdir / "advisory.html", outdir / "advisory.pdf"
    write_atomic(html_path, html.encode("utf-8"))
    brief = render_html(a, lang=lang, appendix=appendix, edition="print")
    write_atomic(pdf_path, render_pdf(brief))
    return [html_path, pdf_path]
