"""The one-page clearance sheet (`advisory check --format pdf`), rendered like the advisory:
Jinja2 with autoescaping, then WeasyPrint with a fetcher that refuses everything but data."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ...engine import Run
from ..report import html_environment, render_pdf
from .render import WORDS, where_text
from .results import TripResult


def _context(result: TripResult, run: Run) -> dict[str, Any]:
    doc = result.public()
    names = {loc.id: loc.name for loc in run.assessment.locations}
    for hz in ("ambush", "kidnapping"):
        doc[hz]["where_short"] = where_text(doc[hz]["where"])
    doc["decision_word"] = WORDS[result.decision]
    doc["guidance"] = sorted({g for leg in result.legs for g in leg.guidance})
    for leg in doc["legs"]:
        leg["from_name"], leg["to_name"] = names[leg["from"]], names[leg["to"]]
        leg["decision_word"] = WORDS[leg["decision"]]
        leg["reasons"] = [r if len(r) < 300 else r[:297] + "..." for r in leg["reasons"]]
    for mm in doc["measures"]:
        mm["why"] = "; ".join(dict.fromkeys(r.split(" for ")[0] for r in mm["reasons"]))
    summary = run.assessment.inputs.get("incidents")
    illustrative = bool(isinstance(summary, dict) and summary.get("illustrative"))
    p = result.provenance
    pack = p["rule_pack"]
    assert isinstance(pack, dict)
    digest = str(pack["digest"])[:19]
    footer = f"{pack['name']} {pack['version']} · {digest} · engine {p['engine_version']}"
    return {"r": doc, "illustrative": illustrative, "footer": footer}


def render_clearance_html(result: TripResult, run: Run, template_dirs: Iterable[Path] = ()) -> str:
    env = html_environment(template_dirs)
    return env.get_template("clearance.html.j2").render(_context(result, run))


def render_clearance_pdf(result: TripResult, run: Run) -> bytes:
    return render_pdf(render_clearance_html(result, run))
