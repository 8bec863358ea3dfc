"""Advisories people read: HTML and PDF (one HTML source), and Markdown for email and chat,
made from the `Assessment` alone.

    html = render_html(run.assessment, lang="fr", previous=json.load(open("last.json")))
    pdf = render_pdf(render_html(a, edition="print"))  # the brief: bottom line and map first
    pdf = render_pdf(render_html(a, edition="print", appendix=True))  # with the evidence

Templates are Jinja2 files in `templates/` (shipped in the wheel as `advisory/templates`),
rendered in a sandbox. Folders given as `template_dirs` are searched first, so an organisation
can replace one template or extend the default and override a block (`{% extends
"default/advisory.html.j2" %}`), as datasette does. What a template can do: docs/security.md.
"""

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
from .pdf import RefusedFetch, data_only_fetcher, render_pdf
from .places import PlacePages, write_place_pages
from .templating import default_templates_dir, html_environment, markdown_environment

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


__all__ = [
    "PRINT_EVIDENCE",
    "PlacePages",
    "RefusedFetch",
    "data_only_fetcher",
    "default_templates_dir",
    "html_environment",
    "markdown_environment",
    "render_html",
    "render_markdown",
    "render_pdf",
    "write_demo_reports",
    "write_place_pages",
]
