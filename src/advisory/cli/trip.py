"""`advisory check`: clear or refuse a journey for a staff profile.

Exit code: 0 cleared (with or without measures), 1 refused, 2 usage or input errors — an input
problem is never reported as a refusal.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError

from .kit import (
    format_option,
    gettext,
    input_options,
    lang_option,
    pgettext,
    run_assessment,
    shown,
    write_output,
)

DEPART_HELP = (
    "Departure time HH:MM (ORIGIN DESTINATION form). Default: the pack's default departure."
)


def _option_error(err: Mapping[str, Any]) -> str:
    """A leg field's error as the option that gave it: --depart 7h -> expected HH:MM."""
    where = str(err["loc"][-1]) if err["loc"] else "leg"
    option = {"from_": "ORIGIN", "to": "DESTINATION", "depart": "--depart"}.get(where, f"--{where}")
    got = err.get("input")
    if where == "depart":
        return f"{option}: expected a time like 07:30 (HH:MM), got {got!r}"
    return f"{option}: {err['msg']} (got {got!r})"


@click.command()
@click.argument("origin", required=False)
@click.argument("destination", required=False)
@click.option(
    "--itinerary",
    type=click.Path(path_type=Path),
    help="Itinerary YAML (travellers and legs); instead of ORIGIN DESTINATION.",
)
@click.option(
    "--profile", help="Staff profile from rules/profiles.yaml (overrides the itinerary's)."
)
@click.option(
    "--via",
    help="Road id or name the leg must use (ORIGIN DESTINATION form; with --lang fr, "
    "also its French name).",
)
@click.option("--depart", help=DEPART_HELP)
@click.option("--vehicles", type=click.IntRange(min=1), help="Vehicles in the move.")
@click.option("--mode", type=click.Choice(["road", "air"]), default="road", show_default=True)
@click.option(
    "--prefer",
    type=click.Choice(["shortest", "safest"]),
    default="shortest",
    show_default=True,
    help="Route by distance, or by least exposure for the profile (each km counts more the "
    "higher the road's level; the check says how much longer the safest route is).",
)
@input_options(
    demo=True,
    as_of_name="--date",
    as_of_help="Default: the first leg's date, else the latest event date.",
)
@format_option("pdf", help_extra=", pdf a one-page clearance sheet (needs --out)")
@click.option("--out", type=click.Path(path_type=Path), help="Output file (required for pdf).")
@lang_option(
    "the table, the clearance sheet and the JSON's sentences (its keys and codes stay the "
    "same; the decision never depends on it)"
)
def check(
    origin, destination, itinerary, profile, via, depart, vehicles, mode, prefer,
    incidents, guidance, places, rules, roads, as_of, allow_stale, rejects,
    fmt, out, lang,
):  # fmt: skip
    """Clear or refuse a journey for a staff profile, with the measures it needs.

    Exit code: 0 cleared (with or without measures), 1 refused, 2 usage or input errors.
    Without --incidents the shipped illustrative demo data is used.

    \b
    Examples:
      advisory check bamako segou --date 2025-11-25 --profile international-staff
      advisory check --itinerary trip.yaml --format json
      advisory check --itinerary trip.yaml --format pdf --out clearance.pdf
      advisory check --itinerary trip.yaml --format pdf --out autorisation.pdf --lang fr
    """
    from ..outputs.trip import check_trip

    _check_out(fmt, out)
    leg = {"from": origin, "to": destination, "via": via, "depart": depart,
           "vehicles": vehicles, "mode": mode, "date": as_of}  # fmt: skip
    plan = _plan(itinerary, profile, leg)
    run = _assess(plan, incidents, guidance, places, rules, roads, as_of, allow_stale, rejects)
    result = check_trip(run, plan, profile, prefer, lang)
    _emit_result(result, run, fmt, out, lang)
    sys.exit(1 if result.decision == "refused" else 0)


def _check_out(fmt: str, out) -> None:
    """Usage errors of --out before any work is done."""
    if fmt == "pdf" and not out:
        raise click.UsageError("--format pdf needs --out FILE")
    if out is not None and not out.parent.is_dir():
        raise click.BadParameter(f"folder {shown(out.parent)} does not exist", param_hint="--out")


def _assess(plan, incidents, guidance, places, rules, roads, as_of, allow_stale, rejects):
    """The run the trip is checked against: the shipped demo data (and its guidance) when no
    --incidents are given, said on stderr; as of the first leg's date unless --date says."""
    from ..engine import DATA_DIR

    demo_mode = not incidents
    if demo_mode:
        click.echo(
            gettext(
                "Note: no --incidents given: checking against the shipped illustrative demo "
                "data (not ACLED data)."
            ),
            err=True,
        )
    as_of = as_of or next((leg.date for leg in plan.legs if leg.date), None)
    return run_assessment(
        incidents or (DATA_DIR / "incidents",),
        guidance or ((DATA_DIR / "guidance",) if demo_mode else ()),
        places,
        rules,
        as_of,
        rejects,
        allow_stale,
        roads=roads,
    )


def _plan(itinerary, profile, leg: dict[str, Any]):
    """The itinerary from its file, or the one leg the options describe."""
    from ..outputs.trip import Itinerary, load_itinerary

    given = leg["from"] or leg["to"]
    if itinerary and given:
        raise click.UsageError("give either ORIGIN DESTINATION or --itinerary, not both")
    if itinerary:
        return load_itinerary(itinerary)
    if not (leg["from"] and leg["to"]):
        raise click.UsageError("give ORIGIN and DESTINATION, or --itinerary FILE")
    if not profile:
        raise click.UsageError("--profile is required with ORIGIN DESTINATION")
    try:
        return Itinerary.model_validate({"travellers": {"profile": profile}, "legs": [leg]})
    except ValidationError as exc:
        raise click.UsageError("; ".join(_option_error(e) for e in exc.errors())) from None


def _emit_result(result, run, fmt: str, out, lang: str) -> None:
    """The decision as a clearance sheet (PDF), JSON or text, to --out or the terminal."""
    from ..outputs.trip.render import render_trip

    if fmt == "pdf":
        from ..outputs.trip.sheet import render_clearance_pdf

        pdf = render_clearance_pdf(result, run, lang)
        decision = pgettext("decision text", result.decision)  # "refused", "refusé"
        write_output(out, pdf, lambda path: gettext(
            "%(decision)s: clearance sheet written to %(path)s", decision=decision, path=path
        ))  # fmt: skip
        return
    text = (
        json.dumps(result.public(), indent=2, ensure_ascii=False) + "\n"
        if fmt == "json"
        else render_trip(result, lang)
    )
    if out:
        write_output(out, text)
    else:
        click.echo(text, nl=False)
