"""Every location scored at once, and its record made as pydantic objects from the scores.

Reports, `explain`, trip checks and the desk read these `Location` objects; `assess -f json`
writes the same records from the scores' columns instead (`location_json`).
"""

from __future__ import annotations

import gc
import operator
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from functools import reduce

import numpy as np
import polars as pl

from .assessment import (
    ConfidenceBasis,
    Driver,
    Hazard,
    Location,
    PersonalSecurity,
    RegimeCollapse,
)
from .control import CentreStatus
from .features import FeatureTable, likelihood
from .ingest.places import Gazetteer
from .narrative import location_line
from .rulepack import RulePack
from .scoring import FiredRows, TableScore, score_table

PS, RC = "personal_security", "regime_collapse"


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector paused while records are built.

    Building 10,000 locations makes about a million small objects, none of them garbage; each
    pass of the collector walks them all again, which more than doubled the time (measured:
    1.7-3.3 s against 0.77 s for 10,000 locations). Reference counting still frees memory."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@dataclass
class ConfidenceColumns:
    """A location's confidence word and its basis, as columns (see `engine._confidence`)."""

    word: list[str]
    events: list[int]
    sources: list[int]
    latest_days: list[int | None]
    precise_share: list[float]


@dataclass
class Scoring:
    """Both tracks scored at every location, before any record is written."""

    hazards: dict[str, TableScore]
    regime: TableScore
    ps_level: list[int]
    decided_by: list[list[str]]
    method: str
    likelihood: dict[str, list[float]]  # rounded to 3 places
    estimative: dict[str, list[str]]


@dataclass
class LocationRecords:
    """What the locations' records are made of: objects (`location_objects`) or JSON lines
    (`location_json.encoded_locations`) are made from it when asked for.

    The confidence comes as a future: it is NumPy and polars work, done in a thread of its own
    while the scores, the national lines and the drivers are made (0.1 s less at 10,000
    locations, medians of 7 runs; the result does not depend on the timing)."""

    pack: RulePack
    gaz: Gazetteer
    table: FeatureTable
    regime: FeatureTable
    scoring: Scoring
    statuses: dict[int, CentreStatus]
    confidence: Future[ConfidenceColumns]
    in_force: list[list[str]]
    guidance_ids: set[str]
    event_ids: pl.Series  # the assessed events' ids, which ranked evidence indexes by row


def _estimatives(ps: list[float], pack: RulePack) -> list[str]:
    """The estimative word for each probability: the first band it falls in (the last band
    takes everything from its lower bound up to 1)."""
    words = pack.info.likelihood.words
    band = np.full(len(ps), len(words) - 1)
    p = np.array(ps, dtype=np.float64)
    for k in range(len(words) - 1, -1, -1):  # last to first, so the first band that fits wins
        band[(p < words[k].max) | (words[k].max >= 1)] = k
    return [words[k].word for k in band.tolist()]


def score_locations(pack: RulePack, table: FeatureTable, regime: FeatureTable) -> Scoring:
    """Score every hazard and the regime-collapse track at every location at once."""
    ps_cfg, rc_cfg = pack.personal_security, pack.regime_collapse
    horizon = pack.info.likelihood.horizon_days
    hz = {
        h: score_table(ps_cfg.rules, table, cfg.thresholds, hazard=h)
        for h, cfg in ps_cfg.hazards.items()
    }
    rc = score_table(rc_cfg.place.rules, regime, rc_cfg.place.thresholds)
    levels = np.stack([sc.level for sc in hz.values()])
    top = levels.max(axis=0)
    ps_level = top.copy()
    esc = ps_cfg.combine.escalate_when_all_at_least
    if esc is not None:
        raised = np.minimum(top + 1, len(pack.info.levels))
        ps_level = np.where((levels >= esc).all(axis=0), raised, top)
    method = "max of hazard levels" + (
        f", +1 when every hazard is at least {pack.label(esc)}" if esc else ""
    )
    names = list(hz)
    decided = [sorted(h for h, lv in zip(names, row, strict=True) if lv == t) for row, t in
               zip(levels.T.tolist(), top.tolist(), strict=True)]  # fmt: skip
    chance, words = {}, {}
    for h in names:
        cfg = ps_cfg.hazards[h]
        half_life = pack.exposures[cfg.likelihood_exposure].half_life_days
        values = table.column(f"exposure.{cfg.likelihood_exposure}").tolist()
        p = [likelihood(v, half_life, horizon) for v in values]
        chance[h] = [round(x, 3) for x in p]
        words[h] = _estimatives(p, pack)
    return Scoring(hz, rc, ps_level.tolist(), decided, method, chance, words)


# --- as objects ---------------------------------------------------------------------------


def drivers_of(rows: FiredRows, track: str, guidance_ids: set[str]) -> list[Driver]:
    """A driver for each row, in row order; evidence ids that name guidance go apart."""
    out = []
    for rule, hazard, points, decisive, because, evidence in zip(
        rows.rule, rows.hazard, rows.points, rows.decisive, rows.because, rows.evidence,
        strict=True,
    ):  # fmt: skip
        if guidance_ids.isdisjoint(evidence):
            incidents, guidance = evidence, []
        else:
            incidents = [e for e in evidence if e not in guidance_ids]
            guidance = [e for e in evidence if e in guidance_ids]
        out.append(
            Driver.trusted(
                rule=rule,
                track=track,  # type: ignore[arg-type]
                hazard=hazard,
                points=points,
                decisive=decisive,
                because=because,
                incidents=incidents,
                guidance=guidance,
            )
        )
    return out


def _per_location(rows: FiredRows, drivers: list[Driver], n_loc: int) -> list[list[Driver]]:
    """Each location's drivers, strongest first (the order `score` gives)."""
    order = rows.strongest_first()
    ranked = [drivers[j] for j in order.tolist()]
    bounds = np.searchsorted(rows.loc[order], np.arange(n_loc + 1)).tolist()
    return [ranked[bounds[i] : bounds[i + 1]] for i in range(n_loc)]


def control_status(statuses: dict[int, CentreStatus], n_loc: int) -> list[str | None]:
    out: list[str | None] = [None] * n_loc
    for i, st in statuses.items():
        out[i] = st.status
    return out


def location_objects(rec: LocationRecords) -> list[Location]:
    """Each location's record with its drivers. Drivers are made rule by rule for every
    location where the rule fired, then handed out in the order `score` lists them."""
    with gc_paused():
        return _location_objects(rec)


def _location_objects(rec: LocationRecords) -> list[Location]:
    pack, gaz, table, regime, sc = rec.pack, rec.gaz, rec.table, rec.regime, rec.scoring
    statuses, conf, in_force, guidance_ids = (
        rec.statuses, rec.confidence.result(), rec.in_force, rec.guidance_ids,
    )  # fmt: skip
    n_loc = len(gaz.places)
    labels = {k: pack.label(k) for k in range(1, len(pack.info.levels) + 1)}
    hz_rows = {h: s.fired_rows(table) for h, s in sc.hazards.items()}
    hz_fired = {h: drivers_of(r, PS, guidance_ids) for h, r in hz_rows.items()}
    all_rows = reduce(operator.add, hz_rows.values())
    ps_drivers = _per_location(all_rows, [d for ds in hz_fired.values() for d in ds], n_loc)
    rc_rows = sc.regime.fired_rows(regime)
    rc_drivers = _per_location(rc_rows, drivers_of(rc_rows, RC, guidance_ids), n_loc)
    names = list(sc.hazards)
    hazard_columns = [
        zip(
            s.score.tolist(),
            s.level.tolist(),
            sc.likelihood[h],
            sc.estimative[h],
            _per_location(hz_rows[h], hz_fired[h], n_loc),
            strict=True,
        )
        for h, s in sc.hazards.items()
    ]
    bases = [
        ConfidenceBasis.trusted(events=n, sources=k, latest_days=d, precise_share=x)
        for n, k, d, x in zip(
            conf.events, conf.sources, conf.latest_days, conf.precise_share, strict=True
        )
    ]
    locations: list[Location] = []
    rows = zip(
        gaz.places, zip(*hazard_columns, strict=True), sc.ps_level, sc.decided_by,
        sc.regime.level.tolist(), sc.regime.score.tolist(), control_status(statuses, n_loc),
        conf.word, bases, in_force, ps_drivers, rc_drivers,
        strict=True,
    )  # fmt: skip
    for (
        place,
        hz_cols,
        ps_l,
        decided_by,
        rc_l,
        rc_s,
        status,
        word,
        basis,
        force,
        ps_d,
        rc_d,
    ) in rows:
        hazards = {
            h: Hazard.trusted(
                score=h_score,
                level=h_level,
                label=labels[h_level],
                likelihood_30d=p,
                estimative=est,
                drivers=drivers,
            )
            for h, (h_score, h_level, p, est, drivers) in zip(names, hz_cols, strict=True)
        }
        loc = Location.trusted(
            id=place.id,
            name=place.name,
            kind=place.kind,
            admin1=place.admin1,
            road=place.road,
            personal_security=PersonalSecurity.trusted(
                level=ps_l,
                label=labels[ps_l],
                method=sc.method,
                decided_by=decided_by,
                hazards=hazards,
            ),
            regime_collapse=RegimeCollapse.trusted(
                level=rc_l,
                label=labels[rc_l],
                score=rc_s,
                control_status=status,
                drivers=rc_d,
            ),
            confidence=word,
            confidence_basis=basis,
            guidance_in_force=force,
            drivers=ps_d + rc_d,
            bottom_line="",
        )
        loc.bottom_line = location_line(loc)
        locations.append(loc)
    return locations
