"""Why a rule did not fire, in words: the engine's trace, `explain` and the reports write it
with this one function, in English or in a report's language."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from ..scoring.rules import fmt_number
from .narrative import ENGLISH, NP_, Voice


class CheckLike(Protocol):
    """A rule's condition at a location (`scoring.rules.Check`, `model.ConditionCheck`)."""

    @property
    def feature(self) -> str: ...
    @property
    def op(self) -> str: ...
    @property
    def limit(self) -> float: ...
    @property
    def have(self) -> float: ...
    @property
    def holds(self) -> bool: ...


# a condition's operator as the trace writes it; a language may write it its own way ("≥")
OPERATORS = {
    "gte": NP_("operator", ">="),
    "gt": NP_("operator", ">"),
    "lte": NP_("operator", "<="),
    "lt": NP_("operator", "<"),
    "eq": NP_("operator", "=="),
}


def not_fired_sentence(checks: Sequence[CheckLike], voice: Voice = ENGLISH) -> str:
    """Why a rule did not fire: its first condition that fails ("control.raids is 0, needs
    >= 1"), or that its conditions hold but it scores no points."""
    for c in checks:
        if not c.holds:
            return voice._(
                "%(feature)s is %(value)s, needs %(op)s %(limit)s",
                feature=c.feature,
                value=voice.value(fmt_number(c.have, c.feature)),
                op=voice.p_("operator", OPERATORS[c.op]),
                limit=voice.value(fmt_number(c.limit)),
            )
    return voice._("conditions hold but it scores 0 points")
