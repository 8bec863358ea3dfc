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
