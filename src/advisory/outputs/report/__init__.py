"""Advisories people read: HTML and PDF (one HTML source), and Markdown for email and chat.

    html = render_html(run, lang="fr", previous=json.load(open("last.json")))
    pdf = render_pdf(html)

Templates are Jinja2 files in `templates/` (shipped in the wheel as `advisory/templates`).
Folders given as `template_dirs` are searched first, so an organisation can replace one
template or extend the default and override a block (`{% extends "default/advisory.html.j2" %}`),
as datasette does. Autoescaping is on for HTML; Markdown output escapes every value it prints.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ...engine import Run
from ...resources import shipped
from .context import PRINT_EVIDENCE, build_context
from .i18n import check_lang
from .pdf import RefusedFetch, data_only_fetcher, render_pdf
from .places import PlacePages, write_place_pages

HTML_TEMPLATE = "advisory.html.j2"
MARKDOWN_TEMPLATE = "advisory.md.j2"


def default_templates_dir() -> Path:
    """The shipped templates: inside the installed package, or `templates/` in a checkout."""
    return shipped("templates")


def _loader(template_dirs: Iterable[Path | str]) -> jinja2.BaseLoader:
    default = str(default_templates_dir())
    user = [str(d) for d in template_dirs]
    return jinja2.ChoiceLoader(
        [
            jinja2.FileSystemLoader(user),
            jinja2.PrefixLoader({"default": jinja2.FileSystemLoader(default)}),
            jinja2.FileSystemLoader(default),
        ]
    )


def css_str(value: Any) -> Markup:
    """A CSS string literal (for @page margin boxes): every non-alphanumeric character as a CSS
    hex escape, so no text can close the string or the <style> element."""
    out = []
    for ch in str(value):
        out.append(ch if ch.isalnum() or ch == " " else f"\\{ord(ch):x} ")
    return Markup('"' + "".join(out) + '"')


def html_environment(template_dirs: Iterable[Path | str] = ()) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=_loader(template_dirs),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["css_str"] = css_str
    return env


MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def md_escape(value: Any) -> Any:
    """Every printed value is escaped for Markdown unless marked safe: `<script>` stays text,
    `[x](javascript:...)` cannot form a link, `|` cannot break a table."""
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return ""
    text = " ".join(str(value).split())
    return MD_SPECIAL.sub(r"\\\1", text)


def markdown_environment(template_dirs: Iterable[Path | str] = ()) -> jinja2.Environment:
    return jinja2.Environment(
        loader=_loader(template_dirs),
        autoescape=False,
        finalize=md_escape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _render(
    env: jinja2.Environment,
    template: str,
    run: Run,
    lang: str,
    previous: dict[str, Any] | None,
    print_evidence: int = PRINT_EVIDENCE,
) -> str:
    check_lang(lang)
    if print_evidence < 0:
        raise ValueError("print_evidence must be 0 or more")
    ctx = build_context(run, lang, previous, print_evidence=print_evidence)
    return env.get_template(template).render(ctx)


def render_html(
    run: Run,
    *,
    lang: str = "en",
    previous: dict[str, Any] | None = None,
    template_dirs: Iterable[Path | str] = (),
    print_evidence: int = PRINT_EVIDENCE,
) -> str:
    """The full advisory as one self-contained HTML file (inline CSS and SVG, no requests).
    The screen shows every incident behind each place; print (and the PDF made from this
    HTML) the strongest `print_evidence`."""
    env = html_environment(template_dirs)
    return _render(env, HTML_TEMPLATE, run, lang, previous, print_evidence)


def render_markdown(
    run: Run,
    *,
    lang: str = "en",
    previous: dict[str, Any] | None = None,
    template_dirs: Iterable[Path | str] = (),
) -> str:
    """The bottom line, what changed, the levels and the provenance, for email and chat."""
    return _render(markdown_environment(template_dirs), MARKDOWN_TEMPLATE, run, lang, previous)


def write_demo_reports(run: Run, outdir: Path) -> list[Path]:
    """advisory.html and advisory.pdf in `outdir` (created if needed)."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    html = render_html(run)
    html_path = outdir / "advisory.html"
    html_path.write_text(html, "utf-8")
    pdf_path = outdir / "advisory.pdf"
    pdf_path.write_bytes(render_pdf(html))
    return [html_path, pdf_path]


__all__ = [
    "PRINT_EVIDENCE",
    "PlacePages",
    "RefusedFetch",
    "data_only_fetcher",
    "default_templates_dir",
    "render_html",
    "render_markdown",
    "render_pdf",
    "write_demo_reports",
    "write_place_pages",
]
