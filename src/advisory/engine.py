"""The library entry point: `assess(...)` runs the one-way flow and returns a typed result.

read + validate -> classify -> features -> control status -> score -> assessment. The CLI, the
reports, trip checks and scheduled updates all call this; none of them re-implements a step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl

from . import __version__
from .assessment import (
    Assessment,
    BottomLine,
    ConfidenceBasis,
    Driver,
    GuidanceSummary,
    Hazard,
    Location,
    National,
    NationalPersonal,
    NationalRegime,
    PersonalSecurity,
    Provenance,
    RegimeCollapse,
    RulePackInfo,
)
from .classify import classify
from .control import CentreStatus, add_control_features, centre_statuses, national_features
from .errors import InputError, Problem
from .featurenames import is_guidance
from .features import ExposurePairs, Features, build_features, guidance_in_force, likelihood
from .ingest.acled import Incidents, normalise, read_incidents
from .ingest.guidance import GuidanceEntry, read_guidance
from .ingest.places import Gazetteer, read_places
from .narrative import (
    location_line,
    personal_security_line,
    regime_collapse_line,
    trend_sentence,
)
from .rulepack import RulePack, load_pack
from .scoring import Fired, Scored, score

DATA_DIR = Path(__file__).resolve().parent / "data"


def default_places() -> Path:
    return DATA_DIR / "places.geojson"


class NoUsableIncidents(InputError):
    """Every incident row was rejected (or there were none): nothing to assess.

    Carries the read result so that the caller can still write the rejects file."""

    def __init__(self, incidents: Incidents, as_of: date | None = None) -> None:
        self.incidents = incidents
        files = ", ".join(d.path for d in incidents.inputs) or "the incident inputs"
        parts = []
        if incidents.after_as_of:
            parts.append(f"{incidents.after_as_of} event(s) are dated after {as_of}")
        if reasons := "; ".join(f"{n} x {r}" for r, n in incidents.reject_reasons().items()):
            parts.append(f"{incidents.rejects.height} row(s) were rejected ({reasons})")
        why = " and ".join(parts) if parts else "the files hold no event rows"
        super().__init__(Problem(files, f"no usable incidents: {why}"))


@dataclass
class LocationTrace:
    hazards: dict[str, Scored]
    regime: Scored


@dataclass
class Run:
    """The assessment plus everything behind it, for `explain` and the renderers."""

    assessment: Assessment
    pack: RulePack
    gazetteer: Gazetteer
    incidents: Incidents
    signals: pl.DataFrame
    features: list[Features]
    national: Features
    traces: list[LocationTrace]
    national_trace: Scored
    pairs: dict[str, ExposurePairs]
    statuses: dict[int, CentreStatus]
    guidance: list[GuidanceEntry]


def _estimative(p: float, pack: RulePack) -> str:
    for band in pack.info.likelihood.words:
        if p < band.max or band.max >= 1:
            return band.word
    return pack.info.likelihood.words[-1].word


def _drivers(fired: list[Fired], track: str, guidance_ids: set[str]) -> list[Driver]:
    return [
        Driver(
            rule=f.rule,
            track=track,  # type: ignore[arg-type]
            hazard=f.hazard,
            points=f.points,
            decisive=f.decisive,
            because=f.because,
            incidents=[e for e in f.evidence if e not in guidance_ids],
            guidance=[e for e in f.evidence if e in guidance_ids],
        )
        for f in fired
    ]


def _confidence(
    pack: RulePack, pairs: dict[str, ExposurePairs], events: pl.DataFrame, n_loc: int
) -> list[tuple[str, ConfidenceBasis]]:
    """Evidence volume, recency, precision and independent sources, per location."""
    frames = [
        pairs[e].frame.filter(pl.col("contrib") > 0).select("loc", "ev", "age")
        for e in pack.confidence.exposures
    ]
    both = pl.concat(frames).unique(["loc", "ev"]) if frames else pl.DataFrame()
    ev_attr = events.select(
        pl.int_range(pl.len(), dtype=pl.Int64).alias("ev"),
        (pl.col("precision") <= 2).alias("precise"),
        pl.col("source"),
    )
    stats: dict[int, ConfidenceBasis] = {}
    if both.height:
        joined = both.join(ev_attr, on="ev", how="left")
        srcs = (
            joined.select("loc", pl.col("source").str.split(";"))
            .explode("source")
            .with_columns(pl.col("source").str.strip_chars().str.to_lowercase())
            .filter(pl.col("source") != "")
            .group_by("loc")
            .agg(pl.col("source").n_unique().alias("sources"))
        )
        agg = (
            joined.group_by("loc")
            .agg(
                pl.len().alias("events"),
                pl.col("age").min().alias("latest"),
                pl.col("precise").mean().alias("share"),
            )
            .join(srcs, on="loc", how="left")
        )
        for row in agg.iter_rows(named=True):
            stats[row["loc"]] = ConfidenceBasis(
                events=row["events"],
                sources=row["sources"] or 0,
                latest_days=int(row["latest"]),
                precise_share=round(float(row["share"]), 3),
            )
    out = []
    empty = ConfidenceBasis(events=0, sources=0, latest_days=None, precise_share=0.0)
    for i in range(n_loc):
        b = stats.get(i, empty)
        word = "low"
        for name in ("high", "moderate"):
            c = getattr(pack.confidence, name)
            if (
                b.events >= c.min_events
                and b.sources >= c.min_sources
                and b.latest_days is not None
                and b.latest_days <= c.max_latest_days
                and b.precise_share >= c.min_precise_share
            ):
                word = name
                break
        out.append((word, b))
    return out


def assess(
    incidents: list[Path] | tuple[Path, ...] = (),
    guidance: list[Path] | tuple[Path, ...] = (),
    places: Path | None = None,
    rules: Path | None = None,
    as_of: date | None = None,
    *,
    incident_frame: pl.DataFrame | None = None,
    guidance_entries: list[GuidanceEntry] | None = None,
    gazetteer: Gazetteer | None = None,
    pack: RulePack | None = None,
    generated_at: str | None = None,
) -> Run:
    """Assess places, roads and the country. Paths or ready objects (for tests and rule-pack
    test cases) may be given; the flow is the same."""
    pack = pack or load_pack(rules)
    gaz = gazetteer or read_places(places or default_places())
    if incident_frame is not None:
        inc = normalise(incident_frame, as_of, gaz.extent())
    else:
        inc = read_incidents(list(incidents), as_of, gaz.extent())
    if (incidents or inc.rows_read) and inc.frame.is_empty():
        raise NoUsableIncidents(inc, as_of)
    if as_of is None:
        if inc.frame.is_empty():
            msg = "no incidents to date the assessment: give --as-of"
            raise InputError(Problem("--as-of", msg))
        as_of = inc.frame["date"].max()  # deterministic default: the latest event, not today
    if guidance_entries is not None:
        entries, g_digests = guidance_entries, []
    else:
        entries, g_digests = read_guidance(list(guidance)) if guidance else ([], [])

    events = inc.frame
    signals = classify(events, pack.classify.rules, list(pack.classify.signals))
    feats, pairs, ages = build_features(pack, gaz, events, signals, entries, as_of)
    statuses = centre_statuses(gaz, events, signals, ages, pack.control, as_of)
    add_control_features(feats, gaz, statuses, pack.control, as_of)
    nat = national_features(gaz, statuses, events, signals, ages, pack.control, as_of)

    cap = gaz.capital()
    cap_ft = feats[gaz.index[cap.id]] if cap else Features()

    def regime_view(ft: Features) -> Features:
        # Engine invariant: guidance never reaches the regime-collapse track.
        nums = {k: v for k, v in ft.numbers.items() if not is_guidance(k)}
        nums.update(nat.numbers)
        ev = {k: v for k, v in ft.evidence.items() if not is_guidance(k)}
        ev.update(nat.evidence)
        return Features(nums, {}, ev)

    guidance_ids = {e.id for e in entries}
    ps_cfg, rc_cfg = pack.personal_security, pack.regime_collapse
    nat_trace = score(rc_cfg.national.rules, regime_view(cap_ft), rc_cfg.national.thresholds)
    confidence = _confidence(pack, pairs, events, len(gaz.places))
    horizon = pack.info.likelihood.horizon_days

    locations: list[Location] = []
    traces: list[LocationTrace] = []
    for i, (place, ft) in enumerate(zip(gaz.places, feats, strict=True)):
        hz_scored = {
            h: score(ps_cfg.rules, ft, cfg.thresholds, hazard=h)
            for h, cfg in ps_cfg.hazards.items()
        }
        hazards = {}
        for h, sc in hz_scored.items():
            exp_name = ps_cfg.hazards[h].likelihood_exposure
            p = likelihood(
                ft.numbers[f"exposure.{exp_name}"], pack.exposures[exp_name].half_life_days, horizon
            )
            hazards[h] = Hazard(
                score=sc.score,
                level=sc.level,
                label=pack.label(sc.level),
                likelihood_30d=round(p, 3),
                estimative=_estimative(p, pack),
                drivers=_drivers(sc.fired, "personal_security", guidance_ids),
            )
        top = max(sc.level for sc in hz_scored.values())
        ps_level = top
        esc = ps_cfg.combine.escalate_when_all_at_least
        if esc is not None and all(sc.level >= esc for sc in hz_scored.values()):
            ps_level = min(top + 1, len(pack.info.levels))
        decided_by = sorted(h for h, sc in hz_scored.items() if sc.level == top)
        method = "max of hazard levels" + (
            f", +1 when every hazard is at least {pack.label(esc)}" if esc else ""
        )
        rc_sc = score(rc_cfg.place.rules, regime_view(ft), rc_cfg.place.thresholds)
        st = statuses.get(i)
        ps_drivers = sorted(
            (d for hz in hazards.values() for d in hz.drivers), key=lambda d: (-d.points, d.rule)
        )
        rc_drivers = _drivers(rc_sc.fired, "regime_collapse", guidance_ids)
        conf_word, basis = confidence[i]
        loc = Location(
            id=place.id,
            name=place.name,
            kind=place.kind,
            admin1=place.admin1,
            road=place.road,
            personal_security=PersonalSecurity(
                level=ps_level,
                label=pack.label(ps_level),
                method=method,
                decided_by=decided_by,
                hazards=hazards,
            ),
            regime_collapse=RegimeCollapse(
                level=rc_sc.level,
                label=pack.label(rc_sc.level),
                score=rc_sc.score,
                control_status=st.status if st else None,
                drivers=rc_drivers,
            ),
            confidence=conf_word,  # type: ignore[arg-type]
            confidence_basis=basis,
            guidance_in_force=[e.id for e in guidance_in_force(entries, place, as_of)],
            drivers=ps_drivers + rc_drivers,
            bottom_line="",
        )
        loc.bottom_line = location_line(loc)
        locations.append(loc)
        traces.append(LocationTrace(hz_scored, rc_sc))

    worst = max((loc.personal_security.level for loc in locations), default=1)
    held_names = [
        gaz.places[i].name
        for i, s in sorted(statuses.items())
        if s.status in ("held", "held_governed")
    ]
    national = National(
        regime_collapse=NationalRegime(
            level=nat_trace.level,
            label=pack.label(nat_trace.level),
            score=nat_trace.score,
            drivers=_drivers(nat_trace.fired, "regime_collapse", guidance_ids),
            held_centres=held_names,
            raids=int(nat.numbers["national.raids"]),
            capital_fighting_days=int(nat.numbers["national.capital_fighting_days"]),
        ),
        personal_security=NationalPersonal(
            level=worst,
            label=pack.label(worst),
            highest_at=[loc.id for loc in locations if loc.personal_security.level == worst],
        ),
    )
    in_force_all = sorted({e.issuer for e in entries if e.in_force(as_of)})
    in_force_dep = sorted(
        {
            e.issuer
            for e in entries
            if e.in_force(as_of) and e.action in pack.guidance.departure_actions
        }
    )
    trends: dict[str, str] = {}
    if cap is not None:
        for name, what in (("ambush", "ambush-type incidents"), ("attacks", "attacks on posts")):
            if name in pack.exposures:
                tr = pack.exposures[name].trend
                n = cap_ft.numbers
                trends[name] = trend_sentence(
                    what,
                    cap.name,
                    n[f"recent.{name}"],
                    n[f"baseline.{name}"],
                    tr.recent_days,
                    tr.baseline_days,
                    bool(n[f"new.{name}"]),
                )
    bottom = BottomLine(
        personal_security=" ".join(
            filter(
                None,
                [
                    personal_security_line(
                        locations,
                        national,
                        pack.info.levels,
                        in_force_all,
                        in_force_dep,
                        cap.id if cap else None,
                        [
                            p.id
                            for p in gaz.places
                            if p.is_route and cap and cap.id in (p.from_, p.to)
                        ],
                    ),
                    trends.get("ambush"),
                ],
            )
        ),
        regime_collapse=" ".join(
            filter(
                None,
                [
                    regime_collapse_line(
                        national,
                        cap.name if cap else "the capital",
                        pack.control.capital_fighting.window_days,
                        pack.control.raid_window_days,
                        bool(in_force_all),
                    ),
                    trends.get("attacks"),
                ],
            )
        ),
    )
    inputs = [d.as_dict() for d in (*inc.inputs, *g_digests, gaz.digest)]
    assessment = Assessment(
        as_of=as_of,
        scale={str(i + 1): label for i, label in enumerate(pack.info.levels)},
        bottom_line=bottom,
        national=national,
        locations=locations,
        guidance=[
            GuidanceSummary(
                id=e.id,
                issuer=e.issuer,
                issued=e.issued,
                expires=e.expires,
                level=e.level,
                action=e.action,
                reasons=list(e.reasons),
                in_force=e.in_force(as_of),
                source=e.source,
                summary=e.summary,
            )
            for e in entries
        ],
        inputs={
            "incidents": inc.summary(),
            "guidance_entries": len(entries),
            "guidance_in_force": sum(e.in_force(as_of) for e in entries),
            "places": sum(not p.is_route for p in gaz.places),
            "roads": sum(p.is_route for p in gaz.places),
        },
        provenance=Provenance(
            engine_version=__version__,
            rule_pack=RulePackInfo(
                name=pack.info.name, version=pack.info.version, digest=pack.digest
            ),
            inputs=inputs,
            as_of=as_of,
            generated_at=generated_at or datetime.now(UTC).replace(microsecond=0).isoformat(),
        ),
    )
    return Run(
        assessment, pack, gaz, inc, signals, feats, nat, traces, nat_trace, pairs, statuses, entries
    )


def event_rows(run: Run, ids: list[str]) -> list[dict[str, object]]:
    """Incident details for the given ids, in the given order (for explain and reports)."""
    if not ids:
        return []
    frame = run.incidents.frame.filter(pl.col("event_id").is_in(ids))
    by_id = {r["event_id"]: r for r in frame.iter_rows(named=True)}
    return [by_id[i] for i in ids if i in by_id]


__all__ = ["Run", "assess", "default_places", "event_rows"]
