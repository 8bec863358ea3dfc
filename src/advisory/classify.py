"""Classify ACLED events into the rule pack's signals, one vectorised pass per condition.

Each rule narrows the rows it looks at: exact-value conditions first (cheap), then each regular
expression only on the rows still in play, positive patterns before negative ones. Notes are
most of a file's bytes and some patterns are costly, so a pattern that only excludes rows (a
withdrawal "not by the army") runs on the few rows the positive pattern let through.

Patterns are case-insensitive. Rust's regex engine loses its literal search under `(?i)` (ten
times slower on notes), so notes are lower-cased once and a pattern whose lower-cased form means
the same is matched without the flag; any pattern using a construct where that is not certain
(Unicode classes, escapes by code point, POSIX classes, inline flags, letters that lower-case to
two) keeps `(?i)`. The two ways differ only on letters whose case folding is not their lower
case (the long s, the Kelvin sign, a final sigma), which ACLED's notes do not use.
"""

from __future__ import annotations

import re

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


LOWERED = "_notes_lower"
# constructs whose meaning lower-casing could change: Unicode classes, escapes by code point,
# POSIX classes and inline flags
_NOT_SIMPLE = re.compile(r"\\[pPxuU]|\[:|\(\?")


def lowered_pattern(pattern: str) -> str | None:
    """The pattern to run on lower-cased text in place of `(?i)pattern`, or None when the two
    might not match the same rows. Escapes (such as \\W, \\S, \\B) are kept as written."""
    if _NOT_SIMPLE.search(pattern):
        return None
    out, i = [], 0
    while i < len(pattern):
        if pattern[i] == "\\" and i + 1 < len(pattern):
            out.append(pattern[i : i + 2])
            i += 2
            continue
        low = pattern[i].lower()
        if len(low) != 1:
            return None
        out.append(low)
        i += 1
    return "".join(out)


class Values:
    """The distinct values of the exact-match columns, so matching that ignores case and
    stray spaces compares a handful of strings in Python instead of a million rows."""

    def __init__(self, frame: pl.DataFrame) -> None:
        self.distinct = {c: frame[c].unique().to_list() for c in LIST_FIELDS}

    def matching(self, column: str, wanted: list[str]) -> list[str]:
        low = {w.strip().lower() for w in wanted}
        return [v for v in self.distinct[column] if v is not None and v.strip().lower() in low]


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


NATIONALITY = r"\(([^()]*)\)\s*$"  # ACLED's "Civilians (Burkina Faso)": the last bracket


def nationality_is(which: str) -> pl.Expr:
    """actor2's nationality against the event's country (case and spaces ignored), so one
    rule pack tells foreign from national victims in every country of a regional export."""
    nat = pl.col("actor2").str.extract(NATIONALITY, 1).str.strip_chars().str.to_lowercase()
    country = pl.col("country").str.strip_chars().str.to_lowercase()
    known = (nat != "") & (country != "")
    same = nat == country
    return (known & (~same if which == "foreign" else same)).fill_null(False)


def _regex_parts(rule: ClassifyRule, lowered: bool) -> list[tuple[str, pl.Expr]]:
    """Regular expressions: case-insensitive, Rust `regex` syntax (no look-around)."""
    parts = []
    for key, (column, negate) in REGEX_FIELDS.items():
        pattern = getattr(rule.when, key)
        if pattern is None:
            continue
        low = lowered_pattern(pattern) if lowered and column == "notes" else None
        if low is not None:
            column, hit = LOWERED, pl.col(LOWERED).str.contains(low)
        else:
            hit = pl.col(column).str.contains("(?i)" + pattern)
        hit = hit.fill_null(False)
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
    for column, expr in _regex_parts(rule, LOWERED in frame.columns):
        rows = np.nonzero(mask)[0]
        if rows.size == 0:
            break
        if rows.size == frame.height:
            mask = frame.select(expr.fill_null(False)).to_series().to_numpy().copy()
        else:
            subset = frame.select(pl.col(column).gather(rows))
            mask[rows] = subset.select(expr.fill_null(False)).to_series().to_numpy()
    if rule.when.actor2_nationality is not None:  # last: it reads two columns per row
        rows = np.nonzero(mask)[0]
        subset = frame.select(pl.col("actor2", "country").gather(rows))
        is_wanted = nationality_is(rule.when.actor2_nationality)
        mask[rows] = subset.select(is_wanted).to_series().to_numpy()
    return mask


def _reads_notes(rule: ClassifyRule) -> bool:
    return bool(rule.when.notes_matches or rule.when.notes_not_matches)


def classify(frame: pl.DataFrame, rules: list[ClassifyRule], signals: list[str]) -> pl.DataFrame:
    """One boolean column per rule (`rule:<id>`) and per signal (the OR of its rules)."""
    values = Values(frame)
    if any(_reads_notes(r) for r in rules):  # lower-cased once for every pattern (see above)
        frame = frame.with_columns(pl.col("notes").str.to_lowercase().alias(LOWERED))
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
