"""Run a rule pack's own test cases (`rules/tests/*.yaml`), like `opa test`.

A case gives incidents (ACLED columns), optional places and guidance, an as-of date, and the
levels or signals it expects. A pack with no cases fails: a test run that tested nothing is not
a pass. Cases run through the engine itself (`assess`), with stale data allowed: a case is
about the rules, not about how fresh its few rows are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .engine import assess
from .errors import Problem, RulePackError
from .ingest.acled import records_frame
from .ingest.guidance import GuidanceEntry
from .ingest.places import Gazetteer, Kind, Place
from .ingest.sources import InputDigest
from .rulepack import RulePack
from .scoring.rules import OP_WORDS, OPS
from .validation import validation_problems, vocabulary
from .yamlsafe import YamlProblems, load_yaml

EXPECT = re.compile(r"^\s*(>=|<=|==|>|<)?\s*(\d*\.?\d+)\s*$")
BY_WORD = {word: op for op, word in OP_WORDS.items()}  # ">=" -> "gte", as the rules write it


class CasePlace(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    name: str
    kind: Kind
    lat: float | None = None
    lon: float | None = None
    line: list[tuple[float, float]] | None = None
    population: int | None = None
    admin1: str | None = None
    country: str | None = None


class LocationExpect(BaseModel):
    model_config = ConfigDict(extra="forbid")
    personal_security: int | str | None = None
    ambush: int | str | None = None
    kidnapping: int | str | None = None
    ambush_likelihood: float | str | None = None  # likelihood_30d, e.g. ">= 0.2"
    kidnapping_likelihood: float | str | None = None
    regime_collapse: int | str | None = None
    control_status: str | None = None


class NationalExpect(BaseModel):
    model_config = ConfigDict(extra="forbid")
    regime_collapse: int | str | None = None


class Expect(BaseModel):
    model_config = ConfigDict(extra="forbid")
    signals: dict[str, list[str]] = {}
    locations: dict[str, LocationExpect] = {}
    national: NationalExpect | None = None


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    as_of: date
    places: list[CasePlace] | None = None
    incidents: list[dict[str, Any]] = []
    guidance: list[GuidanceEntry] = []
    expect: Expect = Field(default_factory=Expect)


class CaseFile(BaseModel):
    """`places` at the top applies to every case that gives none of its own."""

    model_config = ConfigDict(extra="forbid")
    places: list[CasePlace] | None = None
    cases: list[Case]


@dataclass
class CaseResult:
    file: str
    name: str
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


def _check(expected: float | str, actual: float | None, what: str) -> str | None:
    m = EXPECT.match(str(expected))
    if not m:
        return f"{what}: bad expectation {expected!r} (use 3, '>= 3', '< 0.05' ...)"
    op, value = m.group(1) or "==", float(m.group(2))
    ok = actual is not None and bool(OPS[BY_WORD[op]](actual, value))
    return None if ok else f"{what}: expected {op} {value}, got {actual}"


def _gazetteer(places: list[CasePlace], name: str) -> Gazetteer:
    out = []
    for p in places:
        coords = tuple(p.line) if p.line else ((p.lat, p.lon),)
        out.append(
            Place.model_validate({**p.model_dump(exclude={"lat", "lon", "line"}), "coords": coords})
        )
    out.sort(key=lambda p: p.id)
    return Gazetteer(out, InputDigest("places", name, "inline", len(out)))


def load_cases(pack: RulePack) -> list[tuple[str, Case]]:
    problems: list[Problem] = []
    cases: list[tuple[str, Case]] = []
    vocab = vocabulary(Case, CasePlace, Expect, LocationExpect, NationalExpect, CaseFile)
    for f in sorted(pack.tests_dir.glob("*.y*ml")) if pack.tests_dir.is_dir() else []:
        try:
            data, lines = load_yaml(f, str(f))
            parsed = CaseFile.model_validate(data)
        except YamlProblems as exc:
            problems.extend(exc.problems)
            continue
        except ValidationError as exc:
            problems.extend(validation_problems(exc, str(f), data, lines, vocab))
            continue
        for c in parsed.cases:
            if c.places is None and parsed.places is not None:
                c = c.model_copy(update={"places": parsed.places})
            cases.append((str(f), c))
    if problems:
        raise RulePackError(problems)
    return cases


def run_case(pack: RulePack, file: str, case: Case) -> CaseResult:
    result = CaseResult(file, case.name)
    gaz = _gazetteer(case.places, f"{file}#{case.name}") if case.places else None
    run = assess(
        incident_frame=records_frame(case.incidents, f"{file}#{case.name}"),
        guidance_entries=list(case.guidance),
        gazetteer=gaz,
        pack=pack,
        as_of=case.as_of,
        generated_at="test",
        allow_stale=True,
    )
    frame, signals = run.incidents.frame, run.scores.signals
    names = list(pack.classify.signals)
    ids = frame["event_id"].to_list()
    for eid, want in case.expect.signals.items():
        if eid not in ids:
            why = "event not in the assessed data"
            if run.incidents.before_window:
                why += (
                    f" (rows dated before {run.incidents.window_start}, the start of the rule"
                    " pack's look-back, are not classified)"
                )
            result.failures.append(f"signals of {eid}: {why}")
            continue
        row = ids.index(eid)
        got = sorted(s for s in names if signals[s][row])
        if sorted(want) != got:
            result.failures.append(f"signals of {eid}: expected {sorted(want)}, got {got}")
    by_id = {loc.id: loc for loc in run.assessment.locations}
    for lid, exp in case.expect.locations.items():
        loc = by_id.get(lid)
        if loc is None:
            result.failures.append(f"location {lid!r} is not in the gazetteer")
            continue
        ps = loc.personal_security
        checks: dict[str, float | None] = {
            "personal_security": ps.level,
            "regime_collapse": loc.regime_collapse.level,
        }
        for h in ("ambush", "kidnapping"):
            hz = ps.hazards.get(h)
            checks[h] = hz.level if hz else None
            checks[f"{h}_likelihood"] = hz.likelihood_30d if hz else None
        for key, actual in checks.items():
            want = getattr(exp, key)
            if want is not None and (msg := _check(want, actual, f"{lid} {key}")):
                result.failures.append(msg)
        if exp.control_status and exp.control_status != loc.regime_collapse.control_status:
            result.failures.append(
                f"{lid} control_status: expected {exp.control_status}, "
                f"got {loc.regime_collapse.control_status}"
            )
    if case.expect.national and case.expect.national.regime_collapse is not None:
        actual = run.assessment.national.regime_collapse.level
        if msg := _check(case.expect.national.regime_collapse, actual, "national regime_collapse"):
            result.failures.append(msg)
    return result


def run_pack_tests(pack: RulePack) -> list[CaseResult]:
    return [run_case(pack, f, c) for f, c in load_cases(pack)]


__all__ = ["Case", "CaseResult", "load_cases", "run_case", "run_pack_tests"]
