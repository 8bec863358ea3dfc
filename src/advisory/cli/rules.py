"""`advisory rules check` and `advisory rules test`: validate a rule pack, run its own cases."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from ..errors import Problem
from ..text import plural
from .kit import AdvisoryGroup, format_option


@click.group(cls=AdvisoryGroup)
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
        click.echo(
            f"{len(exc.problems)} {plural(len(exc.problems), 'problem', 'problems')} in {root}",
            err=True,
        )
        sys.exit(2)
    summary = {
        "valid": True,
        "name": pack.info.name,
        "version": pack.info.version,
        "digest": pack.digest,
        "signals": len(pack.classify.signals),
        "classification_rules": len(pack.classify.rules),
        "exposures": len(pack.exposures),
        "hazards": sorted(pack.personal_security.hazards),
        "scoring_rules": len(pack.personal_security.combine.extreme_when)
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
            f"{len(pack.personal_security.hazards)} fitted hazard models, "
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
    from ..packtest import run_pack_tests
    from ..rulepack import load_pack

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
