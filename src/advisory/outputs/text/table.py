"""Plain-text output for people at a terminal: the two tracks side by side, never blended."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from ...assessment.model import Assessment, Hazard, Location
from ...assessment.narrative import NP_, percent
from ..order import report_order
from ..report.formats import long_date, num
from ..report.formats import percent as percent_in
from ..report.i18n import label, translator
from ..report.roadnames import localised


class Words:
    """The table's words in one language: English as the engine writes them, or French from
    the reports' catalogue (outputs/report/i18n.py)."""

    def __init__(self, a: Assessment, lang: str) -> None:
        self.lang, self.levels, self.t = lang, a.level_names, translator(lang)

    def level(self, level: int, label: str) -> str:
        return f"{level} {self.t.p('level', label)}"

    def chance(self, p: float) -> str:
        return percent(p).replace(" ", "") if self.lang == "en" else percent_in(p, self.lang)

    def vocab(self, kind: str, key: str) -> str:
        return key if self.lang == "en" else label(kind, self.lang, key)

    def hazard(self, h: Hazard | None) -> str:
        """ "4 High 53%", with a + when guidance raised the level above the evidence's."""
        if h is None:
            return "-"
        raised = "+" if h.guidance_step is not None else ""
        return f"{self.level(h.level, h.label)}{raised} {self.chance(h.likelihood_30d)}"

    def row(self, loc: Location, first: str | None = None) -> list[str]:
        """A location's row; `first` in place of its id (a road's name)."""
        ps = loc.personal_security
        return [
            loc.id if first is None else first,
            self.vocab("kind", loc.kind),
            self.hazard(ps.hazards.get("ambush")),
            self.hazard(ps.hazards.get("kidnapping")),
            self.level(ps.level, ps.label),
            self.level(loc.regime_collapse.level, loc.regime_collapse.label),
            self.vocab("confidence", loc.confidence),
        ]


def road_names(roads: list[Location]) -> dict[str, str]:
    """Each road as people read it: its name ("RN6 Fana – Konobougou"), with its id in
    brackets where two roads share a name (the id is what `--via` and `explain` also take)."""
    count: dict[str, int] = {}
    for loc in roads:
        count[loc.name] = count.get(loc.name, 0) + 1
    return {loc.id: loc.name if count[loc.name] == 1 else f"{loc.name} [{loc.id}]" for loc in roads}


HEADER = (
    NP_("table", "id"),
    NP_("table", "kind"),
    NP_("table", "ambush"),
    NP_("table", "kidnapping"),
    NP_("table", "personal security"),
    NP_("table", "regime collapse"),
    NP_("table", "confidence"),
)


def _grid(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    lines = [fmt.format(*header), fmt.format(*("-" * w for w in widths))]
    lines += [fmt.format(*r) for r in rows]
    return [line.rstrip() for line in lines]


# C0/C1 control characters (ANSI escape sequences among them) in incident notes or names must
# not reach a terminal: they could rewrite the screen or hide text.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    return CONTROL.sub("\ufffd", text)


def wrap(text: str, indent: str = "") -> list[str]:
    lines = textwrap.wrap(clean(text), width=96, initial_indent=indent, subsequent_indent=indent)
    return lines or [""]


def render_table(a: Assessment, lang: str = "en", rules: Path | None = None) -> str:
    """The two tracks side by side, places then roads, in `lang` (en, fr); `rules`: the pack
    whose catalogue writes the national drivers' sentences in French."""
    a = localised(a, lang)  # a road layer's generated names in the language
    w = Words(a, lang)
    t = w.t
    header = [t.p("table", h) for h in HEADER]
    order = report_order(a.locations)
    places = [loc for loc in order if not loc.is_road]
    roads = [loc for loc in order if loc.is_road]
    stale = t(" -- STALE DATA") if a.method.stale else ""
    out = [t("Two-track assessment as of %(date)s", date=long_date(a.as_of, lang)) + stale, ""]
    lines = _bottom_lines(a, lang)
    out += wrap(lines["personal_security"])
    out.append("")
    out += wrap(lines["regime_collapse"])
    out += ["", t("Places (%(n)s)", n=len(places))]
    out += _grid(header, [w.row(loc) for loc in places])
    out += ["", t("Roads (%(n)s)", n=len(roads))]
    names = road_names(roads)
    road_header = [t.p("table", "road"), *header[1:]]
    out += _grid(road_header, [w.row(loc, names[loc.id]) for loc in roads])
    out += ["", *_national(a, w, rules)]
    out += ["", *_inputs(a, w)]
    return clean("\n".join(out)) + "\n"


def _bottom_lines(a: Assessment, lang: str) -> dict[str, str]:
    if lang == "en":  # the engine's own words
        return {"personal_security": a.bottom_line.personal_security,
                "regime_collapse": a.bottom_line.regime_collapse}  # fmt: skip
    from ..report.sentences import bottom_lines

    return bottom_lines(a, lang)


def _national(a: Assessment, w: Words, rules: Path | None) -> list[str]:
    from ..report.sentences import PackText

    nat, t = a.national, w.t
    score = num(nat.regime_collapse.score, w.lang)
    out = [
        t(
            "National: regime collapse %(rc)s (score %(score)s); personal security at worst %(ps)s",
            rc=w.level(nat.regime_collapse.level, nat.regime_collapse.label),
            score=score,
            ps=w.level(nat.personal_security.level, nat.personal_security.label),
        )
    ]
    pack = PackText.load(rules, w.lang)
    for d in nat.regime_collapse.drivers:
        line = t(
            "+%(points)s %(rule)s%(mark)s: %(because)s",
            points=num(d.points, w.lang), rule=d.rule, mark="", because=pack.driver(d).text,
        )  # fmt: skip
        out += wrap(line, "  ")
    return out


def _inputs(a: Assessment, w: Words) -> list[str]:
    inc, t = a.inputs["incidents"], w.t
    assert isinstance(inc, dict)
    rp = a.provenance.rule_pack
    return [
        t(
            "Inputs: %(used)s incidents used, %(rejected)s rejected, %(after)s after as-of "
            "ignored, %(before)s older than the rule pack's look-back not assessed, "
            "%(duplicates)s duplicate rows, %(revisions)s older revisions and %(pairs)s "
            "monadic pairs merged; %(current)s of %(entries)s guidance entries current (per "
            "place, the latest of each issuer applies).",
            used=inc["used"],
            rejected=inc["rejected"],
            after=inc["after_as_of_ignored"],
            before=inc.get("before_window_ignored", 0),
            duplicates=inc["duplicates_merged"],
            revisions=inc["revisions_replaced"],
            pairs=inc["monadic_pairs_merged"],
            current=a.inputs["guidance_in_force"],
            entries=a.inputs["guidance_entries"],
        ),
        t(
            "Rules: %(name)s %(version)s (%(digest)s...); engine %(engine)s.",
            name=rp.name,
            version=rp.version,
            digest=rp.digest[:19],
            engine=a.provenance.engine_version,
        ),
        *[
            t(
                "Input: %(kind)s %(path)s (%(digest)s...)",
                kind=w.vocab("input", str(i["kind"])),
                path=i["path"],
                digest=str(i["sha256"])[:19],
            )
            for i in a.provenance.inputs
        ],
        t(
            "Levels: %(levels)s. Hazard cells: level and the chance of the hazard's outcome in "
            "30 days (+: raised one level by guidance). `advisory explain ID` shows the model "
            "terms, rules and incidents behind any row.",
            levels=", ".join(w.level(i, name) for i, name in enumerate(w.levels, start=1)),
        ),
    ]
