"""A location's row in the report's tables (its hazards' levels, words and likelihoods, its
confidence in a sentence of its own, its bottom line), and the rows of a whole assessment made
as the templates read them: the print edition reads a few of them, the screen edition all."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, overload

from ...assessment.model import Assessment, Hazard, Location
from .files import stem
from .formats import percent
from .i18n import label, level_label, translator
from .sentences import PackText, guidance_step_text, location_sentence, outcome_text


def hazard_cell(key: str, h: Hazard, a: Assessment, lang: str) -> dict[str, Any]:
    t = translator(lang)
    levels = a.level_names
    word, pct = label("estimative", lang, h.estimative), percent(h.likelihood_30d, lang)
    name = label("hazard", lang, key)
    return {
        "key": key,
        "name": name,
        "level": h.level,
        "label": level_label(h.level, lang, levels),
        "word": word,
        "pct": pct,
        "short": t("%(word)s (%(pct)s)", word=word, pct=pct),
        "sentence": t(
            "%(hazard)s: %(word)s (%(pct)s), the chance of %(outcome)s.",
            hazard=name,
            word=word,
            pct=pct,
            outcome=outcome_text(h.outcome, lang),
        ),
        "raised": guidance_step_text(h, a, lang),
        "raised_short": t(
            "raised from %(level)s by guidance",
            level=level_label(h.guidance_step.from_level, lang, levels),
        )
        if h.guidance_step
        else "",
    }


def confidence_sentence(loc: Location, lang: str) -> str:
    """Confidence, in a sentence of its own (ICD 203: never beside a likelihood word)."""
    t = translator(lang)
    b = loc.confidence_basis
    latest = (
        t.n("%(n)s day ago", "%(n)s days ago", b.latest_days)
        if b.latest_days is not None
        else t("none in range")
    )
    basis = t(
        "%(events)s, %(sources)s, latest %(latest)s, %(share)s located at or near a named place",
        events=t.n("%(n)s incident", "%(n)s incidents", b.events),
        sources=t.n("%(n)s source", "%(n)s sources", b.sources),
        latest=latest,
        share=percent(b.precise_share, lang),
    )
    return t(
        "Confidence: %(word)s (%(basis)s).",
        word=label("confidence", lang, loc.confidence),
        basis=basis,
    )


def location_row(loc: Location, a: Assessment, lang: str, pack: PackText) -> dict[str, Any]:
    ps, rc = loc.personal_security, loc.regime_collapse
    levels = a.level_names
    t = translator(lang)
    severity = [d for d in loc.drivers if d.kind == "severity"]
    return {
        "id": loc.id,
        "anchor": "row-" + stem(loc.id),
        "name": loc.name,
        "kind": label("kind", lang, loc.kind),
        "admin1": loc.admin1,
        "road": loc.road,
        "hazards": [hazard_cell(k, h, a, lang) for k, h in ps.hazards.items()],
        "ps": {
            "level": ps.level,
            "label": level_label(ps.level, lang, levels),
            "severity": [pack.driver(d).text for d in severity],
            "severity_short": t(
                "raised to %(level)s for severity", level=level_label(ps.level, lang, levels)
            )
            if severity
            else "",
        },
        "rc": {
            "level": rc.level,
            "label": level_label(rc.level, lang, levels),
            "status": label("status", lang, rc.control_status or "none"),
            "routine": rc.control_status in (None, "government"),
        },
        "confidence": label("confidence", lang, loc.confidence),
        "confidence_sentence": confidence_sentence(loc, lang),
        "bottom_line": location_sentence(loc, a, lang, pack),
    }


class LocationRows(Mapping[str, dict[str, Any]]):
    """The locations' table rows by id, each made the first time a template reads it.

    The print edition reads the worst PRINT_ROWS of each table (and, with the appendix, the
    places it gives evidence for): at 10,200 locations it makes about 120 rows instead of
    10,200 (1.1 s CPU). The screen edition reads them all, in the same order as before."""

    def __init__(self, order: list[Location], make: Callable[[Location], dict[str, Any]]):
        self._locs = {loc.id: loc for loc in order}
        self._make = make
        self._rows: dict[str, dict[str, Any]] = {}

    def __getitem__(self, loc_id: str) -> dict[str, Any]:
        row = self._rows.get(loc_id)
        if row is None:
            row = self._rows[loc_id] = self._make(self._locs[loc_id])
        return row

    def __contains__(self, loc_id: object) -> bool:
        return loc_id in self._locs

    def __iter__(self) -> Iterator[str]:
        return iter(self._locs)

    def __len__(self) -> int:
        return len(self._locs)

    def listed(self, locs: list[Location]) -> RowList:
        return RowList(self, [loc.id for loc in locs])


class RowList(Sequence[dict[str, Any]]):
    """A table's rows, in order, made as they are read (see LocationRows)."""

    def __init__(self, rows: LocationRows, ids: list[str]) -> None:
        self._rows, self._ids = rows, ids

    @overload
    def __getitem__(self, i: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, i: slice) -> list[dict[str, Any]]: ...
    def __getitem__(self, i: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(i, slice):
            return [self._rows[k] for k in self._ids[i]]
        return self._rows[self._ids[i]]

    def __len__(self) -> int:
        return len(self._ids)
