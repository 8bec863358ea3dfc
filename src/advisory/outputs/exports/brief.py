"""The assessment as a message: plain text for a WhatsApp or Signal group, or an email body.

Officers pass ratings on in chat groups, where a long message is not read. The brief says, in
at most `max_chars` characters (1,000 by default): both tracks' levels, one line each; the
places or roads asked for (by default the capital and the roads out of it) with their level
and the chance of each hazard in 30 days; what changed since a previous assessment; and the
main measure at the highest level shown. What does not fit is dropped whole, lowest priority
first (further places, then further changes), and the message says how much more there is.
The desk calls `brief_text` for its webhook payload and email body.

In French the phrases come from the report's catalogue with real plurals ("1 autre
changement", "3 autres changements"), the dates, percentages and lists from Babel, and the
measure and its phase from the pack's French. The brief quotes no sentence of the engine's: it
is made of levels, chances and names, which read the same as in the advisory.
"""

from __future__ import annotations

from typing import Any

from ...assessment.model import Assessment, Location
from ...text import did_you_mean, fold
from ..report.changes import Changes, compare
from ..report.i18n import join
from ..report.roadnames import localised
from .words import Vocabulary, one_line

DEFAULT_MAX_CHARS = 1000
MIN_CHARS = 280  # the title, both tracks, the measure and a word on the places need this much
NAMES_SHOWN = 3  # "Extreme at worst (A, B, C +19)"
ELLIPSIS = "…"


class UnknownPlace(ValueError):
    """A place or road asked for is not in the assessment (the message suggests names)."""


def brief_text(
    assessment: Assessment,
    lang: str = "en",
    places: list[str] | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    previous: dict[str, Any] | None = None,
) -> str:
    """The brief, at most `max_chars` characters. `places` are ids or names (accents and case
    ignored); `previous` is an earlier assessment's JSON (raises the report's `PreviousError`
    when it is not one)."""
    a, v = localised(assessment, lang), Vocabulary(lang, assessment.level_names)
    locs = pick_places(assessment, places) if places else capital_and_roads(assessment)
    if a is not assessment:  # the same places, their names in the language
        by_id = {loc.id: loc for loc in a.locations}
        locs = [by_id[loc.id] for loc in locs]
    first = [_title(a, v), _personal_security(a, v), _regime_collapse(a, v)]
    last = [line for line in (_measure(a, locs, v), _credit(a, v)) if line]
    changes = None if previous is None else compare(previous, a)
    return _fit(first, [_place(loc, v) for loc in locs], changes, locs, last, v, max_chars)


def capital_and_roads(a: Assessment) -> list[Location]:
    """The capital (`national.capital`) and the roads out of it (`national.capital_roads`)."""
    cap = a.capital()
    if cap is None:
        return []
    out = set(a.national.capital_roads)
    return [cap, *(loc for loc in a.locations if loc.id in out)]


def pick_places(a: Assessment, wanted: list[str]) -> list[Location]:
    """The locations asked for, in the order asked, by id or name (folded)."""
    by_key: dict[str, Location] = {}
    for each in a.locations:
        by_key.setdefault(each.id, each)
        by_key.setdefault(fold(each.name), each)
    out: list[Location] = []
    for w in (w.strip() for w in wanted):
        loc = by_key.get(w) or by_key.get(fold(w))
        if loc is None:
            names = [x.id for x in a.locations] + [x.name for x in a.locations]
            raise UnknownPlace(f"no place or road {w!r} in the assessment{did_you_mean(w, names)}")
        if loc not in out:
            out.append(loc)
    return out


def _names(a: Assessment, ids: list[str]) -> str:
    known = {loc.id: one_line(loc.name) for loc in a.locations}
    names = [known.get(i, i) for i in ids]
    more = f" +{len(names) - NAMES_SHOWN}" if len(names) > NAMES_SHOWN else ""
    return ", ".join(names[:NAMES_SHOWN]) + more


def _title(a: Assessment, v: Vocabulary) -> str:
    days = a.method.data_age_days
    if not a.method.stale:
        return v.title(a.as_of)
    if days is None:  # no usable incident at all
        return f"{v.title(a.as_of)} ({v.t('STALE DATA')})"
    stale = v.t.n("STALE DATA: newest incident %(n)s day old",
                  "STALE DATA: newest incident %(n)s days old", days)  # fmt: skip
    return f"{v.title(a.as_of)} ({stale})"


def _personal_security(a: Assessment, v: Vocabulary) -> str:
    ps = a.national.personal_security
    where = f" ({_names(a, ps.highest_at)})" if ps.highest_at else ""
    return v.t("Personal security: %(level)s at worst", level=v.level(ps.level)) + where


def _regime_collapse(a: Assessment, v: Vocabulary) -> str:
    rc = a.national.regime_collapse
    held = f" ({_names(a, rc.held_centres)})" if rc.held_centres else ""
    return v.t("Regime collapse: %(level)s", level=v.level(rc.level)) + held


def _place(loc: Location, v: Vocabulary) -> str:
    ps = loc.personal_security
    days = next((hz.outcome.days for hz in ps.hazards.values()), 30)
    line = v.t.n("%(name)s: %(level)s (%(chances)s in %(n)s day)",
                 "%(name)s: %(level)s (%(chances)s in %(n)s days)", days,
                 name=one_line(loc.name), level=v.level(ps.level),
                 chances=v.chances(loc))  # fmt: skip
    if loc.regime_collapse.level >= 2:  # the other track, where it has something to say
        rc = v.level(loc.regime_collapse.level)
        line += v.t("; regime collapse: %(level)s", level=rc)
    return line


def _measure(a: Assessment, locs: list[Location], v: Vocabulary) -> str:
    """The first measure of the posture at the highest personal-security level shown."""
    level = max((loc.personal_security.level for loc in locs),
                default=a.national.personal_security.level)  # fmt: skip
    posture = a.postures.get(str(level))
    if posture is None or not posture.measures:
        return ""
    return v.t("At %(level)s (%(phase)s): %(measure)s", level=v.level(level),
               phase=getattr(posture.phase_text, v.lang),
               measure=getattr(posture.measures[0], v.lang))  # fmt: skip


def _credit(a: Assessment, v: Vocabulary) -> str:
    """CC BY 4.0 asks for credit in a way reasonable for the medium: one short line."""
    ged = any(entry.get("format") == "ucdp-ged" for entry in a.provenance.inputs)
    return v.t("Data: UCDP GED (CC BY 4.0)") if ged else ""


def _change_items(ch: Changes, locs: list[Location], v: Vocabulary) -> tuple[list[str], int]:
    """(the national changes and those at the places shown, in words; how many others)."""
    shown = {loc.id for loc in locs}
    items = [f"{v.track(c.track).lower()} {v.level(c.old)} → {v.level(c.new)}"
             for c in ch.national]  # fmt: skip
    others = 0
    for c in [*ch.up, *ch.down]:
        if c.id not in shown:
            others += 1
            continue
        track = "" if c.track == "personal_security" else f" ({v.track(c.track).lower()})"
        items.append(f"{one_line(c.name)}{track} {v.level(c.old)} → {v.level(c.new)}")
    others += sum(len(x) for x in (ch.new_places, ch.gone_places, ch.guidance_added,
                                   ch.guidance_removed, ch.guidance_now_in_force,
                                   ch.guidance_lapsed))  # fmt: skip
    return items, others


def _changes_line(ch: Changes, locs: list[Location], v: Vocabulary, budget: int) -> str:
    """What changed, with as many items as `budget` characters hold; the rest counted ("a, b
    and 3 more changes", a list as the language writes it)."""
    since = v.date_words(ch.previous_as_of)
    if ch.empty:
        return v.t("No level changed since %(date)s.", date=since)
    items, others = _change_items(ch, locs, v)
    for keep in range(len(items), -1, -1):
        rest = others + len(items) - keep
        more = v.t.n("%(count)s more change", "%(count)s more changes", rest, count=v.count(rest))
        parts = items[:keep] + ([more] if rest else [])
        line = v.t("Since %(date)s: %(items)s", date=since, items=join(parts, v.lang))
        if len(line) <= budget or keep == 0:
            return line
    raise AssertionError("unreachable")  # keep == 0 always returns


def _fit(
    first: list[str],
    place_lines: list[str],
    changes: Changes | None,
    locs: list[Location],
    last: list[str],
    v: Vocabulary,
    max_chars: int,
) -> str:
    """Lay the lines out in order, dropping whole lines by priority to stay within
    `max_chars`: the tracks and the measure always stay (cut with an ellipsis at worst); the
    places come next, with a third of what is left kept for the changes, which then take
    whatever the places did not use. When no place fits, a line says how many were left out,
    at the cost of the measure's end if need be."""
    fixed = "\n".join([*first, *last])
    if len(fixed) > max_chars:
        return _cut(fixed, max_chars)
    room = max_chars - len(fixed)
    reserve = 0
    if changes is not None:
        reserve = len(_changes_line(changes, locs, v, room // 3 - 1)) + 1
        reserve = reserve if reserve <= room else 0
    shown = _places_within(place_lines, room - reserve, v)
    if place_lines and not shown:  # saying that places were left out comes before changes
        shown = _places_within(place_lines, room, v)
    if place_lines and not shown and last:  # ... and before the end of the measure
        notice = _more(len(place_lines), v)
        last = [_cut(last[0], len(last[0]) - (len(notice) + 1 - room)), *last[1:]]
        shown, room = [notice], len(notice) + 1
    room -= sum(len(line) + 1 for line in shown)
    change = _changes_line(changes, locs, v, room - 1) if changes is not None else ""
    change = change if len(change) + 1 <= room else ""
    return "\n".join([*first, *shown, *([change] if change else []), *last])


def _places_within(lines: list[str], room: int, v: Vocabulary) -> list[str]:
    """As many place lines as `room` holds, then a line saying how many more there are."""
    shown: list[str] = []
    for i, line in enumerate(lines):
        left = len(lines) - i - 1
        more = len(_more(left, v)) + 1 if left else 0
        if len(line) + 1 + more > room:
            dropped = _more(len(lines) - i, v)
            return shown + ([dropped] if len(dropped) + 1 <= room else [])
        shown.append(line)
        room -= len(line) + 1
    return shown


def _more(n: int, v: Vocabulary) -> str:
    return v.t.n("+%(count)s more in the full advisory", "+%(count)s more in the full advisory", n,
                 count=v.count(n))  # fmt: skip


def _cut(text: str, max_chars: int) -> str:
    return text if len(text) <= max_chars else text[: max_chars - 1].rstrip() + ELLIPSIS
