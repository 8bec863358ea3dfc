"""The assessment's two bottom lines, written from the assessment alone.

The engine writes them in English as it finishes an assessment; a report writes them again in
its language with its `Voice`. Both call `bottom_lines`, and everything it reads is in the
assessment (which guidance tells people to leave, the roads out of the capital, the trend
windows), so the two can never disagree, whatever the rule pack says.
"""

from __future__ import annotations

from .model import Assessment, BottomLine, Location
from .narrative import (
    ENGLISH,
    N_,
    Voice,
    personal_security_line,
    regime_collapse_line,
    trend_sentence,
)

# the exposures whose trend at the capital the bottom lines state, and what they count
TREND_WHAT = {"violence": N_("violent incidents"), "attacks": N_("attacks on posts")}


def bottom_lines(a: Assessment, voice: Voice = ENGLISH) -> BottomLine:
    """Personal security (worst level, the capital and the roads out of it, peaks, guidance,
    the trend of violence) and regime collapse (who holds what, the trend of attacks on
    posts), each marked when the data are stale."""
    live = [g for g in a.guidance if g.in_force]
    issuers = sorted({g.issuer for g in live})
    departures = sorted({g.issuer for g in live if g.departure})
    cap = a.capital()
    ps = personal_security_line(
        a.locations,
        a.national,
        a.level_names,
        issuers,
        departures,
        cap.id if cap else None,
        a.national.capital_roads,
        voice=voice,
    )
    c = a.method.control
    rc = regime_collapse_line(
        a.national,
        cap.name if cap else voice._("the capital"),
        c.capital_fighting_window_days,
        c.raid_window_days,
        bool(issuers),
        voice,
    )
    trends = {name: _trend(a, cap, name, voice) for name in TREND_WHAT} if cap else {}
    mark = voice._("STALE DATA: ") if a.method.stale else ""
    return BottomLine(
        personal_security=mark + " ".join(filter(None, [ps, trends.get("violence")])),
        regime_collapse=mark + " ".join(filter(None, [rc, trends.get("attacks")])),
    )


def _trend(a: Assessment, cap: Location, name: str, voice: Voice) -> str:
    """The capital's trend of one exposure; none when the pack has no such exposure."""
    days = a.method.trend_days.get(name)
    if days is None:
        return ""
    tr = cap.trends.get(name)
    recent, baseline, new = (tr.recent, tr.baseline, tr.new) if tr else (0, 0, False)
    what = voice._(TREND_WHAT[name])
    return trend_sentence(
        what, cap.name, recent, baseline, days.recent_days, days.baseline_days, new, voice
    )
