"""Name matching that forgives accents and case, with "did you mean" suggestions."""

from __future__ import annotations

import difflib
import re
import unicodedata


def fold(text: str) -> str:
    """Accent- and case-insensitive key: "Ségou" and "SEGOU" both give "segou"."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", stripped.casefold()).strip()


def suggest(word: str, choices: list[str] | set[str], n: int = 3) -> list[str]:
    """Closest known names, compared on folded text so accents do not hide a match."""
    by_fold: dict[str, str] = {}
    for c in sorted(choices):
        by_fold.setdefault(fold(c), c)
    hits = difflib.get_close_matches(fold(word), list(by_fold), n=n, cutoff=0.6)
    return [by_fold[h] for h in hits]


def did_you_mean(word: str, choices: list[str] | set[str]) -> str:
    hits = suggest(word, choices)
    return f" (did you mean {' or '.join(repr(h) for h in hits)}?)" if hits else ""


def plural(n: int, one: str, other: str) -> str:
    """The English form for a count: "1 row", "3 rows" (never "row(s)"). Messages for the
    command line are English; reports and trip checks take their plurals from the gettext
    catalogues."""
    return one if n == 1 else other
