"""Write up the engine's scores as one typed `Assessment`: the national tracks and bottom lines,
every location, the register of incidents cited, the method and the provenance."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import numpy as np
import polars as pl
from pydantic import TypeAdapter

from ..control import HELD
from ..geo import haversine
from ..ingest.incidents import Incidents
from ..ingest.sources import InputDigest
from ..scoring.rules import condition_words
from ..version import __version__
from .bottom_line import bottom_lines
from .conditions import not_fired_sentence
from .drivers import fired_records
from .locations import location_records, named_rows, outcome_record
from .model import Assessment, Location, National
from .narrative import location_line
from .scores import Scores

TREND_WEEKS = 26  # the weekly series near the capital: a presentation window
WEEKLY = ("violence", "kidnapping", "attacks", "blockade")  # charted when the pack has them
# The engine's own records are validated into models on purpose, not `model_construct`ed:
# pydantic-core builds the 380,000 models of 10k locations in 1.1 s, while model_construct,
# pure Python, took 2.1-2.5 s for the same records (measured, pydantic 2.14).
_LOCATIONS = TypeAdapter(list[Location])


def national(s: Scores) -> dict[str, Any]:
    nat, tr = s.national, s.national_trace
    guidance_ids = {e.id for e in s.entries}
    held = [s.gaz.places[i].name for i, st in sorted(s.statuses.items()) if st.status in HELD]
    worst = int(s.combined.level.max()) if s.n else 1
    cap = s.gaz.capital()
    return {
        "regime_collapse": {
            "level": tr.level,
            "label": s.pack.label(tr.level),
            "score": tr.score,
            "drivers": fired_records(tr.fired, "regime_collapse", guidance_ids),
            "held_centres": held,
            "raids": int(nat.numbers["national.raids"]),
            "capital_fighting_days": int(nat.numbers["national.capital_fighting_days"]),
        },
        "personal_security": {
            "level": worst,
            "label": s.pack.label(worst),
            "highest_at": [
                p.id
                for p, lv in zip(s.gaz.places, s.combined.level.tolist(), strict=True)
                if lv == worst
            ],
        },
        "capital": cap.id if cap else None,
        "capital_roads": [
            p.id for p in s.gaz.places if p.is_route and cap and cap.id in (p.from_, p.to)
        ],
        "weekly": weekly_series(s),
        "features": {k: float(v) for k, v in sorted(nat.numbers.items())},
        "trace": national_trace(s),
    }


def national_trace(s: Scores) -> list[dict[str, Any]]:
    """Every national regime-collapse rule, fired or not, with its conditions and why."""
    tr = s.national_trace
    fired = {f.rule: f for f in tr.fired}
    missed = {n.rule: n for n in tr.not_fired}
    out = []
    for rule in s.pack.regime_collapse.national.rules:
        conds = [condition_words(c) for c in rule.when]
        checks = tr.checks.get(rule.id, [])
        f, n = fired.get(rule.id), missed.get(rule.id)
        why = f.because if f else (not_fired_sentence(n.checks) if n else "")
        out.append({
            "rule": rule.id, "conditions": conds, "checks": [vars(c) for c in checks],
            "fired": f is not None, "points": f.points if f else 0.0, "why": why,
        })  # fmt: skip
    return out


def postures(s: Scores) -> dict[str, Any]:
    m = s.pack.measures
    return {
        str(level): {
            "phase": p.phase,
            "phase_text": m.phases[p.phase].model_dump(),
            "measures": [{"id": k, **m.measures[k].model_dump()} for k in p.measures],
        }
        for level, p in sorted(m.postures.items())
    }


def weekly_series(s: Scores) -> list[dict[str, Any]]:
    """Weekly counts of each charted exposure's incidents within its radius of the capital."""
    cap = s.gaz.capital()
    if cap is None or not s.events.height:
        return []
    ages = s.measured.ages
    dist = haversine(cap.lat, cap.lon, s.events["lat"].to_numpy(), s.events["lon"].to_numpy())
    prec = s.events["precision"].to_numpy()
    week = (ages // 7).astype(np.int64)
    out = []
    for key in WEEKLY:
        exp = s.pack.exposures.get(key)
        if exp is None:
            continue
        hit = np.zeros(s.events.height, dtype=bool)
        for sig, w in exp.signals.items():
            if w > 0:
                hit |= s.signals[sig].to_numpy()
        ok = hit & (dist <= exp.radius_km.point) & (prec <= exp.max_geo_precision.point)
        ok &= (ages >= 0) & (week < TREND_WEEKS)
        counts = np.bincount(week[ok], minlength=TREND_WEEKS)[:TREND_WEEKS]
        out.append({"key": key, "radius_km": exp.radius_km.point, "counts": counts[::-1].tolist()})
    return out


# an `Incident`'s fields and the event columns they are read from
_REGISTER_COLUMNS = {
    "id": "event_id", "date": "date", "event_type": "event_type",
    "sub_event_type": "sub_event_type", "actor1": "actor1", "actor2": "actor2",
    "location": "location", "admin1": "admin1", "lat": "lat", "lon": "lon",
    "geo_precision": "precision", "fatalities": "fatalities", "source": "source", "notes": "notes",
}  # fmt: skip


def register(s: Scores, cited: set[str]) -> list[dict[str, Any]]:
    """Every incident cited anywhere, by id, with the signals it gave. Made column by column,
    each distinct set of signals named once (`named_rows`; about 40,000 incidents at 10k
    places: 0.5 s less than row by row)."""
    mask = s.events.select(pl.col("event_id").is_in(list(cited))).to_series()
    rows = s.events.filter(mask).select(**{k: pl.col(c) for k, c in _REGISTER_COLUMNS.items()})
    columns = [rows[k].to_list() for k in _REGISTER_COLUMNS]
    keys = [*_REGISTER_COLUMNS, "signals"]
    names = list(s.pack.classify.signals)
    flags = s.signals.filter(mask).select(names).to_numpy().astype(bool)
    signals = named_rows(flags if names else np.zeros((rows.height, 0), dtype=bool), names)
    return [dict(zip(keys, r, strict=True)) for r in zip(*columns, signals, strict=True)]


def _cited(nat: dict[str, Any], locations: list[Location]) -> set[str]:
    ids = {i for d in nat["regime_collapse"]["drivers"] for i in d["incidents"]}
    for loc in locations:  # set.update per list, not per id: a million ids at 10k places
        for d in loc.drivers:
            ids.update(d.incidents)
        ids.update([c.id for c in loc.evidence])
        for ep in loc.regime_collapse.episodes:
            ids.update(ep.incidents)
    return ids


def method(s: Scores, inc: Incidents, stale: bool) -> dict[str, Any]:
    ps, fitted, c = s.pack.personal_security, s.pack.model, s.pack.control
    age = (s.as_of - inc.newest).days if inc.newest else None
    return {
        "hazards": {
            name: {
                "description": hz.description,
                "outcome_point": outcome_record(hz, False),
                "outcome_route": outcome_record(hz, True),
                "intercept": fitted.hazards[name].intercept,
                "bands": fitted.hazards[name].bands,
                "climatology": fitted.hazards[name].climatology,
                "metrics": fitted.hazards[name].metrics,
            }
            for name, hz in ps.hazards.items()
        },
        "fitted": fitted.fitted,
        "provenance": s.pack.info.provenance,
        "control": {
            "population_centre_kinds": list(c.population_centres.kinds),
            "centre_radius_km": c.population_centres.radius_km,
            "raid_window_days": c.raid_window_days,
            "lapse_days": c.lapse_days,
            "lookback_days": c.lookback_days,
            "capital_fighting_radius_km": c.capital_fighting.radius_km,
            "capital_fighting_window_days": c.capital_fighting.window_days,
        },
        "staleness_days": s.pack.info.data.staleness_days,
        "data_age_days": age,
        "stale": stale,
        "trend_days": {
            name: {"recent_days": e.trend.recent_days, "baseline_days": e.trend.baseline_days}
            for name, e in s.pack.exposures.items()
        },
    }


def build_assessment(
    s: Scores, inc: Incidents, digests: list[InputDigest], stale: bool, generated_at: str | None
) -> Assessment:
    locations = _LOCATIONS.validate_python(location_records(s))
    for loc in locations:
        loc.bottom_line = location_line(loc)
    nat_rec = national(s)

    nat = National.model_validate(nat_rec)
    is_road = s.route_mask().tolist()
    doc = {
        "as_of": s.as_of,
        "scale": {str(i + 1): label for i, label in enumerate(s.pack.info.levels)},
        "bottom_line": {"personal_security": "", "regime_collapse": ""},  # written below
        "national": nat,
        "locations": locations,
        "guidance": [
            {
                "id": e.id,
                "issuer": e.issuer,
                "issued": e.issued,
                "issued_basis": e.issued_basis,
                "expires": e.expires,
                "level": e.level,
                "action": e.action,
                "reasons": list(e.reasons),
                "in_force": e.in_force(s.as_of),
                "departure": e.action in s.pack.guidance.departure_actions,
                "source": e.source,
                "summary": e.summary,
            }
            for e in s.entries
        ],
        "method": method(s, inc, stale),
        "postures": postures(s),
        "incidents": register(s, _cited(nat_rec, locations)),
        "inputs": {
            "incidents": inc.summary(),
            "guidance_entries": len(s.entries),
            "guidance_in_force": sum(e.in_force(s.as_of) for e in s.entries),
            "places": len(is_road) - sum(is_road),
            "roads": sum(is_road),
        },
        "provenance": {
            "engine_version": __version__,
            "rule_pack": {
                "name": s.pack.info.name,
                "version": s.pack.info.version,
                "digest": s.pack.digest,
            },
            "inputs": [d.as_dict() for d in digests],
            "as_of": s.as_of,
            "generated_at": generated_at or datetime.now(UTC).replace(microsecond=0).isoformat(),
        },
    }
    a = Assessment.model_validate(doc)
    a.bottom_line = bottom_lines(a)  # from the assessment alone, as a report writes it again
    return a
