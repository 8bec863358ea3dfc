"""Trip checks: cleared, cleared with measures, refused; names, roads, dates and exit codes."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from acled_factory import GUIDANCE_LEAVE, line, point, series, write_csv, write_places
from click.testing import CliRunner
from system_tools import tool

from advisory.cli import cli
from advisory.engine import assess
from advisory.outputs.trip import Itinerary, check_trip
from advisory.rulepack import default_rules_dir

ALPHA, BETA, GAMMA = (12.0, -8.0), (12.0, -7.0), (12.5, -7.5)
MID_AB = (12.0, -7.5)  # on the direct road, > 35 km from every town and from the detour


@pytest.fixture
def places(tmp_path: Path) -> Path:
    return write_places(
        tmp_path / "net.geojson",
        [
            point("alpha", "Alpha", "town", *ALPHA, population=50000),
            point("beta", "Béta", "town", *BETA, population=50000),
            point("gamma", "Gamma", "town", *GAMMA, population=20000),
            point("delta", "Delta", "town", 14.0, -3.0),
            point("alpha-airport", "Alpha airport", "airport", 12.02, -8.0),
            point("beta-airport", "Béta airport", "airport", 12.02, -7.0),
            line("r-ab", "Direct road", [ALPHA, MID_AB, BETA], **{"from": "alpha", "to": "beta"}),
            line("r-ac", "Alpha – Gamma", [ALPHA, GAMMA], **{"from": "alpha", "to": "gamma"}),
            line("r-cb", "Gamma – Béta", [GAMMA, BETA], **{"from": "gamma", "to": "beta"}),
        ],
    )


def kidnappings(n: int = 20) -> list[dict]:
    """Foreigners abducted on the direct road every few days since September: enough, by the
    fitted model, for a kidnapping chance that refuses international staff."""
    return series("K", date(2025, 9, 1), n, *MID_AB, kind="kidnap_foreign", every_days=4)


def ambushes(n: int) -> list[dict]:
    return series("A", date(2025, 10, 1), n, *MID_AB, every_days=6)


def cli_check(tmp_path: Path, places: Path, rows: list[dict], *args: str, guidance: bool = False):
    csv_path = write_csv(
        tmp_path / "acled.csv",
        rows
        or [
            # one harmless recent event far away, so that the file is not empty
            *series("Z", date(2025, 11, 1), 1, 14.0, -3.0, kind="clash")
        ],
    )
    extra = []
    if guidance:
        gp = tmp_path / "guidance.yaml"
        gp.write_text(GUIDANCE_LEAVE, "utf-8")
        extra = ["--guidance", str(gp)]
    return CliRunner().invoke(
        cli, ["check", *args, "--incidents", str(csv_path), "--places", str(places), *extra]
    )


def decide(
    tmp_path: Path,
    places: Path,
    rows: list[dict],
    profile: str,
    day: str,
    *,
    src: str = "alpha",
    dst: str = "beta",
    guidance: bool = False,
) -> tuple[int, dict]:
    """One ORIGIN DESTINATION check as JSON: (exit code, document)."""
    r = cli_check(
        tmp_path,
        places,
        rows,
        src,
        dst,
        "--profile",
        profile,
        "--date",
        day,
        "-f",
        "json",
        guidance=guidance,
    )
    assert r.exit_code in (0, 1), r.output
    return r.exit_code, json.loads(r.stdout)


def test_quiet_trip_is_cleared_exit_0(tmp_path: Path, places: Path) -> None:
    code, doc = decide(tmp_path, places, [], "international-staff", "2025-11-25")
    assert code == 0
    assert doc["decision"] == "cleared" and doc["measures"] == []
    [leg] = doc["legs"]
    assert leg["from"] == "alpha" and leg["to"] == "beta" and leg["decision"] == "cleared"
    assert [road["id"] for road in leg["roads"]] == ["r-ab"]  # the shortest path
    assert leg["reasons"] == [] and leg["measures"] == []
    assert doc["ambush"]["level"] == 1 and doc["kidnapping"]["level"] == 1


def test_moderate_ambush_risk_clears_with_measures(tmp_path: Path, places: Path) -> None:
    code, doc = decide(tmp_path, places, ambushes(3), "national-staff", "2025-11-25")
    assert code == 0
    assert doc["decision"] == "cleared_with_measures"
    ids = {m["id"] for m in doc["measures"]}
    assert {"daylight_only", "two_vehicles", "movement_plan"} <= ids
    assert all(m["reasons"] and m["text"] for m in doc["measures"])
    assert doc["legs"][0]["ambush"]["where"] == ["Direct road"]


def test_kidnapping_risk_refuses_international_staff_exit_1(tmp_path: Path, places: Path) -> None:
    code, doc = decide(tmp_path, places, kidnappings(), "international-staff", "2025-11-25")
    assert code == 1
    leg = doc["legs"][0]
    assert doc["decision"] == leg["decision"] == "refused"
    assert any("kidnapping" in reason for reason in leg["reasons"])
    # the detour via Gamma avoids the kidnappings: it is offered as the alternative
    alt = leg["alternative"]
    assert alt["mode"] == "road" and alt["roads"] == ["r-ac", "r-cb"]
    assert alt["decision"] != "refused"


def test_same_trip_differs_by_profile(tmp_path: Path, places: Path) -> None:
    rows = kidnappings()
    assert decide(tmp_path, places, rows, "international-staff", "2025-11-25")[0] == 1
    assert decide(tmp_path, places, rows, "national-staff", "2025-11-25")[0] == 0


def test_refusal_follows_a_guidance_change(tmp_path: Path, places: Path) -> None:
    rows = kidnappings(12)  # Medium for international staff on the evidence alone
    profile = "international-staff"
    code_b, b = decide(tmp_path, places, rows, profile, "2025-10-29", guidance=True)
    code_a, a = decide(tmp_path, places, rows, profile, "2025-11-25", guidance=True)
    assert b["legs"][0]["guidance"] == []
    assert set(a["legs"][0]["guidance"]) == {"us-1", "gb-1", "fr-1"}
    assert code_b == 0 and code_a == 1
    assert a["kidnapping"]["level"] > b["kidnapping"]["level"]


def test_no_road_between_two_places_is_an_input_error_not_a_refusal(
    tmp_path: Path, places: Path
) -> None:
    r = cli_check(
        tmp_path,
        places,
        [],
        "alpha",
        "delta",
        "--profile",
        "national-staff",
        "--date",
        "2025-11-25",
    )
    assert r.exit_code == 2, r.output  # exit 1 would say "refused": this is a gap in the data
    assert "leg 1: no road in the network joins Alpha and Delta" in r.stderr


def test_unknown_names_get_did_you_mean_exit_2(tmp_path: Path, places: Path) -> None:
    r = cli_check(tmp_path, places, [], "alpha", "betta", "--profile", "national-staff")
    assert r.exit_code == 2 and "did you mean 'Béta'" in r.stderr
    r = cli_check(tmp_path, places, [], "alpha", "BETA", "--profile", "natonal-staff")
    assert r.exit_code == 2 and "did you mean 'national-staff'" in r.stderr
    assert "Traceback" not in r.output


def test_usage_errors_exit_2(tmp_path: Path, places: Path) -> None:
    assert cli_check(tmp_path, places, [], "alpha", "beta").exit_code == 2  # no profile
    assert CliRunner().invoke(cli, ["check"]).exit_code == 2
    trip = tmp_path / "trip.yaml"
    trip.write_text("travellers: {profile: national-staff}\nlegs: [{from: alpha, too: beta}]\n")
    r = cli_check(tmp_path, places, [], "--itinerary", str(trip))
    assert r.exit_code == 2 and f"{trip}:2" in r.stderr and "did you mean 'to'" in r.stderr


def test_itinerary_with_via_air_and_daylight(tmp_path: Path, places: Path) -> None:
    trip = tmp_path / "trip.yaml"
    trip.write_text(
        "travellers: {profile: national-staff, headcount: 2}\n"
        "legs:\n"
        "  - {from: Alpha, to: Béta, via: r-ac, date: 2025-11-25, depart: '07:00', vehicles: 2}\n"
        "  - {from: beta, to: alpha, mode: air, date: 2025-11-26}\n"
        "  - {from: alpha, to: beta, date: 2025-11-27, depart: '16:30', vehicles: 2}\n",
        "utf-8",
    )
    r = cli_check(tmp_path, places, ambushes(3), "--itinerary", str(trip), "-f", "json")
    doc = json.loads(r.stdout)
    l1, l2, l3 = doc["legs"]
    assert [x["id"] for x in l1["roads"]] == ["r-ac", "r-cb"] and "via" in l1["route"]
    assert any(p["id"] == "gamma" for p in l1["places"])
    # the leg's start and end first, in the direction of travel, then the places it passes
    assert [p["id"] for p in l1["places"][:2]] == ["alpha", "beta"]
    assert [p["id"] for p in l2["places"][:2]] == ["beta", "alpha"]
    assert l2["mode"] == "air" and l2["roads"] == [] and l2["decision"] == "cleared"
    # the direct road needs daylight-only travel; leaving at 16:30 arrives after dark
    assert l3["after_dark"] and l3["decision"] == "refused"
    assert any("daylight" in x and "depart between" in x for x in l3["reasons"])
    assert doc["decision"] == "refused" and r.exit_code == 1
    assert doc["headcount"] == 2 and doc["as_of"] == "2025-11-25"


def test_regime_collapse_never_decides(tmp_path: Path, places: Path) -> None:
    csv_path = write_csv(tmp_path / "a.csv", ambushes(3))
    run = assess([csv_path], [], places, None, date(2025, 11, 25), generated_at="t")
    plan = Itinerary.model_validate(
        {"travellers": {"profile": "national-staff"}, "legs": [{"from": "alpha", "to": "beta"}]}
    )
    first = check_trip(run, plan)
    for loc in run.assessment.locations:  # pretend every place is about to fall
        loc.regime_collapse.level = 5
    second = check_trip(run, plan)
    assert first.decision == second.decision
    assert [m.id for m in first.measures] == [m.id for m in second.measures]
    assert second.legs[0].destination_regime_collapse["level"] == 5


OFFICE_STAFF = """
  office-staff:
    description: Staff who rarely travel by road; half the average traveller's ambush rate.
    exposure: {ambush: 0.5, kidnapping: 1.0}
    guidance_raise: {ambush: 1, kidnapping: 1}
    refuse_at: 5
    measures: []
"""


def test_a_profile_takes_its_guidance_step_where_the_engine_step_raised_nothing(
    tmp_path: Path, places: Path
) -> None:
    """Ambush is High on the evidence (the guidance ceiling), so the engine's step raises
    nothing: no guidance driver, no `guidance_step`. Three governments cite terrorism, which
    ambush counts. A profile with half the ambush rate is Medium on the evidence and must take
    its own guidance step back to High; it used to find no sign of the guidance and stay
    Medium."""
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    with (rules / "profiles.yaml").open("a", encoding="utf-8") as fh:
        fh.write(OFFICE_STAFF)
    rows = series("A", date(2025, 10, 15), 20, *MID_AB, every_days=2)
    csv_path = write_csv(tmp_path / "a.csv", rows)
    guidance = tmp_path / "guidance.yaml"
    guidance.write_text(GUIDANCE_LEAVE, "utf-8")
    plan = Itinerary.model_validate(
        {"travellers": {"profile": "office-staff"}, "legs": [{"from": "alpha", "to": "beta"}]}
    )
    levels = {}
    for given in ([], [guidance]):
        run = assess([csv_path], given, places, rules, date(2025, 11, 25), generated_at="t")
        ambush = run.assessment.location("r-ab").personal_security.hazards["ambush"]
        assert ambush.evidence_level == ambush.level == 4 and ambush.guidance_step is None
        assert not any(d.kind == "guidance" for d in ambush.drivers)
        road = check_trip(run, plan).legs[0].roads[0]
        assert road.id == "r-ab"
        levels[bool(given)] = (set(ambush.guidance_cited), road.ambush)
    assert levels[False] == (set(), 3)  # half the rate: Medium for this profile
    assert levels[True] == ({"us-1", "gb-1", "fr-1"}, 4)  # cited: the profile's step applies


def test_demo_trip_check_without_incidents_uses_demo_data() -> None:
    r = CliRunner().invoke(
        cli,
        ["check", "bamako", "segou", "--date", "2025-11-25", "--profile", "international-staff"],
    )
    assert r.exit_code == 1
    assert "demo data" in r.stderr
    assert r.stdout.startswith("REFUSED")
    assert "RN6" in r.stdout and "context only" in r.stdout


def test_dates_are_the_assessment_date(tmp_path: Path, places: Path) -> None:
    day = str(date(2025, 10, 1) - timedelta(days=1))
    earlier = series("Z", date(2025, 9, 15), 1, 14.0, -3.0, kind="clash")  # far away, known
    code, doc = decide(tmp_path, places, [*earlier, *ambushes(3)], "national-staff", day)
    assert code == 0 and doc["decision"] == "cleared"  # no ambush known yet on that date
    # with nothing at all known on the date, there is nothing to clear against: exit 2
    r = cli_check(
        tmp_path, places, ambushes(3), "alpha", "beta", "--profile", "national-staff", "--date", day
    )
    assert r.exit_code == 2 and "dated after" in r.stderr


def test_pdf_clearance_sheet_is_one_page_with_the_decision(tmp_path: Path, places: Path) -> None:
    out = tmp_path / "clearance.pdf"
    r = cli_check(
        tmp_path,
        places,
        kidnappings(),
        "alpha",
        "beta",
        "--profile",
        "international-staff",
        "--date",
        "2025-11-25",
        "--format",
        "pdf",
        "--out",
        str(out),
    )
    assert r.exit_code == 1, r.output  # the exit code still says refused
    assert out.read_bytes().startswith(b"%PDF")
    info = subprocess.run(
        [tool("pdfinfo"), str(out)], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M)
    text = subprocess.run(
        [tool("pdftotext"), "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "REFUSED" in text and "Why refused" in text and "Alpha" in text
    assert "Direct road" in text and "context only" in text


def test_pdf_needs_out(tmp_path: Path, places: Path) -> None:
    r = cli_check(
        tmp_path, places, [], "alpha", "beta", "--profile", "national-staff", "--format", "pdf"
    )
    assert r.exit_code == 2 and "--out" in r.stderr


def test_roads_without_ends_are_named_when_no_route_exists(tmp_path: Path) -> None:
    places = write_places(
        tmp_path / "p.geojson",
        [
            point("alpha", "Alpha", "town", *ALPHA),
            point("beta", "Béta", "town", *BETA),
            line("r-ab", "Direct road", [ALPHA, BETA]),  # no from/to: cannot be routed over
        ],
    )
    r = cli_check(
        tmp_path, places, [], "alpha", "beta", "--profile", "national-staff", "--date", "2025-11-25"
    )
    assert r.exit_code == 2, r.output  # a data gap, never reported as a refusal (exit 1)
    assert "no road in the network" in r.stderr and "r-ab" in r.stderr and "from" in r.stderr


def test_safest_route_as_long_as_the_shortest_never_says_0_km_longer(tmp_path: Path) -> None:
    """Two ways round, mirror images across a parallel: the southern one, away from the
    ambushes, is a hundred-odd metres longer. Not "0 km longer than the shortest"."""
    north, south = (12.3, -7.5), (11.7, -7.5)
    places = write_places(
        tmp_path / "p.geojson",
        [
            point("alpha", "Alpha", "town", *ALPHA),
            point("beta", "Béta", "town", *BETA),
            point("gamma", "Gamma", "town", *south),
            line("r-n", "North road", [ALPHA, north, BETA], **{"from": "alpha", "to": "beta"}),
            line("r-ag", "Alpha – Gamma", [ALPHA, south], **{"from": "alpha", "to": "gamma"}),
            line("r-gb", "Gamma – Béta", [south, BETA], **{"from": "gamma", "to": "beta"}),
        ],
    )
    rows = series("A", date(2025, 10, 1), 6, *north, every_days=6)
    args = ["alpha", "beta", "--profile", "national-staff", "--date", "2025-11-25"]
    r = cli_check(tmp_path, places, rows, *args, "--prefer", "safest", "-f", "json")
    leg = json.loads(r.stdout)["legs"][0]
    assert [s["id"] for s in leg["roads"]] == ["r-ag", "r-gb"]
    assert leg["route"] == "safest path over the road network, as long as the shortest"
    r = cli_check(tmp_path, places, rows, *args, "--prefer", "safest", "--lang", "fr")
    assert ", aussi long que le plus court" in " ".join(r.stdout.split())


def test_a_leg_arriving_on_a_later_day_gives_the_date(tmp_path: Path) -> None:
    far = (20.0, 0.0)  # about 1,250 km of road: some 25 h at the pack's speed
    places = write_places(
        tmp_path / "p.geojson",
        [
            point("alpha", "Alpha", "town", *ALPHA),
            point("omega", "Oméga", "town", *far),
            line("r-ao", "Long road", [ALPHA, far], **{"from": "alpha", "to": "omega"}),
        ],
    )
    args = ["alpha", "omega", "--profile", "national-staff", "--date", "2025-11-25"]
    r = cli_check(tmp_path, places, [], *args, "-f", "json")
    leg = json.loads(r.stdout)["legs"][0]
    assert leg["hours"] > 24 and leg["arrive_date"] == "2025-11-26"
    assert re.fullmatch(r"\d\d:\d\d", leg["arrive"])  # the key keeps its form
    text = " ".join(cli_check(tmp_path, places, [], *args).stdout.split())
    assert f"arrive {leg['arrive']} on 2025-11-26" in text
    text = " ".join(cli_check(tmp_path, places, [], *args, "--lang", "fr").stdout.split())
    assert f"arrivée {leg['arrive']} le 2025-11-26" in text
    # without a date the leg departs on the assessment date, and arrives the day after
    undated = ["alpha", "omega", "--profile", "national-staff"]
    doc = json.loads(cli_check(tmp_path, places, [], *undated, "-f", "json").stdout)
    next_day = str(date.fromisoformat(doc["as_of"]) + timedelta(days=1))
    assert doc["legs"][0]["date"] is None and doc["legs"][0]["arrive_date"] == next_day
    assert f"on {next_day}" in " ".join(cli_check(tmp_path, places, [], *undated).stdout.split())
