"""The Jinja2 environments the reports are rendered in: sandboxed, with gettext and safe text.

A template folder given with `--template-dir` is code written by someone else, so every
template renders in Jinja's `ImmutableSandboxedEnvironment`: no attribute that starts with an
underscore (`t.__globals__...` raises `SecurityError`), no method that changes a list or a
dict (the reports of a run share one context), ranges capped. Templates are read only from
inside their folders: a symlink that leads out of a folder is refused, not followed. What a
template can and cannot do is in docs/security.md.

Every printed value passes through `finalize`: NUL and other control characters are dropped,
and text that carries bidirectional controls (U+202E ...) is isolated in `<bdi>`, so a place
name cannot reverse the words around it. Autoescaping is on for HTML; Markdown escapes every
value it prints.
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from ...resources import shipped
from .formats import mark
from .i18n import translations

# C0 and C1 controls except tab, newline and carriage return; they have no place in a report
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI)
BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
# either of the two above: text without any is printed as it is
UNSAFE = re.compile(f"{CONTROLS.pattern}|{BIDI.pattern}")
MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
# anything `md_escape` would change: a special or unsafe character, whitespace but a single
# space between words (it collapses runs of whitespace, as `str.split` finds it, to one space)
MD_CHANGED = re.compile(rf"{MD_SPECIAL.pattern}|{UNSAFE.pattern}|[^\S ]|  |\A | \Z")
SVG_CLASS = re.compile(r'\A\s*<svg\b[^>]*?\sclass="([^"]*)"')
SVG_TITLE = re.compile(r"<title\b[^>]*>([^<]*)</title>")


def default_templates_dir() -> Path:
    """The shipped templates: inside the installed package, or `templates/` in a checkout."""
    return shipped("templates")


def clean(text: str) -> str:
    """Text without control characters (NUL first: a browser and a PDF show it differently)."""
    return CONTROLS.sub("", text)


def isolated(text: str) -> str:
    """Text cleaned, and isolated with FSI ... PDI when it carries bidi controls, so it cannot
    reverse the words around it where there is no <bdi> (Markdown, SVG)."""
    text = clean(text)
    return "\u2068" + text + "\u2069" if BIDI.search(text) else text


class FolderLoader(jinja2.FileSystemLoader):
    """`FileSystemLoader` that never leaves its folders: a template whose real path (symlinks
    resolved) is outside the folder it was found in is refused with an error, not skipped (a
    silent fall-back to the shipped template would hide the problem)."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        real = os.path.realpath(filename)
        roots = [os.path.realpath(p) for p in self.searchpath]
        if not any(os.path.commonpath([real, root]) == root for root in roots):
            raise SecurityError(
                f"template {template!r} leads out of its template folder (a symlink to {real}): "
                "refused; copy the file into the folder instead"
            )
        return source, filename, uptodate


def loader(template_dirs: Iterable[Path | str]) -> jinja2.BaseLoader:
    """User folders first, then the shipped templates, also reachable as `default/NAME` so a
    user template can extend the one it replaces (datasette's loader chain)."""
    default = str(default_templates_dir())
    return jinja2.ChoiceLoader(
        [
            FolderLoader([str(d) for d in template_dirs]),
            jinja2.PrefixLoader({"default": FolderLoader(default)}),
            FolderLoader(default),
        ]
    )


def html_value(value: Any) -> Any:
    """`finalize` of the HTML environment: clean text, bidi controls isolated in <bdi>.
    Called for every value printed (1.8 million in the screen edition at 10,200 locations),
    so plain text with neither is returned after one search."""
    if type(value) is str and not UNSAFE.search(value):
        return value
    if value is None or isinstance(value, Markup) or not isinstance(value, str):
        return value
    text = clean(value)
    if BIDI.search(text):
        return Markup("<bdi>%s</bdi>") % text
    return text


def css_str(value: Any) -> Markup:
    """A CSS string literal (for @page margin boxes): every non-alphanumeric character as a CSS
    hex escape, so no text can close the string or the <style> element."""
    out = []
    for ch in clean(str(value)):
        out.append(ch if ch.isalnum() or ch == " " else f"\\{ord(ch):x} ")
    return Markup('"' + "".join(out) + '"')


def svg_image(value: Any) -> Markup:
    """An inline SVG figure (the map, a chart) as an <img> of itself, a `data:` URL, with its
    class and its title as the alt text: for the print edition. WeasyPrint reads an image with
    expat and styles none of its elements, where inline each of them (the demo map's 180) went
    through the HTML parser and had seven CSS styles computed (its pseudo-elements'), which its
    SVG renderer never reads. The same picture is drawn, its words as text (the demo's PDFs are
    the same pixels). Markup that is not well-formed XML stays inline, as it was: as an image
    WeasyPrint would draw nothing."""
    text = str(value)
    try:
        ElementTree.fromstring(text)
    except (ElementTree.ParseError, UnicodeError):
        return Markup(text)
    cls = SVG_CLASS.match(text)
    title = SVG_TITLE.search(text)
    data = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return Markup('<img class="%s" alt="%s" src="data:image/svg+xml;base64,%s">') % (
        cls.group(1) if cls else "",
        Markup(title.group(1)).unescape() if title else "",
        Markup(data),
    )


def md_escape(value: Any) -> Any:
    """Every printed value is escaped for Markdown unless marked safe: `<script>` stays text,
    `[x](javascript:...)` cannot form a link, `|` cannot break a table; bidi controls are
    isolated with FSI ... PDI (Markdown has no <bdi>). Called for every value printed (0.3
    million at 10,200 locations), so text it would not change is returned after one search
    (render_markdown at 1M events x 10k places: 0.85 s to 0.70 s CPU)."""
    if type(value) is int or (type(value) is str and not MD_CHANGED.search(value)):
        return str(value)
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return ""
    # cleaned before the split: controls that str.split() takes for spaces are dropped, as
    # everywhere else, not turned into spaces
    return MD_SPECIAL.sub(r"\\\1", isolated(" ".join(clean(str(value)).split())))


def md_link(url: Any) -> Any:
    """A plain ASCII http(s) URL as a Markdown autolink (`<https://...>`), printed as it is:
    escaping would put backslashes into the address. Anything else (a space, `<` or `>` that
    could end the link and start Markdown of its own, a quote) is escaped text, not a link."""
    text = str(url or "")
    if re.fullmatch(r"https?://[\x21-\x7e]+", text, re.IGNORECASE) and not re.search(
        r"[<>\"`\\]", text
    ):
        return Markup(f"<{text}>")
    return md_escape(text)


def _isolated_html(value: Any) -> Any:
    """A value going into a translated sentence: cleaned, and in <bdi> if it carries bidi
    controls (Jinja formats these into the catalogue's text without `finalize`)."""
    return html_value(value) if isinstance(value, str) else value


def _isolated_md(value: Any) -> Any:
    return isolated(value) if isinstance(value, str) and not isinstance(value, Markup) else value


def _isolating(fn: Callable[..., Any], isolate: Callable[[Any], Any]) -> Callable[..., Any]:
    """Jinja's newstyle gettext with every placeholder value passed through `isolate` first."""

    @jinja2.pass_context
    def call(context: Any, *args: Any, **values: Any) -> Any:
        if not values:
            return fn(context, *args)
        return fn(context, *args, **{k: isolate(v) for k, v in values.items()})

    return call


# names that are attributes of every dict (methods): `row.items` must stay the method
DICT_ATTRIBUTES = frozenset(dir(dict))


class Later:
    """A context value made the first time a template looks its name up, then kept: what one
    template prints and another never reads (the map and the charts: 0.35 s CPU at 10,200
    locations, which the Markdown never prints) is made only for the template that reads it.
    Looking the name up makes it: Jinja looks up every name a block mentions when it enters the
    block, whether or not the branch that uses it runs (see context.LaterList for a list that
    waits for its first use)."""

    __slots__ = ("_made", "_make")

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make = make
        self._made: tuple[Any] | None = None

    def value(self) -> Any:
        if self._made is None:
            self._made = (self._make(),)
        return self._made[0]


class ReportContext(Context):
    """A template's context in which a `Later` reads as its value, so templates (the shipped
    ones and a `--template-dir`'s) see the value itself, as if it had been made beforehand."""

    def resolve_or_missing(self, key: str) -> Any:
        value = super().resolve_or_missing(key)
        return value.value() if isinstance(value, Later) else value


class ReportEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox, with `row.name` on a context row (a plain dict) read as the item at once.

    Jinja reads `x.name` by trying the attribute first and the item after; on a dict every
    row field is an AttributeError raised and caught. For a name that no dict has as an
    attribute the answer is the item (or undefined) either way, so it is looked up directly:
    the screen edition at 10,200 locations reads 2.2 million such fields (about 2 s CPU)."""

    context_class = ReportContext

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


def _environment(
    template_dirs: Iterable[Path | str], lang: str, **options: Any
) -> jinja2.Environment:
    env = ReportEnvironment(
        loader=loader(template_dirs),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
        **options,
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    isolate = _isolated_html if options.get("autoescape") else _isolated_md
    for name in ("gettext", "ngettext", "pgettext", "npgettext"):
        env.globals[name] = _isolating(env.globals[name], isolate)  # type: ignore[arg-type]
    env.globals["_"] = env.globals["gettext"]
    # a label's colon and a list's semicolon as the language writes them ("Données :")
    env.globals["colon"], env.globals["semicolon"] = mark(":", lang), mark(";", lang)
    env.filters["css_str"] = css_str
    env.filters["svg_image"] = svg_image
    return env


def html_environment(
    template_dirs: Iterable[Path | str] = (), lang: str = "en"
) -> jinja2.Environment:
    return _kept("html", tuple(os.path.abspath(d) for d in template_dirs), lang)


def markdown_environment(
    template_dirs: Iterable[Path | str] = (), lang: str = "en"
) -> jinja2.Environment:
    return _kept("md", tuple(os.path.abspath(d) for d in template_dirs), lang)


@lru_cache(maxsize=32)
def _kept(kind: str, template_dirs: tuple[str, ...], lang: str) -> jinja2.Environment:
    """One environment per kind, folders and language, kept for the process: an environment
    compiles each template the first time it is asked for it (advisory.html.j2 with its macros:
    0.1 s CPU, as much as rendering the demo's print edition), and reloads one whose file
    changed since (Jinja's `auto_reload`, checked on every use), through the same loader."""
    if kind == "html":
        return _environment(template_dirs, lang, autoescape=True, finalize=html_value)
    env = _environment(
        template_dirs, lang, autoescape=False, finalize=md_escape, keep_trailing_newline=True
    )
    env.filters["md_link"] = md_link
    return env


def escape_svg(value: object) -> str:
    """Text for inline SVG: escaped, cleaned, bidi controls isolated with FSI ... PDI."""
    return str(escape(isolated(str(value))))
