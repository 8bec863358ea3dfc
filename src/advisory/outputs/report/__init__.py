"""Advisories people read: HTML and PDF (one HTML source), and Markdown for email and chat,
made from the `Assessment` alone.

    html = render_html(run.assessment, lang="fr", previous=json.load(open("last.json")))
    pdf = render_pdf(render_html(a, edition="print"))  # the brief: bottom line and map first
    pdf = render_pdf(render_html(a, edition="print", appendix=True))  # with the evidence
    reports = Reports(a, lang="fr")  # several reports of one assessment, made from one context
    html, brief, md = reports.html(), reports.html(edition="print"), reports.markdown()

Templates are Jinja2 files in `templates/` (shipped in the wheel as `advisory/templates`),
rendered in a sandbox. Folders given as `template_dirs` are searched first, so an organisation
can replace one template or extend the default and override a block (`{% extends
"default/advisory.html.j2" %}`), as datasette does. What a template can do: docs/security.md.
"""

# The package's names are loaded when first used (PEP 562): the trip check and the terminal
# table need only `i18n`, and importing the renderers with them (Jinja2, the report's context,
# its charts and map) cost every `advisory check` 55-75 ms.

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .context import PRINT_EVIDENCE
    from .pdf import PdfProcess, RefusedFetch, data_only_fetcher, render_pdf
    from .places import PlacePages, write_place_pages
    from .render import Reports, render_html, render_markdown, write_demo_reports
    from .templating import default_templates_dir, html_environment, markdown_environment

_HOME = {
    "PRINT_EVIDENCE": "context",
    "PdfProcess": "pdf",
    "RefusedFetch": "pdf",
    "data_only_fetcher": "pdf",
    "render_pdf": "pdf",
    "PlacePages": "places",
    "write_place_pages": "places",
    "Reports": "render",
    "render_html": "render",
    "render_markdown": "render",
    "write_demo_reports": "render",
    "default_templates_dir": "templating",
    "html_environment": "templating",
    "markdown_environment": "templating",
}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_HOME[name]}", __name__), name)


__all__ = [
    "PRINT_EVIDENCE",
    "PdfProcess",
    "PlacePages",
    "RefusedFetch",
    "Reports",
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
