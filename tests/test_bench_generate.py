"""The scale bench's generator (bench/generate.py) writes what the project reads, cleanly.

Issue 6 compares `assess` with a bare `polars.read_csv` of the generated file, so the figures
mean something only if that file is a valid ACLED export in the project's own eyes: every row
used, the places file accepted, and the rule pack finding real work in the notes.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType

import polars as pl
import pytest
from scripts import load_script

from advisory.classify import classify
from advisory.engine import assess
from advisory.ingest.acled import COLUMNS
from advisory.ingest.incidents import read_incidents as _read_incidents
from advisory.ingest.places import read_places
from advisory.rulepack.load import load_pack

SCRIPT = Path(__file__).resolve().parent.parent / "bench" / "generate.py"
AS_OF = date(2025, 11, 20)


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    return load_script(SCRIPT, "bench_generate")


@pytest.fixture(scope="module")
def data(gen: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("gen")
    return gen.generate(out, n_events=6000, n_places=400, n_roads=25, seed=3, as_of=AS_OF)


def test_events_are_a_clean_acled_export(data: tuple[Path, Path]) -> None:
    csv, places = data
    header = csv.read_text("utf-8").split("\n", 1)[0]
    assert header.split(",") == list(COLUMNS)
    gaz = read_places(places)
    inc = read_incidents([csv], AS_OF, gaz.extent())
    assert inc.summary()["rejected"] == 0
    assert inc.frame.height == 6000
    assert inc.duplicates == 0 and inc.after_as_of == 0
    f = inc.frame
    assert f["date"].min() >= AS_OF - timedelta(days=3653)
    assert f["lat"].is_between(4, 25).all() and f["lon"].is_between(-18, 16).all()
    assert set(f["precision"].unique()) == {1, 2, 3}
    assert not f["notes"].str.contains("  |\\( |,,").any()  # no template slot left empty
    notes = f["notes"].str.len_chars()
    assert 150 <= notes.median() <= 600 and notes.quantile(0.95) <= 600  # ACLED's usual range
    assert 0.4 < (f["fatalities"] == 0).mean() < 0.8  # mostly none, as in ACLED
    assert f["country"].n_unique() >= 10
    assert f["date"].dt.year().n_unique() >= 10


def test_places_follow_the_contract(data: tuple[Path, Path]) -> None:
    gaz = read_places(data[1])
    kinds = Counter(p.kind for p in gaz.places)
    assert kinds["capital"] == 1 and gaz.capital() is not None
    assert kinds["route"] == 25 and len(gaz.places) == 425
    assert {"city", "town", "village"} <= set(kinds)
    ids = {p.id for p in gaz.places}
    for road in (p for p in gaz.places if p.is_route):
        assert road.from_ in ids and road.to in ids and road.from_ != road.to
        assert len(road.coords) >= 2 and road.road


def test_the_rule_pack_finds_every_signal_and_levels_spread(data: tuple[Path, Path]) -> None:
    pack = load_pack()
    # the whole generated history, not only the rule pack's look-back that `assess` classifies
    frame = read_incidents([data[0]], AS_OF, read_places(data[1]).extent()).frame
    flags = classify(frame, pack.classify.rules, list(pack.classify.signals))
    signals = [c for c in flags.columns if not c.startswith("rule:")]
    counts = {s: int(flags[s].sum()) for s in signals}
    assert all(counts.values()), counts
    assert counts["ambush"] > counts["blockade"] > 0
    run = assess([data[0]], [], data[1], None, AS_OF)
    labels = Counter(loc.personal_security.label for loc in run.assessment.locations)
    assert len(labels) >= 4, labels


def test_same_seed_same_bytes(gen: ModuleType, tmp_path: Path) -> None:
    a = gen.generate(tmp_path / "a", n_events=800, n_places=120, n_roads=6, seed=9)
    b = gen.generate(tmp_path / "b", n_events=800, n_places=120, n_roads=6, seed=9)
    c = gen.generate(tmp_path / "c", n_events=800, n_places=120, n_roads=6, seed=10)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    assert a[0].read_bytes() != c[0].read_bytes()
    # the places do not depend on how many events are drawn
    d = gen.generate(tmp_path / "d", n_events=50, n_places=120, n_roads=6, seed=9)
    assert d[1].read_bytes() == a[1].read_bytes()
    assert pl.read_csv(d[0]).height == 50


def read_incidents(paths: list[Path], as_of: date | None, area: object = None):  # type: ignore[no-untyped-def]
    """The reader with the shipped pack's table of old ACLED types."""
    return _read_incidents(paths, load_pack().formats.acled_legacy, as_of, None)
