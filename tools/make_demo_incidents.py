"""Write the ILLUSTRATIVE demo incident file in ACLED's CSV export format.

Why: ACLED's terms forbid redistributing its rows, yet the demo and the tests need incidents that
look like a real export (same 31 columns, actor strings, coding conventions, notes in which
ambushes must be recovered from free text). These rows are written by the advisory project and
modelled on public reporting about Mali in 2024-2025; they are NOT ACLED data. Every row carries
``illustrative`` in its ``tags`` column.

Deterministic: a fixed seed drives the only randomness (filler events, jitter, sources), and
coordinates come from ``src/advisory/data/places.geojson`` (run ``tools/build_places.py`` first)::

    python tools/make_demo_incidents.py
"""

from __future__ import annotations

import argparse
import calendar
import csv
import datetime as dt
import json
import math
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from advisory.ingest.acled import COLUMNS

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA = REPO_ROOT / "src" / "advisory" / "data"
PLACES = DATA / "places.geojson"
OUTPUT = DATA / "incidents" / "mali_demo_2024_2025.csv"
SEED = 20251120


JNIM = "JNIM: Group for Support of Islam and Muslims"
FAMA = "Military Forces of Mali (2021-)"
DOZO = "Dozo Communal Militia (Mali)"
AFRICA_CORPS = "Africa Corps"
PROTESTERS = "Protesters (Mali)"
RIOTERS = "Rioters (Mali)"
POLICE = "Police Forces of Mali (2021-)"

# ACLED's actor categories, in the order ACLED uses to name an interaction ("State forces-...").
INTER_ORDER = (
    "State forces",
    "Rebel group",
    "Political militia",
    "Identity militia",
    "Rioters",
    "Protesters",
    "Civilians",
    "External/Other forces",
)
ACTOR_INTER = {
    JNIM: "Rebel group",
    FAMA: "State forces",
    POLICE: "State forces",
    DOZO: "Identity militia",
    PROTESTERS: "Protesters",
    RIOTERS: "Rioters",
}

# Cercle (admin2, OCHA spelling without accents) of each place; checked against OCHA COD-AB.
ADMIN2 = {
    "bamako": "Bamako", "senou": "Bamako", "senou-airport": "Bamako", "kalaban-koro": "Kati",
    "kati": "Kati", "koulikoro": "Koulikoro", "segou": "Segou", "fana": "Dioila",
    "dioila": "Dioila", "bougouni": "Bougouni", "ouelessebougou": "Kati", "kassela": "Kati",
    "siby": "Kati", "narena": "Kangaba", "kangaba": "Kangaba", "kita": "Kita",
    "kolokani": "Kolokani", "didieni": "Kolokani", "banamba": "Banamba", "markala": "Segou",
    "kolondieba": "Kolondieba", "yanfolila": "Yanfolila", "sikasso": "Sikasso",
    "kouremale": "Kangaba", "baguineda": "Kati", "negala": "Kati", "kassaro": "Kita",
    "sebekoro": "Kita", "nossombougou": "Kolokani", "konobougou": "Baroueli",
    "sanankoroba": "Kati", "dialakoroba": "Kati", "keleya": "Bougouni",
    "zantiebougou": "Bougouni", "koumantou": "Bougouni", "tienfala": "Koulikoro",
    "moribabougou": "Kati", "diema": "Diema", "bla": "Bla", "baroueli": "Baroueli",
    "massigui": "Dioila", "sagala": "Segou", "niono": "Niono",
}  # fmt: skip

# Region centroids (area-weighted, from OCHA COD-AB adm2 polygons) for geo_precision 3 events.
REGION_CENTROIDS = {
    "Kayes": (13.8769, -10.2295),
    "Koulikoro": (13.6205, -7.6452),
    "Ségou": (13.808, -5.6985),
    "Sikasso": (11.4226, -6.5516),
}

SOURCES = {
    "national": [
        ("Studio Tamani", "National"),
        ("Maliweb", "National"),
        ("Journal du Mali", "National"),
        ("Studio Tamani; Maliweb", "National"),
        ("Local source", "Local partner-National"),
        ("Malian Armed Forces", "National"),
    ],
    "international": [
        ("AFP; RFI", "International"),
        ("RFI", "International"),
        ("Le Monde", "International"),
        ("Reuters", "International"),
        ("AFP", "National-International"),
        ("Twitter", "New media"),
        ("Twitter; Studio Tamani", "New media-National"),
    ],
    "jnim": [
        ("Az-Zallaqa", "Other"),
        ("Az-Zallaqa; Twitter", "Other-New media"),
        ("Menastream", "New media"),
    ],
}


@dataclass(frozen=True)
class Where:
    lat: float
    lon: float
    location: str
    admin1: str
    admin2: str
    geo_precision: int


def km_to_deg(km: float, lat: float, bearing: float) -> tuple[float, float]:
    dlat = km / 111.32 * math.cos(bearing)
    dlon = km / (111.32 * math.cos(math.radians(lat))) * math.sin(bearing)
    return dlat, dlon


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


class Generator:
    """Collects events; one seeded RNG makes the output reproducible."""

    def __init__(self, places_path: Path) -> None:
        collection = json.loads(places_path.read_text(encoding="utf-8"))
        self.points: dict[str, dict[str, Any]] = {}
        self.routes: dict[str, dict[str, Any]] = {}
        for feature in collection["features"]:
            props = feature["properties"]
            target = self.routes if props["kind"] == "route" else self.points
            target[props["id"]] = feature
        self.rng = random.Random(SEED)
        self.events: list[dict[str, Any]] = []

    # -- where -------------------------------------------------------------------------------
    def name(self, pid: str) -> str:
        return str(self.points[pid]["properties"]["name"])

    def town(self, pid: str, precision: int = 1) -> Where:
        """At a place (precision 1) or a few km from it (precision 2)."""
        props = self.points[pid]["properties"]
        lon, lat = self.points[pid]["geometry"]["coordinates"]
        if precision == 2:
            dlat, dlon = km_to_deg(self.rng.uniform(2, 6), lat, self.rng.uniform(0, 2 * math.pi))
            lat, lon = lat + dlat, lon + dlon
        return Where(lat, lon, props["name"], props["admin1"], ADMIN2[pid], precision)

    def road(self, seg_id: str, lo: float = 0.15, hi: float = 0.85) -> Where:
        """A point on a route polyline (fraction of its length in [lo, hi]), jittered < 1 km."""
        coords = self.routes[seg_id]["geometry"]["coordinates"]
        legs = [
            haversine_km(coords[i][1], coords[i][0], coords[i + 1][1], coords[i + 1][0])
            for i in range(len(coords) - 1)
        ]
        target = self.rng.uniform(lo, hi) * sum(legs)
        i = 0
        while i < len(legs) - 1 and target > legs[i]:
            target -= legs[i]
            i += 1
        f = min(1.0, target / legs[i])
        (lon0, lat0), (lon1, lat1) = coords[i], coords[i + 1]
        lat, lon = lat0 + f * (lat1 - lat0), lon0 + f * (lon1 - lon0)
        dlat, dlon = km_to_deg(self.rng.uniform(0, 0.8), lat, self.rng.uniform(0, 2 * math.pi))
        lat, lon = lat + dlat, lon + dlon
        ends = [self.routes[seg_id]["properties"][k] for k in ("from", "to")]
        vertices = [ends[0], *self.routes[seg_id]["properties"]["via"], ends[1]]
        nearest = min(vertices, key=lambda pid: self._km_to(pid, lat, lon))
        props = self.points[nearest]["properties"]
        return Where(lat, lon, props["name"], props["admin1"], ADMIN2[nearest], 2)

    def region(self, admin1: str) -> Where:
        lat, lon = REGION_CENTROIDS[admin1]
        return Where(lat, lon, admin1, admin1, "", 3)

    def _km_to(self, pid: str, lat: float, lon: float) -> float:
        plon, plat = self.points[pid]["geometry"]["coordinates"]
        return haversine_km(lat, lon, plat, plon)

    def road_label(self, seg_id: str) -> str:
        props = self.routes[seg_id]["properties"]
        return (
            f"the {props['road']} between {self.name(props['from'])} and {self.name(props['to'])}"
        )

    # -- what --------------------------------------------------------------------------------
    def add(
        self,
        date: dt.date,
        event_type: str,
        sub_event_type: str,
        actor1: str,
        actor2: str,
        where: Where,
        notes: str,
        fatalities: int = 0,
        *,
        assoc1: str = "",
        assoc2: str = "",
        sources: str = "national",
        tags: str = "",
    ) -> None:
        inter1 = ACTOR_INTER.get(actor1, "Civilians" if actor1.startswith("Civilians") else "")
        inter2 = ACTOR_INTER.get(actor2, "Civilians" if actor2.startswith("Civilians") else "")
        if inter2:
            pair = sorted((inter1, inter2), key=INTER_ORDER.index)
            interaction = f"{pair[0]}-{pair[1]}"
        else:
            interaction = f"{inter1} only"
        targets_civilians = inter2 == "Civilians" and event_type in (
            "Violence against civilians",
            "Explosions/Remote violence",
        )
        disorder = {
            "Protests": "Demonstrations",
            "Riots": "Demonstrations",
            "Strategic developments": "Strategic developments",
        }.get(event_type, "Political violence")
        source, scale = self.rng.choice(SOURCES[sources])
        reported = dt.datetime.combine(
            date + dt.timedelta(days=self.rng.randint(2, 9)), dt.time(), dt.UTC
        ) + dt.timedelta(seconds=self.rng.randint(0, 86399))
        day = f"{date.day} {calendar.month_name[date.month]} {date.year}"
        self.events.append(
            {
                "event_date": date.isoformat(),
                "year": date.year,
                "time_precision": 1,
                "disorder_type": disorder,
                "event_type": event_type,
                "sub_event_type": sub_event_type,
                "actor1": actor1,
                "assoc_actor_1": assoc1,
                "inter1": inter1,
                "actor2": actor2,
                "assoc_actor_2": assoc2,
                "inter2": inter2,
                "interaction": interaction,
                "civilian_targeting": "Civilian targeting" if targets_civilians else "",
                "iso": 466,
                "region": "Western Africa",
                "country": "Mali",
                "admin1": where.admin1,
                "admin2": where.admin2,
                "admin3": "",
                "location": where.location,
                "latitude": f"{where.lat:.4f}",
                "longitude": f"{where.lon:.4f}",
                "geo_precision": where.geo_precision,
                "source": source,
                "source_scale": scale,
                "notes": f"On {day}, {notes}",
                "fatalities": fatalities,
                "tags": "; ".join(t for t in ("illustrative", tags) if t),
                "timestamp": int(reported.timestamp()),
            }
        )

    def write(self, path: Path) -> None:
        self.events.sort(key=lambda e: (e["event_date"], e["location"], e["sub_event_type"]))
        counters = {2024: 31000, 2025: 35000}
        for event in self.events:
            counters[event["year"]] += 1
            event["event_id_cnty"] = f"MLI{counters[event['year']]}"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(self.events)


D = dt.date

TANKER_ROADS = (
    "rn6-kassela-fana", "rn6-kassela-fana", "rn6-fana-segou", "rn6-bamako-kassela",
    "rn7-ouelessebougou-bougouni", "rn7-ouelessebougou-bougouni", "rn7-bamako-ouelessebougou",
    "rn7-bougouni-sikasso", "rn5-siby-narena", "rn5-narena-kouremale", "rn1-kati-kita",
    "rn1-kati-kita", "rn3-kati-kolokani", "rn3-kolokani-didieni", "rn3-didieni-diema",
    "rn30-fana-dioila",
)  # fmt: skip
POSTS_2025 = (
    "kolokani", "didieni", "banamba", "fana", "dioila", "konobougou", "baroueli", "markala",
    "niono", "sagala", "kangaba", "narena", "yanfolila", "kolondieba", "kassaro", "negala",
    "bla", "massigui", "nossombougou", "zantiebougou", "diema", "sebekoro",
)  # fmt: skip
SEGOU_2024 = ("markala", "baroueli", "niono", "sagala", "konobougou", "bla", "segou")
RURAL_2025 = (
    "kolokani", "didieni", "banamba", "dioila", "massigui", "baroueli", "sagala", "niono",
    "kassaro", "sebekoro", "narena", "kolondieba", "yanfolila", "konobougou", "nossombougou",
)  # fmt: skip


def scripted_2025(g: Generator) -> None:
    """Key events named in the brief: blockade, seizures that end within days, kidnappings."""
    g.add(D(2025, 9, 3), "Strategic developments", "Other", JNIM, "", g.region("Kayes"),
          "JNIM announced a blockade of the towns of Kayes and Nioro du Sahel and warned "
          "transporters against carrying goods to them. The group said vehicles breaking the "
          "blockade would be targeted.", sources="international")  # fmt: skip
    g.add(D(2025, 9, 5), "Strategic developments", "Other", JNIM, "", g.region("Koulikoro"),
          "JNIM declared a blockade on fuel imports into Mali, saying that fuel tankers coming "
          "from Senegal, Guinea and Cote d'Ivoire would be attacked on the national roads.",
          sources="jnim")  # fmt: skip
    g.add(D(2025, 9, 14), "Battles", "Armed clash", JNIM, FAMA, g.road("rn1-kati-kita"),
          f"JNIM militants ambushed a convoy of fuel tankers escorted by FAMa near "
          f"{g.name('kassaro')} on the road to Kita (embuscade). Dozens of tankers were set on "
          "fire. Fatalities unknown; coded as zero.", 0, sources="international")  # fmt: skip
    seizures = (
        ("baroueli", D(2025, 9, 20), 2, "army post"),
        ("nossombougou", D(2025, 10, 12), 1, "gendarmerie post"),
        ("massigui", D(2025, 10, 28), 2, "military camp"),
        ("didieni", D(2025, 11, 9), 2, "army post"),
    )
    for pid, day, gap, post in seizures:
        name = g.name(pid)
        g.add(day, "Battles", "Non-state actor overtakes territory", JNIM, FAMA, g.town(pid),
              f"JNIM militants attacked the {post} in {name} and took control of the town after "
              f"FAMa soldiers withdrew. The militants seized weapons, motorbikes and fuel.",
              g.rng.choice((2, 4, 6, 9)), sources="international")  # fmt: skip
        g.add(day + dt.timedelta(days=gap), "Battles", "Government regains territory", FAMA,
              JNIM, g.town(pid),
              f"FAMa, supported by air assets, returned to {name}. JNIM withdrew after looting "
              f"the {post} and shops; no resistance was reported.", 0,
              assoc1=AFRICA_CORPS)  # fmt: skip
    g.add(D(2025, 9, 23), "Violence against civilians", "Abduction/forced disappearance", JNIM,
          "Civilians (Egypt)", g.road("rn3-kati-kolokani", 0.05, 0.25),
          "suspected JNIM militants abducted an Egyptian businessman and his driver on the road "
          "near Kati. A ransom was reportedly demanded.", sources="international")  # fmt: skip
    g.add(D(2025, 9, 29), "Violence against civilians", "Abduction/forced disappearance", JNIM,
          "Civilians (China)", g.town("narena", 2),
          "suspected JNIM militants abducted three Chinese workers at a mining site near Narena "
          "(Kangaba). The site was looted.", sources="international")  # fmt: skip
    g.add(D(2025, 10, 5), "Strategic developments", "Other", JNIM, "", g.town("sagala", 2),
          "JNIM militants collected zakat from herders in villages around Sagala and ordered "
          "residents not to cooperate with the army.", sources="national")  # fmt: skip
    g.add(D(2025, 10, 19), "Violence against civilians", "Abduction/forced disappearance", JNIM,
          "Civilians (Mali)", g.road("rn7-bamako-ouelessebougou", 0.6, 0.95),
          f"JNIM militants stopped a vehicle of a national NGO near {g.name('ouelessebougou')} "
          "and abducted two Malian aid workers. The vehicle was burned.",
          sources="national")  # fmt: skip
    g.add(D(2025, 11, 3), "Battles", "Armed clash", JNIM, FAMA, g.town("senou", 2),
          "JNIM militants attacked a FAMa checkpoint near Senou, on the south-eastern outskirts "
          "of Bamako near the airport. Soldiers repelled the attack after an exchange of fire.",
          3, sources="international")  # fmt: skip
    g.add(D(2025, 11, 6), "Violence against civilians", "Abduction/forced disappearance", JNIM,
          "Civilians (India)", g.town("kita", 2),
          "JNIM militants abducted five Indian workers employed on a rural electrification "
          "project near Kita.", sources="international")  # fmt: skip
    g.add(D(2025, 11, 14), "Violence against civilians", "Abduction/forced disappearance", JNIM,
          "Civilians (Mali)", g.road("rn6-kassela-fana", 0.6, 0.9),
          "JNIM militants abducted a Malian aid worker of an international NGO on the RN6 near "
          "Fana. His colleagues were released.", sources="national")  # fmt: skip
    protests = (D(2025, 10, 8), D(2025, 10, 15), D(2025, 10, 22), D(2025, 11, 4), D(2025, 11, 12))
    for i, day in enumerate(protests):
        pid = ("bamako", "kalaban-koro", "bamako", "bamako", "kati")[i]
        g.add(day, "Protests", "Peaceful protest", PROTESTERS, "", g.town(pid),
              f"drivers and residents protested in {g.name(pid)} against fuel shortages and long "
              "queues at petrol stations caused by the JNIM blockade. [size=no report]",
              tags="crowd size=no report")  # fmt: skip
    g.add(D(2025, 10, 26), "Riots", "Violent demonstration", RIOTERS, POLICE,
          g.town("kalaban-koro"),
          "youths burned tyres and stoned a petrol station in Kalaban Koro over the fuel "
          "shortage; police dispersed them with tear gas. [size=no report]",
          tags="crowd size=no report")  # fmt: skip


def filler_2025(g: Generator, start: dt.date, end: dt.date, count: int) -> None:
    """Seeded mix of ambushes, IEDs, post attacks, drone strikes and abductions."""
    kinds = ("ambush", "ied", "post", "drone", "vac", "abduct", "loot", "dozo")
    weights = (26, 12, 15, 12, 8, 10, 9, 5)
    days = (end - start).days + 1
    for _ in range(count):
        day = start + dt.timedelta(days=g.rng.randrange(days))
        blockade = day >= D(2025, 9, 3)
        kind = g.rng.choices(kinds, weights)[0]
        if kind == "loot" and not blockade:
            kind = "ambush"
        if kind == "ambush":
            seg = g.rng.choice(TANKER_ROADS)
            where = g.road(seg)
            if blockade:
                text = g.rng.choice((
                    f"JNIM militants ambushed a convoy of fuel tankers escorted by FAMa on "
                    f"{g.road_label(seg)}, near {where.location}.",
                    f"JNIM fighters attacked a convoi de citernes escorted by FAMa near "
                    f"{where.location} on the {g.routes[seg]['properties']['road']} (embuscade).",
                    f"JNIM militants ambushed a FAMa escort accompanying trucks and fuel tankers "
                    f"near {where.location}; several tankers were burned.",
                ))  # fmt: skip
            else:
                text = (f"JNIM militants ambushed a FAMa patrol on {g.road_label(seg)} near "
                        f"{where.location}.")  # fmt: skip
            g.add(day, "Battles", "Armed clash", JNIM, FAMA, where,
                  text + " FAMa claimed to have repelled the attackers.",
                  g.rng.choice((0, 0, 1, 2, 3, 5, 8, 12)),
                  sources=g.rng.choice(("national", "international")))  # fmt: skip
        elif kind == "ied":
            seg = g.rng.choice(TANKER_ROADS)
            where = g.road(seg)
            civil = g.rng.random() < 0.4
            victim = "a truck carrying goods" if civil else "a FAMa vehicle"
            g.add(day, "Explosions/Remote violence", "Remote explosive/landmine/IED", JNIM,
                  "Civilians (Mali)" if civil else FAMA, where,
                  f"{victim} struck an improvised explosive device (engin explosif improvisé) "
                  f"on {g.road_label(seg)} near {where.location}. JNIM is suspected.",
                  g.rng.choice((0, 0, 1, 2, 4)))  # fmt: skip
        elif kind == "post":
            pid = g.rng.choice(POSTS_2025)
            post = g.rng.choice(("military post", "checkpoint", "gendarmerie post"))
            g.add(day, "Battles", "Armed clash", JNIM, FAMA, g.town(pid, g.rng.choice((1, 2))),
                  f"JNIM militants attacked a {post} in {g.name(pid)}. The attackers withdrew "
                  "after an exchange of fire.", g.rng.choice((0, 2, 4, 6, 10, 15)),
                  sources=g.rng.choice(("national", "international", "jnim")))  # fmt: skip
        elif kind == "drone":
            pid = g.rng.choice(RURAL_2025)
            vague = g.rng.random() < 0.15  # reported only at region level: geo_precision 3
            admin1 = g.points[pid]["properties"]["admin1"]
            near = f"in {admin1} region" if vague else f"near {g.name(pid)}"
            g.add(day, "Explosions/Remote violence", "Air/drone strike", FAMA, JNIM,
                  g.region(admin1) if vague else g.town(pid, 2),
                  f"the Malian army conducted drone strikes on a JNIM position {near}, "
                  "claiming to have neutralised several militants.",
                  g.rng.choice((0, 3, 5, 8, 12, 20)),
                  assoc1=AFRICA_CORPS if g.rng.random() < 0.3 else "",
                  sources="national")  # fmt: skip
        elif kind == "vac":
            pid = g.rng.choice(RURAL_2025)
            g.add(day, "Violence against civilians", "Attack", JNIM, "Civilians (Mali)",
                  g.town(pid, 2),
                  f"JNIM militants killed civilians accused of collaborating with the army in a "
                  f"village near {g.name(pid)}.", g.rng.choice((1, 2, 3, 5)))  # fmt: skip
        elif kind == "abduct":
            seg = g.rng.choice(TANKER_ROADS)
            where = g.road(seg)
            who = g.rng.choice((
                "two tanker drivers", "a trader and his apprentice", "a village chief",
                "passengers of a bus", "a local councillor",
            ))  # fmt: skip
            g.add(
                day,
                "Violence against civilians",
                "Abduction/forced disappearance",
                JNIM,
                "Civilians (Mali)",
                where,
                f"JNIM militants abducted {who} on {g.road_label(seg)} near {where.location}.",
            )
        elif kind == "loot":
            seg = g.rng.choice(TANKER_ROADS)
            where = g.road(seg)
            g.add(
                day,
                "Strategic developments",
                "Looting/property destruction",
                JNIM,
                "",
                where,
                f"JNIM militants set fire to fuel tankers and trucks stopped near "
                f"{where.location} on {g.road_label(seg)}, enforcing the blockade.",
            )
        else:
            pid = g.rng.choice(RURAL_2025)
            g.add(day, "Battles", "Armed clash", JNIM, DOZO, g.town(pid, 2),
                  f"JNIM militants clashed with Dozo hunters near {g.name(pid)}.",
                  g.rng.choice((0, 1, 3, 5)))  # fmt: skip


def baseline_2024(g: Generator) -> None:
    """A thinner 2024: Ségou-region clashes, a few road attacks, the 17 September Bamako attack."""
    day = D(2024, 9, 17)
    g.add(day, "Battles", "Armed clash", JNIM, FAMA, g.town("bamako", 2),
          "JNIM militants attacked the gendarmerie school (Ecole de gendarmerie) in Faladie, "
          "Bamako, at dawn. Fighting with security forces lasted several hours.", 50,
          sources="international")  # fmt: skip
    g.add(day, "Battles", "Armed clash", JNIM, FAMA, g.town("senou-airport"),
          "JNIM militants attacked the military part of Bamako-Senou airport (Air Base 101) and "
          "clashed with soldiers.", 27, sources="international")  # fmt: skip
    g.add(day, "Explosions/Remote violence", "Remote explosive/landmine/IED", JNIM, FAMA,
          g.town("senou-airport"),
          "explosions were heard at Bamako-Senou airport as JNIM militants used explosives and set "
          "fire to aircraft in the military area.", 0, sources="international")  # fmt: skip
    g.add(day, "Violence against civilians", "Attack", RIOTERS, "Civilians (Mali)",
          g.town("bamako", 2),
          "residents of Bamako lynched a man accused of complicity with the attackers of the "
          "gendarmerie school.", 1)  # fmt: skip
    g.add(D(2024, 9, 18), "Strategic developments", "Arrests", FAMA, "Civilians (Mali)",
          g.town("bamako"),
          "security forces arrested several suspects in Bamako after the JNIM attack on the "
          "gendarmerie school and the airport.", 0)  # fmt: skip
    kinds = ("post", "drone", "ied", "ambush", "abduct", "dozo", "vac")
    weights = (25, 18, 12, 12, 12, 10, 11)
    roads_2024 = ("rn6-fana-segou", "rn6-segou-bla", "rn3-kolokani-didieni", "rn3-didieni-diema",
                  "rn1-kati-kita", "rn7-bougouni-sikasso")  # fmt: skip
    for _ in range(52):
        day = D(2024, 1, 1) + dt.timedelta(days=g.rng.randrange(366))
        kind = g.rng.choices(kinds, weights)[0]
        pid = g.rng.choice((*SEGOU_2024, "kolokani", "didieni", "yanfolila", "kolondieba"))
        if kind == "post":
            g.add(day, "Battles", "Armed clash", JNIM, FAMA, g.town(pid, g.rng.choice((1, 2))),
                  f"JNIM militants attacked a military post in {g.name(pid)}; the assailants "
                  "withdrew after clashes.", g.rng.choice((0, 2, 3, 6, 11)),
                  sources=g.rng.choice(("national", "international")))  # fmt: skip
        elif kind == "drone":
            g.add(day, "Explosions/Remote violence", "Air/drone strike", FAMA, JNIM,
                  g.town(pid, 2),
                  f"the Malian army carried out an air strike on JNIM fighters near "
                  f"{g.name(pid)}.", g.rng.choice((0, 4, 7, 12)))  # fmt: skip
        elif kind in ("ied", "ambush"):
            seg = g.rng.choice(roads_2024)
            where = g.road(seg)
            if kind == "ied":
                g.add(day, "Explosions/Remote violence", "Remote explosive/landmine/IED", JNIM,
                      FAMA, where,
                      f"a FAMa vehicle hit an IED on {g.road_label(seg)} near {where.location}.",
                      g.rng.choice((0, 1, 3)))  # fmt: skip
            else:
                g.add(day, "Battles", "Armed clash", JNIM, FAMA, where,
                      f"JNIM militants ambushed a FAMa supply convoy near {where.location} on "
                      f"{g.road_label(seg)}.", g.rng.choice((0, 2, 4, 7)))  # fmt: skip
        elif kind == "abduct":
            g.add(day, "Violence against civilians", "Abduction/forced disappearance", JNIM,
                  "Civilians (Mali)", g.town(pid, 2),
                  f"JNIM militants abducted villagers near {g.name(pid)}, accusing them of "
                  "informing the army.")  # fmt: skip
        elif kind == "dozo":
            g.add(day, "Battles", "Armed clash", JNIM, DOZO, g.town(pid, 2),
                  f"JNIM militants clashed with Dozo hunters near {g.name(pid)}.",
                  g.rng.choice((0, 2, 4)))  # fmt: skip
        else:
            g.add(day, "Violence against civilians", "Attack", JNIM, "Civilians (Mali)",
                  g.town(pid, 2),
                  f"JNIM militants shot dead civilians in a village near {g.name(pid)}.",
                  g.rng.choice((1, 2, 4)))  # fmt: skip


def after_cutoff(g: Generator) -> None:
    """Events after 20 November 2025: an assessment as of that date must ignore them."""
    g.add(D(2025, 11, 21), "Battles", "Armed clash", JNIM, FAMA,
          g.road("rn7-ouelessebougou-bougouni"),
          "JNIM militants ambushed a convoy of fuel tankers escorted by FAMa near Bougouni.", 4,
          sources="international")  # fmt: skip
    g.add(D(2025, 11, 22), "Violence against civilians", "Abduction/forced disappearance", JNIM,
          "Civilians (Mali)", g.road("rn3-kati-kolokani", 0.1, 0.3),
          "JNIM militants abducted two truck drivers on the RN3 near Kati.")  # fmt: skip
    g.add(D(2025, 11, 23), "Explosions/Remote violence", "Air/drone strike", FAMA, JNIM,
          g.town("fana", 2), "FAMa drones struck a JNIM group near Fana.", 6)  # fmt: skip
    g.add(D(2025, 11, 24), "Protests", "Peaceful protest", PROTESTERS, "", g.town("bamako"),
          "transport unions protested in Bamako over fuel prices. [size=no report]",
          tags="crowd size=no report")  # fmt: skip


def build(places: Path) -> Generator:
    g = Generator(places)
    baseline_2024(g)
    scripted_2025(g)
    for start, end, count in (
        (D(2025, 8, 1), D(2025, 8, 31), 26),
        (D(2025, 9, 1), D(2025, 9, 30), 40),
        (D(2025, 10, 1), D(2025, 10, 31), 48),
        (D(2025, 11, 1), D(2025, 11, 20), 40),
    ):
        filler_2025(g, start, end, count)
    after_cutoff(g)
    return g


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--places", type=Path, default=PLACES, help="places.geojson to read")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="CSV file to write")
    args = parser.parse_args(argv)
    g = build(args.places)
    g.write(args.output)
    print(f"wrote {len(g.events)} illustrative events to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
