"""The data every report template receives: a documented contract (docs/reports.md).

Built once from an `Assessment`, never from the engine's internals; templates only lay it out.
Texts the report composes come from the catalogue (i18n.py); the engine's sentences are the
assessment's own in English and written again in other languages (sentences.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, overload

from markupsafe import Markup

from ...assessment.model import Assessment
from ..order import report_order
from . import charts, mapsvg
from .changes import compare
from .evidence import EVIDENCE_MIN_LEVEL, evidence_sections
from .formats import check_lang, long_date
from .i18n import glossary, label, level_label, level_labels, translator
from .method import methodology
from .roadnames import localised
from .rows import LocationRows, location_row
from .sections import (
    guidance_rows,
    illustrative,
    indicators,
    measure_rows,
    provenance,
    sources,
    trace_rows,
)
from .sentences import PackText, bottom_lines, outcome_text
from .templating import Later

# Incidents per place in the printed evidence appendix (`render --appendix`) unless
# `--print-evidence N` says otherwise; the screen edition shows them all.
PRINT_EVIDENCE = 5
# rows of each level table the printed brief carries (worst first): a country-wide assessment of
# thousands of places stays a brief, and the HTML and JSON keep every row
PRINT_ROWS = 60
LEAD_SENTENCES = 2
Edition = Literal["screen", "print"]


@dataclass(frozen=True)
class Options:
    """What a caller may choose besides the language: the previous assessment to compare
    with, incidents per place in the printed appendix, whether the PDF carries the evidence
    appendix, the rule pack whose sentences the catalogue translates (default: shipped), and
    the edition: the screen's (every row, every incident) or the print's (what the PDF
    brief shows, and nothing else)."""

    previous: dict[str, Any] | None = None
    print_evidence: int = PRINT_EVIDENCE
    appendix: bool = False
    rules: Path | None = None
    edition: Edition = "screen"

    def __post_init__(self) -> None:
        if self.print_evidence < 0:
            raise ValueError("print_evidence must be 0 or more")
        if self.edition not in ("screen", "print"):
            raise ValueError(f"edition must be 'screen' or 'print', not {self.edition!r}")


class LaterList(Sequence[dict[str, Any]]):
    """A list made the first time a template uses it, not when it looks its name up (as a
    `Later` is): the evidence and the register of a country-wide assessment take 1 s CPU at
    10,200 locations, only the screen edition and the printed appendix show them, and the
    brief's evidence block, which Jinja enters, mentions them."""

    def __init__(self, make: Callable[[], list[dict[str, Any]]]) -> None:
        self._later = Later(make)

    def _list(self) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = self._later.value()
        return items

    @overload
    def __getitem__(self, i: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, i: slice) -> list[dict[str, Any]]: ...
    def __getitem__(self, i: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        return self._list()[i]

    def __len__(self) -> int:
        return len(self._list())


def sentences(text: str) -> list[str]:
    """A paragraph cut into sentences at ". " before a capital letter or a digit."""
    out, start = [], 0
    for k in range(len(text) - 2):
        if (
            text[k] in ".!?"
            and text[k + 1] == " "
            and (text[k + 2].isupper() or text[k + 2].isdigit())
        ):
            out.append(text[start : k + 1])
            start = k + 2
    out.append(text[start:])
    return [s for s in out if s.strip()]


def headlines(a: Assessment, lang: str) -> dict[str, str]:
    """Each track's headline, composed by the report from the numbers (the engine's paragraph
    says why; the headline says how much): personal security's worst level and how many places
    and roads are at the top two levels, regime collapse's level and the centres held or
    raided."""
    t = translator(lang)
    levels = a.level_names
    nat = a.national
    high = [loc for loc in a.locations if loc.personal_security.level >= 4]
    roads_high = sum(loc.is_road for loc in high)
    rc = nat.regime_collapse
    return {
        "personal_security": t(
            "%(label)s at worst; %(places)s and %(roads)s rated %(l4)s or %(l5)s.",
            label=level_label(nat.personal_security.level, lang, levels),
            places=t.n("%(n)s place", "%(n)s places", len(high) - roads_high),
            roads=t.n("%(n)s road segment", "%(n)s road segments", roads_high),
            l4=level_label(4, lang, levels),
            l5=level_label(5, lang, levels),
        ),
        "regime_collapse": t(
            "%(label)s nationally; %(held)s held by an armed group, %(raids)s that ended "
            "within %(window)s days.",
            label=level_label(rc.level, lang, levels),
            held=t.n("%(n)s population centre", "%(n)s population centres", len(rc.held_centres)),
            raids=t.n("%(n)s raid", "%(n)s raids", rc.raids),
            window=a.method.control.raid_window_days,
        ),
    }


def bottom_line(a: Assessment, lang: str) -> dict[str, dict[str, Any]]:
    """Both tracks' bottom lines: level, label, a headline the report composes, and the
    engine's paragraph (in the report's language) cut into its lead and the rest."""
    levels = a.level_names
    text = {
        "personal_security": a.bottom_line.personal_security,
        "regime_collapse": a.bottom_line.regime_collapse,
    }
    if lang != "en":
        text = bottom_lines(a, lang)
    nat = a.national
    heads = headlines(a, lang)
    out = {}
    for key, level in (
        ("personal_security", nat.personal_security.level),
        ("regime_collapse", nat.regime_collapse.level),
    ):
        parts = sentences(text[key])
        out[key] = {
            "level": level,
            "label": level_label(level, lang, levels),
            "headline": heads[key],
            "lead": " ".join(parts[:LEAD_SENTENCES]),
            "rest": " ".join(parts[LEAD_SENTENCES:]),
            "text": text[key],
        }
    return out


def stale_notice(a: Assessment, lang: str) -> str | None:
    if not a.method.stale:
        return None
    t = translator(lang)
    age = a.method.data_age_days
    if age is None:
        return t(
            "STALE DATA: no usable incident within the rule pack's look-back. Do not read low "
            "levels as an all-clear."
        )
    return t(
        "STALE DATA: the newest incident is %(age)s days older than the situation date; the rule "
        "pack allows %(limit)s. Do not read low levels as an all-clear.",
        age=age,
        limit=a.method.staleness_days,
    )


def shared(a: Assessment, lang: str) -> dict[str, Any]:
    """What every template receives (the advisory, the place pages and their index)."""
    check_lang(lang)
    levels = a.level_names
    return {
        "lang": lang,
        "t": translator(lang),
        "lv": lambda n: level_label(int(n), lang, levels),
        "label": lambda kind, key: label(kind, lang, key),
        "a": a,
        "as_of": a.as_of.isoformat(),
        "as_of_long": long_date(a.as_of, lang),
        "date_words": lambda d: long_date(str(d), lang),
        "stale": stale_notice(a, lang),
        "illustrative": illustrative(a),
        "horizon_days": next((h.outcome_point.days for h in a.method.hazards.values()), 30),
        "provenance": provenance(a, lang),
        "scale": ", ".join(f"{i} {w}" for i, w in enumerate(level_labels(lang, levels), 1)),
    }


def road_layer(a: Assessment) -> str | None:
    """The file name of the road layer whose stretches are the roads (`--roads`), or None when
    the roads are the places file's own (the map's caption says which it draws)."""
    for item in a.provenance.inputs:
        if item.get("kind") == "roads":
            return Path(str(item.get("path", ""))).name or None
    return None


def report_context(
    a: Assessment,
    lang: str = "en",
    previous: dict[str, Any] | None = None,
    rules: Path | None = None,
) -> dict[str, Any]:
    """What the advisory's editions and its Markdown print alike (docs/reports.md): everything
    but the edition's own choices (`edition_context`). What only some templates read is a
    `Later`, made when a template first looks it up: the map and the charts, the seizures, the
    national rule trace and the method, sources and glossary sections, which the Markdown never
    prints (and the evidence and register, made at their first use)."""
    t = translator(lang)
    a = localised(a, lang)  # a road layer's generated names in the language
    pack = PackText.load(rules, lang)
    order = report_order(a.locations)
    rows = LocationRows(order, lambda loc: location_row(loc, a, lang, pack))
    cap = a.capital()
    seizures = Later(lambda: charts.seizures(a))
    sections = Later(lambda: evidence_sections(a, order, lang, pack))
    return {
        **shared(a, lang),
        "bluf": bottom_line(a, lang),
        "changes": compare(previous, a) if previous is not None else None,
        "map_svg": Later(lambda: Markup(mapsvg.map_svg(a, lang))),
        "road_layer": road_layer(a),
        "print_rows": PRINT_ROWS,
        "places": rows.listed([loc for loc in order if not loc.is_road]),
        "roads": rows.listed([loc for loc in order if loc.is_road]),
        "rows_by_id": rows,
        "capital_row": rows[cap.id] if cap and cap.id in rows else None,
        "capital": cap.name if cap else "",
        "outcomes": [
            {
                "name": label("hazard", lang, k),
                "text": outcome_text(h.outcome_point, lang, h.outcome_route),
            }
            for k, h in a.method.hazards.items()
        ],
        "weekly": a.national.weekly,
        "weekly_svg": Later(lambda: Markup(charts.weekly_svg(a.national.weekly, a.as_of, lang, t))),
        "seizures": seizures,
        "seizures_svg": Later(lambda: Markup(charts.seizures_svg(seizures.value(), lang, t))),
        "control": a.method.control,
        "guidance": guidance_rows(a, lang),
        "indicators": indicators(a, lang),
        "trace": Later(lambda: trace_rows(a, lang, pack)),
        "measures": measure_rows(a, lang),
        "evidence_min_label": level_label(EVIDENCE_MIN_LEVEL, lang, a.level_names),
        "evidence": LaterList(lambda: sections.value()[0]),
        "register": LaterList(lambda: sections.value()[1]),
        "method": Later(lambda: methodology(a, lang, pack)),
        "sources": Later(lambda: sources(a, lang)),
        "glossary": Later(lambda: glossary(lang)),
    }


def edition_context(base: dict[str, Any], options: Options) -> dict[str, Any]:
    """`report_context`'s context with the edition's choices: screen or print, and the
    printed evidence appendix."""
    return {
        **base,
        "screen": options.edition == "screen",
        "print_evidence": options.print_evidence,
        "appendix": options.appendix,
    }


def build_context(
    a: Assessment, lang: str = "en", options: Options | None = None
) -> dict[str, Any]:
    """The advisory's whole context (docs/reports.md), for one report."""
    opts = options or Options()
    return edition_context(report_context(a, lang, opts.previous, opts.rules), opts)
