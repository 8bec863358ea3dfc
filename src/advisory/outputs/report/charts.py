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
from .formats import month_abbr, num
from .i18n import Translator, label

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
PANEL_W, PANEL_H, PANEL_COLS = 380.0, 150.0, 2  # the weekly chart's small multiples
ROW_H, ROWS_TOP = 17.0, 8.0  # the seizures chart's rows


def _day(d: date, lang: str) -> str:
    return f"{d.day} {month_abbr(d.month, lang)}"


@dataclass(frozen=True)
class Panel:
    """The geometry every weekly panel shares: PANEL_W x PANEL_H units, two to a row, each
    plot inset by its axis labels (left), dates (bottom) and title (top)."""

    weeks: int
    top: int  # the shared y-scale's maximum
    first_week_start: date
    pad_l: float = 30.0
    pad_b: float = 26.0
    pad_t: float = 34.0

    @property
    def plot_w(self) -> float:
        return PANEL_W - self.pad_l - 8

    @property
    def plot_h(self) -> float:
        return PANEL_H - self.pad_t - self.pad_b

    @property
    def bar_w(self) -> float:
        return self.plot_w / max(self.weeks, 1)


def weekly_svg(series: list[Series], as_of: date, lang: str, t: Translator) -> str:
    """Small multiples on one shared y-scale, so the hazards compare honestly."""
    if not series:
        return ""
    weeks = len(series[0].counts)
    rows = (len(series) + PANEL_COLS - 1) // PANEL_COLS
    width, height = PANEL_COLS * PANEL_W + 20, rows * (PANEL_H + 10)
    top = max(max(s.counts, default=0) for s in series) or 1
    panel = Panel(weeks, top, as_of - timedelta(days=7 * weeks - 1))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {svg.num(width)} {svg.num(height)}" '
        f'class="chart" role="img" {FONT}>'
    ]
    for i, s in enumerate(series):
        gx, gy = (i % PANEL_COLS) * (PANEL_W + 20), (i // PANEL_COLS) * (PANEL_H + 10)
        out += _weekly_panel(s, panel, gx, gy, lang, t)
    out.append("</svg>")
    return "".join(out)


def _weekly_panel(s: Series, p: Panel, gx: float, gy: float, lang: str, t: Translator) -> list[str]:
    """One hazard's panel at (gx, gy): its title and totals, the axis, a bar per week with
    incidents (its count as the tooltip) and three dates under it."""
    title = t(
        "%(name)s: within %(radius)s km",
        name=label("hazard", lang, s.key),
        radius=num(s.radius_km),
    )
    out = [svg.text(gx + 2, gy + 14, title, size=11.5, weight="bold", halo=False)]
    total = t.n("%(n)s incident", "%(n)s incidents", sum(s.counts))
    peak = t("most in a week: %(n)s", n=max(s.counts, default=0))
    out.append(svg.text(gx + 2, gy + 27, f"{total} · {peak}", size=10, halo=False, fill="#444"))
    x0, y0, plot_w, plot_h, bw = gx + p.pad_l, gy + p.pad_t, p.plot_w, p.plot_h, p.bar_w
    out.append(
        f'<path d="M{svg.num(x0)} {svg.num(y0 + plot_h)} h{svg.num(plot_w)}" stroke="#333" '
        f'stroke-width="1"/>'
        f'<path d="M{svg.num(x0)} {svg.num(y0)} h{svg.num(plot_w)}" stroke="#ccc" '
        f'stroke-width="0.8" '
        'stroke-dasharray="3 3"/>'
    )
    out.append(svg.text(x0 - 4, y0 + 4, str(p.top), size=9.5, anchor="end", halo=False))
    out.append(svg.text(x0 - 4, y0 + plot_h + 3, "0", size=9.5, anchor="end", halo=False))
    for k, c in enumerate(s.counts):
        if c:
            h = plot_h * c / p.top
            out.append(
                f'<rect x="{svg.num(x0 + k * bw + 1)}" y="{svg.num(y0 + plot_h - h)}" '
                f'width="{svg.num(bw - 2)}" height="{svg.num(h)}" '
                f'fill="{BAR_FILL.get(s.key, "#555")}"><title>{c}</title></rect>'
            )
    weeks = p.weeks
    for k in (0, weeks // 2, weeks - 1):
        d = p.first_week_start + timedelta(days=7 * k)
        anchor = "start" if k == 0 else ("end" if k == weeks - 1 else "middle")
        x = x0 + k * bw + (bw if k == weeks - 1 else 0)
        out.append(
            svg.text(
                x, y0 + plot_h + 14, _day(d, lang), size=9.5, anchor=anchor, halo=False, fill="#333"
            )
        )
    return out


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


@dataclass(frozen=True)
class Timeline:
    """The seizures chart's horizontal scale: the look-back from its first day to the as-of
    date across the plot, right of the centres' names."""

    start: date
    end: date
    width: float = 780.0
    pad_l: float = 150.0
    pad_r: float = 10.0

    @property
    def plot_w(self) -> float:
        return self.width - self.pad_l - self.pad_r

    def x(self, d: date) -> float:
        span = max((self.end - self.start).days, 1)
        return self.pad_l + self.plot_w * max(0, (d - self.start).days) / span


def seizures_svg(s: Seizures, lang: str, t: Translator) -> str:
    """One row per centre: a bar from each seizure to its end (or to the as-of date while it
    lasts), filled by what the seizure turned out to be."""
    tl = Timeline(s.start, s.end)
    axis_y = ROWS_TOP + ROW_H * max(len(s.rows), 1) + 4
    height = axis_y + 22 + 22 * ((len(EPISODE_STYLE) + 1) // 2)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {svg.num(tl.width)} '
        f'{svg.num(height)}" class="chart" role="img" {FONT}>'
    ]
    if not s.rows:
        msg = t("No seizure of a population centre in this period.")
        out.append(svg.text(tl.pad_l, ROWS_TOP + 12, msg, size=11, halo=False))
    for i, (name, eps) in enumerate(s.rows):
        out += _centre_row(ROWS_TOP + i * ROW_H, name, eps, tl, lang)
    out += _time_axis(tl, axis_y, lang)
    out += _episode_legend(axis_y, lang)
    out.append("</svg>")
    return "".join(out)


def _centre_row(y: float, name: str, eps: list[Episode], tl: Timeline, lang: str) -> list[str]:
    """A centre's row at height y: its name, a faint rule, and a bar per seizure (its dates
    and what it turned out to be as the tooltip); a bar is at least 3 units wide, so a raid
    of a day still shows."""
    out = [
        svg.text(tl.pad_l - 6, y + 12, name, size=10.5, anchor="end", halo=False),
        f'<path d="M{svg.num(tl.pad_l)} {svg.num(y + ROW_H / 2)} h{svg.num(tl.plot_w)}" '
        f'stroke="#e3e3e3"/>',
    ]
    for ep in eps:
        fill, stroke = EPISODE_STYLE.get(ep.status, ("#ccc", "#333"))
        x0, x1 = tl.x(max(ep.start, tl.start)), tl.x(ep.end or tl.end)
        until = (ep.end or tl.end).isoformat()
        title = f"{ep.start.isoformat()} – {until}: {label('episode', lang, ep.status)}"
        out.append(
            f'<rect x="{svg.num(x0)}" y="{svg.num(y + 3)}" width="{svg.num(max(x1 - x0, 3))}" '
            f'height="{svg.num(ROW_H - 6)}" '
            f'fill="{fill}" stroke="{stroke}" '
            f'stroke-width="1"><title>{svg.esc(title)}</title></rect>'
        )
    return out


def _time_axis(tl: Timeline, axis_y: float, lang: str) -> list[str]:
    """The axis under the rows, ticked at the start of each quarter (the year on January's)."""
    out = [
        f'<path d="M{svg.num(tl.pad_l)} {svg.num(axis_y)} h{svg.num(tl.plot_w)}" stroke="#333"/>'
    ]
    m = date(tl.start.year, tl.start.month, 1)
    while m <= tl.end:
        if m >= tl.start and m.month in (1, 4, 7, 10):
            text = month_abbr(m.month, lang) + (f" {m.year}" if m.month == 1 else "")
            out.append(f'<path d="M{svg.num(tl.x(m))} {svg.num(axis_y)} v4" stroke="#333"/>')
            out.append(
                svg.text(
                    tl.x(m), axis_y + 15, text, size=9.5, anchor="middle", halo=False, fill="#333"
                )
            )
        m = date(m.year + (m.month == 12), m.month % 12 + 1, 1)
    return out


def _episode_legend(axis_y: float, lang: str) -> list[str]:
    """What each fill means, two to a line under the axis."""
    out = []
    for k, (status, (fill, stroke)) in enumerate(EPISODE_STYLE.items()):
        lx, ly = 8 + (k % 2) * 385, axis_y + 30 + (k // 2) * 22
        out.append(
            f'<rect x="{lx}" y="{svg.num(ly - 9)}" width="22" height="10" fill="{fill}" '
            f'stroke="{stroke}"/>'
        )
        out.append(svg.text(lx + 28, ly, label("episode", lang, status), size=10, halo=False))
    return out
