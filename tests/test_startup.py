"""Start-up: a command imports only what it runs, so `advisory assess` and `--help` do not pay
for the desk's SQLite or the reports' Jinja2; the commands imported late look the same."""

from __future__ import annotations

import json
import subprocess
import sys

import click

from advisory.cli import LAZY_COMMANDS, cli

# Run in a fresh interpreter: in the test process other tests have imported everything already.
PROBE = r"""
import json, sys
from click.testing import CliRunner
from advisory.cli import cli

HEAVY = (
    "advisory.engine", "advisory.desk", "advisory.outputs.report", "polars", "jinja2", "sqlite3"
)
found = {}
for args in (["--help"], ["assess", "--help"], ["inti"]):
    result = CliRunner().invoke(cli, args)
    heavy = [m for m in sys.modules if any(m == h or m.startswith(h + ".") for h in HEAVY)]
    found[" ".join(args)] = {"exit": result.exit_code, "output": result.output, "heavy": heavy}
for name in cli.list_commands(None):  # every command imported: the listing without stand-ins
    cli.get_command(None, name)
found["eager --help"] = CliRunner().invoke(cli, ["--help"]).output
print(json.dumps(found))
"""


def _python(code: str, env: dict[str, str] | None = None) -> str:
    """What `code` prints, run in a fresh interpreter."""
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True,
        env=env,
    )  # fmt: skip
    return proc.stdout.strip()


def _probe() -> dict:
    return json.loads(_python(PROBE))


def test_help_imports_no_command_module_and_reads_the_same() -> None:
    found = _probe()
    for args in ("--help", "assess --help", "inti"):
        assert found[args]["heavy"] == [], args
    assert found["--help"]["exit"] == 0 and found["assess --help"]["exit"] == 0
    assert found["--help"]["output"] == found["eager --help"]
    for name in LAZY_COMMANDS:
        assert f"\n  {name} " in found["--help"]["output"]
    assert found["inti"]["exit"] == 2
    if hasattr(click.exceptions, "NoSuchCommand"):  # click >= 8.4 suggests close names
        assert "Did you mean 'init'?" in found["inti"]["output"]  # even if not imported yet


def test_lazy_commands_list_their_own_help_line() -> None:
    """The recorded line is the command's own: `--help` truncates both alike at any width."""
    for name, (_, help_line) in LAZY_COMMANDS.items():
        real = cli.get_command(click.Context(cli), name)
        assert real is not None and real.name == name
        stand_in = click.Command(name, help=help_line)
        for limit in range(10, 120):
            assert stand_in.get_short_help_str(limit) == real.get_short_help_str(limit), name
