"""Time rendering one HTML page per place and road, plus the index (issue 6: 1,000 place
advisories to HTML in under 2 seconds).

Not a test: it prints figures. The gazetteer and incidents are generated with the functions of
bench_engine.py (towns scattered over a box the size of West Africa, incidents clustered
around them) into a temporary folder, never committed; one country-wide guidance entry is in
force everywhere, as in a real desk. The assessment is timed apart; the figure for the target
is `write_place_pages` end to end (context, templates, files), median of --repeat runs.

    python bench/bench_place_pages.py [--places 1000] [--roads 200] [--events 20000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl
from bench_engine import AS_OF, make_events, make_places

from advisory.engine import assess
from advisory.outputs.report import write_place_pages

GUIDANCE = """\
- id: xx-bench-1
  issuer: FR
  issued: 2025-11-01
  level: 4
  action: leave_now
  scope: {country: ML}
  reasons: [terrorism, kidnapping]
  source: https://example.org/advice
  summary: Leave the country by commercial flights while they run.
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--places", type=int, default=1_000)
    ap.add_argument("--roads", type=int, default=200)
    ap.add_argument("--events", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--lang", default="en", choices=["en", "fr"])
    args = ap.parse_args()
    rng = np.random.default_rng(42)
    print(
        f"machine: {platform.machine()} python {platform.python_version()}, "
        f"polars {pl.__version__}; median of {args.repeat}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        places = root / "places.geojson"
        centres = make_places(places, args.places, args.roads, rng)
        events = root / "events.csv"
        make_events(events, args.events, centres, rng)
        guidance = root / "guidance.yaml"
        guidance.write_text(GUIDANCE, "utf-8")

        t0 = time.perf_counter()
        run = assess([events], [guidance], places, None, AS_OF)
        t_assess = time.perf_counter() - t0
        n = len(run.assessment.locations)

        times = []
        for k in range(args.repeat):
            out = root / f"pages{k}"
            t0 = time.perf_counter()
            paths = write_place_pages(run.assessment, out, lang=args.lang)
            times.append(time.perf_counter() - t0)
        size = sum(p.stat().st_size for p in paths)
        t = statistics.median(times)
        print(f"assess            {t_assess:7.2f} s  ({args.events} events, {n} locations)")
        print(
            f"place pages       {t:7.2f} s  ({len(paths) - 1} pages + index, "
            f"{t / (len(paths) - 1) * 1000:.2f} ms a page, {size / 1e6:.1f} MB; "
            f"min {min(times):.2f} s, max {max(times):.2f} s)"
        )


if __name__ == "__main__":
    main()
