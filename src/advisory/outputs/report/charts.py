"""Trend charts as inline SVG, drawn from the assessment: weekly incidents near the capital
(`national.weekly`, counted by the engine as each exposure counts them) and every seizure of a
population centre in the control look-back, from seizure to its end (the locations' control
episodes): a raid that ended within days reads as a short bar, a town held as a long one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ...assessment.model import Assessment, Episode, Series
from . import svg
from .i18n import Translator, label, month_abbr, num

BAR_FILL = {
    "violence": "#b2182b",
    "kidnapping": "#2166ac",
    "attacks": "#4d4d4d",
    "blockade": "#8c510a",
}
FONT = 'font-family="DejaVu Sans, Verdana, Arial, sans-serif"'
# episode status -> (fill, stroke): the longer and firmer the hold, the darker
EPISODE_STYLE = {
    "raid": ("#fddbc7", "#b2182b"),
    "regained": ("#d1e5f0", "#2166ac"),
    "lapsed": ("#e0e0e0", "#777777"),
    "contested": ("#fdae61", "#b35806"),
    "held": ("#b2182b", "#67001f"),
    "held_governed": ("#67001f", "#3f0012"),
}
MAX_ROWS = 15  # centres drawn in the control chart; the rest are counted under it


def _day(d: date, lang: str) -> str:
    return f"{d.day} {month_abbr(d.month, lang)}"


def weekly_svg(series: list[Series], as_of: date, lang: str, t: Translator) -> str:
    """Small multiples on one shared y-scale, so the hazards compare honestly."""
    if not series:
        return ""
    weeks = len(series[0].counts)
    cols, cw, ch = 2, 380.0, 150.0
    pad_l, pad_b, pad_t = 30.0, 26.0, 34.0
    rows = (len(series) + cols - 1) // cols
    width, height = cols * cw + 20, rows * (ch + 10)
    top = max(max(s.counts, default=0) for s in series) or 1
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {svg.num(width)} {svg.num(height)}" '
        f'class="chart" role="img" {FONT}>'
    ]
    first_week_start = as_of - timedelta(days=7 * weeks - 1)
    for i, s in enumerate(series):
        gx, gy = (i % cols) * (cw + 20), (i // cols) * (ch + 10)
        plot_w, plot_h = cw - pad_l - 8, ch - pad_t - pad_b
        bw = plot_w / max(weeks, 1)
        title = t(
            "%(name)s: within %(radius)s km",
            name=label("hazard", lang, s.key),
            radius=num(s.radius_km),
        )
        out.append(svg.text(gx + 2, gy + 14, title, size=11.5, weight="bold", halo=False))
        total = t.n("%(n)s incident", "%(n)s incidents", sum(s.counts))
        peak = t("most in a week: %(n)s", n=max(s.counts, default=0))
        out.append(svg.text(gx + 2, gy + 27, f"{total} · {peak}", size=10, halo=False, fill="#444"))
        x0, y0 = gx + pad_l, gy + pad_t
        out.append(
            f'<path d="M{svg.num(x0)} {svg.num(y0 + plot_h)} h{svg.num(plot_w)}" stroke="#333" '
            f'stroke-width="1"/>'
            f'<path d="M{svg.num(x0)} {svg.num(y0)} h{svg.num(plot_w)}" stroke="#ccc" '
            f'stroke-width="0.8" '
            'stroke-dasharray="3 3"/>'
        )
        out.append(svg.text(x0 - 4, y0 + 4, str(top), size=9.5, anchor="end", halo=False))
        out.append(svg.text(x0 - 4, y0 + plot_h + 3, "0", size=9.5, anchor="end", halo=False))
        for k, c in enumerate(s.counts):
            if c:
                h = plot_h * c / top
                out.append(
                    f'<rect x="{svg.num(x0 + k * bw + 1)}" y="{svg.num(y0 + plot_h - h)}" '
                    f'width="{svg.num(bw - 2)}" height="{svg.num(h)}" '
                    f'fill="{BAR_FILL.get(s.key, "#555")}"><title>{c}</title></rect>'
                )
        for k in (0, weeks // 2, weeks - 1):
            d = first_week_start + timedelta(days=7 * k)
            anchor = "start" if k == 0 else ("end" if k == weeks - 1 else "middle")
            x = x0 + k * bw + (bw if k == weeks - 1 else 0)
            out.append(
                svg.text(
                    x,
                    y0 + plot_h + 14,
                    _day(d, lang),
                    size=9.5,
                    anchor=anchor,
                    halo=False,
                    fill="#333",
                )
            )
    out.append("</svg>")
    return "".join(out)


@dataclass
class Seizures:
    """The centres seized within the control look-back, most recent seizure first."""

    start: date  # the look-back's first day
    end: date  # the as-of date
    rows: list[tuple[str, list[Episode]]]
    more: int  # centres left out of the chart


def seizures(a: Assessment) -> Seizures:
    start = a.as_of - timedelta(days=a.method.control.lookback_days - 1)
    rows = []
    for loc in a.locations:
        eps = [
            ep
            for ep in loc.regime_collapse.episodes
            if (ep.end or a.as_of) >= start and ep.start <= a.as_of
        ]
        if eps:
            rows.append((loc.name, sorted(eps, key=lambda e: e.start)))
    rows.sort(key=lambda r: (-max(e.start for e in r[1]).toordinal(), r[0]))
    return Seizures(start, a.as_of, rows[:MAX_ROWS], max(0, len(rows) - MAX_ROWS))


def seizures_svg(s: Seizures, lang: str, t: Translator) -> str:
    """One row per centre: a bar from each seizure to its end (or to the as-of date while it
    lasts), filled by what the seizure turned out to be."""
    width, pad_l, pad_r, row_h, top = 780.0, 150.0, 10.0, 17.0, 8.0
    span = max((s.end - s.start).days, 1)
    plot_w = width - pad_l - pad_r
    axis_y = top + row_h * max(len(s.rows), 1) + 4
    height = axis_y + 22 + 22 * ((len(EPISODE_STYLE) + 1) // 2)

    def x(d: date) -> float:
        return pad_l + plot_w * max(0, (d - s.start).days) / span

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {svg.num(width)} {svg.num(height)}" '
        f'class="chart" role="img" {FONT}>'
    ]
    if not s.rows:
        out.append(
            svg.text(
                pad_l,
                top + 12,
                t("No seizure of a population centre in this period."),
                size=11,
                halo=False,
            )
        )
    for i, (name, eps) in enumerate(s.rows):
        y = top + i * row_h
        out.append(svg.text(pad_l - 6, y + 12, name, size=10.5, anchor="end", halo=False))
        out.append(
            f'<path d="M{svg.num(pad_l)} {svg.num(y + row_h / 2)} h{svg.num(plot_w)}" '
            f'stroke="#e3e3e3"/>'
        )
        for ep in eps:
            fill, stroke = EPISODE_STYLE.get(ep.status, ("#ccc", "#333"))
            x0, x1 = x(max(ep.start, s.start)), x(ep.end or s.end)
            until = (ep.end or s.end).isoformat()
            title = f"{ep.start.isoformat()} – {until}: {label('episode', lang, ep.status)}"
            out.append(
                f'<rect x="{svg.num(x0)}" y="{svg.num(y + 3)}" width="{svg.num(max(x1 - x0, 3))}" '
                f'height="{svg.num(row_h - 6)}" '
                f'fill="{fill}" stroke="{stroke}" '
                f'stroke-width="1"><title>{svg.esc(title)}</title></rect>'
            )
    out.append(f'<path d="M{svg.num(pad_l)} {svg.num(axis_y)} h{svg.num(plot_w)}" stroke="#333"/>')
    m = date(s.start.year, s.start.month, 1)
    while m <= s.end:
        if m >= s.start and m.month in (1, 4, 7, 10):
            text = month_abbr(m.month, lang) + (f" {m.year}" if m.month == 1 else "")
            out.append(f'<path d="M{svg.num(x(m))} {svg.num(axis_y)} v4" stroke="#333"/>')
            out.append(
                svg.text(
                    x(m), axis_y + 15, text, size=9.5, anchor="middle", halo=False, fill="#333"
                )
            )
        m = date(m.year + (m.month == 12), m.month % 12 + 1, 1)
    for k, (status, (fill, stroke)) in enumerate(EPISODE_STYLE.items()):
        lx, ly = 8 + (k % 2) * 385, axis_y + 30 + (k // 2) * 22
        out.append(
            f'<rect x="{lx}" y="{svg.num(ly - 9)}" width="22" height="10" fill="{fill}" '
            f'stroke="{stroke}"/>'
        )
        out.append(svg.text(lx + 28, ly, label("episode", lang, status), size=10, halo=False))
    out.append("</svg>")
    return "".join(out)
