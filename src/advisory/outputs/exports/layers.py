"""Rated places and roads as map features, and as GeoJSON (RFC 7946) for QGIS and web maps.

A feature is a location's geometry (a point, or a road's line) with what a map reader needs:
the personal-security level as a number and a word, each hazard's level and 30-day chance,
regime collapse, confidence and a one-sentence description. The KML writer (`kml.py`) uses the
same features, so both layers say the same thing.

GeoJSON follows RFC 7946: positions are [longitude, latitude] (WGS 84, no `crs` member), and
styling uses the simplestyle-spec properties (`marker-color`, `stroke`, `stroke-width` ...)
that geojson.io, GitHub and many viewers apply; QGIS reads every property as a field.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ...assessment.model import Assessment, Location
from ..report.roadnames import localised
from .style import LEVEL_FILL, LINE_WIDTH
from .words import Vocabulary, one_line

MARKER_SIZE = {1: "small", 2: "small", 3: "medium", 4: "large", 5: "large"}
Position = tuple[float, float]  # (longitude, latitude), as GeoJSON and KML write them


@dataclass(frozen=True)
class Feature:
    """One rated location on a map."""

    id: str
    name: str
    level: int  # personal security, what the style shows
    points: list[Position]  # one for a place, the vertices for a road
    properties: dict[str, Any]  # in the order written
    description: str

    @property
    def is_road(self) -> bool:
        return len(self.points) > 1


def features(a: Assessment, lang: str = "en") -> list[Feature]:
    """Every rated location: roads first, so places are drawn over them."""
    a = localised(a, lang)  # a road layer's generated names in the language
    v = Vocabulary(lang, a.level_names)
    roads = [feature(loc, v) for loc in a.locations if loc.is_road]
    return roads + [feature(loc, v) for loc in a.locations if not loc.is_road]


def feature(loc: Location, v: Vocabulary) -> Feature:
    ps, rc = loc.personal_security, loc.regime_collapse
    props: dict[str, Any] = {
        "id": loc.id, "name": loc.name, "kind": loc.kind, "kind_label": v.word("kind", loc.kind),
        "admin1": loc.admin1, "road": loc.road,
        "level": ps.level, "label": v.level(ps.level),
    }  # fmt: skip
    for h, hz in ps.hazards.items():
        props |= {f"{h}_level": hz.level, f"{h}_label": v.level(hz.level),
                  f"{h}_likelihood_30d": hz.likelihood_30d,
                  f"{h}_estimative": v.word("estimative", hz.estimative)}  # fmt: skip
    props |= {
        "regime_collapse_level": rc.level, "regime_collapse_label": v.level(rc.level),
        "control_status": rc.control_status, "confidence": loc.confidence,
        "confidence_label": v.word("confidence", loc.confidence),
    }  # fmt: skip
    description = describe(loc, v)
    props["description"] = description
    if loc.is_road:
        points = [(lon, lat) for lat, lon in loc.line or ()]
        props |= {"stroke": LEVEL_FILL[ps.level], "stroke-width": LINE_WIDTH[ps.level],
                  "stroke-opacity": 1}  # fmt: skip
    else:
        points = [(loc.lon, loc.lat)]
        props |= {"marker-color": LEVEL_FILL[ps.level], "marker-size": MARKER_SIZE[ps.level]}
    props["title"] = loc.name  # simplestyle's name for the popup title
    return Feature(loc.id, loc.name, ps.level, points, props, description)


def describe(loc: Location, v: Vocabulary) -> str:
    """One sentence a map popup can show: both tracks, the chances, the confidence."""
    ps = loc.personal_security
    days = next((hz.outcome.days for hz in ps.hazards.values()), 30)
    return v.t.n(
        "%(kind)s. Personal security: %(ps)s. Regime collapse: %(rc)s. Chance in %(n)s day: "
        "%(chances)s. Confidence: %(confidence)s.",
        "%(kind)s. Personal security: %(ps)s. Regime collapse: %(rc)s. Chance in %(n)s days: "
        "%(chances)s. Confidence: %(confidence)s.",
        days, kind=one_line(v.word("kind", loc.kind)).capitalize(), ps=v.level(ps.level),
        rc=v.level(loc.regime_collapse.level), chances=v.chances(loc),
        confidence=v.word("confidence", loc.confidence),
    )  # fmt: skip


def layer_name(a: Assessment, v: Vocabulary) -> str:
    """The layer's (GeoJSON `name`) and the KML document's name."""
    return v.t("Rated places and roads, situation as of %(date)s", date=v.date_words(a.as_of))


def credits(a: Assessment) -> list[str]:
    """Attribution lines the inputs require (UCDP GED under CC BY 4.0)."""
    return [str(e["attribution"]) for e in a.provenance.inputs if e.get("attribution")]


def geojson_text(a: Assessment, lang: str = "en") -> str:
    """A FeatureCollection, one feature per line (as GDAL writes them), UTF-8 text."""
    head: dict[str, Any] = {
        "type": "FeatureCollection",
        "name": layer_name(a, Vocabulary(lang, a.level_names)),
        "as_of": a.as_of.isoformat(),
        "generator": f"advisory {a.provenance.engine_version}, rule pack "
        f"{a.provenance.rule_pack.name} {a.provenance.rule_pack.version}",
    }
    if lines := credits(a):
        head["attribution"] = " ".join(lines)
    body = ",\n".join(json.dumps(_geojson(f), ensure_ascii=False, allow_nan=False)
                      for f in features(a, lang))  # fmt: skip
    opening = json.dumps(head, ensure_ascii=False)[:-1]
    return f'{opening}, "features": [\n{body}\n]}}\n'


def _geojson(f: Feature) -> dict[str, Any]:
    geometry: dict[str, Any] = (
        {"type": "LineString", "coordinates": [list(p) for p in f.points]} if f.is_road
        else {"type": "Point", "coordinates": list(f.points[0])}
    )  # fmt: skip
    return {"type": "Feature", "id": f.id, "geometry": geometry, "properties": f.properties}
