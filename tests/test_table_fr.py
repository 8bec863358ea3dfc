"""`advisory demo --lang fr` and `assess --lang fr`: the terminal table and the demo's advisories
in French; the JSON stays the engine's contract, the same bytes in either language."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from advisory.cli import cli


def test_french_table_has_no_english_of_its_own(tmp_path: Path) -> None:
    r = CliRunner().invoke(cli, ["demo", "--lang", "fr", "--reports-dir", str(tmp_path / "d")])
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert out.startswith("Évaluation à deux volets au 20 novembre 2025\n")  # Babel's date
    assert "(score 3,85)" in out and "\n  +0,85 national-attacks-near-capital : " in out
    assert "Sécurité des personnes : " in out and "Effondrement du régime : " in out
    assert re.search(r"^id +type +embuscade +enlèvement +sécurité des personnes", out, re.M)
    assert re.search(r"^bamako +capitale +4 Élevé\+ \d+\xa0%", out, re.M)
    assert "Lieux (" in out and "Routes (" in out and "National : effondrement du régime" in out
    assert "Niveaux : 1 Négligeable, 2 Faible, 3 Moyen, 4 Élevé, 5 Extrême." in out
    table_words = ("Two-track", "Places (", "Roads (", "National:", "Inputs:", "Levels:",
                   "Rules:", "Input:", "personal security", "regime collapse", "Personal security",
                   "kidnapping", " High", "Negligible")  # fmt: skip
    left = [w for w in table_words if w in out]
    assert not left, left
    # the demo's advisories are French too
    html = (tmp_path / "d" / "advisory.html").read_text("utf-8")
    assert '<html lang="fr"' in html and "L'essentiel" in html


def test_the_json_is_the_same_whatever_the_language() -> None:
    docs = []
    for lang in ("en", "fr"):
        r = CliRunner().invoke(cli, ["demo", "-f", "json", "--lang", lang])
        assert r.exit_code == 0, r.output
        doc = json.loads(r.stdout)
        doc["provenance"].pop("generated_at")
        docs.append(doc)
    assert docs[0] == docs[1]
    assert docs[0]["bottom_line"]["personal_security"].startswith("Personal security:")


def test_english_table_is_the_default() -> None:
    r = CliRunner().invoke(cli, ["demo", "--no-reports"])
    assert r.exit_code == 0
    assert r.stdout.startswith("Two-track assessment as of 20 November 2025\n")
    assert "(score 3.85)" in r.stdout and "\n  +0.85 national-attacks-near-capital: " in r.stdout
    assert "Levels: 1 Negligible, 2 Low, 3 Medium, 4 High, 5 Extreme." in r.stdout


def test_french_notes_on_stderr(tmp_path: Path) -> None:
    """What a command says on stderr is in its --lang too (the catalogue's), English without."""
    args = ["demo", "--reports-dir", str(tmp_path / "d")]
    fr = CliRunner().invoke(cli, [*args, "--lang", "fr"])
    assert fr.exit_code == 0, fr.output
    assert "Remarque : 4 événements datés d'après le 20 novembre 2025 ignorés.\n" in fr.stderr
    assert "Écrit : " in fr.stderr and "Note:" not in fr.stderr and "Wrote" not in fr.stderr
    en = CliRunner().invoke(cli, [*args, "--no-reports"])
    assert "Note: 4 events dated after 20 November 2025 ignored.\n" in en.stderr
