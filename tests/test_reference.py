"""The engine agrees with the slow, plain-Python reference of docs/method.md (bench/reference.py).

On the shipped demo data (every location), on generated exports (bench/generate.py: thousands
of events over ten years, hundreds of places, roads, guidance), on a control-heavy hand-written
world (every control status, reopening, lapses, same-day events), on every window at its edge,
on seeded random worlds where towns change hands and on small worlds drawn by hypothesis.
Levels, statuses, episodes, counts and ids must agree exactly; likelihoods and log-odds to the
contract's 3 decimals (bench/reference.py says why that is the finest check possible).

Some tests prove that the comparison has teeth: the engine given a different pack than the
reference must differ. The one engine bug the reference found (an ended episode's last sign of
the group) is fixed and pinned by `test_ended_episode_last_presence_is_the_last_sign_of_the_group`.
"""

from __future__ import annotations

import dataclasses
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from acled_factory import BAMAKO, line, point, write_csv, write_places
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference_worlds import (
    AS_OF,
    CODINGS,
    CONTROL_GUIDANCE,
    NORTH,
    control_places,
    control_rows,
    edges_world,
    ev,
    near,
    random_world,
)
from scripts import load_script

from advisory.assessment import Assessment
from advisory.engine import DATA_DIR, assess
from advisory.rulepack import RulePack, load_pack

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"


def _load(name: str) -> ModuleType:
    return load_script(BENCH / f"{name}.py", name)


ref = _load("reference")  # puts bench/ on sys.path for its sibling modules
compare_mod = sys.modules["reference_compare"]
DEMO = ([DATA_DIR / "incidents"], None, [DATA_DIR / "guidance"])


@dataclasses.dataclass
class World:
    incidents: Path
    places: Path
    guidance: list[Path]

    def compare(self, as_of: date = AS_OF, pack: RulePack | None = None) -> tuple[list[str], Any]:
        """Differences on every location, the reference's result and the engine's."""
        inputs = ref.read_inputs([self.incidents], self.places, self.guidance, None, as_of)
        mine = ref.reference_assessment(inputs)
        fast = assess([self.incidents], self.guidance, self.places, None, as_of, pack=pack)
        return compare_mod.differences(mine, fast.assessment, inputs), (mine, fast.assessment)


def world(tmp: Path, rows: list[dict], features: list[dict], guidance: str | None) -> World:
    g = []
    if guidance is not None:
        (tmp / "guidance.yaml").write_text(guidance, "utf-8")
        g = [tmp / "guidance.yaml"]
    return World(write_csv(tmp / "events.csv", rows), write_places(tmp / "p.geojson", features), g)


def statuses(doc: Assessment) -> dict[str, str | None]:
    return {loc.id: loc.regime_collapse.control_status for loc in doc.locations}


# --- the shipped demo data ---------------------------------------------------------------------


def test_demo_data_every_location_identical() -> None:
    diffs = ref.compare(*DEMO, None, AS_OF, None, 1)
    assert diffs == []


def test_cli_says_identical_on_a_demo_sample(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["-i", str(DATA_DIR / "incidents"), "-g", str(DATA_DIR / "guidance")]
    code = ref.main([*args, "--as-of", "2025-11-20", "--sample", "10", "--seed", "3"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.strip().endswith("locations + national: identical")


# --- generated exports (bench/generate.py) -----------------------------------------------------

GENERATED_GUIDANCE = """\
- {id: us-0, issuer: US, issued: 2025-03-01, level: 4, action: ordered_departure,
   scope: {country: ML}, reasons: [terrorism, kidnapping]}
- {id: gb-0, issuer: GB, issued: 2025-04-01, level: 4, action: leave_now,
   scope: {country: ML, admin1: [Mopti, Ségou, Tombouctou]}, reasons: [armed_conflict]}
- {id: fr-0, issuer: FR, issued: 2025-01-01, level: 4, action: leave_now,
   scope: {country: BF}, reasons: [terrorism, kidnapping]}
- {id: ca-0, issuer: CA, issued: 2025-02-01, expires: 2025-12-01, level: 4,
   action: embassy_closed, scope: {country: BF, areas: [{lat: 12.37, lon: -1.52,
   radius_km: 200}]}, reasons: [kidnapping]}
- {id: us-1, issuer: US, issued: 2025-10-30, level: 4, action: ordered_departure,
   scope: {country: ML}, reasons: [terrorism, kidnapping]}
- {id: gb-1, issuer: GB, issued: 2025-10-31, level: 4, action: leave_now,
   scope: {country: ML}, reasons: [armed_conflict, kidnapping]}
- {id: us-2, issuer: US, issued: 2025-06-01, level: 4, action: leave_now,
   scope: {country: BF}, reasons: [kidnapping]}
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> World:
    gen = _load("generate")
    out = tmp_path_factory.mktemp("generated")
    csv, places = gen.generate(out, n_events=5000, n_places=300, n_roads=25, seed=3, as_of=AS_OF)
    (out / "guidance.yaml").write_text(GENERATED_GUIDANCE, "utf-8")
    return World(csv, places, [out / "guidance.yaml"])


@pytest.mark.parametrize("as_of", [AS_OF, date(2025, 6, 30)])
def test_generated_export_identical(generated: World, as_of: date) -> None:
    diffs, (mine, fast) = generated.compare(as_of)
    assert diffs == []
    # what the data exercise (both sides agree on these)
    assert len(mine.locations) == len(fast.locations) == 325
    assert sum(loc.place.is_route for loc in mine.locations.values()) == 25
    assert len({loc.ps_level for loc in mine.locations.values()}) >= 4
    steps = [h for loc in mine.locations.values() for h in loc.hazards.values()]
    assert any(h.level > h.evidence_level for h in steps), "no guidance step exercised"
    assert any(loc.severity for loc in mine.locations.values()), "no severity escalation"
    assert {loc.confidence for loc in mine.locations.values()} == {"low", "moderate", "high"}


# --- hand-written worlds -----------------------------------------------------------------------


def test_control_world_identical(tmp_path: Path) -> None:
    w = world(tmp_path, control_rows(), control_places(), CONTROL_GUIDANCE)
    diffs, (mine, fast) = w.compare()
    assert diffs == []
    status = statuses(fast)
    assert {k: status[k] for k in ("held", "kept", "revived", "resized", "roadtown", "twin-a")} == {
        k: "held" for k in ("held", "kept", "revived", "resized", "roadtown", "twin-a")
    }
    assert status["governed"] == status["sameday"] == status["reopened"] == "held_governed"
    assert status["contested"] == "contested"
    for town in ("raided", "regained", "oldtown", "lapsed", "quick", "endonly", "govday",
                 "zakattown", "twin-b"):  # fmt: skip
        assert status[town] == "government", town
    episodes = {loc.id: [e.status for e in loc.regime_collapse.episodes] for loc in fast.locations}
    assert sorted(episodes["raided"]) == ["raid", "regained"]  # zakat reopened it for 32 days
    assert episodes["reopened"] == ["held_governed", "regained"] or sorted(
        episodes["reopened"]
    ) == ["held_governed", "regained"]
    assert episodes["lapsed"] == ["lapsed"] and episodes["quick"] == ["raid"]
    assert episodes["endonly"] == episodes["zakattown"] == episodes["oldtown"] == []
    nat = fast.national.regime_collapse
    assert (nat.raids, nat.capital_fighting_days) == (2, 4)
    assert mine.locations["rn-south"].features["control.held_nearby"] > 0  # Roadtown, by its line
    assert fast.location("rn-east").personal_security.level == 5  # a massacre beside it


def test_every_window_at_its_edge_identical(tmp_path: Path) -> None:
    w = world(tmp_path, *edges_world())
    diffs, (mine, fast) = w.compare()
    assert diffs == []
    status = statuses(fast)
    assert (status["cont14"], status["cont15"]) == ("contested", "held")
    assert (status["lapse90"], status["lapse91"]) == ("held", "government")
    raids = {loc.id: [e.status for e in loc.regime_collapse.episodes] for loc in fast.locations}
    assert (raids["raid14"], raids["raid15"]) == (["raid"], ["regained"])
    assert (raids["look729"], raids["look730"]) == (["raid"], [])
    assert fast.national.regime_collapse.capital_fighting_days == 2  # 0 and 59 days, < 12 km
    assert [d.rule for d in fast.location("spot").drivers if d.kind == "severity"] == [
        "foreigners-taken"
    ]  # 180 days ago: still severe; 181 (spot2): no longer
    assert fast.location("spot2").personal_security.hazards["ambush"].evidence_level == 4
    assert fast.location("spot2").personal_security.level == 4
    assert sorted(fast.location("spot").guidance_in_force) == ["fr-1", "us-1"]
    assert mine.locations["spot"].features["count.violence"] == 7 + 30  # not the 730-day one


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_world_identical(tmp_path: Path, seed: int) -> None:
    w = world(tmp_path, *random_world(seed))
    diffs, (_, fast) = w.compare()
    assert diffs == []
    found = {e.status for loc in fast.locations for e in loc.regime_collapse.episodes}
    assert {"raid", "regained", "held"} <= found | {"held_governed"}, found


def test_capital_held_identical(tmp_path: Path) -> None:
    """With the capital held, the capital-held rules fire on both tracks."""
    town = near(*BAMAKO, km_north=80)
    features = [
        point("capital", "Capital", "capital", *BAMAKO, population=2800000),
        point("town", "Town", "town", *town, population=50000),
    ]
    rows = [
        ev("S1", 40, *near(*BAMAKO, km_east=3), "seized"),
        ev("S2", 30, *town, "seized"),
        ev("S3", 25, *town, "hq"),
        *[ev(f"F{i}", i * 5, *BAMAKO, "post") for i in range(6)],
    ]
    diffs, (_, fast) = world(tmp_path, rows, features, None).compare()
    assert diffs == []
    assert fast.location("capital").regime_collapse.control_status == "held"
    assert any(
        d.rule == "place-capital-held" for d in fast.location("capital").regime_collapse.drivers
    )
    assert fast.national.regime_collapse.level == 5


def test_no_capital_identical(tmp_path: Path) -> None:
    """No capital in the gazetteer: the national track reads no place's features."""
    features = [point("town", "Town", "town", *NORTH, population=1000)]
    rows = [ev("S1", 60, *NORTH, "seized"), ev("P1", 3, *NORTH, "post")]
    diffs, (mine, fast) = world(tmp_path, rows, features, None).compare()
    assert diffs == []
    assert fast.national.capital is None and mine.national.features["national.held_centres"] == 1


# --- small worlds drawn by hypothesis ---------------------------------------------------------

TOWN_SPOTS = [NORTH, near(*NORTH, km_east=15), near(*NORTH, km_north=40)]
SPOTS = [*TOWN_SPOTS, near(*NORTH, km_north=20, km_east=-25), BAMAKO]  # a village, the capital
drawn_event = st.tuples(
    st.sampled_from(sorted(CODINGS)),
    st.integers(0, len(SPOTS) - 1),
    st.floats(-15, 15),
    st.floats(-15, 15),
    st.integers(0, 800),
    st.integers(1, 3),
)


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(st.lists(drawn_event, min_size=1, max_size=25))
def test_any_small_world_identical(drawn: list[tuple]) -> None:
    features = [point("capital", "Capital", "capital", *BAMAKO, population=2800000)]
    features += [
        point(f"t{i}", f"Town {i}", "town", *at, population=20000 * i)
        for i, at in enumerate(TOWN_SPOTS)
    ]
    features.append(point("village", "Village", "village", *SPOTS[3], admin1="Mopti"))
    road = [near(*NORTH, -20, -40), near(*NORTH, 5, 5), near(*NORTH, 60, 30)]
    features.append(line("road", "Road", road, admin1="Mopti"))
    rows = [ev("NOW", 0, *TOWN_SPOTS[0], "protest")]  # the data are never stale
    for i, (kind, spot, dn, de, age, precision) in enumerate(drawn):
        rows.append(ev(f"D{i}", age, *near(*SPOTS[spot], dn, de), kind, precision))
    with tempfile.TemporaryDirectory() as tmp:
        diffs, _ = world(Path(tmp), rows, features, CONTROL_GUIDANCE).compare()
    assert diffs == []


GUIDANCE_DAYS = [date(2025, 1, 1), date(2025, 10, 30), date(2025, 11, 20), date(2025, 11, 21)]
SCOPES = [
    "{country: ML}",
    "{country: BF}",
    "{country: ML, admin1: [Mopti]}",
    "{country: ML, admin1: [mopti, Koulikoro]}",
    f"{{country: ML, areas: [{{lat: {NORTH[0]}, lon: {NORTH[1] + 0.3}, radius_km: 25}}]}}",
]
drawn_entry = st.tuples(
    st.sampled_from(["US", "GB", "FR", "DE"]),
    st.sampled_from(GUIDANCE_DAYS),
    st.sampled_from([None, 1, 20, 400]),  # expires so many days after issued
    st.integers(1, 4),
    st.sampled_from(
        ["none", "authorized_departure", "ordered_departure", "leave_now", "embassy_closed"]
    ),
    st.sets(st.sampled_from(["terrorism", "kidnapping", "armed_conflict", "crime"])),
    st.one_of(st.none(), st.sampled_from(SCOPES)),
)


def guidance_yaml(entries: list[tuple]) -> str:
    lines = []
    for i, (issuer, issued, expires, level, action, reasons, scope) in enumerate(entries):
        until = "" if expires is None else f", expires: {issued + timedelta(days=expires)}"
        where = "" if scope is None else f", scope: {scope}"
        lines.append(
            f"- {{id: {issuer.lower()}-{i % 3}{'abc'[i % 3]}{i}, issuer: {issuer}, "
            f"issued: {issued}{until}, level: {level}, action: {action}{where}, "
            f"reasons: [{', '.join(sorted(reasons))}]}}"
        )
    return "\n".join(lines) + "\n"


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(st.lists(drawn_entry, min_size=1, max_size=8))
def test_any_guidance_identical(entries: list[tuple]) -> None:
    """Guidance drawn at random (issuers, dates, expiry, actions, reasons, scopes) over the
    control world: what is in force, per issuer, and the step it gives, agree."""
    with tempfile.TemporaryDirectory() as tmp:
        w = world(Path(tmp), control_rows(), control_places(), guidance_yaml(entries))
        diffs, _ = w.compare()
    assert diffs == []


# --- the comparison has teeth ------------------------------------------------------------------


def _demo_diffs(pack: RulePack) -> list[str]:
    inputs = ref.read_inputs(*DEMO, None, AS_OF)
    fast = assess(DEMO[0], DEMO[2], None, None, AS_OF, pack=pack).assessment
    return compare_mod.differences(ref.reference_assessment(inputs), fast, inputs)


def _with_hazard(pack: RulePack, name: str, **update: object) -> RulePack:
    fitted = pack.model.hazards[name].model_copy(update=update)
    model = pack.model.model_copy(update={"hazards": {**pack.model.hazards, name: fitted}})
    return dataclasses.replace(pack, model=model)


def test_changed_bands_are_caught() -> None:
    pack = load_pack()
    diffs = _demo_diffs(_with_hazard(pack, "ambush", bands=[0.05, 0.2, 0.3, 0.8]))
    assert any(": ambush evidence_level: reference 3, engine 4" in d for d in diffs), diffs


def test_a_changed_calibration_map_is_caught() -> None:
    pack = load_pack()
    cmap = pack.model.hazards["kidnapping"].calibration
    lower = cmap.model_copy(update={"y": [y * 0.99 for y in cmap.y]})
    diffs = _demo_diffs(_with_hazard(pack, "kidnapping", calibration=lower))
    assert any(": kidnapping likelihood_30d: reference" in d for d in diffs), diffs


def test_a_changed_half_life_is_caught() -> None:
    pack = load_pack()
    exp = pack.exposures["violence"].model_copy(update={"half_life_days": 230.0})
    diffs = _demo_diffs(dataclasses.replace(pack, exposures={**pack.exposures, "violence": exp}))
    assert any(": ambush score (log-odds): reference" in d for d in diffs), diffs
    assert any("ambush-violence points" in d for d in diffs), diffs


def test_a_changed_guidance_step_is_caught() -> None:
    pack = load_pack()
    ps = pack.personal_security
    guidance = ps.guidance.model_copy(update={"min_issuers": 4})
    changed = dataclasses.replace(
        pack, personal_security=ps.model_copy(update={"guidance": guidance})
    )
    diffs = _demo_diffs(changed)
    assert any("guidance_step (from, to, issuers)" in d for d in diffs), diffs
    assert any(": kidnapping level: reference 4, engine 3" in d for d in diffs), diffs


def test_a_changed_classify_rule_is_caught() -> None:
    pack = load_pack()
    rules = [
        r.model_copy(update={"signal": "presence"}) if r.id == "abductions" else r
        for r in pack.classify.rules
    ]
    changed = dataclasses.replace(pack, classify=pack.classify.model_copy(update={"rules": rules}))
    diffs = _demo_diffs(changed)
    assert any(d.startswith("incident: ") and " signals: reference ['abduction'" in d
               for d in diffs), diffs  # fmt: skip


def test_a_changed_raid_window_is_caught(tmp_path: Path) -> None:
    w = world(tmp_path, control_rows(), control_places(), None)
    pack = load_pack()
    control = pack.control.model_copy(update={"raid_window_days": 2})
    diffs, _ = w.compare(pack=dataclasses.replace(pack, control=control))
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

    def engine_with_another_pack(incidents, guidance, places, rules, as_of):  # type: ignore[no-untyped-def]
        return assess(incidents, guidance, places, rules, as_of, pack=changed)

    monkeypatch.setattr(ref, "assess", engine_with_another_pack)
    args = ["-i", str(DATA_DIR / "incidents"), "-g", str(DATA_DIR / "guidance")]
    assert ref.main([*args, "--as-of", "2025-11-20", "--sample", "5"]) == 1
    out = capsys.readouterr().out
    assert "national: regime_collapse level: reference 1, engine 2" in out
    assert "national: national-raids decisive: reference False, engine True" in out
    assert out.strip().endswith("8 locations + national: 2 difference(s)")


def test_sample_holds_the_capital_every_centre_with_an_episode_points_and_roads(
    tmp_path: Path,
) -> None:
    w = world(tmp_path, control_rows(), control_places(), None)
    inputs = ref.read_inputs([w.incidents], w.places, [], None, AS_OF)
    centres = ref.control_of_centres(inputs.pack, inputs.places, inputs.events, AS_OF)
    ids = ref.choose_sample(inputs.places, centres, 3, seed=4)
    with_episodes = {pid for pid, c in centres.items() if c.episodes}
    assert {"held", "raided", "lapsed", "quick"} <= with_episodes
    assert {"capital"} | with_episodes <= set(ids)
    assert len([i for i in ids if i.startswith("rn-")]) == 2  # 3 drawn: 2 roads, 1 point
    assert len(ids) == len({"capital"} | with_episodes) + 3


# --- what the reference found in the engine ----------------------------------------------------


def test_ended_episode_last_presence_is_the_last_sign_of_the_group(tmp_path: Path) -> None:
    town = near(*NORTH, km_east=1)
    features = [point("capital", "Capital", "capital", *BAMAKO, population=2800000),
                point("town", "Town", "town", *NORTH, population=20000)]  # fmt: skip
    rows = [
        ev("S1", 50, *town, "seized"),  # 2025-10-01: battle, fighting, territory_seized
        ev("W1", 46, *town, "withdrew"),  # 2025-10-05: withdrawal only
        ev("NOW", 0, *BAMAKO, "protest"),
    ]
    w = world(tmp_path, rows, features, None)
    _, (mine, fast) = w.compare()
    episode = fast.location("town").regime_collapse.episodes[0]
    assert (episode.start, episode.end) == (date(2025, 10, 1), date(2025, 10, 5))
    assert mine.locations["town"].episodes[0][0].last_presence == date(2025, 10, 1)
    assert episode.last_presence == date(2025, 10, 1)  # not the withdrawal's 2025-10-05
