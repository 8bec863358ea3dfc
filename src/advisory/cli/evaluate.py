"""`advisory backtest` and `advisory calibrate`: check a rule pack against what happened, and
fit the numbers the data can decide."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from ..errors import InputError, Problem
from ..text import plural
from .kit import parse_date, shown, write_output
from .progress import Stages


def _history(incidents: tuple[Path, ...], places: Path | None, rules: Path | None):
    from ..engine import default_places
    from ..evaluation.history import History
    from ..ingest.places import read_places
    from ..rulepack import load_pack

    if not incidents:
        raise click.UsageError("give at least one --incidents file or directory")
    pack = load_pack(rules)
    gaz = read_places(places or default_places())
    return pack, History.read(pack, gaz, list(incidents))


def _common(f: Any) -> Any:
    opts = [
        click.option("--incidents", "-i", multiple=True, type=click.Path(path_type=Path),
                     help="ACLED CSV exports covering the whole period (and the two years before "
                     "it, which the features look back on). Repeatable."),
        click.option("--places", "-p", type=click.Path(path_type=Path),
                     help="Places GeoJSON to score. Default: the shipped Bamako gazetteer."),
        click.option("--rules", "-r", type=click.Path(path_type=Path),
                     help="Rule pack directory. Default: the shipped pack."),
    ]  # fmt: skip
    for opt in reversed(opts):
        f = opt(f)
    return f


@click.command()
@_common
@click.option(
    "--guidance",
    "-g",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Guidance in force over the period (its dates decide when). Default: none.",
)
@click.option(
    "--from", "start", required=True, callback=parse_date, help="First as-of date (YYYY-MM-DD)."
)
@click.option(
    "--to", "end", required=True, callback=parse_date, help="Last as-of date (YYYY-MM-DD)."
)
@click.option(
    "--step", type=click.IntRange(min=1), help="Days between as-of dates. Default: a month."
)
@click.option(
    "--horizon",
    type=click.IntRange(min=1, max=3650),
    default=30,
    show_default=True,
    help="Days after each as-of date in which the outcome is looked for.",
)
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["table", "json", "html"]),
    default="table",
    show_default=True,
    help="table for people, json for programs, html with a reliability diagram.",
)
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write here instead of stdout.",
)
@click.option(
    "--fail-under",
    type=click.FloatRange(0, 1),
    metavar="AUC",
    help="Exit 1 when the level's ROC AUC is below this (for rule packs checked in CI).",
)
def backtest(incidents, places, rules, guidance, start, end, step, horizon, fmt, out, fail_under):
    """Check a rule pack against what happened: roll the as-of date over a period and score
    its likelihoods and levels.

    At each as-of date only the events dated on or before it are used; the outcome is the
    hazard's own (ACLED event types within its radius) in the next --horizon days. Reported per
    hazard and for the level: ROC AUC, Brier score and Brier skill against climatology, the
    same for two baselines (the count of the outcome's events in the previous 90 and 730 days),
    and a reliability table per ICD 203 band.

    \b
    Example:
      advisory backtest -i mali.csv -p mali.geojson --from 2019-07-01 --to 2020-06-01
      advisory backtest -i mali.csv --from 2019-07-01 --to 2020-06-01 -f html -o bt.html
      advisory backtest -i mali.csv --from 2019-07-01 --to 2020-06-01 --fail-under 0.8
    """
    from ..evaluation.backtest import backtest as run_backtest
    from ..evaluation.history import steps
    from ..ingest.guidance import read_guidance
    from ..outputs.evaluation import backtest_html, backtest_table

    if end < start:
        raise click.UsageError("--to is before --from")
    pack, history = _history(incidents, places, rules)
    entries = read_guidance(list(guidance))[0] if guidance else []
    with Stages(len(steps(start, end, step))) as bar:
        result = run_backtest(
            history,
            start,
            end,
            horizon=horizon,
            step_days=step,
            guidance=entries,
            tick=lambda: bar("scoring"),
        )
    result["rule_pack"] = {
        "name": pack.info.name,
        "version": pack.info.version,
        "digest": pack.digest,
    }
    text = {
        "json": lambda r: json.dumps(r, indent=2, default=str) + "\n",
        "html": backtest_html,
        "table": backtest_table,
    }[fmt](result)
    if out is not None:
        write_output(out, text)
    else:
        click.echo(text, nl=False)
    auc = result["level"]["model"]["auc"]
    if fail_under is not None and (auc is None or auc < fail_under):
        raise click.ClickException(f"the level's ROC AUC is {auc}, under {fail_under}")


@click.command()
@_common
@click.option(
    "--train-until", required=True, callback=parse_date, help="Last day of the training period."
)
@click.option(
    "--train-from",
    callback=parse_date,
    help="First training as-of date. Default: a year after the first event.",
)
@click.option(
    "--test-until",
    callback=parse_date,
    help="Last test as-of date. Default: the last event less the horizon.",
)
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder for the fitted pack (new or empty) and its report.",
)
def calibrate(incidents, places, rules, train_until, train_from, test_until, out_dir):
    """Fit the rule pack's numbers that the data can decide on a time split, and write a
    complete pack.

    Fitted on the training period: each hazard's exposures (half-life, radius and signal
    weights, within the grids personal_security.yaml gives), its logistic weights, calibration
    map, floor and bands. Scored on the test period against the count baselines. Writes the
    pack (every file of --rules, with model.yaml fitted) and calibration.json and
    calibration.md beside it; exits 1 if the written pack fails `rules check` or `rules test`.

    \b
    Example:
      advisory calibrate -i mali.csv -p mali.geojson --train-until 2019-06-30 --out my-rules/
    """
    from ..evaluation.calibrate import calibrate as run_calibrate
    from ..packtest import run_pack_tests

    pack, history = _history(incidents, places, rules)
    provenance = {
        "by": "advisory calibrate",
        "incidents": [d.as_dict() for d in history.incidents.inputs],
        "places": history.gaz.digest.as_dict(),
        "source_pack": {
            "name": pack.info.name,
            "version": pack.info.version,
            "digest": pack.digest,
        },
    }
    with Stages(len(pack.personal_security.hazards)) as bar:
        model, report = run_calibrate(
            pack,
            history,
            train_until,
            train_from=train_from,
            test_until=test_until,
            provenance=provenance,
            tick=lambda: bar("fitting"),
        )
    written, summary = _write_fitted(pack, model, report, out_dir)
    failed = [r for r in run_pack_tests(written) if not r.passed]
    click.echo(summary, nl=False)
    click.echo(f"Wrote the fitted pack to {shown(out_dir)}", err=True)
    if failed:
        names = "; ".join(f"{r.name}: {', '.join(r.failures)}" for r in failed)
        cases = plural(len(failed), "case", "cases")
        raise click.ClickException(
            f"the fitted pack fails {len(failed)} of its own test {cases}: {names}"
        )


def _write_fitted(pack, model, report, out_dir: Path):
    """The fitted pack, calibration.json and calibration.md into `out_dir`; returns the pack as
    written and the Markdown summary."""
    from ..evaluation.calibrate import write_pack
    from ..outputs.evaluation import calibration_markdown

    try:
        written = write_pack(pack, model, out_dir)
    except OSError as exc:
        msg = f"cannot write the fitted pack: {exc.strerror or exc}"
        raise InputError(Problem(shown(out_dir), msg)) from None
    summary = calibration_markdown(model, report)
    report_json = json.dumps(report, indent=2, default=str) + "\n"
    write_output(out_dir / "calibration.json", report_json, said=None)
    write_output(out_dir / "calibration.md", summary, said=None)
    return written, summary
