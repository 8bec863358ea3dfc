"""One HTML page per place and road (`advisory render --per-place DIR`) and their index."""

from __future__ import annotations

import html as htmlmod
import re
from datetime import date
from pathlib import Path

import pytest
from acled_factory import BAMAKO, GUIDANCE_LEAVE, point, series, write_csv, write_places
from click.testing import CliRunner
from system_tools import chromium
from test_report import parse
from test_report_render import PHONE_PX, _probe

import advisory.outputs.report.places as places_module
from advisory.cli import cli
from advisory.engine import DATA_DIR, assess
from advisory.outputs.report import PRINT_EVIDENCE, PlacePages, write_place_pages
from advisory.outputs.report.files import page_names

AS_OF = date(2025, 11, 20)
HOSTILE_NAME = '<script>alert("x")</script><img src="file:///etc/passwd"> "Bamako" & co'


@pytest.fixture(scope="module")
def demo_run():
    return assess([DATA_DIR / "incidents"], [DATA_DIR / "guidance"], as_of=AS_OF).assessment


@pytest.fixture(scope="module")
def pages(demo_run, tmp_path_factory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("places") / "pages"
    return out, write_place_pages(demo_run, out)


def _text(page: str) -> str:
    return " ".join(" ".join(parse(page).text).split())


def _hrefs(page: str) -> list[str]:
    return [v for tag, k, v in parse(page).attrs if tag == "a" and k == "href"]


def test_a_page_for_every_location_and_an_index_linking_each(demo_run, pages) -> None:
    out, paths = pages
    locations = demo_run.locations
    assert paths[0] == out / "index.html"
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths)
    assert len(paths) == len(locations) + 1
    index = paths[0].read_text("utf-8")
    links = _hrefs(index)
    assert sorted(links) == sorted(p.name for p in paths[1:])  # each page once, relative
    text = _text(index)
    for loc in locations:
        assert loc.name in text
    for p in paths[1:]:
        page = p.read_text("utf-8")
        assert "index.html" in _hrefs(page)
        for href in _hrefs(page):  # back to the index, or a guidance source on the web
            assert href == "index.html" or href.startswith(("https://", "http://")), href


def test_place_page_content(demo_run, pages) -> None:
    out, _ = pages
    names = page_names(loc.id for loc in demo_run.locations)
    loc = demo_run.location("bamako")
    page = (out / names["bamako"]).read_text("utf-8")
    p = parse(page)
    assert p.errors == [] and p.stack == [] and p.tags["h1"] == 1
    text = _text(page)
    assert "Bamako" in text and "capital, Bamako" in text
    assert "Personal security" in text and "Regime collapse" in text
    assert f"{loc.personal_security.level} {loc.personal_security.label}" in text
    assert "Control status: held by the government." in text
    assert loc.bottom_line in text
    # each likelihood with its outcome, the guidance step in words; confidence apart
    assert re.search(
        r"Ambush: [a-z ]+ \(\d+ %\), the chance of at least one violent incident", text
    )
    assert "Raised from Medium by guidance:" in text
    assert re.search(r"Confidence: (low|moderate|high) \(", text)
    for sentence in re.split(r"(?<=\.)\s", text):
        assert not ("the chance of" in sentence and "Confidence" in sentence), sentence
    # the measures of its personal-security level, from the assessment's postures
    for m in demo_run.postures[str(loc.personal_security.level)].measures:
        assert m.en in text
    # drivers: every one with its points; the strongest incidents, then how many more
    for d in loc.drivers:
        assert d.rule in text
    assert "decisive" in text
    cited = [c.id for c in loc.evidence]
    shown = re.findall(r'<span class="mono">(MLI\d+)</span>', page)
    assert shown == cited[:PRINT_EVIDENCE]
    more = len(cited) - PRINT_EVIDENCE
    assert f"and {more} more incidents: see the full advisory or the JSON assessment" in text
    # guidance in force here, and the provenance footer
    for gid in loc.guidance_in_force:
        g = next(g for g in demo_run.guidance if g.id == gid)
        assert g.issued.isoformat() in text
    prov = demo_run.provenance
    assert prov.rule_pack.digest in text and f"Engine {prov.engine_version}" in text
    assert "Situation as of 20 November 2025" in text
    assert "ILLUSTRATIVE" in text  # the demo incidents are not ACLED data


def test_pages_are_self_contained(pages) -> None:
    _, paths = pages
    for path in paths[:5]:
        page = path.read_text("utf-8")
        p = parse(page)
        assert "default-src 'none'" in page
        assert not {"script", "link", "img", "iframe"} & set(p.tags)
        assert not any(k == "src" for _, k, _ in p.attrs)


def test_one_environment_for_all_pages(demo_run, tmp_path: Path, monkeypatch) -> None:
    made = []
    real = places_module.html_environment

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        made.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(places_module, "html_environment", counting)
    paths = write_place_pages(demo_run, tmp_path / "p")
    assert len(paths) == len(demo_run.locations) + 1 and made == [1]


def test_french_pages(demo_run, tmp_path: Path) -> None:
    paths = write_place_pages(demo_run, tmp_path / "fr", lang="fr")
    index = paths[0].read_text("utf-8")
    assert '<html lang="fr">' in index
    assert "Avis par lieu" in _text(index)
    page = (tmp_path / "fr" / "bamako.html").read_text("utf-8")
    text = _text(page)
    for words in (
        "Sécurité des personnes",
        "Effondrement du régime",
        "Mesures recommandées",
        "Ce qui fonde ces niveaux",
        "Consignes gouvernementales en vigueur ici",
        "Tous les lieux et routes",
        "Confiance : ",
        "La sécurité des personnes à Bamako est au niveau Élevé",
        "Facteur principal : ",
        "Relevé depuis Moyen par les consignes",
    ):
        assert words in text, words
    assert "Texte du moteur" not in text
    # the drivers' sentences from the pack's French catalogue, not marked English
    assert re.search(r"\d+ enlèvements dans un rayon de \d+ km en deux ans", text)
    assert 'lang="en"' not in page.split('id="drivers"')[1].split("</ul>")[0]
    assert re.search(r"et \d+ autres incidents : voir l'avis complet ou l'évaluation JSON", text)


# --- hostile ids and names -------------------------------------------------------------------


def test_page_names_stay_in_the_folder_and_never_collide(tmp_path: Path) -> None:
    ids = [
        "bamako",
        "Bamako",
        "BAMAKO",
        "../../etc/passwd",
        "..",
        ".",
        "",
        "a/b",
        "a\\b",
        "index",
        "Index",
        "con",
        "nul",
        "x" * 300,
        "x" * 301,
        "séguo",
        "a b",
        "a-b",
        "a\x00b",
        "<script>",
    ]
    names = page_names(ids)
    assert list(names) == list(dict.fromkeys(ids))  # every id gets a name
    files = list(names.values())
    assert len({f.lower() for f in files}) == len(files)  # unique, ignoring case
    assert names["bamako"] == "bamako.html" and names["a-b"] == "a-b.html"  # slugs kept
    for f in files:
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*\.html", f), f
        assert len(f) < 100 and f.lower() != "index.html"
        assert f.rsplit(".", 1)[0] not in {"con", "nul"}
        assert (tmp_path / f).resolve().parent == tmp_path.resolve()
    assert page_names(ids) == names  # deterministic


@pytest.fixture(scope="module")
def hostile_pages(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("hostile-places")
    places = write_places(
        tmp / "places.geojson",
        [
            point("bamako", "Bamako", "capital", *BAMAKO, admin1="<u>Bamako</u>"),
            point("evil", HOSTILE_NAME, "town", BAMAKO[0] + 0.1, BAMAKO[1], admin1="x</td>"),
        ],
    )
    rows = series(
        "A", date(2025, 9, 1), 12, BAMAKO[0] + 0.05, BAMAKO[1], notes="ambush <script>x</script>"
    )
    g = tmp / "guidance.yaml"
    g.write_text(
        GUIDANCE_LEAVE
        + "- id: evil-1\n  issuer: DE\n  issued: 2025-11-01\n  level: 4\n  action: leave_now\n"
        + '  source: "javascript:alert(3)"\n',
        "utf-8",
    )
    run = assess([write_csv(tmp / "acled.csv", rows)], [g], places, as_of=AS_OF)
    out = tmp / "pages"
    write_place_pages(run.assessment, out)
    return out


def test_hostile_names_are_text(hostile_pages: Path) -> None:
    for path in hostile_pages.iterdir():
        page = path.read_text("utf-8")
        p = parse(page)
        assert p.errors == [] and p.stack == [], (path.name, p.errors[:3])
        assert not {"script", "img", "u"} & set(p.tags), path.name
        assert not any(v.lower().startswith("javascript:") for _, _, v in p.attrs), path.name
        assert "<script" not in page.lower()
    evil = (hostile_pages / "evil.html").read_text("utf-8")
    assert HOSTILE_NAME in htmlmod.unescape(evil)  # shown as text, in the title and heading
    index = (hostile_pages / "index.html").read_text("utf-8")
    assert HOSTILE_NAME in " ".join(parse(index).text)
    assert "javascript:alert(3)" in _text(evil)  # the guidance source, shown but not linked


# --- in a browser, and from the command line -------------------------------------------------


def test_place_page_loads_in_chromium(pages, tmp_path: Path) -> None:
    out, _ = pages
    res = chromium(
        "--dump-dom",
        "--enable-logging=stderr",
        "--v=0",
        "--virtual-time-budget=3000",
        (out / "bamako.html").as_uri(),
        tmp=tmp_path,
    )
    assert res.returncode == 0, res.stderr[-2000:]
    assert "<h1>Bamako</h1>" in res.stdout and 'href="index.html"' in res.stdout
    console = [line for line in res.stderr.splitlines() if "CONSOLE" in line]
    blocked = [c for c in console if "Content Security Policy" in c or "Refused" in c]
    assert blocked == [], blocked
    assert not any("Uncaught" in c or "error" in c.lower() for c in console), console


@pytest.mark.parametrize("name", ["bamako.html", "index.html"])
def test_place_pages_fit_a_phone(pages, tmp_path: Path, name: str) -> None:
    out, _ = pages
    got = _probe(tmp_path, (out / name).read_text("utf-8"), f"phone-{name}")
    assert got["inner"] == PHONE_PX and got["h1"]
    assert got["scroll"] <= got["client"], got


def _inputs(tmp_path: Path) -> list[str]:
    rows = series("A", date(2025, 9, 1), 12, BAMAKO[0] + 0.02, BAMAKO[1])
    return [
        "--incidents",
        str(write_csv(tmp_path / "acled.csv", rows)),
        "--as-of",
        "2025-11-20",
        "--rejects",
        str(tmp_path / "rejects.csv"),
    ]


def test_cli_per_place(tmp_path: Path) -> None:
    out = tmp_path / "pages"
    args = ["render", *_inputs(tmp_path), "--per-place", str(out), "--lang", "fr"]
    r = CliRunner().invoke(cli, [*args, "--print-evidence", "2"])
    assert r.exit_code == 0, r.output
    assert r.stdout == ""  # the pages go to the folder, nothing to stdout
    pages = sorted(out.glob("*.html"))
    assert len(pages) == 63 and "62 pages de lieux écrites, et " in r.stderr
    page = (out / "bamako.html").read_text("utf-8")
    assert '<html lang="fr">' in page
    assert len(re.findall(r'<span class="mono">A\d+</span>', page)) == 2


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["-f", "pdf"], "use it with --format html"),
        (["-f", "md"], "use it with --format html"),
        (["--out", "x.html"], "leave out --out"),
        (["--previous", "x.json"], "--previous applies to the advisory"),
    ],
)
def test_cli_per_place_usage_errors(tmp_path: Path, extra: list[str], message: str) -> None:
    out = tmp_path / "pages"
    r = CliRunner().invoke(cli, ["render", *_inputs(tmp_path), "--per-place", str(out), *extra])
    assert r.exit_code == 2 and message in r.stderr, r.output
    assert not out.exists()


def test_cli_per_place_folder_errors(tmp_path: Path) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("x", "utf-8")
    r = CliRunner().invoke(cli, ["render", *_inputs(tmp_path), "--per-place", str(a_file)])
    assert r.exit_code == 2 and "is a file" in r.stderr
    missing = tmp_path / "no" / "such"
    r = CliRunner().invoke(cli, ["render", *_inputs(tmp_path), "--per-place", str(missing)])
    assert r.exit_code == 2 and "does not exist" in r.stderr


def test_place_pages_object_renders_any_location(demo_run) -> None:
    pages = PlacePages(demo_run, print_evidence=0)
    page = pages.page("segou")
    assert "<h1>Ségou</h1>" in page and '<ol class="register">' not in page
    with pytest.raises(ValueError, match="0 or more"):
        PlacePages(demo_run, print_evidence=-1)
