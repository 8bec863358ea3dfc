"""Backtest and calibration results for people: a table, an HTML page with a reliability
diagram, and the Markdown report calibrate writes beside a fitted pack."""

from __future__ import annotations

from typing import Any

import jinja2

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
            lines.append(
                f"{label:12} {NAMES[k]:26} {_f(s['auc']):>6} {_f(s['brier'], 4):>7} {_f(s['brier_skill']):>7}"
            )
        lines.append(
            f"{'':12} outcomes {entry['outcomes']} of {entry['model']['n']} (base rate {_f(entry['model']['base_rate'])})"
        )
    lines += ["", "Reliability (predicted band -> observed frequency, n):"]
    for key, entry in _rows(result):
        cells = [
            f"{r['word']} {_f(r['observed'], 2)} (n={r['n']})"
            for r in entry["reliability"]
            if r["n"]
        ]
        lines.append(f"  {key}: " + "; ".join(cells))
    return "\n".join(lines) + "\n"


PAGE = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined).from_string(
    """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Backtest {{ r['from'] }} .. {{ r['to'] }}</title>
<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2rem .5rem;text-align:right}
th:first-child,td:first-child{text-align:left}</style></head><body>
<h1>Backtest of {{ r.rule_pack.name if r.rule_pack else 'the rule pack' }}</h1>
<p>{{ r['steps'] }} as-of dates from {{ r['from'] }} to {{ r['to'] }}, {{ r['locations'] }} locations;
outcome within {{ r['horizon_days'] }} days. Each date is scored only with the events known then.</p>
{% for key, e in rows %}
<h2>{{ key }}</h2>
<table><tr><th>predictor</th><th>ROC AUC</th><th>Brier</th><th>Brier skill</th></tr>
{% for k in keys %}<tr><td>{{ names[k] }}</td><td>{{ f(e[k].auc) }}</td><td>{{ f(e[k].brier, 4) }}</td><td>{{ f(e[k].brier_skill) }}</td></tr>{% endfor %}
</table>
<p>{{ e.outcomes }} outcomes in {{ e.model.n }} cases.</p>
<svg viewBox="0 0 320 320" width="320" height="320" role="img" aria-label="reliability diagram: predicted against observed frequency">
<rect x="40" y="10" width="260" height="260" fill="none" stroke="#999"/>
<line x1="40" y1="270" x2="300" y2="10" stroke="#bbb" stroke-dasharray="4 3"/>
{% for b in e.reliability if b.n %}<circle cx="{{ 40 + 260 * b.mean_predicted }}" cy="{{ 270 - 260 * b.observed }}" r="{{ [3, (b.n ** 0.5) / 2] | max }}" fill="#b2182b" fill-opacity=".6"><title>{{ b.word }}: predicted {{ f(b.mean_predicted, 2) }}, observed {{ f(b.observed, 2) }}, n={{ b.n }}</title></circle>{% endfor %}
<text x="170" y="300" text-anchor="middle" font-size="12">predicted</text>
<text x="14" y="140" text-anchor="middle" font-size="12" transform="rotate(-90 14 140)">observed</text>
</svg>
<table><tr><th>band</th><th>n</th><th>mean predicted</th><th>observed</th><th>within 0.10</th></tr>
{% for b in e.reliability %}<tr><td>{{ b.word }}</td><td>{{ b.n }}</td><td>{{ f(b.mean_predicted, 3) }}</td><td>{{ f(b.observed, 3) }}</td><td>{{ '-' if b.near_band is none else ('yes' if b.near_band else 'no') }}</td></tr>{% endfor %}
</table>
{% endfor %}
</body></html>
"""
)


def backtest_html(result: dict[str, Any]) -> str:
    """One self-contained page (a policy forbids any fetch) with a reliability diagram."""
    return PAGE.render(r=result, rows=_rows(result), keys=KEYS, names=NAMES, f=_f)


def calibration_markdown(model: Any, report: dict[str, Any]) -> str:
    """What was fitted and how it scored, train and test, beside the baselines."""
    fitted = model.fitted
    out = [
        "# Calibration",
        "",
        f"Train: {fitted['train']['from']} .. {fitted['train']['until']} "
        f"({fitted['train']['as_of_dates']} monthly as-of dates); "
        + (
            f"test: {fitted['test']['from']} .. {fitted['test']['until']} ({fitted['test']['as_of_dates']})."
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
            f"log-odds = {h.intercept:.3f} {terms}; floor {h.floor:.4f}; bands {h.bands}; climatology {h.climatology:.3f}",
            "",
        ]
    for period in ("train", "test"):
        if not report.get(period):
            continue
        out += [f"## {period}", "", backtest_table(report[period]), ""]
    return "\n".join(out)
