"""Time the engine end to end on generated ACLED-format data of growing size.

Not a test: it prints figures. The data are synthetic (clustered around generated towns and
along generated roads), written to a temporary folder, and never committed.

    python bench/bench_engine.py                 # 10k, 100k, 300k events x 1k places
    python bench/bench_engine.py --events 1000000 --places 10000
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl

from advisory.engine import assess

AS_OF = date(2025, 11, 20)
NOTES = [
    "JNIM militants ambushed a convoy of fuel tankers escorted by FAMa on the national road.",
    "JNIM militants attacked a military post; the assailants withdrew after clashes.",
    "Gunmen abducted two foreign workers at a mining site near the town.",
    "FAMa drones struck a JNIM position, claiming several militants killed.",
    "Residents protested fuel shortages in front of the town hall.",
]
SUBTYPES = [
    ("Battles", "Armed clash"),
    ("Battles", "Armed clash"),
    ("Violence against civilians", "Abduction/forced disappearance"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Protests", "Peaceful protest"),
]


def make_places(path: Path, n_places: int, n_roads: int, rng: np.random.Generator) -> np.ndarray:
    lat = rng.uniform(5, 20, n_places)
    lon = rng.uniform(-15, 5, n_places)
    feats = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(lo, 5), round(la, 5)]},
            "properties": {
                "id": f"p{i}",
                "name": f"Place {i}",
                "kind": "capital" if i == 0 else "town",
                "population": 10000,
            },
        }
        for i, (la, lo) in enumerate(zip(lat, lon, strict=True))
    ]
    for r in range(n_roads):
        a, b = rng.choice(n_places, 2, replace=False)
        feats.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[lon[a], lat[a]], [lon[b], lat[b]]],
                },
                "properties": {"id": f"r{r}", "name": f"Road {r}", "kind": "route"},
            }
        )
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    return np.stack([lat, lon], axis=1)


def make_events(path: Path, n: int, centres: np.ndarray, rng: np.random.Generator) -> None:
    c = centres[rng.integers(0, len(centres), n)]
    lat = c[:, 0] + rng.normal(0, 0.15, n)
    lon = c[:, 1] + rng.normal(0, 0.15, n)
    kind = rng.integers(0, len(NOTES), n)
    days = rng.integers(0, 3650, n)
    start = AS_OF - timedelta(days=3650)
    df = pl.DataFrame(
        {
            "event_id_cnty": [f"XXX{i}" for i in range(n)],
            "event_date": [(start + timedelta(days=int(d))).isoformat() for d in days],
            "event_type": [SUBTYPES[k][0] for k in kind],
            "sub_event_type": [SUBTYPES[k][1] for k in kind],
            "actor1": "JNIM: Group for Support of Islam and Muslims",
            "actor2": [
                "Civilians (China)" if k == 2 else "Military Forces of Mali (2021-)" for k in kind
            ],
            "latitude": np.round(lat, 4),
            "longitude": np.round(lon, 4),
            "geo_precision": rng.choice([1, 2, 3], n, p=[0.5, 0.4, 0.1]),
            "source": "AFP; RFI",
            "notes": [NOTES[k] for k in kind],
            "fatalities": rng.integers(0, 5, n),
            "timestamp": 1_700_000_000,
        }
    )
    df.write_csv(path)


def timed(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, nargs="+", default=[10_000, 100_000, 300_000])
    ap.add_argument("--places", type=int, nargs="+", default=[1_000])
    ap.add_argument("--roads", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    rng = np.random.default_rng(42)
    print(
        f"machine: {platform.machine()} {platform.processor() or ''} "
        f"python {platform.python_version()}, polars {pl.__version__}, numpy {np.__version__}"
    )
    print(f"{'events':>9} {'places':>7} {'roads':>6} {'read csv':>9} {'assess':>8} {'json':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        for n_places in args.places:
            places = Path(tmp) / f"places{n_places}.geojson"
            centres = make_places(places, n_places, args.roads, rng)
            for n in args.events:
                csv = Path(tmp) / f"events{n}.csv"
                make_events(csv, n, centres, rng)
                t_read, _ = timed(lambda c=csv: pl.read_csv(c, infer_schema=False), args.repeat)
                t_run, run = timed(
                    lambda c=csv, p=places: assess([c], [], p, None, AS_OF), args.repeat
                )
                t_json, _ = timed(lambda r=run: r.assessment.model_dump_json(), args.repeat)
                print(
                    f"{n:>9} {n_places:>7} {args.roads:>6} {t_read:>8.2f}s {t_run:>7.2f}s "
                    f"{t_json:>5.2f}s"
                )


if __name__ == "__main__":
    main()
