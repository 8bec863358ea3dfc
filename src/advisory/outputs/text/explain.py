"""`advisory explain`: everything one location's levels rest on, as text or JSON.

For each hazard: what its likelihood is the probability of, the model's terms (each one's share
of the log-odds, decisive or not, the incidents behind it), the band, the guidance step and any
severity escalation. For regime collapse: every rule that fired and every rule that did not, and
why (a slice of the engine's rule-by-location matrices). Then the incidents themselves, with
their distance.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...assessment.conditions import not_fired_sentence
from ...assessment.model import Assessment, Driver, Hazard, Location
from ...assessment.narrative import N_, NP_, percent
from ...engine import LocationTrace, Run
from ...scoring.rules import Fired, Trace
from ..report.formats import decimal, long_date, num
from ..report.i18n import join, label, voice
from ..report.roadnames import localised
from ..report.sections import issued_prefix
from ..report.sentences import PackText, driver_sentence, location_sentence
from .table import Words, clean, wrap

# the engine's words for how a place's personal-security level is combined (assessment), and
# the kinds of driver named in front of their sentence
N_("worst hazard; High becomes Extreme where an attack was severe")
NP_("driver", "guidance")
NP_("driver", "severity")


def _trace(tr: Trace) -> dict[str, Any]:
    return {
        "score": tr.score,
        "level": tr.level,
        "fired": [
            {
                "rule": f.rule,
                "points": f.points,
                "decisive": f.decisive,
                "because": f.because,
                "evidence": f.evidence,
            }
            for f in tr.fired
        ],
        "not_fired": [{"rule": n.rule, "why": not_fired_sentence(n.checks)} for n in tr.not_fired],
    }


def _incidents(a: Assessment, loc: Location, tr: LocationTrace) -> list[dict[str, Any]]:
    """The incidents behind the location's drivers and evidence, strongest first, with km."""
    km = {c.id: c.km for c in loc.evidence} | tr.driver_km
    wanted = list(
        dict.fromkeys([c.id for c in loc.evidence] + [i for d in loc.drivers for i in d.incidents])
    )
    register = {i.id: i for i in a.incidents}
    out = []
    for eid in wanted:
        inc = register.get(eid)
        if inc is not None:
            out.append({**inc.model_dump(mode="json"), "distance_km": km.get(eid)})
    return out


def _guidance(a: Assessment, loc: Location) -> list[dict[str, Any]]:
    """The guidance in force at the location, as the JSON gives it."""
    return [g.model_dump(mode="json") for g in a.guidance if g.id in loc.guidance_in_force]


def explain_data(run: Run, place_id: str) -> dict[str, Any]:
    a, tr = run.assessment, run.trace(place_id)
    loc = a.locations[tr.index]
    return {
        "as_of": str(a.as_of),
        "location": loc.model_dump(mode="json"),
        "model": {
            h: {
                "intercept": a.method.hazards[h].intercept,
                "bands": a.method.hazards[h].bands,
            }
            for h in loc.personal_security.hazards
        },
        "trace": {"regime_collapse": _trace(tr.regime)},
        "features": {k: round(v, 4) for k, v in sorted(tr.features.items())},
        "incidents": _incidents(a, loc, tr),
        "guidance": _guidance(a, loc),
        "provenance": a.provenance.model_dump(mode="json"),
    }


class _Explained:
    """One location's explanation in one language: English word for word as the engine
    writes it, or French from the reports' catalogue and the pack's (numbers through Babel,
    with a decimal comma in French; dates in words, the incident list's ISO; rule ids, feature
    names, incident ids and ACLED's notes stay as they are)."""

    def __init__(self, run: Run, place_id: str, lang: str, rules: Path | None) -> None:
        self.a, self.lang = localised(run.assessment, lang), lang
        self.trace = run.trace(place_id)
        self.loc = self.a.locations[self.trace.index]
        self.w = Words(self.a, lang)
        self.t = self.w.t
        self.pack = PackText.load(rules, lang)

    def num(self, x: float) -> str:
        """Points, a score or a distance as the pack writes them ("0.5", "0,5")."""
        return num(x, self.lang)

    def dec(self, x: float, digits: int = 2, signed: bool = False) -> str:
        """Log-odds with two decimals ("+0.83", "+0,83")."""
        return decimal(x, self.lang, digits, signed)

    def date(self, d: object) -> str:
        return long_date(str(d), self.lang)

    def points_line(self, points: float, rule: str, mark: str, because: str) -> str:
        return self.t(
            "+%(points)s %(rule)s%(mark)s: %(because)s",
            points=self.num(points), rule=rule, mark=mark, because=because,
        )  # fmt: skip

    def mark(self, decisive: bool) -> str:
        return self.t(" [decisive]") if decisive else ""

    def because(self, d: Driver | Fired) -> str:
        if isinstance(d, Fired):
            return self.pack.driver(d).text
        return driver_sentence(d, self.loc, self.a, self.lang, self.pack).text

    def driver_lines(self, d: Driver) -> list[str]:
        t, rule, mark, because = self.t, d.rule, self.mark(d.decisive), self.because(d)
        if d.kind == "evidence":
            points = self.dec(d.points, signed=True)
            head = t(
                "%(points)s log-odds %(rule)s%(mark)s: %(because)s",
                points=points,
                rule=rule,
                mark=mark,
                because=because,
            )
        elif d.kind in ("guidance", "severity"):
            head = t(
                "%(kind)s: %(rule)s%(mark)s: %(because)s",
                kind=t.p("driver", d.kind),
                rule=rule,
                mark=mark,
                because=because,
            )
        else:
            head = self.points_line(d.points, rule, mark, because)
        out = wrap(head, "      ")
        ids = d.incidents or d.guidance
        if ids:
            out += wrap(t("evidence: %(ids)s", ids=", ".join(ids[:10])), "        ")
        return out

    def hazard_lines(self, name: str, h: Hazard) -> list[str]:
        o, w, t = h.outcome, self.w, self.t
        kinds = o.sub_event_types or o.event_types
        line = t(
            "%(hazard)s: %(level)s — likelihood %(word)s (%(pct)s) of at least one event "
            "(%(kinds)s) within %(km)s km in the next %(days)s days",
            hazard=w.vocab("hazard", name),
            level=w.level(h.level, h.label),
            word=w.vocab("estimative", h.estimative),
            pct=self.pct(h.likelihood_30d),
            kinds=self.kinds(kinds),
            km=self.num(o.radius_km),
            days=o.days,
        )
        intercept = self.a.method.hazards[name].intercept
        out = [
            "  " + line,
            "      "
            + t(
                "log-odds %(score)s = intercept %(intercept)s + the terms below; band %(band)s on "
                "the evidence",
                score=self.dec(h.score),
                intercept=self.dec(intercept),
                band=h.evidence_level,
            ),
        ]
        for d in h.drivers:
            out += self.driver_lines(d)
        return out

    def pct(self, p: float) -> str:
        return percent(p) if self.lang == "en" else self.w.chance(p)

    def kinds(self, kinds: list[str]) -> str:
        if self.lang == "en":
            return ", ".join(kinds)
        return join([label("acled", self.lang, k) for k in kinds], self.lang, "or")

    def regime_lines(self, tr: Trace) -> list[str]:
        """The regime-collapse level, every rule that fired or did not (the engine's trace),
        and the seizures behind the control status."""
        rc, w, t = self.loc.regime_collapse, self.w, self.t
        status = w.vocab("status", rc.control_status or "none")
        if self.lang == "en":
            status = rc.control_status or "not a population centre"
        out = [
            "",
            t(
                "Regime collapse: %(level)s (control status: %(status)s); score %(score)s",
                level=w.level(rc.level, rc.label),
                status=status,
                score=self.num(tr.score),
            ),
        ]
        for f in tr.fired:
            mark = self.mark(f.decisive)
            out += wrap(self.points_line(f.points, f.rule, mark, self.because(f)), "      ")
        for n in tr.not_fired:
            why = not_fired_sentence(n.checks, voice(self.lang, self.a.level_names))
            out += wrap(t("- %(rule)s did not fire: %(why)s", rule=n.rule, why=why), "      ")
        for ep in rc.episodes:
            if ep.end:
                end = t("ended %(date)s", date=self.date(ep.end))
            else:
                end = t("last sign of presence %(date)s", date=self.date(ep.last_presence))
            line = t(
                "seizure %(start)s (%(status)s; %(end)s): %(ids)s",
                start=self.date(ep.start),
                status=w.vocab("episode", ep.status),
                end=end,
                ids=", ".join(ep.incidents),
            )
            out += wrap(line, "      ")
        return out

    def confidence(self) -> list[str]:
        b, t = self.loc.confidence_basis, self.t
        if b.latest_days is not None:
            latest = t.n("latest %(n)s day ago", "latest %(n)s days ago", b.latest_days)
        else:
            latest = t("none recent")
        share = f"{b.precise_share:.0%}" if self.lang == "en" else self.w.chance(b.precise_share)
        return [
            "",
            t(
                "Confidence: %(confidence)s (%(events)s, %(sources)s, %(latest)s, %(share)s "
                "located at or near a named place)",
                confidence=self.w.vocab("confidence", self.loc.confidence),
                events=t.n("%(n)s incident", "%(n)s incidents", b.events),
                sources=t.n("%(n)s source", "%(n)s sources", b.sources),
                latest=latest,
                share=share,
            ),
        ]

    def guidance_lines(self, guidance: list[dict[str, Any]]) -> list[str]:
        t = self.t
        out = ["", t("Guidance in force:") if guidance else t("Guidance in force: none")]
        for g in guidance:
            # labels in English too: a reader is not shown "leave_now" or "armed_conflict"
            reasons = ", ".join(label("reason", self.lang, r) for r in g["reasons"])
            fields = {
                "id": g["id"],
                "issuer": g["issuer"],
                "level": g["level"],
                "action": label("action", self.lang, g["action"]),
                "reasons": reasons,
            }
            prefix = issued_prefix(g.get("issued_basis", "issuer"), self.lang)
            if prefix:  # a date the guidance file made up is not the issuer's
                fields["issued"] = prefix + " " + self.date(g["issued"])
                line = t(
                    "%(id)s: %(issuer)s level %(level)s, %(action)s, %(issued)s (%(reasons)s)",
                    **fields,
                )
            else:
                fields["issued"] = self.date(g["issued"])
                line = t(
                    "%(id)s: %(issuer)s level %(level)s, %(action)s, issued %(issued)s "
                    "(%(reasons)s)",
                    **fields,
                )
            out += wrap(line, "  ")
        return out

    def incident_lines(self, incidents: list[dict[str, Any]]) -> list[str]:
        t = self.t
        out = ["", t("Incidents behind the levels (%(n)s):", n=len(incidents))]
        for e in incidents:
            km = e["distance_km"]
            dist = f"{self.num(km)} km" if km is not None else "-"
            kind = e["sub_event_type"] or e["event_type"]
            line = t(
                "%(id)s %(date)s %(kind)s at %(location)s (%(dist)s, precision %(precision)s) "
                "[%(signals)s] %(notes)s",
                id=e["id"],
                date=e["date"],
                kind=kind if self.lang == "en" else label("acled", self.lang, kind),
                location=e["location"],
                dist=dist,
                precision=e["geo_precision"],
                signals=", ".join(e["signals"]),
                notes=e["notes"],
            )
            out += wrap(line, "  ")
        return out

    def text(self) -> str:
        loc, ps, t, w = self.loc, self.loc.personal_security, self.t, self.w
        admin = f", {loc.admin1}" if loc.admin1 else ""
        out = [
            t(
                "%(name)s (%(id)s): %(kind)s%(admin)s; as of %(date)s",
                name=loc.name,
                id=loc.id,
                kind=w.vocab("kind", loc.kind),
                admin=admin,
                date=self.date(self.a.as_of),
            ),
            "",
        ]
        out += wrap(location_sentence(loc, self.a, self.lang, self.pack))
        by = ", ".join(w.vocab("hazard", h) for h in ps.decided_by)
        out += [
            "",
            t(
                "Personal security: %(level)s (%(method)s; decided by %(by)s)",
                level=w.level(ps.level, ps.label),
                method=t(ps.method),
                by=by,
            ),
        ]
        for h, hz in ps.hazards.items():
            out += self.hazard_lines(h, hz)
        for d in (d for d in loc.drivers if d.kind == "severity"):
            out += self.driver_lines(d)
        out += self.regime_lines(self.trace.regime)
        out += self.confidence()
        out += self.guidance_lines(_guidance(self.a, loc))
        out += self.incident_lines(_incidents(self.a, loc, self.trace))
        p = self.a.provenance
        out += [
            "",
            t(
                "Rules %(name)s %(version)s %(digest)s; engine %(engine)s",
                name=p.rule_pack.name,
                version=p.rule_pack.version,
                digest=p.rule_pack.digest,
                engine=p.engine_version,
            ),
        ]
        return clean("\n".join(out)) + "\n"


def explain_text(run: Run, place_id: str, lang: str = "en", rules: Path | None = None) -> str:
    """The explanation for people, in `lang` (en, fr); `rules`: the pack whose catalogue
    writes the drivers' sentences in French. The JSON (`explain_data`) stays the engine's."""
    return _Explained(run, place_id, lang, rules).text()
