"""`advisory render --format xlsx|brief|geojson|kml`: what officers pass on.

Kept apart from the report's formats in `cli/report.py`, which only lists these formats,
adds `export_options` and hands the run's assessment to `write_export`. Every writer reads the
Assessment alone (`advisory.outputs.exports`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..assessment.model import Assessment
from ..errors import InputError, Problem
from .kit import write_output

BINARY = ("xlsx",)  # never written to a terminal
EXPORT_FORMATS = ("xlsx", "brief", "geojson", "kml")
HELP = (  # the formats' part of `render --format`'s help
    "xlsx (Excel workbook: bottom lines, places, roads, drivers, incidents, guidance, measures, "
    "provenance), brief (plain text for a WhatsApp or Signal message), geojson and kml (rated "
    "places and roads for QGIS and Google Earth)"
)


def _places_list(ctx: click.Context, param: click.Parameter, value: str | None) -> list[str] | None:
    if value is None:
        return None
    names = [v.strip() for v in value.split(",") if v.strip()]
    if not names:
        raise click.BadParameter("give place or road ids or names, separated by commas")
    return names


def export_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The brief's options (the other exports need only --out and --lang)."""
    from ..outputs.exports.brief import DEFAULT_MAX_CHARS, MIN_CHARS

    f = click.option(
        "--max-chars", type=click.IntRange(min=MIN_CHARS), default=DEFAULT_MAX_CHARS,
        show_default=True, metavar="N", help="brief: the longest message, in characters.",
    )(f)  # fmt: skip
    return click.option(
        "--brief-places", callback=_places_list, metavar="ID,ID,...",
        help="brief: the places or roads to list (ids or names, accents and case ignored). "
        "Default: the capital and the roads out of it.",
    )(f)  # fmt: skip


def check_export(fmt: str, out: Path | None, brief_places: list[str] | None) -> None:
    """Usage errors before the run, not after it."""
    if fmt in BINARY and out is None:
        raise click.UsageError(f"--format {fmt} needs --out FILE.{fmt} (not written to a terminal)")
    if brief_places is not None and fmt != "brief":
        raise click.UsageError("--brief-places applies to --format brief")


def write_export(
    a: Assessment,
    fmt: str,
    out: Path | None,
    lang: str,
    *,
    previous: dict[str, Any] | None,
    previous_path: Path | None,
    brief_places: list[str] | None,
    max_chars: int,
    rules: Path | None = None,
) -> None:
    """Write `fmt` to `out` (or stdout for the text formats); `rules` is the pack whose
    catalogue translates the drivers' sentences."""
    from ..outputs.exports.brief import UnknownPlace, brief_text
    from ..outputs.exports.kml import kml_bytes
    from ..outputs.exports.layers import geojson_text
    from ..outputs.exports.xlsx import xlsx_bytes
    from ..outputs.report.changes import PreviousError

    writers: dict[str, Callable[[], bytes | str]] = {
        "xlsx": lambda: xlsx_bytes(a, lang, rules),
        "geojson": lambda: geojson_text(a, lang),
        "kml": lambda: kml_bytes(a, lang),
        "brief": lambda: brief_text(a, lang, brief_places, max_chars, previous) + "\n",
    }
    try:
        data = writers[fmt]()
    except UnknownPlace as exc:
        raise click.BadParameter(str(exc), param_hint="--brief-places") from None
    except PreviousError as exc:
        raise InputError(Problem(str(previous_path), str(exc))) from None
    if out is None:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        click.echo(text, nl=False)
        return
    write_output(out, data)
