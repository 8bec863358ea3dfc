"""A road layer's stretch names in the report's language.

The names are made once, in English, when the network is built (`roads.naming`), and they are
what the assessment keeps (its JSON is English). A report or a check in another language
finds the generated parts in them (`roads.words`: the kind of end, its distance, compass point
and place, "Track"/"Road", the branch) and writes them again through the catalogue:

    road_name("RN6 Fana – junction 39 km W of Fana", "fr")
        -> "RN6 Fana – carrefour à 39 km O de Fana"
    road_name("Track Dioïla – road end 6.6 km NE of Agouar", "fr", generated=True)
        -> "Piste Dioïla – fin de route à 6,6 km NE d'Agouar"

Places' names and a road's own `ref` or `name` are never changed; "Track"/"Road" only where the
road had neither (`generated`: the location's `road` is None).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ...assessment.model import Assessment, Location
from ...assessment.narrative import N_, NP_
from ...errors import InputError
from ...ingest.places import Gazetteer, Place
from ...roads.words import END, LABELS, LOOP, SUFFIX, WHERE
from ...text import fold
from .i18n import Translator, translator
from .sentences import shown_value

KIND = {
    "junction": N_("junction %(where)s"),
    "road end": N_("road end %(where)s"),
    "road change": N_("road change %(where)s"),
}
LABEL = {"Track": NP_("road", "Track"), "Road": NP_("road", "Road")}
COMPASS = {
    "N": NP_("compass", "N"),
    "NE": NP_("compass", "NE"),
    "E": NP_("compass", "E"),
    "SE": NP_("compass", "SE"),
    "S": NP_("compass", "S"),
    "SW": NP_("compass", "SW"),
    "W": NP_("compass", "W"),
    "NW": NP_("compass", "NW"),
}
OF = N_("%(km)s km %(dir)s of %(place)s")
NEAR = N_("near %(place)s")
AT = N_("at %(place)s")
_VOWELS = "AEIOUÂÊÎÔÛÉÈaeiouâêîôûéè"  # French elides "de" before them: "d'Agouar"


def _with_place(t: Translator, message: str, place: str, **values: str) -> str:
    """The message with the place in, French elision made ("de Agouar" -> "d'Agouar")."""
    text = t(message, place="\x00", **values)
    if t.lang == "fr" and place[:1] in _VOWELS:
        text = text.replace("de \x00", "d'\x00")
    return text.replace("\x00", place)


def _where(where: str, t: Translator) -> str | None:
    """ "39 km W of Fana" in the language, or None when it is not a generated place."""
    m = WHERE.match(where)
    if m is None:
        return None
    lang = t.lang
    if m["km"]:
        km, way = shown_value(m["km"], lang), t.p("compass", m["dir"])
        return _with_place(t, OF, m["place"], km=km, dir=way)
    if m["near"]:
        return _with_place(t, NEAR, m["near"])
    if m["lat"]:
        return t(
            "at %(lat)s, %(lon)s", lat=shown_value(m["lat"], lang), lon=shown_value(m["lon"], lang)
        )
    return _with_place(t, AT, m["at"])


def _end(m: re.Match[str], t: Translator) -> str:
    where = _where(m["where"], t)
    return m[0] if where is None else t(KIND[m["kind"]], where=where)


def _suffix(m: re.Match[str], t: Translator) -> str:
    if m["dir"]:
        return t(" (%(dir)s branch)", dir=t.p("compass", m["dir"]))
    return t(" (%(k)s of %(n)s)", k=m["k"], n=m["n"])


def road_name(name: str, lang: str, generated: bool = False) -> str:
    """A stretch's or a route's road name in `lang` (English: as it is). `generated`: the road
    had no `ref` or `name`, so a leading "Track"/"Road" is the engine's word."""
    if lang == "en":
        return name
    t = translator(lang)
    tail = ""
    m = SUFFIX.search(name)
    if m is not None:
        name, tail = name[: m.start()], _suffix(m, t)
    head = ""
    if generated:
        for label in LABELS:
            if name.startswith(label + " "):
                head, name = t.p("road", LABEL[label]), name[len(label) :]
                break
    loop = LOOP.search(name)
    where = _where(loop["where"], t) if loop is not None and loop.end() == len(name) else None
    if loop is not None and where is not None:
        road = head + name[: loop.start()]
        return t("%(road)s loop %(where)s", road=road, where=where) + tail
    return head + END.sub(lambda e: _end(e, t), name) + tail


def find_named(gaz: Gazetteer, query: str, lang: str) -> Place:
    """A place or road by id, name or alias (`Gazetteer.find`) or, in another language, by a
    road's name as that language's reports and checks print it: a name copied from a French
    check ("RN6 Fana – carrefour à 39 km O de Fana") finds its stretch. Only when the
    gazetteer's own names match nothing, so an English name or an id always wins."""
    try:
        return gaz.find(query)
    except InputError:
        if lang == "en":
            raise
        key = fold(query)
        found = [
            p for p in gaz.places
            if p.is_route and fold(road_name(p.name, lang, p.road is None)) == key
        ]  # fmt: skip
        if len(found) != 1:  # unknown, or two roads printed alike: the gazetteer's message
            raise
        return found[0]


def localised(a: Assessment, lang: str) -> Assessment:
    """The assessment with its roads' generated names in `lang` (a copy; the same object in
    English or when no name changes)."""
    if lang == "en":
        return a
    changed = _renamed(a.locations, lang)
    if not changed:
        return a
    locations = [changed.get(loc.id, loc) for loc in a.locations]
    return a.model_copy(update={"locations": locations})


def _renamed(locations: Iterable[Location], lang: str) -> dict[str, Location]:
    out = {}
    for loc in locations:
        if loc.is_road:
            name = road_name(loc.name, lang, loc.road is None)
            if name != loc.name:
                out[loc.id] = loc.model_copy(update={"name": name})
    return out
