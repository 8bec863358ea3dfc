"""Trend charts as inline SVG: weekly incidents near the capital, seizures against their ends.

What is counted comes from the rule pack, not from this module: each weekly series is one of the
pack's exposures (its signals, its point radius, its location-precision limit), measured at the
capital as the engine measures it; the control chart uses `control.yaml`'s `seized`, `ended` and
`governance` signals over its `lookback_days`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import polars as pl

from ...engine import Run
from ...geo import haversine
from . import svg
from .i18n import label

TREND_WEEKS = 26  # "the last 26 weeks" (issue 3): a presentation window, not an analysis number
# exposures charted week by week, when the pack defines them (others are left out)
WEEKLY_EXPOSURES = ("ambush", "kidnapping", "attacks", "blockade")
BAR_FILL = {
    "ambush": "#b2182b",
    "kidnapping": "#2166ac",
    "attacks": "#4d4d4d",
    "blockade": "#8c510a",
}


MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
MONTHS_FR = [
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
]


@dataclass
class Series:
    key: str
    name: str
    radius_km: float
    signals: list[str]
    counts: list[int]  # oldest week first


def _ages(run: Run) -> np.ndarray:
    as_of = run.assessment.as_of
    epoch = date(1970, 1, 1)
    days = run.incidents.frame["date"].cast(pl.Int32).to_numpy().astype(np.int64)
    return (as_of - epoch).days - days


def weekly_series(run: Run, lang: str) -> list[Series]:
    cap = run.gazetteer.capital()
    frame = run.incidents.frame
    if cap is None or frame.height == 0:
        return []
    ages = _ages(run)
    dist = haversine(cap.lat, cap.lon, frame["lat"].to_numpy(), frame["lon"].to_numpy())
    prec = frame["precision"].to_numpy()
    week = ages // 7
    out = []
    for key in WEEKLY_EXPOSURES:
        exp = run.pack.exposures.get(key)
        if exp is None:
            continue
        sigs = [s for s, w in exp.signals.items() if w > 0]
        hit = np.zeros(frame.height, dtype=bool)
        for s in sigs:
            hit |= run.signals[s].to_numpy()
        ok = (
            hit
            & (dist <= exp.radius_km.point)
            & (prec <= exp.max_geo_precision.point)
            & (ages >= 0)
            & (week < TREND_WEEKS)
        )
        counts = np.bincount(week[ok].astype(np.int64), minlength=TREND_WEEKS)[:TREND_WEEKS]
        out.append(
            Series(
                key,
                label("hazard", lang, key),
                exp.radius_km.point,
                sigs,
                [int(c) for c in counts[::-1]],
            )
        )
    return out


def _fmt_day(d: date, lang: str) -> str:
    months = {
        "en": MONTHS_EN,
        "fr": MONTHS_FR,
    }[lang]
    return f"{d.day} {months[d.month - 1]}"


def weekly_svg(series: list[Series], as_of: date, lang: str, t) -> str:
    """Small multiples on one shared y-scale, so the hazards compare honestly."""
    if not series:
        return ""
    cols = 2
    cw, ch = 380.0, 150.0
    pad_l, pad_b, pad_t = 30.0, 26.0, 34.0
    rows = (len(series) + cols - 1) // cols
    width, height = cols * cw + 20, rows * (ch + 10)
    top = max(max(s.counts) for s in series) or 1
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {svg.num(width)} '
        f'{svg.num(height)}" class="chart" role="img" '
        'font-family="DejaVu Sans, Verdana, Arial, sans-serif">'
    ]
    first_week_start = as_of - timedelta(days=7 * TREND_WEEKS - 1)
    for i, s in enumerate(series):
        gx = (i % cols) * (cw + 20)
        gy = (i // cols) * (ch + 10)
        plot_w = cw - pad_l - 8
        plot_h = ch - pad_t - pad_b
        bw = plot_w / TREND_WEEKS
        title = t("trends.series", name=s.name, radius=f"{s.radius_km:g}")
        out.append(svg.text(gx + 2, gy + 14, title, size=11.5, weight="bold", halo=False))
        out.append(
            svg.text(
                gx + 2,
                gy + 27,
                f"{sum(s.counts)} · " + t("trends.max", n=max(s.counts)),
                size=10,
                halo=False,
                fill="#444",
            )
        )
        x0, y0 = gx + pad_l, gy + pad_t
        # grid: zero line and the shared maximum
        out.append(
            f'<path d="M{svg.num(x0)} {svg.num(y0 + plot_h)} h{svg.num(plot_w)}" '
            'stroke="#333" stroke-width="1"/>'
            f'<path d="M{svg.num(x0)} {svg.num(y0)} h{svg.num(plot_w)}" stroke="#ccc" '
            'stroke-width="0.8" stroke-dasharray="3 3"/>'
        )
        out.append(svg.text(x0 - 4, y0 + 4, str(top), size=9.5, anchor="end", halo=False))
        out.append(svg.text(x0 - 4, y0 + plot_h + 3, "0", size=9.5, anchor="end", halo=False))
        for k, c in enumerate(s.counts):
            if c == 0:
                continue
            h = plot_h * c / top
            out.append(
                f'<rect x="{svg.num(x0 + k * bw + 1)}" y="{svg.num(y0 + plot_h - h)}" '
                f'width="{svg.num(bw - 2)}" height="{svg.num(h)}" '
                f'fill="{BAR_FILL.get(s.key, "#555")}"><title>{c}</title></rect>'
            )
        for k in (0, 13, TREND_WEEKS - 1):
            d = first_week_start + timedelta(days=7 * k)
            anchor = "start" if k == 0 else ("end" if k == TREND_WEEKS - 1 else "middle")
            x = x0 + k * bw + (bw if k == TREND_WEEKS - 1 else 0)
            out.append(
                svg.text(
                    x,
                    y0 + plot_h + 14,
                    _fmt_day(d, lang),
                    size=9.5,
                    anchor=anchor,
                    halo=False,
                    fill="#333",
                )
            )
    out.append("</svg>")
    return "".join(out)


@dataclass
class ControlSeries:
    months: list[date]  # first day of each month, oldest first
    seized: list[int]
    ended: list[int]
    governance: list[int]


def control_series(run: Run) -> ControlSeries:
    cfg = run.pack.control
    frame = run.incidents.frame
    as_of = run.assessment.as_of
    ages = _ages(run) if frame.height else np.zeros(0, dtype=np.int64)
    start = as_of - timedelta(days=cfg.lookback_days - 1)
    months = []
    m = date(start.year, start.month, 1)
    while m <= as_of:
        months.append(m)
        m = date(m.year + (m.month == 12), m.month % 12 + 1, 1)
    index = {(d.year, d.month): i for i, d in enumerate(months)}

    def count(signals: list[str]) -> list[int]:
        out = [0] * len(months)
        if not frame.height:
            return out
        hit = np.zeros(frame.height, dtype=bool)
        for s in signals:
            hit |= run.signals[s].to_numpy()
        ok = hit & (ages >= 0) & (ages < cfg.lookback_days)
        for d in frame["date"].filter(ok).to_list():
            out[index[(d.year, d.month)]] += 1
        return out

    return ControlSeries(months, count(cfg.seized), count(cfg.ended), count(cfg.governance))


def control_svg(cs: ControlSeries, lang: str, t) -> str:
    width, height = 780.0, 210.0
    pad_l, pad_r = 34.0, 8.0
    mid = 100.0
    half = 70.0
    n = len(cs.months)
    top = max([*cs.seized, *cs.ended, 1])
    bw = (width - pad_l - pad_r) / max(n, 1)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {svg.num(width)} '
        f'{svg.num(height)}" class="chart" role="img" '
        'font-family="DejaVu Sans, Verdana, Arial, sans-serif">',
        svg.text(4, 14, "▲ " + t("trends.seized"), size=11, weight="bold", halo=False),
        svg.text(4, height - 6, "▼ " + t("trends.ended"), size=11, weight="bold", halo=False),
        f'<path d="M{svg.num(pad_l)} {svg.num(mid)} h{svg.num(width - pad_l - pad_r)}" '
        'stroke="#333" stroke-width="1"/>',
        svg.text(pad_l - 4, mid - half + 4, str(top), size=9.5, anchor="end", halo=False),
        svg.text(pad_l - 4, mid + half + 4, str(top), size=9.5, anchor="end", halo=False),
    ]
    for k in range(n):
        x = pad_l + k * bw
        if cs.seized[k]:
            h = half * cs.seized[k] / top
            out.append(
                f'<rect x="{svg.num(x + 1.5)}" y="{svg.num(mid - h)}" width="{svg.num(bw - 3)}" '
                f'height="{svg.num(h)}" fill="#b2182b"><title>{cs.seized[k]}</title></rect>'
            )
        if cs.ended[k]:
            h = half * cs.ended[k] / top
            out.append(
                f'<rect x="{svg.num(x + 1.5)}" y="{svg.num(mid)}" width="{svg.num(bw - 3)}" '
                f'height="{svg.num(h)}" fill="#fff" stroke="#2166ac" stroke-width="1.5">'
                f"<title>{cs.ended[k]}</title></rect>"
            )
        if cs.governance[k]:
            out.append(
                svg.text(
                    x + bw / 2,
                    mid - half - 6,
                    "◆" * min(cs.governance[k], 3),
                    size=10,
                    anchor="middle",
                    halo=False,
                )
            )
        d = cs.months[k]
        if d.month in (1, 4, 7, 10) or k == 0:
            lab = _fmt_day(d, lang).split(" ", 1)[1] + (
                f" {d.year}" if d.month == 1 or k == 0 else ""
            )
            out.append(
                f'<path d="M{svg.num(x)} {svg.num(mid - 3)} v6" stroke="#333" stroke-width="1"/>'
            )
            out.append(svg.text(x + 1, mid + half + 16, lab, size=9.5, halo=False, fill="#333"))
    out.append("</svg>")
    return "".join(out)
