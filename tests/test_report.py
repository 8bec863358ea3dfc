"""The HTML and Markdown advisories: structure, languages, overrides, what changed, security.

Rendering in a real browser and the PDF are checked in test_report_render.py.
"""

from __future__ import annotations

import html as htmlmod
import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from acled_factory import (
    BAMAKO,
    GUIDANCE_LEAVE,
    cli_inputs,
    event,
    series,
    small_gazetteer,
    write_csv,
)
from click.testing import CliRunner

from advisory.cli import cli
from advisory.cli.report import render
from advisory.engine import DATA_DIR, assess
from advisory.outputs.report import (
    PRINT_EVIDENCE,
    PdfProcess,
    PlacePages,
    RefusedFetch,
    Reports,
    data_only_fetcher,
    render_html,
    render_markdown,
    render_pdf,
)
from advisory.outputs.report.mapsvg import GEOMETRY_DIR

AS_OF = date(2025, 11, 20)
MAX_DEMO_HTML = 1_500_000
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
SVG_SELF_CLOSING_OK = True  # <path/> etc. inside inline SVG


@pytest.fixture(scope="module")
def demo_run():
    return assess([DATA_DIR / "incidents"], [DATA_DIR / "guidance"], as_of=AS_OF)


@pytest.fixture(scope="module")
def demo(demo_run):
    return demo_run.assessment


@pytest.fixture(scope="module")
def demo_html(demo) -> str:
    return render_html(demo)


class Structure(HTMLParser):
    """Collects tags, ids, attributes and text; checks that elements nest and close."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: dict[str, int] = {}
        self.ids: list[str] = []
        self.attrs: list[tuple[str, str, str]] = []
        self.text: list[str] = []
        self.doctype = False

    def handle_decl(self, decl: str) -> None:
        self.doctype = self.doctype or decl.lower() == "doctype html"

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.tags[tag] = self.tags.get(tag, 0) + 1
        for k, v in attrs:
            self.attrs.append((tag, k, v or ""))
            if k == "id":
                self.ids.append(v or "")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.tags[tag] = self.tags.get(tag, 0) + 1
        for k, v in attrs:
            self.attrs.append((tag, k, v or ""))

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        self.text.append(data)


def parse(html: str) -> Structure:
    p = Structure()
    p.feed(html)
    p.close()
    return p


def test_demo_html_structure(demo_html: str, demo) -> None:
    p = parse(demo_html)
    assert p.doctype
    assert p.errors == [] and p.stack == [], (p.errors[:5], p.stack)
    assert len(p.ids) == len(set(p.ids)), "duplicate ids"
    for sec in (
        "bottom-line",
        "map",
        "tables",
        "trends",
        "guidance",
        "indicators",
        "measures",
        "evidence",
        "methodology",
        "sources",
        "glossary",
    ):
        assert sec in p.ids, sec
    assert p.tags["h1"] == 1 and p.tags["svg"] == 3  # map, weekly trends, seizures
    assert p.tags["table"] >= 4 and p.tags["thead"] == p.tags["table"]
    text = " ".join(p.text)
    a = demo
    assert a.bottom_line.regime_collapse.split(".")[0] in text
    # every place and road has a row, with its levels as words
    for loc in a.locations:
        assert f"row-{loc.id}" in p.ids
    assert "5\xa0Extreme" in text and "1\xa0Negligible" in text
    # each likelihood with its outcome in words; likelihood and confidence never in one sentence
    assert re.search(
        r"Ambush: [a-z ]+ \(\d+\s%\), the chance of at least one violent incident — battle, "
        r"explosion or attack on civilians — within 25 km in the next 30 days\.",
        text,
    )
    assert re.search(r"Confidence: (low|moderate|high) \(", text)
    for sentence in re.split(r"(?<=\.)\s", text):
        assert not ("the chance of" in sentence and "Confidence" in sentence), sentence
    # the demo is labelled as illustrative, not ACLED data
    assert "ILLUSTRATIVE" in text and "NOT ACLED data" in text
    assert "GeoNames (geonames.org), CC BY 4.0" in text
    # measures come from the assessment's postures, in the report's language
    for m in a.postures["5"].measures:
        assert m.en in text
    # guidance: every entry, with the engine's reading
    for g in a.guidance:
        assert g.id in text
    assert "no bearing on regime collapse" in text
    # provenance without local paths (the fitted model's files are named, not their folders)
    assert a.provenance.rule_pack.digest in text
    assert "/work/" not in demo_html and str(DATA_DIR) not in demo_html
    assert "mali_demo_2024_2025.csv" in text and "conflict_data_mli.csv" in text


def test_reports_take_the_assessment_not_the_run(demo_run) -> None:
    with pytest.raises(TypeError, match="made from an Assessment, not Run"):
        render_html(demo_run)


def test_guidance_step_severity_and_outcomes_in_words(demo, demo_html: str) -> None:
    """Issue 17: the guidance adjustment in words beside the evidence's likelihood; severity
    escalations marked; the outcome definitions of both hazards."""
    text = " ".join(parse(demo_html).text)
    bamako = demo.location("bamako").personal_security.hazards["ambush"]
    assert bamako.guidance_step is not None and bamako.guidance_step.from_label == "Medium"
    assert (
        "Raised from Medium by guidance: nationals told to leave (FR), ordered departure of "
        "staff (GB, US); the likelihood stays the evidence's." in text
    )
    assert (
        "at least one incident — abduction — within 50 km of a place (25 km of a road) in the "
        "next 30 days" in text
    )
    severe = [loc for loc in demo.locations if any(d.kind == "severity" for d in loc.drivers)]
    assert severe, "the demo has severity escalations"
    assert "raised to Extreme for severity" in demo_html
    assert demo_html.count('title="raised to Extreme for severity"') == len(severe)


def test_methodology_states_the_backtest_of_the_shipped_pack(demo, demo_html: str) -> None:
    section = demo_html[demo_html.index('id="methodology"') : demo_html.index('id="sources"')]
    text = " ".join(parse(section).text)
    for name in ("ambush", "kidnapping"):
        test = demo.method.hazards[name].metrics["test"]
        for key in ("model", "count_90d", "count_730d"):
            assert f"{test[key]['auc']:.2f}" in text and f"{test[key]['brier_skill']:.2f}" in text
    level = demo.method.fitted["level_metrics"]["test"]["model"]
    assert f"{level['auc']:.2f}" in text
    assert (
        "Fitted by advisory calibrate on 2017-01-01-2019-02-27-Mali.csv, conflict_data_mli.csv"
        in text
    )
    assert "tested on 1 July 2019 to 1 June 2020" in text
    text = text.replace("\xa0", " ")
    rows = demo.method.fitted["level_metrics"]["test"]["reliability"]
    even = next(r for r in rows if r["word"] == "roughly even chance")
    # the reliability of an ICD 203 band, as the pack's metrics give it
    assert f"roughly even chance: {round(even['observed'] * 100)} % of {even['n']}" in text
    assert "Negligible below 5 %; Low from 5 %; Medium from 20 %; High from 45 %" in text


def test_stale_data_is_shown_prominently(demo) -> None:
    stale = demo.model_copy(
        update={"method": demo.method.model_copy(update={"stale": True, "data_age_days": 75})}
    )
    html = render_html(stale)
    banner = "STALE DATA: the newest incident is 75 days older than the situation date"
    assert f'<p class="stale" role="alert">{banner}' in html
    assert banner in render_markdown(stale)
    assert 'class="stale"' not in render_html(demo)
    fr = render_html(stale, lang="fr")
    assert "DONNÉES PÉRIMÉES : l&#39;incident le plus récent date de 75 jours" in fr


def test_guidance_cites_official_pages_and_no_internal_remark(demo, demo_html: str) -> None:
    """Issue 22: each shipped entry's source is the issuing government's own page; where a
    quote was read stays out of the report."""
    official = {
        "US": "https://travel.state.gov/content/travel/en/traveladvisories/traveladvisories/"
        "mali-travel-advisory.html",
        "GB": "https://www.gov.uk/foreign-travel-advice/mali",
        "FR": "https://www.diplomatie.gouv.fr/fr/conseils-aux-voyageurs/conseils-par-pays-"
        "destination/mali/",
    }
    for g in demo.guidance:
        assert g.source == official[g.issuer], g.id
        assert f'href="{official[g.issuer]}"' in demo_html
    for remark in (
        "project's brief",
        "SECONDARY",
        "PRIMARY",
        "thethinkingconservative",
        "ussrichardebyrd",
        "counttools",
        "covis.desy",
        "francais-du-monde",
    ):
        assert remark not in demo_html, remark


def _guidance_cells(html: str) -> dict[str, str]:
    """Each guidance entry's "In force" cell, as text, by entry id."""
    pattern = (
        r'<span class="lk mono">([^<]+)</span>.*?data-label="(?:In force|En vigueur)">(.*?)</td>'
    )
    rows = re.findall(pattern, html, re.S)
    return {
        gid: " ".join(htmlmod.unescape(re.sub(r"<[^>]+>", " ", cell)).split()) for gid, cell in rows
    }


def test_guidance_says_whether_and_where_an_entry_applies(demo, demo_html: str) -> None:
    """An entry in force that a later one from its issuer replaced at every place said "yes,
    in force at 0 of 62 locations"; French printed "0 lieux"."""
    cells = _guidance_cells(demo_html)
    assert cells["gb-2025-10-31"] == "yes at 62 of 62 locations"
    replaced = "replaced by gb-2025-10-31, issued later"
    assert cells["gb-2024-05-15-bamako"] == replaced
    assert cells["fr-2023-01-01"].startswith("replaced by fr-2025-11-07, issued later")
    assert "in force at 0" not in demo_html
    fr = _guidance_cells(render_html(demo, lang="fr"))
    assert fr["gb-2025-10-31"] == "oui pour 62 lieux sur 62"
    assert fr["gb-2024-05-15-bamako"] == "remplacée par gb-2025-10-31, plus récente"


def _issued_cells(html: str) -> dict[str, str]:
    """Each guidance entry's "Issued" cell, as text, by entry id."""
    pattern = r'<span class="lk mono">([^<]+)</span>.*?data-label="(?:Issued|Émise le)">(.*?)</td>'
    rows = re.findall(pattern, html, re.S)
    return {
        gid: " ".join(htmlmod.unescape(re.sub(r"<[^>]+>", " ", cell)).split()) for gid, cell in rows
    }


def test_an_issue_date_the_project_made_up_is_not_printed_as_the_issuers(
    demo, demo_html: str
) -> None:
    """gb.yaml: "the FCDO's own issue date is not known" (2024-05-15 is the date of a page
    that paraphrased it); fr.yaml: 2023-01-01 is "a placeholder chosen by the project". The
    reports said "Issued: 2024-05-15" and "Issued: 2023-01-01" as if the issuers had."""
    cells = _issued_cells(demo_html)  # under "Issued": advice in force by a date was issued by it
    assert cells["gb-2024-05-15-regions"] == "on or before 2024-05-15"
    assert cells["gb-2024-05-15-bamako"] == "on or before 2024-05-15"
    assert cells["fr-2023-01-01"] == "not known; treated as in force from 2023-01-01"
    assert cells["us-2023-07-31"] == "2023-07-31" and cells["gb-2025-10-31"] == "2025-10-31"
    fr = _issued_cells(render_html(demo, lang="fr"))
    assert fr["gb-2024-05-15-bamako"] == "au plus tard le 2024-05-15"
    assert fr["fr-2023-01-01"] == "inconnue ; appliquée dès le 2023-01-01"
    md = render_markdown(demo)  # no "Issued" label: said in full
    assert "(fr-2023-01-01), issue date not known; treated as in force from 2023-01-01: 3" in md
    assert "(gb-2024-05-15-bamako), issue date not known; in force by 2024-05-15: 3" in md
    assert "(us-2023-07-31), 2023-07-31: 4" in md
    fr_md = render_markdown(demo, lang="fr")
    assert "(gb-2024-05-15-bamako), date d'émission inconnue ; en vigueur au 2024-05-15: 3" in fr_md
    # the JSON says it beside the date, which still orders the entries
    doc = {g["id"]: g for g in json.loads(demo.model_dump_json())["guidance"]}
    assert doc["gb-2024-05-15-regions"]["issued"] == "2024-05-15"
    assert doc["gb-2024-05-15-regions"]["issued_basis"] == "in_force_by"
    assert doc["fr-2023-01-01"]["issued_basis"] == "placeholder"
    assert doc["us-2023-07-31"]["issued_basis"] == "issuer"


def test_a_place_page_says_its_guidance_issue_date_is_not_known() -> None:
    """On 1 June 2024 the FCDO's Bamako entry (date not known) is in force at Bamako."""
    a = assess([DATA_DIR / "incidents"], [DATA_DIR / "guidance"], as_of=date(2024, 6, 1))
    assert "gb-2024-05-15-bamako" in a.assessment.location("bamako").guidance_in_force
    page = " ".join(htmlmod.unescape(PlacePages(a.assessment).page("bamako")).split())
    assert "(issue date not known; in force by 2024-05-15)" in page
    assert "(2024-05-15)" not in page and "(2023-01-01)" not in page


def test_guidance_coverage_in_words_takes_the_french_plural(demo) -> None:
    from advisory.outputs.report.sections import coverage_text

    g = next(g for g in demo.guidance if g.id == "gb-2025-10-31")
    every = demo.guidance
    assert coverage_text(g, 1, every, 62, "fr") == ("oui", "pour 1 lieu sur 62")
    assert coverage_text(g, 2, every, 62, "fr") == ("oui", "pour 2 lieux sur 62")
    assert coverage_text(g, 1, every, 62, "en") == ("yes", "at 1 of 62 locations")
    # in force, the issuer's latest, yet its area takes in none of the places assessed
    assert coverage_text(g, 0, every, 62, "en") == (
        "yes",
        "but its area takes in none of the 62 locations",
    )
    assert coverage_text(g, 0, every, 62, "fr")[1] == "mais sa zone ne couvre aucun des 62 lieux"
    gone = g.model_copy(update={"in_force": False})
    assert coverage_text(gone, 0, every, 62, "fr") == ("non", "")


def test_guidance_summaries_are_marked_with_the_issuers_language(demo) -> None:
    """The summaries quote the issuer: English ones in the French edition are marked
    lang="en" (a screen reader reads them as English), French ones lang="fr"."""
    html = render_html(demo, lang="fr")
    marked = {
        htmlmod.unescape(text): lang
        for lang, text in re.findall(r'data-label="Résumé"><span lang="(\w+)">(.*?)</span>', html)
    }
    summaries = {g.summary: g.issuer for g in demo.guidance if g.summary}
    assert len(summaries) >= 5
    for summary, issuer in summaries.items():
        assert marked.get(summary) == ("fr" if issuer == "FR" else "en"), summary


def test_markdown_guidance_cites_its_sources(demo, hostile_run) -> None:
    md = render_markdown(demo)
    for g in demo.guidance:
        line = next(x for x in md.splitlines() if f"({g.id})" in x)
        assert line.endswith(f"; Source: <{g.source}>"), line
    assert "In force: replaced (by gb-2025-10-31, issued later); Source: <https://www.gov" in md
    assert "En vigueur: oui (pour 62 lieux sur 62); Source: <https://www.gov.uk/" in (
        render_markdown(demo, lang="fr")
    )
    hostile = render_markdown(hostile_run)
    line = next(x for x in hostile.splitlines() if "(evil-1)" in x)
    assert line.endswith("; Source: javascript:alert(3)")  # text, not a link


@pytest.mark.parametrize(
    "url",
    [
        "https://x.example/a>[click](javascript:alert(1))",
        "https://x.example/<b>",
        'https://x.example/"',
        "https://x.example/a b",
        "javascript:alert(1)",
        "https://x.example/a\\",
    ],
)
def test_markdown_links_only_plain_urls(url: str) -> None:
    from advisory.outputs.report.templating import md_link

    out = str(md_link(url))
    assert not out.startswith("<") and not re.search(r"(?<!\\)[<>\[\]]", out), out
    assert str(md_link("https://www.gov.uk/foreign-travel-advice/mali_x")) == (
        "<https://www.gov.uk/foreign-travel-advice/mali_x>"
    )


def test_demo_html_is_self_contained_and_small(demo_html: str) -> None:
    assert len(demo_html.encode()) < MAX_DEMO_HTML
    p = parse(demo_html)
    fetching = {
        ("img", "src"),
        ("script", "src"),
        ("link", "href"),
        ("iframe", "src"),
        ("source", "src"),
        ("image", "href"),
        ("use", "href"),
        ("object", "data"),
    }
    for tag, attr, value in p.attrs:
        if (tag, attr) in fetching:
            assert value.startswith("data:"), (tag, attr, value)
        if attr == "href" and tag == "a":
            assert value.startswith(("#", "https://", "http://")), value
    assert "script" not in p.tags and "link" not in p.tags and "iframe" not in p.tags
    low = demo_html.lower()
    assert "@import" not in low
    assert not re.search(r"url\(\s*['\"]?(?!#|data:)", low), "CSS url() other than data:/#id"
    assert 'src="http' not in low and "@font-face" not in low
    assert "default-src 'none'" in demo_html  # CSP: a browser would block any fetch anyway


def test_tables_repeat_headers_and_rows_do_not_split(demo_html: str) -> None:
    css = demo_html[: demo_html.index("</style>")]
    assert re.search(r"thead \{ display: table-header-group; \}", css)
    assert re.search(r"tr \{ break-inside: avoid;", css)


def test_french_report(demo) -> None:
    html = render_html(demo, lang="fr")
    p = parse(html)
    assert p.errors == []
    text = " ".join(p.text)
    assert '<html lang="fr">' in html
    for word in (
        "Sécurité des personnes",
        "Effondrement du régime",
        "Extrême",
        "Négligeable",
        "Indicateurs à surveiller",
        "Mesures recommandées",
        "Glossaire",
        "Élevé",
        "Situation au 20 novembre 2025",
        "Royaume-Uni",  # the issuer's name from Babel's territory names
    ):
        assert word in text, word
    # a label's colon as French writes it, in the templates as in the catalogue
    assert "Données :" in text and "Données:" not in text
    assert "consignes fr.yaml" in text and "lieux places.geojson" in text  # the inputs' kinds
    assert "Royaume-Uni :" in text and "Royaume-Uni:" not in text
    assert "Négligeable sous 5 % ; Faible" in text.replace("\xa0", " ")  # the bands
    # the engine's sentences in French, not marked as English
    assert "Texte du moteur" not in text
    assert "Effondrement du régime : Négligeable. Aucun centre de population n'est tenu" in text
    assert "les 2 prises de centres de population enregistrées" in text  # a real plural
    assert "La sécurité des personnes à Bamako est au niveau Élevé" in htmlmod.unescape(html)
    for m in demo.postures["5"].measures:
        assert m.fr in text
    assert "Confiance : " in text and "la probabilité d&#39;au moins un incident violent" in html


def test_template_override_extends_default(demo, tmp_path: Path) -> None:
    (tmp_path / "advisory.html.j2").write_text(
        '{% extends "default/advisory.html.j2" %}\n'
        '{% block letterhead %}<span class="org">ACME Relief &mdash; Security Unit</span>'
        "{{ super() }}{% endblock %}\n",
        "utf-8",
    )
    html = render_html(demo, template_dirs=[tmp_path])
    assert "ACME Relief &mdash; Security Unit" in html
    assert 'id="bottom-line"' in html and 'id="map"' in html  # the rest is the default
    assert html.count('class="org"') == 2  # super() kept the default letterhead too
    assert "ACME" not in render_html(demo)


def _previous(demo) -> dict:
    doc = json.loads(demo.model_dump_json())
    doc["as_of"] = "2025-11-06"
    doc["national"]["regime_collapse"]["level"] = 3
    by_id = {loc["id"]: loc for loc in doc["locations"]}
    by_id["bamako"]["personal_security"]["level"] = 2
    lowered = next(
        loc
        for loc in doc["locations"]
        if loc["personal_security"]["level"] == 4 and loc["id"] != "bamako"
    )
    lowered["personal_security"]["level"] = 5
    doc["locations"] = [loc for loc in doc["locations"] if loc["id"] != "siby"]
    doc["guidance"] = [g for g in doc["guidance"] if g["id"] != "fr-2025-11-07"]
    doc["guidance"].append({"id": "ca-2025-01-01", "in_force": True})
    return doc


def test_what_changed_since_previous(demo) -> None:
    html = render_html(demo, previous=_previous(demo))
    p = parse(html)
    assert "what-changed" in p.ids
    section = html[
        html.index('id="what-changed"') : html.index("</div>", html.index('id="what-changed"'))
    ]
    text = re.sub(r"<[^>]+>", "", section).replace("\xa0", " ").replace("&#160;", " ")
    assert "Previous advisory: situation as of 6 November 2025." in text
    assert "National Regime collapse: 3 Medium → 1 Negligible" in text
    assert re.search(r"Raised.*Bamako — Personal security: 2 Low → 4 High", text, re.S)
    lowered = next(
        loc for loc in demo.locations if loc.personal_security.level == 4 and loc.id != "bamako"
    )
    assert re.search(
        rf"Lowered.*{re.escape(lowered.name)} — Personal security: 5 Extreme → 4 High", text, re.S
    )
    assert "New in this advisory: Siby" in text
    assert "Guidance added: fr-2025-11-07" in text
    assert "Guidance no longer listed: ca-2025-01-01" in text
    md = render_markdown(demo, previous=_previous(demo))
    assert "Raised: Bamako, Personal security 2 Low → 4 High" in md


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_reports_share_one_context_and_print_the_same(demo, lang: str) -> None:
    """`Reports` makes its reports from one context (the map, rows and evidence made once):
    each is the one-report function's, byte for byte, whichever comes first."""
    prev = _previous(demo)
    alone = [
        render_markdown(demo, lang=lang, previous=prev),
        render_html(demo, lang=lang, previous=prev, edition="print", appendix=True),
        render_html(demo, lang=lang, previous=prev),
    ]
    reports = Reports(demo, lang=lang, previous=prev)
    shared = [
        reports.markdown(),
        reports.html(edition="print", appendix=True),
        reports.html(),
    ]
    assert shared == alone


def test_previous_identical_says_nothing_changed(demo) -> None:
    doc = json.loads(demo.model_dump_json())
    html = render_html(demo, previous=doc)
    assert "No level changed and no guidance was added or withdrawn." in html


def test_markdown_demo(demo) -> None:
    md = render_markdown(demo)
    assert md.startswith("# Travel risk advisory\n")
    assert "## Bottom line" in md and "| Bamako | 4 High ↑, unlikely (33 %) |" in md
    assert "<" not in re.sub(r"<https://[\x21-\x3b=?-\x7e]+>", "", md.replace("\\<", ""))
    fr = render_markdown(demo, lang="fr")
    assert "Effondrement du régime — 1 Négligeable" in fr
    assert "Aucun centre de population n'est tenu par un groupe armé" in fr


# --- hostile input -----------------------------------------------------------------------

HOSTILE = (
    'ambush <script>alert("x")</script> <img src="file:///etc/passwd"> '
    '[click](javascript:alert(1)) <a href="javascript:alert(2)">x</a> | cell'
)


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    rows = series("A", date(2025, 9, 1), 12, BAMAKO[0] + 0.02, BAMAKO[1], notes=HOSTILE)
    rows.append(event("K1", date(2025, 11, 1), *BAMAKO, kind="kidnap_foreign", notes=HOSTILE))
    csv_path = write_csv(tmp / "acled.csv", rows)
    g = tmp / "guidance.yaml"
    g.write_text(
        GUIDANCE_LEAVE
        + "- id: evil-1\n  issuer: DE\n  issued: 2025-11-01\n  level: 4\n  action: leave_now\n"
        + '  source: "javascript:alert(3)"\n'
        + "  summary: '<script>alert(4)</script><img src=\"file:///etc/shadow\">'\n",
        "utf-8",
    )
    run = assess([csv_path], [g], small_gazetteer(tmp / "places.geojson"), as_of=AS_OF)
    return run.assessment


def test_hostile_text_is_shown_as_text(hostile_run) -> None:
    html = render_html(hostile_run)
    p = parse(html)
    assert "script" not in p.tags and "img" not in p.tags
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert "&lt;script&gt;alert(" in html and "&lt;img src=" in html
    assert not any(v.lower().startswith("javascript:") for _, k, v in p.attrs if k == "href")
    text = " ".join(p.text)
    assert '<img src="file:///etc/passwd">' in text  # visible, as text, in the evidence register
    assert "javascript:alert(3)" in text  # the guidance source, shown but not linked


def test_hostile_text_fetches_nothing_in_pdf(hostile_run) -> None:
    fetcher = data_only_fetcher()
    pdf = render_pdf(render_html(hostile_run), fetcher=fetcher)
    assert pdf.startswith(b"%PDF")
    assert fetcher.refused == [] and fetcher.fetched == []
    assert b"root:x:0:0" not in pdf


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.png",
        "https://example.org/logo.png",
        "ftp://example.org/a",
        "FILE:///etc/passwd",
    ],
)
def test_pdf_fetcher_refuses_everything_but_data(url: str) -> None:
    fetcher = data_only_fetcher()
    html = f'<!DOCTYPE html><html><body><p>x</p><img src="{url}"></body></html>'
    with pytest.raises(RefusedFetch, match="fetches nothing"):
        render_pdf(html, fetcher=fetcher)
    assert fetcher.refused == [url] and fetcher.fetched == []


def test_pdf_process_refuses_as_render_pdf_does() -> None:
    # the desk lays its PDFs out in a process of their own: the same refusal reaches the caller
    html = '<!DOCTYPE html><html><body><p>x</p><img src="file:///etc/passwd"></body></html>'
    with PdfProcess(html) as job, pytest.raises(RefusedFetch, match="fetches nothing"):
        job.result()
    with PdfProcess(html.replace("file:///etc/passwd", "logo.png")) as job:
        assert job.result() == render_pdf(html.replace("file:///etc/passwd", "logo.png"))


@pytest.mark.parametrize("url", ["/etc/passwd", "logo.png", "../secret"])
def test_pdf_relative_urls_resolve_to_nothing(url: str) -> None:
    # base_url is None: a relative URL is dropped by WeasyPrint before any fetcher is called
    fetcher = data_only_fetcher()
    html = f'<!DOCTYPE html><html><body><p>x</p><img src="{url}"></body></html>'
    assert render_pdf(html, fetcher=fetcher).startswith(b"%PDF")
    assert fetcher.refused == [] and fetcher.fetched == []


def test_pdf_fetcher_serves_data_urls() -> None:
    png = (
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8"
        "/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="
    )
    fetcher = data_only_fetcher()
    pdf = render_pdf(f'<!DOCTYPE html><html><body><img src="{png}"></body></html>', fetcher=fetcher)
    assert pdf.startswith(b"%PDF") and fetcher.refused == [] and len(fetcher.fetched) == 1


def test_markdown_escapes_hostile_text(hostile_run) -> None:
    md = render_markdown(hostile_run)
    assert not re.search(r"(?<!\\)<(?!https://)", md) and "](javascript" not in md
    assert "evil-1" in md


def test_map_escapes_place_names(tmp_path: Path) -> None:
    from acled_factory import point, write_places

    places = write_places(
        tmp_path / "p.geojson",
        [
            point("bamako", "Bamako", "capital", *BAMAKO),
            point("evil", "<script>x</script>", "town", BAMAKO[0] + 0.3, BAMAKO[1]),
        ],
    )
    csv_path = write_csv(tmp_path / "a.csv", series("A", date(2025, 10, 1), 3, *BAMAKO))
    a = assess([csv_path], [], places, as_of=AS_OF).assessment
    html = render_html(a)
    assert "<script" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    md = render_markdown(a)
    assert not re.search(r"(?<!\\)<", md), "unescaped < in Markdown"
    assert "| \\<script\\>x\\</script\\> |" in md


# --- geometry and CLI ----------------------------------------------------------------------


def test_shipped_geometry_is_simplified_and_credited() -> None:
    outline = json.loads((GEOMETRY_DIR / "mali_outline.geojson").read_text("utf-8"))
    districts = json.loads((GEOMETRY_DIR / "mali_districts.geojson").read_text("utf-8"))
    assert len(outline["features"]) == 1 and len(districts["features"]) == 50
    assert (GEOMETRY_DIR / "mali_districts.geojson").stat().st_size < 200_000
    readme = (DATA_DIR / "README.md").read_text("utf-8")
    assert "OCHA" in readme and "Natural Earth" in readme


def _cli():
    cli.add_command(render)
    return cli


def test_cli_render_html_md_and_file(tmp_path: Path) -> None:
    args = cli_inputs(tmp_path)
    r = CliRunner().invoke(_cli(), ["render", *args])
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("<!DOCTYPE html>")
    r = CliRunner().invoke(_cli(), ["render", *args, "-f", "md", "--lang", "fr"])
    assert r.exit_code == 0 and r.stdout.startswith("# Avis de risque")
    out = tmp_path / "a.html"
    r = CliRunner().invoke(_cli(), ["render", *args, "--out", str(out)])
    assert r.exit_code == 0 and out.read_text("utf-8").startswith("<!DOCTYPE html>")


def test_cli_pdf_needs_out(tmp_path: Path) -> None:
    r = CliRunner().invoke(_cli(), ["render", *cli_inputs(tmp_path), "-f", "pdf"])
    assert r.exit_code == 2 and "--format pdf needs --out" in r.stderr


def test_cli_pdf_to_file(tmp_path: Path) -> None:
    out = tmp_path / "a.pdf"
    r = CliRunner().invoke(_cli(), ["render", *cli_inputs(tmp_path), "-f", "pdf", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "malformed JSON"),
        ("[1, 2]", "expected the JSON object"),
        ('{"as_of": "2025-11-01"}', "missing key 'national'"),
        (b"\xff\xfe\x00", "not valid UTF-8"),
    ],
)
def test_cli_bad_previous_is_exit_2_naming_the_file(tmp_path: Path, content, message) -> None:
    prev = tmp_path / "prev.json"
    if isinstance(content, bytes):
        prev.write_bytes(content)
    else:
        prev.write_text(content, "utf-8")
    r = CliRunner().invoke(_cli(), ["render", *cli_inputs(tmp_path), "--previous", str(prev)])
    assert r.exit_code == 2, r.output
    assert str(prev) in r.stderr and message in r.stderr
    assert "Traceback" not in r.output


def test_cli_template_errors_are_exit_2(tmp_path: Path) -> None:
    tdir = tmp_path / "tpl"
    tdir.mkdir()
    (tdir / "advisory.html.j2").write_text(
        '{% extends "default/advisory.html.j2" %}{% block', "utf-8"
    )
    r = CliRunner().invoke(_cli(), ["render", *cli_inputs(tmp_path), "--template-dir", str(tdir)])
    assert r.exit_code == 2 and "template syntax error" in r.stderr, r.output


# --- printed evidence: the brief has none; the appendix the strongest few; the screen all ------

EVIDENCE_BLOCK = re.compile(r'<details class="evidence" id="ev-([^"]+)">(.*?)</details>', re.S)


def _blocks(html: str) -> dict[str, str]:
    return {m.group(1): m.group(2) for m in EVIDENCE_BLOCK.finditer(html)}


def _print_ids(block: str) -> list[str]:
    m = re.search(r'<ul class="inc-print print-only">(.*?)</ul>', block, re.S)
    return re.findall(r"<li>([^ <]+) · ", m.group(1)) if m else []


def test_the_printed_brief_has_no_evidence_but_the_screen_has_it_all(demo, demo_html) -> None:
    screen, printed = _blocks(demo_html), render_html(demo, edition="print")
    assert len(screen) > 10 and 'id="evidence"' not in printed and "<details" not in printed
    for sec in ("bottom-line", "map", "tables", "trends", "guidance", "indicators", "measures"):
        assert f'id="{sec}"' in printed, sec
    for loc_id, block in screen.items():
        loc = demo.location(loc_id)
        chips = re.findall(r'<a href="#inc-[^"]+">([^<]+)</a>', block)
        assert chips == [c.id for c in loc.evidence], loc_id  # strongest first, every one


@pytest.mark.parametrize("n", [0, 2, PRINT_EVIDENCE])
def test_appendix_prints_the_strongest_n_and_says_how_many_more(demo, n: int) -> None:
    html = render_html(demo, print_evidence=n, appendix=True)
    print_edition = render_html(demo, print_evidence=n, appendix=True, edition="print")
    screen, printed = _blocks(html), _blocks(print_edition)
    assert screen.keys() == printed.keys() and len(screen) > 10
    longer = 0
    for loc_id, block in printed.items():
        cited = [c.id for c in demo.location(loc_id).evidence]
        assert _print_ids(block) == cited[:n], loc_id
        more = len(cited) - n
        line = re.search(r'<p class="more-print print-only">(.*?)</p>', block)
        if more > 0:
            longer += 1
            word = "incident" if more == 1 else "incidents"
            assert line and line.group(1) == (
                f"and {more} more {word}: see the HTML edition or the JSON assessment"
            ), loc_id
        else:
            assert line is None, loc_id
        assert "#inc-" not in block  # nothing in print points at the register it does not carry
    assert longer > 10
    assert 'id="register"' in html and 'id="register"' not in print_edition
    assert 'class="screen-only' not in print_edition  # nothing print hides is printed
    assert ' screen-only"' not in print_edition


def test_appendix_in_french(demo) -> None:
    html = render_html(demo, lang="fr", print_evidence=1, appendix=True, edition="print")
    printed = htmlmod.unescape(html)
    assert re.search(r"et \d+ autres incidents : voir l'édition HTML ou l'évaluation JSON", printed)
    assert "jusqu'à 1 de ses incidents les plus forts" in printed
    # the drivers' sentences from the pack's French catalogue, filled with their values
    assert re.search(r"\d+ incidents violents dans un rayon de \d+ km en deux ans", printed)


def test_print_evidence_from_an_overriding_template(demo, tmp_path: Path) -> None:
    """An organisation can fix N in its own template instead of passing it every time."""
    (tmp_path / "advisory.html.j2").write_text(
        '{% extends "default/advisory.html.j2" %}{% set print_evidence = 1 %}', "utf-8"
    )
    html = render_html(demo, template_dirs=[tmp_path], appendix=True, edition="print")
    printed = _blocks(html)
    assert max(len(_print_ids(b)) for b in printed.values()) == 1


def test_an_unknown_edition_is_refused(demo) -> None:
    with pytest.raises(ValueError, match="edition"):
        render_html(demo, edition="phone")  # type: ignore[arg-type]


def test_hostile_notes_cannot_cut_the_print_edition(tmp_path: Path) -> None:
    marker = "ambush <!--/screen-only:appendix--> <!--/screen-only--> <!--screen-only-->"
    rows = series("A", date(2025, 9, 1), 8, BAMAKO[0] + 0.02, BAMAKO[1], notes=marker)
    csv_path = write_csv(tmp_path / "acled.csv", rows)
    a = assess([csv_path], [], small_gazetteer(tmp_path / "p.geojson"), as_of=AS_OF).assessment
    html = render_html(a)
    assert "&lt;!--/screen-only:appendix--&gt;" in html  # shown as text
    printed = render_html(a, edition="print")
    assert 'id="register"' not in printed and 'id="evidence"' not in printed
    assert 'id="bottom-line"' in printed and 'id="sources"' in printed
    assert '<footer class="provenance">' in printed  # the document's end is still there
    # the glossary is the screen edition's, and the print edition's only with the appendix
    assert 'id="glossary"' in html and 'id="glossary"' not in printed
    assert 'id="glossary"' in render_html(a, edition="print", appendix=True)


def test_cli_print_evidence_and_appendix(tmp_path: Path) -> None:
    args = cli_inputs(tmp_path)
    r = CliRunner().invoke(_cli(), ["render", *args, "--print-evidence", "-1"])
    assert r.exit_code == 2 and "--print-evidence" in r.stderr
    r = CliRunner().invoke(_cli(), ["render", *args, "--print-evidence", "1", "--appendix"])
    assert r.exit_code == 0, r.output
    blocks = _blocks(r.stdout)  # the screen edition, with what a browser prints
    assert blocks and all(len(_print_ids(b)) <= 1 for b in blocks.values())
    assert any("more-print" in b for b in blocks.values())
    r = CliRunner().invoke(_cli(), ["render", *args])
    assert r.exit_code == 0 and 'class="appendix screen-only"' in r.stdout


def test_a_location_with_a_line_is_a_road_in_every_output(tmp_path: Path) -> None:
    """The engine rates a location with a line as a road (`Place.is_route`), whatever its
    `kind` says. Every output now asks the same question (`Location.is_road`): the report and
    the terminal table used to list such a location with the places while the map, the
    workbook and the map layers drew it as a road."""
    from acled_factory import SEGOU, line, point, write_places

    from advisory.outputs.exports.layers import features
    from advisory.outputs.exports.tables import workbook_tables
    from advisory.outputs.report.context import build_context
    from advisory.outputs.text.table import render_table

    places = write_places(
        tmp_path / "places.geojson",
        [
            point("bamako", "Bamako", "capital", *BAMAKO, population=2800000),
            point("segou", "Ségou", "city", *SEGOU, population=205787),
            line("old-track", "Old track", [BAMAKO, SEGOU], kind="town"),
        ],
    )
    rows = series("A", date(2025, 10, 1), 12, BAMAKO[0] + 0.02, BAMAKO[1])
    a = assess([write_csv(tmp_path / "a.csv", rows)], [], places, None, AS_OF).assessment
    track = a.location("old-track")
    assert track.kind == "town" and track.is_road and not a.location("segou").is_road
    ctx = build_context(a)
    assert [r["id"] for r in ctx["roads"]] == ["old-track"]
    assert "old-track" not in [r["id"] for r in ctx["places"]]
    table = render_table(a)
    roads_part = table[table.index("Roads (") :]
    places_part = table[table.index("Places (") : table.index("Roads (")]
    assert "Old track" not in places_part and "Old track" in roads_part  # by name (issue 18)
    sheets = {t.name: t for t in workbook_tables(a, "en")}
    assert [r[0] for r in sheets["Roads"].rows] == ["old-track"]
    assert [f.id for f in features(a) if f.is_road] == ["old-track"]
