"""One small self-contained HTML page per place and road, and an index linking them.

A headquarters that rates every place its staff go sends each team the page for where they
are: both tracks, the place's bottom line, the measures for its level, what drove it and the
guidance in force. The pages reuse the advisory's context builders, catalogue, stylesheet and
macros; one Jinja2 environment and one compiled template serve every page, so a thousand pages
take about a second (bench/bench_place_pages.py).

File names come from location ids through `files.page_names` (safe, collision-free); every
file is written by atomic replace, so a symlink planted in the folder is replaced, never
followed.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ...assessment.model import Assessment, Location
from ...errors import InputError, Problem
from ...files import write_atomic
from ..order import report_order
from .context import PRINT_EVIDENCE, Options, bottom_line, location_row, shared
from .evidence import IncidentRows, driver_rows, location_incidents
from .files import INDEX_NAME, page_names
from .roadnames import localised
from .sections import guidance_rows, measure_rows
from .sentences import PackText
from .templating import html_environment

PLACE_TEMPLATE = "place.html.j2"
INDEX_TEMPLATE = "places_index.html.j2"


class PlacePages:
    """Renders the page of any location of one assessment; built once, used for every page."""

    def __init__(
        self,
        a: Assessment,
        *,
        lang: str = "en",
        template_dirs: Iterable[Path | str] = (),
        print_evidence: int = PRINT_EVIDENCE,
        rules: Path | None = None,
    ) -> None:
        if not isinstance(a, Assessment):
            raise TypeError(f"place pages are made from an Assessment, not {type(a).__name__}")
        opts = Options(print_evidence=print_evidence, rules=rules)  # checks them as reports do
        a = localised(a, lang)  # a road layer's generated names in the language
        self.a, self.lang, self.limit = a, lang, opts.print_evidence
        self.shared = {**shared(a, lang), "index_href": f"{INDEX_NAME}.html"}
        self.pack = PackText.load(opts.rules, lang)
        self.order = report_order(a.locations)
        self.by_id = {loc.id: loc for loc in a.locations}
        self.names = page_names(loc.id for loc in self.order)
        self.incidents = IncidentRows(a, lang)
        self.guidance = {g["id"]: g for g in guidance_rows(a, lang)}
        self.measures = {m["level"]: m for m in measure_rows(a, lang)}
        self._rows: dict[str, dict[str, Any]] = {}  # location rows, made once for page and index
        env = html_environment(template_dirs, lang)
        env.auto_reload = False  # one run: no need to stat every template for every page
        self.page_template = env.get_template(PLACE_TEMPLATE)
        self.index_template = env.get_template(INDEX_TEMPLATE)

    def _row(self, loc: Location) -> dict[str, Any]:
        if loc.id not in self._rows:
            self._rows[loc.id] = location_row(loc, self.a, self.lang, self.pack)
        return self._rows[loc.id]

    def page(self, loc_id: str) -> str:
        """The HTML page of one location."""
        loc = self.by_id[loc_id]
        incidents = location_incidents(loc, self.incidents, self.limit)
        cited = sum(c.id in self.incidents for c in loc.evidence)
        return self.page_template.render(
            self.shared,
            place=self._row(loc),
            drivers=driver_rows(loc, self.a, self.lang, self.pack),
            incidents=incidents,
            more=cited - len(incidents),
            guidance=[self.guidance[g] for g in loc.guidance_in_force if g in self.guidance],
            measures=self.measures.get(loc.personal_security.level),
        )

    def index(self) -> str:
        """The index page: the national bottom line and every location linked to its page."""
        places: list[dict[str, Any]] = []
        roads: list[dict[str, Any]] = []
        for loc in self.order:
            row = {**self._row(loc), "href": self.names[loc.id]}
            (roads if loc.is_road else places).append(row)
        return self.index_template.render(
            self.shared, bluf=bottom_line(self.a, self.lang), places=places, roads=roads
        )

    def write(self, outdir: Path | str) -> list[Path]:
        """Every page and `index.html` into `outdir` (created if missing, its parent must
        exist); returns the paths written, the index first."""
        outdir = Path(outdir)
        try:
            outdir.mkdir(exist_ok=True)
            written = [outdir / f"{INDEX_NAME}.html"]
            write_atomic(written[0], self.index().encode("utf-8"))
            for loc in self.order:
                path = outdir / self.names[loc.id]
                write_atomic(path, self.page(loc.id).encode("utf-8"))
                written.append(path)
        except OSError as exc:
            raise InputError(
                Problem(str(outdir), f"cannot write place pages: {exc.strerror or exc}")
            ) from None
        return written


def write_place_pages(
    a: Assessment,
    outdir: Path | str,
    *,
    lang: str = "en",
    template_dirs: Iterable[Path | str] = (),
    print_evidence: int = PRINT_EVIDENCE,
    rules: Path | None = None,
) -> list[Path]:
    """One HTML page per place and road plus `index.html` in `outdir`; the paths, index first."""
    pages = PlacePages(
        a, lang=lang, template_dirs=template_dirs, print_evidence=print_evidence, rules=rules
    )
    return pages.write(outdir)
