"""What every command shares (sqlite-utils style: one decorator per option family, the same
wording everywhere): errors turned into messages and exit codes, the input options, the run
of an assessment with its rejects file.

Exit codes: 0 success, 1 a failed operation (a refused trip, failing rule-pack tests, an
internal error), 2 usage or input errors, 141 (quietly) when stdout's reader closed the pipe
(`| head`). Errors go to stderr as `Error: ...`; never a
traceback, unless `--debug` (or ADVISORY_DEBUG=1) asks for one.
"""

from __future__ import annotations

import importlib
import io
import os
import sys
from collections.abc import Callable, Mapping
from contextlib import suppress
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from ..errors import AdvisoryError, InputError, Problem
from ..files import write_atomic
from ..objects import thawed_after

if TYPE_CHECKING:
    from ..engine import Run
    from ..ingest.incidents import Incidents

DEBUG_ENV = "ADVISORY_DEBUG"


class InputFailure(click.ClickException):
    exit_code = 2


class InternalFailure(click.ClickException):
    exit_code = 1


def debugging(ctx: click.Context | None = None) -> bool:
    root = ctx.find_root() if ctx is not None else None
    flag = bool(root is not None and (root.obj or {}).get("debug"))
    return flag or os.environ.get(DEBUG_ENV, "") not in ("", "0")


class AdvisoryGroup(click.Group):
    """Turns library errors into click errors so users see a message, never a traceback.

    `lazy` names commands that live in other modules as {name: ("module:attribute", first
    paragraph of its help)}: a module is imported only when its command runs, so `assess`
    does not pay for the desk's or the reports' imports (SQLite, Jinja2, ...) at start-up.
    """

    def __init__(
        self, *args: Any, lazy: Mapping[str, tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self.commands.keys() | self.lazy.keys())

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            module, _, attribute = self.lazy[cmd_name][0].partition(":")
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as exc:
            name = getattr(exc, "command_name", None)  # a NoSuchCommand (click >= 8.4)
            if name is None:
                raise
            # its "Did you mean ...?" among all the commands, not only the ones imported so far
            known = self.list_commands(ctx)
            raise click.exceptions.NoSuchCommand(name, possibilities=known, ctx=ctx) from None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """click's listing, with a stand-in carrying the help of each command not yet imported:
        `advisory --help` imports none of them and reads the same."""
        stand_ins = {
            name: click.Command(name, help=help_text)
            for name, (_, help_text) in self.lazy.items()
            if name not in self.commands
        }
        click.Group(commands={**self.commands, **stand_ins}).format_commands(ctx, formatter)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with thawed_after():  # a command's run kept out of the collector's walks (objects.py)
                rv = super().invoke(ctx)
            sys.stdout.flush()  # a reader gone shows here, not in Python's flush at exit
            return rv
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            reader_gone()
        except AdvisoryError as exc:
            if debugging(ctx):
                raise
            raise InputFailure(str(exc)) from None
        except RecursionError:
            if debugging(ctx):
                raise
            raise InputFailure("an input is nested too deeply to read") from None
        except Exception as exc:
            if debugging(ctx):
                raise
            raise InternalFailure(
                f"internal error: {type(exc).__name__}: {exc} (please report it with the "
                f"command; run it again with --debug for the details)"
            ) from None


# the exit status of a program that SIGPIPE ended (128 + 13), as `yes | head -1` leaves `yes`
SIGPIPE_EXIT = 141


def reader_gone() -> NoReturn:
    """stdout's reader closed the pipe (`advisory diff 1 2 --config desk | head -1`): end
    quietly with 141, as a program ended by SIGPIPE does, rather than "internal error:
    BrokenPipeError". stdout then goes to /dev/null, as Python's docs advise (signal module,
    "Note on SIGPIPE"), so that the flush at exit does not complain about the pipe either."""
    with suppress(OSError, ValueError, io.UnsupportedOperation):  # no file behind it (tests)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    raise click.exceptions.Exit(SIGPIPE_EXIT)


def shown(path: object) -> str:
    """A path as the terminal may show it: control characters (ESC, CR, ...) as escapes, so a
    file name cannot send escape sequences to the terminal."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(path))


def cli_lang() -> str:
    """The language the running command's --lang asked for (English for a command without
    one): its notes and warnings on stderr are written in it."""
    ctx = click.get_current_context(silent=True)
    lang = ctx.params.get("lang") if ctx is not None else None
    return lang if lang in ("en", "fr") else "en"


def gettext(message: str, **values: object) -> str:
    """A message of the command line in the command's --lang, from the reports' catalogue
    (`outputs/report/locale`; babel.cfg extracts src/advisory/cli), placeholders filled."""
    from ..outputs.report.i18n import translator

    return translator(cli_lang())(message, **values)


def ngettext(singular: str, plural: str, n: int, **values: object) -> str:
    """`gettext` with the plural form the language needs for n (`%(n)s` in the message)."""
    from ..outputs.report.i18n import translator

    return translator(cli_lang()).n(singular, plural, n, **values)


def pgettext(context: str, message: str) -> str:
    """A word of the reports' vocabulary (a decision's code, ...) in the command's --lang."""
    from ..outputs.report.i18n import translator

    return translator(cli_lang()).p(context, message)


def date_words(d: date) -> str:
    """A date in a message, in words ("20 November 2025", "20 novembre 2025")."""
    from ..outputs.report.formats import long_date

    return long_date(d, cli_lang())


def wrote(path: str) -> str:
    return gettext("Wrote %(path)s", path=path)


def write_output(out: Path, data: bytes | str, said: Callable[[str], str] | None = wrote) -> None:
    """Write a command's output file by atomic replace and say so on stderr (`said`, given
    the file's name as the terminal may show it; None says nothing). A file that cannot be
    written (no permission, a full disk, a name too long) is an input error naming it (exit
    2), never an internal error, and never `check`'s "refused" (exit 1)."""
    try:
        write_atomic(out, data.encode("utf-8") if isinstance(data, str) else data)
    except OSError as exc:
        raise InputError(Problem(shown(out), f"cannot write: {exc.strerror or exc}")) from None
    if said is not None:
        click.echo(said(shown(out)), err=True)


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


def lang_option(what: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The shared --lang option (English or French); `what` says what it translates."""
    return click.option(
        "--lang",
        type=click.Choice(["en", "fr"]),
        default="en",
        show_default=True,
        help=f"Language of {what}.",
    )


def input_options(
    demo: bool = False, as_of_name: str = "--as-of", as_of_help: str | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The input options every assessing command shares."""
    when = as_of_help or ("Default: 2025-11-20." if demo else "Default: the latest event date.")
    opts = [
        click.option("--incidents", "-i", multiple=True, type=click.Path(path_type=Path),
                     help="ACLED CSV export (current, pre-2019 or HDX copy) or UCDP GED CSV, "
                     "or a directory of them. Repeatable."
                     + (" Default: the shipped illustrative demo set." if demo else "")),
        click.option("--guidance", "-g", multiple=True, type=click.Path(path_type=Path),
                     help="Guidance YAML file or directory. Repeatable. Without it no guidance "
                     "is in force." + (" Default: shipped US/GB/FR." if demo else "")),
        click.option("--places", "-p", type=click.Path(path_type=Path),
                     help="Places GeoJSON. Default: the shipped Bamako gazetteer."),
        click.option("--rules", "-r", type=click.Path(path_type=Path),
                     help="Rule pack directory. Default: the shipped pack."),
        click.option("--roads", type=click.Path(path_type=Path, dir_okay=False),
                     help="Road layer (GeoJSON from OpenStreetMap or HDX): its stretches between "
                     "towns and junctions are rated, drawn and routed over INSTEAD of the places "
                     "file's own roads (its from/to routes are set aside; its points are the "
                     "towns). Default: the places file's own roads."),
        click.option(as_of_name, *(["--as-of"] if as_of_name != "--as-of" else []), "as_of",
                     callback=parse_date,
                     help=f"Assess as of this date (YYYY-MM-DD); later events are ignored. {when}"),
        click.option("--allow-stale", is_flag=True,
                     help="Assess even when the newest incident is older than the rule pack's "
                     "staleness limit before the as-of date; every output is marked STALE DATA."),
        click.option("--mix-sources", is_flag=True, expose_value=False, callback=_remember,
                     help="Read ACLED and UCDP GED files in one run (refused by default: the "
                     "two record many of the same events, which then count twice)."),
        click.option("--rejects", type=click.Path(path_type=Path),
                     default=Path("advisory-rejects.csv"), show_default=True,
                     help="Where rejected incident rows are written (only when there are any)."),
    ]  # fmt: skip

    def deco(f: Callable[..., Any]) -> Callable[..., Any]:
        for opt in reversed(opts):
            f = opt(f)
        return f

    return deco


def _remember(ctx: click.Context, param: click.Parameter, value: object) -> None:
    """Keep an input option that every command passes on unchanged (`--mix-sources`) in the
    context, so that `run_assessment` reads it and no command's signature has to carry it."""
    ctx.meta[f"advisory.{param.name}"] = value


def report_rejects(inc: Incidents, path: Path) -> bool:
    """Write rejected rows with their reasons and say so on stderr."""
    from ..ingest.rejects import write_rejects

    if not inc.rejects.height:
        return False
    write_rejects(inc.rejects, path)
    reasons = "; ".join(f"{n} x {r}" for r, n in inc.reject_reasons().items())
    said = ngettext(
        "Warning: %(n)s incident row rejected (%(reasons)s); written to %(path)s",
        "Warning: %(n)s incident rows rejected (%(reasons)s); written to %(path)s",
        inc.rejects.height,
        reasons=reasons,
        path=path,
    )
    click.echo(said, err=True)
    return True


def road_cache() -> Path:
    """Where built road networks are kept between runs (a check on an already built network
    then takes well under a second): $XDG_CACHE_HOME/advisory/roads, else ~/.cache/..."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "advisory" / "roads"


def run_assessment(
    incidents: tuple[Path, ...],
    guidance: tuple[Path, ...],
    places: Path | None,
    rules: Path | None,
    as_of: date | None,
    rejects: Path,
    allow_stale: bool = False,
    progress: Callable[[str], None] | None = None,
    roads: Path | None = None,
) -> Run:
    """Assess, write the rejects file (also when nothing usable is left) and say what was set
    aside on the way in."""
    from ..engine import NoUsableIncidents, StaleData, assess

    ctx = click.get_current_context(silent=True)
    mix = bool(ctx is not None and ctx.meta.get("advisory.mix_sources"))
    try:
        run = assess(
            list(incidents),
            list(guidance),
            places,
            rules,
            as_of,
            allow_stale=allow_stale,
            progress=progress,
            roads=roads,
            road_cache=road_cache() if roads else None,
            mix_sources=mix,
        )
    except (NoUsableIncidents, StaleData) as exc:
        report_rejects(exc.incidents, rejects)  # nothing usable, but nothing lost either
        raise
    inc = run.incidents
    if report_rejects(inc, rejects):
        run.assessment.inputs["rejects_file"] = str(rejects)
    if inc.after_as_of:
        said = ngettext(
            "Note: %(n)s event dated after %(date)s ignored.",
            "Note: %(n)s events dated after %(date)s ignored.",
            inc.after_as_of,
            date=date_words(run.assessment.as_of),
        )
        click.echo(said, err=True)
    for note in inc.notes:  # the reader's own notes (English, as the JSON keeps them)
        click.echo(f"Note: {note}", err=True)
    if run.network is not None:
        for problem in run.network.warnings():
            click.echo(f"Warning: {problem}", err=True)
    if run.assessment.method.stale:
        age = run.assessment.method.data_age_days
        said = ngettext(
            "Warning: STALE DATA: the newest incident is %(n)s day before the as-of date.",
            "Warning: STALE DATA: the newest incident is %(n)s days before the as-of date.",
            age or 0,
        )
        click.echo(said, err=True)
    return run
