"""Checks of the regular expressions of a rule pack (classify.yaml's `*_matches`, formats.yaml's
legacy refinements): each must compile in the dialect of polars, which applies them. A classify
rule is also checked to produce a declared signal.
"""

from __future__ import annotations

import polars as pl

from ..text import did_you_mean
from . import model as m
from .parts import Parts


def _regex_error(pattern: str) -> str | None:
    try:
        pl.Series([""], dtype=pl.String).str.contains(pattern)
    except Exception as exc:  # polars raises ComputeError for bad patterns
        first = str(exc).strip().splitlines()
        return " ".join(s.strip() for s in first[:4])
    return None


def classify_rules(parts: Parts) -> None:
    """Each rule produces a declared signal and its patterns compile."""
    signals = parts.signals()
    for loc, rule in parts.rules("classify.yaml", ("rules",), m.ClassifyRule):
        if signals is not None and rule.signal not in signals:
            msg = f"unknown signal {rule.signal!r}{did_you_mean(rule.signal, signals)}"
            parts.problem("classify.yaml", (*loc, "signal"), msg, rule.id)
        for key, value in rule.when.model_dump(exclude_none=True).items():
            if key.endswith("_matches") and (err := _regex_error(value)):
                parts.problem(
                    "classify.yaml",
                    (*loc, "when", key),
                    f"bad regular expression: {err}",
                    rule.id,
                    base=loc,
                )


def legacy_patterns(parts: Parts) -> None:
    formats: m.Formats | None = parts.parsed.get("formats.yaml")
    for name, spec in formats.acled_legacy.items() if formats else []:
        for j, ref in enumerate(spec.refine):
            if ref.notes_matches and (err := _regex_error(ref.notes_matches)):
                loc = ("acled_legacy", name, "refine", j, "notes_matches")
                parts.problem("formats.yaml", loc, f"bad regular expression: {err}")
