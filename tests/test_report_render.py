"""The demo advisory rendered for real: headless Chromium loads the HTML (desktop and phone
width), WeasyPrint writes the PDF and poppler turns it into pages and text.

The tools must be installed (`.ci/run` does it): a missing tool FAILS with the install command,
it is never a silent skip.
"""

from __future__ import annotations

import html as htmlmod
import json
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from system_tools import chromium, tool

from advisory.engine import DATA_DIR, assess
from advisory.outputs.report import PRINT_EVIDENCE, render_html, render_pdf, write_demo_reports

AS_OF = date(2025, 11, 20)
PHONE_PX = 360


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    a = assess([DATA_DIR / "incidents"], [DATA_DIR / "guidance"], as_of=AS_OF).assessment
    out = tmp_path_factory.mktemp("demo")
    paths = write_demo_reports(a, out / "advisory-demo")
    return a, paths[0], paths[1], out


def test_demo_reports_written(demo) -> None:
    _, html_path, pdf_path, _ = demo
    assert html_path.name == "advisory.html" and pdf_path.name == "advisory.pdf"
    assert html_path.stat().st_size < 1_500_000
    assert pdf_path.read_bytes().startswith(b"%PDF-")


# --- Chromium -----------------------------------------------------------------------------


def test_chromium_renders_the_html_without_errors(demo) -> None:
    run, html_path, _, tmp = demo
    res = chromium(
        "--dump-dom",
        "--enable-logging=stderr",
        "--v=0",
        "--virtual-time-budget=3000",
        html_path.as_uri(),
        tmp=tmp,
    )
    assert res.returncode == 0, res.stderr[-2000:]
    dom = res.stdout
    assert "<h1>Travel risk advisory</h1>" in dom
    first = run.bottom_line.personal_security.split("(")[0].strip()
    assert first in htmlmod.unescape(dom)
    assert dom.count("<svg") == 3
    console = [line for line in res.stderr.splitlines() if "CONSOLE" in line]
    blocked = [c for c in console if "Content Security Policy" in c or "Refused" in c]
    assert blocked == [], blocked  # nothing tried to load anything
    assert not any("Uncaught" in c or "error" in c.lower() for c in console), console


def _phone_probe(page_html: str, path: Path) -> None:
    """The advisory inside a 360-px iframe (headless Chromium will not make a window that
    narrow); a script in the outer page reports the inner document's widths."""
    path.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><style>body{margin:0}"
        f"iframe{{width:{PHONE_PX}px;height:800px;border:0;display:block}}</style></head><body>"
        f'<iframe id="f" srcdoc="{htmlmod.escape(page_html, quote=True)}"></iframe>'
        '<pre id="probe">pending</pre><script>'
        'document.getElementById("f").addEventListener("load", function () {'
        " var d = this.contentDocument.documentElement, w = this.contentWindow;"
        ' document.getElementById("probe").textContent = JSON.stringify({'
        " scroll: d.scrollWidth, client: d.clientWidth, inner: w.innerWidth,"
        ' h1: this.contentDocument.querySelector("h1").textContent}); });'
        "</script></body></html>",
        "utf-8",
    )


def _probe(tmp: Path, page_html: str, name: str) -> dict:
    path = tmp / name
    _phone_probe(page_html, path)
    res = chromium(
        "--dump-dom", "--window-size=800,900", "--virtual-time-budget=5000", path.as_uri(), tmp=tmp
    )
    m = re.search(r'<pre id="probe">(.*?)</pre>', res.stdout, re.S)
    assert m and m.group(1) != "pending", res.stdout[-500:] + res.stderr[-1000:]
    return json.loads(htmlmod.unescape(m.group(1)))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_phone_width_has_no_horizontal_scroll(demo, lang: str) -> None:
    run, _, _, tmp = demo
    got = _probe(tmp, render_html(run, lang=lang), f"phone-{lang}.html")
    assert got["inner"] == PHONE_PX
    assert got["h1"]
    assert got["scroll"] <= got["client"], got


def test_phone_probe_detects_overflow(demo) -> None:
    """The probe is real: the same page with one 1000-px-wide element does scroll."""
    run, _, _, tmp = demo
    wide = render_html(run).replace("<main>", '<main><div style="width:1000px">x</div>', 1)
    got = _probe(tmp, wide, "phone-wide.html")
    assert got["scroll"] > got["client"], got


# --- PDF with poppler -----------------------------------------------------------------------


def _pdftotext(pdf: Path, page: int | None = None) -> str:
    args = [tool("pdftotext"), "-enc", "UTF-8"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    res = subprocess.run([*args, str(pdf), "-"], capture_output=True, text=True, check=True)
    return res.stdout


def _pages(pdf: Path) -> int:
    res = subprocess.run([tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", res.stdout, re.M).group(1))


def _read_pgm(path: Path) -> tuple[int, int, bytes]:
    data = path.read_bytes()
    m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    assert m, f"{path} is not a binary PGM"
    w, h = int(m.group(1)), int(m.group(2))
    return w, h, data[m.end() : m.end() + w * h]


def test_pdf_is_a_brief_of_at_most_six_pages_none_blank(demo) -> None:
    """Issue 22: the printed advisory briefs; the evidence stays in the HTML and the JSON."""
    _, _, pdf, tmp = demo
    n = _pages(pdf)
    assert 3 <= n <= 6, n
    outdir = tmp / "pages"
    outdir.mkdir(exist_ok=True)
    subprocess.run(
        [tool("pdftoppm"), "-r", "50", "-gray", str(pdf), str(outdir / "p")],
        check=True,
        capture_output=True,
    )
    pages = sorted(outdir.glob("p-*.pgm"))
    assert len(pages) == n
    for p in pages:
        w, h, px = _read_pgm(p)
        assert (w, h) == (413, 585) or abs(w / h - 210 / 297) < 0.01  # A4 portrait
        dark = sum(1 for b in px if b < 128)
        mean = sum(px) / len(px)
        var = sum((b - mean) ** 2 for b in px[::7]) / len(px[::7])
        assert dark > 200 and var > 50, f"{p.name} looks blank (dark={dark}, var={var:.1f})"


# @page's left and right margins (templates/advisory.html.j2): 12 mm, in points
SIDE_MARGIN_PT = 12 / 25.4 * 72
WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>'
)


def _words_outside_the_margins(pdf: Path) -> list[str]:
    """Every word (pdftotext -bbox) that lies beyond the page's left or right margin, with
    its page and edges; a clipped table column shows as its last words past the right one."""
    res = subprocess.run(
        [tool("pdftotext"), "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    out = []
    for k, page in enumerate(res.stdout.split("<page ")[1:], start=1):
        width = float(re.search(r'width="([\d.]+)"', page).group(1))
        left, right = SIDE_MARGIN_PT - 0.5, width - SIDE_MARGIN_PT + 0.5
        words = WORD.findall(page)
        assert words, f"page {k} has no text"
        out += [
            f"page {k}: {htmlmod.unescape(w)!r} at x={float(x0):.1f}..{float(x1):.1f}"
            for x0, x1, w in words
            if float(x0) < left or float(x1) > right
        ]
    return out


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_pdf_no_word_beyond_the_margins(demo, lang: str) -> None:
    """The printed brief fits A4 portrait in either language: the backtest table's columns
    (9 of them, with French headers about a third longer) and the levels table's were cut
    at the page's edge. The French brief keeps to six pages too."""
    run, _, pdf, tmp = demo
    if lang != "en":
        pdf = tmp / f"brief.{lang}.pdf"
        pdf.write_bytes(render_pdf(render_html(run, lang=lang, edition="print")))
        assert _pages(pdf) <= 6
    assert _words_outside_the_margins(pdf) == []
    backtest = " ".join(_pdftotext(pdf).split())
    model = "0,83 0,70 0,84" if lang == "fr" else "0.83 0.70 0.84"  # AUC: model, 90 d, 730 d
    assert model in backtest


def test_margin_check_finds_a_clipped_word(tmp_path: Path) -> None:
    """The check above sees a word past the right margin (a table wider than the page)."""
    wide = "".join(f"<td>cell{k}</td>" for k in range(40))
    page = f'<html><body><table style="width:auto"><tr>{wide}</tr></table></body></html>'
    pdf = tmp_path / "wide.pdf"
    style = "<style>@page { size: A4; margin: 13mm 12mm 15mm; }</style>"
    pdf.write_bytes(render_pdf(style + page))
    outside = _words_outside_the_margins(pdf)
    assert outside and all(": 'cel" in w for w in outside), outside


def test_pdf_page_one_has_the_bottom_line_and_the_map(demo) -> None:
    run, _, pdf, _ = demo
    first = " ".join(_pdftotext(pdf, 1).split())
    assert "Bottom line" in first and "Map: personal-security level by place and road" in first
    lead = " ".join(run.bottom_line.personal_security.split()[:5])
    assert lead in first
    for legend in (
        "National border",
        "District (cercle) boundary",
        "Extreme",
        "Negligible",
        "km",
        "Bamako",
        "frame: the map's area",
        "shipped ones are schematic",
    ):
        assert legend in first, legend
    text = " ".join(_pdftotext(pdf).split())
    for section in (
        "Levels by place and road",
        "Trends",
        "Government guidance",
        "Indicators to watch",
        "Recommended measures",
        "How the assessment works",
    ):
        assert section in text, section
    assert "Regime collapse" in text and "Page 1 of" in text  # page numbers from @page counters
    assert "Appendix: evidence" not in text and "Incident register" not in text


def test_pdf_fonts_are_embedded(demo) -> None:
    _, _, pdf, _ = demo
    res = subprocess.run([tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True)
    rows = res.stdout.splitlines()[2:]
    assert rows, "no fonts listed"
    for row in rows:
        cols = row.split()
        # name type... encoding emb sub uni object ID: emb is the 5th column from the end
        assert cols[-5] == "yes", row


def test_pdf_appendix_prints_the_strongest_incidents_only(demo) -> None:
    """With the appendix: per place at most PRINT_EVIDENCE incidents, the strongest, then how
    many more the HTML holds; no register. The HTML keeps every one (test_report.py)."""
    run, html_path, _, tmp = demo
    pdf = tmp / "appendix.pdf"
    pdf.write_bytes(render_pdf(render_html(run, appendix=True, edition="print")))
    text = _pdftotext(pdf)
    assert "Appendix: evidence" in text and _pages(pdf) > 6
    # each place's evidence opens with "Name — Personal security 4 High · Regime collapse ..."
    parts = re.split(r"^(.+) — Personal security \d.*$", text, flags=re.M)
    blocks = dict(zip(parts[1::2], parts[2::2], strict=True))
    by_name = {loc.name: loc for loc in run.locations}
    assert len(blocks) > 10
    cut = 0
    for name, block in blocks.items():
        cited = [c.id for c in by_name[name].evidence]
        printed = re.findall(r"^(MLI\d+) · \d{4}-\d\d-\d\d · ", block, re.M)
        assert printed == cited[:PRINT_EVIDENCE], name
        more = len(cited) - PRINT_EVIDENCE
        if more > 0:
            cut += 1
            assert f"and {more} more incident" in block, name
    assert cut > 10
    assert "Incident register" not in text
    assert 'id="register"' in html_path.read_text("utf-8")  # the screen edition keeps it


def test_pdf_french(demo) -> None:
    run, _, _, tmp = demo
    pdf = tmp / "fr.pdf"
    pdf.write_bytes(render_pdf(render_html(run, lang="fr", appendix=True, edition="print")))
    text = " ".join(_pdftotext(pdf).split())
    assert "L'essentiel" in text and "Effondrement du régime" in text and "Page 1 sur" in text
    assert "Situation au 20 novembre 2025" in text
    assert re.search(r"et \d+ autres incidents : voir l'édition HTML ou l'évaluation JSON", text)
    assert "Aucun centre de population n'est tenu par un groupe armé" in text


def test_the_printed_tables_keep_the_worst_rows_and_say_how_many_more(tmp_path: Path) -> None:
    """A country-wide assessment stays a brief: each printed level table keeps its worst
    PRINT_ROWS rows and says how many more the HTML and JSON hold; the screen keeps them all."""
    from acled_factory import point, series, write_csv, write_places

    from advisory.outputs.report.context import PRINT_ROWS

    n = PRINT_ROWS + 15
    towns = [point("bamako", "Bamako", "capital", 12.64, -8.0, population=2_800_000)]
    towns += [point(f"t{i}", f"Town {i}", "village", 13.0 + i * 0.05, -6.0) for i in range(n)]
    places = write_places(tmp_path / "p.geojson", towns)
    csv = write_csv(tmp_path / "a.csv", series("A", date(2025, 10, 1), 12, 13.0, -6.0))
    a = assess([csv], places=places, as_of=date(2025, 11, 20)).assessment
    screen = render_html(a)
    printed = render_html(a, edition="print")
    table = re.compile(r"<h3>Places \(\d+\)</h3>.*?</table>", re.DOTALL)
    # a row's anchor: on the row on screen, on its name in print (one each, either way)
    assert table.search(screen).group().count('id="row-') == n + 1
    assert table.search(printed).group().count('id="row-') == PRINT_ROWS
    assert f"and {n + 1 - PRINT_ROWS} more places, none worse than those above" in printed
    assert "Town 0" in table.search(printed).group()  # the worst (nearest the incidents) first
