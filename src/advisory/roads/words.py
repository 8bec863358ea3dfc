"""The words of the names a road layer's stretches are given (`naming`), kept in one place:
how they are put together in English, the assessment's language, and the parts a report in
another language finds in them to write them again (`outputs.report.roadnames`).

A generated name is "LABEL END – END", or "LABEL loop WHERE", perhaps followed by what tells
two stretches of the same name apart: " (N branch)" or " (2 of 3)". LABEL is the road's
`ref` or `name`, else "Track" or "Road"; an END is a place's name, or "junction", "road end"
or "road change" followed by WHERE: "near Fana", "38 km W of Fana", "6.6 km N of Ségou" or
"at 12.345, -7.890" (no place at all). Pure Python: no shapely, no NumPy.
"""

from __future__ import annotations

import re

COMPASS = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")
KINDS = ("junction", "road end", "road change")  # an end that is not a place
LABELS = ("Track", "Road")  # a road with neither `ref` nor `name`
DASH = " – "


def _ends_with(label: str, place: str) -> bool:
    """Whether the road's label ends with the place's name, as a word ("Piste de Néma",
    "Néma"). Spelt as the gazetteer spells it: run for each of a national layer's 20,000
    stretches, a case-blind comparison cost 0.05 s CPU more."""
    return label.endswith(place) and (len(label) == len(place) or label[-len(place) - 1] == " ")


def stretch_name(label: str, a: str, b: str, a_place: bool, b_place: bool) -> str:
    """ "RN6 Fana – Konobougou". An end the road's own name already ends with is written once,
    first: "Piste de Néma – Agouar" (not "Piste de Néma Néma – Agouar"), "Route de Barouéli –
    Koulikoro" (not "Route de Barouéli Koulikoro – Barouéli")."""
    if a_place and _ends_with(label, a):
        return f"{label}{DASH}{b}"
    if b_place and _ends_with(label, b):
        return f"{label}{DASH}{a}"
    return f"{label} {a}{DASH}{b}"


def run_name(label: str, start: str, end: str) -> str:
    """A road a route takes, in the direction of travel: "RN6 Bamako – Ségou"; "Piste de Néma
    – Agouar" from Néma (the road's own name ends with where the route joins it)."""
    if _ends_with(label, start):
        return f"{label}{DASH}{end}"
    return f"{label} {start}{DASH}{end}"


def branch(compass: str) -> str:
    """What tells apart stretches of the same name by where each lies: " (N branch)"."""
    return f" ({compass} branch)"


def numbered(k: int, n: int) -> str:
    """What tells apart stretches of the same name otherwise: " (2 of 3)"."""
    return f" ({k} of {n})"


_DIR = "|".join(sorted(COMPASS, key=len, reverse=True))
_STOP = rf"(?=$|{DASH}| \((?:{_DIR}) branch\)$| \(\d+ of \d+\)$)"  # where an end stops
# an end that is not a place, as `naming` writes it, and a loop's place
END = re.compile(rf"\b(?P<kind>{'|'.join(KINDS)}) (?P<where>.+?){_STOP}")
LOOP = re.compile(rf" loop (?P<where>.+?){_STOP}")
WHERE = re.compile(
    rf"^(?:(?P<km>\d+(?:\.\d)?) km (?P<dir>{_DIR}) of (?P<place>.+)|near (?P<near>.+)"
    r"|at (?P<lat>-?\d+\.\d+), (?P<lon>-?\d+\.\d+)|at (?P<at>.+))$"
)
SUFFIX = re.compile(rf" \((?:(?P<dir>{_DIR}) branch|(?P<k>\d+) of (?P<n>\d+))\)$")
