"""Rated places and roads as KML 2.2, for Google Earth (and QGIS, which reads it too).

One `<Style>` per level (icon tint and size, line colour and width, from `style.py`), a folder
of roads and one of places, each placemark with its level's style, a description and the
fields as `<ExtendedData>` (QGIS shows them as attributes). Elements are written in the order
the OGC KML 2.2 schema requires; the tests validate the file against that schema.

Text from the inputs is made safe twice. The XML writer escapes it, and characters XML 1.0
forbids are dropped, so a hostile name cannot break the file. And Google Earth renders a
description as HTML in its balloon, so descriptions are HTML-escaped before that: a name like
`<script>` is shown, never run. The balloon shows only the description (`BalloonStyle`), which
repeats the name, so no unescaped field reaches the HTML.
"""

from __future__ import annotations

import html
import re
from xml.etree import ElementTree as ET

from ...assessment.model import Assessment
from .layers import Feature, credits, features, layer_name
from .style import LEVEL_FILL, LINE_WIDTH, kml_colour
from .words import Vocabulary

KML_NS = "http://www.opengis.net/kml/2.2"
ICON = "https://maps.google.com/mapfiles/kml/shapes/placemark_circle.png"  # built into Earth
# XML 1.0 characters (https://www.w3.org/TR/xml/#charsets); anything else is dropped
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_NOT_ID = re.compile(r"[^A-Za-z0-9_.-]")
FIELDS = ("id", "kind", "admin1", "road", "level", "label", "regime_collapse_level",
          "regime_collapse_label", "confidence")  # fmt: skip


def xml_text(value: object) -> str:
    return _NOT_XML.sub("", str(value))


def _sub(parent: ET.Element, tag: str, text: object = None) -> ET.Element:
    el = ET.SubElement(parent, f"{{{KML_NS}}}{tag}")
    if text is not None:
        el.text = xml_text(text)
    return el


def kml_bytes(a: Assessment, lang: str = "en") -> bytes:
    """The KML document, UTF-8 with an XML declaration."""
    ET.register_namespace("", KML_NS)
    v = Vocabulary(lang, a.level_names)
    root = ET.Element(f"{{{KML_NS}}}kml")
    doc = _sub(root, "Document")
    title = layer_name(a, v)
    _sub(doc, "name", title)
    _sub(doc, "open", 1)
    pack = a.provenance.rule_pack
    engine = f"advisory {a.provenance.engine_version}; rule pack {pack.name} {pack.version}"
    about = [title, engine, *credits(a)]
    _sub(doc, "description", "<br/>".join(html.escape(line) for line in about))
    for level in range(1, 6):
        _style(doc, level)
    feats = features(a, lang)
    for name, roads in ((v.t("Roads"), True), (v.t("Places"), False)):
        folder = _sub(doc, "Folder")
        _sub(folder, "name", name)
        for f in feats:
            if f.is_road == roads:
                _placemark(folder, f)
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _style(doc: ET.Element, level: int) -> None:
    """Icon tint and size, label size, line colour and width, balloon template: by level."""
    style = _sub(doc, "Style")
    style.set("id", f"level-{level}")
    icon_style = _sub(style, "IconStyle")
    _sub(icon_style, "color", kml_colour(LEVEL_FILL[level]))
    _sub(icon_style, "scale", f"{0.7 + 0.15 * level:.2f}")
    icon = _sub(icon_style, "Icon")
    _sub(icon, "href", ICON)
    label_style = _sub(style, "LabelStyle")
    _sub(label_style, "scale", "0.8")
    line_style = _sub(style, "LineStyle")
    _sub(line_style, "color", kml_colour(LEVEL_FILL[level]))
    _sub(line_style, "width", LINE_WIDTH[level])
    balloon = _sub(style, "BalloonStyle")
    _sub(balloon, "text", "$[description]")


def _placemark(folder: ET.Element, f: Feature) -> None:
    pm = _sub(folder, "Placemark")
    pm.set("id", "loc-" + _NOT_ID.sub("_", f.id))  # an XML ID: letters, digits, _ . -
    _sub(pm, "name", f.name)
    lines = [f"<b>{html.escape(f.name)}</b>", html.escape(f.description)]
    _sub(pm, "description", "<br/>".join(lines))
    _sub(pm, "styleUrl", f"#level-{f.level}")
    data = _sub(pm, "ExtendedData")
    names = list(FIELDS) + [k for k in f.properties if k.endswith(("_likelihood_30d", "_label"))
                            and k not in FIELDS]  # fmt: skip
    for name in names:
        value = f.properties.get(name)
        if value is not None:
            item = _sub(data, "Data")
            item.set("name", name)
            _sub(item, "value", value)
    coords = " ".join(f"{lon:.6f},{lat:.6f}" for lon, lat in f.points)
    if f.is_road:
        geom = _sub(pm, "LineString")
        _sub(geom, "tessellate", 1)
    else:
        geom = _sub(pm, "Point")
    _sub(geom, "coordinates", coords)
