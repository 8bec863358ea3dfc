"""The rejects file: every row the engine could not use, with where it was and why.

Officers open it in Excel, so no field may start a formula (OWASP's CSV injection advice: a
field starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`; plain
numbers such as a longitude of -8.0 are left as they are). A padded or hostile file can reject
millions of rows: the file keeps the first `MAX_REJECT_ROWS` and says how many more there were.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from ..text import plural

MAX_REJECT_ROWS = 10_000
FORMULA_START = r"^[=+\-@\t\r]"
PLAIN_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"


def neutralise(frame: pl.DataFrame) -> pl.DataFrame:
    """String columns with any formula-like field prefixed by `'` (numbers left alone)."""
    fixes = []
    for name, dtype in frame.schema.items():
        if dtype == pl.String:
            col = pl.col(name)
            risky = col.str.contains(FORMULA_START) & ~col.str.contains(PLAIN_NUMBER)
            fixes.append(pl.when(risky.fill_null(False)).then("'" + col).otherwise(col).alias(name))
    return frame.with_columns(fixes) if fixes else frame


def write_rejects(rejects: pl.DataFrame, path: Path) -> int:
    """Write the rejected rows (sorted by file and row), at most `MAX_REJECT_ROWS` of them,
    then a last row saying how many more were left out. Returns the rows written."""
    ordered = neutralise(rejects.sort(["_file", "_row"]).head(MAX_REJECT_ROWS))
    more = rejects.height - ordered.height
    if more:
        note = {c: None for c in ordered.columns} | {
            "_reason": f"... and {more} more rejected {plural(more, 'row', 'rows')} not written "
            f"(first {MAX_REJECT_ROWS} kept)"
        }
        ordered = pl.concat([ordered, pl.DataFrame([note], schema=ordered.schema)])
    ordered.write_csv(path)
    return ordered.height


Check = tuple[pl.Expr, str, str]  # (condition that rejects a row, field, reason)


def first_failing(checks: list[Check]) -> tuple[pl.Expr, pl.Expr]:
    """The field and the reason of each row's first failing check (null where none fails): a
    rejected row names one problem, the first in the order the checks are listed."""
    field_expr, reason_expr = pl.lit(None, pl.String), pl.lit(None, pl.String)
    for cond, name, why in reversed(checks):
        field_expr = pl.when(cond.fill_null(True)).then(pl.lit(name)).otherwise(field_expr)
        reason_expr = pl.when(cond.fill_null(True)).then(pl.lit(why)).otherwise(reason_expr)
    return field_expr, reason_expr
