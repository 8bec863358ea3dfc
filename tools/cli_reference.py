"""Write docs/cli.md, the command reference, from the commands' own `--help`.

The reference is generated, never written by hand, so it cannot drift from the CLI:
tests/test_docs.py regenerates it and fails when the committed file differs.

    python tools/cli_reference.py          # rewrite docs/cli.md
    python tools/cli_reference.py --check  # exit 1 when docs/cli.md is out of date
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import click

from advisory.cli import cli

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "docs" / "cli.md"
WIDTH = 100


def _commands(
    group: click.Group, ctx: click.Context, prefix: str
) -> list[tuple[str, click.Command, click.Context]]:
    out = []
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        if cmd is None:
            continue
        sub = click.Context(
            cmd, info_name=name, parent=ctx, terminal_width=WIDTH, max_content_width=WIDTH
        )
        out.append((f"{prefix} {name}", cmd, sub))
        if isinstance(cmd, click.Group):
            out += _commands(cmd, sub, f"{prefix} {name}")
    return out


def reference() -> str:
    # the group's own context settings (its -h/--help), as click applies them when it runs
    settings = {**cli.context_settings, "terminal_width": WIDTH, "max_content_width": WIDTH}
    root = click.Context(cli, info_name="advisory", **settings)
    parts = [
        "# Command reference",
        "",
        "Generated from each command's `--help` by `tools/cli_reference.py`; do not edit by hand",
        "(tests/test_docs.py fails when this file and the CLI differ).",
        "",
        "## advisory",
        "",
        "```",
        cli.get_help(root),
        "```",
    ]
    for title, cmd, ctx in _commands(cli, root, "advisory"):
        parts += ["", f"## {title}", "", "```", cmd.get_help(ctx), "```"]
    return "\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if docs/cli.md is out of date")
    args = ap.parse_args(argv)
    text = reference()
    if args.check:
        current = OUTPUT.read_text("utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT} is out of date: run python tools/cli_reference.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, "utf-8")
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
