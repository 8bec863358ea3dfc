"""Bottom lines built from the trace, in the spirit of the analysis in DOMAIN.md.

Personal security and regime collapse are written as separate paragraphs and never blended;
likelihood words and confidence are never put in one sentence (ICD 203).

Every sentence goes through a `Voice`: English by default (the engine's own text, in the
assessment), or another language when a report passes its gettext catalogue, its level labels
and its way of joining a list. The English text is the catalogue's message id, so the report's
French catalogue translates these sentences like any other (`pybabel extract` finds them).
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .model import Driver, Hazard, Location, National, NationalRegime


def N_(message: str) -> str:
    """Marks a message for the catalogue; translated where it is used."""
    return message


def NP_(context: str, message: str) -> str:
    """Marks a message with its context for the catalogue (`pybabel extract -k NP_:1c,2`)."""
    return message


def join_english(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


@dataclass(frozen=True)
class Voice:
    """The language the sentences are written in. `levels` replaces the level labels the
    assessment carries (the rule pack's English ones); `join` joins a list ("a, b and c");
    `value` writes a value the engine wrote in English ("12.5" -> "12,5")."""

    tr: gettext.NullTranslations = field(default_factory=gettext.NullTranslations)
    levels: Sequence[str] | None = None
    join: Callable[[Sequence[str]], str] = join_english
    # a value as the engine wrote it ("12.5", "2025-11-04", "none") as the language writes it
    value: Callable[[str], str] = str
    # the hazard phrases written so far, by what they say (`hazard_phrase`)
    phrases: dict[tuple[object, ...], str] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    def _(self, message: str, **values: object) -> str:
        text = self.tr.gettext(message)
        return text % values if values else text

    def n_(self, singular: str, plural: str, n: int, **values: object) -> str:
        return self.tr.ngettext(singular, plural, n) % {"n": n, **values}

    def p_(self, context: str, message: str) -> str:
        return self.tr.pgettext(context, message)

    def level(self, level: int, label: str) -> str:
        return self.levels[level - 1] if self.levels else label


ENGLISH = Voice()

# the words a sentence uses for a hazard and for the control of a town
HAZARD_WORDS = {"ambush": NP_("hazard", "ambush"), "kidnapping": NP_("hazard", "kidnapping")}
CONTROL_WORDS = {
    "government": N_("the government holds it"),
    "contested": N_("an armed group seized it recently and the raid window is still open"),
    "held": N_("an armed group holds it beyond the raid window"),
    "held_governed": N_("an armed group holds it and has set up governance"),
    None: N_("it is not a population centre"),
}


def hazard_word(name: str, voice: Voice = ENGLISH) -> str:
    return voice.p_("hazard", HAZARD_WORDS[name]) if name in HAZARD_WORDS else name


def _names(locs: list[Location], voice: Voice, limit: int = 4) -> str:
    names = [loc.name for loc in locs[:limit]]
    more = len(locs) - len(names)
    text = ", ".join(names)
    if more <= 0:
        return text
    return voice.n_("%(names)s and %(n)s more", "%(names)s and %(n)s more", more, names=text)


def percent(p: float) -> str:
    """A likelihood as people read it: whole per cent, "<1 %" rather than "0 %"."""
    return "<1 %" if p < 0.005 else f"{round(p * 100)} %"


def hazard_phrase(name: str, h: Hazard, voice: Voice = ENGLISH) -> str:
    """ "ambush high, likely (62 % in 30 days)" — or, when guidance raised the level, what the
    evidence alone says and that guidance raised it, so a level never seems to contradict its
    likelihood.

    A phrase without guidance is written once per voice and wording (a national road layer's
    73,000 hazards say 107 different things: its location lines 0.39 s to 0.29 s)."""
    if h.guidance_step is not None:
        return _hazard_phrase(name, h, voice)
    key = (name, h.estimative, percent(h.likelihood_30d), h.outcome.days, h.level, h.label)
    text = voice.phrases.get(key)
    if text is None:
        text = voice.phrases[key] = _hazard_phrase(name, h, voice)
    return text


def _hazard_phrase(name: str, h: Hazard, voice: Voice) -> str:
    chance = voice._(
        "%(word)s (%(pct)s in %(days)s days)",
        word=voice.p_("estimative", h.estimative),
        pct=percent(h.likelihood_30d),
        days=h.outcome.days,
    )
    word, label = hazard_word(name, voice), voice.level(h.level, h.label).lower()
    step = h.guidance_step
    if step is None:
        return voice._("%(hazard)s %(level)s, %(chance)s", hazard=word, level=label, chance=chance)
    return voice._(
        "%(hazard)s %(level)s: %(before)s on the evidence, %(chance)s, raised one level by "
        "guidance from %(issuers)s",
        hazard=word,
        level=label,
        before=voice.level(step.from_level, step.from_label).lower(),
        chance=chance,
        issuers=", ".join(step.issuers),
    )


def location_line(
    loc: Location, voice: Voice = ENGLISH, because: Callable[[Driver], str] | None = None
) -> str:
    """One location's two tracks in two sentences (and its main driver); `because` writes a
    driver's sentence (default: as the assessment has it)."""
    ps, rc = loc.personal_security, loc.regime_collapse
    hz = voice.p_("separator", "; ").join(
        hazard_phrase(name, h, voice) for name, h in ps.hazards.items()
    )
    top = next((d for d in loc.drivers if d.track == "personal_security"), None)
    first = voice._(
        "Personal security at %(place)s is %(level)s (%(hazards)s).",
        place=loc.name,
        level=voice.level(ps.level, ps.label),
        hazards=hz,
    )
    lead = ""
    if top is not None:
        lead = " " + voice._("Main driver: %(driver)s.", driver=(because or _as_is)(top))
    second = voice._(
        "Regime collapse is %(level)s: %(control)s.",
        level=voice.level(rc.level, rc.label),
        control=voice._(CONTROL_WORDS[rc.control_status]),
    )
    return f"{first}{lead} {second}"


def _as_is(d: Driver) -> str:
    return d.because


def personal_security_line(
    locations: list[Location],
    national: National,
    levels: list[str],
    guidance_issuers: list[str],
    departure_issuers: list[str],
    capital_id: str | None = None,
    capital_roads: list[str] | None = None,
    voice: Voice = ENGLISH,
) -> str:
    """Worst level and where, the capital and the roads out of it, hazard peaks, guidance."""
    ps = national.personal_security
    levels = list(voice.levels or levels)
    by_id = {loc.id: loc for loc in locations}
    cap = by_id.get(capital_id or "")
    lead = voice._(
        "Personal security: %(level)s at worst (%(where)s)",
        level=levels[ps.level - 1],
        where=_names_by_id(locations, ps.highest_at, voice),
    )
    if cap is not None:
        cap_level = levels[cap.personal_security.level - 1]
        lead += voice._("; %(level)s in %(capital)s", level=cap_level, capital=cap.name)
    parts = [lead + "."]
    high = [loc for loc in locations if loc.personal_security.level >= 4]
    if high:
        sentence = voice.n_(
            "%(n)s of %(total)s places and road segments are rated %(l4)s or %(l5)s",
            "%(n)s of %(total)s places and road segments are rated %(l4)s or %(l5)s",
            len(high),
            total=len(locations),
            l4=levels[3],
            l5=levels[4],
        )
        roads_out = [by_id[r] for r in capital_roads or [] if r in by_id]
        if cap is not None and roads_out:
            bad = sum(r.personal_security.level >= 4 for r in roads_out)
            sentence += voice.n_(
                ", including %(bad)s of the %(n)s road out of %(capital)s",
                ", including %(bad)s of the %(n)s roads out of %(capital)s",
                len(roads_out),
                bad=bad,
                capital=cap.name,
            )
        parts.append(sentence + ".")
    if peaks := _peaks(locations, levels, voice):
        parts.append(
            voice._("Risk peaks: %(peaks)s.", peaks=voice.p_("separator", "; ").join(peaks))
        )
    if guidance_issuers:
        parts.append(_guidance_sentence(guidance_issuers, departure_issuers, voice))
    return " ".join(parts)


def _peaks(locations: list[Location], levels: list[str], voice: Voice) -> list[str]:
    peaks = []
    for hazard in ("ambush", "kidnapping"):
        rated = [
            (h.level, loc)
            for loc in locations
            if (h := loc.personal_security.hazards.get(hazard)) is not None
        ]  # each location looked into once (36,557 on a national road layer: 0.12 s less)
        worst = max((level for level, _ in rated), default=0)
        if worst >= 3:
            where = [loc for level, loc in rated if level == worst]
            peaks.append(
                voice._(
                    "%(hazard)s at %(level)s (%(where)s)",
                    hazard=hazard_word(hazard, voice),
                    level=levels[worst - 1],
                    where=_names(where, voice, 3),
                )
            )
    return peaks


def _guidance_sentence(issuers: list[str], departures: list[str], voice: Voice) -> str:
    dep = ""
    if departures:
        dep = voice._(
            "; %(issuers)s told nationals or staff to leave", issuers=voice.join(departures)
        )
    return voice._(
        "Guidance in force from %(issuers)s%(departures)s: it reflects the risk of ambushes and "
        "kidnappings, and it raises a hazard by at most one level where two or more governments "
        "tell their people to leave; the likelihoods stay the evidence's.",
        issuers=voice.join(issuers),
        departures=dep,
    )


def _names_by_id(locations: list[Location], ids: list[str], voice: Voice) -> str:
    wanted = set(ids)
    chosen = [loc for loc in locations if loc.id in wanted]
    return _names(chosen, voice) if chosen else voice._("nowhere")


def regime_collapse_line(
    national: National,
    capital: str,
    window_days: int,
    raid_window_days: int,
    guidance_present: bool,
    voice: Voice = ENGLISH,
) -> str:
    """The country's regime-collapse bottom line: the level, who holds which centres (or that
    seizures ended as raids), fighting at the capital, and that guidance stays out of it."""
    rc = national.regime_collapse
    parts = [
        voice._("Regime collapse: %(level)s.", level=voice.level(rc.level, rc.label)),
        _control_sentence(rc, raid_window_days, voice),
        _capital_sentence(rc.capital_fighting_days, capital, window_days, voice),
    ]
    if guidance_present:
        parts.append(
            voice._(
                "Evacuation and travel guidance does not enter this track: operating is not "
                "controlling."
            )
        )
    return " ".join(parts)


def _control_sentence(rc: NationalRegime, raid_window_days: int, voice: Voice) -> str:
    if rc.held_centres:
        return voice.n_(
            "An armed group holds %(n)s population centre beyond the %(days)s-day raid window: "
            "%(names)s; that is the tripwire this track watches.",
            "Armed groups hold %(n)s population centres beyond the %(days)s-day raid window: "
            "%(names)s; that is the tripwire this track watches.",
            len(rc.held_centres),
            days=raid_window_days,
            names=voice.join(rc.held_centres),
        )
    if rc.raids:
        return voice.n_(
            "No population centre is held by an armed group; the %(n)s seizure of a population "
            "centre on record ended within %(days)s days (raid, loot, withdraw), which is a "
            "personal-security signal, not a change of control.",
            "No population centre is held by an armed group; the %(n)s seizures of population "
            "centres on record ended within %(days)s days (raid, loot, withdraw), which is a "
            "personal-security signal, not a change of control.",
            rc.raids,
            days=raid_window_days,
        )
    return voice._("No population centre is held by an armed group.")


def _capital_sentence(days: int, capital: str, window_days: int, voice: Voice) -> str:
    if days:
        return voice.n_(
            "There was fighting in or near %(capital)s on %(n)s day of the last %(window)s.",
            "There was fighting in or near %(capital)s on %(n)s days of the last %(window)s.",
            days,
            capital=capital,
            window=window_days,
        )
    return voice._(
        "There was no fighting inside %(capital)s in the last %(window)s days.",
        capital=capital,
        window=window_days,
    )


def trend_sentence(
    what: str,
    place: str,
    recent: float,
    baseline: float,
    recent_days: int,
    baseline_days: int,
    is_new: bool,
    voice: Voice = ENGLISH,
) -> str:
    """Is it new, or has it always been like this? Counts, then a plain word for the change.
    `what` names the incidents counted, already in the voice's language."""
    if is_new:
        word = voice._("new: none in the baseline")
    elif baseline == 0 and recent == 0:
        word = voice._("none in either window")
    else:
        rate_now, rate_before = recent / recent_days, baseline / baseline_days
        word = (
            voice._("more often than before")
            if rate_now > rate_before
            else voice._("less often than before")
            if rate_now < rate_before
            else voice._("as often as before")
        )
        if baseline > 0:
            word += voice._("; not new")
    return voice._(
        "Near %(place)s: %(recent)s %(what)s in the last %(recent_days)s days against "
        "%(baseline)s in the %(baseline_days)s days before (%(word)s).",
        place=place,
        recent=int(recent),
        what=what,
        recent_days=recent_days,
        baseline=int(baseline),
        baseline_days=baseline_days,
        word=word,
    )
