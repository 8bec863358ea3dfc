"""Classify ACLED events into the rule pack's signals, one vectorised pass per rule."""

from __future__ import annotations

import numpy as np
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


def _cheap_parts(rule: ClassifyRule) -> list[pl.Expr]:
    """Exact-value conditions (lists are any-of, case-insensitive) and numeric thresholds."""
    w = rule.when
    parts: list[pl.Expr] = []
    for name in LIST_FIELDS:
        values = getattr(w, name)
        if values is not None:
            parts.append(pl.col(f"_lc_{name}").is_in([v.lower() for v in values]))
    if w.min_fatalities is not None:
        parts.append(pl.col("fatalities") >= w.min_fatalities)
    return parts


def _regex_parts(rule: ClassifyRule) -> list[pl.Expr]:
    """Regular expressions: case-insensitive, Rust `regex` syntax (no look-around)."""
    parts = []
    for key, (column, negate) in REGEX_FIELDS.items():
        pattern = getattr(rule.when, key)
        if pattern is not None:
            hit = pl.col(column).str.contains("(?i)" + pattern).fill_null(False)
            parts.append(~hit if negate else hit)
    return parts


def _all(parts: list[pl.Expr]) -> pl.Expr:
    expr = parts[0]
    for p in parts[1:]:
        expr = expr & p
    return expr.fill_null(False)


def rule_mask(frame: pl.DataFrame, rule: ClassifyRule) -> np.ndarray:
    """Rows matching one rule. The cheap exact-value conditions run first; the regular
    expressions then run only on the rows still in play (notes are the widest column)."""
    cheap, regex = _cheap_parts(rule), _regex_parts(rule)
    if cheap:
        mask = frame.select(_all(cheap)).to_series().to_numpy().copy()
    else:
        mask = np.ones(frame.height, dtype=bool)
    if regex:
        rows = np.nonzero(mask)[0]
        if rows.size:
            cols = sorted({REGEX_FIELDS[k][0] for k in REGEX_FIELDS if getattr(rule.when, k)})
            hits = frame.select(cols)[rows].select(_all(regex)).to_series().to_numpy()
            mask[rows] = hits
    return mask


def classify(frame: pl.DataFrame, rules: list[ClassifyRule], signals: list[str]) -> pl.DataFrame:
    """One boolean column per rule (`rule:<id>`) and per signal (the OR of its rules)."""
    lowered = frame.with_columns(
        pl.col(name).str.to_lowercase().alias(f"_lc_{name}") for name in LIST_FIELDS
    )
    by_rule = {r.id: rule_mask(lowered, r) for r in rules}
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
