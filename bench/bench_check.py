"""Time `advisory check` end to end on a 5-leg itinerary against the shipped demo data.

Target (issue 4): under 1 second per check, process start included. Prints the median of
several runs of the real command, and the in-process time without interpreter start-up.

    python bench/bench_check.py [--runs 7]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ITINERARY = """\
travellers: {profile: national-staff, headcount: 3}
legs:
  - {from: Bamako, to: Koulikoro, date: 2025-11-25, depart: "07:30", vehicles: 2}
  - {from: Koulikoro, to: Bamako, date: 2025-11-26, depart: "09:00", vehicles: 2}
  - {from: Bamako, to: Sénou airport, date: 2025-11-27}
  - {from: Bamako, to: Kita, date: 2025-11-28, vehicles: 2}
  - {from: Bamako, to: Ségou, date: 2025-11-29, vehicles: 2}
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    exe = shutil.which("advisory") or str(Path(sys.executable).with_name("advisory"))
    with tempfile.TemporaryDirectory() as tmp:
        trip = Path(tmp) / "trip.yaml"
        trip.write_text(ITINERARY, encoding="utf-8")
        cmd = [exe, "check", "--itinerary", str(trip), "--format", "json"]
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            done = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=tmp)
            times.append(time.perf_counter() - t)
            if done.returncode not in (0, 1):
                sys.exit(f"check failed ({done.returncode}): {done.stderr}")
        print(
            f"advisory check, 5 legs, end to end: median {statistics.median(times):.3f} s, "
            f"min {min(times):.3f} s, max {max(times):.3f} s over {args.runs} runs"
        )

        from advisory.engine import DATA_DIR, assess
        from advisory.outputs.trip import check_trip, load_itinerary

        inner = []
        for _ in range(args.runs):
            t = time.perf_counter()
            run = assess([DATA_DIR / "incidents"], [DATA_DIR / "guidance"])
            check_trip(run, load_itinerary(trip))
            inner.append(time.perf_counter() - t)
        print(f"in process (assess + check, no start-up): median {statistics.median(inner):.3f} s")


if __name__ == "__main__":
    main()
