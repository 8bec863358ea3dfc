"""The Excel export, read back with openpyxl: sheets, frozen headers, filters, widths, real
dates, levels as words on fills that keep their order in greyscale, French (the engine's
sentences included, real plurals), and no formula."""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from datetime import datetime

import openpyxl
import pytest
from exports_support import as_json, demo, hostile, hostile_texts
from openpyxl.worksheet.worksheet import Worksheet

from advisory.assessment import Assessment
from advisory.outputs.exports.style import LEVEL_FILL, grey
from advisory.outputs.exports.xlsx import xlsx_bytes
from advisory.outputs.report.i18n import level_labels
from advisory.outputs.report.sentences import PackText, bottom_lines, location_sentence

SHEETS_EN = ["Bottom line", "Places", "Roads", "Drivers", "Incidents", "Guidance", "Measures",
             "Provenance"]  # fmt: skip
SHEETS_FR = ["Synthèse", "Lieux", "Routes", "Facteurs", "Incidents", "Consignes", "Mesures",
             "Provenance"]  # fmt: skip


def levels_fr() -> list[str]:
    return level_labels("fr", [demo().scale[str(n)] for n in range(1, 6)])


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


@pytest.fixture(scope="module")
def book() -> openpyxl.Workbook:
    return load(xlsx_bytes(demo()))


def records(ws: Worksheet) -> list[dict[str, object]]:
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_every_sheet_has_a_frozen_header_a_filter_and_set_widths(book) -> None:
    assert book.sheetnames == SHEETS_EN
    for ws in book.worksheets:
        assert ws.max_row >= 2, ws.title
        assert ws.freeze_panes is not None and ws.freeze_panes[-1] == "2", ws.title  # row 1
        last = openpyxl.utils.get_column_letter(ws.max_column)
        assert ws.auto_filter.ref == f"A1:{last}{ws.max_row}", ws.title
        widths = [ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width
                  for c in range(1, ws.max_column + 1)]  # fmt: skip
        assert all(w and w >= 8 for w in widths), ws.title
        assert all(cell.font.b for cell in ws[1]), ws.title


def test_places_and_roads_hold_the_assessment(book) -> None:
    a = demo()
    rows = {r["ID"]: r for r in records(book["Places"]) + records(book["Roads"])}
    assert set(rows) == {loc.id for loc in a.locations}
    roads = {r["ID"] for r in records(book["Roads"])}
    assert roads == {loc.id for loc in a.locations if loc.line}
    for loc in a.locations:
        r, ps = rows[loc.id], loc.personal_security
        assert r["Personal security"] == a.scale[str(ps.level)]
        assert r["Personal security (1-5)"] == ps.level
        assert r["Regime collapse"] == a.scale[str(loc.regime_collapse.level)]
        assert r["Confidence"] == loc.confidence
        for h, hz in ps.hazards.items():
            name = h.capitalize()
            assert r[name] == a.scale[str(hz.level)]
            assert r[f"{name}: chance in 30 days"] == pytest.approx(hz.likelihood_30d)
            assert r[f"{name}: in words"] == hz.estimative


def test_levels_are_words_on_fills_that_keep_their_order_in_greyscale(book) -> None:
    ws = book["Places"]
    head = [c.value for c in ws[1]]
    col = head.index("Personal security") + 1
    fills: dict[int, str] = {}
    for row in range(2, ws.max_row + 1):
        cell, n = ws.cell(row, col), ws.cell(row, col + 1).value
        assert cell.value == demo().scale[str(n)]
        assert cell.fill.fill_type == "solid"
        fills[n] = "#" + cell.fill.fgColor.rgb[-6:]
        assert bool(cell.font.b) is (n >= 4)
    assert len(fills) >= 3  # the demo rates places at several levels
    for n, colour in fills.items():
        assert colour.upper() == LEVEL_FILL[n].upper()
    # every level's fill, darker with each level by a margin a printer keeps
    greys = [grey(LEVEL_FILL[n]) for n in range(1, 6)]
    assert all(a - b >= 30 for a, b in itertools.pairwise(greys)), greys
    measures = book["Measures"]
    seen = {measures.cell(r, 2).value: measures.cell(r, 1).fill.fgColor.rgb[-6:]
            for r in range(2, measures.max_row + 1)}  # fmt: skip
    assert set(seen) == {1, 2, 3, 4, 5}
    assert all(seen[n].upper() == LEVEL_FILL[n][1:].upper() for n in seen)


def test_dates_are_dates_and_chances_are_percentages(book) -> None:
    a = demo()
    inc = book["Incidents"]
    first = {r["ID"]: r for r in records(inc)}
    assert set(first) == {i.id for i in a.incidents}
    for i in a.incidents[:20]:
        assert first[i.id]["Date"] == datetime(i.date.year, i.date.month, i.date.day)
    assert inc["B2"].is_date and inc["B2"].number_format == "yyyy-mm-dd"
    summary = book["Bottom line"]
    assert summary["F2"].is_date and summary["F2"].value.date() == a.as_of
    places = book["Places"]
    head = [c.value for c in places[1]]
    chance = places.cell(2, head.index("Ambush: chance in 30 days") + 1)
    assert isinstance(chance.value, float) and chance.number_format == "0%"
    g = {r["ID"]: r for r in records(book["Guidance"])}
    for entry in a.guidance:
        assert g[entry.id]["Issued"].date() == entry.issued
    # a date the guidance file made up is not the issuer's (gb.yaml, fr.yaml say so)
    assert g["gb-2024-05-15-bamako"]["Date basis"] == "issue date not known; in force by"
    assert g["fr-2023-01-01"]["Date basis"] == "issue date not known; treated as in force from"
    assert g["us-2023-07-31"]["Date basis"] == "the issuer's issue date"


def test_drivers_carry_incident_ids_and_provenance_the_inputs(book) -> None:
    a = demo()
    drivers = records(book["Drivers"])
    expected = len(a.national.regime_collapse.drivers) + sum(len(x.drivers) for x in a.locations)
    assert len(drivers) == expected
    bamako = a.location("bamako")
    cited = [d for d in drivers if d["ID"] == "bamako" and d["Incident ids"]]
    assert {d["Incident ids"] for d in cited} == {", ".join(d.incidents) for d in bamako.drivers
                                                  if d.incidents}  # fmt: skip
    prov = records(book["Provenance"])
    paths = {r["Name or file"] for r in prov}
    assert {str(i["path"]) for i in a.provenance.inputs} <= paths
    assert any(r["Digest"] == a.provenance.rule_pack.digest for r in prov)


@pytest.fixture(scope="module")
def french() -> openpyxl.Workbook:
    return load(xlsx_bytes(demo(), "fr"))


def test_french_workbook(french) -> None:
    wb = french
    assert wb.sheetnames == SHEETS_FR
    lieux = records(wb["Lieux"])
    assert "Sécurité des personnes" in lieux[0]
    assert "Embuscade : probabilité sur 30 jours" in lieux[0]
    words = {r["Sécurité des personnes"] for r in lieux}
    assert words and words <= set(levels_fr())
    heads = [str(c.value) for ws in wb.worksheets for c in ws[1]]
    assert not [h for h in heads if "anglais" in h or "(s)" in h]  # no disclaimer, no "(s)"
    consignes = records(wb["Consignes"])
    assert {r["Émetteur"] for r in consignes} == {"France", "Royaume-Uni", "États-Unis"}
    assert {r["En vigueur"] for r in consignes} <= {"oui", "non"}


def test_french_workbook_carries_the_engines_sentences_in_french(french) -> None:
    """Bottom lines, location lines and drivers' sentences written again in French (the
    report's `sentences`), not the engine's English."""
    a = demo()
    synthese = records(french["Synthèse"])
    fr = bottom_lines(a, "fr")
    assert [r["L'essentiel"] for r in synthese] == [fr["personal_security"], fr["regime_collapse"]]
    assert synthese[0]["L'essentiel"].startswith("Sécurité des personnes : ")
    assert synthese[0]["L'essentiel"] != a.bottom_line.personal_security
    pack = PackText.load(None, "fr")
    rows = {r["Identifiant"]: r for r in records(french["Lieux"]) + records(french["Routes"])}
    for loc in a.locations:
        said = rows[loc.id]["L'essentiel"]
        assert said == location_sentence(loc, a, "fr", pack) != loc.bottom_line, loc.id
        assert said.startswith(f"La sécurité des personnes à {loc.name} est au niveau ")
    facteurs = records(french["Facteurs"])
    assert len(facteurs) == len(records(load(xlsx_bytes(a))["Drivers"]))
    by_place = [d for d in facteurs if d["Identifiant"] != "national"]
    drivers = [(loc, d) for loc in a.locations for d in loc.drivers]
    assert len(by_place) == len(drivers)
    raised = []
    for row, (loc, d) in zip(by_place, drivers, strict=True):
        if d.kind != "guidance":
            assert row["Motif"] == pack.driver(d).text != d.because, d.rule
        else:  # a guidance driver is a step that raised the level, written again in French
            assert loc.personal_security.hazards[d.hazard or ""].guidance_step, d.rule
            raised.append(row["Motif"])
    assert raised and all(r.startswith("relevé de ") for r in raised)
    assert all(row["Motif"] for row in facteurs)


def test_english_workbook_prints_the_engines_own_sentences(book) -> None:
    a = demo()
    summary = records(book["Bottom line"])
    assert [r["Bottom line"] for r in summary] == [a.bottom_line.personal_security,
                                                   a.bottom_line.regime_collapse]  # fmt: skip
    rows = {r["ID"]: r for r in records(book["Places"]) + records(book["Roads"])}
    assert all(rows[loc.id]["Bottom line"] == loc.bottom_line for loc in a.locations)
    drivers = [r for r in records(book["Drivers"]) if r["ID"] != "national"]
    assert [r["Because"] for r in drivers] == [d.because for x in a.locations for d in x.drivers]
    issuers = {r["Issuer"] for r in records(book["Guidance"])}
    assert issuers == {"France", "United Kingdom", "United States"}


def one_day_outcomes() -> Assessment:
    """The demo as if each hazard's outcome were a chance within one day."""
    doc = as_json(demo())
    for loc in doc["locations"]:
        for hz in loc["personal_security"]["hazards"].values():
            hz["outcome"]["days"] = 1
    return Assessment.model_validate(doc)


def test_column_heads_use_the_languages_plural_forms() -> None:
    one = [str(c.value) for c in load(xlsx_bytes(one_day_outcomes(), "fr"))["Lieux"][1]]
    assert "Embuscade : probabilité sur 1 jour" in one
    assert not [h for h in one if "jours" in h and "probabilité" in h]
    english = [str(c.value) for c in load(xlsx_bytes(one_day_outcomes()))["Places"][1]]
    assert "Ambush: chance in 1 day" in english


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_formula_reaches_the_file_and_hostile_text_stays_text(lang: str) -> None:
    data = xlsx_bytes(hostile(), lang)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        for name in sheets:
            xml = z.read(name).decode("utf-8")
            assert not re.search(r"<f[ >]", xml), name  # no formula element anywhere
    wb = load(data)
    found: set[str] = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate)
                if not isinstance(cell.value, str):
                    continue
                text = ooxml_text(cell.value)
                if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
                    assert cell.quotePrefix, (ws.title, cell.coordinate, text)
                found.add(text)
    assert set(hostile_texts()) <= found  # written whole, as text


def ooxml_text(value: str) -> str:
    """A cell's text as Excel shows it: OOXML writes control characters as _xHHHH_, which
    Excel decodes and openpyxl leaves as they are."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), value)


def test_same_assessment_same_bytes() -> None:
    assert xlsx_bytes(demo()) == xlsx_bytes(demo())
    assert xlsx_bytes(demo(), "fr") == xlsx_bytes(demo(), "fr")


def test_a_sheet_longer_than_excel_allows_is_refused_not_cut(monkeypatch) -> None:
    from advisory.errors import InputError
    from advisory.outputs.exports import xlsx

    monkeypatch.setattr(xlsx, "MAX_ROWS", 50)  # the demo's drivers sheet has hundreds of rows
    with pytest.raises(InputError, match="the Drivers sheet would need"):
        xlsx.xlsx_bytes(demo())
