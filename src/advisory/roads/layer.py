"""Read a road layer (GeoJSON as OpenStreetMap exports, HDX and road agencies give it) into
pieces of line with their properties.

A layer of a hundred thousand features always has some bad ones. Each one is named (its index
and its id property) with what is wrong, and left out; the usable pieces go on. Only a file that
cannot be read at all, or leaves nothing usable, stops the run.
"""

from __future__ import annotations

import itertools
import json
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from ..errors import InputError, Problem
from ..rulepack.roads import RoadSettings
from ..text import plural

# the property that names a feature in messages, first found wins (OSM, HOT, QGIS, ArcGIS)
ID_KEYS = ("osm_id", "@id", "id", "osm_way_id", "fid", "OBJECTID", "objectid", "FID")
TEXT_KEYS = ("ref", "name", "highway", "surface")
NO_ID = "no id property"
Extent = tuple[float, float, float, float]  # min lat, min lon, max lat, max lon
SWAP_MARGIN_DEG = 1.0  # swapped: more than this outside the places' extent, inside it swapped
SHOWN = 20  # bad features listed when nothing is usable (the rest are counted)


@dataclass
class RoadLayer:
    """Every usable piece of line, its vertices in flat arrays (piece k spans
    `start[k]:start[k + 1]`), and what was left out and why."""

    path: str
    lon: np.ndarray
    lat: np.ndarray
    start: np.ndarray
    feature: list[int]  # the feature index each piece came from
    ref: list[str | None]
    name: list[str | None]
    highway: list[str | None]
    surface: list[str | None]
    problems: list[Problem] = field(default_factory=list)
    features: int = 0  # the layer's features, used or not (the provenance's records)
    left_out: dict[str, int] = field(default_factory=dict)  # features by highway class not kept

    @property
    def pieces(self) -> int:
        return len(self.feature)


class _Skip(Exception):
    """A feature (or part) that cannot be used; the message says why."""


def _load_json(raw: bytes, name: str) -> Any:
    try:  # from the bytes: decoding 48 MB to a str first, for orjson to encode again, cost 0.1 s
        return orjson.loads(raw.removeprefix(b"\xef\xbb\xbf"))  # as "utf-8-sig" drops a BOM
    except orjson.JSONDecodeError:
        pass  # `json` words the error (and takes what orjson refuses, such as huge integers)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(Problem(name, "not valid UTF-8: not a GeoJSON road layer")) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        msg = f"not GeoJSON: malformed JSON ({exc.msg})"
        raise InputError(Problem(name, msg, exc.lineno)) from exc
    except RecursionError:
        msg = "not GeoJSON: the JSON is nested too deeply to be a road layer"
        raise InputError(Problem(name, msg)) from None


def _label(feat: object) -> str:
    """How a feature is named in messages: its id property, or that it has none."""
    props = feat.get("properties") if isinstance(feat, dict) else None
    for source in (props, feat):
        if isinstance(source, dict):
            for key in ID_KEYS:
                value = source.get(key)
                if isinstance(value, str | int) and not isinstance(value, bool):
                    return f"{key} {value}"
    return NO_ID


def _text(props: dict[str, Any], key: str) -> str | None:
    value = props.get(key)
    if value is None:
        return None
    if type(value) is str:
        return value.strip() or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _geometry_parts(geom: object) -> tuple[list[Any], bool]:
    """The coordinate lists of a geometry's lines, and whether it is a MultiLineString."""
    if geom is None:
        raise _Skip("no geometry (null)")
    if not isinstance(geom, dict):
        raise _Skip("geometry is not an object")
    gtype, coords = geom.get("type"), geom.get("coordinates")
    if gtype == "LineString":
        return [coords], False
    if gtype == "MultiLineString":
        if coords is None:
            raise _Skip("the MultiLineString has no coordinates")
        if not isinstance(coords, list):
            kind = f"{_kind(coords)} {_shown(coords, 40)}"
            raise _Skip(f"the MultiLineString has coordinates that are {kind}, not a list of lines")
        if not coords:
            raise _Skip("the MultiLineString is empty (no parts)")
        return coords, True
    raise _Skip(f"{gtype} geometry: a road layer takes LineString or MultiLineString features")


@dataclass
class _Parts:
    """Every line of every kept feature, its positions converted in one pass."""

    feature: list[int]
    multi: list[bool]
    number: list[int]  # the part's index in its MultiLineString
    coords: list[Any]

    def convert(self) -> tuple[np.ndarray, np.ndarray, list[Any]]:
        """(n, 2) [longitude, latitude] (NaN where a position is not two numbers), the
        part of each position, and the positions as read (for messages). One conversion for
        all the layer's positions: a loop over a million positions in Python costs seconds."""
        parts = [c if isinstance(c, list) else [] for c in self.coords]
        flat = list(itertools.chain.from_iterable(parts))
        owner = np.repeat(np.arange(len(parts)), [len(c) for c in parts])
        try:
            plain = bool((np.fromiter(map(len, flat), np.int64, len(flat)) == 2).all())
        except TypeError:  # a position that is not a list
            plain = False
        pairs = flat if plain else [p[:2] if _is_pos(p) else (None, None) for p in flat]
        values = list(itertools.chain.from_iterable(pairs))
        if not set(map(type, values)) <= {float, int}:
            values = [v if type(v) in (float, int) else math.nan for v in values]
        try:
            xy = np.array(values, dtype=np.float64).reshape(-1, 2)
        except OverflowError:  # an integer beyond any float
            xy = np.array([_float(v) for v in values], dtype=np.float64).reshape(-1, 2)
        return xy, owner, flat


def _is_pos(p: object) -> bool:
    return isinstance(p, list) and len(p) >= 2


def _float(v: float) -> float:
    try:
        return float(v)
    except OverflowError:
        return math.nan


def _kind(value: object) -> str:
    """What a JSON value is, for a message: "a string", "a list", "a number"..."""
    kinds = {str: "a string", list: "a list", bool: "a boolean", int: "a number", float: "a number"}
    return kinds.get(type(value), "a " + type(value).__name__)


def _shown(value: object, limit: int = 60) -> str:
    """A value as a message shows it: its repr, cut short (a hostile file can put anything in
    a position)."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _first(mask: np.ndarray, owner: np.ndarray, n: int) -> np.ndarray:
    """The first position of each part where `mask` holds (-1 where it never does)."""
    first = np.full(n, np.iinfo(np.int64).max)
    hit = np.flatnonzero(mask)
    np.minimum.at(first, owner[hit], hit)
    return np.where(first == np.iinfo(np.int64).max, -1, first)


def _check(
    xy: np.ndarray, owner: np.ndarray, flat: list[Any], coords: list[Any], extent: Extent | None
) -> tuple[list[str | None], np.ndarray]:
    """Why each part cannot be used (None when it can), and which positions to keep
    (a position repeating the one before it adds nothing)."""
    n = len(coords)
    start = np.searchsorted(owner, np.arange(n))
    size = np.bincount(owner, minlength=n)
    lon, lat = xy[:, 0], xy[:, 1]
    # the two columns compared one by one: `.any(axis=1)` over an (n, 2) array took 0.02 s
    # CPU for the bench layer's 1.4M positions, twice, against 0.002 s
    bad_value = _first(np.isnan(lon) | np.isnan(lat), owner, n)
    bad_range = _first((np.abs(lat) > 90) | (np.abs(lon) > 180), owner, n)
    swapped = np.zeros(n, dtype=bool)
    if extent is not None:
        lat0, lon0, lat1, lon1 = extent
        m = SWAP_MARGIN_DEG  # a road just beyond the places is common, a swapped one is far
        out = ~((lat >= lat0 - m) & (lat <= lat1 + m) & (lon >= lon0 - m) & (lon <= lon1 + m))
        turned = (lon >= lat0) & (lon <= lat1) & (lat >= lon0) & (lat <= lon1)
        half = size / 2
        swapped = (np.bincount(owner, out, n) > half) & (np.bincount(owner, turned, n) > half)
    keep = np.ones(len(xy), dtype=bool)
    keep[1:] = (lon[1:] != lon[:-1]) | (lat[1:] != lat[:-1]) | (owner[1:] != owner[:-1])
    distinct = np.bincount(owner, keep, n)
    reasons: list[str | None] = [None] * n
    for k in np.flatnonzero((bad_value >= 0) | (bad_range >= 0) | swapped | (distinct < 2)):
        if size[k] == 0:  # or not a list, which `convert` read as empty: say what it is
            c = coords[k]
            reasons[k] = (
                "is empty (no positions)"
                if isinstance(c, list)
                else "has no coordinates"
                if c is None
                else f"has coordinates that are {_kind(c)} {_shown(c, 40)}, not a list of positions"
            )
        elif bad_value[k] >= 0:
            reasons[k] = (
                f"position {bad_value[k] - start[k]} is {_shown(flat[bad_value[k]])}, "
                "expected [longitude, latitude]"
            )
        elif bad_range[k] >= 0:
            reasons[k] = (
                f"position {bad_range[k] - start[k]} {xy[bad_range[k]].tolist()} is out of "
                "range (GeoJSON order is [longitude, latitude])"
            )
        elif swapped[k]:
            reasons[k] = (
                "has coordinates that look swapped ([latitude, longitude]): most positions "
                "lie far outside the places' extent and inside it when swapped; GeoJSON order "
                "is [longitude, latitude]"
            )
        else:
            reasons[k] = "has fewer than 2 distinct positions"
    return reasons, keep


def _features(raw: bytes, name: str) -> list[Any]:
    doc = _load_json(raw, name)
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        got = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
        msg = f"not a GeoJSON road layer: expected a FeatureCollection, got {got!r}"
        raise InputError(Problem(name, msg))
    feats = doc.get("features")
    if not isinstance(feats, list) or not feats:
        raise InputError(Problem(name, "the road layer's FeatureCollection has no features"))
    return feats


def _collect(
    feats: list[Any], name: str, keep: set[str]
) -> tuple[_Parts, dict[int, dict[str, str | None]], list[Problem], Counter[str]]:
    """The lines of the features worth reading, their text properties, the features left
    out whole (with why) and the count of those left out by highway class. A feature's label
    (`_label`) is made only for a message: making it for each of the bench layer's 100,000
    features cost 0.08 s CPU."""
    parts = _Parts([], [], [], [])
    texts: dict[int, dict[str, str | None]] = {}
    problems: list[Problem] = []
    left_out: Counter[str] = Counter()
    for i, feat in enumerate(feats):
        try:
            if not isinstance(feat, dict):
                msg = f"not a GeoJSON Feature object but {_kind(feat)} {_shown(feat, 40)}"
                problems.append(Problem(name, msg + "; left out", field=f"features[{i}]",
                                        severity="warning"))  # fmt: skip
                continue
            if feat.get("type") != "Feature":
                raise _Skip(f"not a GeoJSON Feature object (its type is {feat.get('type')!r})")
            props = feat.get("properties")
            props = props if isinstance(props, dict) else {}
            values = {k: _text(props, k) for k in TEXT_KEYS}
            highway = values["highway"]
            if highway is not None and highway not in keep:
                left_out[highway] += 1
                continue
            coords, multi = _geometry_parts(feat.get("geometry"))
        except _Skip as exc:
            msg = f"{_label(feat)}: {exc}; feature left out"
            problems.append(Problem(name, msg, field=f"features[{i}]", severity="warning"))
            continue
        texts[i] = values
        for k, c in enumerate(coords):
            parts.feature.append(i)
            parts.multi.append(multi)
            parts.number.append(k)
            parts.coords.append(c)
    return parts, texts, problems, left_out


def _part_problems(
    parts: _Parts, reasons: list[str | None], feats: list[Any], name: str
) -> list[Problem]:
    """One message per feature with unusable parts: left out, or its other parts used."""
    notes: dict[int, list[str]] = {}
    good: set[int] = set()
    for f, multi, k, why in zip(parts.feature, parts.multi, parts.number, reasons, strict=True):
        if why is None:
            good.add(f)
        else:
            notes.setdefault(f, []).append(f"part {k} of the MultiLineString {why}"
                                           if multi else f"the LineString {why}")  # fmt: skip
    problems = []
    for f, found in notes.items():
        tail = "; the other parts are used" if f in good else "; feature left out"
        msg = f"{_label(feats[f])}: {'; '.join(found)}{tail}"
        problems.append(Problem(name, msg, field=f"features[{f}]", severity="warning"))
    return problems


def _nothing_usable(name: str, problems: list[Problem]) -> InputError:
    bad = [p for p in problems if p.severity == "warning"]
    shown = bad[:SHOWN]
    if len(bad) > SHOWN:
        more = len(bad) - SHOWN
        shown.append(
            Problem(name, f"... and {more} more {plural(more, 'feature', 'features')} left out")
        )
    final = Problem(name, "no usable road in the layer: nothing to build a network from")
    return InputError([*shown, final])


def read_road_layer(
    path: Path, settings: RoadSettings, extent: Extent | None = None, raw: bytes | None = None
) -> RoadLayer:
    """The usable pieces of a road layer. `extent` (the places', min lat, min lon, max lat,
    max lon) lets swapped coordinates be recognised; features whose `highway` is not one of
    `settings.highways` are left out (counted, not errors); features without `highway` (HDX,
    WFP and road-agency layers) are kept."""
    name = str(path)
    if raw is None:
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            msg = f"cannot read the road layer: {exc.strerror}"
            raise InputError(Problem(name, msg)) from exc
    feats = _features(raw, name)
    parts, texts, problems, left_out = _collect(feats, name, set(settings.highways))
    xy, owner, flat = parts.convert()
    reasons, keep = _check(xy, owner, flat, parts.coords, extent)
    problems = sorted([*problems, *_part_problems(parts, reasons, feats, name)], key=_feature_order)
    if left_out:
        listed = ", ".join(f"{k} {n}" for k, n in sorted(left_out.items(), key=lambda x: -x[1]))
        n = sum(left_out.values())
        msg = (
            f"{n} {plural(n, 'feature', 'features')} of highway classes not kept "
            f"{plural(n, 'was', 'were')} left out "
            f"({listed}); rules/roads.yaml 'highways' lists the classes kept"
        )
        problems.append(Problem(name, msg, severity="note"))
    usable = np.array([r is None for r in reasons], dtype=bool)
    if not usable.any():
        raise _nothing_usable(name, problems)
    keep &= usable[owner]
    counts = np.bincount(owner[keep], minlength=usable.size)[usable]
    start = np.zeros(counts.size + 1, dtype=np.int64)
    np.cumsum(counts, out=start[1:])
    feature = list(itertools.compress(parts.feature, usable.tolist()))
    column = {k: [texts[f][k] for f in feature] for k in TEXT_KEYS}
    return RoadLayer(
        path=name,
        lon=np.ascontiguousarray(xy[keep, 0]),
        lat=np.ascontiguousarray(xy[keep, 1]),
        start=start,
        feature=feature,
        ref=column["ref"],
        name=column["name"],
        highway=column["highway"],
        surface=column["surface"],
        problems=problems,
        features=len(feats),
        left_out=dict(sorted(left_out.items(), key=lambda x: (-x[1], x[0]))),
    )


def _feature_order(p: Problem) -> int:
    return int(p.field[len("features[") : -1]) if p.field else -1
