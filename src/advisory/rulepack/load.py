"""Load a rule pack directory, reporting every problem in one pass.

Modelled on pySigma's collect_errors: a rule author fixing a pack wants the full list, each
with file, line, rule id and field, not one error per run.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import polars as pl
from pydantic import BaseModel, ValidationError

from ..errors import Problem, RulePackError
from ..featurenames import EXPOSURE_FEATURES, is_guidance, numeric_features, text_features
from ..resources import shipped
from ..roads.config import RoadSettings
from ..text import did_you_mean
from ..validation import validation_problems, vocabulary
from ..yamlsafe import LineMap, YamlProblems, line_for, load_yaml
from . import model as m

FILES: dict[str, type[BaseModel] | None] = {
    "pack.yaml": m.PackInfo,
    "classify.yaml": m.ClassifyFile,
    "exposure.yaml": None,  # mapping of exposure name -> m.Exposure
    "control.yaml": m.Control,
    "guidance.yaml": m.GuidanceParams,
    "personal_security.yaml": m.PersonalSecurity,
    "regime_collapse.yaml": m.RegimeCollapse,
    "confidence.yaml": m.Confidence,
    "measures.yaml": m.Measures,
    "profiles.yaml": m.Profiles,
}
OPTIONAL_FILES: dict[str, type[BaseModel]] = {"roads.yaml": RoadSettings}  # defaults if absent
PLACEHOLDER = re.compile(r"\{([a-z0-9_.]+)\}")


def default_rules_dir() -> Path:
    """The shipped pack: inside the installed package, or `rules/` in a source checkout."""
    return shipped("rules")


@dataclass
class RulePack:
    path: Path
    digest: str
    info: m.PackInfo
    classify: m.ClassifyFile
    exposures: dict[str, m.Exposure]
    control: m.Control
    guidance: m.GuidanceParams
    personal_security: m.PersonalSecurity
    regime_collapse: m.RegimeCollapse
    confidence: m.Confidence
    measures: m.Measures
    profiles: m.Profiles
    roads: RoadSettings = field(default_factory=RoadSettings)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def tests_dir(self) -> Path:
        return self.path / "tests"

    def label(self, level: int) -> str:
        return self.info.levels[level - 1]

    @property
    def lookback_days(self) -> int:
        """The furthest back (in days before as-of) that any exposure, trend or control rule
        looks. An older event cannot change a feature, so the engine does not classify or
        measure it: on a ten-year history that is most of the rows."""
        spans = [
            max(e.horizon_days, e.trend.recent_days + e.trend.baseline_days)
            for e in self.exposures.values()
        ]
        c = self.control
        spans += [c.lookback_days, c.raid_window_days, c.capital_fighting.window_days]
        return max(spans)


def pack_digest(root: Path) -> str:
    """sha256 over every YAML file's relative path and bytes, so any edit changes it."""
    h = hashlib.sha256()
    for p in sorted(root.rglob("*.yaml")):
        h.update(p.relative_to(root).as_posix().encode() + b"\0")
        h.update(p.read_bytes() + b"\0")
    return "sha256:" + h.hexdigest()


def _vocabulary() -> set[str]:
    return vocabulary(
        *(obj for obj in vars(m).values() if isinstance(obj, type) and issubclass(obj, BaseModel)),
        *OPTIONAL_FILES.values(),
    )


def _validation_problems(
    exc: ValidationError, name: str, data: Any, lines: LineMap, prefix: tuple[Any, ...] = ()
) -> list[Problem]:
    return validation_problems(exc, name, data, lines, _vocabulary(), prefix)


def _check_regex(pattern: str) -> str | None:
    try:
        pl.Series([""], dtype=pl.String).str.contains(pattern)
    except Exception as exc:  # polars raises ComputeError for bad patterns
        first = str(exc).strip().splitlines()
        return " ".join(s.strip() for s in first[:4])
    return None


def load_pack(path: Path | str | None = None) -> RulePack:
    """Validate a rule pack; raise RulePackError listing every problem found."""
    root = Path(path) if path is not None else default_rules_dir()
    if not root.is_dir():
        raise RulePackError(Problem(str(root), "rule pack directory not found"))
    problems: list[Problem] = []
    parsed: dict[str, Any] = {}
    lines_by_file: dict[str, LineMap] = {}
    salvaged: dict[str, Any] = {}

    known = set(FILES) | set(OPTIONAL_FILES)
    for extra in sorted(p.name for p in root.glob("*.y*ml")):
        if extra not in known:
            problems.append(
                Problem(str(root / extra), f"unknown rule file{did_you_mean(extra, known)}")
            )

    for fname, model in {**FILES, **OPTIONAL_FILES}.items():
        fpath = root / fname
        display = str(fpath)
        if not fpath.is_file():
            if fname not in OPTIONAL_FILES:
                problems.append(Problem(display, "required rule file is missing"))
            continue
        try:
            data, lines = load_yaml(fpath, display)
        except YamlProblems as exc:
            problems.extend(exc.problems)
            continue
        lines_by_file[fname] = lines
        try:
            if model is None:
                if not isinstance(data, dict):
                    raise_problem = Problem(display, "expected a mapping of exposure names", 1)
                    problems.append(raise_problem)
                    continue
                out = {}
                for key, value in data.items():
                    try:
                        out[str(key)] = m.Exposure.model_validate(value)
                    except ValidationError as exc:
                        problems.extend(_validation_problems(exc, display, data, lines, (key,)))
                parsed[fname] = out
            else:
                parsed[fname] = model.model_validate(data)
        except ValidationError as exc:
            problems.extend(_validation_problems(exc, display, data, lines))
            salvaged[fname] = _salvage(fname, data)

    # Cross-file checks run on whatever parsed (or could be salvaged rule by rule from a file
    # with errors), so one run reports every problem it can find.
    problems.extend(_cross_checks({**salvaged, **parsed}, root, lines_by_file))
    if any(f not in parsed for f in FILES) or [p for p in problems if p.severity == "error"]:
        raise RulePackError(problems or [Problem(str(root), "rule pack incomplete")])
    pack = RulePack(
        path=root,
        digest=pack_digest(root),
        info=parsed["pack.yaml"],
        classify=parsed["classify.yaml"],
        exposures=parsed["exposure.yaml"],
        control=parsed["control.yaml"],
        guidance=parsed["guidance.yaml"],
        personal_security=parsed["personal_security.yaml"],
        regime_collapse=parsed["regime_collapse.yaml"],
        confidence=parsed["confidence.yaml"],
        measures=parsed["measures.yaml"],
        profiles=parsed["profiles.yaml"],
        roads=parsed.get("roads.yaml", RoadSettings()),
    )
    pack.warnings = problems + _lint(pack)
    return pack


def _lint(pack: RulePack) -> list[Problem]:
    """Warnings, not errors: parts of the pack that can never influence a level."""
    out: list[Problem] = []
    root = pack.path
    produced = {r.signal for r in pack.classify.rules}
    for sig in sorted(pack.classify.signals):
        if sig not in produced:  # signals may serve reports only, so unused is fine
            msg = f"signal {sig!r} has no rule that produces it"
            out.append(Problem(str(root / "classify.yaml"), msg, severity="warning"))
    rules = [
        *pack.personal_security.rules,
        *pack.regime_collapse.place.rules,
        *pack.regime_collapse.national.rules,
    ]
    named = {c.feature for r in rules for c in r.when}
    named |= {r.points.feature for r in rules if not isinstance(r.points, int | float)}
    named |= set(PLACEHOLDER.findall(" ".join(r.because for r in rules)))
    used = {f.split(".", 1)[1] for f in named if "." in f}
    used |= {h.likelihood_exposure for h in pack.personal_security.hazards.values()}
    used |= set(pack.confidence.exposures)
    for name in sorted(pack.exposures):
        if name not in used:
            out.append(
                Problem(
                    str(root / "exposure.yaml"),
                    f"exposure {name!r} is not used by any rule, likelihood or confidence setting",
                    severity="warning",
                )
            )
    return out


def _valid(model: type[BaseModel], items: Any) -> list[Any]:
    """The entries of a list that validate on their own (their errors are already reported)."""
    out = []
    for item in items if isinstance(items, list) else []:
        try:
            out.append(model.model_validate(item))
        except ValidationError:
            continue
    return out


def _salvage(fname: str, data: Any) -> Any:
    """A partial, duck-typed view of a file that failed validation, for the cross-checks."""
    if not isinstance(data, dict):
        return None
    if fname == "classify.yaml" and isinstance(data.get("signals"), dict):
        return SimpleNamespace(
            signals=data["signals"], rules=_valid(m.ClassifyRule, data.get("rules"))
        )
    if fname == "personal_security.yaml":
        hazards = data.get("hazards") if isinstance(data.get("hazards"), dict) else {}
        return SimpleNamespace(
            hazards={k: ok[0] for k, v in hazards.items() if (ok := _valid(m.HazardConfig, [v]))},
            rules=_valid(m.ScoreRule, data.get("rules")),
        )
    if fname == "regime_collapse.yaml":
        tracks = {}
        for key in ("place", "national"):
            part = data.get(key) if isinstance(data.get(key), dict) else {}
            tracks[key] = SimpleNamespace(rules=_valid(m.ScoreRule, part.get("rules")))
        return SimpleNamespace(**tracks)
    return None


def _cross_checks(parsed: dict[str, Any], root: Path, lines: dict[str, LineMap]) -> list[Problem]:
    """References between files: signals, exposures, hazards, features, the guidance invariant.

    Each check runs when the files it needs parsed; a check whose reference file is broken is
    skipped rather than reported as a cascade of unknown names."""
    out: list[Problem] = []
    classify: m.ClassifyFile | None = parsed.get("classify.yaml")
    exposures_map: dict[str, m.Exposure] | None = parsed.get("exposure.yaml")
    control: m.Control | None = parsed.get("control.yaml")
    confidence: m.Confidence | None = parsed.get("confidence.yaml")
    ps: m.PersonalSecurity | None = parsed.get("personal_security.yaml")
    rc: m.RegimeCollapse | None = parsed.get("regime_collapse.yaml")
    signals = set(classify.signals) if classify else None

    def at(fname: str, loc: tuple[Any, ...]) -> tuple[str, int | None]:
        return str(root / fname), line_for(lines.get(fname, {}), loc)

    def need_signal(name: str, fname: str, loc: tuple[Any, ...], rid: str | None = None) -> None:
        if signals is not None and name not in signals:
            f, ln = at(fname, loc)
            msg = f"unknown signal {name!r}{did_you_mean(name, signals)}"
            out.append(Problem(f, msg, ln, ".".join(map(str, loc)), rid))

    seen_ids: dict[str, str] = {}

    def need_unique(rid: str, fname: str, loc: tuple[Any, ...]) -> None:
        f, ln = at(fname, loc)
        if rid in seen_ids:
            out.append(Problem(f, f"duplicate rule id (also in {seen_ids[rid]})", ln, "id", rid))
        seen_ids[rid] = f"{fname}"

    for i, rule in enumerate(classify.rules if classify else []):
        need_unique(rule.id, "classify.yaml", ("rules", i, "id"))
        need_signal(rule.signal, "classify.yaml", ("rules", i, "signal"), rule.id)
        for key, value in rule.when.model_dump(exclude_none=True).items():
            if key.endswith("_matches") and (err := _check_regex(value)):
                f, ln = at("classify.yaml", ("rules", i, "when", key))
                msg = f"bad regular expression: {err}"
                out.append(Problem(f, msg, ln, f"when.{key}", rule.id))

    for name, exp in (exposures_map or {}).items():
        for sig in exp.signals:
            need_signal(sig, "exposure.yaml", (name, "signals", sig))
    if control is not None:
        for key in ("seized", "ended", "governance"):
            for j, sig in enumerate(getattr(control, key)):
                need_signal(sig, "control.yaml", (key, j))
        for j, sig in enumerate(control.capital_fighting.signals):
            need_signal(sig, "control.yaml", ("capital_fighting", "signals", j))

    exposures = set(exposures_map) if exposures_map is not None else None
    for j, e in enumerate(confidence.exposures if confidence and exposures is not None else []):
        if e not in exposures:
            f, ln = at("confidence.yaml", ("exposures", j))
            out.append(Problem(f, f"unknown exposure {e!r}{did_you_mean(e, exposures)}", ln))

    for hname, hz in ps.hazards.items() if ps and exposures is not None else []:
        if hz.likelihood_exposure not in exposures:
            f, ln = at("personal_security.yaml", ("hazards", hname, "likelihood_exposure"))
            msg = f"unknown exposure {hz.likelihood_exposure!r}"
            out.append(Problem(f, msg + did_you_mean(hz.likelihood_exposure, exposures), ln))

    profiles: m.Profiles | None = parsed.get("profiles.yaml")
    measures: m.Measures | None = parsed.get("measures.yaml")
    for pname, prof in profiles.profiles.items() if profiles else []:
        for hz in prof.hazard_weights:
            if ps is not None and hz not in ps.hazards:
                f, ln = at("profiles.yaml", ("profiles", pname, "hazard_weights", hz))
                msg = f"unknown hazard {hz!r}{did_you_mean(hz, set(ps.hazards))}"
                out.append(Problem(f, msg, ln, f"profiles.{pname}.hazard_weights"))
        for j, rule in enumerate(prof.measures):
            loc = ("profiles", pname, "measures", j)
            if ps is not None and rule.hazard != "any" and rule.hazard not in ps.hazards:
                f, ln = at("profiles.yaml", (*loc, "hazard"))
                choices = {*ps.hazards, "any"}
                msg = f"unknown hazard {rule.hazard!r}{did_you_mean(rule.hazard, choices)}"
                out.append(Problem(f, msg, ln, f"profiles.{pname}.measures.{j}.hazard"))
            for k, mid in enumerate(rule.measures):
                if measures is not None and mid not in measures.measures:
                    f, ln = at("profiles.yaml", (*loc, "measures", k))
                    msg = f"unknown measure {mid!r}{did_you_mean(mid, set(measures.measures))}"
                    out.append(Problem(f, msg, ln, f"profiles.{pname}.measures.{j}.measures"))

    numbers = numeric_features(exposures or ())
    texts = text_features()

    def known(feat: str) -> bool:
        # with exposure.yaml broken, exposure features cannot be judged: do not cascade
        if exposures is None and feat.split(".")[0] in EXPOSURE_FEATURES:
            return True
        return feat in numbers or feat in texts

    tracks = []
    if ps is not None:
        tracks.append(("personal_security.yaml", ("rules",), ps.rules, True))
    if rc is not None:
        tracks.append(("regime_collapse.yaml", ("place", "rules"), rc.place.rules, False))
        tracks.append(("regime_collapse.yaml", ("national", "rules"), rc.national.rules, False))
    for fname, base, rules, is_ps in tracks:
        for i, rule in enumerate(rules):
            loc = (*base, i)
            need_unique(rule.id, fname, (*loc, "id"))
            f, ln = at(fname, loc)
            if is_ps and rule.hazard not in ps.hazards:
                msg = f"'hazard' must be one of {sorted(ps.hazards)}, got {rule.hazard!r}"
                out.append(Problem(f, msg, ln, "hazard", rule.id))
            if not is_ps and rule.hazard is not None:
                out.append(
                    Problem(f, "regime-collapse rules take no 'hazard'", ln, "hazard", rule.id)
                )
            used = [(c.feature, (*loc, "when", j, "feature")) for j, c in enumerate(rule.when)]
            if not isinstance(rule.points, float | int):
                used.append((rule.points.feature, (*loc, "points", "feature")))
            for feat, floc in used:
                fline = line_for(lines.get(fname, {}), floc)
                fname_field = ".".join(str(x) for x in floc[len(loc) :])
                if not known(feat):
                    out.append(
                        Problem(
                            f,
                            f"unknown feature {feat!r}{did_you_mean(feat, set(numbers))}",
                            fline,
                            fname_field,
                            rule.id,
                        )
                    )
                elif not is_ps and is_guidance(feat):
                    out.append(
                        Problem(
                            f,
                            f"feature {feat!r}: government guidance never scores on the "
                            "regime-collapse track (engine invariant, not a tunable)",
                            fline,
                            fname_field,
                            rule.id,
                        )
                    )
            for ph in PLACEHOLDER.findall(rule.because):
                if ph != "points" and not known(ph):
                    out.append(
                        Problem(
                            f,
                            f"unknown placeholder {{{ph}}} in 'because'"
                            + did_you_mean(ph, set(numbers) | set(texts)),
                            ln,
                            "because",
                            rule.id,
                        )
                    )
                elif not is_ps and is_guidance(ph):
                    out.append(
                        Problem(
                            f, "regime-collapse text may not cite guidance", ln, "because", rule.id
                        )
                    )
    return out
