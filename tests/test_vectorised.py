"""The engine scores every location at once; the per-location scorer is the plain version.

Both must agree on every number, every rule that fired, its points, whether it was decisive,
its sentence and its evidence, at every location. The data sets below reach the control rules
(held, governed, raided, held nearby), guidance on the personal-security track, roads, and
escalation when both hazards are high.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl
import pydantic_core
import pytest
from acled_factory import (
    BAMAKO,
    GUIDANCE_LEAVE,
    SEGOU,
    event,
    line,
    point,
    series,
    write_csv,
    write_places,
)

from advisory import engine
from advisory.arrays import unique_sorted
from advisory.assessment import Assessment, assessment_json
from advisory.classify import lowered_pattern
from advisory.engine import DATA_DIR, JsonWriter, Run, assess, run_json
from advisory.scoring import _round2

AS_OF = date(2025, 11, 20)


def _control_heavy(tmp_path: Path) -> Run:
    kati, koulikoro, markala = (12.744, -8.072), (12.862, -7.560), (13.700, -6.070)
    places = write_places(
        tmp_path / "places.geojson",
        [
            point("bamako", "Bamako", "capital", *BAMAKO, population=2800000, admin1="Bamako"),
            point("kati", "Kati", "town", *kati, population=100000, admin1="Koulikoro"),
            point("koulikoro", "Koulikoro", "town", *koulikoro, population=40000),
            point("segou", "Ségou", "city", *SEGOU, population=205787, admin1="Ségou"),
            point("markala", "Markala", "town", *markala, population=50000, admin1="Ségou"),
            line("rn6", "RN6", [BAMAKO, (13.0, -7.2), SEGOU], road="RN6", admin1="Koulikoro"),
            line("rn3", "RN3", [BAMAKO, kati], road="RN3"),
        ],
    )
    d0 = AS_OF - timedelta(days=200)
    rows = [
        *series("AMB", AS_OF - timedelta(days=80), 12, 12.9, -7.6, every_days=6),
        *series("KID", AS_OF - timedelta(days=60), 5, *kati, kind="kidnap_foreign"),
        *series("CLA", AS_OF - timedelta(days=40), 6, 13.5, -6.2, kind="clash"),
        # Ségou held (seized long ago, never regained) and governed; Markala raided twice
        event("S1", d0, *SEGOU, kind="seized", precision=1),
        event("S2", d0 + timedelta(days=30), *SEGOU, kind="hq", precision=1),
        event("M1", AS_OF - timedelta(days=50), *markala, kind="seized", precision=1),
        event("M2", AS_OF - timedelta(days=48), *markala, kind="regained", precision=1),
        event("M3", AS_OF - timedelta(days=20), *markala, kind="seized", precision=1),
        event("M4", AS_OF - timedelta(days=19), *markala, kind="regained", precision=1),
        # Koulikoro seized days ago: contested
        event("K1", AS_OF - timedelta(days=3), *koulikoro, kind="seized", precision=1),
    ]
    csv = write_csv(tmp_path / "events.csv", rows)
    guidance = tmp_path / "guidance.yaml"
    guidance.write_text(GUIDANCE_LEAVE, "utf-8")
    return assess([csv], [guidance], places, None, AS_OF, generated_at="test")


def _demo() -> Run:
    return assess(
        [DATA_DIR / "incidents"], [DATA_DIR / "guidance"], None, None, AS_OF, generated_at="t"
    )


def _check_location(run: Run, i: int) -> None:
    loc = run.assessment.locations[i]
    trace = run.traces[i]
    for h, sc in trace.hazards.items():
        hz = loc.personal_security.hazards[h]
        assert (hz.score, hz.level) == (sc.score, sc.level), (loc.id, h)
        got = [
            (d.rule, d.points, d.decisive, d.because, d.incidents + d.guidance) for d in hz.drivers
        ]
        want = [(f.rule, f.points, f.decisive, f.because, f.evidence) for f in sc.fired]
        assert got == want, (loc.id, h)
    rc = loc.regime_collapse
    assert (rc.score, rc.level) == (trace.regime.score, trace.regime.level), loc.id
    got = [(d.rule, d.points, d.decisive, d.because, d.incidents) for d in rc.drivers]
    want = [(f.rule, f.points, f.decisive, f.because, f.evidence) for f in trace.regime.fired]
    assert got == want, loc.id


@pytest.mark.parametrize("make", [_demo, None], ids=["demo", "control-heavy"])
def test_table_scoring_equals_the_per_location_scorer(make, tmp_path: Path) -> None:
    run = make() if make else _control_heavy(tmp_path)
    locs = run.assessment.locations
    if make is None:  # the data set reaches what it was written for
        status = {x.id: x.regime_collapse.control_status for x in locs}
        assert status["segou"] == "held_governed"
        assert status["koulikoro"] == "contested"
        assert status["markala"] == "government"
        assert run.assessment.national.regime_collapse.raids == 2
        fired = {d.rule for x in locs for d in x.drivers}
        assert any("guidance" in r for r in fired)
        assert len({d.rule for x in locs for d in x.regime_collapse.drivers}) >= 3
    assert sum(len(x.drivers) for x in locs) > 20
    for i in range(len(locs)):
        _check_location(run, i)


def test_the_json_survives_full_validation_unchanged() -> None:
    """The engine builds its records without validation (speed); the JSON must still be
    exactly what the validated models give, types included (45.0, never 45)."""
    run = _demo()
    text = run.assessment.model_dump_json()
    assert Assessment.model_validate_json(text).model_dump_json() == text
    # what `assess -f json` writes (one location a line) reads back as the very same document
    written = assessment_json(run.assessment)
    assert Assessment.model_validate_json(written).model_dump_json() == text
    empty = run.assessment.model_copy(update={"locations": []})
    indented = pydantic_core.to_json(empty, indent=2)
    # the rest as indented as before; "[]," opens, each location is a line, "]," closes
    n = len(run.assessment.locations)
    assert written.count(b"\n") == indented.count(b"\n") + n + 2
    assert assessment_json(empty) == indented + b"\n"


def test_the_location_lines_are_the_bytes_pydantic_writes() -> None:
    """orjson writes the location lines; each must be exactly pydantic's JSON of the record,
    also for hostile text and awkward floats."""
    run = _demo()
    locs = run.assessment.locations
    odd = 'a\u2028b\u2029\x00\x1f\x7f"\\ é 😀 </script><b>&amp;'
    driver = locs[0].drivers[0].model_copy(update={"because": odd, "points": 1e-7})
    hazard = next(iter(locs[0].personal_security.hazards.values()))
    floats = (1e16, -0.0, 0.1 + 0.2, 5e-324, 1.5e300, float("inf"), float("nan"), 45.0)
    hostile = [
        locs[0].model_copy(
            update={
                "name": odd,
                "admin1": None,
                "drivers": [driver],
                "personal_security": locs[0].personal_security.model_copy(
                    update={"hazards": {odd: hazard.model_copy(update={"likelihood_30d": f})}}
                ),
                "confidence_basis": locs[0].confidence_basis.model_copy(
                    update={"precise_share": f}
                ),
            }
        )
        for f in floats
    ]
    doc = run.assessment.model_copy(update={"locations": [*locs, *hostile]})
    section = assessment_json(doc).split(b'\n  "locations": [\n    ')[1].split(b"\n  ],")[0]
    written = section.split(b",\n    ")
    assert len(written) == len(locs) + len(hostile) > 60
    assert written == [pydantic_core.to_json(loc) for loc in doc.locations]
    assert b"null" in written[-2] and odd.encode() not in written[-1]  # inf as null; escaped


def _hostile(tmp_path: Path) -> Run:
    odd = 'Ké"ni\\ba\u2028 <b>&amp;</b> 😀'
    places = write_places(
        tmp_path / "places.geojson",
        [
            point("bamako", "Bamako", "capital", *BAMAKO, population=2800000, admin1=odd),
            point("odd", odd, "town", 12.9, -7.6, population=1000),
            line("rn6", odd, [BAMAKO, (13.0, -7.2), SEGOU], road=odd),
        ],
    )
    rows = series("AMB", AS_OF - timedelta(days=80), 12, 12.9, -7.6, every_days=6)
    return assess([write_csv(tmp_path / "events.csv", rows)], [], places, None, AS_OF)


@pytest.mark.parametrize(
    "make", [_demo, _control_heavy, _hostile], ids=["demo", "control-heavy", "hostile"]
)
def test_the_json_written_without_objects_is_the_json_of_the_objects(make, tmp_path) -> None:
    """`assess -f json` writes the locations from columns (`location_json`); the
    objects every other command reads must give the very same bytes."""
    run = make() if make is _demo else make(tmp_path)
    fast = b"".join(run_json(run))
    # what the command line writes: polars straight to a file's descriptor (what Python
    # buffered before must stay in front), or through a file-like object's write (a test
    # runner's stdout, say)
    with (tmp_path / "out.json").open("wb") as fh:
        JsonWriter(run).write(fh)
    to_file = (tmp_path / "out.json").read_bytes()
    to_object = io.BytesIO()
    JsonWriter(run).write(to_object)
    assert "assessment" not in vars(run)  # no location object was made for it
    locs = run.assessment.locations
    assert len(locs) >= 3 and sum(len(x.drivers) for x in locs) >= 3
    assert fast == to_file == to_object.getvalue() == assessment_json(run.assessment)


def test_unique_sorted_matches_numpy() -> None:
    rng = np.random.default_rng(3)
    for size in (0, 1, 2, 1000):
        keys = rng.integers(0, 50, size).astype(np.int64)
        assert unique_sorted(keys).tolist() == np.unique(keys).tolist()


def test_round2_matches_pythons_round() -> None:
    rng = np.random.default_rng(4)
    base = rng.uniform(-100, 100, 5000)
    values = np.concatenate(
        [
            base,
            np.round(base, 2),
            rng.integers(0, 10_000, 5000) / 100,
            base * 2.0**40,
            [0.0, -0.0, 2.675, 1.005, 0.125, 2.0**44 + 0.5, 2.0**60, 1.7e308, np.inf, -np.inf],
        ]
    )
    got = _round2(values).tolist()
    want = [round(v, 2) for v in values.tolist()]
    assert [(g, np.signbit(g)) for g in got] == [(w, np.signbit(w)) for w in want]


def test_source_counts_are_the_same_in_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Distinct source names per location are marked in blocks of locations; any block size
    gives the same counts."""
    rng = np.random.default_rng(5)
    names = ["AFP", " afp", "Le Monde", "RFI; AFP", "", None, "Sahel Watch;Le Monde; rfi"]
    events = pl.DataFrame({"source": [names[k] for k in rng.integers(0, len(names), 300)]})
    pairs = unique_sorted(rng.integers(0, 40 * 300, 2000))
    loc, ev = pairs // 300, pairs % 300
    whole = engine._source_counts(loc, ev, events, 45)
    monkeypatch.setattr(engine, "FLAG_CELLS", 7)
    assert engine._source_counts(loc, ev, events, 45).tolist() == whole.tolist()
    sources = [(s or "").split(";") for s in events["source"].to_list()]
    plain = [
        {p.strip().lower() for e in ev[loc == i] for p in sources[e]} - {""} for i in range(45)
    ]
    assert whole.tolist() == [len(s) for s in plain]


def test_lowered_patterns_keep_what_they_cannot_promise() -> None:
    assert lowered_pattern(r"\b(Ambush\w*|RN ?\d+)\b") == r"\b(ambush\w*|rn ?\d+)\b"
    assert lowered_pattern(r"\WFAMa\S\B") == r"\Wfama\S\B"  # escapes are not lower-cased
    for kept in (r"\p{Lu}x", r"(?-i)FAMa", r"[[:upper:]]", r"\x41", "İstanbul"):
        assert lowered_pattern(kept) is None


def test_lower_cased_notes_classify_as_case_insensitive_patterns_do() -> None:
    """Every shipped rule, on notes in mixed case, French accents and upper case."""
    from acled_factory import COLUMNS

    from advisory.classify import Values, classify, rule_mask
    from advisory.ingest.acled import normalise, records_frame
    from advisory.rulepack import load_pack

    notes = [
        "JNIM militants AMBUSHED a Convoy of fuel TANKERS on the RN6 near Ségou.",
        "Des hommes armés ont tendu une EMBUSCADE aux Véhicules sur l'axe Bamako-Kati.",
        "SOLDIERS WITHDREW from the post after clashes; the militants Se Sont Retirés.",
        "The militants withdrew from the town after looting the market.",
        "Gunmen abducted two AID WORKERS of an NGO (ONG) near the Checkpoint.",
        "JNIM set up an Islamic COURT and collected ZAKAT in the village.",
        "JNIM declared a BLOCKADE on fuel; citernes burnt on the RN 7.",
        "Protesters rallied in front of the Gendarmerie.",
    ]
    kinds = [
        ("Battles", "Armed clash"),
        ("Violence against civilians", "Attack"),
        ("Battles", "Armed clash"),
        ("Strategic developments", "Non-violent transfer of territory"),
        ("Violence against civilians", "Abduction/forced disappearance"),
        ("Strategic developments", "Headquarters or base established"),
        ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
        ("Protests", "Peaceful protest"),
    ]
    rows = []
    for i, (text, (etype, sub)) in enumerate(zip(notes * 3, kinds * 3, strict=True)):
        row = dict.fromkeys(COLUMNS, "")
        row.update(
            event_id_cnty=f"T{i}", event_date="2025-11-01", event_type=etype,
            sub_event_type=sub, actor1="JNIM: Group for Support of Islam and Muslims",
            actor2="Civilians (China)", country="Mali", latitude="12.6", longitude="-8.0",
            geo_precision="1",
            notes=text if i < 8 else (text.upper() if i < 16 else text.lower()),
        )  # fmt: skip
        rows.append(row)
    frame = normalise(records_frame(rows, "t.csv"), None, None).frame
    pack = load_pack(None)
    fast = classify(frame, pack.classify.rules, list(pack.classify.signals))
    values = Values(frame)
    hits = 0
    for rule in pack.classify.rules:
        plain = rule_mask(frame, rule, values)  # no lower-cased column: (?i) patterns
        assert fast[f"rule:{rule.id}"].to_list() == plain.tolist(), rule.id
        hits += int(plain.sum())
    assert hits >= 12  # the notes reach the rules


@pytest.mark.parametrize("loc_bits", [20, 3])  # the packed key, and too many locations for it
def test_top_events_rank_as_the_three_column_sort(
    monkeypatch: pytest.MonkeyPatch, loc_bits: int
) -> None:
    """Strongest first per location, ties to the smaller event row: equal contributions, ones
    a few units in the last place apart (which the packed key cannot tell apart), very small
    and very large ones, and pairs that contribute nothing (left out)."""
    from advisory import features

    monkeypatch.setattr(features, "RANK_LOC_BITS", loc_bits)
    rng = np.random.default_rng(7)
    n, size = 40, 20_000
    loc = rng.integers(0, n - 1, size)  # the last location has no pairs
    ev = rng.permutation(size)  # (loc, ev) unique, as the spatial joins give them
    base = rng.choice([0.0, 1e-300, 0.25, 0.5, 1.0, 3.5e7], size)
    contrib = base + rng.integers(0, 3, size) * np.spacing(base) * rng.integers(0, 2, size)
    got = features.top_events(loc, ev, contrib, n, 7, np.arange(size))
    live = contrib > 0
    order = np.lexsort((ev[live], -contrib[live], loc[live]))
    want_loc, want_ev = loc[live][order], ev[live][order]
    for i in range(n):
        assert got[i] == want_ev[want_loc == i][:7].tolist(), i
    assert got[n - 1] == []
