"""Start-up: a command imports only what it runs, so `advisory assess` and `--help` do not pay
for the desk's SQLite or the reports' Jinja2; the commands imported late look the same."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys

import click

from advisory.cli import LAZY_COMMANDS, cli
from advisory.memory import ALLOCATOR_CONF, ALLOCATOR_ENV, HUGEPAGE_ENV

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


ALLOCATOR_PROBE = r"""
import os, sys
import advisory.cli as c
from advisory.memory import ALLOCATOR_ENV
c.cli = lambda **kwargs: None  # only what main() does before the command runs
c.main()
import polars  # noqa: F401  (polars adds its own settings in front of the environment's)
print(os.environ[ALLOCATOR_ENV])
"""


def _allocator_setting(preset: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != ALLOCATOR_ENV}
    if preset is not None:
        env[ALLOCATOR_ENV] = preset
    return _python(ALLOCATOR_PROBE, env)


def test_main_keeps_freed_memory_a_little_longer_unless_the_user_says_otherwise() -> None:
    # polars reads the setting when it is first imported; the last value given wins
    assert _allocator_setting(None).endswith("," + ALLOCATOR_CONF)
    assert _allocator_setting("dirty_decay_ms:700").endswith(",dirty_decay_ms:700")


HUGEPAGE_PROBE = r"""
import advisory.cli as c
c.cli = lambda **kwargs: None  # only what main() does before the command runs
c.main()
import numpy
core = getattr(numpy, "_core", None) or numpy.core  # NumPy 2 / 1.26
print(core.multiarray._get_madvise_hugepage())
"""


def test_main_keeps_numpy_off_huge_pages_unless_the_user_says_otherwise() -> None:
    env = {k: v for k, v in os.environ.items() if k != HUGEPAGE_ENV}
    assert _python(HUGEPAGE_PROBE, env) == "False"
    assert _python(HUGEPAGE_PROBE, {**env, HUGEPAGE_ENV: "1"}) == "True"


def test_glibc_takes_the_batch_thresholds() -> None:
    """mallopt refuses values out of its range (it returns 0): a 64-bit glibc (CI's Debian,
    this project's machines) takes these; elsewhere nothing is set and nothing fails. Run in a
    fresh interpreter, so the test process keeps its own allocator."""
    took = _python("from advisory.memory import tune_for_batch; print(tune_for_batch())")
    glibc_64 = platform.libc_ver()[0] == "glibc" and sys.maxsize > 2**32
    assert took == str(glibc_64)


def test_the_reader_starts_without_numpy() -> None:
    """The command line imports the reader to start the parse before anything else: NumPy
    (0.04 s) is left to the engine's import, which runs beside the parse."""
    probe = "import sys, advisory.ingest.acled; print('numpy' in sys.modules)"
    assert _python(probe) == "False"
