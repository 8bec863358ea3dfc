"""A slow, plain-Python re-implementation of docs/method.md, and a check that the engine agrees.

The engine is vectorised, and nothing about a vectorised join says "obviously right". This
script recomputes the assessment of a sample of locations the straightforward way, from
docs/method.md and rules/*.yaml alone: a loop over every event for each location, `math`
distances, classification row by row with Python `re`, control status by walking each
centre's events in date order, each hazard's log-odds, logistic, isotonic map and bands, and
each point rule read literally from the pack. It holds no number of its own. The method is in
its siblings, by method.md section: reference_events.py (1-2, and distances),
reference_features.py (3 and 5), reference_control.py (4), reference_scoring.py (6-7's
arithmetic), reference_assess.py (6-8, one location and the country); reference_compare.py
lists the differences; this file reads the inputs, picks the locations and runs the comparison.

    python bench/reference.py --incidents F.csv --places P.geojson [--guidance DIR] \\
        --as-of 2025-11-20 --sample 50 --seed 1

prints every difference from `advisory.engine.assess` and exits 1 when there is one (0 with a
summary line when the two agree). The engine is used only through public things: the rule-pack
loader, the input readers (parsing and validation are not what is checked here) and
`assess(...).assessment`, the JSON contract. The readers are asked for every event up to
--as-of, with no look-back cut: the reference applies its own (method.md section 1, computed
from the pack) and every window where it is used, so an engine look-back too short would show.

Readings of method.md where it is terse or silent (each also stated where it is used):
- ranges are inclusive (an event exactly `radius_km` away counts, with a taper of 0), windows
  are half-open on age (0 <= age < days), "within the raid window" is <= raid_window_days,
  a lapse is "more than" lapse_days;
- `recent` and `baseline` count events in their windows whether or not the exposure's horizon
  reaches that far back (the horizon bounds `exposure`, `count` and `latest_days`);
- a control event is walked as a whole, on its day at its earliest phase (seizure, then
  governance and presence, then an end), except that an event which ends an episode without
  seizing comes last; the lapse is judged at --as-of only (a later sign of the group revives
  a quiet episode); control events need no geo_precision;
- a held centre does not count in its own `control.held_nearby`; with no capital, a held
  centre's closeness to the capital is 1;
- per issuer, the in-force entry with the latest `issued` applies (ties: the greater id); a
  place in another country than the scope's is never covered; admin1 names match folded;
- an evidence driver is decisive when without its term the likelihood's band would be lower
  (method.md defines "decisive" for point rules only); the guidance driver when it raised
  the level.

What is compared, and how exactly:
- levels (hazard, evidence, personal security, regime collapse, national), control statuses,
  episodes (start, end, last sign of the group, status, events; their order is presentation),
  control_since, counts, days, trends' recent/baseline/new, ids (guidance in force, guidance
  cited, severity rules, fired point rules, cited incidents' signals), decisive flags: exactly;
- the numbers a driver's sentence was filled with (count.X, latest_days.X, ...), to the
  decimals written, and its incidents: counted by the reference for that exposure, as many as
  the pack's max_ids allows;
- point-rule points and scores: within 1e-6 (method.md rounds both to 2 decimals, so both sides
  hold the same decimal);
- likelihood_30d and the hazard score (the log-odds), which the contract publishes rounded to
  3 decimals, and evidence drivers' points (2 decimals), precise_share (2), a cited incident's
  km (1): the engine's value must be the reference's exact value rounded the same way (either
  neighbour when the reference's value lies within 1e-9 of a half-way point). The engine's
  unrounded likelihood is not in the contract, so this is the finest check the contract
  allows; levels are compared exactly, and they are computed from the unrounded likelihood on
  both sides, so a disagreement at a band edge shows as a level difference;
- national features (unrounded in the contract): within 1e-9.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reference_assess import Inputs, ReferenceResult, reference_assessment
from reference_compare import differences
from reference_control import Centre, control_of_centres
from reference_events import ROW_COLUMNS, classify_rows

from advisory.engine import assess, default_places
from advisory.ingest.guidance import read_guidance
from advisory.ingest.incidents import read_incidents
from advisory.ingest.places import Place, read_places
from advisory.rulepack import load_pack

FRAME_COLUMNS = ("event_id", "date", "lat", "lon", "precision", "fatalities", "source")


def read_inputs(
    incidents: list[Path],
    places: Path | None,
    guidance: list[Path],
    rules: Path | None,
    as_of: date | None,
) -> Inputs:
    """The inputs through the engine's public readers (validated, merged, events after as-of
    set aside, no look-back cut); without `as_of`, the newest event's date, as `assess`
    does."""
    pack = load_pack(rules)
    gaz = read_places(places or default_places())
    inc = read_incidents(list(incidents), pack.formats.acled_legacy, as_of, None, gaz.extent())
    day = as_of or inc.newest
    if day is None:
        raise SystemExit("no usable incidents and no --as-of")
    columns = list(dict.fromkeys([*FRAME_COLUMNS, *ROW_COLUMNS]))
    rows = inc.frame.select(columns).iter_rows(named=True)
    entries = read_guidance(list(guidance))[0] if guidance else []
    return Inputs(pack, list(gaz.places), classify_rows(rows, pack, day), entries, day)


def choose_sample(
    places: list[Place], centres: dict[str, Centre], sample: int | None, seed: int
) -> list[str]:
    """`sample` random locations, roads and points half and half, plus the capital and every
    centre with an episode on record; every location when `sample` is None."""
    if sample is None or sample >= len(places):
        return [p.id for p in places]
    always = {p.id for p in places if p.kind == "capital"}
    always |= {pid for pid, c in centres.items() if c.episodes or c.status != "government"}
    points = [p.id for p in places if not p.is_route and p.id not in always]
    roads = [p.id for p in places if p.is_route and p.id not in always]
    n_roads = min(len(roads), (sample + 1) // 2)
    n_points = min(len(points), sample - n_roads)
    n_roads = min(len(roads), sample - n_points)  # fewer points than asked: more roads
    rng = random.Random(seed)
    chosen = always | set(rng.sample(points, n_points)) | set(rng.sample(roads, n_roads))
    return [p.id for p in places if p.id in chosen]


@dataclass
class Comparison:
    differences: list[str]
    locations: int
    seconds_reference: float
    seconds_engine: float
    reference: ReferenceResult


def run_comparison(
    incidents: list[Path],
    places: Path | None,
    guidance: list[Path],
    rules: Path | None,
    as_of: date | None,
    sample: int | None,
    seed: int,
) -> Comparison:
    t0 = time.perf_counter()
    fast = assess(list(incidents), list(guidance), places, rules, as_of).assessment
    t1 = time.perf_counter()
    inputs = read_inputs(incidents, places, guidance, rules, as_of)
    centres = control_of_centres(inputs.pack, inputs.places, inputs.events, inputs.as_of)
    ids = choose_sample(inputs.places, centres, sample, seed)
    ref = reference_assessment(inputs, ids)
    t2 = time.perf_counter()
    return Comparison(differences(ref, fast, inputs), len(ids), t2 - t1, t1 - t0, ref)


def compare(
    incidents: list[Path],
    places: Path | None,
    guidance: list[Path],
    rules: Path | None,
    as_of: date | None,
    sample: int | None = 50,
    seed: int = 1,
) -> list[str]:
    """Differences between the engine and the reference on a sample of locations (every
    location when `sample` is None) and the country; empty when they agree."""
    return run_comparison(incidents, places, guidance, rules, as_of, sample, seed).differences


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--incidents", "-i", type=Path, action="append", required=True)
    ap.add_argument("--places", "-p", type=Path, default=None)
    ap.add_argument("--guidance", "-g", type=Path, action="append", default=[])
    ap.add_argument("--rules", "-r", type=Path, default=None)
    ap.add_argument("--as-of", type=date.fromisoformat, default=None)
    ap.add_argument("--sample", type=int, default=50, help="locations to check; 0 = all")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    result = run_comparison(
        args.incidents,
        args.places,
        args.guidance,
        args.rules,
        args.as_of,
        args.sample or None,
        args.seed,
    )
    for line in result.differences:
        print(line)
    what = f"{result.locations} locations + national"
    if result.differences:
        print(f"{what}: {len(result.differences)} difference(s)")
    else:
        print(f"{what}: identical")
    print(
        f"reference {result.seconds_reference:.1f} s, engine {result.seconds_engine:.1f} s",
        file=sys.stderr,
    )
    return 1 if result.differences else 0


if __name__ == "__main__":
    sys.exit(main())
