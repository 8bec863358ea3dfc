"""Time the exports (workbook, brief, GeoJSON, KML) on the demo and on a country-sized copy.

Not a test: it prints figures. The copy repeats the demo's locations (new ids) until there are
`--locations` of them, so a workbook of a whole region's gazetteer is timed without a whole
region's assessment run.

    python bench/bench_exports.py [--locations 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from collections.abc import Callable
from datetime import date

from advisory.assessment import Assessment, assessment_json
from advisory.engine import DATA_DIR, assess
from advisory.outputs.exports.brief import brief_text
from advisory.outputs.exports.kml import kml_bytes
from advisory.outputs.exports.layers import geojson_text
from advisory.outputs.exports.xlsx import xlsx_bytes


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def scaled(a: Assessment, n: int) -> Assessment:
    doc = json.loads(assessment_json(a))
    base = doc["locations"]
    doc["locations"] = [
        {**base[i % len(base)], "id": f"{base[i % len(base)]['id']}-{i}"} for i in range(n)
    ]
    return Assessment.model_validate(doc)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--locations", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    demo = assess([DATA_DIR / "incidents"], [DATA_DIR / "guidance"], as_of=date(2025, 11, 20))
    big = scaled(demo.assessment, args.locations)
    print(f"python {platform.python_version()}, {platform.machine()}")
    for label, a in (("demo", demo.assessment), (f"{args.locations:,} locations", big)):
        print(f"{label}: {len(a.locations):,} locations, {len(a.incidents):,} incidents")
        writers = {
            "xlsx": xlsx_bytes,
            "geojson": geojson_text,
            "kml": kml_bytes,
            "brief": brief_text,
        }
        for name, write in writers.items():
            secs, out = timed(lambda a=a, write=write: write(a), args.repeat)
            size = len(out) if isinstance(out, bytes | str) else 0
            print(f"  {name:8s} {secs:7.3f} s  {size / 1e6:8.2f} MB")


if __name__ == "__main__":
    main()
