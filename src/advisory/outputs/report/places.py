"""One small self-contained HTML page per place and road, and an index linking them.

A headquarters that rates every place its staff go sends each team the page for where they
are: both tracks, the place's bottom line, the measures for its level, what drove it and the
guidance in force. The pages reuse the advisory's context builders, catalogue, stylesheet and
macros; one Jinja2 environment and one compiled template serve every page, and the incidents
behind all places are looked up in one pass (`EvidenceIndex`), so a thousand pages take about
a second (bench/bench_place_pages.py).

File names come from location ids. Gazetteer ids are already slugs, but a library caller can
build a gazetteer by hand, so `page_names` trusts nothing: a name is the id only when the id
is a plain slug; anything else becomes a slug of it plus a hash of the original; names are
unique ignoring case (for case-insensitive file systems) and never `index`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ...engine import Run
from ...errors import InputError, Problem
from .context import (
    PRINT_EVIDENCE,
    bottom_line,
    driver_rows,
    guidance_rows,
    location_row,
    measure_rows,
    provenance,
    report_order,
    sources,
)
from .evidence import EvidenceIndex
from .i18n import check_lang, label, level_label, translator

PLACE_TEMPLATE = "place.html.j2"
INDEX_TEMPLATE = "places_index.html.j2"
INDEX_NAME = "index"
PLAIN_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
NOT_SLUG = re.compile(r"[^a-z0-9]+")
# File systems limit a name to 255 bytes; ids are cut well before, and the hash keeps them apart
MAX_STEM = 80
HASH_CHARS = 10
# Names Windows refuses whatever the extension (the pages may be copied to a laptop there)
RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{i}" for p in ("com", "lpt") for i in range(10)}


def _stem(loc_id: str) -> str:
    if PLAIN_SLUG.match(loc_id) and len(loc_id) <= MAX_STEM and loc_id not in RESERVED:
        return loc_id
    slug = NOT_SLUG.sub("-", loc_id.lower()).strip("-")[: MAX_STEM - HASH_CHARS - 1].strip("-")
    digest = hashlib.sha256(loc_id.encode("utf-8", "surrogatepass")).hexdigest()[:HASH_CHARS]
    return f"{slug or 'place'}-{digest}"


def page_names(ids: Iterable[str]) -> dict[str, str]:
    """`{location id: file name}`, safe inside one folder and collision-free (see above)."""
    used = {INDEX_NAME}
    out: dict[str, str] = {}
    for loc_id in ids:
        stem = _stem(loc_id)
        name, n = stem, 1
        while name.lower() in used:
            n += 1
            name = f"{stem}-{n}"
        used.add(name.lower())
        out[loc_id] = f"{name}.html"
    return out


class PlacePages:
    """Renders the page of any location of one run; built once, used for every page."""

    def __init__(
        self,
        run: Run,
        *,
        lang: str = "en",
        template_dirs: Iterable[Path | str] = (),
        print_evidence: int = PRINT_EVIDENCE,
    ) -> None:
        from . import html_environment

        check_lang(lang)
        if print_evidence < 0:
            raise ValueError("print_evidence must be 0 or more")
        self.run = run
        self.lang = lang
        self.limit = print_evidence
        self.t = t = translator(lang)
        self.levels = levels = run.pack.info.levels
        self.days = run.pack.info.likelihood.horizon_days
        a = run.assessment
        self.order = report_order(a.locations)
        self.names = page_names(loc.id for loc in self.order)
        self.evidence = EvidenceIndex(run)
        self.guidance = {g["id"]: g for g in guidance_rows(run, lang, t)}
        self.measures = {m["level"]: m for m in measure_rows(run, lang, levels)}
        src = sources(run)
        self.shared = {
            "lang": lang,
            "t": t,
            "lv": lambda n: level_label(int(n), lang, levels),
            "label": lambda kind, key: label(kind, lang, key),
            "as_of": a.as_of.isoformat(),
            "horizon_days": self.days,
            "provenance": provenance(run),
            "all_illustrative": src["all_illustrative"],
            "index_href": f"{INDEX_NAME}.html",
        }
        env = html_environment(template_dirs)
        env.auto_reload = False  # one run: no need to stat every template for every page
        self.page_template = env.get_template(PLACE_TEMPLATE)
        self.index_template = env.get_template(INDEX_TEMPLATE)

    def page(self, loc_id: str) -> str:
        """The HTML page of one location."""
        run = self.run
        i = run.gazetteer.index[loc_id]
        loc = run.assessment.locations[i]
        incidents = self.evidence.incidents(i)
        shown = [
            {
                "id": e["id"],
                "date": e["date"],
                "type": e["sub_event_type"] or e["event_type"],
                "actor": e["actor1"],
                "actor2": e["actor2"] or "",
                "location": e["location"] or "",
                "distance": None if e["distance_km"] is None else f"{e['distance_km']:.1f}",
                "source": e["source"] or "",
                "notes": e["notes"] or "",
            }
            for e in incidents[: self.limit]
        ]
        return self.page_template.render(
            self.shared,
            place=location_row(loc, self.lang, self.t, self.levels, self.days),
            drivers=driver_rows(loc, self.lang),
            incidents=shown,
            more=len(incidents) - len(shown),
            guidance=[self.guidance[g] for g in loc.guidance_in_force if g in self.guidance],
            measures=self.measures.get(loc.personal_security.level),
        )

    def index(self) -> str:
        """The index page: the national bottom line and every location linked to its page."""
        places: list[dict[str, Any]] = []
        roads: list[dict[str, Any]] = []
        for loc in self.order:
            row = location_row(loc, self.lang, self.t, self.levels, self.days)
            row["href"] = self.names[loc.id]
            (roads if loc.kind == "route" else places).append(row)
        return self.index_template.render(
            self.shared,
            bluf=bottom_line(self.run, self.lang, self.t),
            places=places,
            roads=roads,
        )

    def write(self, outdir: Path | str) -> list[Path]:
        """Every page and `index.html` into `outdir` (created if missing, its parent must
        exist); returns the paths written, the index first."""
        outdir = Path(outdir)
        try:
            outdir.mkdir(exist_ok=True)
            written = [outdir / f"{INDEX_NAME}.html"]
            written[0].write_text(self.index(), "utf-8")
            for loc in self.order:
                path = outdir / self.names[loc.id]
                path.write_text(self.page(loc.id), "utf-8")
                written.append(path)
        except OSError as exc:
            raise InputError(
                Problem(str(outdir), f"cannot write place pages: {exc.strerror or exc}")
            ) from None
        return written


def write_place_pages(
    run: Run,
    outdir: Path | str,
    *,
    lang: str = "en",
    template_dirs: Iterable[Path | str] = (),
    print_evidence: int = PRINT_EVIDENCE,
) -> list[Path]:
    """One HTML page per place and road plus `index.html` in `outdir`; the paths, index first."""
    pages = PlacePages(run, lang=lang, template_dirs=template_dirs, print_evidence=print_evidence)
    return pages.write(outdir)
