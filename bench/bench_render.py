"""Time the advisory: HTML, Markdown and the PDF brief (and with the evidence appendix), for the
demo and, with --incidents/--places, for a real export (issue 22: the demo PDF under 3 s, a
country export's under 5 s, at most 6 pages for the demo).

Not a test: it prints figures. The first PDF of a process is timed apart ("cold": WeasyPrint
loads its fonts then), as `advisory demo` and `render` pay it; then the median of --repeat.
A PDF is timed from the assessment: its print edition rendered (`edition="print"`), then laid
out, as `render -f pdf` and the desk make it. The assessment itself is timed apart
(bench_engine.py covers it).

    python bench/bench_render.py [--repeat 5]
    python bench/bench_render.py --incidents mali.csv --places src/advisory/data/mali.geojson
    python bench/bench_render.py --incidents a.csv --incidents b.csv --places ... --as-of 2020-07-31
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import tempfile
import time
from datetime import date
from pathlib import Path

from advisory.engine import DATA_DIR, assess
from advisory.outputs.report import render_html, render_markdown, render_pdf

CPU: list[float] = []  # the CPU seconds of the last `timed` call (median), beside its wall time


def timed(fn, repeat: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    """Median wall time of `repeat` calls and the last result; the median CPU time of this
    process goes to CPU[0] (on a shared machine the wall time also counts others' work)."""
    times, cpu, out = [], [], None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    CPU[:] = [statistics.median(cpu)]
    return statistics.median(times), out


def ms(t: float) -> str:
    return f"{t * 1000:6.0f} ms wall {CPU[0] * 1000:6.0f} ms cpu"


def pages(pdf: bytes) -> str:
    """Page count from poppler's pdfinfo, if installed."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(pdf)
        fh.flush()
        try:
            out = subprocess.run(["pdfinfo", fh.name], capture_output=True, text=True, check=True)
        except (OSError, subprocess.CalledProcessError):
            return "?"
    return next((ln.split()[-1] for ln in out.stdout.splitlines() if ln.startswith("Pages:")), "?")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument(
        "--incidents", type=Path, action="append", help="ACLED exports (default: the demo data)"
    )
    ap.add_argument("--places", type=Path, help="its gazetteer (default: the shipped one)")
    ap.add_argument("--as-of", type=date.fromisoformat, help="default: the latest event's date")
    ap.add_argument("--lang", default="en")
    args = ap.parse_args()
    t0 = time.perf_counter()
    if args.incidents:
        run = assess(args.incidents, [], args.places, as_of=args.as_of)
    else:
        run = assess([DATA_DIR / "incidents"], [DATA_DIR / "guidance"], as_of=date(2025, 11, 20))
    t_assess = time.perf_counter() - t0
    a, lang = run.assessment, args.lang

    def pdf_of(appendix: bool) -> bytes:
        return render_pdf(render_html(a, lang=lang, appendix=appendix, edition="print"))

    t_cold, pdf = timed(lambda: pdf_of(False), 1)
    cold = ms(t_cold)
    t_html, html = timed(lambda: render_html(a, lang=lang), args.repeat)
    html_t = ms(t_html)
    t_md, _ = timed(lambda: render_markdown(a, lang=lang), args.repeat)
    md_t = ms(t_md)
    t_print, brief = timed(lambda: render_html(a, lang=lang, edition="print"), args.repeat)
    print_t = ms(t_print)
    t_pdf, pdf = timed(lambda: pdf_of(False), args.repeat)
    pdf_t = ms(t_pdf)
    t_app, app = timed(lambda: pdf_of(True), max(1, args.repeat // 2))
    app_t = ms(t_app)
    print(
        f"python {platform.python_version()} on {platform.machine()}, median of {args.repeat}; "
        f"{len(a.locations)} locations, {a.inputs['incidents']['used']} events used, lang {lang}"  # type: ignore[index]
    )
    print(f"assess              {t_assess * 1000:6.0f} ms wall")
    print(f"pdf brief, cold     {cold}  (the first PDF of a process)")
    print(f"render_html         {html_t}  ({len(html.encode()) / 1e6:.2f} MB)")  # type: ignore[attr-defined]
    print(f"render_markdown     {md_t}")
    print(f"print edition       {print_t}  ({len(brief.encode()) / 1e6:.2f} MB)")  # type: ignore[attr-defined]
    print(f"pdf brief           {pdf_t}  ({len(pdf) / 1e6:.2f} MB, {pages(pdf)} pages)")  # type: ignore[arg-type]
    print(f"pdf with appendix   {app_t}  ({pages(app)} pages)")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
