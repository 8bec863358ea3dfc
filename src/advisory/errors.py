"""Errors that reach users.

Every message names where the problem is (file, row or line, field) and what was expected,
because the people reading it fix inputs, not code.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One located problem in an input file or rule pack."""

    file: str
    message: str
    line: int | None = None
    field: str | None = None
    rule_id: str | None = None
    severity: str = "error"

    def __str__(self) -> str:
        if not self.file:
            return self.message
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        parts = [where]
        if self.rule_id:
            parts.append(f"rule {self.rule_id}")
        if self.field:
            parts.append(f"field {self.field}")
        return f"{': '.join(parts)}: {self.message}"


class AdvisoryError(Exception):
    """Bad input or usage: the CLI prints it on stderr and exits 2."""

    exit_code = 2


class InputError(AdvisoryError):
    """One or more problems in user-supplied files."""

    def __init__(self, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(file="", message=problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class RulePackError(InputError):
    """The rule pack is invalid; carries every problem found in one pass."""
