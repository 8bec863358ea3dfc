"""Option helpers shared by every command group (sqlite-utils style: one decorator per option
family, the same wording everywhere)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import click


def parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    """click callback: YYYY-MM-DD or a usage error naming what was given."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected YYYY-MM-DD, got {value!r}") from None


def format_option(
    *extra: str, help_extra: str = ""
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The shared --format option; commands may offer more formats than table and json."""
    return click.option(
        "--format",
        "-f",
        "fmt",
        type=click.Choice(["table", "json", *extra]),
        default="table",
        show_default=True,
        help="table for people, json (stable keys) for programs" + help_extra + ".",
    )
