"""The exports' words, from the report's gettext catalogue, so a level, a hazard or a date
reads the same in a workbook, a message, a map and an advisory.

The exports have no table of words of their own: their phrases are English message ids in the
code (`v.t("Places")`, `v.t.n(singular, plural, n)`, `v.t.p("sheet", "Guidance")`), translated in
`outputs/report/locale/fr/LC_MESSAGES/advisory.po` beside the report's (`babel.cfg` lists the
exports; `tools/catalogue.py --check` holds every message translated). Controlled vocabulary,
levels, percentages, numbers, dates and country names come from `outputs.report.i18n`; the
engine's own sentences in another language from `outputs.report.sentences`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from ...assessment.model import Location
from ...assessment.narrative import N_
from ..report.formats import check_lang, long_date, number, percent
from ..report.i18n import Translator, label, level_label, territory, translator

TRACKS = {"personal_security": N_("Personal security"), "regime_collapse": N_("Regime collapse")}

_SPACES = re.compile(r"\s+")


def one_line(text: object) -> str:
    """Text from the inputs on one line: a name with line breaks or tabs cannot forge a line
    of a message or break a table cell's layout."""
    return _SPACES.sub(" ", str(text)).strip()


class Vocabulary:
    """The report's i18n bound to one language and one assessment's level names (the rule
    pack's, `Assessment.level_names`): what every export module needs at hand. `t` is the
    report's `Translator`."""

    def __init__(self, lang: str, levels: Sequence[str]) -> None:
        self.lang = check_lang(lang)
        self.t: Translator = translator(lang)
        self.levels = list(levels)

    def level(self, n: int) -> str:
        return level_label(n, self.lang, self.levels)

    def hazard(self, name: str) -> str:
        return label("hazard", self.lang, name)

    def chances(self, loc: Location) -> str:
        """Each hazard's chance at a location: "ambush 33 %, kidnapping 4 %"."""
        return ", ".join(f"{self.hazard(h).lower()} {self.percent(hz.likelihood_30d)}"
                         for h, hz in loc.personal_security.hazards.items())  # fmt: skip

    def track(self, key: str) -> str:
        """ "Personal security" or "Regime collapse" (a track's key in the assessment)."""
        return self.t(TRACKS[key])

    def word(self, kind: str, key: object) -> str:
        """A label of the report's vocabulary (confidence, estimative, kind, status, action,
        reason, guidance_level; the key itself when it has none); an issuer is a country
        code, named as Babel names the country."""
        if kind == "issuer":
            return territory(str(key), self.lang)
        return label(kind, self.lang, key)

    def yes_no(self, flag: bool) -> str:
        return self.t("yes") if flag else self.t("no")

    def percent(self, p: float) -> str:
        """A chance as the report prints it ("33 %", "<1 %")."""
        return percent(p, self.lang)

    def count(self, n: int) -> str:
        return number(n, self.lang)

    def date_words(self, value: date | str) -> str:
        """A date in words ("20 November 2025", "20 novembre 2025"); a text that is not an
        ISO date (a previous assessment's own `as_of`) is printed as it is."""
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                return one_line(value)
        return long_date(value, self.lang)

    def title(self, as_of: date) -> str:
        """The workbook's title and the brief's first line."""
        return self.t("Travel risk, situation as of %(date)s", date=self.date_words(as_of))
