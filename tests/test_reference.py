"""The engine gives the same levels as the slow, plain-Python reference (bench/reference.py).

On the shipped demo data (every location), on a handcrafted data set that walks through every
control status, on a seeded random one, and with the capital held. Some tests prove the
comparison has teeth: the engine given a different rule pack than the reference must differ.
The last tests pin four engine bugs the reference found (roads measured to their vertices
instead of their polyline, national features unseen by personal-security rules, "days since"
read as 0 with no capital), each fixed.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import math
import random
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from acled_factory import BAMAKO, FAMA, JNIM, event, line, point, write_csv, write_places

from advisory.engine import DATA_DIR, assess
from advisory.rulepack import RulePack, load_pack

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2025, 11, 20)


def _load_reference():
    spec = importlib.util.spec_from_file_location("reference", ROOT / "bench" / "reference.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["reference"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


ref = _load_reference()

# (event_type, sub_event_type, actor1, actor2, notes): ACLED codings for the signals wanted
CODINGS = {
    "ambush": ("Battles", "Armed clash", JNIM, FAMA, "JNIM ambushed a convoy of fuel tankers."),
    "ied": (
        "Explosions/Remote violence",
        "Remote explosive/landmine/IED",
        JNIM,
        "Civilians (Mali)",
        "An IED struck a bus on the road.",
    ),
    "travellers": (
        "Violence against civilians",
        "Attack",
        JNIM,
        "Civilians (Mali)",
        "Gunmen attacked bus passengers on the RN6.",
    ),
    "kidnap_foreign": (
        "Violence against civilians",
        "Abduction/forced disappearance",
        JNIM,
        "Civilians (China)",
        "Gunmen abducted three Chinese workers.",
    ),
    "kidnap_aid": (
        "Violence against civilians",
        "Abduction/forced disappearance",
        JNIM,
        "Civilians (Mali)",
        "Gunmen abducted two NGO aid workers.",
    ),
    "kidnap_national": (
        "Violence against civilians",
        "Abduction/forced disappearance",
        JNIM,
        "Civilians (Mali)",
        "Gunmen abducted a village chief.",
    ),
    "post": (
        "Battles",
        "Armed clash",
        JNIM,
        FAMA,
        "JNIM attacked an army post; the assailants withdrew after clashes.",
    ),
    "seized": (
        "Battles",
        "Non-state actor overtakes territory",
        JNIM,
        FAMA,
        "JNIM took control of the town.",
    ),
    "seized_court": (
        "Battles",
        "Non-state actor overtakes territory",
        JNIM,
        FAMA,
        "JNIM took control of the town and set up an Islamic court.",
    ),
    "regained": (
        "Battles",
        "Government regains territory",
        FAMA,
        JNIM,
        "FAMa retook the town.",
    ),
    "withdrew": (
        "Strategic developments",
        "Non-violent transfer of territory",
        JNIM,
        "",
        "JNIM fighters withdrew from the town.",
    ),
    "army_left": (
        "Battles",
        "Armed clash",
        JNIM,
        FAMA,
        "FAMa soldiers withdrew from the camp after clashes.",
    ),
    "hq": (
        "Strategic developments",
        "Headquarters or base established",
        JNIM,
        "",
        "JNIM set up a base in the town.",
    ),
    "zakat": ("Strategic developments", "Other", JNIM, "", "JNIM collected zakat from herders."),
    "blockade": ("Strategic developments", "Other", JNIM, "", "JNIM declared a blockade."),
    "tankers": (
        "Violence against civilians",
        "Looting/property destruction",
        JNIM,
        "Civilians (Mali)",
        "JNIM burnt fuel tankers.",
    ),
    "protest": ("Protests", "Peaceful protest", "Protesters (Mali)", "", "Residents protested."),
    "drone": ("Explosions/Remote violence", "Air/drone strike", FAMA, JNIM, "Drones struck."),
}


def ev(eid: str, days_ago: int, lat: float, lon: float, kind: str, precision: int = 1) -> dict:
    etype, sub, a1, a2, notes = CODINGS[kind]
    day = AS_OF - timedelta(days=days_ago)
    return event(
        eid,
        day,
        lat,
        lon,
        precision=precision,
        event_type=etype,
        sub_event_type=sub,
        actor1=a1,
        actor2=a2,
        notes=notes,
    )


def near(lat: float, lon: float, km_north: float = 0.0, km_east: float = 0.0):
    """A point so many km north and east of another (flat-earth offsets, fine at these sizes)."""
    return lat + km_north / 111.2, lon + km_east / (111.2 * math.cos(math.radians(lat)))


def check(
    tmp_path: Path,
    rows: list[dict],
    features: list[dict],
    guidance: str | None = None,
    rules: Path | None = None,
) -> tuple[list[str], object]:
    """Compare on every location; also return the engine's assessment for sanity checks."""
    csv = write_csv(tmp_path / "events.csv", rows)
    places = write_places(tmp_path / "places.geojson", features)
    g = []
    if guidance is not None:
        (tmp_path / "guidance.yaml").write_text(guidance, "utf-8")
        g = [tmp_path / "guidance.yaml"]
    diffs = ref.compare([csv], places, g, rules, AS_OF, None, 1)
    return diffs, assess([csv], g, places, rules, AS_OF).assessment


def by_id(assessment) -> dict:
    return {loc.id: loc for loc in assessment.locations}


# --- the shipped demo data -------------------------------------------------------------------


def test_demo_data_every_location_identical() -> None:
    diffs = ref.compare(
        [DATA_DIR / "incidents"], None, [DATA_DIR / "guidance"], None, AS_OF, None, 1
    )
    assert diffs == []


def test_cli_says_identical_on_a_demo_sample(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["-i", str(DATA_DIR / "incidents"), "-g", str(DATA_DIR / "guidance")]
    code = ref.main([*args, "--as-of", "2025-11-20", "--sample", "10", "--seed", "3"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.strip().endswith("locations + national: identical")


# --- handcrafted: every control status, trends, precision, roads, guidance -----------------

# Held centres are kept more than nearby_km (150 km) from every road (a held town beside a
# road is tested on its own at the end of this file).
NORTH = (15.2, -4.0)  # the towns that change hands, ~450 km from the capital and the roads


def control_world() -> tuple[list[dict], list[dict], str]:
    n_lat, n_lon = NORTH
    held = near(n_lat, n_lon)
    governed = near(n_lat, n_lon, km_north=35)
    contested = near(n_lat, n_lon, km_east=60)
    raided = near(n_lat, n_lon, km_east=-70)
    regained = near(n_lat, n_lon, km_north=-60)
    same_day = near(n_lat, n_lon, km_north=80, km_east=40)
    twin_a = near(n_lat, n_lon, km_north=-40, km_east=90)
    twin_b = near(*twin_a, km_east=10)
    old = near(n_lat, n_lon, km_north=100, km_east=-60)
    village = near(n_lat, n_lon, km_north=15, km_east=-20)
    kati = near(*BAMAKO, km_north=12, km_east=-12)
    mid_road = near(*BAMAKO, km_north=20, km_east=60)  # halfway along the eastern road
    road_end = near(*BAMAKO, km_north=40, km_east=120)
    features = [
        point("capital", "Capital", "capital", *BAMAKO, population=2800000, admin1="Bamako"),
        point("kati", "Kati", "city", *kati, population=100000, admin1="Koulikoro"),
        point("roadvillage", "Road Village", "village", *mid_road, admin1="Koulikoro"),
        point("roadend", "Road End", "village", *road_end, admin1="Koulikoro"),
        point("held", "Heldtown", "town", *held, population=40000, admin1="Mopti"),
        point("governed", "Govtown", "town", *governed, population=90000, admin1="Mopti"),
        point("contested", "Conttown", "town", *contested, population=20000, admin1="Mopti"),
        point("raided", "Raidtown", "town", *raided, population=15000, admin1="Mopti"),
        point("regained", "Regtown", "town", *regained, admin1="Mopti"),  # no population
        point("sameday", "Samedaytown", "town", *same_day, population=8000, admin1="Mopti"),
        point("twin-a", "Twin A", "town", *twin_a, population=12000, admin1="Mopti"),
        point("twin-b", "Twin B", "town", *twin_b, population=12000, admin1="Mopti"),
        point("oldtown", "Oldtown", "town", *old, population=30000, admin1="Mopti"),
        point("village", "Zakatville", "village", *village, admin1="Mopti"),
        line("rn-east", "RN East", [BAMAKO, mid_road, road_end], admin1="Koulikoro"),
        line("rn-kati", "RN Kati", [BAMAKO, kati], admin1="Koulikoro"),
    ]
    rows = [
        # Heldtown: seized 60 days ago; the army withdrawing does not end it.
        ev("H1", 60, *near(*held, km_east=2), "seized"),
        ev("H2", 58, *near(*held, km_east=1), "army_left"),
        # Govtown: seized, governance 10 days later: held and governed.
        ev("G1", 40, *governed, "seized"),
        ev("G2", 30, *governed, "hq"),
        # Conttown: seized 5 days ago, raid window still open: contested.
        ev("C1", 5, *contested, "seized"),
        # Raidtown: two raids (one 95 days ago, one ended 18 days ago), and zakat in between.
        ev("R1", 100, *raided, "seized"),
        ev("R2", 95, *raided, "regained"),
        ev("R3", 50, *raided, "zakat"),
        ev("R4", 20, *raided, "seized"),
        ev("R5", 18, *near(*raided, km_north=3), "withdrew"),
        # Regtown: held 50 days, then retaken: neither a raid nor held.
        ev("E1", 200, *regained, "seized"),
        ev("E2", 150, *regained, "regained"),
        # Samedaytown: seizure and a court in one event, 3 days ago: governed at once.
        ev("S1", 3, *same_day, "seized_court"),
        # A seizure 4 km from Twin A and 6 km from Twin B counts for Twin A only.
        ev("T1", 45, *near(*twin_a, km_east=4), "seized"),
        # Oldtown: seized before the 730-day lookback, never ended.
        ev("O1", 800, *old, "seized"),
        # Zakat in a village with no seizure: taxation is not government.
        ev("Z1", 10, *village, "zakat"),
        ev("Z2", 12, *village, "hq"),
    ]
    # Fighting inside the capital on 4 days of the window, one just outside 12 km, one too old.
    rows += [ev(f"F{i}", d, *near(*BAMAKO, km_north=i), "drone") for i, d in enumerate((2, 9, 9))]
    rows += [ev("F3", 30, *BAMAKO, "post"), ev("F4", 59, *BAMAKO, "drone")]
    rows += [ev("F5", 20, *near(*BAMAKO, km_east=13), "drone"), ev("F6", 61, *BAMAKO, "drone")]
    # Ambushes rising on the eastern road: none in the baseline, 4 recent ("new").
    rows += [ev(f"A{i}", 5 + 20 * i, *near(*mid_road, km_north=2), "ambush", 2) for i in range(4)]
    # ... and a steady stream near Kati: 2 recent against 6 in the baseline year.
    rows += [ev(f"K{i}", 30 + 60 * i, *near(*kati, km_east=3), "ied", 1) for i in range(8)]
    # Region-centroid (precision 3) ambushes on the road: points see them, the road does not.
    rows += [ev(f"P{i}", 3 + i, *near(*road_end, km_north=1), "ambush", 3) for i in range(5)]
    # Kidnappings, blockades and tankers around the capital; events beyond the horizon.
    rows += [
        ev("K10", 12, *near(*BAMAKO, km_north=8), "kidnap_foreign"),
        ev("K11", 40, *near(*BAMAKO, km_east=-25), "kidnap_aid", 2),
        ev("K12", 70, *near(*kati, km_north=5), "kidnap_national"),
        ev("K13", 400, *BAMAKO, "kidnap_foreign"),
        ev("B1", 8, *near(*mid_road, km_east=15), "blockade", 2),
        ev("B2", 25, *near(*road_end, km_east=-10), "tankers", 1),
        ev("B3", 200, *mid_road, "blockade", 1),
        ev("U1", 4, *BAMAKO, "protest"),
        ev("X1", 15, *near(*kati, km_north=-4), "travellers"),
    ]
    guidance = """\
- {id: us-1, issuer: US, issued: 2025-10-30, level: 4, action: ordered_departure,
   scope: {country: ML}, reasons: [terrorism, kidnapping]}
- {id: us-0, issuer: US, issued: 2025-01-10, level: 3, action: none, scope: {country: ML}}
- {id: fr-1, issuer: FR, issued: 2025-11-07, level: 4, action: leave_now,
   scope: {country: ML, admin1: [Koulikoro, Mopti]}, reasons: [kidnapping]}
- {id: gb-1, issuer: GB, issued: 2025-06-01, expires: 2025-11-01, level: 4, action: leave_now,
   scope: {country: ML}, reasons: [kidnapping]}
- {id: gb-2, issuer: GB, issued: 2025-11-02, level: 4, action: none,
   scope: {country: ML, areas: [{lat: 15.2, lon: -4.0, radius_km: 50}]}, reasons: [terrorism]}
- {id: ca-1, issuer: CA, issued: 2025-11-01, level: 4, action: leave_now,
   scope: {country: SN}, reasons: [kidnapping]}
"""
    return rows, features, guidance


def test_control_world_identical(tmp_path: Path) -> None:
    rows, features, guidance = control_world()
    diffs, fast = check(tmp_path, rows, features, guidance)
    assert diffs == []
    # The data set exercises what it says it does (both sides agree on these).
    locs = by_id(fast)
    status = {k: v.regime_collapse.control_status for k, v in locs.items()}
    assert status["held"] == "held"
    assert status["governed"] == "held_governed"
    assert status["contested"] == "contested"
    assert status["sameday"] == "held_governed"
    assert (status["twin-a"], status["twin-b"]) == ("held", "government")
    assert status["raided"] == status["regained"] == status["oldtown"] == "government"
    assert status["roadvillage"] is None
    nat = fast.national.regime_collapse
    assert nat.raids == 2
    assert nat.capital_fighting_days == 4
    fired = {d.rule for loc in locs.values() for d in loc.drivers}
    assert {"ambush-rising", "ambush-raid-nearby", "ambush-contested", "place-held-nearby"} <= (
        fired
    )
    assert {"kidnapping-guidance-departure", "kidnapping-foreigners", "ambush-blockade"} <= fired


def test_capital_held_identical(tmp_path: Path) -> None:
    """With the capital held, the capital-held rules fire; every road here starts there."""
    town = near(*BAMAKO, km_north=80)
    features = [
        point("capital", "Capital", "capital", *BAMAKO, population=2800000),
        point("town", "Town", "town", *town, population=50000),
        line("road", "Road", [BAMAKO, near(*BAMAKO, km_east=90), near(*BAMAKO, km_east=200)]),
    ]
    rows = [
        ev("S1", 40, *near(*BAMAKO, km_east=3), "seized"),
        ev("S2", 30, *town, "seized"),
        ev("S3", 25, *town, "hq"),
        *[ev(f"F{i}", i * 5, *BAMAKO, "post") for i in range(6)],
    ]
    diffs, fast = check(tmp_path, rows, features)
    assert diffs == []
    assert by_id(fast)["capital"].regime_collapse.control_status == "held"
    assert fast.national.regime_collapse.level == 5


# --- seeded random data --------------------------------------------------------------------

KINDS = list(CODINGS)
QUIET_KINDS = [k for k in KINDS if not k.startswith("seized")]  # no seizures near the roads


def random_world(seed: int) -> tuple[list[dict], list[dict], str]:
    """Two regions: the capital with roads (never seized), and a north where towns change hands
    (more than 150 km from any road). Events cluster on places, more of them recently."""
    rng = random.Random(seed)
    features = [point("capital", "Capital", "capital", *BAMAKO, population=2000000)]
    south, north = [BAMAKO], []
    for i in range(12):
        at = (BAMAKO[0] + rng.uniform(-0.8, 0.8), BAMAKO[1] + rng.uniform(-1.2, 1.2))
        kind = rng.choice(["town", "village", "village", "city", "airport"])
        features.append(point(f"s{i}", f"South {i}", kind, *at, admin1="Koulikoro"))
        south.append(at)
    for i in range(6):
        stops = [rng.choice(south) for _ in range(rng.randint(2, 4))]
        if len(set(stops)) < 2:
            continue
        features.append(line(f"road{i}", f"Road {i}", stops, admin1="Koulikoro"))
    for i in range(15):
        at = (NORTH[0] + rng.uniform(-0.8, 0.8), NORTH[1] + rng.uniform(-1.0, 1.0))
        kind = rng.choice(["town", "town", "city", "village"])
        pop = rng.choice([None, 5000, 30000, 150000])
        extra = {} if pop is None else {"population": pop}
        features.append(point(f"n{i}", f"North {i}", kind, *at, admin1="Mopti", **extra))
        north.append(at)
    rows = []
    for i in range(2500):
        in_north = rng.random() < 0.5
        lat, lon = rng.choice(north if in_north else south)
        lat, lon = lat + rng.gauss(0, 0.12), lon + rng.gauss(0, 0.12)
        days = int(min(rng.expovariate(1 / 250), 1100))
        kind = rng.choice(KINDS if in_north else QUIET_KINDS)
        if in_north and rng.random() < 0.3:  # control events land close to the towns
            lat, lon = rng.choice(north)
            lat, lon = lat + rng.gauss(0, 0.03), lon + rng.gauss(0, 0.03)
            kind = rng.choice(["seized", "seized", "regained", "withdrew", "hq", "seized_court"])
            days = rng.randint(0, 800)
        rows.append(ev(f"E{i}", days, lat, lon, kind, rng.choice([1, 1, 2, 2, 3])))
    guidance = """\
- {id: us-1, issuer: US, issued: 2025-09-01, level: 4, action: leave_now,
   scope: {country: ML, admin1: [Mopti]}, reasons: [kidnapping]}
- {id: fr-1, issuer: FR, issued: 2025-10-01, level: 4, action: ordered_departure,
   scope: {country: ML, areas: [{lat: 15.2, lon: -4.0, radius_km: 60}]}, reasons: [kidnapping]}
- {id: gb-1, issuer: GB, issued: 2025-08-01, level: 3, action: none,
   scope: {country: ML}, reasons: [terrorism, kidnapping]}
"""
    return rows, features, guidance


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_world_identical(tmp_path: Path, seed: int) -> None:
    rows, features, guidance = random_world(seed)
    diffs, fast = check(tmp_path, rows, features, guidance)
    assert diffs == []
    statuses = {loc.regime_collapse.control_status for loc in fast.locations}
    assert statuses & {"held", "held_governed", "contested"}, "no control status exercised"


# --- the comparison has teeth --------------------------------------------------------------


def _demo_inputs():
    return ref.read_inputs([DATA_DIR / "incidents"], None, [DATA_DIR / "guidance"], None, AS_OF)


def _engine(pack: RulePack, incidents: list[Path], guidance: list[Path], places=None):
    return assess(incidents, guidance, places, None, AS_OF, pack=pack).assessment


def test_a_changed_threshold_is_caught() -> None:
    pack = load_pack()
    ps = pack.personal_security
    ambush = ps.hazards["ambush"].model_copy(update={"thresholds": [4, 12, 25, 30]})
    changed = ps.model_copy(update={"hazards": {**ps.hazards, "ambush": ambush}})
    fast = _engine(
        dataclasses.replace(pack, personal_security=changed),
        [DATA_DIR / "incidents"],
        [DATA_DIR / "guidance"],
    )
    diffs = ref.differences(ref.reference_assessment(_demo_inputs()), fast)
    assert any(": ambush level: reference 4, engine 5" in d for d in diffs), diffs


def test_a_changed_signal_weight_is_caught() -> None:
    pack = load_pack()
    exp = pack.exposures["ambush"]
    lighter = exp.model_copy(update={"signals": {**exp.signals, "blockade": 0.4}})
    fast = _engine(
        dataclasses.replace(pack, exposures={**pack.exposures, "ambush": lighter}),
        [DATA_DIR / "incidents"],
        [DATA_DIR / "guidance"],
    )
    diffs = ref.differences(ref.reference_assessment(_demo_inputs()), fast)
    assert any(": ambush score: reference" in d for d in diffs), diffs


def test_a_changed_raid_window_is_caught(tmp_path: Path) -> None:
    rows, features, _ = control_world()
    csv = write_csv(tmp_path / "events.csv", rows)
    places = write_places(tmp_path / "places.geojson", features)
    pack = load_pack()
    control = pack.control.model_copy(update={"raid_window_days": 2})
    fast = _engine(dataclasses.replace(pack, control=control), [csv], [], places)
    reference = ref.reference_assessment(ref.read_inputs([csv], places, [], None, AS_OF))
    diffs = ref.differences(reference, fast)
    assert "contested: control_status: reference contested, engine held" in diffs
    assert any(d.startswith("national: raids: reference 2, engine") for d in diffs), diffs


def test_cli_exits_1_on_a_difference(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = load_pack()
    rc = pack.regime_collapse
    national = rc.national.model_copy(update={"thresholds": [1, 25, 45, 70]})
    changed = dataclasses.replace(
        pack, regime_collapse=rc.model_copy(update={"national": national})
    )

    def engine_with_another_pack(incidents, guidance, places, rules, as_of):
        return assess(incidents, guidance, places, rules, as_of, pack=changed)

    monkeypatch.setattr(ref, "assess", engine_with_another_pack)
    args = ["-i", str(DATA_DIR / "incidents"), "-g", str(DATA_DIR / "guidance")]
    assert ref.main([*args, "--as-of", "2025-11-20", "--sample", "5"]) == 1
    out = capsys.readouterr().out
    assert "national: regime_collapse level: reference 1, engine 2" in out
    assert "1 difference(s)" in out


def test_sample_holds_the_capital_changed_centres_points_and_roads(tmp_path: Path) -> None:
    rows, features, _ = control_world()
    csv = write_csv(tmp_path / "events.csv", rows)
    places = write_places(tmp_path / "places.geojson", features)
    inputs = ref.read_inputs([csv], places, [], None, AS_OF)
    centres = ref.control_of_centres(inputs.pack, inputs.gazetteer, inputs.events, AS_OF)
    ids = ref.choose_sample(inputs.gazetteer, centres, 3, seed=4)
    assert {"capital", "held", "governed", "contested", "sameday", "twin-a"} <= set(ids)
    assert {"rn-east", "rn-kati"} <= set(ids)  # 3 drawn: 2 roads, 1 point
    assert len(ids) == 6 + 3


# --- engine bugs the reference found (fixed; each test pins the fix) ------------------------


def test_held_centre_beside_the_middle_of_a_road(tmp_path: Path) -> None:
    a = (13.0, -7.0)
    b = near(*a, km_east=320)  # one straight piece, 320 km long
    town = near(*a, km_north=5, km_east=160)  # 5 km from the road, 160 km from both ends
    features = [
        point("capital", "Capital", "capital", *BAMAKO, population=2800000),
        point("town", "Town", "town", *town, population=100000),
        line("road", "Road", [a, b]),
    ]
    rows = [ev("S1", 60, *town, "seized")]
    diffs, _ = check(tmp_path, rows, features)
    assert diffs == []


def test_guidance_area_across_the_middle_of_a_road(tmp_path: Path) -> None:
    a = (13.0, -7.0)
    b = near(*a, km_east=200)
    centre = near(*a, km_east=100)  # on the road, 100 km from both ends
    features = [
        point("capital", "Capital", "capital", *BAMAKO, population=2800000),
        line("road", "Road", [a, b]),
    ]
    area = f"areas: [{{lat: {centre[0]:.4f}, lon: {centre[1]:.4f}, radius_km: 30}}]"
    guidance = "\n".join(
        f"- {{id: {c.lower()}-1, issuer: {c}, issued: 2025-11-01, level: 4, action: leave_now,"
        f" scope: {{country: ML, {area}}}, reasons: [kidnapping]}}"
        for c in ("US", "GB", "FR")
    )
    diffs, _ = check(tmp_path, [ev("X1", 5, *BAMAKO, "protest")], features, guidance)
    assert diffs == []


def test_personal_security_rule_on_a_national_feature(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    with (rules / "personal_security.yaml").open("a", encoding="utf-8") as fh:
        fh.write(
            "  - id: ambush-capital-fighting\n"
            "    hazard: ambush\n"
            "    when: [{feature: national.capital_fighting_days, gte: 3}]\n"
            "    points: 10\n"
            '    because: "fighting in the capital on {national.capital_fighting_days} days"\n'
        )
    features = [point("capital", "Capital", "capital", *BAMAKO, population=2800000)]
    rows = [ev(f"F{i}", i * 3, *BAMAKO, "post") for i in range(5)]
    diffs, _ = check(tmp_path, rows, features, rules=rules)
    assert diffs == []


def test_no_capital_national_rule_on_days_since(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    with (rules / "regime_collapse.yaml").open("a", encoding="utf-8") as fh:
        fh.write(
            "    - id: national-recent-attacks-at-capital\n"
            "      when: [{feature: latest_days.attacks, lte: 30}]\n"
            "      points: 12\n"
            '      because: "attacks near the capital in the last 30 days"\n'
        )
    features = [point("town", "Town", "town", *NORTH, population=1000)]
    diffs, _ = check(tmp_path, [ev("P1", 100, *NORTH, "protest")], features, rules=rules)
    assert diffs == []
