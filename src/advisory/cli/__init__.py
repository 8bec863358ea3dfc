"""Command line: a thin shell over `advisory.engine.assess`.

Exit codes: 0 success, 1 a failed operation (failing rule-pack tests, internal error),
2 usage or input errors. Errors go to stderr as `Error: ...`; never a traceback.
"""

from __future__ import annotations

import gc
import importlib
import io
import json
import sys
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .. import __version__
from ..errors import AdvisoryError, Problem
from ..memory import tune_for_batch
from .kit import format_option, parse_date

if TYPE_CHECKING:
    from ..engine import JsonWriter

DEMO_AS_OF = date(2025, 11, 20)


class InputFailure(click.ClickException):
    exit_code = 2


class InternalFailure(click.ClickException):
    exit_code = 1


class AdvisoryGroup(click.Group):
    """Turns library errors into click errors so users see a message, never a traceback.

    `lazy` names commands that live in other packages as {name: ("module:attribute", first
    paragraph of its help)}: a module is imported only when its command runs, so `assess`
    does not pay for the desk's or the reports' imports (SQLite, Jinja2, ...) at start-up.
    """

    def __init__(
        self, *args: Any, lazy: Mapping[str, tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self.commands.keys() | self.lazy.keys())

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            module, _, attribute = self.lazy[cmd_name][0].partition(":")
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as exc:
            name = getattr(exc, "command_name", None)  # a NoSuchCommand (click >= 8.4)
            if name is None:
                raise
            # its "Did you mean ...?" among all the commands, not only the ones imported so far
            raise type(exc)(name, possibilities=self.list_commands(ctx), ctx=ctx) from None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """click's listing, with a stand-in carrying the help of each command not yet imported:
        `advisory --help` imports none of them and reads the same."""
        stand_ins = {
            name: click.Command(name, help=help_text)
            for name, (_, help_text) in self.lazy.items()
            if name not in self.commands
        }
        click.Group(commands={**self.commands, **stand_ins}).format_commands(ctx, formatter)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AdvisoryError as exc:
            raise InputFailure(str(exc)) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            raise InternalFailure(
                f"internal error: {type(exc).__name__}: {exc} (please report it with the command)"
            ) from None


def input_options(
    demo: bool = False, as_of_name: str = "--as-of"
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The input options every assessing command shares (sqlite-utils style)."""

    def deco(f: Callable[..., Any]) -> Callable[..., Any]:
        opts = [
            click.option(
                "--incidents",
                "-i",
                multiple=True,
                type=click.Path(path_type=Path),
                help="ACLED CSV export, or a directory of them. Repeatable."
                + (" Default: the shipped illustrative demo set." if demo else ""),
            ),
            click.option(
                "--guidance",
                "-g",
                multiple=True,
                type=click.Path(path_type=Path),
                help="Guidance YAML file or directory. Repeatable. Without it no "
                "guidance is in force." + (" Default: shipped US/GB/FR." if demo else ""),
            ),
            click.option(
                "--places",
                "-p",
                type=click.Path(path_type=Path),
                help="Places GeoJSON. Default: the shipped Bamako gazetteer.",
            ),
            click.option(
                "--rules",
                "-r",
                type=click.Path(path_type=Path),
                help="Rule pack directory. Default: the shipped pack.",
            ),
            click.option(
                as_of_name,
                *(["--as-of"] if as_of_name != "--as-of" else []),
                "as_of",
                callback=parse_date,
                help="Assess as of this date (YYYY-MM-DD); later events are ignored. "
                + ("Default: 2025-11-20." if demo else "Default: the latest event date."),
            ),
            click.option(
                "--rejects",
                type=click.Path(path_type=Path),
                default=Path("advisory-rejects.csv"),
                show_default=True,
                help="Where rejected incident rows are written (only when there are any).",
            ),
        ]
        for opt in reversed(opts):
            f = opt(f)
        return f

    return deco


def _run(incidents, guidance, places, rules, as_of, rejects, bar=None, checked_first=False):  # type: ignore[no-untyped-def]
    """Assess; `checked_first` as for `parse_incidents` (`assess` only: the other commands
    parse every row whole)."""
    from ..ingest.sources import hash_early

    hashing = hash_early(incidents)  # while polars is imported, on the core left idle
    from ..ingest.acled import start_parsing

    parsing = start_parsing(list(incidents), checked_first, hashing)  # while the engine loads
    from ..engine import NoUsableIncidents, assess

    try:
        run = assess(
            list(incidents), list(guidance), places, rules, as_of, progress=bar, parsing=parsing
        )
    except NoUsableIncidents as exc:
        _report_rejects(exc.incidents, rejects)  # nothing usable, but nothing lost either
        raise
    inc = run.incidents
    if _report_rejects(inc, rejects):
        run.head.inputs["rejects_file"] = str(rejects)  # shared with run.assessment
    if inc.after_as_of:
        click.echo(
            f"Note: {inc.after_as_of} events dated after {run.head.as_of} ignored.", err=True
        )
    return run


def _report_rejects(inc: Any, path: Path) -> bool:
    """Write rejected rows with their reasons and say so on stderr."""
    from ..ingest.acled import write_rejects

    if not inc.rejects.height:
        return False
    write_rejects(inc.rejects, path)
    reasons = "; ".join(f"{n} x {r}" for r, n in inc.reject_reasons().items())
    click.echo(
        f"Warning: {inc.rejects.height} incident rows rejected ({reasons}); written to {path}",
        err=True,
    )
    return True


def _text(run: Any, fmt: str) -> str | JsonWriter:
    """The assessment as printed; JSON as `assessment_json` writes it, ready to write."""
    if fmt == "json":
        from ..engine import JsonWriter

        return JsonWriter(run)
    from ..outputs.text.table import render_table

    return render_table(run.assessment)


def _emit(run: Any, fmt: str) -> None:
    _echo(_text(run, fmt))


def _echo(text: str | JsonWriter) -> None:
    """Print text as it is, or write the JSON to stdout's bytes."""
    if isinstance(text, str):
        click.echo(text, nl=False)
        return
    sys.stdout.flush()
    out = getattr(sys.stdout, "buffer", None)  # None: stdout replaced by a text-only stream
    if out is None:
        whole = io.BytesIO()
        text.write(whole)
        click.echo(whole.getvalue(), nl=False)
        return
    text.write(out)
    out.flush()


# Commands that live beside the features they drive (a thin CLI over each package), imported
# only when they run. The help line is their docstring's first paragraph (a test checks it).
LAZY_COMMANDS = {
    "init": (
        "advisory.cli.desk:init",
        "Create a desk: a commented advisory.toml, watched folders and the store.",
    ),
    "update": (
        "advisory.cli.desk:update",
        "Import new data, re-assess, and publish a new version when something changed.",
    ),
    "history": (
        "advisory.cli.desk:history",
        "List the published versions: when, as of what date, what changed, digests.",
    ),
    "diff": (
        "advisory.cli.desk:diff",
        "What changed between two published versions (by id, v3, or by as-of date).",
    ),
    "render": (
        "advisory.cli.report:render",
        "Write the advisory as HTML, PDF or Markdown, or one HTML page per place.",
    ),
}


@click.group(
    cls=AdvisoryGroup,
    lazy=LAZY_COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="advisory")
def cli() -> None:
    """Two-track travel risk advisories: personal security (ambush, kidnapping) and regime
    collapse (who holds the population centres), from ACLED incidents and government guidance.

    \b
    Example:
      advisory demo
      advisory assess -i acled.csv -g guidance/ --as-of 2025-11-20 --format json
    """


@cli.command()
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
def demo(incidents, guidance, places, rules, as_of, rejects, fmt, reports_dir, no_reports):  # type: ignore[no-untyped-def]
    """Assess the shipped Bamako demo data (illustrative incidents, not ACLED data), print
    the two-track table, and write advisory.html and advisory.pdf to ./advisory-demo/.

    \b
    Example:
      advisory demo --format json --no-reports > demo.json
    """
    from ..engine import DATA_DIR

    run = _run(
        incidents or (DATA_DIR / "incidents",),
        guidance or (DATA_DIR / "guidance",),
        places,
        rules,
        as_of or DEMO_AS_OF,
        rejects,
    )
    _emit(run, fmt)
    if not no_reports:
        from ..outputs.report import write_demo_reports

        paths = write_demo_reports(run, reports_dir)
        click.echo("Wrote " + ", ".join(str(p) for p in paths), err=True)


@cli.command()
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
def assess(incidents, guidance, places, rules, as_of, rejects, fmt, config, as_known_at):  # type: ignore[no-untyped-def]
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

        run = assess_from_config(config, as_of, as_known_at)
        _report_rejects(run.incidents, rejects)
        _emit(run, fmt)
        return
    if not incidents:
        raise click.UsageError("give at least one --incidents file or directory, or --config")
    from .progress import STAGES, Stages

    with Stages(len(STAGES) + 1) as bar:
        run = _run(incidents, guidance, places, rules, as_of, rejects, bar, checked_first=True)
        bar("writing")
        text = _text(run, fmt)
    _echo(text)


@cli.command()
@click.argument("place")
@input_options(demo=True)
@format_option()
def explain(place, incidents, guidance, places, rules, as_of, rejects, fmt):  # type: ignore[no-untyped-def]
    """Show every rule and incident behind one place's or road's levels.

    PLACE is an id, name or alias, accents and case ignored ("Ségou" = "segou"). Without
    --incidents, the shipped demo data is used.

    \b
    Example:
      advisory explain kati --incidents acled.csv --guidance guidance/ --as-of 2025-11-20
    """
    from ..engine import DATA_DIR
    from ..outputs.text.explain import explain_data, explain_text

    demo_mode = not incidents
    run = _run(
        incidents or (DATA_DIR / "incidents",),
        guidance or ((DATA_DIR / "guidance",) if demo_mode else ()),
        places,
        rules,
        as_of or (DEMO_AS_OF if demo_mode else None),
        rejects,
    )
    target = run.gazetteer.find(place)
    if fmt == "json":
        click.echo(json.dumps(explain_data(run, target.id), indent=2, ensure_ascii=False))
    else:
        click.echo(explain_text(run, target.id), nl=False)


@cli.command()
@click.argument("origin", required=False)
@click.argument("destination", required=False)
@click.option(
    "--itinerary",
    type=click.Path(path_type=Path),
    help="Itinerary YAML (travellers and legs); instead of ORIGIN DESTINATION.",
)
@click.option(
    "--profile", help="Staff profile from rules/profiles.yaml (overrides the itinerary's)."
)
@click.option("--via", help="Road id or name the leg must use (ORIGIN DESTINATION form).")
@click.option("--depart", help="Departure time HH:MM (ORIGIN DESTINATION form).")
@click.option("--vehicles", type=click.IntRange(min=1), help="Vehicles in the move.")
@click.option("--mode", type=click.Choice(["road", "air"]), default="road", show_default=True)
@input_options(demo=True, as_of_name="--date")
@format_option("pdf", help_extra=", pdf a one-page clearance sheet (needs --out)")
@click.option("--out", type=click.Path(path_type=Path), help="Output file (required for pdf).")
def check(
    origin,
    destination,
    itinerary,
    profile,
    via,
    depart,
    vehicles,
    mode,  # type: ignore[no-untyped-def]
    incidents,
    guidance,
    places,
    rules,
    as_of,
    rejects,
    fmt,
    out,
):
    """Clear or refuse a journey for a staff profile, with the measures it needs.

    Exit code: 0 cleared (with or without measures), 1 refused, 2 usage or input errors.
    Without --incidents the shipped illustrative demo data is used.

    \b
    Examples:
      advisory check bamako segou --date 2025-11-25 --profile international-staff
      advisory check --itinerary trip.yaml --format json
      advisory check --itinerary trip.yaml --format pdf --out clearance.pdf
    """
    from ..engine import DATA_DIR
    from ..outputs.trip import Itinerary, check_trip, load_itinerary
    from ..outputs.trip.render import render_trip

    if fmt == "pdf" and not out:
        raise click.UsageError("--format pdf needs --out FILE")
    if out is not None and not out.parent.is_dir():
        raise click.BadParameter(f"folder {out.parent} does not exist", param_hint="--out")
    if itinerary and (origin or destination):
        raise click.UsageError("give either ORIGIN DESTINATION or --itinerary, not both")
    if itinerary:
        plan = load_itinerary(itinerary)
    elif origin and destination:
        if not profile:
            raise click.UsageError("--profile is required with ORIGIN DESTINATION")
        leg = {
            "from": origin,
            "to": destination,
            "via": via,
            "depart": depart,
            "vehicles": vehicles,
            "mode": mode,
            "date": as_of,
        }
        plan = Itinerary.model_validate({"travellers": {"profile": profile}, "legs": [leg]})
    else:
        raise click.UsageError("give ORIGIN and DESTINATION, or --itinerary FILE")
    demo_mode = not incidents
    if demo_mode:
        click.echo(
            "Note: no --incidents given: checking against the shipped illustrative demo "
            "data (not ACLED data).",
            err=True,
        )
    as_of = as_of or next((leg.date for leg in plan.legs if leg.date), None)
    run = _run(
        incidents or (DATA_DIR / "incidents",),
        guidance or ((DATA_DIR / "guidance",) if demo_mode else ()),
        places,
        rules,
        as_of,
        rejects,
    )
    result = check_trip(run, plan, profile)
    if fmt == "pdf":
        from ..outputs.trip.sheet import render_clearance_pdf

        out.write_bytes(render_clearance_pdf(result, run))
        click.echo(f"{result.decision}: clearance sheet written to {out}", err=True)
    else:
        text = (
            json.dumps(result.public(), indent=2, ensure_ascii=False) + "\n"
            if fmt == "json"
            else render_trip(result)
        )
        if out:
            out.write_text(text, encoding="utf-8")
        else:
            click.echo(text, nl=False)
    sys.exit(1 if result.decision == "refused" else 0)


@cli.group(cls=AdvisoryGroup)
def rules() -> None:
    """Validate a rule pack and run its own test cases."""


def _pack_dir(path: Path | None) -> Path:
    from ..rulepack import default_rules_dir

    return path if path is not None else default_rules_dir()


@rules.command("check")
@click.argument("rules_dir", required=False, type=click.Path(path_type=Path))
@format_option()
def rules_check(rules_dir: Path | None, fmt: str) -> None:
    """Validate a rule pack (default: the shipped one); report every error at once.

    \b
    Example:
      advisory rules check my-rules/
    """
    from ..errors import RulePackError
    from ..rulepack import load_pack

    root = _pack_dir(rules_dir)
    try:
        pack = load_pack(root)
    except RulePackError as exc:
        if fmt == "json":
            click.echo(
                json.dumps(
                    {"valid": False, "errors": [_problem(p) for p in exc.problems]}, indent=2
                )
            )
        for p in exc.problems:
            click.echo(f"Error: {p}", err=True)
        click.echo(f"{len(exc.problems)} problem(s) in {root}", err=True)
        sys.exit(2)
    summary = {
        "valid": True,
        "name": pack.info.name,
        "version": pack.info.version,
        "digest": pack.digest,
        "signals": len(pack.classify.signals),
        "classification_rules": len(pack.classify.rules),
        "exposures": len(pack.exposures),
        "scoring_rules": len(pack.personal_security.rules)
        + len(pack.regime_collapse.place.rules)
        + len(pack.regime_collapse.national.rules),
        "lookback_days": pack.lookback_days,
        "warnings": [_problem(p) for p in pack.warnings],
    }
    if fmt == "json":
        click.echo(json.dumps(summary, indent=2))
    else:
        click.echo(
            f"OK: {pack.info.name} {pack.info.version} ({root}): "
            f"{summary['classification_rules']} classification rules, "
            f"{summary['scoring_rules']} scoring rules, {summary['exposures']} exposures, "
            f"events assessed back to {pack.lookback_days} days before as-of; {pack.digest}"
        )
        for w in pack.warnings:
            click.echo(f"Warning: {w}", err=True)


def _problem(p: Problem) -> dict[str, Any]:
    return {
        "file": p.file,
        "line": p.line,
        "rule": p.rule_id,
        "field": p.field,
        "message": p.message,
        "severity": p.severity,
    }


@rules.command("test")
@click.argument("rules_dir", required=False, type=click.Path(path_type=Path))
@format_option()
def rules_test(rules_dir: Path | None, fmt: str) -> None:
    """Run the rule pack's own test cases (RULES_DIR/tests/*.yaml). Exit 1 if any fails
    or if there is no case at all.

    \b
    Example:
      advisory rules test rules/
    """
    from ..rulepack import load_pack
    from ..rulepack.testing import run_pack_tests

    pack = load_pack(_pack_dir(rules_dir))
    results = run_pack_tests(pack)
    if fmt == "json":
        click.echo(
            json.dumps(
                [
                    {"file": r.file, "case": r.name, "passed": r.passed, "failures": r.failures}
                    for r in results
                ],
                indent=2,
            )
        )
    else:
        for r in results:
            click.echo(f"{'PASS' if r.passed else 'FAIL'}  {r.name}  ({Path(r.file).name})")
            for f in r.failures:
                click.echo(f"      {f}")
    failed = sum(not r.passed for r in results)
    if not results:
        click.echo(f"Error: no test cases found in {pack.tests_dir}", err=True)
        sys.exit(1)
    click.echo(f"{len(results) - failed} passed, {failed} failed", err=True)
    if failed:
        sys.exit(1)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of `assess --format json` output (the public contract)."""
    from ..assessment import Assessment

    click.echo(json.dumps(Assessment.model_json_schema(), indent=2))


def main() -> None:
    tune_for_batch()  # before polars is first imported
    # One command per process: the cyclic collector would only re-walk the million small
    # objects a large assessment makes (none of them garbage) before the process exits.
    gc.disable()
    try:
        cli(prog_name="advisory")
    finally:
        # Python still collects as it exits, whatever the setting: frozen, what the run made
        # is skipped (measured: the exit of a 10k-place assessment took 0.15-0.19 s, 0.1 s
        # frozen). Nothing needs collecting then; the system takes the memory back.
        gc.freeze()


__all__ = ["cli", "main"]
