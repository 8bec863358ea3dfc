"""Each location's record: both tracks side by side, the hazards with their likelihoods and
outcomes, the drivers, the incidents behind them with their distances, trends and control."""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

from ..control import CentreStatus
from ..features.evidence import top_per_location
from ..features.table import RankedEvidence
from ..rulepack.tracks import Hazard
from .drivers import Record, hazard_drivers, regime_drivers, severity_drivers
from .model import Outcome, Trend
from .scores import Scores


def estimative(p: np.ndarray, s: Scores) -> list[str]:
    """The ICD 203 word for each probability: the first band it falls below."""
    words = s.pack.info.likelihood.words
    maxima = np.array([w.max for w in words[:-1]])
    return [words[k].word for k in np.searchsorted(maxima, p, side="right").tolist()]


def outcome_record(hz: Hazard, route: bool) -> Record:
    o = hz.outcome
    return {
        "event_types": o.event_types,
        "sub_event_types": o.sub_event_types,
        "radius_km": o.radius_km.route if route else o.radius_km.point,
        "max_geo_precision": o.max_geo_precision,
        "days": o.days,
    }


def _hazards(s: Scores) -> list[dict[str, Record]]:
    out: list[dict[str, Record]] = [{} for _ in range(s.n)]
    route = s.route_mask().tolist()
    for name, hs in s.hazards.items():
        hz = s.pack.personal_security.hazards[name]
        drivers = hazard_drivers(s, name)
        words = estimative(hs.likelihood, s)
        # one `Outcome` per kind of place, shared: validation keeps a model as it is, and no
        # one changes an assessment's records once made (as the drivers, `drivers.as_models`)
        outcomes = {r: Outcome.model_validate(outcome_record(hz, r)) for r in (False, True)}
        rows = zip(
            hs.log_odds.tolist(),
            hs.likelihood.tolist(),
            hs.evidence_level.tolist(),
            hs.level.tolist(),
            strict=True,
        )
        for i, (z, p, before, after) in enumerate(rows):
            out[i][name] = {
                "score": round(z, 3),
                "level": after,
                "label": s.pack.label(after),
                "likelihood_30d": round(p, 3),
                "estimative": words[i],
                "outcome": outcomes[route[i]],
                "evidence_level": before,
                "guidance_step": _step(s, name, i, before, after),
                "guidance_cited": s.hazards[name].guidance[i],
                "drivers": drivers[i],
            }
    return out


def _step(s: Scores, name: str, i: int, before: int, after: int) -> Record | None:
    citing = s.hazards[name].guidance[i]
    if not citing or after == before:
        return None
    issuers = sorted({s.entry_by_id[g].issuer for g in citing})
    return {
        "from_level": before,
        "from_label": s.pack.label(before),
        "to_level": after,
        "issuers": issuers,
        "guidance": citing,
    }


def _control(st: CentreStatus | None, s: Scores) -> Record:
    if st is None:
        return {"control_status": None, "control_since": None, "episodes": []}
    episodes = [
        {
            "start": ep.start,
            "end": ep.end,
            "last_presence": ep.last_presence,
            "status": ep.status(s.as_of, s.pack.control),
            "incidents": list(ep.ids),
        }
        for ep in reversed(st.episodes)
    ]
    return {"control_status": st.status, "control_since": st.since, "episodes": episodes}


def cited_evidence(s: Scores) -> list[list[Record]]:
    """Per location, the incidents that count most in its hazards' terms, strongest first,
    with their distance and the exposures they count in.

    An incident's strength is its largest contribution to any term. The strongest `max_ids`
    overall are all among each term's own strongest `max_ids`, at the strength of their best
    term (an incident outside its best term's list has that many others at least as strong),
    so they are ranked from those lists alone; each term is then asked whether the few chosen
    incidents count in it, for the full list of exposures."""
    terms = sorted(
        {t.exposure for hz in s.pack.personal_security.hazards.values() for t in hz.terms}
    )
    m = s.measured
    per = [[] for _ in range(s.n)]  # type: list[list[Record]]
    candidates = pl.concat([_ranked_frame(m.strongest[e]) for e in terms] or [_ranked_frame(None)])
    if candidates.is_empty():
        return per
    best = candidates.group_by("loc", "ev").agg(pl.col("c").max())
    top = top_per_location(best, s.pack.info.evidence.max_ids)
    loc, ev = top["loc"].to_numpy(), top["ev"].to_numpy()
    km = np.full(loc.size, np.inf)
    counts = np.zeros((loc.size, len(terms)), dtype=bool)
    road = s.route_mask()[loc]
    for k, e in enumerate(terms):
        counted, at_km = m.counted[e].counting(loc, ev, road)
        counts[:, k] = counted
        km = np.minimum(km, at_km)
    exposures = named_rows(counts, terms)
    ids = s.events["event_id"].to_numpy()[ev].tolist()
    rows = zip(loc.tolist(), ids, km.tolist(), exposures, strict=True)
    for i, event_id, d, xs in rows:
        per[i].append({"id": event_id, "km": round(d, 1), "exposures": xs})
    return per


def named_rows(flags: np.ndarray, names: list[str]) -> list[list[str]]:
    """Per row of a (rows, names) matrix of flags, the names flagged, in order: each distinct
    row (its packed bits the key) named once, its list shared by the rows that have it (the
    records are validated, which copies it). An incident's signals; a cited incident's
    exposures, 300,000 on a national road layer in a few dozen combinations (about 0.05 s
    less than appending them name by name)."""
    if not flags.size:
        return [[] for _ in range(flags.shape[0])]
    packed = np.packbits(flags, axis=1)
    width, raw = packed.shape[1], packed.tobytes()
    memo: dict[bytes, list[str]] = {}
    out = []
    for i in range(flags.shape[0]):
        key = raw[i * width : (i + 1) * width]
        named = memo.get(key)
        if named is None:
            named = memo[key] = [n for n, f in zip(names, flags[i].tolist(), strict=True) if f]
        out.append(named)
    return out


def _ranked_frame(ranked: RankedEvidence | None) -> pl.DataFrame:
    """(loc, ev, c) of each location's strongest events, from their CSR layout."""
    schema = {"loc": pl.Int64, "ev": pl.Int64, "c": pl.Float64}
    if ranked is None:
        return pl.DataFrame(schema=schema)
    loc = np.repeat(np.arange(ranked.starts.size - 1), np.diff(ranked.starts))
    return pl.DataFrame({"loc": loc, "ev": ranked.rows, "c": ranked.strength}, schema=schema)


def _trends(s: Scores) -> list[dict[str, Trend]]:
    """Per location, each exposure's recent and baseline counts (where either is non-zero:
    those are found over the columns, most locations have few). Locations with the same
    counts share one `Trend` (a national road layer's 215,000 trends have 36,600 distinct
    values: 0.4 s less making and validating them)."""
    out: list[dict[str, Trend]] = [{} for _ in range(s.n)]
    for name, exp in s.pack.exposures.items():
        made: dict[tuple[int, int, bool], Trend] = {}
        recent, baseline, new = (
            s.table.numbers[f"{k}.{name}"] for k in ("recent", "baseline", "new")
        )
        at = np.flatnonzero((recent != 0) | (baseline != 0))
        rows = zip(
            at.tolist(),
            recent[at].astype(np.int64).tolist(),
            baseline[at].astype(np.int64).tolist(),
            (new[at] != 0).tolist(),
            strict=True,
        )
        for i, r, b, is_new in rows:
            trend = made.get((r, b, is_new))
            if trend is None:
                trend = made[r, b, is_new] = Trend(
                    recent=r,
                    baseline=b,
                    recent_days=exp.trend.recent_days,
                    baseline_days=exp.trend.baseline_days,
                    new=is_new,
                )
            out[i][name] = trend
    return out


def location_records(s: Scores) -> list[Record]:
    """Every location's record, in gazetteer order."""
    hazards = _hazards(s)
    severity = severity_drivers(s)
    regime = regime_drivers(s)
    evidence = cited_evidence(s)
    trends = _trends(s)
    ps_levels, ps_scores = s.combined.level.tolist(), s.combined.score.tolist()
    rc_levels, rc_scores = s.regime.level.tolist(), s.regime.score.tolist()
    conf = s.confidence
    method = "worst hazard; High becomes Extreme where an attack was severe"
    out: list[Record] = []
    for i, place in enumerate(s.gaz.places):
        ps_level, rc_level = int(ps_levels[i]), int(rc_levels[i])
        ps_drivers = [d for h in hazards[i].values() for d in h["drivers"]] + severity[i]
        ps_drivers.sort(key=lambda d: (d.kind == "guidance", -d.points, d.rule))
        rec: dict[str, Any] = {
            "id": place.id,
            "name": place.name,
            "kind": place.kind,
            "admin1": place.admin1,
            "road": place.road,
            "lat": place.lat,
            "lon": place.lon,
            "line": [list(c) for c in place.coords] if place.is_route else None,
            "personal_security": {
                "level": ps_level,
                "label": s.pack.label(ps_level),
                "score": round(float(ps_scores[i]), 3),
                "method": method,
                "decided_by": s.combined.decided_by[i],
                "hazards": hazards[i],
            },
            "regime_collapse": {
                "level": rc_level,
                "label": s.pack.label(rc_level),
                "score": float(rc_scores[i]),
                **_control(s.statuses.get(i), s),
                "drivers": regime[i],
            },
            "confidence": conf.word[i],
            "confidence_basis": {
                "events": conf.events[i],
                "sources": conf.sources[i],
                "latest_days": conf.latest_days[i],
                "precise_share": conf.precise_share[i],
            },
            "guidance_in_force": s.measured.in_force[i],
            "drivers": ps_drivers + regime[i],
            "evidence": evidence[i],
            "trends": trends[i],
        }
        rec["bottom_line"] = ""  # written from the validated record (narrative.location_line)
        out.append(rec)
    return out
