"""Read government travel guidance (YAML lists of entries, the public contract in the README)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from ..errors import InputError, Problem
from ..rulepack.vocabulary import GUIDANCE_REASONS
from ..text import did_you_mean, fold
from ..validation import validation_problems, vocabulary
from ..yamlsafe import YamlProblems, line_for, load_yaml
from .sources import InputDigest, expand, sha256

Action = Literal["none", "authorized_departure", "ordered_departure", "leave_now", "embassy_closed"]
Reason = Literal[GUIDANCE_REASONS]  # type: ignore[valid-type]
# What an entry's `issued` date stands for. "issuer": the issuer's own issue date (the default).
# "in_force_by": the issuer's date is not known; the advice was in force by then (e.g. the date
# of a dated copy that quotes it). "placeholder": not known at all; a date the file's author
# chose so that the entry can be ordered and put in force. Either way `issued` still decides
# when the entry is in force and which entry replaces which; reports never print it as the
# issuer's date.
IssuedBasis = Literal["issuer", "in_force_by", "placeholder"]


class Area(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    radius_km: float = Field(gt=0)


class Scope(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    country: str = Field(pattern=r"^[A-Z]{2}$")
    admin1: list[str] | None = None
    areas: list[Area] | None = None


class GuidanceEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(min_length=1)
    issuer: str = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2")
    issued: date
    issued_basis: IssuedBasis = "issuer"
    expires: date | None = None
    level: int = Field(ge=1, le=4)
    action: Action
    scope: Scope | None = None
    reasons: list[Reason] = []
    source: str | None = None
    summary: str | None = None

    @field_validator("expires")
    @classmethod
    def _after_issued(cls, v: date | None, info: ValidationInfo) -> date | None:
        issued = info.data.get("issued")
        if v is not None and issued is not None and v <= issued:
            raise ValueError(f"'expires' must be after 'issued' ({issued})")
        return v

    @property
    def issued_known(self) -> bool:
        """Whether `issued` is the issuer's own issue date."""
        return self.issued_basis == "issuer"

    def stored_json(self) -> str:
        """The entry as JSON, without `issued_basis` when it is the default: the desk hashes
        this, and entries stored before the field existed must not read as changed."""
        exclude = {"issued_basis"} if self.issued_known else None
        return self.model_dump_json(exclude=exclude)

    def in_force(self, as_of: date) -> bool:
        return self.issued <= as_of and (self.expires is None or as_of < self.expires)


_VOCAB = vocabulary(GuidanceEntry, Scope, Area)


@dataclass(frozen=True)
class GuidanceRead:
    """Guidance as read from its files: the entries (sorted by issuer, issued date and id),
    each file's digest, and the file each entry came from (by entry id; ids are unique)."""

    entries: list[GuidanceEntry]
    digests: list[InputDigest]
    file_of: dict[str, str]


def read_guidance(
    paths: list[Path] | tuple[Path, ...],
) -> tuple[list[GuidanceEntry], list[InputDigest]]:
    """All entries from all files; every problem in every file is reported together."""
    read = read_guidance_files(paths)
    return read.entries, read.digests


def read_guidance_files(paths: list[Path] | tuple[Path, ...]) -> GuidanceRead:
    """`read_guidance`, also saying which file each entry came from (the desk records it)."""
    files = expand(paths, (".yaml", ".yml"), "guidance")
    entries: list[GuidanceEntry] = []
    digests: list[InputDigest] = []
    problems: list[Problem] = []
    first_seen: dict[str, str] = {}
    for f in files:
        name = str(f)
        try:
            data, lines = load_yaml(f, name)
        except YamlProblems as exc:
            problems.extend(exc.problems)
            continue
        if data is None:
            problems.append(Problem(name, "empty file: expected a YAML list of guidance entries"))
            continue
        if not isinstance(data, list):
            problems.append(
                Problem(name, "expected a YAML list of guidance entries (- id: ...)", 1)
            )
            continue
        count = 0
        for i, item in enumerate(data):
            try:
                entry = GuidanceEntry.model_validate(item)
            except ValidationError as exc:
                problems.extend(validation_problems(exc, name, data, lines, _VOCAB, (i,)))
                continue
            if entry.id in first_seen:
                problems.append(
                    Problem(
                        name,
                        f"duplicate guidance id (first in {first_seen[entry.id]})",
                        line_for(lines, (i, "id")),
                        "id",
                        entry.id,
                    )
                )
                continue
            first_seen[entry.id] = name
            entries.append(entry)
            count += 1
        digests.append(InputDigest("guidance", name, sha256(f.read_bytes()), count))
    if problems:
        raise InputError(problems)
    entries.sort(key=lambda e: (e.issuer, e.issued, e.id))
    return GuidanceRead(entries, digests, first_seen)


def check_scopes(entries: list[GuidanceEntry], known: dict[str, set[str]]) -> None:
    """Every admin1 a scope names must be one the places know for its country (`known`:
    country -> admin1 names): a misspelt region would otherwise match nothing while the
    bottom line says the guidance is in force. Countries are matched folded, as coverage
    matches them (places may write `ml` where guidance writes `ML`); countries with no known
    names are not checked."""
    names: dict[str, set[str]] = {}
    for country, admin1 in known.items():
        names.setdefault(fold(country), set()).update(admin1)
    folded = {country: {fold(n) for n in ns} for country, ns in names.items()}
    problems = []
    for e in entries:
        if e.scope is None or not e.scope.admin1:
            continue
        country = fold(e.scope.country)
        for a in e.scope.admin1:
            if names.get(country) and fold(a) not in folded[country]:
                hint = did_you_mean(a, names[country])
                msg = f"unknown admin1 {a!r} for {e.scope.country}{hint}"
                problems.append(Problem(e.id, msg, field="scope.admin1"))
    if problems:
        raise InputError(problems)
