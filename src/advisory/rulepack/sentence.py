"""A rule's sentence: English with `{feature}` placeholders, or two forms chosen by a count.

"1 raid(s) that ended" reads as a form nobody filled in. A sentence that names a count gives
its two English forms, as gettext's `ngettext` takes them, and a language's catalogue gives its
own forms under the pair (`msgid`/`msgid_plural`), chosen by that language's plural rule
(French says "0 raid", English "0 raids").
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import Discriminator, Tag, model_validator

from .model import Strict

PLACEHOLDER = re.compile(r"\{([a-z0-9_.]+)\}")


class Plural(Strict):
    """`one` is written when the count reads "1", `other` for any other count. The count is
    the first placeholder of `other`; both forms name the same placeholders."""

    one: str
    other: str

    @model_validator(mode="after")
    def _same_placeholders(self) -> Plural:
        names = PLACEHOLDER.findall(self.other)
        if not names:
            raise ValueError("a sentence with 'one' and 'other' needs a placeholder to count")
        if set(PLACEHOLDER.findall(self.one)) != set(names):
            raise ValueError("'one' and 'other' must name the same placeholders")
        return self

    @property
    def count(self) -> str:
        """The placeholder whose value chooses the form."""
        return PLACEHOLDER.findall(self.other)[0]

    @staticmethod
    def singular(count_text: str) -> bool:
        """Whether English takes `one` for a count as printed: what the reader sees decides."""
        return count_text == "1"


def _kind(value: object) -> str:
    return "Plural" if isinstance(value, dict | Plural) else "str"


# A YAML string, or a mapping with `one` and `other`: told apart before validating, so that
# a mistake in a mapping is reported once, not beside "Input should be a valid string".
Because = Annotated[
    Annotated[str, Tag("str")] | Annotated[Plural, Tag("Plural")], Discriminator(_kind)
]


def texts(because: Because) -> list[str]:
    """Every form of a sentence (the checks look at each)."""
    return [because] if isinstance(because, str) else [because.one, because.other]
