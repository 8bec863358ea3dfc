"""The library entry point: `assess(...)` runs the one-way flow and returns a typed result.

read + validate -> classify -> features -> control status -> score -> assessment. The CLI, the
reports, trip checks, scheduled updates, the rule-pack tests, backtests and calibration all call
this; none of them re-implements a step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from .assessment.build import build_assessment
from .assessment.model import Assessment
from .assessment.scores import Scores
from .classify import classify
from .control import add_control_features, centre_statuses, national_features
from .errors import InputError, Problem
from .features.build import measure
from .features.confidence import confidence
from .features.table import Features, FeatureTable
from .ingest.guidance import GuidanceEntry, check_scopes, read_guidance
from .ingest.incidents import Incidents, normalise, read_incidents
from .ingest.places import Gazetteer, read_places
from .ingest.sources import InputDigest
from .objects import gc_paused
from .resources import PACKAGE_DIR
from .rulepack import RulePack, load_pack

if TYPE_CHECKING:
    from .roads.network import RoadNetwork
from .scoring.hazards import combine, score_hazards
from .scoring.rules import Trace, score_table
from .text import plural

DATA_DIR = PACKAGE_DIR / "data"
# what `assess(progress=...)` is told, in order
STAGES = (
    "reading incidents",
    "classifying events",
    "measuring exposure",
    "control of towns",
    "scoring locations",
)


def default_places() -> Path:
    return DATA_DIR / "places.geojson"


class NoUsableIncidents(InputError):
    """Every incident row was rejected (or there were none): nothing to assess. Carries the
    read result so that the caller can still write the rejects file."""

    def __init__(self, incidents: Incidents, as_of: date | None = None) -> None:
        self.incidents = incidents
        files = ", ".join(d.path for d in incidents.inputs) or "the incident inputs"
        parts = []
        if after := incidents.after_as_of:
            parts.append(f"{after} {plural(after, 'event is', 'events are')} dated after {as_of}")
        if reasons := "; ".join(f"{n} x {r}" for r, n in incidents.reject_reasons().items()):
            n = incidents.rejects.height
            parts.append(f"{n} {plural(n, 'row was', 'rows were')} rejected ({reasons})")
        why = " and ".join(parts) if parts else "the files hold no event rows"
        super().__init__(Problem(files, f"no usable incidents: {why}"))


class StaleData(InputError):
    """The newest usable event is too old for `--as-of`: no all-clear from old data."""

    # what the commands that take --allow-stale advise; the desk says its own (`remedy`)
    REMEDY = (
        "refresh the export or give an earlier --as-of (or --allow-stale to assess it anyway, "
        "marked STALE DATA)"
    )

    def __init__(self, incidents: Incidents, as_of: date, limit: int, remedy: str = REMEDY) -> None:
        self.incidents, self.as_of, self.limit = incidents, as_of, limit
        if incidents.newest is None:
            msg = (
                f"no usable incident on or before {as_of} within the rule pack's look-back: "
                "refresh the export or give an earlier --as-of"
            )
        else:
            age = (as_of - incidents.newest).days
            msg = (
                f"the newest incident is from {incidents.newest}, {age:,} days before {as_of} "
                f"(the rule pack allows {limit}): {remedy}"
            )
        super().__init__(Problem("", msg))

    def with_remedy(self, remedy: str) -> StaleData:
        """The same refusal, advising what the caller can do instead."""
        return StaleData(self.incidents, self.as_of, self.limit, remedy)


@dataclass(frozen=True)
class LocationTrace:
    """The engine's decision at one location beyond what the assessment publishes: every
    feature the rules read there, and the regime-collapse rules that fired and did not, each
    condition with its value (OPA's decision trace; `explain` prints it)."""

    index: int  # the location's place in `assessment.locations`
    features: dict[str, float]
    regime: Trace
    # km to each incident behind the location's drivers that its evidence does not cite (the
    # evidence cites the strongest `max_ids` of all terms, with theirs; a driver lists its own)
    driver_km: dict[str, float]


@dataclass
class Run:
    """The assessment plus the inputs behind it (for the rejects file, trip routing and
    library users)."""

    assessment: Assessment
    pack: RulePack
    gazetteer: Gazetteer
    incidents: Incidents
    scores: Scores
    network: RoadNetwork | None = None  # the road layer's network, when one was given

    def trace(self, place_id: str) -> LocationTrace:
        """The decision trace at one place or road (raises KeyError for an unknown id)."""
        i = self.gazetteer.index[place_id]
        s = self.scores
        return LocationTrace(i, s.table[i].numbers, s.regime.trace(i), self._driver_km(i))

    def _driver_km(self, i: int) -> dict[str, float]:
        """`LocationTrace.driver_km`: the location's distance to each incident (great circle to
        a place, the nearest point of the line for a road, as the engine measures them),
        rounded as the evidence's."""
        loc = self.assessment.locations[i]
        ids = {x for d in loc.drivers for x in d.incidents} - {c.id for c in loc.evidence}
        rows = self.scores.events.filter(pl.col("event_id").is_in(sorted(ids)))
        return {
            eid: round(float(self.gazetteer.km_from(lat, lon)[i]), 1)
            for eid, lat, lon in rows.select("event_id", "lat", "lon").iter_rows()
        }


@cache
def _mali_regions() -> frozenset[str]:
    """Mali's regions from the shipped district boundaries (OCHA), read once per process."""
    import json

    districts = json.loads((DATA_DIR / "geometry" / "mali_districts.geojson").read_text("utf-8"))
    return frozenset(f["properties"]["adm1"] for f in districts["features"])


def known_admin1(gaz: Gazetteer) -> dict[str, set[str]]:
    """Admin1 names a guidance scope may use: the places' own, and Mali's regions."""
    known = gaz.admin1_names()
    known.setdefault("ML", set()).update(_mali_regions())
    return known


def _quantile(column: pl.Series, q: float) -> float:
    value = column.quantile(q)
    return float(value) if value is not None else float("nan")


def check_places_against_events(gaz: Gazetteer, inc: Incidents) -> None:
    """Places whose coordinates are mostly outside the incidents' area but inside it when
    swapped were written [lat, lon] instead of GeoJSON's [lon, lat]: refuse, do not assess
    Bamako in Angola."""
    pts = [p for p in gaz.places if not p.is_route]
    ev = inc.frame
    if len(pts) < 3 or ev.height < 20:
        return
    a0, a1 = _quantile(ev["lat"], 0.01), _quantile(ev["lat"], 0.99)
    o0, o1 = _quantile(ev["lon"], 0.01), _quantile(ev["lon"], 0.99)
    inside = sum(a0 - 2 <= p.lat <= a1 + 2 and o0 - 2 <= p.lon <= o1 + 2 for p in pts)
    swapped = sum(a0 - 2 <= p.lon <= a1 + 2 and o0 - 2 <= p.lat <= o1 + 2 for p in pts)
    if inside < 0.2 * len(pts) and swapped > 0.8 * len(pts):
        msg = (
            f"{len(pts) - inside} of {len(pts)} places lie outside the incidents' area but inside "
            "it with latitude and longitude swapped: GeoJSON positions are [longitude, latitude]"
        )
        raise InputError(Problem(gaz.digest.path, msg))


def _is_stale(inc: Incidents, as_of: date, pack: RulePack) -> bool:
    if inc.newest is None or inc.frame.is_empty():
        return True
    return (as_of - inc.newest).days > pack.info.data.staleness_days


def score_all(
    pack: RulePack,
    gaz: Gazetteer,
    inc: Incidents,
    entries: list[GuidanceEntry],
    as_of: date,
    step: Callable[[str], None],
) -> Scores:
    """Classify, measure, find who holds the towns and score both tracks at `as_of`."""
    events = inc.frame
    step(STAGES[1])
    signals = classify(events, pack.classify.rules, list(pack.classify.signals))
    step(STAGES[2])
    m = measure(pack, gaz, events, signals, entries, as_of)
    step(STAGES[3])
    statuses = centre_statuses(gaz, events, signals, m.ages, pack.control, as_of)
    add_control_features(m.table, gaz, statuses, pack.control, as_of)
    nat = national_features(gaz, statuses, events, signals, m.ages, pack.control, as_of)
    m.table.add(nat)
    step(STAGES[4])
    regime_table = m.table.without_guidance()
    rc = pack.regime_collapse
    regime = score_table(rc.place.rules, regime_table, rc.place.thresholds)
    cap = gaz.capital()
    if cap is not None:
        nat_trace = score_table(rc.national.rules, regime_table, rc.national.thresholds).trace(
            gaz.index[cap.id]
        )
    else:
        nat_trace = _national_alone(pack, nat)
    hazards = score_hazards(pack, m.table, entries, m.in_force)
    combined = combine(pack, hazards, m.table)
    conf = confidence(pack.confidence, m.counted, events, m.ages, len(gaz.places))
    return Scores(
        pack,
        gaz,
        events,
        signals,
        m,
        statuses,
        hazards,
        combined,
        regime,
        nat,
        nat_trace,
        conf,
        entries,
        as_of,
    )


def _national_alone(pack: RulePack, nat: Features) -> Trace:
    """The national track without a capital in the gazetteer: a one-row table of its features."""
    table = FeatureTable(1)
    table.add(nat)
    rc = pack.regime_collapse.national
    return score_table(rc.rules, table.without_guidance(), rc.thresholds).trace(0)


def assess(
    incidents: list[Path] | tuple[Path, ...] = (),
    guidance: list[Path] | tuple[Path, ...] = (),
    places: Path | None = None,
    rules: Path | None = None,
    as_of: date | None = None,
    *,
    incident_frame: pl.DataFrame | None = None,
    incident_notes: list[str] | tuple[str, ...] = (),  # with a frame: what reading it noted
    guidance_entries: list[GuidanceEntry] | None = None,
    gazetteer: Gazetteer | None = None,
    pack: RulePack | None = None,
    generated_at: str | None = None,
    allow_stale: bool = False,
    progress: Callable[[str], None] | None = None,
    roads: Path | None = None,
    road_cache: Path | None = None,
    mix_sources: bool = False,
) -> Run:
    """Assess places, roads and the country at `as_of` (default: the latest event's date).

    Paths or ready objects (a raw incident frame in ACLED's columns, guidance entries, a
    gazetteer, a pack) may be given; the flow is the same. Raises `StaleData` when the newest
    usable event is older than the pack's staleness limit, unless `allow_stale`. `roads` is
    a road layer (OpenStreetMap or HDX GeoJSON): its stretches are rated as roads and the
    run's `network` routes trips over it (built once per layer, places and settings, and kept
    in `road_cache`). ACLED and UCDP GED files together are refused unless `mix_sources`
    (they double-count events)."""
    step = progress or (lambda stage: None)
    step(STAGES[0])
    pack = pack or load_pack(rules)
    gaz, network = _places(gazetteer or read_places(places or default_places()), pack, roads,
                           road_cache)  # fmt: skip
    if incident_frame is not None:
        inc = normalise(incident_frame, as_of, pack.lookback_days, area=gaz.extent())
        inc.notes.extend(incident_notes)  # what reading the frame's files noted (the desk's)
    else:
        inc = read_incidents(list(incidents), pack.formats.acled_legacy, as_of,
                             pack.lookback_days, gaz.extent(), ged=pack.formats.ucdp_ged,
                             mix_sources=mix_sources)  # fmt: skip
    as_of = _dated(inc, as_of, bool(incidents))
    stale = _is_stale(inc, as_of, pack)
    if stale and not allow_stale:
        raise StaleData(inc, as_of, pack.info.data.staleness_days)
    check_places_against_events(gaz, inc)
    entries, g_digests = _guidance(guidance_entries, guidance, gaz)
    with gc_paused():  # millions of small objects, none of them garbage (see objects.py)
        scores = score_all(pack, gaz, inc, entries, as_of, step)
    digests = [*inc.inputs, *g_digests, gaz.digest]
    if network is not None:
        digests.append(InputDigest("roads", network.source, network.layer_sha256, network.features))
    with gc_paused(keep=True):  # the run outlives this: kept where a caller thaws it later
        doc = build_assessment(scores, inc, digests, stale, generated_at)
    if network is not None:  # what was left out of the layer, and the places not on it
        doc.inputs["road_layer"] = road_layer_inputs(network)
    return Run(doc, pack, gaz, inc, scores, network)


def road_layer_inputs(network: RoadNetwork) -> dict[str, object]:
    """The assessment's `inputs.road_layer`, checked against its model."""
    from .assessment.inputs import RoadLayerInputs

    return RoadLayerInputs.model_validate(network.inputs_summary()).model_dump(mode="json")


def _places(
    gaz: Gazetteer, pack: RulePack, roads: Path | None, road_cache: Path | None
) -> tuple[Gazetteer, RoadNetwork | None]:
    """The places assessed: the gazetteer's, and a road layer's stretches when one is given
    (its network built once per layer, places and settings, and kept in `road_cache`)."""
    if roads is None:
        return gaz, None
    from .roads import load_road_network, with_stretches

    network = load_road_network(roads, gaz, pack.roads, road_cache)
    return with_stretches(gaz, network), network


def _guidance(
    entries: list[GuidanceEntry] | None, paths: list[Path] | tuple[Path, ...], gaz: Gazetteer
) -> tuple[list[GuidanceEntry], list[InputDigest]]:
    """The guidance entries given, or read from `paths`, with the files' digests; a scope
    naming a region the places do not have is an input error."""
    found, digests = (
        (entries, [])
        if entries is not None
        else (read_guidance(list(paths)) if paths else ([], []))
    )
    if any(e.scope is not None and e.scope.admin1 for e in found):
        check_scopes(found, known_admin1(gaz))
    return found, digests


def _dated(inc: Incidents, as_of: date | None, files_given: bool) -> date:
    """The as-of date: the one given, else the latest usable event's (never today). Files that
    held no usable event are an input error, not an empty advisory."""
    if inc.frame.is_empty() and not inc.before_window and (files_given or inc.rows_read):
        raise NoUsableIncidents(inc, as_of)
    if as_of is not None:
        return as_of
    if inc.newest is None:
        raise InputError(Problem("--as-of", "no incidents to date the assessment: give --as-of"))
    return inc.newest


__all__ = [
    "DATA_DIR",
    "NoUsableIncidents",
    "Run",
    "StaleData",
    "assess",
    "default_places",
    "read_incidents",
]
