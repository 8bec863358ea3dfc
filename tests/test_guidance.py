"""Guidance scopes are checked against the places' admin1 names, country codes matched as
coverage matches them (folded: a places file may write `ml` where guidance writes `ML`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from acled_factory import BAMAKO, SEGOU, line, point, series, write_csv, write_places
from click.testing import CliRunner

from advisory.cli import cli
from advisory.errors import InputError
from advisory.ingest.guidance import GuidanceEntry, check_scopes


def entry(country: str, admin1: list[str]) -> GuidanceEntry:
    return GuidanceEntry.model_validate(
        {"id": "us-1", "issuer": "US", "issued": "2025-01-01", "level": 3, "action": "none",
         "scope": {"country": country, "admin1": admin1}}
    )  # fmt: skip


def test_known_names_are_found_whatever_the_case_of_their_country_code() -> None:
    known = {"ne": {"Tillabéri"}, "NE": {"Agadez"}}
    check_scopes([entry("NE", ["TILLABERI", "agadez"])], known)
    with pytest.raises(InputError) as exc:
        check_scopes([entry("NE", ["Tilaberi"])], known)
    assert "unknown admin1 'Tilaberi' for NE (did you mean 'Tillabéri'?)" in str(exc.value)


def lowercase_country_places(path: Path) -> Path:
    """The small gazetteer with its country written `ml`, and a town in Ménaka region."""
    return write_places(
        path,
        [
            point("bamako", "Bamako", "capital", *BAMAKO, country="ml", admin1="Bamako"),
            point("segou", "Ségou", "city", *SEGOU, country="ml", admin1="Ségou"),
            point("kati", "Kati", "town", 12.74, -8.07, country="ml", admin1="Ménaka"),
            line("rn6", "RN6", [BAMAKO, SEGOU], road="RN6", country="ml", admin1="Koulikoro"),
        ],
    )


def assess_with_scope(tmp_path: Path, admin1: str):
    rows = series("A", date(2025, 9, 1), 12, BAMAKO[0] + 0.02, BAMAKO[1])
    g = tmp_path / "g.yaml"
    g.write_text(
        "- id: x\n  issuer: US\n  issued: 2025-01-01\n  level: 4\n  action: none\n"
        f"  scope: {{country: ML, admin1: [{admin1}]}}\n",
        "utf-8",
    )
    args = [
        "assess", "--incidents", write_csv(tmp_path / "acled.csv", rows),
        "--places", lowercase_country_places(tmp_path / "places.geojson"), "--guidance", g,
        "--as-of", "2025-11-20", "--rejects", tmp_path / "rejects.csv", "-f", "json",
    ]  # fmt: skip
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_a_misspelt_region_of_places_written_ml_is_refused_with_a_suggestion(
    tmp_path: Path,
) -> None:
    res = assess_with_scope(tmp_path, "Menakka")
    assert res.exit_code == 2, res.output
    assert "unknown admin1 'Menakka' for ML (did you mean 'Ménaka'?)" in res.stderr
    assert "Traceback" not in res.output


def test_a_region_of_places_written_ml_is_known_to_guidance_for_ml(tmp_path: Path) -> None:
    res = assess_with_scope(tmp_path, "MENAKA")
    assert res.exit_code == 0, res.output


# --- issue dates the project does not know -------------------------------------------------


def test_issued_basis_is_validated_and_defaults_to_the_issuers_date(tmp_path: Path) -> None:
    """`issued_basis` says what `issued` stands for; a bad value is refused with its line."""
    from advisory.ingest.guidance import read_guidance

    assert entry("ML", ["Kayes"]).issued_basis == "issuer"
    g = tmp_path / "g.yaml"
    g.write_text(
        "- id: x\n  issuer: GB\n  issued: 2024-05-15\n  issued_basis: in_force_by\n"
        "  level: 4\n  action: none\n"
        "- id: y\n  issuer: GB\n  issued: 2024-05-15\n  issued_basis: guessed\n"
        "  level: 4\n  action: none\n",
        "utf-8",
    )
    with pytest.raises(InputError) as exc:
        read_guidance([g])
    problems = exc.value.problems
    assert [(p.line, p.field, p.rule_id) for p in problems] == [(10, "1.issued_basis", "y")], (
        problems
    )
    assert "in_force_by" in str(exc.value) and "placeholder" in str(exc.value)


def test_the_shipped_guidance_says_which_issue_dates_are_not_the_issuers() -> None:
    """gb.yaml says the FCDO's own date is not known (a page dated 15 May 2024 paraphrased
    the advice); fr.yaml that 2023-01-01 is a placeholder chosen by the project."""
    from advisory.engine import DATA_DIR
    from advisory.ingest.guidance import read_guidance

    entries, _ = read_guidance([DATA_DIR / "guidance"])
    basis = {e.id: e.issued_basis for e in entries}
    assert basis.pop("gb-2024-05-15-regions") == basis.pop("gb-2024-05-15-bamako") == "in_force_by"
    assert basis.pop("fr-2023-01-01") == "placeholder"
    assert set(basis.values()) == {"issuer"}


def test_an_unknown_issue_date_still_orders_the_entries() -> None:
    """The date decides when an entry is in force and which replaces which, whatever its
    basis: a placeholder entry is in force from it and a later entry replaces it."""
    old = GuidanceEntry.model_validate(
        {"id": "fr-old", "issuer": "FR", "issued": "2023-01-01", "issued_basis": "placeholder",
         "level": 3, "action": "none"}
    )  # fmt: skip
    assert not old.in_force(date(2022, 12, 31)) and old.in_force(date(2023, 1, 1))
    assert not old.issued_known


def test_explain_says_the_issue_date_is_not_known() -> None:
    def explain(*args: str) -> str:
        res = CliRunner().invoke(cli, ["explain", "bamako", "--as-of", "2024-06-01", *args])
        assert res.exit_code == 0, res.output
        return " ".join(res.output.split())

    en = explain()
    assert (
        "gb-2024-05-15-bamako: GB level 3, no departure order, issue date not known; in force "
        "by 15 May 2024" in en
    )
    assert (
        "fr-2023-01-01: FR level 3, no departure order, issue date not known; treated as in "
        "force from 1 January 2023" in en
    )
    assert "us-2023-07-31: US level 4, no departure order, issued 31 July 2023" in en
    assert "issued 15 May 2024" not in en and "issued 1 January 2023" not in en
    fr = explain("--lang", "fr")
    assert "date d'émission inconnue ; en vigueur au 15 mai 2024" in fr
    assert "émise le 15 mai 2024" not in fr and "émise le 1er janvier 2023" not in fr
