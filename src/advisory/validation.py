"""Turn pydantic validation errors into located, readable problems."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import Problem
from .text import did_you_mean
from .yamlsafe import LineMap, line_for

# pydantic inserts union-branch and validator names into error locations; people never wrote them
_NOISE = {
    "float",
    "int",
    "str",
    "ScaledPoints",
    "Plural",
    "function-after",
    "list[str]",
    "list[float]",
}


def vocabulary(*models: type[BaseModel]) -> set[str]:
    words: set[str] = set()
    for model in models:
        words.update(model.model_fields)
    return words


def _rule_id(data: Any, loc: tuple[Any, ...]) -> str | None:
    node, found = data, None
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            found = node["id"]
    return found


def validation_problems(
    exc: ValidationError,
    name: str,
    data: Any,
    lines: LineMap,
    vocab: set[str],
    prefix: tuple[Any, ...] = (),
) -> list[Problem]:
    out = []
    for err in exc.errors():
        loc = prefix + tuple(p for p in err["loc"] if p not in _NOISE and "[" not in str(p))
        field_name = ".".join(str(p) for p in loc) or None
        if err["type"] == "extra_forbidden":
            key = str(loc[-1])
            msg = f"unknown key {key!r}{did_you_mean(key, vocab)}"
        elif err["type"] == "missing":
            msg = "required key is missing"
        else:
            got = err.get("input")
            shown = "" if isinstance(got, dict | list) else f" (got {got!r})"
            msg = f"{err['msg']}{shown}"
        out.append(Problem(name, msg, line_for(lines, loc), field_name, _rule_id(data, loc)))
    return out
