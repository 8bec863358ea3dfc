"""Small ACLED-format data sets written by the tests themselves (never real ACLED rows)."""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from pathlib import Path

COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]
JNIM = "JNIM: Group for Support of Islam and Muslims"
FAMA = "Military Forces of Mali (2021-)"
BAMAKO = (12.6392, -8.0029)
SEGOU = (13.4317, -6.2157)


def event(
    eid: str,
    day: date,
    lat: float,
    lon: float,
    *,
    kind: str = "ambush",
    precision: int = 2,
    timestamp: int | None = None,
    **extra: object,
) -> dict[str, object]:
    """One event row; `kind` picks a realistic ACLED coding for the signal wanted."""
    codings = {
        "ambush": (
            "Battles",
            "Armed clash",
            JNIM,
            FAMA,
            "JNIM militants ambushed a convoy of fuel tankers escorted by FAMa.",
        ),
        "kidnap_foreign": (
            "Violence against civilians",
            "Abduction/forced disappearance",
            JNIM,
            "Civilians (China)",
            "Gunmen abducted three Chinese workers.",
        ),
        "seized": (
            "Battles",
            "Non-state actor overtakes territory",
            JNIM,
            FAMA,
            "JNIM took control of the town.",
        ),
        "regained": (
            "Battles",
            "Government regains territory",
            FAMA,
            JNIM,
            "FAMa retook the town.",
        ),
        "hq": (
            "Strategic developments",
            "Headquarters or base established",
            JNIM,
            "",
            "JNIM set up an Islamic court in the town.",
        ),
        "clash": ("Battles", "Armed clash", JNIM, FAMA, "JNIM attacked an army post."),
    }
    etype, sub, a1, a2, notes = codings[kind]
    row = {c: "" for c in COLUMNS}
    row.update(
        {
            "event_id_cnty": eid,
            "event_date": day.isoformat(),
            "year": day.year,
            "time_precision": 1,
            "disorder_type": "Political violence",
            "event_type": etype,
            "sub_event_type": sub,
            "actor1": a1,
            "inter1": "Rebel group",
            "actor2": a2,
            "inter2": "State forces",
            "iso": 466,
            "region": "Western Africa",
            "country": "Mali",
            "location": "Testville",
            "latitude": f"{lat:.5f}",
            "longitude": f"{lon:.5f}",
            "geo_precision": precision,
            "source": "AFP; Studio Tamani",
            "source_scale": "National",
            "notes": notes,
            "fatalities": 0,
            "tags": "test",
            "timestamp": timestamp if timestamp is not None else 1_700_000_000,
        }
    )
    row.update(extra)
    return row


def series(
    prefix: str, start: date, n: int, lat: float, lon: float, every_days: int = 3, **kw: object
) -> list[dict[str, object]]:
    return [
        event(f"{prefix}{i}", start + timedelta(days=i * every_days), lat, lon, **kw)
        for i in range(n)
    ]


def write_csv(path: Path, rows: list[dict[str, object]], columns: list[str] | None = None) -> Path:
    cols = columns or COLUMNS
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=cols, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    return path


def write_places(path: Path, features: list[dict[str, object]]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    return path


def point(pid: str, name: str, kind: str, lat: float, lon: float, **props: object) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {"id": pid, "name": name, "kind": kind, "country": "ML", **props},
    }


def line(pid: str, name: str, coords: list[tuple[float, float]], **props: object) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": [[lo, la] for la, lo in coords]},
        "properties": {"id": pid, "name": name, "kind": "route", "country": "ML", **props},
    }


def small_gazetteer(path: Path) -> Path:
    return write_places(
        path,
        [
            point("bamako", "Bamako", "capital", *BAMAKO, population=2800000, admin1="Bamako"),
            point("segou", "Ségou", "city", *SEGOU, population=205787, admin1="Ségou"),
            line("rn6", "RN6 Bamako – Ségou", [BAMAKO, SEGOU], road="RN6", admin1="Koulikoro"),
        ],
    )


GUIDANCE_LEAVE = """\
- id: us-1
  issuer: US
  issued: 2025-10-30
  level: 4
  action: ordered_departure
  scope: {country: ML}
  reasons: [terrorism, kidnapping]
- id: gb-1
  issuer: GB
  issued: 2025-10-31
  level: 4
  action: ordered_departure
  scope: {country: ML}
  reasons: [terrorism, kidnapping]
- id: fr-1
  issuer: FR
  issued: 2025-11-07
  level: 4
  action: leave_now
  scope: {country: ML}
  reasons: [terrorism, kidnapping, armed_conflict]
"""


def cli_inputs(tmp_path: Path) -> list[str]:
    """Command-line input options for a small run: twelve ambushes near Bamako, the small
    gazetteer, as of 2025-11-20, rejects kept in tmp_path."""
    rows = series("A", date(2025, 9, 1), 12, BAMAKO[0] + 0.02, BAMAKO[1])
    return [
        "--incidents", str(write_csv(tmp_path / "acled.csv", rows)),
        "--places", str(small_gazetteer(tmp_path / "places.geojson")),
        "--as-of", "2025-11-20",
        "--rejects", str(tmp_path / "rejects.csv"),
    ]  # fmt: skip
