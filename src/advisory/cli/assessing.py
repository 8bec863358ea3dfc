"""`advisory demo`, `assess`, `explain` and `schema`."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from ..errors import InputError, Problem
from .kit import format_option, input_options, lang_option, run_assessment, shown, wrote
from .progress import Stages

DEMO_AS_OF = date(2025, 11, 20)


def _emit(run, fmt: str, lang: str = "en", rules=None) -> None:
    """The assessment on stdout: the table for people (in `lang`), or the JSON contract (the
    engine's English, whatever `lang`)."""
    if fmt == "json":
        from ..assessment.document import assessment_json, write_assessment_json

        sys.stdout.flush()
        out = getattr(sys.stdout, "buffer", None)
        if out is None:  # stdout replaced by a text-only stream
            click.echo(assessment_json(run.assessment).decode("utf-8"), nl=False)
        else:
            write_assessment_json(run.assessment, out)
            out.flush()
        return
    from ..outputs.text.table import render_table

    click.echo(render_table(run.assessment, lang, rules), nl=False)


def _demo_inputs(incidents, guidance):
    from ..engine import DATA_DIR

    return incidents or (DATA_DIR / "incidents",), guidance or (DATA_DIR / "guidance",)


@click.command()
@input_options(demo=True)
@format_option()
@click.option(
    "--reports-dir",
    type=click.Path(path_type=Path),
    default=Path("advisory-demo"),
    show_default=True,
    help="Where the HTML and PDF advisories are written.",
)
@click.option("--no-reports", is_flag=True, help="Only print the assessment; write no files.")
@click.option(
    "--reports",
    "with_reports",
    is_flag=True,
    help="With --format json: also write the HTML and PDF (the table format writes them unless "
    "--no-reports).",
)
@click.option(
    "--appendix",
    is_flag=True,
    help="Print the evidence appendix in the PDF too, as `render --appendix` does. The HTML "
    "always shows it on screen.",
)
@lang_option("the table and the advisories (the JSON is the engine's, in English)")
def demo(
    incidents, guidance, places, rules, roads, as_of, allow_stale, rejects,
    fmt, reports_dir, no_reports, with_reports, appendix, lang,
):  # fmt: skip
    """Assess the shipped Bamako demo data (illustrative incidents, not ACLED data), print
    the two-track table, and write advisory.html and advisory.pdf to ./advisory-demo/.

    With --format json the advisories are written only when --reports asks for them.

    \b
    Examples:
      advisory demo --format json > demo.json
      advisory demo --lang fr
      advisory demo --appendix
    """
    incidents, guidance = _demo_inputs(incidents, guidance)
    run = run_assessment(
        incidents, guidance, places, rules, as_of or DEMO_AS_OF, rejects, allow_stale, None, roads
    )
    _emit(run, fmt, lang, rules)
    if no_reports or (fmt == "json" and not with_reports):
        return
    from ..outputs.report import write_demo_reports

    try:
        paths = write_demo_reports(run.assessment, reports_dir, lang=lang, appendix=appendix)
    except OSError as exc:
        msg = f"cannot write the reports: {exc.strerror or exc}"
        raise InputError(Problem(shown(reports_dir), msg)) from None
    click.echo(wrote(", ".join(shown(p) for p in paths)), err=True)


@click.command()
@input_options()
@format_option()
@click.option(
    "--config",
    type=click.Path(path_type=Path),
    help="A desk's advisory.toml: assess its incident store instead of --incidents files.",
)
@click.option(
    "--as-known-at",
    help="With --config: reproduce what the store knew at this instant (e.g. 2025-11-01T06:00, "
    "UTC unless an offset is given).",
)
@lang_option("the table (the JSON is the engine's, in English)")
def assess(
    incidents, guidance, places, rules, roads, as_of, allow_stale, rejects,
    fmt, config, as_known_at, lang,
):  # fmt: skip
    """Assess places and roads from your own ACLED export and guidance files, or from a
    desk's store (--config).

    \b
    Examples:
      advisory assess --incidents acled.csv --guidance guidance/ --as-of 2025-11-20 -f json
      advisory assess --config mali-desk/advisory.toml --as-known-at 2025-11-01T06:00
    """
    if as_known_at and not config:
        raise click.UsageError("--as-known-at needs --config")
    if config:
        if incidents or guidance:
            raise click.UsageError("give --config or --incidents/--guidance, not both")
        from ..desk import assess_from_config
        from .kit import report_rejects

        run = assess_from_config(config, as_of, as_known_at)
        report_rejects(run.incidents, rejects)
        _emit(run, fmt, lang, rules)
        return
    if not incidents:
        raise click.UsageError("give at least one --incidents file or directory, or --config")
    from ..engine import STAGES

    with Stages(len(STAGES) + 1) as bar:
        run = run_assessment(
            incidents, guidance, places, rules, as_of, rejects, allow_stale, bar, roads
        )
        bar("writing")
        _emit(run, fmt, lang, rules)


@click.command()
@click.argument("place")
@input_options(demo=True)
@format_option()
@lang_option("the text (the JSON is the engine's, in English)")
def explain(
    place, incidents, guidance, places, rules, roads, as_of, allow_stale, rejects, fmt, lang
):
    """Show every rule and incident behind one place's or road's levels.

    PLACE is an id, name or alias, accents and case ignored ("Ségou" = "segou"); with --lang
    fr, also a road's name as the French reports print it. Without --incidents, the shipped
    demo data is used.

    \b
    Examples:
      advisory explain kati --incidents acled.csv --guidance guidance/ --as-of 2025-11-20
      advisory explain segou --lang fr
    """
    from ..outputs.report.roadnames import find_named
    from ..outputs.text.explain import explain_data, explain_text

    demo_mode = not incidents
    if demo_mode:
        incidents, guidance = _demo_inputs(incidents, guidance)
    run = run_assessment(
        incidents,
        guidance,
        places,
        rules,
        as_of or (DEMO_AS_OF if demo_mode else None),
        rejects,
        allow_stale,
        roads=roads,
    )
    target = find_named(run.gazetteer, place, lang)
    if fmt == "json":
        click.echo(
            json.dumps(explain_data(run, target.id), indent=2, ensure_ascii=False, default=str)
        )
    else:
        click.echo(explain_text(run, target.id, lang, rules), nl=False)


@click.command()
def schema() -> None:
    """Print the JSON Schema of `assess --format json` output (the public contract).

    \b
    Example:
      advisory schema > assessment.schema.json
    """
    from ..assessment.model import Assessment

    click.echo(json.dumps(Assessment.model_json_schema(), indent=2))
