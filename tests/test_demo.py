"""Acceptance on the shipped demo data, through the CLI as a user runs it."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from advisory.cli import cli


@pytest.fixture(scope="module")
def demo_json() -> dict:
    result = CliRunner().invoke(cli, ["demo", "--format", "json", "--no-reports"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def by_id(doc: dict) -> dict[str, dict]:
    return {loc["id"]: loc for loc in doc["locations"]}


def test_demo_concludes_high_personal_security_low_regime_collapse(demo_json: dict) -> None:
    locs = by_id(demo_json)
    assert demo_json["as_of"] == "2025-11-20"
    assert locs["bamako"]["personal_security"]["level"] >= 4
    assert locs["bamako"]["regime_collapse"]["level"] <= 2
    assert demo_json["national"]["regime_collapse"]["level"] <= 2
    roads_into_bamako = [
        loc
        for loc in demo_json["locations"]
        if loc["kind"] == "route"
        and loc["id"].split("-")[1] == "bamako"
        and "airport" not in loc["id"]
    ]
    assert len(roads_into_bamako) >= 4
    for road in roads_into_bamako:
        assert road["personal_security"]["level"] >= 4, road["id"]


def test_demo_bottom_line_keeps_the_two_tracks_apart(demo_json: dict) -> None:
    bl = demo_json["bottom_line"]
    ps, rc = bl["personal_security"], bl["regime_collapse"]
    assert ps.startswith("Personal security:") and rc.startswith("Regime collapse:")
    assert "No population centre is held" in rc
    assert "does not enter this track" in rc  # guidance is not read as collapse
    assert "ambushes and kidnappings" in ps
    assert "Regime collapse" not in ps


def test_demo_json_contract_keys(demo_json: dict) -> None:
    assert {"as_of", "locations", "national", "bottom_line", "provenance"} <= set(demo_json)
    assert "drivers" in demo_json["national"]["regime_collapse"]
    assert isinstance(demo_json["national"]["regime_collapse"]["level"], int)
    for loc in demo_json["locations"]:
        assert {
            "id",
            "name",
            "kind",
            "personal_security",
            "regime_collapse",
            "confidence",
            "drivers",
        } <= set(loc)
        ps = loc["personal_security"]
        assert {"level", "label", "hazards"} <= set(ps)
        for hazard in ("ambush", "kidnapping"):
            hz = ps["hazards"][hazard]
            assert {"level", "score", "likelihood_30d", "estimative"} <= set(hz)
            assert 1 <= hz["level"] <= 5
        assert {"level", "label"} <= set(loc["regime_collapse"])
        assert loc["confidence"] in {"low", "moderate", "high"}
    prov = demo_json["provenance"]
    assert prov["engine_version"] and prov["rule_pack"]["digest"].startswith("sha256:")
    assert prov["as_of"] == "2025-11-20"
    assert {i["kind"] for i in prov["inputs"]} == {"incidents", "guidance", "places"}
    assert all(i["sha256"].startswith("sha256:") for i in prov["inputs"])


def test_demo_counts_events_after_as_of(demo_json: dict) -> None:
    inc = demo_json["inputs"]["incidents"]
    assert inc["after_as_of_ignored"] >= 1
    assert inc["rejected"] == 0


def test_demo_table_output_and_reports(tmp_path) -> None:
    out_dir = tmp_path / "advisory-demo"
    result = CliRunner().invoke(cli, ["demo", "--reports-dir", str(out_dir)])
    assert result.exit_code == 0
    html, pdf = out_dir / "advisory.html", out_dir / "advisory.pdf"
    assert html.stat().st_size > 10_000 and pdf.read_bytes().startswith(b"%PDF")
    assert str(html) in result.stderr
    out = result.stdout
    assert "Personal security:" in out and "Regime collapse:" in out
    assert "bamako" in out and "RN6 Bamako – Kasséla" in out  # roads by name (issue 18)
    assert "explain" in out


def test_demo_json_is_byte_identical_across_runs() -> None:
    def once() -> dict:
        doc = json.loads(CliRunner().invoke(cli, ["demo", "-f", "json", "--no-reports"]).stdout)
        doc["provenance"].pop("generated_at")
        return doc

    a, b = once(), once()
    assert json.dumps(a, sort_keys=False) == json.dumps(b, sort_keys=False)


def test_demo_at_an_earlier_date_is_calmer(demo_json: dict) -> None:
    result = CliRunner().invoke(
        cli, ["demo", "-f", "json", "--as-of", "2024-12-31", "--no-reports"]
    )
    assert result.exit_code == 0
    earlier = by_id(json.loads(result.stdout))
    now = by_id(demo_json)
    assert (
        earlier["rn6-bamako-kassela"]["personal_security"]["level"]
        < now["rn6-bamako-kassela"]["personal_security"]["level"]
    )


def test_demo_prints_the_appendix_when_asked(tmp_path, monkeypatch) -> None:
    """`demo --appendix`, as `render --appendix`: the PDF carries the evidence too."""
    import advisory.outputs.report as report

    asked: list[bool] = []

    def fake(a, outdir, *, appendix=False, lang="en"):
        asked.append(appendix)
        return []

    monkeypatch.setattr(report, "write_demo_reports", fake)
    for extra in ([], ["--appendix"]):
        res = CliRunner().invoke(cli, ["demo", "--reports-dir", str(tmp_path / "r"), *extra])
        assert res.exit_code == 0, res.output
    assert asked == [False, True]
