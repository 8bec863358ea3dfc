"""The documentation cannot drift from the code: the command reference is generated from the
commands' own `--help`, and every command's help says what it does and ends with an example."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
from scripts import load_script

from advisory.cli import LAZY_COMMANDS, cli

TOOL = Path(__file__).resolve().parent.parent / "tools" / "cli_reference.py"


def _tool():
    return load_script(TOOL, "cli_reference")


def test_the_command_reference_is_the_commands_own_help() -> None:
    """Checked in a process of its own: click caches each command's help option from the first
    context that asks, so help asked for by earlier tests must not shape the reference."""
    result = subprocess.run(
        [sys.executable, str(TOOL), "--check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "## advisory assess" in _tool().OUTPUT.read_text("utf-8")


def test_every_command_has_help_and_an_example() -> None:
    ctx = click.Context(cli)
    for name in LAZY_COMMANDS:
        cmd = cli.get_command(ctx, name)
        assert cmd is not None and cmd.help, name
        commands = [cmd]
        if isinstance(cmd, click.Group):
            commands = [cmd.get_command(ctx, sub) for sub in cmd.list_commands(ctx)]
        for c in commands:
            assert c is not None and c.help, name
            assert "Example" in c.help, f"{name} {c.name}: its help should end with an example"
