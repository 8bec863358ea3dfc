"""The library entry point: `assess(...)` runs the one-way flow and returns a typed result.

read + validate -> classify -> features -> control status -> score -> assessment. The CLI, the
reports, trip checks and scheduled updates all call this; none of them re-implements a step.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cached_property
from pathlib import Path
from typing import BinaryIO, TypeVar

import numpy as np
import polars as pl

from . import __version__
from .arrays import unique_sorted
from .assessment import (
    Assessment,
    BottomLine,
    GuidanceSummary,
    National,
    NationalPersonal,
    NationalRegime,
    Provenance,
    RulePackInfo,
    around_lines,
    json_parts,
)
from .classify import classify
from .cli.progress import STAGES  # (moved into the engine with the core rewrite)
from .control import CentreStatus, add_control_features, centre_statuses, national_features
from .errors import InputError, Problem
from .features import ExposurePairs, Features, FeatureTable, build_features
from .ingest.acled import Incidents, Parsed, check_incidents, normalise, parse_incidents
from .ingest.guidance import GuidanceEntry, read_guidance
from .ingest.places import Gazetteer, read_places
from .ingest.sources import start_hashing
from .location_json import encoded_locations, write_lines
from .narrative import Brief, personal_security_line, regime_collapse_line, trend_sentence
from .records import (
    ConfidenceColumns,
    LocationRecords,
    Scoring,
    drivers_of,
    gc_paused,
    location_objects,
    score_locations,
)
from .rulepack import RulePack, load_pack
from .scoring import FiredRows, Scored, score

T = TypeVar("T")
DATA_DIR = Path(__file__).resolve().parent / "data"
FLAG_CELLS = 1 << 24  # (location, source name) flags held at once when counting sources


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


class Traces(Sequence[LocationTrace]):
    """Full decision traces (rules that fired and did not, and why), per location.

    Built on demand with the per-location scorer: the engine scores every location at once
    with `score_table`, and `explain` or a report asks for the few traces it shows."""

    def __init__(self, pack: RulePack, table: FeatureTable, regime: FeatureTable) -> None:
        self.pack, self.table, self.regime = pack, table, regime

    def __len__(self) -> int:
        return self.table.size

    def __getitem__(self, i: int) -> LocationTrace:  # type: ignore[override]
        ps, rc = self.pack.personal_security, self.pack.regime_collapse
        ft = self.table[i]
        return LocationTrace(
            {h: score(ps.rules, ft, cfg.thresholds, hazard=h) for h, cfg in ps.hazards.items()},
            score(rc.place.rules, self.regime[i], rc.place.thresholds),
        )


def in_background(fn: Callable[..., T], *args: object) -> Future[T]:
    """`fn(*args)` in a thread of its own; the future gives its result or raises its error."""
    future: Future[T] = Future()

    def work() -> None:
        try:
            future.set_result(fn(*args))
        except BaseException as exc:  # handed to whoever asks for the result
            future.set_exception(exc)

    threading.Thread(target=work, name=fn.__name__, daemon=True).start()
    return future


@dataclass
class Run:
    """The assessment plus everything behind it, for `explain` and the renderers."""

    head: Assessment  # the assessment but for its locations, which `records` makes
    pack: RulePack
    gazetteer: Gazetteer
    incidents: Incidents
    signals: pl.DataFrame
    features: FeatureTable
    national: Features
    traces: Traces
    national_trace: Scored
    pairs: dict[str, ExposurePairs]
    statuses: dict[int, CentreStatus]
    guidance: list[GuidanceEntry]
    records: LocationRecords

    @cached_property
    def assessment(self) -> Assessment:
        """The whole assessment, its locations as objects, made when first asked for:
        `assess -f json` writes them from `records` without (see `run_json`). It shares its
        other parts with `head`, `inputs` included."""
        return self.head.model_copy(update={"locations": location_objects(self.records)})


def run_json(run: Run) -> list[bytes | memoryview]:
    """`assessment_json(run.assessment)`, byte for byte, without making the location objects
    (`JsonWriter` into memory; the command line has it write to stdout instead)."""
    out = io.BytesIO()
    JsonWriter(run).write(out)
    return [out.getbuffer()]


class JsonWriter:
    """`assessment_json(run.assessment)`'s bytes, made ready to be written to a file
    (`write`): the locations' lines are encoded here, from the records' columns, and written
    by polars straight to the file's descriptor (no 38 MB buffer made first and copied)."""

    def __init__(self, run: Run) -> None:
        self.head = run.head
        self.lines = encoded_locations(run.records)

    def write(self, out: BinaryIO) -> None:
        if self.lines.is_empty():
            out.writelines(json_parts(self.head, b""))
            return
        before, after = around_lines(self.head)
        out.write(before)
        out.flush()  # what polars writes goes after it
        write_lines(self.lines, out)
        out.write(after)


def _source_counts(loc: np.ndarray, ev: np.ndarray, events: pl.DataFrame, n_loc: int) -> np.ndarray:
    """Independent sources per location: the distinct names in the `source` fields of its
    events (split on ';', case and spaces ignored). Names are worked out per distinct source
    string, of which there are few, then marked per location in a table of flags (no sort)."""
    if ev.size == 0:
        return np.zeros(n_loc, dtype=np.int64)
    used = np.zeros(events.height, dtype=bool)
    used[ev] = True
    rows = np.flatnonzero(used)
    strings = events["source"].gather(rows).fill_null("")
    code = np.zeros(events.height, dtype=np.int64)
    code[rows] = strings.rank("dense").to_numpy().astype(np.int64) - 1  # sorted distinct order
    distinct = strings.unique().sort()
    parts = (
        distinct.to_frame("s")
        .with_row_index("code")
        .select(pl.col("code").cast(pl.Int64), pl.col("s").str.split(";").alias("part"))
        .explode("part")
        .with_columns(pl.col("part").str.strip_chars().str.to_lowercase())
        .filter(pl.col("part") != "")
        .unique(["code", "part"])
        .with_columns((pl.col("part").rank("dense").cast(pl.Int64) - 1).alias("pid"))
        .sort("code")
    )
    if parts.is_empty():
        return np.zeros(n_loc, dtype=np.int64)
    p_code, p_id = parts["code"].to_numpy(), parts["pid"].to_numpy()
    starts = np.searchsorted(p_code, np.arange(distinct.len() + 1))
    c_of = code[ev]
    width = starts[c_of + 1] - starts[c_of]
    ends = np.cumsum(width)
    pid = p_id[np.repeat(starts[c_of] - (ends - width), width) + np.arange(int(ends[-1]))]
    l_of = np.repeat(loc, width)  # (location, source name) for each name of each event
    n_parts = int(p_id.max()) + 1
    out = np.zeros(n_loc, dtype=np.int64)
    step = max(1, FLAG_CELLS // n_parts)  # locations per block: the flags stay small
    cut = np.searchsorted(l_of, np.arange(0, n_loc + step, step)).tolist()
    for k, first in enumerate(range(0, n_loc, step)):
        a, b = cut[k], cut[k + 1]
        flags = np.zeros((min(step, n_loc - first), n_parts), dtype=bool)
        flags[l_of[a:b] - first, pid[a:b]] = True
        out[first : first + flags.shape[0]] = flags.sum(axis=1)
    return out


def _confidence(
    pack: RulePack,
    pairs: dict[str, ExposurePairs],
    events: pl.DataFrame,
    ages: np.ndarray,
    n_loc: int,
) -> ConfidenceColumns:
    """Evidence volume, recency, precision and independent sources, per location."""
    n_ev = max(events.height, 1)
    keys = [
        f["loc"].to_numpy()[live].astype(np.int64) * n_ev + f["ev"].to_numpy()[live]
        for f in (pairs[e].frame for e in pack.confidence.exposures)
        for live in [f["contrib"].to_numpy() > 0]
    ]
    key = unique_sorted(np.concatenate(keys)) if keys else np.empty(0, dtype=np.int64)
    loc, ev = key // n_ev, key % n_ev  # each (location, event) once, whatever the exposure
    count = np.bincount(loc, minlength=n_loc)
    first = np.searchsorted(loc, np.arange(n_loc))  # loc is sorted: each location's run
    seen = count > 0
    latest = np.full(n_loc, np.inf)
    if seen.any():
        latest[seen] = np.minimum.reduceat(ages[ev], first[seen])
    precise = (events["precision"].to_numpy() <= 2)[ev]
    share = np.bincount(loc, weights=precise, minlength=n_loc) / np.maximum(count, 1)
    sources = _source_counts(loc, ev, events, n_loc)
    days = [int(d) if s else None for d, s in zip(latest.tolist(), seen.tolist(), strict=True)]
    shares = [round(x, 3) for x in share.tolist()]
    word = np.full(n_loc, "low", dtype=object)
    for name in ("moderate", "high"):  # the stronger word wins where both hold
        c = getattr(pack.confidence, name)
        word[
            (count >= c.min_events)
            & (sources >= c.min_sources)
            & seen
            & (np.where(seen, np.trunc(latest), np.inf) <= c.max_latest_days)
            & (np.array(shares) >= c.min_precise_share)
        ] = name
    return ConfidenceColumns(word.tolist(), count.tolist(), sources.tolist(), days, shares)


def _briefs(pack: RulePack, gaz: Gazetteer, sc: Scoring) -> list[Brief]:
    """What the national bottom line needs of each location, from its scores."""
    names = list(sc.hazards)
    per_hazard = zip(*(s.level.tolist() for s in sc.hazards.values()), strict=True)
    return [
        Brief(p.id, p.name, level, pack.label(level), dict(zip(names, hz, strict=True)))
        for p, level, hz in zip(gaz.places, sc.ps_level, per_hazard, strict=True)
    ]


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
    progress: Callable[[str], None] | None = None,
    parsing: Future[list[Parsed]] | None = None,
) -> Run:
    """Assess places, roads and the country. Paths or ready objects (for tests and rule-pack
    test cases) may be given; the flow is the same. `progress` is told as each of `STAGES`
    begins (the CLI draws a bar with it). `parsing` is `parse_incidents(incidents)` already
    under way (see `start_parsing`)."""
    if parsing is not None and incident_frame is not None:
        raise ValueError("give incident_frame or parsing, not both")
    with gc_paused():
        return _assess(
            incidents, guidance, places, rules, as_of, incident_frame, guidance_entries,
            gazetteer, pack, generated_at, progress or (lambda stage: None), parsing,
        )  # fmt: skip


def _assess(
    incidents: list[Path] | tuple[Path, ...],
    guidance: list[Path] | tuple[Path, ...],
    places: Path | None,
    rules: Path | None,
    as_of: date | None,
    incident_frame: pl.DataFrame | None,
    guidance_entries: list[GuidanceEntry] | None,
    gazetteer: Gazetteer | None,
    pack: RulePack | None,
    generated_at: str | None,
    step: Callable[[str], None],
    parsing: Future[list[Parsed]] | None,
) -> Run:
    step(STAGES[0])
    with ThreadPoolExecutor(max_workers=1) as pool:
        # polars parses the exports without the GIL while the rules and places load here
        if parsing is None and incident_frame is None:
            parsing = pool.submit(parse_incidents, list(incidents))
        pack = pack or load_pack(rules)
        gaz = gazetteer or read_places(places or default_places())
        parsed = parsing.result() if parsing is not None else None
    if parsed is None:
        inc = normalise(incident_frame, as_of, gaz.extent(), None, pack.lookback_days)
    else:
        inc = check_incidents(parsed, as_of, gaz.extent(), pack.lookback_days)
    if (incidents or inc.rows_read) and inc.frame.is_empty() and not inc.before_window:
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
    step(STAGES[1])
    start_hashing(inc.inputs)  # unless the command line did already; it soaks up idle time
    signals = classify(events, pack.classify.rules, list(pack.classify.signals))
    step(STAGES[2])
    table, pairs, ages, in_force = build_features(pack, gaz, events, signals, entries, as_of)
    step(STAGES[3])
    statuses = centre_statuses(gaz, events, signals, ages, pack.control, as_of)
    add_control_features(table, gaz, statuses, pack.control, as_of)
    nat = national_features(gaz, statuses, events, signals, ages, pack.control, as_of)
    table.add_national(nat)
    regime = table.regime_view()

    cap = gaz.capital()
    cap_i = gaz.index[cap.id] if cap else None
    cap_ft = table[cap_i] if cap_i is not None else Features()
    cap_regime = (
        regime[cap_i] if cap_i is not None else Features(dict(nat.numbers), {}, dict(nat.evidence))
    )

    step(STAGES[4])
    guidance_ids = {e.id for e in entries}
    rc_cfg = pack.regime_collapse
    nat_trace = score(rc_cfg.national.rules, cap_regime, rc_cfg.national.thresholds)
    confidence = in_background(_confidence, pack, pairs, events, ages, len(gaz.places))
    scoring = score_locations(pack, table, regime)
    records = LocationRecords(
        pack, gaz, table, regime, scoring, statuses, confidence, in_force, guidance_ids,
        events["event_id"],
    )  # fmt: skip
    briefs = _briefs(pack, gaz, scoring)

    worst = max(scoring.ps_level, default=1)
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
            drivers=drivers_of(FiredRows.at_one(nat_trace.fired), "regime_collapse", guidance_ids),
            held_centres=held_names,
            raids=int(nat.numbers["national.raids"]),
            capital_fighting_days=int(nat.numbers["national.capital_fighting_days"]),
        ),
        personal_security=NationalPersonal(
            level=worst,
            label=pack.label(worst),
            highest_at=[b.id for b in briefs if b.level == worst],
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
    is_road = gaz.route_mask().tolist()  # made once for the gazetteer, not per place here
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
                        briefs,
                        national,
                        pack.info.levels,
                        in_force_all,
                        in_force_dep,
                        cap.id if cap else None,
                        [
                            p.id
                            for p, road in zip(gaz.places, is_road, strict=True)
                            if road and cap and cap.id in (p.from_, p.to)
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
    head = Assessment(
        as_of=as_of,
        scale={str(i + 1): label for i, label in enumerate(pack.info.levels)},
        bottom_line=bottom,
        national=national,
        locations=[],
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
            "places": len(is_road) - sum(is_road),
            "roads": sum(is_road),
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
    traces = Traces(pack, table, regime)
    return Run(
        head, pack, gaz, inc, signals, table, nat, traces, nat_trace, pairs, statuses, entries,
        records,
    )  # fmt: skip


def event_rows(run: Run, ids: list[str]) -> list[dict[str, object]]:
    """Incident details for the given ids, in the given order (for explain and reports)."""
    if not ids:
        return []
    frame = run.incidents.frame.filter(pl.col("event_id").is_in(ids))
    by_id = {r["event_id"]: r for r in frame.iter_rows(named=True)}
    return [by_id[i] for i in ids if i in by_id]


__all__ = ["JsonWriter", "Run", "assess", "default_places", "event_rows", "run_json"]
