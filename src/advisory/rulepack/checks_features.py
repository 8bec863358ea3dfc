"""Checks of the features a rule names and of the placeholders of its 'because' sentence: each
is in the vocabulary (`vocabulary.py`), and none on the regime-collapse track is guidance (the
engine's invariant, not a tunable).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..text import did_you_mean
from . import tracks as t
from .parts import Loc, Parts
from .sentence import PLACEHOLDER, Because, Plural, texts
from .vocabulary import (
    EXPOSURE_FEATURES,
    EXPOSURE_TEXTS,
    TERM_PLACEHOLDERS,
    is_guidance,
    numeric_features,
    text_features,
)


def _features_ok(
    parts: Parts,
) -> tuple[Callable[[str], bool], dict[str, str], dict[str, str]]:
    """Whether a name is a feature, and the numeric and text features by name."""
    exposures = parts.exposures()
    numbers = numeric_features(exposures or ())
    texts = text_features(exposures or ())

    def known(feat: str) -> bool:
        prefix = feat.split(".")[0]
        if exposures is None and (prefix in EXPOSURE_FEATURES or prefix in EXPOSURE_TEXTS):
            return True  # exposure files broken: do not cascade
        return feat in numbers or feat in texts

    return known, numbers, texts


def _check_features(parts: Parts, fname: str, loc: Loc, rule: Any, regime: bool) -> None:
    known, numbers, text_names = _features_ok(parts)
    used = [(c.feature, (*loc, "when", j, "feature")) for j, c in enumerate(rule.when)]
    points = getattr(rule, "points", None)
    if points is not None and not isinstance(points, float | int):
        used.append((points.feature, (*loc, "points", "feature")))
    for feat, floc in used:
        if not known(feat):
            parts.problem(
                fname,
                floc,
                f"unknown feature {feat!r}{did_you_mean(feat, set(numbers))}",
                rule.id,
                base=loc,
            )
        elif feat in text_names:
            msg = f"feature {feat!r} is a text: a condition or points need a number"
            parts.problem(fname, floc, msg, rule.id, base=loc)
        elif regime and is_guidance(feat):
            msg = (f"feature {feat!r}: government guidance never scores on the regime-collapse "
                   "track (engine invariant, not a tunable)")  # fmt: skip
            parts.problem(fname, floc, msg, rule.id, base=loc)
    _check_because(parts, fname, (*loc, "because"), rule.because, rule.id, regime, base=loc)


def _check_because(
    parts: Parts, fname: str, loc: Loc, because: Because, rid: str | None, regime: bool,
    extra: tuple[str, ...] = (), base: Loc = (),
) -> None:  # fmt: skip
    known, numbers, text_names = _features_ok(parts)
    for ph in dict.fromkeys(PLACEHOLDER.findall(" ".join(texts(because)))):
        if ph == "points" or ph in extra:
            continue
        if not known(ph):
            choices = set(numbers) | set(text_names) | set(extra)
            parts.problem(
                fname,
                loc,
                f"unknown placeholder {{{ph}}} in 'because'{did_you_mean(ph, choices)}",
                rid,
                base=base,
            )
        elif regime and is_guidance(ph):
            parts.problem(fname, loc, "regime-collapse text may not cite guidance", rid, base=base)
    if isinstance(because, Plural) and because.count in text_names:
        msg = f"{{{because.count}}} chooses between 'one' and 'other' but is a text, not a count"
        parts.problem(fname, loc, msg, rid, base=base)


def regime_rules(parts: Parts) -> None:
    for key in ("place", "national"):
        for loc, rule in parts.rules("regime_collapse.yaml", (key, "rules"), t.ScoreRule):
            if rule.hazard is not None:
                parts.problem(
                    "regime_collapse.yaml",
                    (*loc, "hazard"),
                    "regime-collapse rules take no 'hazard'",
                    rule.id,
                    base=loc,
                )
            _check_features(parts, "regime_collapse.yaml", loc, rule, regime=True)


def personal_sentences(parts: Parts) -> None:
    for loc, rule in parts.rules(
        "personal_security.yaml", ("combine", "extreme_when"), t.Escalation
    ):
        _check_features(parts, "personal_security.yaml", loc, rule, regime=False)
    ps: t.PersonalSecurity | None = parts.parsed.get("personal_security.yaml")
    for h, hz in ps.hazards.items() if ps else []:
        for j, term in enumerate(hz.terms):
            loc = ("hazards", h, "terms", j, "because")
            _check_because(
                parts,
                "personal_security.yaml",
                loc,
                term.because,
                None,
                False,
                tuple(TERM_PLACEHOLDERS),
            )
