"""Commands, options and exit codes are public contracts: pin them."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

from acled_factory import (
    BAMAKO,
    GUIDANCE_LEAVE,
    SEGOU,
    point,
    series,
    small_gazetteer,
    write_csv,
    write_places,
)
from click.testing import CliRunner

from advisory import __version__
from advisory.cli import cli
from advisory.rulepack import default_rules_dir


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def _inputs(tmp_path: Path) -> list[str]:
    rows = series("A", date(2025, 9, 1), 12, BAMAKO[0] + 0.02, BAMAKO[1])
    csv_path = write_csv(tmp_path / "acled.csv", rows)
    gdir = tmp_path / "guidance"
    gdir.mkdir()
    (gdir / "all.yaml").write_text(GUIDANCE_LEAVE, "utf-8")
    places = small_gazetteer(tmp_path / "places.geojson")
    return [
        "--incidents",
        str(csv_path),
        "--guidance",
        str(gdir),
        "--places",
        str(places),
        "--as-of",
        "2025-11-20",
    ]


def test_assess_json_with_directories_and_repeated_inputs(tmp_path: Path) -> None:
    args = _inputs(tmp_path)
    more = write_csv(tmp_path / "more.csv", series("B", date(2025, 10, 1), 3, *BAMAKO))
    result = invoke("assess", *args, "--incidents", str(more), "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["inputs"]["incidents"]["used"] == 15
    assert [loc["id"] for loc in doc["locations"]] == ["bamako", "rn6", "segou"]
    assert len(doc["guidance"]) == 3


def test_assess_json_writes_each_location_on_a_line_of_its_own(tmp_path: Path) -> None:
    """Indented, but one line per location (as GDAL writes GeoJSON features); a name cannot
    forge the layout: the document still reads back as the model's own JSON."""
    args = _inputs(tmp_path)
    forged = '\n  "locations": [],\n  "x": "</script>'
    places = write_places(
        tmp_path / "forged.geojson",
        [
            point("bamako", "Bamako", "capital", *BAMAKO, population=2800000),
            point("segou", forged, "city", *SEGOU, population=205787),
        ],
    )
    args[args.index("--places") + 1] = str(places)
    result = invoke("assess", *args, "-f", "json")
    assert result.exit_code == 0, result.output
    lines = result.stdout_bytes.split(b"\n")
    at = lines.index(b'  "locations": [')
    rows = lines[at + 1 : at + 3]
    assert [json.loads(row.strip().rstrip(b","))["id"] for row in rows] == ["bamako", "segou"]
    assert lines[at + 3] == b"  ],"
    doc = json.loads(result.stdout)
    assert doc["locations"][1]["name"] == forged
    assert lines[1] == b'  "schema_version": "2",'  # the rest stays indented
    again = invoke("assess", *args, "-f", "json")
    assert (
        again.stdout_bytes.split(b"generated_at")[0]
        == result.stdout_bytes.split(b"generated_at")[0]
    )


def test_assess_without_guidance_has_none_in_force(tmp_path: Path) -> None:
    args = _inputs(tmp_path)
    i = args.index("--guidance")
    del args[i : i + 2]
    doc = json.loads(invoke("assess", *args, "-f", "json").stdout)
    assert doc["guidance"] == [] and all(not loc["guidance_in_force"] for loc in doc["locations"])


def test_assess_needs_incidents() -> None:
    result = invoke("assess")
    assert result.exit_code == 2
    assert "--incidents" in result.stderr


def test_bad_as_of_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("assess", *_inputs(tmp_path)[:-2], "--as-of", "20/11/2025")
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.stderr


def test_as_of_defaults_to_latest_event_not_today(tmp_path: Path) -> None:
    args = _inputs(tmp_path)[:-2]
    doc = json.loads(invoke("assess", *args, "-f", "json").stdout)
    assert doc["as_of"] == "2025-10-04"  # 12 events every 3 days from 2025-09-01


def test_explain_text_shows_rules_points_and_incidents(tmp_path: Path) -> None:
    result = invoke("explain", "Bamako", *_inputs(tmp_path))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "ambush-violence" in out and "[decisive]" in out and "log-odds" in out
    assert "within 25 km in the next 30 days" in out  # what the likelihood is the chance of
    assert "did not fire" in out
    assert "A11" in out and "2.2 km" in out  # the latest, strongest incident, with its distance
    assert "us-1" in out


def test_explain_json(tmp_path: Path) -> None:
    result = invoke("explain", "bamako", *_inputs(tmp_path), "-f", "json")
    doc = json.loads(result.stdout)
    assert doc["location"]["id"] == "bamako"
    drivers = doc["location"]["personal_security"]["hazards"]["ambush"]["drivers"]
    assert drivers and all(
        {"rule", "points", "decisive", "incidents", "kind"} <= set(d) for d in drivers
    )
    trace = doc["trace"]["regime_collapse"]
    assert trace["not_fired"] and all({"rule", "why"} <= set(n) for n in trace["not_fired"])
    assert all(e["distance_km"] is not None and e["distance_km"] < 30 for e in doc["incidents"])
    assert all("ambush" in e["signals"] for e in doc["incidents"] if e["id"].startswith("A"))


def test_explain_gives_the_distance_of_every_incident_behind_a_driver() -> None:
    """Ségou's ambush driver lists MLI31002, which its evidence (the strongest few of all
    terms) does not cite: its distance comes from the engine too, not a "-"."""
    doc = json.loads(invoke("explain", "segou", "-f", "json").stdout)
    loc = doc["location"]
    cited = {c["id"] for c in loc["evidence"]}
    drivers = [d for h in loc["personal_security"]["hazards"].values() for d in h["drivers"]]
    assert "MLI31002" in {i for d in drivers for i in d["incidents"]} - cited
    km = {e["id"]: e["distance_km"] for e in doc["incidents"]}
    assert km["MLI31002"] == 4.3  # Ségou (13.4403, -6.2595) to the clash (13.4615, -6.2926)
    assert all(v is not None for v in km.values())
    text = invoke("explain", "segou").stdout
    assert "MLI31002 2024-01-13 Armed clash at Ségou (4.3 km, precision 2)" in text


def test_explain_demo_place_by_accented_name() -> None:
    result = invoke("explain", "KASSÉLA")
    assert result.exit_code == 0
    assert result.stdout.startswith("Kasséla (kassela)")


def test_rules_check_ok_and_json() -> None:
    result = invoke("rules", "check")
    assert result.exit_code == 0 and result.stdout.startswith("OK: ")
    doc = json.loads(invoke("rules", "check", "--format", "json").stdout)
    assert doc["valid"] is True and doc["digest"].startswith("sha256:")
    assert doc["lookback_days"] == 730  # control.lookback_days, the pack's longest window
    assert "back to 730 days before as-of" in result.stdout


def test_rules_test_passes_on_shipped_pack() -> None:
    result = invoke("rules", "test")
    assert result.exit_code == 0, result.output
    assert "FAIL" not in result.stdout and "PASS" in result.stdout


def _copy_pack(tmp_path: Path) -> Path:
    dst = tmp_path / "pack"
    shutil.copytree(default_rules_dir(), dst)
    return dst


def test_rules_test_fails_when_a_case_fails(tmp_path: Path) -> None:
    pack = _copy_pack(tmp_path)
    # a pack that forgets that a regain ends a seizure turns every raid into a hold
    text = (pack / "control.yaml").read_text("utf-8")
    (pack / "control.yaml").write_text(
        text.replace("ended: [territory_regained, withdrawal]", "ended: [withdrawal]")
    )
    result = invoke("rules", "test", str(pack))
    assert result.exit_code == 1
    assert "FAIL  raid and withdraw" in result.stdout


def test_rules_test_with_no_cases_fails(tmp_path: Path) -> None:
    pack = _copy_pack(tmp_path)
    shutil.rmtree(pack / "tests")
    result = invoke("rules", "test", str(pack))
    assert result.exit_code == 1 and "no test cases" in result.stderr


def test_version_and_schema() -> None:
    assert __version__ in invoke("--version").stdout
    schema = json.loads(invoke("schema").stdout)
    assert {"as_of", "locations", "national", "bottom_line"} <= set(schema["properties"])


def test_every_command_has_help_with_an_example() -> None:
    for cmd in (["demo"], ["assess"], ["explain"], ["rules", "check"], ["rules", "test"]):
        result = invoke(*cmd, "--help")
        assert result.exit_code == 0 and "Example" in result.stdout, cmd


def test_rejected_rows_written_and_reported(tmp_path: Path) -> None:
    args = _inputs(tmp_path)
    bad = tmp_path / "bad.csv"
    rows = series("Z", date(2025, 9, 1), 3, *BAMAKO)
    rows[1]["event_date"] = "not a date"
    write_csv(bad, rows)
    rejects = tmp_path / "rejects.csv"
    result = invoke(
        "assess", *args, "--incidents", str(bad), "--rejects", str(rejects), "-f", "json"
    )
    assert result.exit_code == 0
    assert "Warning: 1 incident row rejected (" in result.stderr and str(rejects) in result.stderr
    lines = rejects.read_text("utf-8").splitlines()
    assert len(lines) == 2 and "Z1" in lines[1] and "event_date" in lines[1]
    assert json.loads(result.stdout)["inputs"]["incidents"]["rejected"] == 1


def test_rules_check_warns_about_dead_parts_but_passes(tmp_path: Path) -> None:
    pack = _copy_pack(tmp_path)
    with (pack / "exposure.yaml").open("a", encoding="utf-8") as fh:
        fh.write(
            "\nunused:\n  signals: {unrest: 1.0}\n  half_life_days: 14\n  horizon_days: 120\n"
            "  radius_km: {point: 15, route: 5}\n  full_weight_km: {point: 5, route: 2}\n"
            "  max_geo_precision: {point: 2, route: 2}\n"
            "  trend: {recent_days: 30, baseline_days: 365, min_recent: 2}\n"
        )
    result = invoke("rules", "check", str(pack))
    assert result.exit_code == 0
    assert "Warning:" in result.stderr and "exposure 'unused' is not used" in result.stderr
    shipped = invoke("rules", "check")
    assert "Warning" not in shipped.stderr  # the shipped pack has no dead parts


def test_control_characters_in_notes_never_reach_the_terminal(tmp_path: Path) -> None:
    args = _inputs(tmp_path)
    rows = series("X", date(2025, 11, 1), 3, BAMAKO[0] + 0.02, BAMAKO[1])
    rows[0]["notes"] = "JNIM ambushed a convoy \x1b[2J\x1b]0;pwned\x07 of tankers"
    hostile = write_csv(tmp_path / "hostile.csv", rows)
    i = args.index("--incidents")
    args[i + 1] = str(hostile)
    result = invoke("explain", "bamako", *args)
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "JNIM ambushed a convoy" in " ".join(result.stdout.split())  # the text is kept


def test_out_into_a_missing_folder_is_a_usage_error_before_any_work(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "x"
    r = invoke("render", *_inputs(tmp_path), "--out", str(missing))
    assert r.exit_code == 2 and "does not exist" in r.stderr
    r = invoke(
        "check",
        "bamako",
        "segou",
        "--profile",
        "national-staff",
        "-f",
        "pdf",
        "--out",
        str(missing),
    )
    assert r.exit_code == 2 and "does not exist" in r.stderr


def test_a_reader_that_closes_the_pipe_ends_the_command_quietly(tmp_path: Path) -> None:
    """`advisory diff 1 2 --config desk | head -1` said "internal error: BrokenPipeError"
    now and then: a command whose reader went away ends quietly, with a SIGPIPE death's 141.
    The demo's JSON (0.7 MB) outgrows the pipe's buffer, so the write fails every time."""
    import subprocess
    import sys

    from advisory.cli.kit import SIGPIPE_EXIT

    with subprocess.Popen(
        [sys.executable, "-m", "advisory", "demo", "--format", "json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path,
    ) as writer:  # fmt: skip
        assert writer.stdout is not None and writer.stderr is not None
        with subprocess.Popen(["head", "-1"], stdin=writer.stdout, stdout=subprocess.PIPE) as head:
            writer.stdout.close()  # head holds the only reading end: it goes with head
            first, _ = head.communicate(timeout=120)
        err = writer.stderr.read().decode()
        assert writer.wait(timeout=120) == SIGPIPE_EXIT, err
    assert first.startswith(b"{")
    assert "Error" not in err and "BrokenPipe" not in err and "Exception" not in err, err
