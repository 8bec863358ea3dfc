"""The order every output lists locations in, the order a reader triages in: worst personal
security first, then worst regime collapse, then id (stable across runs).

A module of its own, importing only the assessment's model: `advisory assess` prints its table
in this order without importing the reports (Jinja2, Babel).
"""

from __future__ import annotations

from ..assessment.model import Location


def report_order(locations: list[Location]) -> list[Location]:
    """Worst first: personal security, then regime collapse, then id."""
    return sorted(
        locations,
        key=lambda loc: (-loc.personal_security.level, -loc.regime_collapse.level, loc.id),
    )
