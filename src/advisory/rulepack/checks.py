"""Cross-file checks of a rule pack, each small, named and with a severity (pySigma's
validators are the model): references between files, the vocabulary of features, regular
expressions, and the engine's invariant that guidance never scores on the regime-collapse track.

A check runs on what parsed; from a file that failed validation it still gets the rules that
validate one by one (`Parts.rules`), so one run reports every problem it can find, and a check
whose reference file is broken is skipped rather than reported as a cascade of unknown names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from pydantic import BaseModel, ValidationError

from ..errors import Problem
from ..text import did_you_mean
from ..yamlsafe import LineMap, line_for
from . import model as m
from . import tracks as t
from .vocabulary import (
    EXPOSURE_FEATURES,
    GUIDANCE_REASONS,
    TERM_PLACEHOLDERS,
    is_guidance,
    numeric_features,
    text_features,
)

PLACEHOLDER = re.compile(r"\{([a-z0-9_.]+)\}")
Loc = tuple[Any, ...]


@dataclass
class Parts:
    """What the loader got from each file: raw data, line maps, typed objects."""

    root: Path
    raw: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, LineMap] = field(default_factory=dict)
    parsed: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def problem(
        self,
        fname: str,
        loc: Loc,
        msg: str,
        rule: str | None = None,
        severity: str = "error",
        base: Loc = (),
    ) -> None:
        """A problem at `loc` in a file; its field is named from `base` (a rule's own place,
        so a rule's fields read `when.0.feature`, as its author wrote them)."""
        line = line_for(self.lines.get(fname, {}), loc)
        fld = ".".join(str(x) for x in loc[len(base) :]) or None
        self.problems.append(Problem(str(self.root / fname), msg, line, fld, rule, severity))

    def rules(
        self, fname: str, key: tuple[str, ...], model: type[BaseModel]
    ) -> Iterator[tuple[Loc, Any]]:
        """(location, typed rule) for each rule of a list in a file, valid ones only."""
        node = self.raw.get(fname)
        for k in key:
            node = node.get(k) if isinstance(node, dict) else None
        for i, item in enumerate(node if isinstance(node, list) else []):
            try:
                yield (*key, i), model.model_validate(item)
            except ValidationError:
                continue  # reported by the file's own validation

    def exposures(self) -> set[str] | None:
        """Every exposure name, or None when either exposure file is broken."""
        hand, fitted = self.parsed.get("exposure.yaml"), self.parsed.get("model.yaml")
        if hand is None or fitted is None:
            return None
        return set(hand) | set(fitted.exposures)

    def signals(self) -> set[str] | None:
        data = self.raw.get("classify.yaml")
        sig = data.get("signals") if isinstance(data, dict) else None
        return set(sig) if isinstance(sig, dict) else None


Check = Callable[[Parts], None]
CHECKS: list[Check] = []


def check(fn: Check) -> Check:
    CHECKS.append(fn)
    return fn


def run_checks(parts: Parts) -> list[Problem]:
    for fn in CHECKS:
        fn(parts)
    return parts.problems


def _regex_error(pattern: str) -> str | None:
    try:
        pl.Series([""], dtype=pl.String).str.contains(pattern)
    except Exception as exc:  # polars raises ComputeError for bad patterns
        first = str(exc).strip().splitlines()
        return " ".join(s.strip() for s in first[:4])
    return None


@check
def unique_rule_ids(parts: Parts) -> None:
    seen: dict[str, str] = {}
    lists: list[tuple[str, tuple[str, ...], type[BaseModel]]] = [
        ("classify.yaml", ("rules",), m.ClassifyRule),
        ("regime_collapse.yaml", ("place", "rules"), t.ScoreRule),
        ("regime_collapse.yaml", ("national", "rules"), t.ScoreRule),
        ("personal_security.yaml", ("combine", "extreme_when"), t.Escalation),
    ]
    for fname, key, model in lists:
        for loc, rule in parts.rules(fname, key, model):
            if rule.id in seen:
                parts.problem(
                    fname,
                    (*loc, "id"),
                    f"duplicate rule id (also in {seen[rule.id]})",
                    rule.id,
                    base=loc,
                )
            seen[rule.id] = fname


@check
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


@check
def legacy_patterns(parts: Parts) -> None:
    formats: m.Formats | None = parts.parsed.get("formats.yaml")
    for name, spec in formats.acled_legacy.items() if formats else []:
        for j, ref in enumerate(spec.refine):
            if ref.notes_matches and (err := _regex_error(ref.notes_matches)):
                loc = ("acled_legacy", name, "refine", j, "notes_matches")
                parts.problem("formats.yaml", loc, f"bad regular expression: {err}")


def _need_signal(parts: Parts, fname: str, loc: Loc, name: str) -> None:
    signals = parts.signals()
    if signals is not None and name not in signals:
        parts.problem(fname, loc, f"unknown signal {name!r}{did_you_mean(name, signals)}")


@check
def exposure_signals(parts: Parts) -> None:
    hand = parts.parsed.get("exposure.yaml") or {}
    fitted = parts.parsed.get("model.yaml")
    for fname, exposures, base in (
        ("exposure.yaml", hand, ()),
        ("model.yaml", fitted.exposures if fitted else {}, ("exposures",)),
    ):
        for name, exp in exposures.items():
            for sig in exp.signals:
                _need_signal(parts, fname, (*base, name, "signals", sig), sig)
    both = set(hand) & set(fitted.exposures if fitted else {})
    for name in sorted(both):
        parts.problem(
            "model.yaml", ("exposures", name), f"exposure {name!r} is also defined in exposure.yaml"
        )


@check
def control_signals(parts: Parts) -> None:
    control: m.Control | None = parts.parsed.get("control.yaml")
    if control is None:
        return
    for key in ("seized", "ended", "governance", "presence"):
        for j, sig in enumerate(getattr(control, key)):
            _need_signal(parts, "control.yaml", (key, j), sig)
    for j, sig in enumerate(control.capital_fighting.signals):
        _need_signal(parts, "control.yaml", ("capital_fighting", "signals", j), sig)


def _need_exposure(parts: Parts, fname: str, loc: Loc, name: str) -> None:
    known = parts.exposures()
    if known is not None and name not in known:
        parts.problem(fname, loc, f"unknown exposure {name!r}{did_you_mean(name, known)}")


@check
def hazards_and_model(parts: Parts) -> None:
    """Every hazard has a fitted model whose inputs are exactly its terms' exposures, and an
    outcome over the pack's likelihood horizon."""
    ps: t.PersonalSecurity | None = parts.parsed.get("personal_security.yaml")
    fitted: t.FittedModel | None = parts.parsed.get("model.yaml")
    info: m.PackInfo | None = parts.parsed.get("pack.yaml")
    if ps is None:
        return
    for h, hz in ps.hazards.items():
        for j, term in enumerate(hz.terms):
            _need_exposure(
                parts,
                "personal_security.yaml",
                ("hazards", h, "terms", j, "exposure"),
                term.exposure,
            )
        for j, reason in enumerate(hz.guidance_reasons):
            if reason not in GUIDANCE_REASONS:
                hint = did_you_mean(reason, set(GUIDANCE_REASONS))
                msg = f"unknown guidance reason {reason!r}{hint}"
                parts.problem("personal_security.yaml", ("hazards", h, "guidance_reasons", j), msg)
        if info is not None and hz.outcome.days != info.likelihood.horizon_days:
            horizon = info.likelihood.horizon_days
            msg = f"outcome.days must equal the pack's likelihood horizon ({horizon})"
            parts.problem("personal_security.yaml", ("hazards", h, "outcome", "days"), msg)
        if fitted is None:
            continue
        model = fitted.hazards.get(h)
        if model is None:
            parts.problem(
                "model.yaml",
                ("hazards",),
                f"no fitted model for hazard {h!r}: run advisory calibrate",
            )
            continue
        wanted = {term.exposure for term in hz.terms}
        if set(model.coefficients) != wanted:
            msg = (
                f"coefficients must name exactly the hazard's terms {sorted(wanted)}, "
                f"got {sorted(model.coefficients)}"
            )
            parts.problem("model.yaml", ("hazards", h, "coefficients"), msg)
    for h in sorted(set(fitted.hazards) - set(ps.hazards) if fitted else ()):
        parts.problem(
            "model.yaml",
            ("hazards", h),
            f"fitted model for unknown hazard {h!r}{did_you_mean(h, set(ps.hazards))}",
        )


@check
def confidence_exposures(parts: Parts) -> None:
    conf: t.Confidence | None = parts.parsed.get("confidence.yaml")
    for j, e in enumerate(conf.exposures if conf else []):
        _need_exposure(parts, "confidence.yaml", ("exposures", j), e)


@check
def profiles(parts: Parts) -> None:
    ps: t.PersonalSecurity | None = parts.parsed.get("personal_security.yaml")
    prof: t.Profiles | None = parts.parsed.get("profiles.yaml")
    measures: t.Measures | None = parts.parsed.get("measures.yaml")
    for pname, p in prof.profiles.items() if prof else []:
        base = ("profiles", pname)
        for key in ("exposure", "guidance_raise"):
            for hz in getattr(p, key):
                if ps is not None and hz not in ps.hazards:
                    msg = f"unknown hazard {hz!r}{did_you_mean(hz, set(ps.hazards))}"
                    parts.problem("profiles.yaml", (*base, key, hz), msg)
        for j, rule in enumerate(p.measures):
            loc = (*base, "measures", j)
            if ps is not None and rule.hazard != "any" and rule.hazard not in ps.hazards:
                choices = {*ps.hazards, "any"}
                parts.problem(
                    "profiles.yaml",
                    (*loc, "hazard"),
                    f"unknown hazard {rule.hazard!r}{did_you_mean(rule.hazard, choices)}",
                )
            for k, mid in enumerate(rule.measures):
                if measures is not None and mid not in measures.measures:
                    msg = f"unknown measure {mid!r}{did_you_mean(mid, set(measures.measures))}"
                    parts.problem("profiles.yaml", (*loc, "measures", k), msg)


def _features_ok(parts: Parts) -> tuple[Callable[[str], bool], dict[str, str]]:
    exposures = parts.exposures()
    numbers = numeric_features(exposures or ())
    texts = text_features()

    def known(feat: str) -> bool:
        if exposures is None and feat.split(".")[0] in EXPOSURE_FEATURES:
            return True  # exposure files broken: do not cascade
        return feat in numbers or feat in texts

    return known, numbers


def _check_features(parts: Parts, fname: str, loc: Loc, rule: Any, regime: bool) -> None:
    known, numbers = _features_ok(parts)
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
        elif regime and is_guidance(feat):
            msg = (f"feature {feat!r}: government guidance never scores on the regime-collapse "
                   "track (engine invariant, not a tunable)")  # fmt: skip
            parts.problem(fname, floc, msg, rule.id, base=loc)
    _check_because(parts, fname, (*loc, "because"), rule.because, rule.id, regime, base=loc)


def _check_because(
    parts: Parts, fname: str, loc: Loc, text: str, rid: str | None, regime: bool,
    extra: tuple[str, ...] = (), base: Loc = (),
) -> None:  # fmt: skip
    known, numbers = _features_ok(parts)
    for ph in PLACEHOLDER.findall(text):
        if ph == "points" or ph in extra:
            continue
        if not known(ph):
            choices = set(numbers) | set(text_features()) | set(extra)
            parts.problem(
                fname,
                loc,
                f"unknown placeholder {{{ph}}} in 'because'{did_you_mean(ph, choices)}",
                rid,
                base=base,
            )
        elif regime and is_guidance(ph):
            parts.problem(fname, loc, "regime-collapse text may not cite guidance", rid, base=base)


@check
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


@check
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


@check
def lint(parts: Parts) -> None:
    """Warnings, not errors: parts of the pack that can never influence anything."""
    classify: m.ClassifyFile | None = parts.parsed.get("classify.yaml")
    if classify is not None:
        produced = {r.signal for r in classify.rules}
        for sig in sorted(set(classify.signals) - produced):
            parts.problem(
                "classify.yaml",
                ("signals", sig),
                f"signal {sig!r} has no rule that produces it",
                severity="warning",
            )
    hand: dict[str, m.Exposure] | None = parts.parsed.get("exposure.yaml")
    ps: t.PersonalSecurity | None = parts.parsed.get("personal_security.yaml")
    conf: t.Confidence | None = parts.parsed.get("confidence.yaml")
    rc: t.RegimeCollapse | None = parts.parsed.get("regime_collapse.yaml")
    if hand is None or ps is None or conf is None or rc is None:
        return
    rules: list[t.ScoreRule | t.Escalation] = [
        *rc.place.rules,
        *rc.national.rules,
        *ps.combine.extreme_when,
    ]
    named = {c.feature for r in rules for c in r.when}
    named |= {
        r.points.feature
        for r in [*rc.place.rules, *rc.national.rules]
        if not isinstance(r.points, int | float)
    }
    named |= set(PLACEHOLDER.findall(" ".join(r.because for r in rules)))
    used = {f.split(".", 1)[1] for f in named if "." in f}
    used |= {t_.exposure for hz in ps.hazards.values() for t_ in hz.terms} | set(conf.exposures)
    charted = {"violence", "kidnapping", "attacks", "blockade", "ambush"}  # reports chart these
    for name in sorted(set(hand) - used - charted):
        msg = (
            f"exposure {name!r} is not used by any rule, hazard term, escalation or "
            "confidence setting"
        )
        parts.problem("exposure.yaml", (name,), msg, severity="warning")
