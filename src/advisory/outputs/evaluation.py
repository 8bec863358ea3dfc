"""Backtest and calibration results for people: a table, an HTML page with a reliability
diagram, and the Markdown report calibrate writes beside a fitted pack."""

from __future__ import annotations

from typing import Any

import jinja2

from ..resources import shipped

KEYS = ("model", "count_90d", "count_730d")
NAMES = {
    "model": "rule pack",
    "count_90d": "count, previous 90 days",
    "count_730d": "count, previous 730 days",
}


def _f(v: float | None, digits: int = 3) -> str:
    return "-" if v is None else f"{v:.{digits}f}"


def _rows(result: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(k, v) for k, v in result.items() if isinstance(v, dict) and "model" in v]


def backtest_table(result: dict[str, Any]) -> str:
    lines = [
        f"Backtest {result['from']} .. {result['to']}: {result['steps']} as-of dates x "
        f"{result['locations']} locations, outcome within {result['horizon_days']} days",
        "",
        f"{'':12} {'predictor':26} {'AUC':>6} {'Brier':>7} {'skill':>7}",
    ]
    for key, entry in _rows(result):
        for k in KEYS:
            s = entry[k]
            label = key if k == "model" else ""
            auc, brier, skill = _f(s["auc"]), _f(s["brier"], 4), _f(s["brier_skill"])
            lines.append(f"{label:12} {NAMES[k]:26} {auc:>6} {brier:>7} {skill:>7}")
        n, base = entry["model"]["n"], _f(entry["model"]["base_rate"])
        lines.append(f"{'':12} outcomes {entry['outcomes']} of {n} (base rate {base})")
    lines += ["", "Reliability (predicted band -> observed frequency, n):"]
    for key, entry in _rows(result):
        cells = [
            f"{r['word']} {_f(r['observed'], 2)} (n={r['n']})"
            for r in entry["reliability"]
            if r["n"]
        ]
        lines.append(f"  {key}: " + "; ".join(cells))
    return "\n".join(lines) + "\n"


def _page() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(shipped("templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template("backtest.html.j2")


def backtest_html(result: dict[str, Any]) -> str:
    """One self-contained page (a policy forbids any fetch) with a reliability diagram."""
    return _page().render(r=result, rows=_rows(result), keys=KEYS, names=NAMES, f=_f)


def calibration_markdown(model: Any, report: dict[str, Any]) -> str:
    """What was fitted and how it scored, train and test, beside the baselines."""
    fitted = model.fitted
    out = [
        "# Calibration",
        "",
        f"Train: {fitted['train']['from']} .. {fitted['train']['until']} "
        f"({fitted['train']['as_of_dates']} monthly as-of dates); "
        + (
            "test: {from} .. {until} ({as_of_dates}).".format(**fitted["test"])
            if fitted.get("test")
            else "no test period."
        ),
        f"Locations: {fitted['locations']}.",
        "",
    ]
    for name, h in model.hazards.items():
        terms = ", ".join(f"{c:+.3f} x ln(1 + {e})" for e, c in h.coefficients.items())
        out += [
            f"## {name}",
            "",
            f"log-odds = {h.intercept:.3f} {terms}; floor {h.floor:.4f}; bands {h.bands}; "
            f"climatology {h.climatology:.3f}",
            "",
        ]
    for period in ("train", "test"):
        if not report.get(period):
            continue
        out += [f"## {period}", "", backtest_table(report[period]), ""]
    return "\n".join(out)
