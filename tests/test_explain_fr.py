"""`advisory explain --lang fr`: the decision trace in French, the same rules, points and
incidents as the English; the JSON stays the engine's, the same in either language."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner

from advisory.cli import cli


def explain(*args: str) -> str:
    r = CliRunner().invoke(cli, ["explain", *args])
    assert r.exit_code == 0, r.output
    return r.stdout


def test_french_explain_has_no_english_of_its_own() -> None:
    out = explain("kati", "--lang", "fr")
    flat = " ".join(out.split())
    assert out.startswith("Kati (kati) : ville, Koulikoro ; au 20 novembre 2025\n")
    assert "Sécurité des personnes : 4 Élevé (le pire des risques" in out
    assert re.search(r"^  Embuscade : 4 Élevé — improbable \(\d+\xa0%\) qu'au moins", out, re.M)
    assert re.search(r"log-odds -?\d+,\d\d = constante -?\d+,\d\d", out)
    assert "incidents violents dans un rayon de 100 km en deux ans" in flat  # the pack's French
    assert re.search(r"^      - place-held non déclenchée : control.held vaut 0, il faut = 1$",
                     out, re.M)  # fmt: skip
    assert "Consignes en vigueur :" in out and "Incidents derrière les niveaux (" in out
    english = ("Personal security", "Regime collapse", "likelihood", "within", "did not fire",
               "[decisive]", "evidence:", "Confidence", "Guidance in force", "Incidents behind",
               "located at", "as of", "Rules ", "raised from", "violent incidents", "attacks on",
               "leave_now", "ordered_departure", "terrorism")  # fmt: skip
    scaffold = out.split("Incidents derrière les niveaux")[0]  # ACLED's notes stay English
    left = [w for w in english if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", scaffold)]
    assert not left, left


def test_french_explain_cites_the_same_rules_and_incidents() -> None:
    """Only the words change: every rule id, point and incident id of the English trace is in
    the French one, in the same order."""
    doc = json.loads(explain("segou", "-f", "json"))
    trace = doc["trace"]["regime_collapse"]
    named = {d["rule"] for d in doc["location"]["drivers"]}
    named |= {r["rule"] for r in trace["fired"] + trace["not_fired"]}
    named |= {i["id"] for i in doc["incidents"]}
    assert len(named) > 10
    ids = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, sorted(named))) + r")(?![\w-])")
    en, fr = explain("segou"), explain("segou", "--lang", "fr")
    assert ids.findall(en) == ids.findall(fr)
    numbers = re.compile(r"[+-]?\d+[.,]\d+")  # the same points and log-odds, a comma for a dot
    assert [n.replace(".", ",") for n in numbers.findall(en.split("Incidents behind")[0])] == (
        numbers.findall(fr.split("Incidents derrière")[0])
    )


def test_the_json_is_the_same_whatever_the_language() -> None:
    docs = [json.loads(explain("kati", "-f", "json", "--lang", lang)) for lang in ("en", "fr")]
    for doc in docs:
        doc["provenance"].pop("generated_at")
    assert docs[0] == docs[1]


def test_french_explain_writes_dates_in_words_and_decimal_commas() -> None:
    """Prose dates in Babel's long form (the driver's "le dernier le ...", a guidance entry's
    issue date), numbers with a decimal comma; the incident list keeps ISO dates."""
    out = explain("segou", "--lang", "fr")
    flat = " ".join(out.split())
    assert out.startswith("Ségou (segou) : ville, Ségou ; au 20 novembre 2025\n")
    assert "; le dernier le 8 septembre 2025" in flat  # a pack sentence re-filled
    assert "émise le 7 novembre 2025" in flat and "émise le 2025" not in flat
    assert "+0,01 place-attacks : " in flat and "score 0,01" in flat
    assert re.search(r"^  MLI\d+ \d{4}-\d\d-\d\d ", out, re.M)  # a compact data line
    scaffold = out.split("Incidents derrière les niveaux")[0]
    assert not re.search(r"\d{4}-\d\d-\d\d(?![\w-])", scaffold.replace("-2025-", "")), scaffold
    assert not re.search(r"\d\.\d", scaffold.split("Règles ")[0])
    en = " ".join(explain("segou").split())
    assert en.startswith("Ségou (segou): city, Ségou; as of 20 November 2025")
    assert "the latest on 2025-09-08" in en  # the engine's own sentence, word for word
