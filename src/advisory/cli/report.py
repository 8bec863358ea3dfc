"""`advisory render`: the advisory as HTML, PDF or Markdown.

Listed on the main group in `advisory.cli.LAZY_COMMANDS` (imported only when it runs); shares
the input options and `run_assessment` with `assess`, so inputs, rejects and exit codes behave
the same. The reports are made from the assessment alone (`run.assessment`). File names are
shown with control characters escaped, so a name cannot send escape sequences to the terminal.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from ..errors import InputError, Problem
from ..outputs.report.context import PRINT_EVIDENCE
from .exports import EXPORT_FORMATS, check_export, export_options, write_export
from .exports import HELP as EXPORT_HELP
from .kit import input_options, lang_option, ngettext, run_assessment, shown, write_output


def _previous(path: Path | None) -> dict | None:
    if path is None:
        return None
    try:
        doc = json.loads(path.read_text("utf-8-sig"))
    except OSError as exc:
        raise InputError(
            Problem(shown(path), f"cannot read previous assessment: {exc.strerror}")
        ) from None
    except UnicodeDecodeError:
        raise InputError(Problem(shown(path), "previous assessment is not valid UTF-8")) from None
    except json.JSONDecodeError as exc:
        raise InputError(
            Problem(shown(path), f"malformed JSON: {exc.msg} (column {exc.colno})", exc.lineno)
        ) from None
    if not isinstance(doc, dict):
        raise InputError(Problem(shown(path), "expected the JSON object of `advisory assess`"))
    return doc


def _check_per_place(folder: Path, fmt: str, out: Path | None, previous: Path | None) -> None:
    """--per-place writes a folder of HTML pages: the options of a single advisory do not apply."""
    if fmt != "html":
        raise click.UsageError("--per-place writes HTML pages: use it with --format html")
    if out is not None:
        raise click.UsageError("--per-place writes into its folder: leave out --out")
    if previous is not None:
        raise click.UsageError("--previous applies to the advisory, not to --per-place pages")
    if not folder.parent.is_dir():
        raise click.BadParameter(
            f"folder {shown(folder.parent)} does not exist", param_hint="--per-place"
        )


@click.command("render")
@input_options()
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["html", "pdf", "md", *EXPORT_FORMATS]),
    default="html",
    show_default=True,
    help="html (one self-contained file), pdf (A4), md (Markdown for email and chat); "
    + EXPORT_HELP
    + ".",
)
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Output file. Default: stdout for html, md, brief, geojson and kml; required for pdf "
    "and xlsx.",
)
@lang_option("labels and fixed sentences")
@click.option(
    "--previous",
    type=click.Path(path_type=Path, dir_okay=False),
    help="JSON of an earlier `advisory assess --format json`: adds what changed since.",
)
@click.option(
    "--template-dir",
    "template_dirs",
    multiple=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder searched first for templates (your letterhead). Repeatable.",
)
@click.option(
    "--print-evidence",
    type=click.IntRange(min=0),
    default=PRINT_EVIDENCE,
    show_default=True,
    metavar="N",
    help="Incidents per place in the printed evidence (PDF) and on --per-place pages; "
    "the screen edition shows them all.",
)
@click.option(
    "--appendix",
    is_flag=True,
    help="Print the evidence appendix in the PDF too (the drivers and strongest incidents of "
    "every place at Medium or above). The HTML always shows it on screen.",
)
@click.option(
    "--per-place",
    "per_place",
    type=click.Path(path_type=Path, file_okay=False),
    metavar="DIR",
    help="Write one HTML page per place and road, and DIR/index.html linking them, "
    "instead of the advisory (html only).",
)
@export_options
def render(
    incidents, guidance, places, rules, roads, as_of, allow_stale, rejects,
    fmt, out, lang, previous, template_dirs, print_evidence, appendix, per_place,
    brief_places, max_chars,
):  # fmt: skip
    """Write the advisory as HTML, PDF or Markdown, or one HTML page per place; or export
    the assessment as an Excel workbook, a message-length brief or map layers.

    \b
    The PDF is the brief (bottom line and map first, the tables, trends, guidance,
    indicators, measures and method); --appendix adds the evidence.

    \b
    Example:
      advisory render -i acled.csv -g guidance/ --as-of 2025-11-20 --out advisory.html
      advisory render -i acled.csv -g guidance/ -f pdf --out advisory.pdf --lang fr
      advisory render -i acled.csv -g guidance/ -f pdf --out full.pdf --appendix
      advisory render -i acled.csv -f md --previous last-week.json
      advisory render -i acled.csv -g guidance/ --per-place pages/ --lang fr
      advisory render -i acled.csv -g guidance/ -f xlsx --out mali.xlsx --lang fr
      advisory render -i acled.csv -f brief --brief-places bamako,segou --previous last.json
      advisory render -i ged_mali.csv -f geojson --out rated.geojson
      advisory render -i acled.csv -f kml --out rated.kml
    """
    from ..engine import STAGES
    from .progress import Stages

    _check_render_options(incidents, per_place, fmt, out, previous, template_dirs, brief_places)
    prev = _previous(previous)
    bar = Stages(len(STAGES) + 1)  # drawn on a terminal only, once the run takes a while
    run = run_assessment(
        incidents, guidance, places, rules, as_of, rejects, allow_stale, bar, roads
    )
    bar("rendering")
    if fmt in EXPORT_FORMATS:  # the exports' own dispatch (cli/exports.py)
        bar.close()
        write_export(run.assessment, fmt, out, lang, previous=prev, previous_path=previous,
                     brief_places=brief_places, max_chars=max_chars, rules=rules)  # fmt: skip
        return
    opts = {"lang": lang, "template_dirs": template_dirs, "rules": rules}
    with bar, _template_errors(template_dirs, previous):
        if per_place is not None:
            _write_place_pages(run.assessment, per_place, print_evidence, opts)
            return
        text = _report_text(run.assessment, fmt, prev, print_evidence, appendix, opts)
    _write_report(text, fmt, out)


def _write_place_pages(assessment, folder: Path, print_evidence: int, opts) -> None:
    from ..outputs.report.places import write_place_pages

    paths = write_place_pages(assessment, folder, print_evidence=print_evidence, **opts)
    said = ngettext(
        "Wrote %(n)s place page and %(index)s",
        "Wrote %(n)s place pages and %(index)s",
        len(paths) - 1,
        index=shown(paths[0]),
    )
    click.echo(said, err=True)


def _check_render_options(
    incidents, per_place, fmt, out, previous, template_dirs, brief_places
) -> None:
    """Usage errors before any work is done."""
    if not incidents:
        raise click.UsageError("give at least one --incidents file or directory")
    if per_place is not None:
        _check_per_place(per_place, fmt, out, previous)
    if fmt == "pdf" and out is None:
        raise click.UsageError(
            "--format pdf needs --out FILE.pdf (PDF is not written to a terminal)"
        )
    for d in template_dirs:
        if not d.is_dir():
            raise click.BadParameter(f"{shown(d)} is not a directory", param_hint="--template-dir")
    if out is not None and not out.parent.is_dir():
        raise click.BadParameter(f"folder {shown(out.parent)} does not exist", param_hint="--out")
    check_export(fmt, out, brief_places)


def _report_text(assessment, fmt, prev, print_evidence, appendix, opts) -> str:
    from ..outputs.report import render_html, render_markdown

    if fmt == "md":
        return render_markdown(assessment, previous=prev, **opts)
    return render_html(
        assessment, previous=prev, print_evidence=print_evidence, appendix=appendix,
        edition="print" if fmt == "pdf" else "screen", **opts,
    )  # fmt: skip


@contextmanager
def _template_errors(template_dirs, previous) -> Iterator[None]:
    """A broken template or previous assessment is an input error (exit 2) naming the file."""
    import jinja2

    from ..outputs.report.changes import PreviousError

    try:
        yield
    except PreviousError as exc:
        raise InputError(Problem(shown(previous), str(exc))) from None
    except jinja2.TemplateSyntaxError as exc:
        where = shown(exc.filename or exc.name or "template")
        raise InputError(
            Problem(where, f"template syntax error: {shown(exc.message)}", exc.lineno)
        ) from None
    except jinja2.TemplateError as exc:
        dirs = ", ".join(shown(d) for d in template_dirs) or "the shipped templates"
        raise InputError(Problem(dirs, f"template error: {shown(exc)}")) from None


def _write_report(text: str, fmt: str, out) -> None:
    from ..outputs.report import render_pdf

    if out is None:
        click.echo(text, nl=False)
        return
    write_output(out, render_pdf(text) if fmt == "pdf" else text)
