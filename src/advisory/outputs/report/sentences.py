"""The engine's sentences in the report's language, written again from the assessment's data.

English reports print the assessment's own sentences. Other languages write them again: the
bottom lines and location lines with the engine's own functions (`assessment.bottom_line`,
`assessment.narrative`) in the report's `Voice`; the drivers' sentences from their rule-pack
template translated in the pack's own catalogue (`RULES/locale/<lang>/LC_MESSAGES/rules.po`,
message id = the English template) filled with the values the assessment kept. A template the
catalogue does not have (another pack, or a sentence changed since it was translated) is
printed in English and marked so (`lang="en"`): a stale translation is never printed as if it
were current.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from ...assessment.bottom_line import bottom_lines as written_bottom_lines
from ...assessment.model import Assessment, Driver, Hazard, Location, Outcome
from ...assessment.narrative import NP_, location_line
from ...resources import shipped
from ...rulepack.sentence import PLACEHOLDER
from ...scoring.rules import fill
from .formats import LOCALES, check_lang, long_date, num, number
from .i18n import join, label, level_label, translator, voice

VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians"}


@dataclass(frozen=True)
class Sentence:
    """A sentence and the language it is in (the report marks text left in English)."""

    text: str
    lang: str


class Filled(Protocol):
    """A sentence of the pack as the engine filled it: a driver, or a rule in a trace."""

    @property
    def because(self) -> str: ...

    @property
    def values(self) -> dict[str, str]: ...


@dataclass(frozen=True)
class PluralText:
    """A plural sentence of the pack: its English forms and this language's, chosen by the
    language's plural rule (the catalogue's `Plural-Forms`)."""

    one: str
    other: str
    forms: tuple[str, ...]
    rule: Callable[[int], int]

    def translated(self, values: dict[str, str], shown: dict[str, str]) -> str:
        """The form the count in `values` (as the engine wrote it) needs, filled with `shown`
        (the values as the language writes them)."""
        count = values.get(PLACEHOLDER.findall(self.other)[0], "")
        index = self.rule(int(count)) if count.isdigit() else len(self.forms) - 1
        return fill(self.forms[min(index, len(self.forms) - 1)], shown)


class PackText:
    """A rule pack's sentences in one language: driver `because` templates, hazard
    descriptions. Empty for English (the pack is written in English)."""

    def __init__(
        self, lang: str, pairs: list[tuple[str, str]], plurals: list[PluralText] | None = None
    ) -> None:
        self.lang = lang
        self._plain = dict(pairs)
        self._templates: dict[frozenset[str], list[tuple[str, str]]] = {}
        for english, translated in pairs:
            names = frozenset(PLACEHOLDER.findall(english))
            self._templates.setdefault(names, []).append((english, translated))
        self._plurals: dict[frozenset[str], list[PluralText]] = {}
        for p in plurals or []:
            self._plurals.setdefault(frozenset(PLACEHOLDER.findall(p.other)), []).append(p)
        # A driver's sentence depends on its English text and values alone, and they recur:
        # at 1M events x 10k places 67,163 drivers carry 22,027 sentences, and a French
        # screen report asks for 85,662 (a row's bottom line, then the evidence). Each is
        # matched and filled once (the French rows and evidence 1.93 -> 1.75 s CPU); bounded,
        # as the pack's text is kept for the process.
        self._translated = lru_cache(maxsize=1 << 16)(self._translate)

    def driver(self, d: Filled) -> Sentence:
        """The driver's sentence in this language, or in English when no template matches."""
        if self.lang == "en":
            return Sentence(d.because, "en")
        return self._translated(d.because, tuple(d.values.items()))

    def _translate(self, because: str, items: tuple[tuple[str, str], ...]) -> Sentence:
        """The English sentence is matched with the values as the engine wrote them; the
        translation is filled with them as the language writes them (`shown_value`)."""
        values = dict(items)
        for english, translated in self._templates.get(frozenset(values), []):
            if fill(english, values) == because:
                return Sentence(fill(translated, self._shown(values)), self.lang)
        for p in self._plurals.get(frozenset(values), []):
            if because in (fill(p.one, values), fill(p.other, values)):
                return Sentence(p.translated(values, self._shown(values)), self.lang)
        return Sentence(because, "en")

    def _shown(self, values: dict[str, str]) -> dict[str, str]:
        return {k: shown_value(v, self.lang) for k, v in values.items()}

    @classmethod
    def load(cls, rules_dir: Path | None, lang: str) -> PackText:
        return _load_pack_text(str(rules_dir or shipped("rules")), check_lang(lang))

    def text(self, english: str) -> Sentence:
        if self.lang == "en" or english not in self._plain:
            return Sentence(english, "en")
        return Sentence(self._plain[english], self.lang)


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DECIMAL = re.compile(r"-?\d+(?:\.(\d+))?")
NONE_WORD = NP_("value", "none")  # the pack's word for no date or no issuer (rulepack.vocabulary)


@lru_cache(maxsize=4096)
def shown_value(value: str, lang: str) -> str:
    """A value of a pack sentence (as `scoring.rules` wrote it, in English) as the language
    writes it: an ISO date as the long date ("2025-11-04" -> "4 novembre 2025"), a number with
    the language's separators ("12.5" -> "12,5", as many decimals as written), "none" in
    words; any other text (issuer codes, names) as it is."""
    if ISO_DATE.fullmatch(value):
        return long_date(value, lang)
    m = DECIMAL.fullmatch(value)
    if m:
        decimals = m.group(1)
        return number(float(value) if decimals else int(value), lang, len(decimals or ""))
    if value == "none":
        return translator(lang).p("value", NONE_WORD)
    return value


@lru_cache(maxsize=8)
def _load_pack_text(rules_dir: str, lang: str) -> PackText:
    po = Path(rules_dir) / "locale" / lang / "LC_MESSAGES" / "rules.po"
    if lang == "en" or not po.is_file():
        return PackText(lang, [])
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        catalog = read_po(fh, locale=LOCALES.get(lang, lang))
    done = [m for m in catalog if m.id and not m.fuzzy and m.string and all(m.string)]
    pairs = [(m.id, m.string) for m in done if isinstance(m.id, str) and isinstance(m.string, str)]
    rule = gettext.c2py(catalog.plural_expr)
    plurals = [
        PluralText(m.id[0], m.id[1], tuple(m.string), rule)
        for m in done
        if isinstance(m.id, tuple) and isinstance(m.string, tuple)
    ]
    return PackText(lang, pairs, plurals)


def driver_sentence(d: Driver, loc: Location, a: Assessment, lang: str, pack: PackText) -> Sentence:
    """Any driver's sentence of a location: the guidance step is the engine's, written again
    here from the hazard's `guidance_step`; the rest are the pack's templates. A guidance
    driver whose hazard or step is missing (an edited assessment) keeps the engine's own
    sentence, in English and marked so, rather than none."""
    if d.kind != "guidance" or lang == "en":
        return pack.driver(d)
    hz = loc.personal_security.hazards.get(d.hazard or "")
    if hz is None or hz.guidance_step is None:
        return pack.driver(d)
    return Sentence(guidance_step_text(hz, a, lang, driver=True), lang)


def guidance_step_text(h: Hazard, a: Assessment, lang: str, driver: bool = False) -> str:
    """ "Raised from Medium by guidance: ordered departure of staff (GB, US); the likelihood
    stays the evidence's." (issue 17: the likelihood printed stays the evidence's); as a
    driver's sentence, "raised from Medium to High by guidance: ..."."""
    step = h.guidance_step
    if step is None:
        return ""
    t = translator(lang)
    levels = a.level_names
    cited = set(step.guidance)  # a few ids: no index of all the guidance for each hazard
    by_action: dict[str, set[str]] = {}
    for g in a.guidance:
        if g.id in cited:
            by_action.setdefault(g.action, set()).add(g.issuer)
    actions = ", ".join(
        f"{label('action', lang, k)} ({', '.join(sorted(v))})" for k, v in sorted(by_action.items())
    )
    before = level_label(step.from_level, lang, levels)
    if driver:
        return t(
            "raised from %(before)s to %(after)s by guidance: %(actions)s; the likelihood stays "
            "the evidence's",
            before=before,
            after=level_label(step.to_level, lang, levels),
            actions=actions or ", ".join(step.issuers),
        )
    return t(
        "Raised from %(level)s by guidance: %(actions)s; the likelihood stays the evidence's.",
        level=before,
        actions=actions or ", ".join(step.issuers),
    )


def outcome_text(point: Outcome, lang: str, route: Outcome | None = None) -> str:
    """What a likelihood is the chance of, in words: "at least one violent incident — battle,
    explosion or attack on civilians — within 25 km in the next 30 days"."""
    return _outcome_text(
        tuple(point.event_types),
        tuple(point.sub_event_types),
        point.radius_km,
        point.days,
        route.radius_km if route is not None else None,
        lang,
    )


@lru_cache(maxsize=256)
def _outcome_text(
    event_types: tuple[str, ...],
    sub_event_types: tuple[str, ...],
    km: float,
    days: int,
    road_km: float | None,
    lang: str,
) -> str:
    """`outcome_text`, written once for each outcome: every hazard cell of the tables writes
    its hazard's, 20,400 cells and a few outcomes at 10,200 locations (the tables' rows at 1M
    events x 10k places: English 0.42 -> 0.355 s CPU, French 0.61 -> 0.53 s)."""
    t = translator(lang)
    kinds = sub_event_types or event_types
    words = list(dict.fromkeys(label("acled", lang, k) for k in kinds))
    if not sub_event_types and set(event_types) <= VIOLENT:
        what = t("at least one violent incident — %(types)s —", types=join(words, lang, "or"))
    else:
        what = t("at least one incident — %(types)s —", types=join(words, lang, "or"))
    if road_km is not None and road_km != km:
        return t(
            "%(what)s within %(km)s km of a place (%(road_km)s km of a road) in the next %(days)s "
            "days",
            what=what,
            km=num(km, lang),
            road_km=num(road_km, lang),
            days=days,
        )
    return t(
        "%(what)s within %(km)s km in the next %(days)s days",
        what=what,
        km=num(km, lang),
        days=days,
    )


def bottom_lines(a: Assessment, lang: str) -> dict[str, str]:
    """Both tracks' bottom lines in `lang`: the engine's own function, in the report's voice."""
    return written_bottom_lines(a, voice(lang, a.level_names)).model_dump()


def location_sentence(loc: Location, a: Assessment, lang: str, pack: PackText) -> str:
    if lang == "en":
        return loc.bottom_line
    levels = a.level_names
    return location_line(
        loc, voice(lang, levels), lambda d: driver_sentence(d, loc, a, lang, pack).text
    )
