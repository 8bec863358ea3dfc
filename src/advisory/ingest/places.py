"""Read the gazetteer (GeoJSON places and road segments) into typed places plus arrays."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import orjson
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from ..errors import InputError, Problem
from ..geo import haversine, km_to_segments
from ..text import did_you_mean, fold
from .sources import InputDigest, sha256

Kind = Literal["capital", "city", "town", "village", "airport", "border_crossing", "base", "route"]


class Place(BaseModel):
    """One place or road segment; `coords` are (lat, lon) pairs, one for a point."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)
    id: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    name: str = Field(min_length=1)
    kind: Kind
    population: int | None = Field(default=None, ge=0)
    admin1: str | None = None
    country: str | None = None
    aliases: list[str] = Field(default_factory=list)  # not copied for each place, as [] is
    road: str | None = None
    from_: str | None = Field(default=None, alias="from")
    to: str | None = None
    coords: tuple[tuple[float, float], ...]

    @property
    def is_route(self) -> bool:
        return len(self.coords) > 1

    @property
    def lat(self) -> float:
        return self.coords[0][0]

    @property
    def lon(self) -> float:
        return self.coords[0][1]


@dataclass
class Gazetteer:
    places: list[Place]
    digest: InputDigest

    def __post_init__(self) -> None:
        self.index = {p.id: i for i, p in enumerate(self.places)}
        self._arrays: dict[str, Any] = {}  # built on first use (the places never change)

    def find(self, query: str) -> Place:
        """By id, name or alias, ignoring accents and case; unknown names suggest neighbours,
        and a name two places share is refused as ambiguous (an id always wins)."""
        if "names" not in self._arrays:  # folded on first use: `assess` never looks a name up
            names: dict[str, set[str]] = {}
            for p in self.places:
                for key in (p.id, p.name, *p.aliases):
                    names.setdefault(fold(key), set()).add(p.id)
            self._arrays["names"] = names
        key = fold(query)
        ids = {query} if query in self.index else self._arrays["names"].get(key, set())
        if len(ids) > 1:
            shown = ", ".join(f"{self.places[self.index[i]].name} ({i})" for i in sorted(ids))
            raise InputError(Problem("places", f"{query!r} is ambiguous: {shown}; give the id"))
        pid = next(iter(ids), None)
        if pid is None:
            choices = {p.id for p in self.places} | {p.name for p in self.places}
            raise InputError(
                Problem("places", f"unknown place or road {query!r}{did_you_mean(query, choices)}")
            )
        return self.places[self.index[pid]]

    def admin1_names(self) -> dict[str, set[str]]:
        """The admin1 names of the places, by country."""
        out: dict[str, set[str]] = {}
        for p in self.places:
            if p.admin1 and p.country:
                out.setdefault(p.country, set()).add(p.admin1)
        return out

    def capital(self) -> Place | None:
        return next((p for p in self.places if p.kind == "capital"), None)

    def extent(self) -> tuple[float, float, float, float]:
        lat = [c[0] for p in self.places for c in p.coords]
        lon = [c[1] for p in self.places for c in p.coords]
        return min(lat), min(lon), max(lat), max(lon)

    def km_from(self, lat: float, lon: float) -> np.ndarray:
        """Distance from a point to every location: great-circle to a place, and to the
        nearest point of the line for a road (not merely its nearest vertex)."""
        out = np.full(len(self.places), np.inf)
        idx, plat, plon = self.point_arrays()
        out[idx] = haversine(lat, lon, plat, plon)
        owner, alat, alon, blat, blon = self.segment_arrays()
        if owner.size:
            np.minimum.at(out, owner, km_to_segments(lat, lon, alat, alon, blat, blon))
        return out

    def route_mask(self) -> np.ndarray:
        """True for road segments, by location index."""
        if "route_mask" not in self._arrays:
            self._arrays["route_mask"] = np.array([p.is_route for p in self.places], dtype=bool)
        return self._arrays["route_mask"]

    def folded(self, attribute: str) -> list[str | None]:
        """An attribute (country, admin1) of every location, folded for matching, None where
        it is empty; each distinct value is folded once (thousands of places, a few names)."""
        key = f"folded:{attribute}"
        if key not in self._arrays:
            values = [getattr(p, attribute) or None for p in self.places]
            keys = {v: fold(v) for v in set(values) if v is not None} | {None: None}
            self._arrays[key] = [keys[v] for v in values]
        return self._arrays[key]

    def point_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Indices, latitudes and longitudes of point places."""
        if "points" not in self._arrays:
            idx = np.array([i for i, p in enumerate(self.places) if not p.is_route], dtype=np.int64)
            lat = np.array([self.places[i].lat for i in idx], dtype=np.float64)
            lon = np.array([self.places[i].lon for i in idx], dtype=np.float64)
            self._arrays["points"] = (idx, lat, lon)
        return self._arrays["points"]

    def segment_arrays(
        self, only: list[int] | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Every straight piece of every route (or of the routes `only` lists, by index):
        owner index, start lat/lon, end lat/lon."""
        if only is None and "segments" in self._arrays:
            return self._arrays["segments"]
        owner, a_lat, a_lon, b_lat, b_lon = [], [], [], [], []
        chosen = range(len(self.places)) if only is None else only
        for i in chosen:
            p = self.places[i]
            if not p.is_route:
                continue
            for (la, lo), (lb, lob) in itertools.pairwise(p.coords):
                owner.append(i)
                a_lat.append(la)
                a_lon.append(lo)
                b_lat.append(lb)
                b_lon.append(lob)
        f = np.float64
        arrays = (
            np.array(owner, dtype=np.int64),
            np.array(a_lat, f),
            np.array(a_lon, f),
            np.array(b_lat, f),
            np.array(b_lon, f),
        )
        if only is None:
            self._arrays["segments"] = arrays
        return arrays


def _coords(geom: object, where: str, name: str) -> tuple[tuple[float, float], ...]:
    if not isinstance(geom, dict):
        raise ValueError("geometry must be an object")
    gtype, c = geom.get("type"), geom.get("coordinates")
    points: list[Any] | None
    if gtype == "Point":
        points = [c]
    elif gtype == "LineString":
        points = c if isinstance(c, list) else None
        if not points or len(points) < 2:
            raise ValueError("a LineString needs at least 2 positions")
    else:
        raise ValueError(f"geometry type must be Point or LineString, got {gtype!r}")
    out = []
    for pt in points:
        if not (
            isinstance(pt, list)
            and len(pt) >= 2
            and all(isinstance(v, int | float) for v in pt[:2])
        ):
            raise ValueError(f"bad position {pt!r}: expected [longitude, latitude]")
        lon, lat = float(pt[0]), float(pt[1])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError(
                f"position {pt!r} out of range (GeoJSON order is [longitude, latitude])"
            )
        out.append((lat, lon))
    return tuple(out)


_PLACES = TypeAdapter(list[Place])


def _loads(text: str) -> object:
    """The JSON document: orjson reads 10,000 places in half the time of `json`; whatever
    it refuses is read by `json`, which words the errors (and takes what orjson does not,
    such as integers beyond 64 bits)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def _validated(name: str, feats: list[Any]) -> list[Place] | None:
    """Every feature as a `Place` in one pydantic call (10,000 calls cost 0.01-0.02 s more),
    or None if any feature is not a valid place: `read_places` then goes through them one by
    one to report each problem where it is."""
    try:
        items = [{**f["properties"], "coords": _coords(f["geometry"], "", name)} for f in feats]
        return _PLACES.validate_python(items)
    except (ValidationError, ValueError, TypeError, KeyError):
        return None


def read_places(path: Path) -> Gazetteer:
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(Problem(name, f"cannot read places file: {exc.strerror}")) from exc
    try:
        doc = _loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputError(Problem(name, "not valid UTF-8")) from exc
    except json.JSONDecodeError as exc:
        raise InputError(Problem(name, f"malformed GeoJSON: {exc.msg}", exc.lineno)) from exc
    except RecursionError:
        raise InputError(Problem(name, "malformed GeoJSON: nested too deeply")) from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise InputError(Problem(name, "expected a GeoJSON FeatureCollection"))
    feats = doc.get("features")
    if not isinstance(feats, list) or not feats:
        raise InputError(Problem(name, "the FeatureCollection has no features"))
    valid = _validated(name, feats)
    if valid is not None and len({p.id for p in valid}) == len(valid):
        valid.sort(key=lambda p: p.id)
        return Gazetteer(valid, InputDigest("places", name, sha256(raw), len(valid)))
    places: list[Place] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, feat in enumerate(feats):
        where = f"features[{i}]"
        props = feat.get("properties") if isinstance(feat, dict) else None
        if not isinstance(props, dict):
            problems.append(Problem(name, "feature has no properties object", field=where))
            continue
        try:
            coords = _coords(feat.get("geometry"), where, name)
            place = Place.model_validate({**props, "coords": coords})
        except ValidationError as exc:
            for err in exc.errors():
                fld = f"{where}.properties." + ".".join(str(x) for x in err["loc"])
                problems.append(
                    Problem(name, f"{err['msg']} (got {err.get('input')!r})", field=fld)
                )
            continue
        except ValueError as exc:
            problems.append(Problem(name, str(exc), field=f"{where}.geometry"))
            continue
        if place.id in seen:
            problems.append(
                Problem(name, f"duplicate id {place.id!r}", field=f"{where}.properties.id")
            )
            continue
        seen.add(place.id)
        places.append(place)
    if problems:
        raise InputError(problems)
    places.sort(key=lambda p: p.id)
    return Gazetteer(places, InputDigest("places", name, sha256(raw), len(places)))
