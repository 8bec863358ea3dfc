"""What the loader got from each file of a rule pack, as the cross-file checks (`checks`) read
it: raw data and line maps to place a problem, typed objects where a file validated, and the
rules that validate one by one where it did not.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import Problem
from ..yamlsafe import LineMap, line_for

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
