"""`advisory check --lang fr`: the table, the JSON's sentences and the clearance sheet in French,
the decision the same as in English (the language changes the words, never the decision)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from click.testing import CliRunner
from system_tools import tool
from test_trip import cli_check, kidnappings, places  # noqa: F401  (places: the fixture)

from advisory.cli import cli

TRIP = ("alpha", "beta", "--profile", "international-staff", "--date", "2025-11-25")
# the English table's and sheet's own words: none may be left in the French ones
ENGLISH = (
    "refused because", "Highest ambush", "highest kidnapping", "Measures:", "Regime collapse",
    "context only", "for this profile", "Leg 1", "by road", "On or near the route:", "Route (",
    "shortest path",
    "Guidance in force", "Alternative: ", "flying avoids", "REFUSED", "Rules ", "engine ",
)  # fmt: skip


def test_french_table_says_everything_in_french(tmp_path: Path, places: Path) -> None:  # noqa: F811
    r = cli_check(tmp_path, places, kidnappings(), *TRIP, "--lang", "fr", guidance=True)
    assert r.exit_code == 1, r.output  # refused, in any language
    out = " ".join(r.stdout.split())  # the table's lines joined again
    assert out.startswith(
        "REFUSÉ : 1 étape pour 1 x international-staff, évalué au 25 novembre 2025"
    )
    assert "Étape 1 : Alpha -> Béta par la route le 25 novembre 2025 : REFUSÉ" in out
    assert not re.search(r"\d{4}-\d\d-\d\d", out), out
    assert "- refusé : risque d'enlèvement " in out and "(refusé dès le niveau " in out
    assert "chemin le plus court sur le réseau routier" in out
    assert "Mesures :" in out and "Effondrement du régime à Béta" in out
    assert "Consignes en vigueur sur le trajet" in out
    assert "Alternative : avion, AUTORISÉ" in out and "l'avion évite les routes" in out
    assert "Élevé" in out or "Extrême" in out  # the levels' French names
    left = [w for w in ENGLISH if w in out]
    assert not left, f"English left in the French table: {left}\n{out}"


def test_the_language_never_changes_the_decision(tmp_path: Path, places: Path) -> None:  # noqa: F811
    docs = {}
    for lang in ("en", "fr"):
        r = cli_check(tmp_path, places, kidnappings(), *TRIP, "-f", "json", "--lang", lang)
        assert r.exit_code == 1, r.output
        docs[lang] = json.loads(r.stdout)
    en, fr = docs["en"], docs["fr"]
    assert en["decision"] == fr["decision"] == "refused"
    for a, b in zip(en["legs"], fr["legs"], strict=True):
        assert [s["id"] for s in a["roads"]] == [s["id"] for s in b["roads"]]
        assert (a["ambush"], a["kidnapping"]) == (b["ambush"], b["kidnapping"])  # levels, labels
        assert [m["id"] for m in a["measures"]] == [m["id"] for m in b["measures"]]
        assert len(a["reasons"]) == len(b["reasons"]) > 0
        assert a["reasons"][0].startswith("kidnapping High for international-staff at")
        assert b["reasons"][0].startswith("risque d'enlèvement Élevé pour international-staff (")
        assert a["alternative"]["mode"] == b["alternative"]["mode"] == "road"
        assert a["alternative"]["why"] == "avoids Direct road"  # by name, not by id
        assert b["alternative"]["why"] == "évite Direct road"
        assert a["alternative"]["road_names"] == ["Alpha – Gamma", "Gamma – Béta"]
    # the measures' texts come in French from the rule pack
    assert {m["text"] for m in fr["measures"]}.isdisjoint({m["text"] for m in en["measures"]})
    assert set(en) == set(fr)  # the same keys


def test_french_clearance_sheet(tmp_path: Path, places: Path) -> None:  # noqa: F811
    out = tmp_path / "autorisation.pdf"
    r = cli_check(
        tmp_path, places, kidnappings(), *TRIP, "-f", "pdf", "--out", str(out), "--lang", "fr"
    )
    assert r.exit_code == 1, r.output
    text = subprocess.run(
        [tool("pdftotext"), "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    for words in ("Autorisation de déplacement", "REFUSÉ", "Motifs du refus", "Étape 1 :",
                  "Demandé par", "Effondrement du régime à Béta", "Page 1 sur 1", "(108,8 km)",
                  "route par Alpha – Gamma 78 km, Gamma – Béta 78 km (156 km, 47 km de plus), "
                  "autorisé avec", "évalué au 25 novembre 2025"):  # fmt: skip
        assert words in " ".join(text.split()), words
    # the leg's date in words too (its table cell wraps it): no ISO date left on the sheet
    assert text.count("novembre 2025") == 2 and not re.search(r"\d{4}-\d\d-\d\d", text)
    assert "refusé : feuille d'autorisation écrite dans " in r.stderr
    english = ("Trip clearance", "Why refused", "Requested by", "highest ambush", "Leg 1",
               "Legs", "Context", "after dark", "Page 1 of")  # fmt: skip
    left = [w for w in english if re.search(rf"\b{re.escape(w)}\b", text)]
    assert not left, f"English left in the French sheet: {left}\n{text}"


def test_english_stays_the_default_with_real_plurals(tmp_path: Path, places: Path) -> None:  # noqa: F811
    r = cli_check(tmp_path, places, kidnappings(), *TRIP)
    assert r.exit_code == 1
    assert r.stdout.startswith("REFUSED: 1 leg for 1 x international-staff")
    assert "- refused because kidnapping High for international-staff at" in r.stdout


def test_an_unknown_language_is_a_usage_error() -> None:
    r = CliRunner().invoke(cli, ["check", "bamako", "segou", "--profile", "driver", "--lang", "de"])
    assert r.exit_code == 2 and "--lang" in r.stderr


def test_french_demo_trip_with_many_places_leaves_no_english(tmp_path: Path) -> None:
    """The demo's 3-leg trip (air leg, refusals of every kind, long lists cut short): the
    table and the sheet have no English word of their own left."""
    trip = tmp_path / "trip.yaml"
    trip.write_text(
        "travellers: {profile: international-staff, headcount: 2}\n"
        "legs:\n"
        "  - {from: Bamako, to: Ségou, date: 2025-11-25, depart: '05:00', vehicles: 1}\n"
        "  - {from: Ségou, to: Sikasso, date: 2025-11-26}\n"
        "  - {from: Sikasso, to: Kita, mode: air}\n",
        "utf-8",
    )
    sheet = tmp_path / "autorisation.pdf"
    table = CliRunner().invoke(cli, ["check", "--itinerary", str(trip), "--lang", "fr"])
    pdf = CliRunner().invoke(
        cli, ["check", "--itinerary", str(trip), "-f", "pdf", "--out", str(sheet), "--lang", "fr"]
    )
    assert table.exit_code == pdf.exit_code == 1, table.output + pdf.output
    text = subprocess.run(
        [tool("pdftotext"), "-layout", str(sheet), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "et 18 autres" in " ".join(text.split())  # the sheet cuts the peaks' places short
    for out in (table.stdout, text):
        flat = " ".join(out.split())
        assert "aucun aéroport à moins de 15 km de Sikasso ou Kita" in flat
        assert "deux véhicules sont exigés" in flat and "partir entre 06:30 et 13:33" in flat
        english = re.findall(r"\b(and|more|for|by|of|the|refused|cleared|leg|legs)\b", flat)
        assert not english, english
