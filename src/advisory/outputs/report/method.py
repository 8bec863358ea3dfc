"""The methodology section: how the levels are made and how well the shipped model did, from
`assessment.method` (the pack's outcome definitions, bands, base rates and the backtest of the
fitted model against two count baselines)."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from ...assessment.model import Assessment
from ...assessment.narrative import N_
from .formats import decimal, long_date, mark, number, percent
from .i18n import label, level_labels, translator
from .sentences import PackText, outcome_text

BASELINES = (
    ("model", N_("model")),
    ("count_90d", N_("90-day count")),
    ("count_730d", N_("730-day count")),
)


def _get(d: object, *path: str) -> Any:
    for key in path:
        if not isinstance(d, dict) or key not in d:
            return None
        d = d[key]
    return d


def _fmt(v: object, lang: str, digits: int = 2) -> str:
    return decimal(float(v), lang, digits) if isinstance(v, int | float) else "—"


def _date(v: object, lang: str) -> str:
    """A period's end from the pack's `fitted` record (ISO) in words; "—" when missing."""
    return long_date(str(v), lang) if v else "—"


def _count(v: object, lang: str) -> object:
    return number(v, lang) if isinstance(v, int) and not isinstance(v, bool) else v


def bands_text(bands: list[float], levels: list[str], lang: str) -> str:
    """ "Negligible below 5 %, Low from 5 %, ..." from the band edges."""
    t = translator(lang)
    parts = [t("%(level)s below %(p)s", level=levels[0], p=percent(bands[0], lang))]
    parts += [
        t("%(level)s from %(p)s", level=levels[k + 1], p=percent(b, lang))
        for k, b in enumerate(bands)
    ]
    return (mark(";", lang) + " ").join(parts)


def backtest_row(
    name: str, metrics: object, lang: str, period: str = "test"
) -> dict[str, Any] | None:
    """AUC and Brier skill of the model and of the two count baselines on one period."""
    if _get(metrics, period, "model") is None:
        return None
    rate = _get(metrics, period, "model", "base_rate")
    return {
        "name": name,
        "auc": [_fmt(_get(metrics, period, key, "auc"), lang) for key, _ in BASELINES],
        "skill": [_fmt(_get(metrics, period, key, "brier_skill"), lang) for key, _ in BASELINES],
        "n": _count(_get(metrics, period, "model", "n"), lang),
        "base_rate": percent(float(rate), lang, 1) if isinstance(rate, int | float) else "—",
        "reliability": reliability_rows(metrics, period, lang),
    }


def reliability_rows(metrics: object, period: str, lang: str) -> list[dict[str, Any]]:
    rows = _get(metrics, period, "reliability")
    if not isinstance(rows, list):
        return []
    out = []
    for r in rows:
        if isinstance(r, dict):
            observed = r.get("observed")
            out.append(
                {
                    "word": label("estimative", lang, r.get("word", "")),
                    "n": _count(r.get("n"), lang),
                    "observed": percent(float(observed), lang)
                    if isinstance(observed, int | float)
                    else "—",
                }
            )
    return out


def fitted_text(fitted: dict[str, object], lang: str) -> str:
    """Who fitted the model, on what (file names only) and over which periods."""
    t = translator(lang)
    files = _get(fitted, "incidents")
    names = (
        [PurePath(str(f.get("path", ""))).name for f in files if isinstance(f, dict)]
        if isinstance(files, list)
        else []
    )
    train, test = _get(fitted, "train") or {}, _get(fitted, "test") or {}
    if not names and not train:
        return t("The rule pack does not say what its model was fitted on.")
    return t(
        "Fitted by %(by)s on %(files)s: trained on as-of dates from %(train_from)s to "
        "%(train_until)s "
        "(%(train_n)s), tested on %(test_from)s to %(test_until)s (%(test_n)s), at %(places)s "
        "places.",
        by=_get(fitted, "by") or "—",
        files=", ".join(names) or "—",
        train_from=_date(_get(train, "from"), lang),
        train_until=_date(_get(train, "until"), lang),
        train_n=_count(_get(train, "as_of_dates"), lang) or "—",
        test_from=_date(_get(test, "from"), lang),
        test_until=_date(_get(test, "until"), lang),
        test_n=_count(_get(test, "as_of_dates"), lang) or "—",
        places=_count(_get(fitted, "locations"), lang) or "—",
    )


def method_steps(a: Assessment, lang: str) -> list[str]:
    """What the engine does, in the order it does it, for a reader who never opens the rule
    pack; the control step carries the pack's own windows."""
    t = translator(lang)
    c = a.method.control
    return [
        t(
            "Classify: each incident gets signals (ambush, kidnapping, attack on a position, "
            "territory seized, governance, blockade …) from rules in the rule pack; ambushes are "
            "read from the notes, since ACLED has no ambush type."
        ),
        t(
            "Likelihood: for each hazard, a model fitted on past ACLED data turns the incidents "
            "near a place (counts within set distances, recent and over two years) into the "
            "calibrated chance of an outcome anyone can check against later data, defined below."
        ),
        t(
            "Levels: the band the likelihood falls in (below); a place's personal-security level "
            "is its worst hazard, and High becomes Extreme where the pack's severity conditions "
            "hold (a mass-casualty attack, foreigners taken)."
        ),
        t(
            "Guidance raises a hazard by at most one level, never to Extreme, where two or more "
            "governments tell their people to leave; the likelihood printed stays the evidence's, "
            "and guidance never enters regime collapse."
        ),
        t(
            "Control: a seizure of a population centre that ends within %(raid)s days is a raid; "
            "one that lasts is held, and held and governed when governance follows; a hold with "
            "no sign of the group for %(lapse)s days lapses. Control looks back %(lookback)s days.",
            raid=c.raid_window_days,
            lapse=c.lapse_days,
            lookback=c.lookback_days,
        ),
        t(
            "Confidence comes from the number of incidents, independent sources, recency and "
            "location precision, and is stated apart from the likelihood."
        ),
    ]


def hazard_rows(a: Assessment, lang: str, pack: PackText) -> list[dict[str, Any]]:
    """Per hazard: what it means (the pack's description), the outcome its likelihood is the
    chance of, the bands that make its levels and its base rate."""
    levels = level_labels(lang, a.level_names)
    hazards = []
    for name, hm in a.method.hazards.items():
        desc = pack.text(hm.description)
        hazards.append(
            {
                "key": name,
                "name": label("hazard", lang, name),
                "description": desc.text,
                "description_lang": desc.lang,
                "outcome": outcome_text(hm.outcome_point, lang, hm.outcome_route),
                "bands": bands_text(hm.bands, levels, lang),
                "climatology": percent(hm.climatology, lang, 1),
            }
        )
    return hazards


def methodology(a: Assessment, lang: str, pack: PackText) -> dict[str, Any]:
    """The section's context: the steps, the hazards, what the model was fitted on and its
    backtest beside the count baselines."""
    t = translator(lang)
    hazards = hazard_rows(a, lang, pack)
    fitted = a.method.fitted
    rows = [backtest_row(h["name"], a.method.hazards[h["key"]].metrics, lang) for h in hazards]
    rows.append(
        backtest_row(
            t("Personal-security level (any violent incident nearby)"),
            _get(fitted, "level_metrics"),
            lang,
        )
    )
    return {
        "steps": method_steps(a, lang),
        "hazards": hazards,
        "fitted": fitted_text(fitted, lang),
        "backtest": [r for r in rows if r is not None],
        "baselines": [t(name) for _, name in BASELINES],
        "staleness_days": a.method.staleness_days,
    }
