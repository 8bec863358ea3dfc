"""The assessment as an Excel workbook: what officers file, filter and pass on.

One sheet per table of `tables.py` (bottom lines, places, roads, drivers, incidents, guidance,
measures, provenance): header row frozen, filters on, widths set, dates as real dates, levels
as words on fills that darken with the level (`style.py`), so the sheet prints in greyscale.

No formula can reach the file. Every text goes through `write_string` (never `write`, which
guesses types) with XlsxWriter's guessing switched off as well; a text that starts like a
formula (`=`, `+`, `-`, `@`, tab, carriage return: the rejects file's rule, OWASP's advice)
also gets Excel's quote prefix, so editing the cell later keeps it text. Incident notes and
place names come from outside and may be hostile.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from ... import __version__
from ...assessment.model import Assessment
from ...errors import InputError, Problem
from ...ingest.rejects import FORMULA_START
from .style import LEVEL_FILL, LEVEL_INK
from .tables import Column, Level, Table, workbook_tables
from .words import Vocabulary

MAX_CELL = 32_767  # Excel keeps at most this many characters in a cell
MAX_ROWS = 1_048_576  # and this many rows in a sheet, the header included
FORMULA_LIKE = re.compile(FORMULA_START)
NUMBER_FORMATS = {
    "int": "0", "number": "General", "percent": "0%", "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}  # fmt: skip
OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,  # belt and braces: only write_string is used for text
    "strings_to_numbers": False,
    "strings_to_urls": False,  # a guidance source is shown, never made a link
    "remove_timezone": True,
}


class Styles:
    """The workbook's cell formats, made once each (Excel caps the number of formats)."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        self._wb = wb
        self._made: dict[tuple[str, int, bool], Format] = {}
        self.header = wb.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#D9D9D9",
             "pattern": 1, "bottom": 2}
        )  # fmt: skip

    def get(self, kind: str, level: int = 0, quoted: bool = False) -> Format:
        key = (kind, level, quoted)
        if key not in self._made:
            props: dict[str, Any] = {"valign": "top"}
            if kind == "wrap":
                props["text_wrap"] = True
            if kind in NUMBER_FORMATS:
                props["num_format"] = NUMBER_FORMATS[kind]
            if level:
                props |= {"bg_color": LEVEL_FILL[level], "pattern": 1, "bold": level >= 4,
                          "font_color": LEVEL_INK[level], "border": 1,
                          "border_color": "#7F7F7F"}  # fmt: skip
            if quoted:
                props["quote_prefix"] = True
            self._made[key] = self._wb.add_format(props)
        return self._made[key]


def xlsx_bytes(a: Assessment, lang: str = "en", rules: Path | None = None) -> bytes:
    """The workbook, in memory. The same assessment gives the same bytes (the document's
    creation date is the as-of date, not the clock). `rules`: the rule pack folder whose
    catalogue translates the drivers' sentences (default: the shipped pack's)."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, OPTIONS)
    wb.set_properties({
        "title": Vocabulary(lang, a.level_names).title(a.as_of),
        "comments": f"advisory {__version__}; rule pack {a.provenance.rule_pack.name} "
                    f"{a.provenance.rule_pack.version}",
        "created": datetime(a.as_of.year, a.as_of.month, a.as_of.day),
    })  # fmt: skip
    styles = Styles(wb)
    for table in workbook_tables(a, lang, rules):
        _sheet(wb.add_worksheet(table.name), table, styles)
    wb.close()
    return buf.getvalue()


def _sheet(ws: Worksheet, table: Table, styles: Styles) -> None:
    if len(table.rows) + 1 > MAX_ROWS:  # XlsxWriter would drop the rest without a word
        raise InputError(Problem("--format xlsx", f"the {table.name} sheet would need "
                                 f"{len(table.rows) + 1:,} rows and Excel holds {MAX_ROWS:,}: "
                                 "export a smaller gazetteer, or use the JSON"))  # fmt: skip
    for c, col in enumerate(table.columns):
        ws.set_column(c, c, col.width)
        ws.write_string(0, c, col.head, styles.header)
    for r, row in enumerate(table.rows, start=1):
        for c, (value, col) in enumerate(zip(row, table.columns, strict=True)):
            write_cell(ws, r, c, value, col, styles)
    ws.freeze_panes(1, table.frozen_columns)
    ws.autofilter(0, 0, max(len(table.rows), 1), len(table.columns) - 1)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)  # as wide as one page, as long as it takes
    ws.repeat_rows(0)
    ws.hide_gridlines(0)  # gridlines on screen and on paper


def write_cell(ws: Worksheet, r: int, c: int, value: object, col: Column, styles: Styles) -> None:
    """One cell by the type of its value: text always as a string, never a formula."""
    if value is None:
        ws.write_blank(r, c, None, styles.get(col.kind))
    elif isinstance(value, Level):
        text = safe_text(value.word)
        ws.write_string(r, c, text, styles.get("level", value.n, quoted=is_formula_like(text)))
    elif isinstance(value, datetime | date):
        kind = "datetime" if isinstance(value, datetime) else "date"
        ws.write_datetime(r, c, value, styles.get(kind))
    elif isinstance(value, bool):
        raise TypeError("a yes/no cell must be written as a word")  # Vocabulary.yes_no
    elif isinstance(value, int | float):
        ws.write_number(r, c, value, styles.get(col.kind))
    else:
        text = safe_text(str(value))
        ws.write_string(r, c, text, styles.get(col.kind, quoted=is_formula_like(text)))


def is_formula_like(text: str) -> bool:
    return FORMULA_LIKE.match(text) is not None


def safe_text(text: str) -> str:
    """Within Excel's cell limit (a longer text is cut, and says so with an ellipsis)."""
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"
