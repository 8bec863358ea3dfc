"""Issue 22: a desk update costs what changed, not the whole history.

Not a test: it prints figures. For each store size (default 300k and 1M rows of generate.py's
ACLED-format data, 10k places), each step timed as a process (`python -m advisory update`), the
median of --repeat rounds, with the process's peak memory (ru_maxrss):

  1. first import: a new desk, the whole export dropped into its incidents folder; beside it
     `advisory assess` on the same file, as a process too (target: within 3x of it at 1M);
  2. +1,000 rows: a file of 1,000 new events dropped in (target: under 10 s at 1M);
  3. nothing new: the update run again (target: under 2 s and 500 MB at 1M).

The desk publishes JSON only by default, so that its own part is what is timed; with --reports
the +1,000 step also renders the HTML, Markdown and PDF (en), and the update's own timings
split the wall time into the desk's part and the report rendering (which is timed apart because
the reports are another piece of work). The update's step timings (gather, import, assess,
compare, write_json, render_reports, notify) are printed for each step, and each process's
CPU time (user + system, all threads) beside its wall time, which on a shared machine says as
much about the other jobs as about the desk.

    python bench/bench_desk.py                          # 300k and 1M, 3 rounds each
    python bench/bench_desk.py --sizes 100000 --repeat 1   # a quick look
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # the sibling generator script

AS_OF = "2025-11-20"
PLACES = 10_000
ROADS = 200
NEW_ROWS = 1_000


def _data(data: Path, n_events: int) -> tuple[Path, Path]:
    """The same cached files as bench_scale.py (deterministic, so shared)."""
    data.mkdir(parents=True, exist_ok=True)
    places_path = data / f"places{PLACES}.geojson"
    events_path = data / f"events{n_events}.csv"
    places = None
    if not places_path.exists():
        places = generate.generate_places(PLACES, ROADS, seed=42)
        generate.write_places(places, places_path)
    if not events_path.exists():
        places = places or generate.generate_places(PLACES, ROADS, seed=42)
        as_of = generate.AS_OF
        generate.write_events(generate.generate_events(places, n_events, as_of, seed=42),
                              events_path)  # fmt: skip
    return events_path, places_path


# Runs a command and writes its own peak memory and CPU time: a child forked from a large
# process starts with that process's peak in ru_maxrss (the kernel carries it over fork and
# exec), so each measured command is started from this small launcher, never from the bench.
LAUNCH = """
import os, subprocess, sys
p = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(p.pid, 0)
cpu = usage.ru_utime + usage.ru_stime
open(sys.argv[1], "w").write(f"{usage.ru_maxrss} {os.waitstatus_to_exitcode(status)} {cpu}")
"""
# CPU seconds (user + system) of the last process `_peak_process` ran: on a shared machine
# its wall time says as much about the other jobs as about the desk
LAST_CPU = [0.0]


def _peak_process(args: list[str], work: Path) -> tuple[float, float, str]:
    """Wall time (s), peak memory (MB) and stdout of a process (its CPU time in LAST_CPU).
    Its output goes to files (a pipe left unread would stall it)."""
    out_path, err_path, peak_path = work / "stdout.txt", work / "stderr.txt", work / "peak.txt"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", LAUNCH, str(peak_path), *args], stdout=out,
                       stderr=err, check=False)  # fmt: skip
        wall = time.perf_counter() - t
    peak, status, cpu = peak_path.read_text().split()
    peak_kb, code, LAST_CPU[0] = int(peak), int(status), float(cpu)
    if code != 0:
        raise SystemExit(f"{' '.join(args)} failed ({code}):\n{err_path.read_text()}")
    return wall, peak_kb / 1024, out_path.read_text()


def _desk(root: Path, places: Path, formats: list[str]) -> Path:
    root.mkdir(parents=True)
    (root / "incidents").mkdir()
    (root / "advisory.toml").write_text(
        f'[desk]\nname = "bench"\nplaces = "{places}"\n\n[sources]\nincidents = ["incidents"]\n'
        f'guidance = ["guidance"]\n\n[publish]\nformats = {json.dumps(formats)}\n'
        'languages = ["en"]\n',
        "utf-8",
    )
    return root / "advisory.toml"


def _update(config: Path) -> tuple[float, float, dict[str, object]]:
    args = [sys.executable, "-m", "advisory", "update", "--config", str(config), "--as-of",
            AS_OF, "-f", "json"]  # fmt: skip
    wall, peak, out = _peak_process(args, config.parent.parent)
    return wall, peak, json.loads(out)


def _new_rows(events: Path, dest: Path, tag: str) -> None:
    """1,000 new events: rows of the export under new ids, stamped as recent revisions."""
    rows = pl.read_csv(events, n_rows=NEW_ROWS, infer_schema=False)
    rows = rows.with_columns(
        (pl.lit(f"NEW{tag}-") + pl.int_range(pl.len()).cast(pl.String)).alias("event_id_cnty"),
        pl.lit("1764000000").alias("timestamp"),
    )
    rows.write_csv(dest)


def _fmt(walls: list[float], peaks: list[float], cpus: list[float]) -> str:
    return (
        f"{statistics.median(walls):6.2f} s (min {min(walls):.2f}, max {max(walls):.2f}), "
        f"peak {max(peaks):5.0f} MB, CPU {statistics.median(cpus):6.2f} s"
    )


def _timings(doc: dict[str, object]) -> str:
    t = doc.get("timings") or {}
    return ", ".join(f"{k} {v:.2f}" for k, v in t.items())  # type: ignore[union-attr]


def bench_size(n: int, data: Path, repeat: int, reports: bool, work: Path) -> None:
    events, places = _data(data, n)
    print(f"\n== {n:,} rows ({events.stat().st_size / 1e6:.0f} MB), {PLACES:,} places ==")
    assess = [sys.executable, "-m", "advisory", "assess", "-i", str(events), "-p", str(places),
              "--as-of", AS_OF, "-f", "json", "--rejects", str(work / "rejects.csv")]  # fmt: skip
    # per step: walls, peaks, CPU times
    steps: dict[str, tuple[list[float], list[float], list[float]]] = {
        k: ([], [], []) for k in ("assess", "first", "plus", "plus_reports", "none")
    }

    def record(step: str, wall: float, peak: float) -> None:
        for values, v in zip(steps[step], (wall, peak, LAST_CPU[0]), strict=True):
            values.append(v)

    last: dict[str, dict[str, object]] = {}
    for r in range(repeat):  # assess and the first import side by side in each round
        wall, peak, _ = _peak_process(assess, work)
        record("assess", wall, peak)
        root = work / f"desk{n}-{r}"
        config = _desk(root, places, ["json"])
        os.link(events, root / "incidents" / "export.csv")
        for step, prepare in (
            ("first", None),
            ("plus", lambda r=r, root=root: _new_rows(events, root / "incidents" / f"new{r}.csv",
                                                      f"{r}a")),
            ("none", None),
        ):  # fmt: skip
            if prepare:
                prepare()
            wall, peak, doc = _update(config)
            record(step, wall, peak)
            last[step] = doc
        if reports:
            text = config.read_text().replace(
                'formats = ["json"]', 'formats = ["json", "html", "md", "pdf"]'
            )
            config.write_text(text)
            _update(config)  # the config changed: assessed once again, nothing published
            _new_rows(events, root / "incidents" / f"new{r}b.csv", f"{r}b")
            wall, peak, doc = _update(config)
            record("plus_reports", wall, peak)
            last["plus_reports"] = doc
        shutil.rmtree(root)
    ratios = [d / a for d, a in zip(steps["first"][0], steps["assess"][0], strict=True)]
    print(f"advisory assess (process)     {_fmt(*steps['assess'])}")
    print(f"first import                  {_fmt(*steps['first'])}  = "
          f"{statistics.median(ratios):.1f}x assess (median of the rounds' ratios: "
          f"{', '.join(f'{x:.1f}' for x in ratios)})")  # fmt: skip
    print(f"   steps: {_timings(last['first'])}")
    print(f"+{NEW_ROWS:,} rows (JSON)           {_fmt(*steps['plus'])}")
    print(f"   steps: {_timings(last['plus'])}")
    if reports:
        walls = steps["plus_reports"][0]
        rendering = [float(last["plus_reports"]["timings"].get("render_reports", 0))]  # type: ignore[union-attr]
        print(f"+{NEW_ROWS:,} rows (all formats)    {_fmt(*steps['plus_reports'])}")
        print(f"   of which report rendering {rendering[0]:.2f} s; the desk's part "
              f"{statistics.median(walls) - rendering[0]:.2f} s")  # fmt: skip
        print(f"   steps: {_timings(last['plus_reports'])}")
    print(f"nothing new                   {_fmt(*steps['none'])}")
    print(f"   steps: {_timings(last['none'])}; status {last['none']['status']}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[300_000, 1_000_000])
    ap.add_argument("--data", type=Path, default=Path("bench-data"), help="cached inputs")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--reports", action="store_true", help="also time +1,000 with reports")
    args = ap.parse_args(argv)
    print(
        f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores, "
        f"polars {pl.__version__}; median of {args.repeat}"
    )
    with tempfile.TemporaryDirectory(prefix="bench-desk-") as tmp:
        for n in args.sizes:
            bench_size(n, args.data, args.repeat, args.reports, Path(tmp))


if __name__ == "__main__":
    main()
