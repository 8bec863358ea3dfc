"""The one-page clearance sheet (`advisory check --format pdf`), rendered like the advisory:
Jinja2 with autoescaping, then WeasyPrint with a fetcher that refuses everything but data."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ...assessment.narrative import NP_
from ...engine import Run
from ..report import html_environment, render_pdf
from ..report.formats import long_date, number
from ..report.i18n import translator
from .render import alternative_km, decision_word, roads_text, where_text
from .results import TripResult

MODES = {"road": NP_("mode", "road"), "air": NP_("mode", "air")}


def _context(result: TripResult, run: Run, lang: str) -> dict[str, Any]:
    """The result as the template reads it: its JSON, with names, words and labels in `lang`."""
    t = translator(lang)
    doc = result.public()
    names = {loc.id: loc.name for loc in run.assessment.locations}
    for hz in ("ambush", "kidnapping"):
        doc[hz]["where_short"] = where_text(doc[hz]["where"], lang=lang)
        doc[hz]["label_text"] = t.p("level", doc[hz]["label"])
    doc["decision_word"] = decision_word(result.decision, lang)
    doc["as_of_text"] = long_date(str(doc["as_of"]), lang)
    doc["guidance"] = sorted({g for leg in result.legs for g in leg.guidance})
    for leg, res in zip(doc["legs"], result.legs, strict=True):
        leg["from_name"], leg["to_name"] = names[leg["from"]], names[leg["to"]]
        leg["roads_text"] = roads_text(res.roads_taken, lang)
        leg["arrive_text"] = res.arrive
        if res.arrive and res.arrive_date and res.arrive_date != (res.date or result.as_of):
            leg["arrive_text"] += t(" on %(date)s", date=long_date(res.arrive_date, lang))
        leg["decision_word"] = decision_word(leg["decision"], lang)
        leg["mode_word"] = t.p("mode", MODES[leg["mode"]])
        km = leg["distance_km"]
        leg["distance_text"] = None if km is None else number(km, lang)
        leg["date_text"] = long_date(leg["date"], lang) if leg["date"] else None
        leg["reasons"] = [r if len(r) < 300 else r[:297] + "..." for r in leg["reasons"]]
        for part in (leg, leg["alternative"] or {}):
            for hz in ("ambush", "kidnapping"):
                if hz in part:
                    part[hz]["label_text"] = t.p("level", part[hz]["label"])
        if leg["alternative"]:
            alt = leg["alternative"]
            alt["mode_word"] = t.p("mode", MODES[alt["mode"]])
            assert res.alternative is not None
            alt["roads_text"] = roads_text(res.alternative.roads_taken, lang)
            alt["roads_text"] += alternative_km(t, res.alternative, lang)
            alt["decision_text"] = t.p("decision text", _DECISIONS[alt["decision"]])
        rc = leg["destination_regime_collapse"]
        rc["label_text"] = t.p("level", str(rc["label"]))
    for mm, measure in zip(doc["measures"], result.measures, strict=True):
        mm["why"] = t.p("separator", "; ").join(dict.fromkeys(measure.peaks))
    summary = run.assessment.inputs.get("incidents")
    illustrative = bool(isinstance(summary, dict) and summary.get("illustrative"))
    p = result.provenance
    pack = p["rule_pack"]
    assert isinstance(pack, dict)
    digest = str(pack["digest"])[:19]
    footer = t(
        "%(name)s %(version)s · %(digest)s · engine %(engine)s",
        name=pack["name"],
        version=pack["version"],
        digest=digest,
        engine=p["engine_version"],
    )
    return {"r": doc, "illustrative": illustrative, "footer": footer, "lang": lang}


# the alternative's decision as the sheet always printed it (the code, in words)
_DECISIONS = {
    "cleared": NP_("decision text", "cleared"),
    "cleared_with_measures": NP_("decision text", "cleared_with_measures"),
    "refused": NP_("decision text", "refused"),
}


def render_clearance_html(
    result: TripResult, run: Run, template_dirs: Iterable[Path] = (), lang: str = "en"
) -> str:
    env = html_environment(template_dirs, lang)
    return env.get_template("clearance.html.j2").render(_context(result, run, lang))


def render_clearance_pdf(result: TripResult, run: Run, lang: str = "en") -> bytes:
    return render_pdf(render_clearance_html(result, run, lang=lang))
