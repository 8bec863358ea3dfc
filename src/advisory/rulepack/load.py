"""Load a rule pack directory, reporting every problem in one pass.

Modelled on pySigma's collect_errors: each file is validated into typed objects (unknown keys,
bad values and duplicate keys are errors with file, line and field), then small named checks
(`checks.py`) look across files. A rule author fixing a pack gets the full list, not one error
per run.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import Problem, RulePackError
from ..resources import shipped
from ..text import did_you_mean
from ..validation import validation_problems, vocabulary
from ..yamlsafe import LineMap, YamlProblems, load_yaml
from . import model as m
from . import tracks as t
from .checks import Parts, run_checks
from .roads import RoadSettings

FILES: dict[str, type[BaseModel] | None] = {
    "pack.yaml": m.PackInfo,
    "formats.yaml": m.Formats,
    "classify.yaml": m.ClassifyFile,
    "exposure.yaml": None,  # name -> m.Exposure, validated entry by entry
    "model.yaml": t.FittedModel,
    "control.yaml": m.Control,
    "guidance.yaml": t.GuidanceParams,
    "personal_security.yaml": t.PersonalSecurity,
    "regime_collapse.yaml": t.RegimeCollapse,
    "confidence.yaml": t.Confidence,
    "measures.yaml": t.Measures,
    "profiles.yaml": t.Profiles,
}
OPTIONAL_FILES: dict[str, type[BaseModel]] = {"roads.yaml": RoadSettings}  # defaults if absent


def default_rules_dir() -> Path:
    """The shipped pack: inside the installed package, or `rules/` in a source checkout."""
    return shipped("rules")


@dataclass
class RulePack:
    path: Path
    digest: str
    info: m.PackInfo
    formats: m.Formats
    classify: m.ClassifyFile
    exposures: dict[str, m.Exposure]  # both files': the hand-set and the fitted ones
    model: t.FittedModel
    control: m.Control
    guidance: t.GuidanceParams
    personal_security: t.PersonalSecurity
    regime_collapse: t.RegimeCollapse
    confidence: t.Confidence
    measures: t.Measures
    profiles: t.Profiles
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
        looks. An older event cannot change a feature, so the engine does not assess it."""
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
    models = [*vars(m).values(), *vars(t).values(), *OPTIONAL_FILES.values()]
    return vocabulary(*(o for o in models if isinstance(o, type) and issubclass(o, BaseModel)))


def _validate(
    fname: str, model: type[BaseModel] | None, data: Any, display: str, lines: LineMap
) -> tuple[Any, list[Problem]]:
    """The file as its typed object (None if it did not validate) and its problems."""
    vocab = _vocabulary()
    if model is not None:
        try:
            return model.model_validate(data), []
        except ValidationError as exc:
            return None, validation_problems(exc, display, data, lines, vocab)
    if not isinstance(data, dict):
        return None, [Problem(display, "expected a mapping of exposure names", 1)]
    out, problems = {}, []
    for key, value in data.items():
        try:
            out[str(key)] = m.Exposure.model_validate(value)
        except ValidationError as exc:
            problems.extend(validation_problems(exc, display, data, lines, vocab, (key,)))
    return (out if not problems else None), problems


def load_pack(path: Path | str | None = None) -> RulePack:
    """Validate a rule pack; raise RulePackError listing every problem found."""
    root = Path(path) if path is not None else default_rules_dir()
    if not root.is_dir():
        raise RulePackError(Problem(str(root), "rule pack directory not found"))
    problems: list[Problem] = []
    known = set(FILES) | set(OPTIONAL_FILES)
    for extra in sorted(p.name for p in root.glob("*.y*ml")):
        if extra not in known:
            problems.append(
                Problem(str(root / extra), f"unknown rule file{did_you_mean(extra, known)}")
            )
    parts = Parts(root)
    for fname, model in {**FILES, **OPTIONAL_FILES}.items():
        fpath = root / fname
        if not fpath.is_file():
            if fname not in OPTIONAL_FILES:
                problems.append(Problem(str(fpath), "required rule file is missing"))
            continue
        try:
            data, lines = load_yaml(fpath, str(fpath))
        except YamlProblems as exc:
            problems.extend(exc.problems)
            continue
        parts.lines[fname] = lines
        parts.raw[fname] = data
        parsed, found = _validate(fname, model, data, str(fpath), lines)
        problems.extend(found)
        if parsed is not None:
            parts.parsed[fname] = parsed
    checked = run_checks(parts)
    problems.extend(checked)
    if any(f not in parts.parsed for f in FILES) or any(p.severity == "error" for p in problems):
        raise RulePackError(problems or [Problem(str(root), "rule pack incomplete")])
    p = parts.parsed
    pack = RulePack(
        path=root,
        digest=pack_digest(root),
        info=p["pack.yaml"],
        formats=p["formats.yaml"],
        classify=p["classify.yaml"],
        exposures={**p["exposure.yaml"], **p["model.yaml"].exposures},
        model=p["model.yaml"],
        control=p["control.yaml"],
        guidance=p["guidance.yaml"],
        personal_security=p["personal_security.yaml"],
        regime_collapse=p["regime_collapse.yaml"],
        confidence=p["confidence.yaml"],
        measures=p["measures.yaml"],
        profiles=p["profiles.yaml"],
        roads=p.get("roads.yaml", RoadSettings()),
    )
    pack.warnings = problems
    return pack
