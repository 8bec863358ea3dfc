"""The reports' words in English and French, through gettext catalogues (Babel).

The English text is the message id, in the code (`t("...")`, `N_`/`NP_` markers) and in the
templates (Jinja's i18n extension: `_()`, `{% trans %}`, real plurals with `{% pluralize %}`);
French lives in `locale/fr/LC_MESSAGES/advisory.po`, read once per process. Dates, numbers,
lists and country names come from Babel's locale data (CLDR), not from tables of our own (dates and
numbers: `formats.py`).
The engine's sentences are written again in the report's language from the assessment's
structured data (`sentences.py`, through `assessment.narrative.Voice`).

    t = translator("fr")
    t("Bottom line")                                  -> "L'essentiel"
    t.n("%(n)s place", "%(n)s places", 3)             -> "3 lieux"
    label("hazard", "fr", "ambush")                   -> "Embuscade"
    level_label(4, "fr", ["Negligible", ..., "Extreme"]) -> "Élevé"

Updating the catalogue after changing a message: docs/reports.md ("Translations").
"""

from __future__ import annotations

import gettext
from collections.abc import Sequence
from functools import cache, lru_cache
from io import BytesIO
from pathlib import Path
from typing import Literal

from ...assessment.narrative import NP_, Voice, join_english
from .formats import (  # the languages' dates and numbers, re-exported for the reports' use
    LOCALES,
    check_lang,
)

DOMAIN = "advisory"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalogue of a language, compiled from its .po file once per process (English is the
    message ids themselves). Fuzzy entries are left out, as `msgfmt` does."""
    if check_lang(lang) == "en":
        return gettext.NullTranslations()
    return po_translations(LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po", lang)


def po_translations(path: Path, lang: str) -> gettext.NullTranslations:
    """A .po file as gettext translations, compiled in memory (no .mo file to keep in step)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    with path.open("rb") as fh:
        catalog = read_po(fh, locale=LOCALES.get(lang, lang))
    buf = BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(buf, domain=DOMAIN)


class Translator:
    """`t("text %(name)s", name=...)`: the text in the report's language, placeholders filled;
    `t.n(singular, plural, n, ...)` chooses the plural form the language needs for n."""

    def __init__(self, lang: str) -> None:
        self.lang = check_lang(lang)
        self.tr = translations(lang)

    def __call__(self, message: str, **values: object) -> str:
        text = self.tr.gettext(message)
        return text % values if values else text

    def n(self, singular: str, plural: str, n: int, **values: object) -> str:
        return self.tr.ngettext(singular, plural, n) % {"n": n, **values}

    def p(self, context: str, message: str) -> str:
        return self.tr.pgettext(context, message)


@cache
def translator(lang: str) -> Translator:
    return Translator(lang)


# Controlled vocabularies: key -> English label (the message id, with the kind as its context)
VOCAB: dict[str, dict[str, str]] = {
    "hazard": {
        "ambush": NP_("hazard", "Ambush"),
        "kidnapping": NP_("hazard", "Kidnapping"),
        "violence": NP_("hazard", "Violent incidents"),
        "attacks": NP_("hazard", "Attacks on posts and seizures"),
        "blockade": NP_("hazard", "Blockade"),
    },
    "confidence": {
        "low": NP_("confidence", "low"),
        "moderate": NP_("confidence", "moderate"),
        "high": NP_("confidence", "high"),
    },
    "estimative": {  # US ICD 203, the words of the shipped pack
        w: w
        for w in (
            NP_("estimative", "almost no chance"),
            NP_("estimative", "very unlikely"),
            NP_("estimative", "unlikely"),
            NP_("estimative", "roughly even chance"),
            NP_("estimative", "likely"),
            NP_("estimative", "very likely"),
            NP_("estimative", "almost certain"),
        )
    },
    "level": {
        w: w
        for w in (
            NP_("level", "Negligible"),
            NP_("level", "Low"),
            NP_("level", "Medium"),
            NP_("level", "High"),
            NP_("level", "Extreme"),
        )
    },
    "status": {
        "government": NP_("status", "held by the government"),
        "contested": NP_("status", "seized, raid window open"),
        "held": NP_("status", "held by an armed group"),
        "held_governed": NP_("status", "held and governed by an armed group"),
        "none": NP_("status", "not a population centre"),
    },
    "episode": {
        "raid": NP_("episode", "raid: ended within the raid window"),
        "regained": NP_("episode", "regained by the government"),
        "lapsed": NP_("episode", "lapsed: no sign of the group since"),
        "contested": NP_("episode", "seized, raid window still open"),
        "held": NP_("episode", "held"),
        "held_governed": NP_("episode", "held and governed"),
    },
    "kind": {
        "capital": NP_("kind", "capital"),
        "city": NP_("kind", "city"),
        "town": NP_("kind", "town"),
        "village": NP_("kind", "village"),
        "airport": NP_("kind", "airport"),
        "border_crossing": NP_("kind", "border crossing"),
        "base": NP_("kind", "base"),
        "route": NP_("kind", "road"),
    },
    # what an input file is, as the provenance names it
    "input": {
        "incidents": NP_("input", "incidents"),
        "guidance": NP_("input", "guidance"),
        "places": NP_("input", "places"),
        "roads": NP_("input", "roads"),
    },
    "guidance_level": {
        "1": NP_("guidance_level", "Exercise normal precautions"),
        "2": NP_("guidance_level", "Exercise increased caution"),
        "3": NP_("guidance_level", "Reconsider travel"),
        "4": NP_("guidance_level", "Do not travel"),
    },
    "action": {
        "none": NP_("action", "no departure order"),
        "authorized_departure": NP_("action", "authorized departure of staff"),
        "ordered_departure": NP_("action", "ordered departure of staff"),
        "leave_now": NP_("action", "nationals told to leave"),
        "embassy_closed": NP_("action", "embassy closed"),
    },
    "reason": {
        "terrorism": NP_("reason", "terrorism"),
        "kidnapping": NP_("reason", "kidnapping"),
        "crime": NP_("reason", "crime"),
        "unrest": NP_("reason", "unrest"),
        "armed_conflict": NP_("reason", "armed conflict"),
        "wrongful_detention": NP_("reason", "wrongful detention"),
        "health": NP_("reason", "health"),
        "natural_disaster": NP_("reason", "natural disaster"),
        "other": NP_("reason", "other"),
    },
    # ACLED event types and sub-types as a sentence names them (outcome definitions)
    "acled": {
        "Battles": NP_("acled", "battle"),
        "Explosions/Remote violence": NP_("acled", "explosion"),
        "Violence against civilians": NP_("acled", "attack on civilians"),
        "Protests": NP_("acled", "protest"),
        "Riots": NP_("acled", "riot"),
        "Strategic developments": NP_("acled", "strategic development"),
        "Abduction/forced disappearance": NP_("acled", "abduction"),
        "Armed clash": NP_("acled", "armed clash"),
        "Attack": NP_("acled", "attack on civilians"),
        "Remote explosive/landmine/IED": NP_("acled", "roadside bomb or mine"),
        "Air/drone strike": NP_("acled", "air or drone strike"),
        "Suicide bomb": NP_("acled", "suicide bombing"),
        "Non-state actor overtakes territory": NP_("acled", "seizure by a non-state group"),
        "Government regains territory": NP_("acled", "regain by the government"),
        "Chemical weapon": NP_("acled", "chemical weapon"),
        "Shelling/artillery/missile attack": NP_("acled", "shelling or missile attack"),
        "Grenade": NP_("acled", "grenade"),
        "Sexual violence": NP_("acled", "sexual violence"),
        "Peaceful protest": NP_("acled", "peaceful protest"),
        "Protest with intervention": NP_("acled", "protest with intervention"),
        "Excessive force against protesters": NP_("acled", "excessive force against protesters"),
        "Violent demonstration": NP_("acled", "violent demonstration"),
        "Mob violence": NP_("acled", "mob violence"),
        "Agreement": NP_("acled", "agreement"),
        "Arrests": NP_("acled", "arrests"),
        "Change to group/activity": NP_("acled", "change to a group or its activity"),
        "Disrupted weapons use": NP_("acled", "disrupted weapons use"),
        "Headquarters or base established": NP_("acled", "headquarters or base established"),
        "Looting/property destruction": NP_("acled", "looting or destruction of property"),
        "Non-violent transfer of territory": NP_("acled", "non-violent transfer of territory"),
        "Other": NP_("acled", "other development"),
    },
}


def label(kind: str, lang: str, key: object, default: str | None = None) -> str:
    """A controlled-vocabulary label (hazard, status, action ...) in the language; an unknown
    key falls back to `default`, else to the key itself (as given: the input's own word)."""
    english = VOCAB[kind].get(str(key))
    if english is None:
        return default if default is not None else str(key)
    return _in(lang, kind, english)


def level_label(level: int, lang: str, pack_labels: Sequence[str]) -> str:
    """The rule pack names the levels (in English); the catalogue translates the shipped
    pack's names, and another pack's own names are kept as they are."""
    return _in(lang, "level", pack_labels[level - 1])


@lru_cache(maxsize=4096)
def _in(lang: str, context: str, english: str) -> str:
    """A label in the language, looked up in the catalogue once: a screen report asks for
    230,000 labels of a few dozen at 1M events x 10k places (each table cell's and driver's),
    and Babel's `pgettext` is Python (French rows and evidence 1.79 -> 1.70 s CPU)."""
    return translator(lang).p(context, english)


def level_labels(lang: str, pack_labels: Sequence[str]) -> list[str]:
    return [level_label(i, lang, pack_labels) for i in range(1, len(pack_labels) + 1)]


def territory(code: str, lang: str) -> str:
    """A country's name from its ISO 3166 code, in the language (CLDR via Babel)."""
    from babel import Locale

    return str(Locale.parse(LOCALES[check_lang(lang)]).territories.get(code, code))


ListStyle = Literal["standard", "or"]


def join(items: Sequence[str], lang: str, style: ListStyle = "standard") -> str:
    """ "a, b and c" / "a, b et c" (`style="or"`: "a, b or c")."""
    if not items:
        return ""
    return _format_list(tuple(items), check_lang(lang), style)


@lru_cache(maxsize=1024)
def _format_list(items: tuple[str, ...], lang: str, style: ListStyle) -> str:
    """Babel's list, remembered: it parses its locale on every call, and every table row's
    outcome sentence joins the same few event types (20,400 joins at 10,200 locations: 0.6 s
    CPU of the context's 3.4 s)."""
    from babel.lists import format_list

    return str(format_list(list(items), style=style, locale=LOCALES[lang]))


def voice(lang: str, pack_labels: Sequence[str]) -> Voice:
    """The engine's sentences in this language (`assessment.narrative`). English keeps the
    engine's own wording exactly, so English reports print what the assessment says. Made
    once per language and level names: a French report writes a sentence for every place."""
    return _voice(check_lang(lang), tuple(pack_labels))


@cache
def _voice(lang: str, pack_labels: tuple[str, ...]) -> Voice:
    """Shared by every caller, so its level names are a tuple nobody can change."""
    if lang == "en":
        return Voice(levels=pack_labels, join=join_english)
    from .sentences import shown_value  # which reads this module's catalogue

    return Voice(
        tr=translations(lang),
        levels=tuple(level_labels(lang, pack_labels)),
        join=lambda items: join(items, lang),
        value=lambda text: shown_value(text, lang),
    )


GLOSSARY: list[tuple[str, str]] = [
    (
        NP_("glossary", "ACLED"),
        NP_(
            "glossary",
            "Armed Conflict Location & Event Data: the field's standard incident data set.",
        ),
    ),
    (NP_("glossary", "FAMa"), NP_("glossary", "Forces armées maliennes, the Malian armed forces.")),
    (
        NP_("glossary", "HTS"),
        NP_(
            "glossary",
            "Hay'at Tahrir al-Sham, the Syrian group that ran a government in Idlib before it "
            "took Damascus: the contrast with JNIM, which has no parallel administration.",
        ),
    ),
    (
        NP_("glossary", "ICD 203"),
        NP_(
            "glossary",
            "US Intelligence Community Directive 203: estimative words (unlikely, likely, very "
            "likely …) tied to probability bands; confidence is stated separately.",
        ),
    ),
    (NP_("glossary", "ISSP"), NP_("glossary", "Islamic State Sahel Province (IS Sahel).")),
    (
        NP_("glossary", "JNIM"),
        NP_("glossary", "Jama'at Nusrat al-Islam wal-Muslimin, al-Qaeda's Sahel branch."),
    ),
    (
        NP_("glossary", "Raid"),
        NP_(
            "glossary",
            "A seizure of a town or post that ends (regain or withdrawal) within the raid window: "
            "a personal-security signal, not a change of control.",
        ),
    ),
    (
        NP_("glossary", "Held / governed"),
        NP_(
            "glossary",
            "A seizure that outlasts the raid window; governed when the group sets up "
            "headquarters, courts or taxation there.",
        ),
    ),
    (
        NP_("glossary", "Personal security"),
        NP_(
            "glossary",
            "The risk to people travelling or working: ambush and kidnapping hazards, with "
            "blockades and attacks as drivers.",
        ),
    ),
    (
        NP_("glossary", "Regime collapse"),
        NP_("glossary", "The risk that the state loses its population centres and capital."),
    ),
]


def glossary(lang: str) -> list[tuple[str, str]]:
    t = translator(lang)
    return [(t.p("glossary", term), t.p("glossary", text)) for term, text in GLOSSARY]
