"""Checks that each name one file of a rule pack uses is defined where it belongs: rule ids are
unique; signals are declared in classify.yaml; exposures in exposure.yaml or model.yaml, not
both; hazards in personal_security.yaml, each with known guidance reasons, an outcome over the
pack's horizon and a fitted model over exactly its terms; measures in measures.yaml. And
`lint`, the other way round: what is defined but can never influence anything (warnings).
"""

from __future__ import annotations

from pydantic import BaseModel

from ..text import did_you_mean
from . import model as m
from . import tracks as t
from .parts import Loc, Parts
from .sentence import PLACEHOLDER, texts
from .vocabulary import GUIDANCE_REASONS


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


def _need_signal(parts: Parts, fname: str, loc: Loc, name: str) -> None:
    signals = parts.signals()
    if signals is not None and name not in signals:
        parts.problem(fname, loc, f"unknown signal {name!r}{did_you_mean(name, signals)}")


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


def confidence_exposures(parts: Parts) -> None:
    conf: t.Confidence | None = parts.parsed.get("confidence.yaml")
    for j, e in enumerate(conf.exposures if conf else []):
        _need_exposure(parts, "confidence.yaml", ("exposures", j), e)


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
    named |= set(PLACEHOLDER.findall(" ".join(x for r in rules for x in texts(r.because))))
    used = {f.split(".", 1)[1] for f in named if "." in f}
    used |= {t_.exposure for hz in ps.hazards.values() for t_ in hz.terms} | set(conf.exposures)
    charted = {"violence", "kidnapping", "attacks", "blockade", "ambush"}  # reports chart these
    for name in sorted(set(hand) - used - charted):
        msg = (
            f"exposure {name!r} is not used by any rule, hazard term, escalation or "
            "confidence setting"
        )
        parts.problem("exposure.yaml", (name,), msg, severity="warning")
