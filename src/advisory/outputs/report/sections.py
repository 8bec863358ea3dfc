"""The advisory's sections after the levels: guidance, indicators to watch and the national
rule trace, measures, sources and provenance, each from the assessment alone."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import PurePath
from typing import Any

from ...assessment.conditions import not_fired_sentence
from ...assessment.model import Assessment, ConditionCheck, GuidanceSummary
from ...resources import PACKAGE_DIR
from .formats import long_date, num, number, timestamp
from .i18n import label, level_label, territory, translator, voice
from .sentences import PackText

# only plain ASCII http(s) URLs become links; anything else is shown as text
HTTP = re.compile(r"^https?://[\x21-\x7e]+$", re.IGNORECASE)
SYMBOLS = {"gte": "≥", "gt": ">", "lte": "≤", "lt": "<", "eq": "="}
DEMO_INCIDENTS = PACKAGE_DIR / "data" / "incidents"


def href(url: str | None) -> str | None:
    return url if url and HTTP.match(url) and '"' not in url and "<" not in url else None


@lru_cache(maxsize=256)
def issuer_language(issuer: str) -> str:
    """The language a government's own words are in: its one official language (CLDR via
    Babel: "en" for US and GB, "fr" for FR), or "" for an issuer with several (CA, BE, CH)
    or none known. A guidance `summary` quotes or paraphrases the issuer's advice."""
    from babel.languages import get_official_languages

    langs = get_official_languages(issuer.upper(), de_facto=True)
    return str(langs[0]) if len(langs) == 1 else ""


def issued_prefix(basis: str, lang: str) -> str:
    """What goes before an entry's `issued` date when it is not the issuer's own (printed as
    "<prefix> <date>"): "" for the issuer's date, else that the issue date is not known and
    what the date stands for. A date a guidance file made up is never shown as the issuer's."""
    t = translator(lang)
    if basis == "in_force_by":
        return t("issue date not known; in force by")
    if basis == "placeholder":
        return t("issue date not known; treated as in force from")
    return ""


def issued_qualifier(basis: str, lang: str) -> str:
    """`issued_prefix` where the date follows an "Issued" label (the guidance table): "Issued:
    on or before 2024-05-15" (advice in force by a date was issued by then), "Issued: not
    known; treated as in force from 2023-01-01". Short: the French brief fits six pages."""
    t = translator(lang)
    if basis == "in_force_by":
        return t.p("issued", "on or before")
    if basis == "placeholder":
        return t.p("issued", "not known; treated as in force from")
    return ""


def coverage_text(
    g: GuidanceSummary, covered: int, every: list[GuidanceSummary], n: int, lang: str
) -> tuple[str, str]:
    """Whether an entry is in force, in a word ("yes", "no", "replaced"), and where it applies.
    `covered`: the locations at which it is the issuer's entry in force (the latest one that
    covers them). An entry in force that applies nowhere was replaced by a later one from its
    issuer, or covers none of the places assessed: "yes, at 0 of 62" said neither."""
    t = translator(lang)
    if not g.in_force:
        return t("no"), ""
    if covered:
        where = t.n(
            "at %(n)s of %(total)s locations",
            "at %(n)s of %(total)s locations",
            covered,  # the French noun agrees with it: "pour 1 lieu sur 62"
            total=n,
        )
        return t("yes"), where
    later = [e.id for e in every if e.issuer == g.issuer and e.in_force and e.issued > g.issued]
    if later:
        return t("replaced"), t("by %(ids)s, issued later", ids=", ".join(later))
    return t("yes"), t("but its area takes in none of the %(total)s locations", total=n)


def guidance_rows(a: Assessment, lang: str) -> list[dict[str, Any]]:
    """Every guidance entry, latest first per issuer, with whether and where it applies."""
    covers: dict[str, int] = {}
    for loc in a.locations:
        for gid in loc.guidance_in_force:
            covers[gid] = covers.get(gid, 0) + 1
    rows = []
    for g in sorted(a.guidance, key=lambda g: (g.issuer, g.issued, g.id), reverse=True):
        state, where = coverage_text(g, covers.get(g.id, 0), a.guidance, len(a.locations), lang)
        rows.append(
            {
                "id": g.id,
                "issuer": g.issuer,
                "issuer_name": territory(g.issuer, lang),
                "level": g.level,
                "level_text": label("guidance_level", lang, g.level),
                "action": label("action", lang, g.action),
                "issued": g.issued.isoformat(),
                "issued_basis": g.issued_basis,
                "issued_prefix": issued_prefix(g.issued_basis, lang),
                "issued_qualifier": issued_qualifier(g.issued_basis, lang),
                "expires": g.expires.isoformat() if g.expires else None,
                "reasons": ", ".join(label("reason", lang, r) for r in g.reasons),
                "in_force": g.in_force,
                "in_force_text": state,
                "covers": where,
                "source": g.source or "",
                "source_href": href(g.source),
                "summary": g.summary or "",
                "summary_lang": issuer_language(g.issuer) if g.summary else "",
            }
        )
    return rows


def condition_text(c: ConditionCheck, lang: str) -> str:
    """A condition as a reader writes it: "national.held_centres ≥ 1"."""
    return f"{c.feature} {SYMBOLS[c.op]} {num(c.limit, lang)}"


def trace_rows(a: Assessment, lang: str, pack: PackText) -> list[dict[str, Any]]:
    """Every national regime-collapse rule, fired or not, and why, in the report's language."""
    t = translator(lang)
    drivers = {d.rule: d for d in a.national.regime_collapse.drivers}
    out = []
    for r in a.national.trace:
        why, why_lang = r.why, "en"
        if r.fired and r.rule in drivers:
            s = pack.driver(drivers[r.rule])
            why, why_lang = s.text, s.lang
        elif not r.fired:
            why, why_lang = not_fired_sentence(r.checks, voice(lang, a.level_names)), lang
        out.append(
            {
                "rule": r.rule,
                "conditions": [condition_text(c, lang) for c in r.checks],
                "fired": r.fired,
                "points": num(r.points, lang),
                "why": why,
                "why_lang": why_lang,
                "state": t("fired") if r.fired else t("not fired"),
            }
        )
    return out


INDICATORS = (  # the national features each indicator watches
    ("national.held_centres", "national.held_weighted"),
    ("national.governed_centres",),
    ("national.capital_fighting_days",),
    ("national.capital_held",),
)


def _state(features: tuple[str, ...], a: Assessment, watch: bool) -> str:
    """Triggered when the national rules' conditions on these features hold (or, with no
    condition on them, when any is above zero); watch when something is moving."""
    feats = a.national.features
    conds = [c for r in a.national.trace for c in r.checks if c.feature in features]
    value = max((feats.get(f, 0.0) for f in features), default=0.0)
    met = all(c.holds for c in conds) if conds else value > 0
    return "triggered" if met else ("watch" if watch or value > 0 else "quiet")


def indicators(a: Assessment, lang: str) -> list[dict[str, Any]]:
    """The tripwires that would raise regime collapse, their value now and their state."""
    t = translator(lang)
    feats, c = a.national.features, a.method.control
    cap = a.capital()
    cap_name = cap.name if cap else t("the capital")
    contested = [
        loc.name for loc in a.locations if loc.regime_collapse.control_status == "contested"
    ]
    held = a.national.regime_collapse.held_centres
    held_now = t.n("%(n)s held", "%(n)s held", len(held)) + (": " + ", ".join(held) if held else "")
    if contested:
        held_now += "; " + t("%(names)s seized, raid window open", names=", ".join(contested))
    governed = int(feats.get("national.governed_centres", 0))
    fighting = int(feats.get("national.capital_fighting_days", 0))
    raids = a.national.regime_collapse.raids
    rows = [
        (
            t(
                "A population centre held beyond the raid window (%(days)s days)",
                days=c.raid_window_days,
            ),
            held_now,
            _state(INDICATORS[0], a, bool(contested)),
        ),
        (
            t("Governance set up by the group holding a centre (headquarters, courts, taxes)"),
            t.n("%(n)s centre governed", "%(n)s centres governed", governed),
            _state(INDICATORS[1], a, False),
        ),
        (
            t(
                "Fighting inside %(capital)s (within %(km)s km, last %(days)s days)",
                capital=cap_name,
                km=num(c.capital_fighting_radius_km, lang),
                days=c.capital_fighting_window_days,
            ),
            t.n("%(n)s day with fighting", "%(n)s days with fighting", fighting),
            _state(INDICATORS[2], a, False),
        ),
        (
            t("%(capital)s held by an armed group", capital=cap_name),
            t("held by an armed group")
            if feats.get("national.capital_held")
            else t("held by the government"),
            _state(INDICATORS[3], a, False),
        ),
        (
            t("For reference: raids that ended within %(days)s days", days=c.raid_window_days),
            t.n("%(n)s raid", "%(n)s raids", raids),
            None,
        ),
    ]
    return [{"name": name, "now": now, "state": state} for name, now, state in rows]


def measure_rows(a: Assessment, lang: str) -> list[dict[str, Any]]:
    """The pack's posture and measures at each level, worst first, with how many places and
    roads are at it."""
    levels = a.level_names
    counts: dict[tuple[int, bool], int] = {}
    for loc in a.locations:
        at = (loc.personal_security.level, loc.is_road)
        counts[at] = counts.get(at, 0) + 1
    rows = []
    for key in sorted(a.postures, key=int, reverse=True):
        p, level = a.postures[key], int(key)
        places, roads = counts.get((level, False), 0), counts.get((level, True), 0)
        rows.append(
            {
                "level": level,
                "label": level_label(level, lang, levels),
                "phase": getattr(p.phase_text, lang),
                "measures": [getattr(m, lang) for m in p.measures],
                "places": places,
                "roads": roads,
                "in_use": bool(places or roads),
            }
        )
    return rows


@lru_cache(maxsize=1)
def _demo_digests() -> frozenset[str]:
    return frozenset(
        "sha256:" + hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(DEMO_INCIDENTS.glob("*.csv"))
    )


def illustrative(a: Assessment) -> bool:
    """Whether every incident file is a shipped illustrative demo file (by digest: the
    assessment does not carry the rows' `tags`)."""
    files = [i for i in a.provenance.inputs if i.get("kind") == "incidents"]
    return bool(files) and all(str(i.get("sha256")) in _demo_digests() for i in files)


def sources(a: Assessment, lang: str) -> dict[str, Any]:
    t = translator(lang)
    seen: dict[str, dict[str, Any]] = {}
    for g in sorted(a.guidance, key=lambda g: (g.issuer, g.issued)):
        src = g.source or ""
        entry = seen.setdefault(
            src, {"issuer": territory(g.issuer, lang), "ids": [], "source": src, "href": href(src)}
        )
        entry["ids"].append(g.id)
    return {
        "illustrative": illustrative(a),
        "incidents": a.inputs.get("incidents", {}),
        "guidance": list(seen.values()),
        "note": t("as cited in each entry"),
    }


def _count(n: object, lang: str) -> object:
    return number(n, lang) if isinstance(n, int) and not isinstance(n, bool) else n


def provenance(a: Assessment, lang: str) -> dict[str, Any]:
    p = a.provenance
    return {
        "engine": p.engine_version,
        "pack": p.rule_pack,
        # file names only: a report travels, the reader has no use for our local paths
        "inputs": [
            {
                "kind": label("input", lang, i.get("kind", "")),
                "name": PurePath(str(i.get("path", ""))).name,
                "sha256": str(i.get("sha256", "")),
                "records": _count(i.get("records"), lang),
            }
            for i in p.inputs
        ],
        "as_of": p.as_of.isoformat(),
        "as_of_long": long_date(p.as_of, lang),
        "generated_at": p.generated_at,
        "generated_text": timestamp(p.generated_at, lang),
    }
