"""YAML loading for rule packs and guidance that keeps line numbers and refuses tricks.

PyYAML's safe loader already refuses Python object tags; on top of that we reject duplicate keys
(the second silently wins otherwise), anchors/aliases (billion-laughs expansion, and hidden
sharing between rules) and any tag outside the YAML core schema. Each value's line is recorded by
its path so that validation errors can point at the line a person has to fix.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

LineMap = dict[tuple[Any, ...], int]

# libyaml's parser when PyYAML was built with it (its wheels are): the same nodes and marks,
# several times faster than the pure-Python one (the shipped pack: 0.04 s of a start-up)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_CORE_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}


class YamlProblems(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(map(str, problems)))


def load_yaml(path: Path, display: str | None = None) -> tuple[Any, LineMap]:
    """Load one YAML document safely; return the data and a path -> line map (1-based)."""
    name = display or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise YamlProblems([Problem(name, f"cannot read file: {exc.strerror}")]) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlProblems(
            [
                Problem(
                    name, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8", line
                )
            ]
        ) from exc
    return loads_yaml(text, name)


def loads_yaml(text: str, name: str) -> tuple[Any, LineMap]:
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except RecursionError:
        raise YamlProblems([Problem(name, "malformed YAML: nested too deeply")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise YamlProblems([Problem(name, f"malformed YAML: {problem}", line)]) from exc
    if node is None:
        return None, {}
    lines: LineMap = {}
    problems: list[Problem] = []
    constructor = yaml.constructor.SafeConstructor()
    try:
        data = _walk(node, (), lines, problems, constructor, name, set())
    except RecursionError:
        raise YamlProblems([Problem(name, "malformed YAML: nested too deeply")]) from None
    if problems:
        raise YamlProblems(problems)
    return data, lines


def _walk(node, path, lines, problems, constructor, name, seen):
    line = node.start_mark.line + 1
    lines[path] = line
    if id(node) in seen:  # compose() hands back the same node object for every alias
        problems.append(Problem(name, "anchors and aliases (&, *) are not allowed", line))
        return None
    seen.add(id(node))
    if node.tag not in _CORE_TAGS:
        problems.append(Problem(name, f"tag {node.tag!r} is not allowed", line))
        return None
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        first_line: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge" or key_node.value == "<<":
                problems.append(
                    Problem(name, "merge keys (<<) are not allowed", key_node.start_mark.line + 1)
                )
                continue
            key = _walk(key_node, (*path, "<key>"), {}, problems, constructor, name, seen)
            if isinstance(key, (dict, list)):
                problems.append(Problem(name, "mapping keys must be plain scalars", line))
                continue
            key_line = key_node.start_mark.line + 1
            if key in out:
                problems.append(
                    Problem(
                        name,
                        f"duplicate key {key!r} (first at line {first_line[key]})",
                        key_line,
                        field=str(key),
                    )
                )
                continue
            first_line[key] = key_line
            if id(value_node) in seen:
                problems.append(
                    Problem(name, "anchors and aliases (&, *) are not allowed", key_line, str(key))
                )
                continue
            out[key] = _walk(value_node, (*path, key), lines, problems, constructor, name, seen)
            lines[(*path, key)] = key_line
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _walk(item, (*path, i), lines, problems, constructor, name, seen)
            for i, item in enumerate(node.value)
        ]
    try:
        return constructor.construct_object(node, deep=True)
    except (ValueError, OverflowError) as exc:  # 2025-13-01 parses as a timestamp, then fails
        problems.append(Problem(name, f"bad value {node.value!r}: {exc}", line))
        return None


def line_for(lines: LineMap, loc: tuple[Any, ...]) -> int | None:
    """The line of the deepest known prefix of a validation error location."""
    loc = tuple(loc)
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return lines.get(())
