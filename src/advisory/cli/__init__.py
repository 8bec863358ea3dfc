"""The command line: a thin shell over the library (`advisory.engine.assess` and the outputs).

This package alone imports click. Each command lives in a module of its own and is imported
only when it runs (`LAZY_COMMANDS`), so `advisory assess` does not pay for the reports' or the
desk's imports. Exit codes and error conventions: `kit.py`.
"""

from __future__ import annotations

import click

from ..version import __version__
from .kit import AdvisoryGroup

# name -> ("module:attribute", first paragraph of its help); a test holds each help line to
# the command's own docstring
LAZY_COMMANDS = {
    "demo": (
        "advisory.cli.assessing:demo",
        "Assess the shipped Bamako demo data (illustrative incidents, not ACLED data), print "
        "the two-track table, and write advisory.html and advisory.pdf to ./advisory-demo/.",
    ),
    "assess": (
        "advisory.cli.assessing:assess",
        "Assess places and roads from your own ACLED export and guidance files, or from a "
        "desk's store (--config).",
    ),
    "explain": (
        "advisory.cli.assessing:explain",
        "Show every rule and incident behind one place's or road's levels.",
    ),
    "schema": (
        "advisory.cli.assessing:schema",
        "Print the JSON Schema of `assess --format json` output (the public contract).",
    ),
    "check": (
        "advisory.cli.trip:check",
        "Clear or refuse a journey for a staff profile, with the measures it needs.",
    ),
    "rules": ("advisory.cli.rules:rules", "Validate a rule pack and run its own test cases."),
    "backtest": (
        "advisory.cli.evaluate:backtest",
        "Check a rule pack against what happened: roll the as-of date over a period and score "
        "its likelihoods and levels.",
    ),
    "calibrate": (
        "advisory.cli.evaluate:calibrate",
        "Fit the rule pack's numbers that the data can decide on a time split, and write a "
        "complete pack.",
    ),
    "render": (
        "advisory.cli.report:render",
        "Write the advisory as HTML, PDF or Markdown, or one HTML page per place; or export the "
        "assessment as an Excel workbook, a message-length brief or map layers.",
    ),
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
}


@click.group(
    cls=AdvisoryGroup,
    lazy=LAZY_COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="advisory")
@click.option(
    "--debug",
    is_flag=True,
    help="Show the full traceback of an error (also ADVISORY_DEBUG=1).",
)
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Two-track travel risk advisories: personal security (ambush, kidnapping) and regime
    collapse (who holds the population centres), from ACLED incidents and government guidance.

    \b
    Example:
      advisory demo
      advisory assess -i acled.csv -g guidance/ --as-of 2025-11-20 --format json
    """
    ctx.obj = {"debug": debug}


def main() -> None:
    cli(prog_name="advisory")


__all__ = ["AdvisoryGroup", "cli", "main"]
