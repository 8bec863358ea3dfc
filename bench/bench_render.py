"""Time rendering the demo advisory to HTML, Markdown and PDF (median of 5).

Not a test: it prints figures. Targets (issue 3): HTML well under 1 s, PDF under 5 s on the
2-core CI machine. The assessment itself is timed apart (bench_engine.py covers it).
`--print-evidence N` renders with another number of incidents per place in the printed
evidence (the default is the shipped one), to see what the setting costs.

    python bench/bench_render.py [--repeat 5] [--print-evidence N]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from datetime import date

from advisory.engine import DATA_DIR, assess
from advisory.outputs.report import PRINT_EVIDENCE, render_html, render_markdown, render_pdf


def timed(fn, repeat: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--print-evidence", type=int, default=PRINT_EVIDENCE)
    args = ap.parse_args()
    n = args.print_evidence
    t_assess, run = timed(
        lambda: assess([DATA_DIR / "incidents"], [DATA_DIR / "guidance"], as_of=date(2025, 11, 20)),
        args.repeat,
    )
    t_html, html = timed(lambda: render_html(run, print_evidence=n), args.repeat)
    t_html_fr, _ = timed(lambda: render_html(run, lang="fr", print_evidence=n), args.repeat)
    t_md, _ = timed(lambda: render_markdown(run), args.repeat)
    t_pdf, pdf = timed(lambda: render_pdf(html), args.repeat)
    print(
        f"python {platform.python_version()} on {platform.machine()}, median of {args.repeat}, "
        f"printed evidence {n} incidents per place"
    )
    print(f"assess (demo)       {t_assess * 1000:8.0f} ms")
    print(f"render_html en      {t_html * 1000:8.0f} ms  ({len(html.encode()) / 1e6:.2f} MB)")
    print(f"render_html fr      {t_html_fr * 1000:8.0f} ms")
    print(f"render_markdown     {t_md * 1000:8.0f} ms")
    print(f"render_pdf          {t_pdf * 1000:8.0f} ms  ({len(pdf) / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
