"""The data every report template receives: a documented contract (docs/reports.md).

Built once from a `Run`; templates only lay it out. Numbers come from the assessment and the
rule pack, texts from the catalogue (i18n.py) or, for the engine's own sentences, from the
assessment unchanged.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import PurePath
from typing import Any

from markupsafe import Markup

from ...assessment import Location
from ...engine import Run
from . import charts
from .changes import compare
from .evidence import EvidenceIndex
from .i18n import GLOSSARY, label, level_label, translator
from .mapsvg import map_svg

EVIDENCE_MIN_LEVEL = 3  # evidence is shown for places at Medium or above on either track
# Incidents per place in the printed evidence (PDF) unless `render --print-evidence N` says
# otherwise: 5 keeps the demo PDF under its time budget (docs/reports.md, bench/README.md).
PRINT_EVIDENCE = 5
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
HTTP = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)
LEAD_SENTENCES = 2


def sentences(text: str) -> list[str]:
    return [s for s in SENTENCE.split(text.strip()) if s]


def _pct(p: float) -> str:
    v = p * 100
    return f"{v:.0f}" if v >= 1 or v == 0 else "<1"


def _hazard_cells(loc: Location, lang: str, t, levels: list[str], days: int) -> list[dict]:
    out = []
    for key in ("ambush", "kidnapping"):
        hz = loc.personal_security.hazards.get(key)
        if hz is None:
            out.append({"key": key, "level": None})
            continue
        word = label("estimative", lang, hz.estimative)
        out.append(
            {
                "key": key,
                "name": label("hazard", lang, key),
                "level": hz.level,
                "label": level_label(hz.level, lang, levels),
                "word": word,
                "pct": _pct(hz.likelihood_30d),
                "short": t("in_days", days=days, word=word, pct=_pct(hz.likelihood_30d)),
                "sentence": t(
                    "likelihood",
                    hazard=label("hazard", lang, key),
                    days=days,
                    word=word,
                    pct=_pct(hz.likelihood_30d),
                ),
            }
        )
    return out


def _confidence_sentence(loc: Location, lang: str, t) -> str:
    b = loc.confidence_basis
    latest = (
        t("confidence.latest", days=b.latest_days)
        if b.latest_days is not None
        else t("confidence.none")
    )
    basis = t(
        "confidence.basis",
        events=b.events,
        sources=b.sources,
        latest=latest,
        share=round(b.precise_share * 100),
    )
    return t("confidence", word=label("confidence", lang, loc.confidence), basis=basis)


def location_row(loc: Location, lang: str, t, levels: list[str], days: int) -> dict[str, Any]:
    ps, rc = loc.personal_security, loc.regime_collapse
    return {
        "id": loc.id,
        "name": loc.name,
        "kind": label("kind", lang, loc.kind),
        "admin1": loc.admin1,
        "road": loc.road,
        "hazards": _hazard_cells(loc, lang, t, levels, days),
        "ps": {"level": ps.level, "label": level_label(ps.level, lang, levels)},
        "rc": {
            "level": rc.level,
            "label": level_label(rc.level, lang, levels),
            "status": label("status", lang, rc.control_status or "none"),
        },
        "confidence": label("confidence", lang, loc.confidence),
        "confidence_sentence": _confidence_sentence(loc, lang, t),
        "bottom_line": loc.bottom_line,
    }


def _scope_text(entry, lang: str, t) -> str:
    scope = entry.scope
    if scope is None:
        return t("scope.country", country="—")
    parts = []
    if scope.admin1:
        parts.append(t("scope.admin1", names=", ".join(scope.admin1)))
    for area in scope.areas or []:
        parts.append(
            t("scope.area", km=f"{area.radius_km:g}", lat=f"{area.lat:.2f}", lon=f"{area.lon:.2f}")
        )
    if not parts:
        return t("scope.country", country=scope.country)
    return f"{scope.country}: " + "; ".join(parts)


def guidance_rows(run: Run, lang: str, t) -> list[dict[str, Any]]:
    by_id = {e.id: e for e in run.guidance}
    rows = []
    for g in sorted(
        run.assessment.guidance, key=lambda g: (g.issuer, g.issued, g.id), reverse=True
    ):
        src = g.source or ""
        rows.append(
            {
                "id": g.id,
                "issuer": g.issuer,
                "issuer_name": label("issuer", lang, g.issuer),
                "level": g.level,
                "level_text": label("guidance_level", lang, g.level),
                "action": label("action", lang, g.action),
                "issued": g.issued.isoformat(),
                "expires": g.expires.isoformat() if g.expires else None,
                "scope": _scope_text(by_id[g.id], lang, t) if g.id in by_id else "",
                "reasons": ", ".join(label("reason", lang, r) for r in g.reasons),
                "in_force": g.in_force,
                "source": src,
                # only plain http(s) URLs become links; anything else is shown as text
                "source_href": src if HTTP.match(src) else None,
                "summary": g.summary or "",
            }
        )
    return rows


def _conditions(rules, features: tuple[str, ...]) -> list[tuple[str, str]]:
    """(rule id, condition text) for the pack rules that read any of these features."""
    ops = {"gte": "≥", "gt": ">", "lte": "≤", "lt": "<", "eq": "="}
    out = []
    for r in rules:
        conds = [c for c in r.when if c.feature in features]
        for c in conds:
            op, v = c.op
            out.append((r.id, f"{c.feature} {ops[op]} {v:g}"))
        pts = r.points
        if not conds and not isinstance(pts, int | float) and pts.feature in features:
            out.append((r.id, ""))
    return out


def _indicators(run: Run, lang: str, t) -> list[dict[str, Any]]:
    cfg = run.pack.control
    nums = run.national.numbers
    cap = run.gazetteer.capital()
    cap_name = cap.name if cap else "—"
    fired = {f.rule for f in run.national_trace.fired if f.points > 0}
    rules = run.pack.regime_collapse.national.rules
    contested = [
        run.gazetteer.places[i].name
        for i, s in sorted(run.statuses.items())
        if s.status == "contested"
    ]

    def state(features: tuple[str, ...], watch: bool = False) -> str:
        hit = any(rid in fired for rid, _ in _conditions(rules, features))
        return "triggered" if hit else ("watch" if watch else "quiet")

    def rule_texts(features: tuple[str, ...]) -> list[str]:
        return [
            t("ind.rule", rule=rid, cond=cond) if cond else t("ind.rule.scaled", rule=rid)
            for rid, cond in _conditions(rules, features)
        ]

    held_f = ("national.held_centres", "national.held_weighted")
    held_now = t("ind.held.now", n=int(nums.get("national.held_centres", 0)))
    if run.assessment.national.regime_collapse.held_centres:
        held_now += ": " + ", ".join(run.assessment.national.regime_collapse.held_centres)
    if contested:
        held_now += "; " + t("ind.contested", names=", ".join(contested))
    rows = [
        {
            "name": t("ind.held", days=cfg.raid_window_days),
            "now": held_now,
            "state": state(held_f, watch=bool(contested)),
            "rules": rule_texts(held_f),
        },
        {
            "name": t("ind.governed"),
            "now": t("ind.governed.now", n=int(nums.get("national.governed_centres", 0))),
            "state": state(("national.governed_centres",)),
            "rules": rule_texts(("national.governed_centres",)),
        },
        {
            "name": t(
                "ind.fighting",
                capital=cap_name,
                km=f"{cfg.capital_fighting.radius_km:g}",
                days=cfg.capital_fighting.window_days,
            ),
            "now": t("ind.fighting.now", n=int(nums.get("national.capital_fighting_days", 0))),
            "state": state(
                ("national.capital_fighting_days",),
                watch=nums.get("national.capital_fighting_days", 0) > 0,
            ),
            "rules": rule_texts(("national.capital_fighting_days",)),
        },
        {
            "name": t("ind.capital", capital=cap_name),
            "now": t(
                "ind.capital.now.yes" if nums.get("national.capital_held") else "ind.capital.now.no"
            ),
            "state": state(("national.capital_held",)),
            "rules": rule_texts(("national.capital_held",)),
        },
        {
            "name": t("ind.raids", days=cfg.raid_window_days),
            "now": t("ind.raids.now", n=int(nums.get("national.raids", 0))),
            "state": None,
            "rules": [],
        },
    ]
    return rows


def measure_rows(run: Run, lang: str, levels: list[str]) -> list[dict[str, Any]]:
    m = run.pack.measures
    counts = Counter(
        (loc.personal_security.level, loc.kind == "route") for loc in run.assessment.locations
    )
    rows = []
    for level in sorted(m.postures, reverse=True):
        posture = m.postures[level]
        rows.append(
            {
                "level": level,
                "label": level_label(level, lang, levels),
                "phase": getattr(m.phases[posture.phase], lang),
                "measures": [getattr(m.measures[k], lang) for k in posture.measures],
                "places": counts[(level, False)],
                "roads": counts[(level, True)],
            }
        )
    return rows


def driver_rows(loc: Location, lang: str) -> list[dict[str, Any]]:
    """The rules that fired for a location, strongest first, with the ids behind each."""
    return [
        {
            "rule": d.rule,
            "track": d.track,
            "hazard": label("hazard", lang, d.hazard) if d.hazard else None,
            "points": f"{d.points:.1f}",
            "decisive": d.decisive,
            "because": d.because,
            "ids": d.incidents + d.guidance,
        }
        for d in loc.drivers
    ]


def _evidence(
    run: Run, lang: str, order: list[Location], index: EvidenceIndex
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Per place: rules fired and the incidents behind them, strongest first (the engine's
    order), with their distance to the place; the incidents themselves (date, type, actor,
    notes) once, in a register, since the same ambush drives a dozen places and repeating its
    notes made the PDF 150 pages long. The printed edition keeps only the strongest few
    (`print_evidence`); the screen keeps them all."""
    out = []
    register: dict[str, dict[str, Any]] = {}
    for loc in order:
        if max(loc.personal_security.level, loc.regime_collapse.level) < EVIDENCE_MIN_LEVEL:
            continue
        fired = driver_rows(loc, lang)
        incidents = []
        for i in index.incidents(run.gazetteer.index[loc.id]):
            incidents.append(
                {
                    "id": i["id"],
                    "date": i["date"],
                    "distance": None if i["distance_km"] is None else f"{i['distance_km']:.1f}",
                    "type": i["sub_event_type"] or i["event_type"],
                    "actor": i["actor1"],
                    "location": i["location"] or "",
                }
            )
            register.setdefault(
                i["id"],
                {
                    "id": i["id"],
                    "date": i["date"],
                    "type": i["sub_event_type"] or i["event_type"],
                    "actor": i["actor1"],
                    "actor2": i["actor2"] or "",
                    "location": i["location"] or "",
                    "precision": i["geo_precision"],
                    "signals": ", ".join(i["signals"]),
                    "source": i["source"] or "",
                    "notes": i["notes"] or "",
                },
            )
        out.append({"id": loc.id, "name": loc.name, "fired": fired, "incidents": incidents})
    reg = sorted(register.values(), key=lambda r: (r["date"], r["id"]), reverse=True)
    return out, reg


def sources(run: Run) -> dict[str, Any]:
    frame = run.incidents.frame
    total = frame.height
    illustrative = 0
    if total and "tags" in frame.columns:
        tags = frame["tags"].fill_null("").str.to_lowercase()
        illustrative = int(tags.str.contains("illustrative", literal=True).sum())
    guidance = sorted(
        {(g.issuer, g.id, g.source or "") for g in run.assessment.guidance}, reverse=False
    )
    return {
        "total": total,
        "illustrative": illustrative,
        "all_illustrative": total > 0 and illustrative == total,
        "guidance": [
            {"issuer": i, "id": gid, "source": s, "href": s if HTTP.match(s) else None}
            for i, gid, s in guidance
        ],
    }


def provenance(run: Run) -> dict[str, Any]:
    p = run.assessment.provenance
    return {
        "engine": p.engine_version,
        "pack": p.rule_pack,
        # file names only: a report travels, the reader has no use for our local paths
        "inputs": [
            {
                "kind": str(i.get("kind", "")),
                "name": PurePath(str(i.get("path", ""))).name,
                "sha256": str(i.get("sha256", "")),
                "records": i.get("records"),
            }
            for i in p.inputs
        ],
        "as_of": p.as_of.isoformat(),
        "generated_at": p.generated_at,
    }


def report_order(locations: list[Location]) -> list[Location]:
    """Worst first: personal security, then regime collapse, then id (stable across runs)."""
    return sorted(
        locations,
        key=lambda loc: (-loc.personal_security.level, -loc.regime_collapse.level, loc.id),
    )


def bottom_line(run: Run, lang: str, t) -> dict[str, dict[str, Any]]:
    """The national bottom line of both tracks: level, label, composed headline, and the
    engine's paragraph split into its lead and the rest."""
    a = run.assessment
    levels = run.pack.info.levels
    nat = a.national
    high = [loc for loc in a.locations if loc.personal_security.level >= 4]
    ps_sent = sentences(a.bottom_line.personal_security)
    rc_sent = sentences(a.bottom_line.regime_collapse)
    return {
        "personal_security": {
            "level": nat.personal_security.level,
            "label": level_label(nat.personal_security.level, lang, levels),
            "headline": t(
                "ps.headline",
                label=level_label(nat.personal_security.level, lang, levels),
                places=sum(loc.kind != "route" for loc in high),
                roads=sum(loc.kind == "route" for loc in high),
                l4=level_label(4, lang, levels),
                l5=level_label(5, lang, levels),
            ),
            "lead": " ".join(ps_sent[:LEAD_SENTENCES]),
            "rest": " ".join(ps_sent[LEAD_SENTENCES:]),
            "text": a.bottom_line.personal_security,
        },
        "regime_collapse": {
            "level": nat.regime_collapse.level,
            "label": level_label(nat.regime_collapse.level, lang, levels),
            "headline": t(
                "rc.headline",
                label=level_label(nat.regime_collapse.level, lang, levels),
                held=len(nat.regime_collapse.held_centres),
                raids=nat.regime_collapse.raids,
                window=run.pack.control.raid_window_days,
            ),
            "lead": " ".join(rc_sent[:LEAD_SENTENCES]),
            "rest": " ".join(rc_sent[LEAD_SENTENCES:]),
            "text": a.bottom_line.regime_collapse,
        },
    }


def build_context(
    run: Run,
    lang: str = "en",
    previous: dict | None = None,
    print_evidence: int = PRINT_EVIDENCE,
) -> dict[str, Any]:
    t = translator(lang)
    a = run.assessment
    levels = run.pack.info.levels
    days = run.pack.info.likelihood.horizon_days
    order = report_order(a.locations)
    cap = run.gazetteer.capital()
    cap_name = cap.name if cap else ""
    weekly = charts.weekly_series(run, lang)
    control = charts.control_series(run)
    cfg = run.pack.control
    bluf = bottom_line(run, lang, t)
    places = [location_row(loc, lang, t, levels, days) for loc in order if loc.kind != "route"]
    roads = [location_row(loc, lang, t, levels, days) for loc in order if loc.kind == "route"]
    rows_by_id = {r["id"]: r for r in (*places, *roads)}
    evidence, register = _evidence(run, lang, order, EvidenceIndex(run))
    return {
        "lang": lang,
        "t": t,
        "lv": lambda n: level_label(int(n), lang, levels),
        "label": lambda kind, key: label(kind, lang, key),
        "a": a,
        "as_of": a.as_of.isoformat(),
        "bluf": bluf,
        "changes": compare(previous, a) if previous is not None else None,
        "map_svg": Markup(map_svg(run, lang, t)),
        "horizon_days": days,
        "places": places,
        "roads": roads,
        "rows_by_id": rows_by_id,
        "capital_row": rows_by_id.get(cap.id) if cap else None,
        "capital": cap_name,
        "trend_weeks": charts.TREND_WEEKS,
        "weekly": weekly,
        "weekly_svg": Markup(charts.weekly_svg(weekly, a.as_of, lang, t)),
        "control": control,
        "control_svg": Markup(charts.control_svg(control, lang, t)),
        "control_cfg": cfg,
        "guidance": guidance_rows(run, lang, t),
        "indicators": _indicators(run, lang, t),
        "measures": measure_rows(run, lang, levels),
        "evidence_min_label": level_label(EVIDENCE_MIN_LEVEL, lang, levels),
        "evidence": evidence,
        "print_evidence": print_evidence,
        "register": register,
        "method": [
            t("method.1"),
            t("method.2"),
            t("method.3", raid=cfg.raid_window_days),
            t("method.4"),
            t("method.5"),
            t("method.6", days=days),
        ],
        "sources": sources(run),
        "glossary": GLOSSARY[lang],
        "provenance": provenance(run),
        "scale": ", ".join(f"{i} {level_label(i, lang, levels)}" for i in range(1, 6)),
    }
