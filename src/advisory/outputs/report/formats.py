"""How each language writes dates and numbers, from Babel's locale data (CLDR): one helper
per kind (a date in prose, a timestamp, a count, a fixed number of decimals, a pack setting, a
percentage), remembered, as reports print the same few values thousands of times."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache, lru_cache
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from babel import Locale
    from babel.numbers import NumberPattern

T = TypeVar("T")
LANGS = ("en", "fr")
# Babel locales: dates as "20 November 2025" / "20 novembre 2025"
LOCALES = {"en": "en_GB", "fr": "fr_FR"}


def mark(sign: str, lang: str) -> str:
    """A colon or semicolon as the language writes it after a word: French puts a space before
    it ("Données :", "5 % ; Faible"), as the catalogue's own messages do."""
    return " " + sign if lang == "fr" else sign


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: expected one of {', '.join(LANGS)}")
    return lang


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

    day = _read(d, date.fromisoformat) if isinstance(d, str) else d
    if day is None:
        return str(d)
    text = str(format_date(day, "long", locale=LOCALES[lang]))
    if lang == "fr" and day.day == 1:  # "1er novembre": French's ordinal first, not in CLDR
        text = "1er" + text[1:]
    return text


def _read(text: str, parse: Callable[[str], T]) -> T | None:
    """An ISO text read by `parse`, or None when it is not one (then shown as it is)."""
    try:
        return parse(text)
    except ValueError:
        return None


def timestamp(stamp: datetime | str, lang: str) -> str:
    """When something was made, in UTC and saying so: "8 December 2026, 01:22:29 UTC",
    "8 décembre 2026, 01:22:29 UTC" (the long date, Babel's medium time, in the language's
    own date-time pattern; "UTC" rather than CLDR's French "TU", which few readers know). An
    ISO text is read (a naive one as UTC); any other text comes back as it is."""
    read = _read(stamp, datetime.fromisoformat) if isinstance(stamp, str) else stamp
    if read is None:
        return str(stamp)
    when = read.replace(tzinfo=UTC) if read.tzinfo is None else read.astimezone(UTC)
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
