"""Hostile templates, output folders, text and geometry against the reports (issue 20, items 3
and 13): each case here failed before the defence it checks."""

from __future__ import annotations

import base64
import re
from datetime import date
from pathlib import Path

import jinja2
import numpy as np
import pytest
from acled_factory import cli_inputs
from click.testing import CliRunner
from markupsafe import Markup

from advisory.cli import cli
from advisory.engine import DATA_DIR, assess
from advisory.outputs.report import render_html, render_markdown, write_place_pages
from advisory.outputs.report.mapsvg import map_svg
from advisory.outputs.report.templating import svg_image

AS_OF = date(2025, 11, 20)
PAYLOAD = "{{ lv.__globals__.__builtins__.__import__('os').popen('touch %s').read() }}"


@pytest.fixture(scope="module")
def demo():
    return assess([DATA_DIR / "incidents"], [DATA_DIR / "guidance"], as_of=AS_OF).assessment


# --- templates are rendered in a sandbox and never leave their folder -------------------------


@pytest.mark.parametrize("attr", ["lv.__globals__", "t.__init__.__globals__", "a.__class__"])
def test_template_cannot_reach_python_internals(demo, tmp_path: Path, attr: str) -> None:
    witness = tmp_path / "ran"
    tdir = tmp_path / "tpl"
    tdir.mkdir()
    payload = PAYLOAD.replace("lv.__globals__", attr) % witness
    (tdir / "advisory.html.j2").write_text(payload, "utf-8")
    with pytest.raises(jinja2.exceptions.SecurityError, match="unsafe"):
        render_html(demo, template_dirs=[tdir])
    assert not witness.exists()


@pytest.mark.parametrize(
    "call", ["a.locations.append(1)", "a.scale.update(x=1)", "a.locations.pop()"]
)
def test_template_cannot_change_the_context(demo, tmp_path: Path, call: str) -> None:
    """The context is shared by a run's reports (`Reports`): a template that changed a list or
    a dict of it would change the next report. Jinja's immutable sandbox refuses the call."""
    tdir = tmp_path / "tpl"
    tdir.mkdir()
    (tdir / "advisory.html.j2").write_text("{{ " + call + " }}", "utf-8")
    n = len(demo.locations)
    with pytest.raises(jinja2.exceptions.SecurityError, match="unsafe"):
        render_html(demo, template_dirs=[tdir])
    assert len(demo.locations) == n


def test_cli_refuses_the_template_payload_with_exit_2(tmp_path: Path) -> None:
    witness = tmp_path / "ran"
    tdir = tmp_path / "tpl"
    tdir.mkdir()
    (tdir / "advisory.html.j2").write_text(PAYLOAD % witness, "utf-8")
    r = CliRunner().invoke(cli, ["render", *cli_inputs(tmp_path), "--template-dir", str(tdir)])
    assert r.exit_code == 2, r.output
    assert "template error" in r.stderr and "unsafe" in r.stderr
    assert not witness.exists()


def test_a_template_may_still_use_the_context_and_extend_the_default(demo, tmp_path) -> None:
    (tmp_path / "advisory.html.j2").write_text(
        '{% extends "default/advisory.html.j2" %}{% block letterhead %}'
        "<b>{{ a.locations|length }} {{ lv(5) }} {{ _('Bottom line') }}</b>{% endblock %}",
        "utf-8",
    )
    html = render_html(demo, template_dirs=[tmp_path], lang="fr")
    assert f"<b>{len(demo.locations)} Extrême L'essentiel</b>" in html


def test_symlink_out_of_the_template_folder_is_refused(demo, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text("TOP-SECRET", "utf-8")
    tdir = tmp_path / "tpl"
    tdir.mkdir()
    (tdir / "advisory.html.j2").symlink_to(secret)
    with pytest.raises(jinja2.exceptions.SecurityError, match="leads out of its template folder"):
        render_html(demo, template_dirs=[tdir])
    # an include through a symlinked folder is refused the same way
    (tdir / "advisory.html.j2").unlink()
    (tdir / "inc").symlink_to(outside, target_is_directory=True)
    (tdir / "advisory.html.j2").write_text('{% include "inc/secret.txt" %}', "utf-8")
    with pytest.raises(jinja2.exceptions.SecurityError):
        render_html(demo, template_dirs=[tdir])
    r = CliRunner().invoke(cli, ["render", *cli_inputs(tmp_path), "--template-dir", str(tdir)])
    assert r.exit_code == 2 and "leads out of its template folder" in r.stderr, r.output
    assert "TOP-SECRET" not in r.output


def test_symlink_inside_the_template_folder_is_followed(demo, tmp_path: Path) -> None:
    tdir = tmp_path / "tpl"
    tdir.mkdir()
    (tdir / "letterhead.html.j2").write_text(
        '{% extends "default/advisory.html.j2" %}{% block letterhead %}ACME{% endblock %}', "utf-8"
    )
    (tdir / "advisory.html.j2").symlink_to(tdir / "letterhead.html.j2")
    assert "ACME" in render_html(demo, template_dirs=[tdir])


# --- output folders: a planted symlink is replaced, never written through --------------------


def test_per_place_does_not_follow_a_planted_symlink(demo, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", "utf-8")
    out = tmp_path / "pages"
    out.mkdir()
    (out / "bamako.html").symlink_to(victim)
    (out / "index.html").symlink_to(victim)
    paths = write_place_pages(demo, out)
    assert victim.read_text("utf-8") == "precious"
    for p in (out / "bamako.html", out / "index.html"):
        assert not p.is_symlink() and p.read_text("utf-8").startswith("<!DOCTYPE html>")
    assert len(paths) == len(demo.locations) + 1
    assert not [p for p in out.iterdir() if p.name.startswith(".advisory-")]  # no temp files left


def test_render_out_does_not_follow_a_planted_symlink(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", "utf-8")
    out = tmp_path / "advisory.html"
    out.symlink_to(victim)
    r = CliRunner().invoke(cli, ["render", *cli_inputs(tmp_path), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert victim.read_text("utf-8") == "precious" and not out.is_symlink()


@pytest.mark.parametrize("name", ["a\x1b[31mred.html", "b\x1b]0;title\x07.html", "c\rd.html"])
def test_file_names_never_reach_the_terminal_raw(tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    r = CliRunner().invoke(cli, ["render", *cli_inputs(tmp_path), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert out.exists()
    for ch in ("\x1b", "\x07", "\r"):
        assert ch not in r.stderr
    assert "Wrote " in r.stderr and ("\\x1b" in r.stderr or "\\r" in r.stderr)
    pages = tmp_path / f"pages{name}"
    r = CliRunner().invoke(cli, ["render", *cli_inputs(tmp_path), "--per-place", str(pages)])
    assert r.exit_code == 0 and "\x1b" not in r.stderr and "\r" not in r.stderr


# --- hostile text: NUL dropped, bidi overrides isolated -------------------------------------

NAME = "Bam\x00ako\u202eevil"


@pytest.fixture(scope="module")
def hostile(demo):
    locs = [
        loc.model_copy(update={"name": NAME}) if loc.id == "bamako" else loc
        for loc in demo.locations
    ]
    return demo.model_copy(update={"locations": locs})


def test_nul_bytes_never_reach_html_or_markdown(hostile) -> None:
    for text in (render_html(hostile), render_html(hostile, lang="fr"), render_markdown(hostile)):
        assert "\x00" not in text and "&#0;" not in text


def test_bidi_override_is_isolated(hostile) -> None:
    html = render_html(hostile)
    assert html.count("\u202e") > 3
    # every occurrence is inside <bdi> in HTML text, or between FSI and PDI in SVG text
    isolated = re.findall(
        r"<bdi>[^<]*\u202e[^<]*</bdi>|\u2068[^\u2069]*\u202e[^\u2069]*\u2069", html
    )
    assert len(isolated) == html.count("\u202e")
    assert "<bdi>Bamako\u202eevil</bdi>" in html
    md = render_markdown(hostile)
    assert md.count("\u202e") == len(re.findall(r"\u2068[^\u2069]*\u202e[^\u2069]*\u2069", md)) > 0


# --- the print edition's figures: images of the same SVG ---------------------------------------

FIGURE = re.compile(r'<img class="(\w+)" alt="([^"]*)" src="data:image/svg\+xml;base64,([^"]+)">')


def test_the_print_edition_draws_the_figures_as_images_of_the_same_svg(hostile) -> None:
    """WeasyPrint would style every element of an inline SVG; as an image it styles none. The
    image is the SVG the screen shows, the hostile name in it isolated as there."""
    printed = render_html(hostile, edition="print")
    figures = FIGURE.findall(printed)
    assert [cls for cls, _, _ in figures] == ["map", "chart", "chart"] and "<svg" not in printed
    _, alt, data = figures[0]
    assert alt == "Map: personal-security level by place and road"
    assert base64.b64decode(data).decode("utf-8") == map_svg(hostile, "en")
    assert "\u2068Bamako\u202eevil\u2069" in base64.b64decode(data).decode("utf-8")


@pytest.mark.parametrize(
    "bad", ['<svg class="map"><text>\ufffe</text></svg>', "<svg><text>\ud800</text></svg>", ""]
)
def test_markup_that_is_not_xml_stays_inline(bad: str) -> None:
    """An image that is not well-formed XML would be drawn as nothing: it stays inline."""
    assert svg_image(Markup(bad)) == Markup(bad)


# --- geometry: a road surveyed to a million vertices -----------------------------------------


def test_a_million_vertex_road_is_simplified_for_the_map(demo) -> None:
    road = next(loc for loc in demo.locations if loc.line)
    (la0, lo0), (la1, lo1) = road.line[0], road.line[-1]
    n = 1_000_000
    t = np.linspace(0.0, 1.0, n)
    lat = la0 + (la1 - la0) * t + 0.01 * np.sin(t * 400)  # a winding road
    lon = lo0 + (lo1 - lo0) * t
    big = road.model_copy(update={"line": list(zip(lat.tolist(), lon.tolist(), strict=True))})
    a = demo.model_copy(
        update={"locations": [big if loc.id == road.id else loc for loc in demo.locations]}
    )
    svg = map_svg(a, "en")
    paths = re.findall(r'<path d="(M[^"]*)" fill="none" stroke="#fff"', svg)  # road casings
    longest = max(len(p.split()) // 2 for p in paths)
    assert 10 < longest < 3000, longest  # the winding survives, a million vertices do not
    assert len(svg) < len(map_svg(demo, "en")) + 60_000


def test_overlapping_map_markers_are_painted_in_order() -> None:
    """Markers share a path only with markers they do not touch; one that overlaps earlier
    ones goes above them all, so a dense cluster looks as it did with an element each."""
    from advisory.outputs.report.mapsvg import _layers
    from advisory.outputs.report.svg import MARKER_REACH

    far = 2 * MARKER_REACH + 0.1
    pts = [(0.0, 0.0), (far, 0.0), (1.0, 1.0), (far + 1.0, 0.0), (2.0, 2.0), (3 * far, far)]
    assert _layers(pts) == [
        [(0.0, 0.0), (far, 0.0), (3 * far, far)],
        [(1.0, 1.0), (far + 1.0, 0.0)],
        [(2.0, 2.0)],
    ]


def test_the_markdown_never_draws_what_it_does_not_print(monkeypatch: pytest.MonkeyPatch) -> None:
    """The map and the charts are made when a template reads them: the Markdown, which prints
    neither, renders with both drawing functions broken; the HTML, which prints them, does not."""
    from advisory.outputs.report import charts, mapsvg

    a = assess([DATA_DIR / "incidents"], [DATA_DIR / "guidance"]).assessment

    def broken(*args: object, **kwargs: object) -> str:
        raise AssertionError("drawn")

    monkeypatch.setattr(mapsvg, "map_svg", broken)
    for name in ("weekly_svg", "seizures_svg"):
        monkeypatch.setattr(charts, name, broken)
    assert "Bamako" in render_markdown(a)
    with pytest.raises(AssertionError, match="drawn"):
        render_html(a)


def test_a_template_importing_the_macros_without_context_gets_the_same_table(
    demo, tmp_path
) -> None:
    """The level badges are made once where the macros see the report's context; a template of
    one's own that imports them plainly (as the shipped ones did before) still gets the table,
    the same HTML."""
    (tmp_path / "advisory.html.j2").write_text(
        '{% extends "default/advisory.html.j2" %}{% import "_macros.html.j2" as plain %}'
        '{% block tables %}<div id="t">{{ plain.level_table(places, "Place", none, "", true) }}'
        "</div>{% endblock %}",
        "utf-8",
    )
    mine = render_html(demo, template_dirs=[tmp_path])
    table = mine.split('<div id="t">')[1].split("</div>\n")[0].split("</table>")[0]
    assert table.count('class="lvl lvl-') > 2 * len([x for x in demo.locations if not x.is_road])
    assert table in render_html(demo)
