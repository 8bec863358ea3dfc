"""Plain-text output for people at a terminal: the two tracks side by side, never blended."""

from __future__ import annotations

import re
import textwrap

from ...assessment.model import Assessment, Hazard, Location
from ...assessment.narrative import percent
from ..order import report_order


def _lvl(level: int, label: str) -> str:
    return f"{level} {label}"


def _hazard(h: Hazard | None) -> str:
    """ "4 High 53%", with a + when guidance raised the level above the evidence's."""
    if h is None:
        return "-"
    raised = "+" if h.guidance_step is not None else ""
    return f"{h.level} {h.label}{raised} {percent(h.likelihood_30d).replace(' ', '')}"


def _row(loc: Location) -> list[str]:
    ps = loc.personal_security
    return [
        loc.id,
        loc.kind,
        _hazard(ps.hazards.get("ambush")),
        _hazard(ps.hazards.get("kidnapping")),
        _lvl(ps.level, ps.label),
        _lvl(loc.regime_collapse.level, loc.regime_collapse.label),
        loc.confidence,
    ]


def _grid(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    lines = [fmt.format(*header), fmt.format(*("-" * w for w in widths))]
    lines += [fmt.format(*r) for r in rows]
    return [line.rstrip() for line in lines]


# C0/C1 control characters (ANSI escape sequences among them) in incident notes or names must
# not reach a terminal: they could rewrite the screen or hide text.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    return CONTROL.sub("\ufffd", text)


def wrap(text: str, indent: str = "") -> list[str]:
    lines = textwrap.wrap(clean(text), width=96, initial_indent=indent, subsequent_indent=indent)
    return lines or [""]


def render_table(a: Assessment) -> str:
    header = [
        "id",
        "kind",
        "ambush",
        "kidnapping",
        "personal security",
        "regime collapse",
        "confidence",
    ]
    order = report_order(a.locations)
    places = [loc for loc in order if not loc.is_road]
    roads = [loc for loc in order if loc.is_road]
    stale = " -- STALE DATA" if a.method.stale else ""
    out = [f"Two-track assessment as of {a.as_of}{stale}", ""]
    out += wrap(a.bottom_line.personal_security)
    out.append("")
    out += wrap(a.bottom_line.regime_collapse)
    out += ["", f"Places ({len(places)})"]
    out += _grid(header, [_row(loc) for loc in places])
    out += ["", f"Roads ({len(roads)})"]
    out += _grid(header, [_row(loc) for loc in roads])
    nat = a.national
    out += [
        "",
        f"National: regime collapse {_lvl(nat.regime_collapse.level, nat.regime_collapse.label)}"
        f" (score {nat.regime_collapse.score:g}); personal security at worst "
        f"{_lvl(nat.personal_security.level, nat.personal_security.label)}",
    ]
    for d in nat.regime_collapse.drivers:
        out += wrap(f"+{d.points:g} {d.rule}: {d.because}", "  ")
    inc = a.inputs["incidents"]
    assert isinstance(inc, dict)
    out += [
        "",
        f"Inputs: {inc['used']} incidents used, {inc['rejected']} rejected, "
        f"{inc['after_as_of_ignored']} after as-of ignored, "
        f"{inc.get('before_window_ignored', 0)} older than the rule pack's look-back not "
        f"assessed, {inc['duplicates_merged']} duplicate rows, {inc['revisions_replaced']} "
        f"older revisions and {inc['monadic_pairs_merged']} monadic pairs merged; "
        f"{a.inputs['guidance_in_force']} of {a.inputs['guidance_entries']} guidance entries "
        "current (per place, the latest of each issuer applies).",
        f"Rules: {a.provenance.rule_pack.name} {a.provenance.rule_pack.version} "
        f"({a.provenance.rule_pack.digest[:19]}...); engine {a.provenance.engine_version}.",
        *[
            f"Input: {i['kind']} {i['path']} ({str(i['sha256'])[:19]}...)"
            for i in a.provenance.inputs
        ],
        "Levels: 1 Negligible, 2 Low, 3 Medium, 4 High, 5 Extreme. Hazard cells: level and the "
        "chance of the hazard's outcome in 30 days (+: raised one level by guidance). "
        "`advisory explain ID` shows the model terms, rules and incidents behind any row.",
    ]
    return clean("\n".join(out)) + "\n"
