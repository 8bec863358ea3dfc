"""Classify ACLED events into the rule pack's signals, one vectorised pass per condition.

Each rule narrows the rows it looks at: exact-value conditions first (cheap), then each regular
expression only on the rows still in play, positive patterns before negative ones. Notes are
most of a file's bytes and some patterns are costly, so a pattern that only excludes rows (a
withdrawal "not by the army") runs on the few rows the positive pattern let through.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from .rulepack.model import ClassifyRule

LIST_FIELDS = ("event_type", "sub_event_type", "disorder_type", "inter1", "inter2")
# condition -> (column, negated); positive patterns are listed (and so run) first
REGEX_FIELDS = {
    "notes_matches": ("notes", False),
    "actor1_matches": ("actor1", False),
    "actor2_matches": ("actor2", False),
    "assoc_actor_2_matches": ("assoc_actor_2", False),
    "location_matches": ("location", False),
    "notes_not_matches": ("notes", True),
    "actor1_not_matches": ("actor1", True),
    "actor2_not_matches": ("actor2", True),
}


class Values:
    """The distinct values of the exact-match columns, so case-insensitive matching compares
    a handful of strings in Python instead of lower-casing a million rows."""

    def __init__(self, frame: pl.DataFrame) -> None:
        self.distinct = {c: frame[c].unique().to_list() for c in LIST_FIELDS}

    def matching(self, column: str, wanted: list[str]) -> list[str]:
        low = {w.lower() for w in wanted}
        return [v for v in self.distinct[column] if v is not None and v.lower() in low]


def _cheap_parts(rule: ClassifyRule, values: Values) -> list[pl.Expr]:
    """Exact-value conditions (lists are any-of, case-insensitive) and numeric thresholds."""
    w = rule.when
    parts: list[pl.Expr] = []
    for name in LIST_FIELDS:
        wanted = getattr(w, name)
        if wanted is not None:
            parts.append(pl.col(name).is_in(values.matching(name, wanted)))
    if w.min_fatalities is not None:
        parts.append(pl.col("fatalities") >= w.min_fatalities)
    return parts


def _regex_parts(rule: ClassifyRule) -> list[tuple[str, pl.Expr]]:
    """Regular expressions: case-insensitive, Rust `regex` syntax (no look-around)."""
    parts = []
    for key, (column, negate) in REGEX_FIELDS.items():
        pattern = getattr(rule.when, key)
        if pattern is not None:
            hit = pl.col(column).str.contains("(?i)" + pattern).fill_null(False)
            parts.append((column, ~hit if negate else hit))
    return parts


def _all(parts: list[pl.Expr]) -> pl.Expr:
    expr = parts[0]
    for p in parts[1:]:
        expr = expr & p
    return expr.fill_null(False)


def rule_mask(frame: pl.DataFrame, rule: ClassifyRule, values: Values | None = None) -> np.ndarray:
    """Rows matching one rule, narrowing the rows in play condition by condition."""
    cheap = _cheap_parts(rule, values or Values(frame))
    if cheap:
        mask = frame.select(_all(cheap)).to_series().to_numpy().copy()
    else:
        mask = np.ones(frame.height, dtype=bool)
    for column, expr in _regex_parts(rule):
        rows = np.nonzero(mask)[0]
        if rows.size == 0:
            break
        if rows.size == frame.height:
            mask = frame.select(expr.fill_null(False)).to_series().to_numpy().copy()
        else:
            subset = frame.select(pl.col(column).gather(rows))
            mask[rows] = subset.select(expr.fill_null(False)).to_series().to_numpy()
    return mask


def classify(frame: pl.DataFrame, rules: list[ClassifyRule], signals: list[str]) -> pl.DataFrame:
    """One boolean column per rule (`rule:<id>`) and per signal (the OR of its rules)."""
    values = Values(frame)
    by_rule = {r.id: rule_mask(frame, r, values) for r in rules}
    out: dict[str, np.ndarray] = {}
    for sig in signals:
        hit = np.zeros(frame.height, dtype=bool)
        for r in rules:
            if r.signal == sig:
                hit |= by_rule[r.id]
        out[sig] = hit
    out.update({f"rule:{rid}": m for rid, m in by_rule.items()})
    return pl.DataFrame(out, schema={k: pl.Boolean for k in out})


def signals_of(table: pl.DataFrame, row: int, signals: list[str]) -> list[str]:
    return [s for s in signals if table[s][row]]
