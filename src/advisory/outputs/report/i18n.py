"""The reports' words in English and French, through gettext catalogues (Babel).

The English text is the message id, in the code (`t("...")`, `N_`/`NP_` markers) and in the
templates (Jinja's i18n extension: `_()`, `{% trans %}`, real plurals with `{% pluralize %}`);
French lives in `locale/fr/LC_MESSAGES/advisory.po`, read once per process. Dates, numbers,
lists and country names come from Babel's locale data (CLDR), not from tables of our own.
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
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache, lru_cache
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ...assessment.narrative import NP_, Voice, join_english

if TYPE_CHECKING:
    from babel import Locale
    from babel.numbers import NumberPattern

LANGS = ("en", "fr")
# Babel locales: dates as "20 November 2025" / "20 novembre 2025"
LOCALES = {"en": "en_GB", "fr": "fr_FR"}
DOMAIN = "advisory"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: expected one of {', '.join(LANGS)}")
    return lang


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


def long_date(d: date | str, lang: str) -> str:
    """A date in prose or a heading, as the language writes it (Babel's long format): "20
    November 2025", "20 novembre 2025", in English too. An ISO text ("2025-11-20", as a
    driver's values and the JSON keep dates) is read as its date; any other text (the pack's
    "none", a previous assessment's own `as_of`) comes back as it is. Compact data cells (an
    incident's date in the evidence lists, the guidance table's) keep ISO: docs/reports.md."""
    return _long_date(d if isinstance(d, date) else str(d), check_lang(lang))


@lru_cache(maxsize=4096)
def _long_date(d: date | str, lang: str) -> str:
    """Remembered: Babel parses its pattern on every call, and a French report writes the
    same few dates into thousands of drivers' sentences."""
    from babel.dates import format_date

    if isinstance(d, str):
        try:
            day = date.fromisoformat(d)
        except ValueError:
            return d
    else:
        day = d
    text = str(format_date(day, "long", locale=LOCALES[lang]))
    if lang == "fr" and day.day == 1:  # "1er novembre": French's ordinal first, not in CLDR
        text = "1er" + text[1:]
    return text


def timestamp(stamp: datetime | str, lang: str) -> str:
    """When something was made, in UTC and saying so: "8 December 2026, 01:22:29 UTC",
    "8 décembre 2026, 01:22:29 UTC" (the long date, Babel's medium time, in the language's
    own date-time pattern; "UTC" rather than CLDR's French "TU", which few readers know). An
    ISO text is read (a naive one as UTC); any other text comes back as it is."""
    if isinstance(stamp, str):
        try:
            when = datetime.fromisoformat(stamp)
        except ValueError:
            return stamp
    else:
        when = stamp
    when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    from babel.dates import format_time, get_datetime_format, get_time_format

    loc = LOCALES[check_lang(lang)]
    clock = format_time(when, get_time_format("medium", loc).pattern + " 'UTC'", locale=loc)
    pattern = str(get_datetime_format("long", loc))
    return pattern.replace("{1}", _long_date(when.date(), lang)).replace("{0}", str(clock))


def month_abbr(month: int, lang: str) -> str:
    from babel.dates import get_month_names

    return str(get_month_names("abbreviated", locale=LOCALES[check_lang(lang)])[month])


# Numbers: every one printed goes through Babel's `format_decimal` in the language (CLDR's decimal
# sign, grouping and minus sign), by one of three helpers: `number` (counts and distances),
# `decimal` (a fixed number of decimals: log-odds, scores, AUC) and `num` (a setting or a rule's
# points as the pack writes them, "25", "0.5", "3.85"). Each helper is remembered, as a whole:
# Babel parses the pattern and looks the locale up on every call (22 us, 11 us with both kept; 0.2
# us remembered), and a report prints the same counts, distances and points over and over (a
# thousand place pages format tens of thousands; the evidence of 1M events x 10k places, 67,000
# drivers' points). A float is given to Babel as its exact binary value, so it rounds as Python's
# `format` always did (0.8315 -> "0.83", 4.45 -> "4.5"); from the float's shortest text, Babel's
# half-even rounding would write "0.83" but "4.4", and half up "0.84".


def _format(n: float, pattern: str, lang: str) -> str:
    """`babel.numbers.format_decimal(n, pattern, locale)`, with the parsed pattern and the
    locale kept (format_decimal parses both on every call: 22 us, then 11 us)."""
    value = Decimal(n) if isinstance(n, float) else n
    return str(_number_pattern(pattern).apply(value, _locale(lang)))


@cache
def _number_pattern(pattern: str) -> NumberPattern:
    from babel.numbers import parse_pattern

    return parse_pattern(pattern)


@cache
def _locale(lang: str) -> Locale:
    from babel import Locale

    return Locale.parse(LOCALES[check_lang(lang)])


@lru_cache(maxsize=1 << 16)
def number(n: float, lang: str, digits: int = 1) -> str:
    """A count or a distance as the language writes it: "1,234.5" / "1 234,5" (a whole number
    without decimals, any other with `digits`)."""
    whole = not isinstance(n, float) or n.is_integer()
    return _format(n, "#,##0" if whole else "#,##0." + "0" * digits, lang)


@lru_cache(maxsize=1 << 16)
def decimal(x: float, lang: str, digits: int, signed: bool = False) -> str:
    """A number with exactly `digits` decimals ("0.83", "0,83"); `signed`: "+0.83", "-1.20"."""
    body = "0." + "0" * digits if digits else "0"
    return _format(x, f"+{body};-{body}" if signed else body, lang)


@lru_cache(maxsize=1 << 16)
def num(x: float, lang: str = "en") -> str:
    """A setting or points as written in the pack (25.0 -> "25", 0.5 -> "0.5" / "0,5"), up to
    six decimals as `:g` wrote them."""
    return _format(x, "#,##0.######", lang)


def percent(p: float, lang: str, digits: int = 0) -> str:
    """A probability as a percentage ("33 %", "<1 %" rather than "0 %" for a small non-zero
    one), with the language's decimal separator and a no-break space before the sign."""
    if 0 < p < 0.005 and digits == 0:
        return "<1\xa0%"
    value = round(p * 100, digits) if digits else float(round(p * 100))
    return number(value, lang, digits) + "\xa0%"


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
    return Voice(
        tr=translations(lang),
        levels=tuple(level_labels(lang, pack_labels)),
        join=lambda items: join(items, lang),
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
