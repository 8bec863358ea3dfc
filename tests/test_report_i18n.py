"""French through gettext catalogues: the reports' catalogue covers every message, plurals and
dates come from Babel, the engine's sentences are written again from the assessment (the
English exactly as the engine wrote them), and the drivers' sentences come from the rule
pack's own catalogue, falling back to English, marked, when a template changed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from acled_factory import (
    BAMAKO,
    GUIDANCE_LEAVE,
    SEGOU,
    event,
    line,
    point,
    series,
    write_csv,
    write_places,
)
from click.testing import CliRunner

from advisory.cli import cli
from advisory.engine import DATA_DIR, assess
from advisory.outputs.report import render_html
from advisory.outputs.report.formats import decimal, long_date, num, number, percent, timestamp
from advisory.outputs.report.i18n import label, level_label, translator
from advisory.outputs.report.sentences import (
    PackText,
    Sentence,
    bottom_lines,
    location_sentence,
    shown_value,
)
from advisory.rulepack import load_pack
from advisory.rulepack.sentence import PLACEHOLDER, Plural, texts

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2025, 11, 20)
LEVELS = ["Negligible", "Low", "Medium", "High", "Extreme"]


@pytest.fixture(scope="module")
def demo():
    return assess([DATA_DIR / "incidents"], [DATA_DIR / "guidance"], as_of=AS_OF).assessment


@pytest.fixture(scope="module")
def held(tmp_path_factory):
    """A run with a town held beyond the raid window and fighting near the capital."""
    tmp = tmp_path_factory.mktemp("held")
    rows = series("A", date(2025, 9, 1), 12, BAMAKO[0] + 0.02, BAMAKO[1])
    rows.append(event("S1", date(2025, 9, 15), *SEGOU, kind="seized"))
    rows.append(event("K1", date(2025, 11, 1), *BAMAKO, kind="kidnap_foreign"))
    g = tmp / "guidance.yaml"
    g.write_text(GUIDANCE_LEAVE, "utf-8")
    csv = write_csv(tmp / "acled.csv", rows)
    # the road names its ends, as the engine needs to count it among the roads out of the
    # capital (the assessment keeps a road's line, from whose ends the report finds them)
    places = write_places(
        tmp / "places.geojson",
        [
            point("bamako", "Bamako", "capital", *BAMAKO, population=2800000, admin1="Bamako"),
            point("segou", "Ségou", "city", *SEGOU, population=205787, admin1="Ségou"),
            line(
                "rn6",
                "RN6 Bamako – Ségou",
                [BAMAKO, SEGOU],
                road="RN6",
                **{"from": "bamako", "to": "segou"},
            ),
        ],
    )
    return assess([csv], [g], places, as_of=AS_OF).assessment


def test_the_catalogue_covers_every_message() -> None:
    res = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "catalogue.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert res.returncode == 0, res.stdout


def test_the_check_finds_an_untranslated_message(tmp_path: Path) -> None:
    """The check is real: a message added to a template without its French fails it."""
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import catalogue
    finally:
        sys.path.remove(str(ROOT / "tools"))
    from babel.messages.pofile import read_po

    template = catalogue.extract()
    template.add("A message nobody translated")
    with catalogue.PO.open("rb") as fh:
        found = catalogue.problems(read_po(fh, locale="fr_FR"), template)
    assert found == ["untranslated: 'A message nobody translated'"]


def test_translator_labels_plurals_and_dates() -> None:
    t = translator("fr")
    assert t("Bottom line") == "L'essentiel"
    assert [t.n("%(n)s place", "%(n)s places", n) for n in (0, 1, 2)] == [
        "0 lieu",
        "1 lieu",
        "2 lieux",
    ]
    assert translator("en").n("%(n)s place", "%(n)s places", 1) == "1 place"
    assert (
        label("hazard", "fr", "ambush") == "Embuscade"
        and label("hazard", "en", "ambush") == "Ambush"
    )
    assert label("action", "fr", "leave_now") == "ressortissants invités à partir"
    assert label("reason", "fr", "made-up") == "made-up"  # the input's own word, not an error
    assert level_label(4, "fr", LEVELS) == "Élevé" and level_label(4, "en", LEVELS) == "High"
    assert level_label(4, "fr", ["a", "b", "c", "Very high", "e"]) == "Very high"  # another pack's
    assert (
        long_date(AS_OF, "fr") == "20 novembre 2025"
        and long_date(AS_OF, "en") == "20 November 2025"
    )
    with pytest.raises(ValueError, match="unknown language 'de'"):
        translator("de")


def test_both_languages_name_who_the_pack_says_told_people_to_leave(tmp_path: Path) -> None:
    """Which guidance tells people to leave is the pack's (`departure_actions`), and the
    assessment says it per entry: a pack that counts only "leave_now" (France's) names
    France alone, in English and in French, and the shipped pack names all three."""
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    g = rules / "guidance.yaml"
    g.write_text(
        g.read_text("utf-8").replace(
            "departure_actions: [ordered_departure, leave_now, embassy_closed]",
            "departure_actions: [leave_now]",
        ),
        "utf-8",
    )
    a = assess(
        [DATA_DIR / "incidents"], [DATA_DIR / "guidance"], rules=rules, as_of=AS_OF
    ).assessment
    assert {x.issuer for x in a.guidance if x.departure and x.in_force} == {"FR"}
    assert "; FR told nationals or staff to leave" in a.bottom_line.personal_security
    fr = bottom_lines(a, "fr")["personal_security"]
    assert " ; FR a demandé" in fr or " ; FR ont demandé" in fr, fr
    shipped = bottom_lines(
        assess([DATA_DIR / "incidents"], [DATA_DIR / "guidance"], as_of=AS_OF).assessment, "fr"
    )["personal_security"]
    assert " ; FR, GB et US ont demandé" in shipped, shipped


def test_the_roads_out_of_the_capital_are_the_engines(held) -> None:
    """A road leaves the capital when one of its ends is the capital (the gazetteer's
    `from`/`to`); the assessment lists them and both languages count them."""
    assert held.national.capital_roads == ["rn6"]
    assert "of the 1 road out of Bamako" in held.bottom_line.personal_security
    assert "sur la seule route qui sort de Bamako" in bottom_lines(held, "fr")["personal_security"]


def test_french_bottom_lines_and_location_lines(held) -> None:
    fr = bottom_lines(held, "fr")
    assert fr["regime_collapse"].startswith("Effondrement du régime : ")
    assert (
        "Un groupe armé tient 1 centre de population au-delà de la fenêtre de raid"
        in fr["regime_collapse"]
    )
    assert fr["personal_security"].startswith("Sécurité des personnes : ")
    pack = PackText.load(None, "fr")
    line = location_sentence(held.location("bamako"), held, "fr", pack)
    assert line.startswith("La sécurité des personnes à Bamako est au niveau ")
    assert "Facteur principal : " in line


def test_every_pack_sentence_has_its_french_template() -> None:
    pack = load_pack()
    fr = PackText.load(None, "fr")
    ps, rc = pack.personal_security, pack.regime_collapse
    sentences = [t.because for hz in ps.hazards.values() for t in hz.terms]
    sentences += [e.because for e in ps.combine.extreme_when]
    sentences += [r.because for part in (rc.place, rc.national) for r in part.rules]
    assert any(isinstance(b, Plural) for b in sentences)
    for because in sentences:
        if isinstance(because, Plural):
            names = frozenset(PLACEHOLDER.findall(because.other))
            [p] = [p for p in fr._plurals.get(names, []) if [p.one, p.other] == texts(because)]
            assert len(p.forms) == 3 and "(s)" not in " ".join(p.forms), because
            assert all(set(PLACEHOLDER.findall(f)) == names for f in p.forms), because
            continue
        names = frozenset(PLACEHOLDER.findall(because))
        candidates = [tr for en, tr in fr._templates.get(names, []) if en == because]
        assert candidates, because
        assert set(PLACEHOLDER.findall(candidates[0])) == names, because
    for hz in ps.hazards.values():
        assert fr.text(hz.description).lang == "fr"


def test_every_demo_driver_is_in_french(demo) -> None:
    pack = PackText.load(None, "fr")
    for loc in demo.locations:
        for d in loc.drivers:
            if d.kind != "guidance":
                s = pack.driver(d)
                assert s.lang == "fr" and s.text != d.because, (loc.id, d.rule)


def test_a_changed_template_falls_back_to_english_marked(demo, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    locale = rules / "locale" / "fr" / "LC_MESSAGES"
    locale.mkdir(parents=True)
    from babel.messages.pofile import read_po, write_po

    with (ROOT / "rules" / "locale" / "fr" / "LC_MESSAGES" / "rules.po").open("rb") as fh:
        catalog = read_po(fh, locale="fr_FR")
    old = next(m for m in catalog if m.id and m.id[1].endswith("level of violence"))
    catalog.delete(old.id)  # the pack's English changed since this template was translated
    catalog.add(tuple(x.replace("over two years", "in two years") for x in old.id), old.string)
    with (locale / "rules.po").open("wb") as fh:
        write_po(fh, catalog)
    html = render_html(demo, lang="fr", rules=rules)
    english = "violent incidents within 100 km over two years: the region&#39;s level of violence"
    assert f'<span lang="en">57 {english}</span>' in html
    assert "57 incidents violents dans un rayon de 100 km en deux ans : des groupes armés" in html


def test_rules_check_accepts_the_pack_with_its_catalogue() -> None:
    assert (ROOT / "rules" / "locale" / "fr" / "LC_MESSAGES" / "rules.po").is_file()
    r = CliRunner().invoke(cli, ["rules", "check", str(ROOT / "rules")])
    assert r.exit_code == 0, r.output


def test_a_guidance_driver_without_its_step_keeps_the_engines_sentence(held) -> None:
    """The French sentence of a guidance driver is written from its hazard's `guidance_step`.
    In an edited assessment without the step, the report printed an empty sentence (the
    workbook patched its own cell); now every output gets the engine's, marked English."""
    from advisory.outputs.exports.tables import drivers
    from advisory.outputs.exports.words import Vocabulary
    from advisory.outputs.report.evidence import driver_rows
    from advisory.outputs.report.sentences import Sentence, driver_sentence

    loc = next(x for x in held.locations if any(d.kind == "guidance" for d in x.drivers))
    d = next(d for d in loc.drivers if d.kind == "guidance")
    pack = PackText.load(None, "fr")
    assert driver_sentence(d, loc, held, "fr", pack).lang == "fr"  # with the step: French
    bare = loc.model_copy(deep=True)
    assert d.hazard is not None
    bare.personal_security.hazards[d.hazard].guidance_step = None
    assert driver_sentence(d, bare, held, "fr", pack) == Sentence(d.because, "en")
    [row] = [r for r in driver_rows(bare, held, "fr", pack) if r["rule"] == d.rule]
    assert row["because"] == d.because and row["because_lang"] == "en"
    edited = held.model_copy(update={"locations": [bare]})
    sheet = drivers(edited, Vocabulary("fr", held.level_names), pack)
    assert [r[8] for r in sheet.rows if r[5] == d.rule] == [d.because]


def test_a_counted_driver_takes_the_french_plural_rule() -> None:
    """French counts 0 and 1 as singular ("0 raid", "1 raid", "2 raids"), English only 1: the
    French form is chosen by the catalogue's plural rule, not by the English form's."""
    from advisory.assessment.model import Driver

    fr = PackText.load(None, "fr")
    words = {}
    for n, english in (("0", "raids"), ("1", "raid"), ("2", "raids")):
        because = f"{n} {english} that ended within days: a warning, not a change of control"
        d = Driver(
            rule="place-raids", track="regime_collapse", points=3.0, decisive=False,
            because=because, incidents=[], guidance=[], values={"control.raids": n},
        )  # fmt: skip
        s = fr.driver(d)
        assert s.lang == "fr", because
        words[n] = s.text.split(" en quelques jours")[0]
    assert words == {"0": "0 raid terminé", "1": "1 raid terminé", "2": "2 raids terminés"}


def test_a_driver_is_refilled_with_the_languages_dates_and_numbers() -> None:
    """The English sentence is matched with the values as the engine wrote them ("12.5",
    "2025-11-04"); the French one is filled with them as French writes them: Babel's long
    date, a decimal comma, "none" in words. English prints the engine's sentence unchanged."""
    from advisory.assessment.model import Driver

    values = {"count.kidnapping": "2", "radius_km": "12.5", "latest_date.kidnapping": "2025-11-04"}
    because = "2 abductions within 12.5 km over two years, the latest on 2025-11-04"
    d = Driver(
        rule="kidnapping-kidnapping", track="personal_security", points=0.5, decisive=False,
        because=because, incidents=[], guidance=[], values=values,
    )  # fmt: skip
    s = PackText.load(None, "fr").driver(d)
    assert s == Sentence(
        "2 enlèvements dans un rayon de 12,5 km en deux ans, le dernier le 4 novembre 2025", "fr"
    )
    assert PackText.load(None, "en").driver(d) == Sentence(because, "en")
    none = d.model_copy(update={
        "because": "foreigners or aid workers abducted within 60 km, the latest on none",
        "values": {"latest_date.kidnapping_foreign": "none"},
    })  # fmt: skip
    assert PackText.load(None, "fr").driver(none).text.endswith("le dernier le aucun")
    assert shown_value("1", "fr") == "1" and shown_value("12345", "fr") == "12\u202f345"
    assert shown_value("2025-11-01", "fr") == "1er novembre 2025"
    assert shown_value("FR, GB", "fr") == "FR, GB"


def test_numbers_dates_and_timestamps_come_from_babel() -> None:
    assert number(1234.5, "fr") == "1\u202f234,5" and number(1234.5, "en") == "1,234.5"
    assert number(3, "fr") == "3" and number(4.45, "fr") == "4,5"  # rounded as `format` does
    assert decimal(0.8315, "en", 2) == f"{0.8315:.2f}" == "0.83"
    assert decimal(0.834, "fr", 2, signed=True) == "+0,83"
    assert decimal(-1.2, "en", 2, signed=True) == "-1.20"
    assert num(3.85, "fr") == "3,85" and num(25.0) == "25" and num(0.5, "en") == "0.5"
    assert percent(0.333, "fr") == "33\xa0%" and percent(0.001, "fr") == "<1\xa0%"
    assert timestamp("2026-12-08T01:22:29+00:00", "fr") == "8 décembre 2026, 01:22:29 UTC"
    assert timestamp("2026-12-08T02:22:29+01:00", "en") == "8 December 2026, 01:22:29 UTC"
    assert timestamp("not a time", "fr") == "not a time"
    assert long_date("2025-11-20", "en") == "20 November 2025" and long_date("x", "fr") == "x"


def test_the_french_report_has_no_iso_date_or_decimal_point_in_its_prose(demo) -> None:
    """Dates in prose and headings in words, numbers with a decimal comma; the incident lists
    and the guidance table keep ISO dates (docs/reports.md)."""
    import html as html_lib
    import re

    page = render_html(demo, lang="fr")
    assert re.search(r"généré le \d{1,2}(?:er)? \w+ 20\d\d, \d\d:\d\d:\d\d UTC", page)
    assert "le dernier le 4 novembre 2025" in page and "le dernier le 2025" not in page
    assert re.search(r"<b>\+\d,\d\d ambush-", page)  # a model term's log-odds (evidence)
    assert "dates de situation du 1er janvier 2015 au 30 juin 2019" in page
    body = re.sub(r"<(style|svg|script)\b.*?</\1>", "", page, flags=re.S)
    text = html_lib.unescape(re.sub(r"<[^>]+>", "\n", body))
    prose = [ln for ln in text.split("\n") if len(ln.split()) > 6 and "sha256" not in ln]
    assert not [ln for ln in prose if re.search(r"(?<![\w.-])\d+\.\d+(?![\w.-])", ln)]
    # an ISO date only in the incident lists (an id or file name may carry one)
    iso = [ln for ln in prose if re.search(r"(?<![\w-])\d{4}-\d\d-\d\d(?![\w-])", ln)]
    assert all(re.match(r"\s*MLI\d+ · \d{4}-", ln) for ln in iso), iso[:3]
