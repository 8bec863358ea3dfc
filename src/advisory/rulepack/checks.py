"""Cross-file checks of a rule pack, each small, named and with a severity (pySigma's
validators are the model): references between files, the vocabulary of features, regular
expressions, and the engine's invariant that guidance never scores on the regime-collapse track.

A check runs on what parsed; from a file that failed validation it still gets the rules that
validate one by one (`Parts.rules`), so one run reports every problem it can find, and a check
whose reference file is broken is skipped rather than reported as a cascade of unknown names.

The checks are grouped by what they check: names used across files and what is never used
(`checks_names`), regular expressions (`checks_patterns`), and the features and sentences of
scoring rules (`checks_features`); `CHECKS` runs them in the order their problems are listed.
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import Problem
from .checks_features import personal_sentences, regime_rules
from .checks_names import (
    confidence_exposures,
    control_signals,
    exposure_signals,
    hazards_and_model,
    lint,
    profiles,
    unique_rule_ids,
)
from .checks_patterns import classify_rules, legacy_patterns
from .parts import Parts

__all__ = ["CHECKS", "Check", "Parts", "run_checks"]

Check = Callable[[Parts], None]
CHECKS: list[Check] = [
    unique_rule_ids,
    classify_rules,
    legacy_patterns,
    exposure_signals,
    control_signals,
    hazards_and_model,
    confidence_exposures,
    profiles,
    regime_rules,
    personal_sentences,
    lint,
]


def run_checks(parts: Parts) -> list[Problem]:
    for fn in CHECKS:
        fn(parts)
    return parts.problems
