"""Backtest and calibration: scores computed exactly on a case worked out by hand; a fit on
incidents from a known process recovers calibrated probabilities; the written pack passes its
own checks; and a level never carries a lower likelihood than a lower level (a property test)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest
from acled_factory import event, point, write_csv, write_places
from hypothesis import given, settings
from hypothesis import strategies as st
from synthetic import generate, observed

from advisory.evaluation.backtest import backtest
from advisory.evaluation.calibrate import calibrate, with_model, write_pack
from advisory.evaluation.history import History
from advisory.features.table import FeatureTable
from advisory.ingest.places import read_places
from advisory.outputs.evaluation import backtest_html, backtest_table
from advisory.packtest import run_pack_tests
from advisory.rulepack import load_pack
from advisory.rulepack.tracks import CalibrationMap
from advisory.scoring.hazards import score_hazards

PACK = load_pack()


def _model_with(**ambush: object):
    """The shipped model with the ambush hazard replaced (kidnapping left as it is)."""
    hz = PACK.model.hazards["ambush"].model_copy(update=ambush)
    model = PACK.model.model_copy(update={"hazards": {**PACK.model.hazards, "ambush": hz}})
    return with_model(PACK, model)


def test_backtest_scores_a_hand_checked_case_exactly(tmp_path: Path) -> None:
    """Two towns 300 km apart; only A ever sees violence. A model that weighs the near-violence
    exposure alone, through an identity map, ranks A above B whenever A has had violence.

    As of 2025-03-01 and 2025-04-01 (30-day outcome): A had 2 events before the first date
    (10 Jan, 5 Feb) and 3 before the second (10 Mar too); B none. Outcomes: A has an event
    in (03-01, 03-31] (10 Mar) but none in (04-01, 05-01]; B none. So y = [A: 1, B: 0] then
    [A: 0, B: 0]. AUC: the one positive (A, March) outranks B-March and B-April (both at the
    floor) but not A-April, whose exposure holds one event more -> 2 of 3 pairs -> 2/3. The
    730-day count ranks the same way (2 against 0, 0 and 3) -> 2/3. The Brier score is worked
    out below from the model's formula and the exposures."""
    a, b = (13.0, -6.0), (13.0, -3.3)
    places = write_places(
        tmp_path / "p.geojson", [point("a", "A", "town", *a), point("b", "B", "town", *b)]
    )
    days = [date(2025, 1, 10), date(2025, 2, 5), date(2025, 3, 10)]
    rows = [event(f"E{i}", d, *a, kind="clash") for i, d in enumerate(days)]
    csv_path = write_csv(tmp_path / "e.csv", rows)
    pack = _model_with(
        intercept=-3.0, coefficients={"violence": 1.0, "violence_wide": 0.0},
        calibration=CalibrationMap(x=[0.0, 1.0], y=[0.0, 1.0]), floor=0.01,
    )  # fmt: skip
    gaz = read_places(places)
    history = History.read(pack, gaz, [csv_path])
    result = backtest(history, date(2025, 3, 1), date(2025, 4, 1), horizon=30)
    amb = result["ambush"]
    assert amb["outcomes"] == 1 and amb["model"]["n"] == 4
    assert amb["model"]["auc"] == pytest.approx(2 / 3, abs=1e-4)
    # the probabilities the engine gives, worked out from the model by hand
    m = history.measure(date(2025, 3, 1), [])
    e = m.table.column("exposure.violence")
    p_a = 1 / (1 + np.exp(3.0 - np.log1p(e[gaz.index["a"]])))
    p_b = max(1 / (1 + np.exp(3.0)), 0.01)
    m2 = history.measure(date(2025, 4, 1), [])
    p_a2 = 1 / (1 + np.exp(3.0 - np.log1p(m2.table.column("exposure.violence")[gaz.index["a"]])))
    brier = ((p_a - 1) ** 2 + p_b**2 + p_a2**2 + p_b**2) / 4
    assert amb["model"]["brier"] == pytest.approx(round(brier, 4), abs=1e-4)
    # climatology: the year before --from at these places, i.e. the one warm-up date
    # 2025-02-01, when A saw an event in the next 30 days (5 Feb) and B did not: 1/2
    assert result["climatology_from"].startswith("the year before")
    clim = 0.5
    skill = 1 - brier / ((clim - 1) ** 2 / 4 + 3 * clim**2 / 4)
    assert amb["model"]["brier_skill"] == pytest.approx(round(skill, 4), abs=1e-4)
    assert amb["count_730d"]["auc"] == pytest.approx(2 / 3, abs=1e-4)
    assert amb["count_90d"]["auc"] == pytest.approx(2 / 3, abs=1e-4)  # 2 and 3 in 90 days too
    # the same numbers for people: the table and the self-contained page
    assert "ambush       rule pack                   0.667" in backtest_table(result)
    page = backtest_html(result)
    assert "default-src 'none'" in page and "<td>0.667</td>" in page
    assert page.count("<circle") >= 1 and "<script" not in page


@pytest.fixture(scope="module")
def known(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("synthetic")
    process, events, csv_path, places_path = generate(folder, seed=3)
    gaz = read_places(places_path)
    history = History.read(PACK, gaz, [csv_path])
    return process, events, history, folder


def test_calibrate_recovers_calibrated_probabilities_of_a_known_process(known) -> None:
    """Fitted on 2017-2018, scored on 2019: the fitted likelihoods' Brier score is within 0.01
    of the true process's own probabilities on the same test cases, and beats climatology."""
    process, events, history, _ = known
    _, report = calibrate(PACK, history, date(2018, 12, 31), train_from=date(2017, 6, 1))
    test = report["test"]["ambush"]
    assert test["model"]["brier_skill"] > 0.2
    dates = [date(2019, m, 1) for m in range(1, 13)]
    truth = np.concatenate([process.true_probability(d, days=30, radius_km=25) for d in dates])
    y = np.concatenate([observed(process, events, d, days=30, radius_km=25) for d in dates])
    true_brier = float(np.mean((truth - y) ** 2))
    assert test["model"]["n"] == y.size
    assert test["model"]["brier"] <= true_brier + 0.01
    assert test["model"]["auc"] > 0.8
    # and every ICD band with enough cases is within 0.10 of what happened
    for row in test["reliability"]:
        if row["n"] >= 30:
            assert row["near_band"], row


def test_the_written_pack_passes_its_own_checks(known, tmp_path: Path) -> None:
    _, _, history, _ = known
    model, _ = calibrate(PACK, history, date(2018, 12, 31), train_from=date(2017, 6, 1))
    written = write_pack(PACK, model, tmp_path / "fitted")
    assert written.model.fitted["train"]["until"] == "2018-12-31"
    assert all(r.passed for r in run_pack_tests(written)), [
        r.failures for r in run_pack_tests(written) if not r.passed
    ]
    assert "anchors" not in (tmp_path / "fitted" / "model.yaml").read_text("utf-8")


def test_calibrate_refuses_to_write_into_a_folder_that_is_not_empty(known, tmp_path: Path) -> None:
    _, _, history, _ = known
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine", "utf-8")
    model, _ = calibrate(PACK, history, date(2018, 12, 31), train_from=date(2017, 6, 1))
    from advisory.errors import InputError

    with pytest.raises(InputError, match="not empty"):
        write_pack(PACK, model, tmp_path / "out")
    assert (tmp_path / "out" / "keep.txt").read_text("utf-8") == "mine"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0, 200), st.floats(0, 2000), st.floats(0, 50)), min_size=2, max_size=40
    )
)
def test_a_higher_level_never_carries_a_lower_likelihood(
    exposures: list[tuple[float, float, float]],
) -> None:
    """Over generated exposures at many places, for each hazard: whenever one place's level on
    the evidence is higher than another's, its likelihood is at least as high; guidance moves a
    level one step at most and never to Extreme."""
    n = len(exposures)
    table = FeatureTable(n)
    v, w, k = (np.array(col) for col in zip(*exposures, strict=True))
    table.numbers.update(
        {"exposure.violence": v, "exposure.violence_wide": w, "exposure.kidnapping": k}
    )
    for hz in score_hazards(PACK, table, [], [[] for _ in range(n)]).values():
        order = np.argsort(hz.likelihood, kind="stable")
        assert np.all(np.diff(hz.evidence_level[order]) >= 0)
        assert np.array_equal(hz.level, hz.evidence_level)  # no guidance here
        assert np.all((hz.likelihood > 0) & (hz.likelihood < 1))
