"""Classify ACLED events into the rule pack's signals, one vectorised pass per rule."""

from __future__ import annotations

import polars as pl

from .rulepack.model import ClassifyRule

LIST_FIELDS = ("event_type", "sub_event_type", "disorder_type", "inter1", "inter2")
REGEX_FIELDS = {
    "notes_matches": ("notes", False),
    "notes_not_matches": ("notes", True),
    "actor1_matches": ("actor1", False),
    "actor1_not_matches": ("actor1", True),
    "actor2_matches": ("actor2", False),
    "actor2_not_matches": ("actor2", True),
    "assoc_actor_2_matches": ("assoc_actor_2", False),
    "location_matches": ("location", False),
}


def rule_expr(rule: ClassifyRule) -> pl.Expr:
    """All conditions of one rule as a boolean expression (lists: any of, case-insensitive;
    regular expressions: case-insensitive, Rust `regex` syntax, no look-around)."""
    w = rule.when
    parts: list[pl.Expr] = []
    for name in LIST_FIELDS:
        values = getattr(w, name)
        if values is not None:
            parts.append(pl.col(name).str.to_lowercase().is_in([v.lower() for v in values]))
    for key, (column, negate) in REGEX_FIELDS.items():
        pattern = getattr(w, key)
        if pattern is not None:
            hit = pl.col(column).str.contains("(?i)" + pattern)
            parts.append(~hit if negate else hit)
    if w.min_fatalities is not None:
        parts.append(pl.col("fatalities") >= w.min_fatalities)
    expr = parts[0]
    for p in parts[1:]:
        expr = expr & p
    return expr.fill_null(False)


def classify(frame: pl.DataFrame, rules: list[ClassifyRule], signals: list[str]) -> pl.DataFrame:
    """One boolean column per rule (`rule:<id>`) and per signal (the OR of its rules)."""
    rule_cols = frame.select([rule_expr(r).alias(f"rule:{r.id}") for r in rules]) if rules else None
    out = {}
    for s in signals:
        cols = [f"rule:{r.id}" for r in rules if r.signal == s]
        if cols and rule_cols is not None:
            out[s] = rule_cols.select(pl.any_horizontal(cols)).to_series()
        else:
            out[s] = pl.Series(s, [False] * frame.height, dtype=pl.Boolean)
    sig = pl.DataFrame({s: out[s] for s in signals}) if signals else pl.DataFrame()
    return pl.concat([sig, rule_cols], how="horizontal") if rule_cols is not None else sig


def signals_of(table: pl.DataFrame, row: int, signals: list[str]) -> list[str]:
    return [s for s in signals if table[s][row]]
