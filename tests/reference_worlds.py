"""Hand-written and seeded data sets on which tests/test_reference.py compares the engine with
the slow reference (bench/reference.py): ACLED codings for the signals wanted, a control-heavy
world with every control status, and a seeded random world where towns change hands."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

from acled_factory import BAMAKO, FAMA, JNIM, event, line, point

AS_OF = date(2025, 11, 20)

# (event_type, sub_event_type, actor1, actor2, notes, fatalities): ACLED codings by signal wanted
CODINGS: dict[str, tuple[str, str, str, str, str, int]] = {
    "ambush": ("Battles", "Armed clash", JNIM, FAMA, "JNIM ambushed a convoy of fuel tankers.", 3),
    "ied": ("Explosions/Remote violence", "Remote explosive/landmine/IED", JNIM,
            "Civilians (Mali)", "An IED struck a bus on the road.", 2),
    "travellers": ("Violence against civilians", "Attack", JNIM, "Civilians (Mali)",
                   "Gunmen attacked bus passengers on the RN6.", 1),
    "kidnap_foreign": ("Violence against civilians", "Abduction/forced disappearance", JNIM,
                       "Civilians (China)", "Gunmen abducted three Chinese workers.", 0),
    "kidnap_aid": ("Violence against civilians", "Abduction/forced disappearance", JNIM,
                   "Civilians (Mali)", "Gunmen abducted two NGO aid workers.", 0),
    "kidnap_national": ("Violence against civilians", "Abduction/forced disappearance", JNIM,
                        "Civilians (Mali)", "Gunmen abducted a village chief.", 0),
    "massacre": ("Violence against civilians", "Attack", JNIM, "Civilians (Mali)",
                 "Militants killed villagers at the market.", 14),
    "post": ("Battles", "Armed clash", JNIM, FAMA,
             "JNIM attacked an army post; the assailants withdrew after clashes.", 4),
    "seized": ("Battles", "Non-state actor overtakes territory", JNIM, FAMA,
               "JNIM took control of the town.", 2),
    "seized_court": ("Battles", "Non-state actor overtakes territory", JNIM, FAMA,
                     "JNIM took control of the town and set up an Islamic court.", 1),
    "regained": ("Battles", "Government regains territory", FAMA, JNIM,
                 "FAMa retook the town.", 3),
    "withdrew": ("Strategic developments", "Non-violent transfer of territory", JNIM, "",
                 "JNIM fighters withdrew from the town.", 0),
    "army_left": ("Battles", "Armed clash", JNIM, FAMA,
                  "FAMa soldiers withdrew from the camp after clashes.", 2),
    "hq": ("Strategic developments", "Headquarters or base established", JNIM, "",
           "JNIM set up a base in the town.", 0),
    "zakat": ("Strategic developments", "Other", JNIM, "", "JNIM collected zakat from herders.", 0),
    "checkpoints": ("Strategic developments", "Other", JNIM, "",
                    "JNIM militants manned checkpoints at the entrances of the town.", 0),
    "blockade": ("Strategic developments", "Other", JNIM, "", "JNIM declared a blockade.", 0),
    "tankers": ("Violence against civilians", "Looting/property destruction", JNIM,
                "Civilians (Mali)", "JNIM burnt fuel tankers.", 0),
    "protest": ("Protests", "Peaceful protest", "Protesters (Mali)", "", "Residents protested.", 0),
    "drone": ("Explosions/Remote violence", "Air/drone strike", FAMA, JNIM, "Drones struck.", 5),
}  # fmt: skip


def ev(eid: str, days_ago: int, lat: float, lon: float, kind: str, precision: int = 1,
       source: str = "AFP; Studio Tamani") -> dict[str, object]:  # fmt: skip
    etype, sub, a1, a2, notes, deaths = CODINGS[kind]
    return event(
        eid,
        AS_OF - timedelta(days=days_ago),
        lat,
        lon,
        precision=precision,
        event_type=etype,
        sub_event_type=sub,
        actor1=a1,
        actor2=a2,
        notes=notes,
        fatalities=deaths,
        source=source,
    )


def near(
    lat: float, lon: float, km_north: float = 0.0, km_east: float = 0.0
) -> tuple[float, float]:
    """A point so many km north and east of another (flat offsets, fine at these sizes)."""
    return lat + km_north / 111.2, lon + km_east / (111.2 * math.cos(math.radians(lat)))


NORTH = (15.2, -4.0)  # where towns change hands, ~450 km from the capital and its roads

# --- the control-heavy world -------------------------------------------------------------------

TOWNS = {  # id -> (km north, km east of NORTH, population or None)
    "held": (0, 0, 40000),  # seized 60 days ago; the army leaving does not end it
    "governed": (35, 0, 90000),  # seized, a base set up 10 days later: held_governed
    "contested": (0, 60, 20000),  # seized 5 days ago: inside the raid window
    "raided": (0, -70, 15000),  # raided, then zakat reopens it, then retaken after 32 days
    "regained": (-60, 0, None),  # held 50 days, retaken: regained
    "sameday": (80, 40, 8000),  # seizure and a court in one event, 3 days ago
    "twin-a": (-40, 90, 12000),  # a seizure 4 km from A and 6 km from B counts for A only
    "twin-b": (-40, 100, 12000),
    "oldtown": (100, -60, 30000),  # seized before the 730-day look-back
    "lapsed": (-100, -60, 25000),  # seized 120 days ago, no sign of the group since
    "revived": (-100, 60, 25000),  # seized 200 days ago, silence, checkpoints 50 days ago
    "kept": (140, 0, 60000),  # seized 150 days ago, checkpoints 60 days ago: still held
    "reopened": (-150, 0, 50000),  # seized, retaken, a court 30 days later: held_governed
    "quick": (-150, 100, 10000),  # seizure and withdrawal on one day: a raid of 0 days
    "resized": (150, 90, 20000),  # seized twice while held: the second is presence
    "endonly": (60, -120, 20000),  # a regain with no seizure before it: nothing
    "govday": (-200, -40, 20000),  # retaken the day a court was set up: governance first
    "zakattown": (200, -100, 20000),  # zakat with no seizure on record: taxation only
}


def control_places() -> list[dict[str, object]]:
    kati = near(*BAMAKO, km_north=12, km_east=-12)
    mid_road = near(*BAMAKO, km_north=20, km_east=60)
    road_end = near(*BAMAKO, km_north=40, km_east=120)
    held_by_road = near(*BAMAKO, km_north=-90, km_east=60)  # 5 km from the middle of rn-south
    features = [
        point("capital", "Capital", "capital", *BAMAKO, population=2800000, admin1="Bamako"),
        point("kati", "Kati", "city", *kati, population=100000, admin1="Koulikoro"),
        point("roadvillage", "Road Village", "village", *mid_road, admin1="Koulikoro"),
        point("roadend", "Road End", "village", *road_end, admin1="Koulikoro"),
        point("roadtown", "Roadtown", "town", *held_by_road, population=60000, admin1="Sikasso"),
        point("village", "Zakatville", "village", *near(*NORTH, 15, -20), admin1="Mopti"),
        line("rn-east", "RN East", [BAMAKO, mid_road, road_end], admin1="Koulikoro"),
        line("rn-kati", "RN Kati", [BAMAKO, kati], admin1="Koulikoro"),
        line(
            "rn-south",
            "RN South",
            [near(*BAMAKO, km_north=-95), near(*BAMAKO, -95, 200)],
            admin1="Sikasso",
        ),
    ]
    for tid, (dn, de, pop) in TOWNS.items():
        extra = {} if pop is None else {"population": pop}
        name = tid.replace("-", " ").title()
        features.append(point(tid, name, "town", *near(*NORTH, dn, de), admin1="Mopti", **extra))
    return features


def control_rows() -> list[dict[str, object]]:
    def at(tid: str, km_north: float = 0.0, km_east: float = 0.0) -> tuple[float, float]:
        dn, de, _ = TOWNS[tid]
        return near(*near(*NORTH, dn, de), km_north, km_east)

    rows = [
        ev("H1", 60, *at("held", km_east=2), "seized"),
        ev("H2", 58, *at("held", km_east=1), "army_left"),
        ev("G1", 40, *at("governed"), "seized"),
        ev("G2", 30, *at("governed"), "hq"),
        ev("C1", 5, *at("contested"), "seized"),
        ev("R1", 100, *at("raided"), "seized"),
        ev("R2", 95, *at("raided"), "regained"),
        ev("R3", 50, *at("raided"), "zakat"),
        ev("R4", 20, *at("raided"), "seized"),
        ev("R5", 18, *at("raided", km_north=3), "withdrew"),
        ev("E1", 200, *at("regained"), "seized"),
        ev("E2", 150, *at("regained"), "regained"),
        ev("S1", 3, *at("sameday"), "seized_court"),
        ev("T1", 45, *at("twin-a", km_east=4), "seized"),
        ev("O1", 800, *at("oldtown"), "seized"),
        ev("L1", 120, *at("lapsed"), "seized"),
        ev("V1", 200, *at("revived"), "seized"),
        ev("V2", 50, *at("revived"), "checkpoints"),
        ev("K1", 150, *at("kept"), "seized"),
        ev("K2", 60, *at("kept", km_north=2), "checkpoints"),
        ev("P1", 120, *at("reopened"), "seized"),
        ev("P2", 90, *at("reopened"), "regained"),
        ev("P3", 60, *at("reopened"), "hq"),
        ev("Q1", 40, *at("quick"), "seized"),
        ev("Q2", 40, *at("quick"), "withdrew"),
        ev("Z1", 100, *at("resized"), "seized"),
        ev("Z2", 70, *at("resized"), "seized"),
        ev("N1", 30, *at("endonly"), "regained"),
        ev("D1", 80, *at("govday"), "seized"),
        ev("D2", 25, *at("govday"), "regained"),
        ev("D3", 25, *at("govday"), "hq"),
        ev("X1", 10, *at("zakattown"), "zakat"),
        ev("X2", 12, *near(*NORTH, 15, -20), "zakat"),
        ev("W1", 70, *near(*BAMAKO, km_north=-90, km_east=60), "seized"),  # Roadtown, held
    ]
    return rows + capital_and_road_rows()


def capital_and_road_rows() -> list[dict[str, object]]:
    """Fighting in the capital, trends on the roads, precision, kidnappings, severity."""
    kati = near(*BAMAKO, km_north=12, km_east=-12)
    mid_road = near(*BAMAKO, km_north=20, km_east=60)
    road_end = near(*BAMAKO, km_north=40, km_east=120)
    rows = [ev(f"F{i}", d, *near(*BAMAKO, km_north=i), "drone") for i, d in enumerate((2, 9, 9))]
    rows += [ev("F3", 30, *BAMAKO, "post"), ev("F4", 59, *BAMAKO, "drone")]
    rows += [ev("F5", 20, *near(*BAMAKO, km_east=13), "drone"), ev("F6", 61, *BAMAKO, "drone")]
    # ambushes rising on the eastern road: none in the baseline, 4 recent ("new")
    rows += [ev(f"A{i}", 5 + 20 * i, *near(*mid_road, km_north=2), "ambush", 2) for i in range(4)]
    # a steady stream near Kati: 2 recent against 6 in the baseline year, and older ones
    rows += [ev(f"KT{i}", 30 + 60 * i, *near(*kati, km_east=3), "ied", 1) for i in range(12)]
    # region-centroid (precision 3) ambushes on the road: points see some, the road none
    rows += [ev(f"PR{i}", 3 + i, *near(*road_end, km_north=1), "ambush", 3) for i in range(5)]
    rows += [
        ev("K20", 12, *near(*BAMAKO, km_north=8), "kidnap_foreign", source="Reuters"),
        ev("K21", 40, *near(*BAMAKO, km_east=-25), "kidnap_aid", 2, source="ACLED partner"),
        ev("K22", 70, *near(*kati, km_north=5), "kidnap_national", source="Le Monde;AFP"),
        ev("K23", 400, *BAMAKO, "kidnap_foreign"),
        ev("M1", 30, *near(*mid_road, km_east=-4), "massacre", source="RFI"),
        ev("M2", 20, *near(*mid_road, km_east=-6), "massacre", source="rfi ; Jeune  Afrique"),
        ev("B1", 8, *near(*mid_road, km_east=15), "blockade", 2),
        ev("B2", 25, *near(*road_end, km_east=-10), "tankers", 1),
        ev("B3", 200, *mid_road, "blockade", 1),
        ev("U1", 4, *BAMAKO, "protest"),
        ev("X3", 15, *near(*kati, km_north=-4), "travellers"),
    ]
    # many violent events around the eastern road's middle: its ambush likelihood is high
    rows += [
        ev(f"RV{i}", 3 + 9 * i, *near(*mid_road, km_north=i % 3), "post", 1) for i in range(40)
    ]
    return rows


CONTROL_GUIDANCE = """\
- {id: us-1, issuer: US, issued: 2025-10-30, level: 4, action: ordered_departure,
   scope: {country: ML}, reasons: [terrorism, kidnapping]}
- {id: us-0, issuer: US, issued: 2025-01-10, level: 3, action: none, scope: {country: ML}}
- {id: fr-1, issuer: FR, issued: 2025-11-07, level: 4, action: leave_now,
   scope: {country: ML, admin1: [Koulikoro, Mopti]}, reasons: [kidnapping, armed_conflict]}
- {id: gb-1, issuer: GB, issued: 2025-06-01, expires: 2025-11-01, level: 4, action: leave_now,
   scope: {country: ML}, reasons: [kidnapping]}
- {id: gb-2, issuer: GB, issued: 2025-11-02, level: 4, action: none,
   scope: {country: ML, areas: [{lat: 15.2, lon: -4.0, radius_km: 50}]}, reasons: [terrorism]}
- {id: de-1, issuer: DE, issued: 2025-11-03, level: 4, action: embassy_closed,
   scope: {country: ML, areas: [{lat: 12.05, lon: -7.2, radius_km: 30}]}, reasons: [terrorism]}
- {id: ca-1, issuer: CA, issued: 2025-11-01, level: 4, action: leave_now,
   scope: {country: SN}, reasons: [kidnapping]}
"""

# --- a seeded random world where towns change hands ----------------------------------------

# violence by kind, as often as each is drawn: rare massacres and kidnappings of foreigners, so
# that levels spread over the scale instead of all reaching Extreme
KIND_WEIGHTS = {k: 1.0 for k in CODINGS} | {"massacre": 0.05, "kidnap_foreign": 0.05, "protest": 3}
QUIET_KINDS = [k for k in KIND_WEIGHTS if not k.startswith("seized")]  # no seizures in the south
CONTROL_KINDS = ["seized", "seized", "regained", "withdrew", "hq", "seized_court", "checkpoints"]


def random_world(seed: int) -> tuple[list[dict[str, object]], list[dict[str, object]], str]:
    """The capital with roads (never seized) and a north where towns change hands; events
    cluster on places, more of them recently; control events land close to the towns."""
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
        if len(set(stops)) >= 2:
            features.append(line(f"road{i}", f"Road {i}", stops, admin1="Koulikoro"))
    for i in range(15):
        at = (NORTH[0] + rng.uniform(-0.8, 0.8), NORTH[1] + rng.uniform(-1.0, 1.0))
        kind = rng.choice(["town", "town", "city", "village"])
        pop = rng.choice([None, 0, 5000, 30000, 150000])
        extra = {} if pop is None else {"population": pop}
        features.append(point(f"n{i}", f"North {i}", kind, *at, admin1="Mopti", **extra))
        north.append(at)
    rows = []
    for i in range(1500):
        in_north = rng.random() < 0.5
        lat, lon = rng.choice(north if in_north else south)
        lat, lon = lat + rng.gauss(0, 0.2), lon + rng.gauss(0, 0.2)
        days = int(min(rng.expovariate(1 / 300), 1100))
        kinds = list(KIND_WEIGHTS) if in_north else QUIET_KINDS
        kind = rng.choices(kinds, [KIND_WEIGHTS[k] for k in kinds])[0]
        if in_north and rng.random() < 0.3:
            lat, lon = rng.choice(north)
            lat, lon = lat + rng.gauss(0, 0.03), lon + rng.gauss(0, 0.03)
            kind, days = rng.choice(CONTROL_KINDS), rng.randint(0, 800)
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


def days_ago(day: date) -> int:
    return (AS_OF - day).days


# --- every window at its edge ------------------------------------------------------------------

EDGE_TOWNS = ("raid14", "raid15", "cont14", "cont15", "lapse90", "lapse91", "look729", "look730")


def edges_world() -> tuple[list[dict[str, object]], list[dict[str, object]], str]:
    """One town per window edge (40 km apart, each its own centre), a quiet point whose
    exposures see events at the edges of their horizon and trend windows, fighting in the
    capital at the edge of its window, and guidance issued or expiring on the as-of day."""
    towns = {tid: near(*NORTH, km_east=40 * i) for i, tid in enumerate(EDGE_TOWNS)}
    spot = near(*NORTH, km_north=-150)
    features = [point("capital", "Capital", "capital", *BAMAKO, population=2800000)]
    features += [point(t, t.title(), "town", *at, population=20000) for t, at in towns.items()]
    features.append(point("spot", "Spot", "village", *spot, admin1="Mopti"))
    features.append(line("spot-road", "Spot road", [near(*spot, -3, -30), near(*spot, -3, 30)]))
    rows = [
        ev("RA1", 100, *towns["raid14"], "seized"),
        ev("RA2", 86, *towns["raid14"], "withdrew"),  # ended 14 days after: a raid
        ev("RB1", 100, *towns["raid15"], "seized"),
        ev("RB2", 85, *towns["raid15"], "withdrew"),  # ended 15 days after: regained
        ev("CA1", 14, *towns["cont14"], "seized"),  # 14 days ago: contested
        ev("CB1", 15, *towns["cont15"], "seized"),  # 15 days ago: held
        ev("LA1", 90, *towns["lapse90"], "seized"),  # no sign for 90 days: still held
        ev("LB1", 91, *towns["lapse91"], "seized"),  # for 91 days: lapsed
        ev("OA1", 729, *towns["look729"], "seized"),  # inside the 730-day look-back: a raid
        ev("OA2", 725, *towns["look729"], "withdrew"),
        ev("OB1", 730, *towns["look730"], "seized"),  # outside it: the withdrawal ends nothing
        ev("OB2", 726, *towns["look730"], "withdrew"),
        ev("FA1", 59, *near(*BAMAKO, km_north=5), "drone"),  # the capital's 60-day window
        ev("FA2", 60, *near(*BAMAKO, km_north=5), "drone"),
        ev("FA3", 0, *near(*BAMAKO, km_north=11.9), "drone"),
        ev("FA4", 1, *near(*BAMAKO, km_north=12.1), "drone"),
    ]
    # violence at the spot: its 730-day horizon, and the 90-day recent and 365-day baseline
    for eid, age in (("SA1", 729), ("SA2", 730), ("SA3", 89), ("SA4", 90), ("SA5", 454),
                     ("SA6", 455), ("SA7", 0), ("SA8", 364)):  # fmt: skip
        rows.append(ev(eid, age, *near(*spot, km_north=1), "ambush", 1))
    # two violent places (High on the evidence), foreigners kidnapped 180 days before near one
    # and 181 near the other: the severity condition's edge
    spot2 = near(*spot, km_north=-200)
    features.append(point("spot2", "Spot 2", "village", *spot2, admin1="Mopti"))
    for i in range(30):
        rows.append(ev(f"SB{i}", 5 + 11 * i, *near(*spot, km_east=i % 5), "post", 1))
        rows.append(ev(f"SC{i}", 5 + 11 * i, *near(*spot2, km_east=i % 5), "post", 1))
    rows.append(ev("KA1", 180, *near(*spot, km_east=30), "kidnap_foreign"))
    rows.append(ev("KB1", 181, *near(*spot2, km_east=30), "kidnap_foreign"))
    guidance = """\
- {id: us-1, issuer: US, issued: 2025-11-20, level: 4, action: leave_now,
   scope: {country: ML}, reasons: [kidnapping]}
- {id: gb-1, issuer: GB, issued: 2025-01-01, expires: 2025-11-20, level: 4, action: leave_now,
   scope: {country: ML}, reasons: [kidnapping]}
- {id: fr-1, issuer: FR, issued: 2025-01-01, expires: 2025-11-21, level: 4, action: leave_now,
   scope: {country: ML}, reasons: [kidnapping]}
"""
    return rows, features, guidance
