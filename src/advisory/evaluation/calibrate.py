"""`advisory calibrate`: fit the numbers of a rule pack that the data can decide, on a time
split, and write a complete pack.

On the training period (as-of dates rolled monthly, each scored only with the data known then)
each hazard's exposures are tuned within the grids personal_security.yaml gives, then its
logistic weights, calibration map, floor and bands are fitted. The new pack is scored on the
test period with the engine's own code, against the two count baselines, and written to a
folder: every file of the input pack, with model.yaml replaced by the fitted numbers, what they
were fitted on and how they scored. The written pack must pass `rules check` and `rules test`.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from ..errors import InputError, Problem
from ..rulepack import RulePack, load_pack
from ..rulepack.model import Exposure
from ..rulepack.tracks import FittedModel
from .backtest import backtest
from .fit import Series, fit_exposures, fit_model
from .history import History, steps

HEADER = """\
# Written by `advisory calibrate`: the numbers of this pack that the data decides. Re-run
# calibrate to change them; hand edits are lost. What each number means:
#   exposures: as in exposure.yaml (half-life, radius, signal weights fitted within the grids
#              that personal_security.yaml gives each hazard's terms)
#   hazards.<h>: log-odds = intercept + sum(coefficients[e] * ln(1 + exposure.e)); the logistic
#              of that goes through the isotonic map `calibration` (x -> y, linear between
#              knots) and never below `floor`; `bands` are the probabilities at which Low,
#              Medium, High and Extreme begin (each where an ICD 203 word begins);
#              `climatology` is the training period's base rate; `metrics` how it scored.
"""


class _PlainDumper(yaml.SafeDumper):
    """Safe YAML without anchors or aliases (the pack loader refuses them)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


@dataclass
class Periods:
    train: list[date]
    test: list[date]


def periods(
    history: History, train_until: date, train_from: date | None, test_until: date | None, days: int
) -> Periods:
    first, last = history.span()
    start = train_from or first + timedelta(days=365)
    end = test_until or last - timedelta(days=days)
    train = steps(start, train_until - timedelta(days=days), None)
    test = steps(train_until + timedelta(days=1), end, None)
    if len(train) < 6:
        msg = (
            f"too little history to train on: {len(train)} monthly as-of dates from {start} "
            f"to {train_until} (6 needed)"
        )
        raise InputError(Problem("--train-until", msg))
    return Periods(train, test)


def _outcomes(history: History, hazard: str, dates: list[date], days: int) -> np.ndarray:
    return np.concatenate([history.outcome(hazard, d, days) for d in dates]).astype(np.int64)


def fit_pack(
    history: History, train: list[date], tick: Callable[[], None] | None = None
) -> FittedModel:
    """Every hazard fitted in the pack's order; an exposure fitted for one hazard is used as
    fitted by the next (a term without a grid takes its exposure as it is)."""
    pack = history.pack
    days = pack.info.likelihood.horizon_days
    exposures: dict[str, Exposure] = dict(pack.model.exposures)
    hazards: dict[str, Any] = {}
    y_any = np.zeros(len(train) * history.n, dtype=bool)
    for name, hz in pack.personal_security.hazards.items():
        y = _outcomes(history, name, train, days)
        if y.min() == y.max():
            raise InputError(
                Problem(
                    "--incidents",
                    f"the training period has no variation in the {name} outcome: nothing to fit",
                )
            )
        y_any |= y.astype(bool)
        exposures.update(fit_exposures(hz, exposures, history, train, y))
        names = [t.exposure for t in hz.terms]
        X = np.column_stack(
            [Series.widest_of(history, train, exposures[e], []).values(exposures[e]) for e in names]
        )
        hazards[name] = fit_model(names, X, y)
        if tick is not None:
            tick()
    fitted = {"level_climatology": round(float(y_any.mean()), 6)}
    return FittedModel.model_validate(
        {"fitted": fitted, "exposures": exposures, "hazards": hazards}
    )


def with_model(pack: RulePack, model: FittedModel) -> RulePack:
    hand = {k: v for k, v in pack.exposures.items() if k not in pack.model.exposures}
    return replace(pack, model=model, exposures={**hand, **model.exposures})


def calibrate(
    pack: RulePack,
    history: History,
    train_until: date,
    *,
    train_from: date | None = None,
    test_until: date | None = None,
    provenance: dict[str, Any] | None = None,
    tick: Callable[[], None] | None = None,
) -> tuple[FittedModel, dict[str, Any]]:
    """The fitted model (with its metrics and provenance inside) and the report."""
    days = pack.info.likelihood.horizon_days
    split = periods(history, train_until, train_from, test_until, days)
    model = fit_pack(history, split.train, tick)
    fitted_pack = with_model(pack, model)
    again = history.with_pack(fitted_pack)
    report: dict[str, Any] = {
        "train": backtest(again, split.train[0], split.train[-1], horizon=days),
        "test": backtest(again, split.test[0], split.test[-1], horizon=days)
        if split.test
        else None,
    }
    hazards = {
        h: m.model_copy(
            update={
                "metrics": {
                    "train": _brief(report["train"][h]),
                    "test": _brief(report["test"][h]) if report["test"] else None,
                }
            }
        )
        for h, m in model.hazards.items()
    }
    info = {
        **(provenance or {}),
        "train": {
            "from": str(split.train[0]),
            "until": str(train_until),
            "as_of_dates": len(split.train),
        },
        "test": {
            "from": str(split.test[0]),
            "until": str(split.test[-1]),
            "as_of_dates": len(split.test),
        }
        if split.test
        else None,
        "locations": history.n,
        "level_climatology": model.fitted["level_climatology"],
        "level_metrics": {
            "train": _brief(report["train"]["level"]),
            "test": _brief(report["test"]["level"]) if report["test"] else None,
        },
    }
    final = model.model_copy(update={"hazards": hazards, "fitted": info})
    return final, report


def _brief(entry: dict[str, Any]) -> dict[str, Any]:
    """What model.yaml keeps of a backtest entry: the scores of the pack and the baselines,
    and the reliability of bands with enough cases."""
    out: dict[str, Any] = {k: entry[k] for k in ("model", "count_90d", "count_730d") if k in entry}
    out["reliability"] = [
        {
            "word": r["word"],
            "n": r["n"],
            "observed": None if r["observed"] is None else round(r["observed"], 3),
        }
        for r in entry["reliability"]
        if r["n"]
    ]
    return out


def write_pack(source: RulePack, model: FittedModel, out: Path) -> RulePack:
    """The source pack's files with model.yaml replaced, into `out` (new or empty)."""
    if out.exists() and any(out.iterdir()):
        raise InputError(Problem(str(out), "the output folder exists and is not empty"))
    shutil.copytree(
        source.path, out, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__")
    )
    data = model.model_dump(mode="json")
    text = HEADER + yaml.dump(
        data, Dumper=_PlainDumper, sort_keys=False, allow_unicode=True, width=100
    )
    (out / "model.yaml").write_text(text, encoding="utf-8")
    return load_pack(out)
