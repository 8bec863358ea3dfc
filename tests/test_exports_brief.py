"""The message-length brief: both tracks, the places asked for, what changed, the main measure,
within the character limit, in English and French (real plurals, Babel's dates)."""

from __future__ import annotations

import json

import pytest
from exports_support import (
    EARLIER,
    HOSTILE_NAME,
    as_json,
    demo,
    earlier_json,
    hostile,
    with_ged_input,
)

from advisory.assessment import Assessment
from advisory.engine import default_places
from advisory.outputs.exports.brief import (
    MIN_CHARS,
    UnknownPlace,
    brief_text,
    capital_and_roads,
)
from advisory.outputs.report.changes import PreviousError
from advisory.outputs.report.formats import percent
from advisory.outputs.report.i18n import level_labels


def levels_fr() -> list[str]:
    return level_labels("fr", [demo().scale[str(n)] for n in range(1, 6)])


def lines(text: str) -> list[str]:
    return text.split("\n")


def test_default_brief_has_both_tracks_the_capital_and_its_roads_and_a_measure() -> None:
    a = demo()
    text = brief_text(a)
    out = lines(text)
    assert len(text) <= 1000
    assert out[0] == "Travel risk, situation as of 20 November 2025"
    ps, rc = a.national.personal_security, a.national.regime_collapse
    assert out[1].startswith(f"Personal security: {a.scale[str(ps.level)]} at worst (")
    assert out[2] == f"Regime collapse: {a.scale[str(rc.level)]}"
    shown = capital_and_roads(a)
    for loc in shown:
        ps_loc = loc.personal_security
        chances = ", ".join(f"{h} {percent(hz.likelihood_30d, 'en')}"
                            for h, hz in ps_loc.hazards.items())  # fmt: skip
        assert f"{loc.name}: {a.scale[str(ps_loc.level)]} ({chances} in 30 days)" in out
    top = max(loc.personal_security.level for loc in shown)
    posture = a.postures[str(top)]
    assert out[-1] == f"At {a.scale[str(top)]} ({posture.phase_text.en}): {posture.measures[0].en}"


def test_roads_out_of_the_capital_are_the_gazetteers_roads_from_or_to_it() -> None:
    """The brief finds them by the 2 km rule on the road lines; the gazetteer says them by
    `from`/`to`: the two must agree on the shipped data."""
    gaz = json.loads(default_places().read_text("utf-8"))
    capital = next(f["properties"]["id"] for f in gaz["features"]
                   if f["properties"]["kind"] == "capital")  # fmt: skip
    expected = {f["properties"]["id"] for f in gaz["features"]
                if capital in (f["properties"].get("from"), f["properties"].get("to"))}  # fmt: skip
    shown = capital_and_roads(demo())
    assert shown[0].id == capital == demo().national.capital
    assert {loc.id for loc in shown[1:]} == expected and len(expected) >= 3


@pytest.mark.parametrize("max_chars", [MIN_CHARS, 330, 400, 700, 1000, 2000])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_never_longer_than_asked_and_always_both_tracks(max_chars: int, lang: str) -> None:
    text = brief_text(demo(), lang, None, max_chars, earlier_json())
    assert len(text) <= max_chars
    out = lines(text)
    assert len(out) >= 3 and ("Personal security" in out[1] or "Sécurité" in out[1])
    assert "Regime collapse" in out[2] or "Effondrement" in out[2]
    listed = [x for x in out if "30 days)" in x or "30 jours)" in x]
    more = [x for x in out if x.startswith("+")]
    if len(listed) < len(capital_and_roads(demo())):
        assert more, text  # says that places were left out


def test_french_brief() -> None:
    a = demo()
    text = brief_text(a, "fr")
    out = lines(text)
    assert out[0] == "Risque sécuritaire, situation au 20 novembre 2025"
    assert out[1].startswith("Sécurité des personnes : ")
    assert any(w in out[1] for w in levels_fr())
    assert "sur 30 jours" in text and "\xa0%" in text
    # the measure and its phase in the pack's French
    top = max(loc.personal_security.level for loc in capital_and_roads(a))
    posture = a.postures[str(top)]
    assert out[-1] == (f"Niveau {levels_fr()[top - 1]} ({posture.phase_text.fr}) : "
                       f"{posture.measures[0].fr}")  # fmt: skip


def moved(a: Assessment, ids: list[str]) -> dict[str, object]:
    """`a`'s JSON as an earlier assessment in which the places `ids` were one level lower."""
    doc = as_json(a)
    doc["as_of"] = EARLIER.isoformat()
    for loc in doc["locations"]:
        if loc["id"] in ids:
            loc["personal_security"]["level"] -= 1
    return doc


@pytest.mark.parametrize(("lang", "one", "three"), [
    ("fr", "1 autre changement", "3 autres changements"),
    ("en", "1 more change", "3 more changes"),
])  # fmt: skip
def test_changes_not_shown_are_counted_with_the_languages_plural(lang, one, three) -> None:
    a = demo()
    others = [loc.id for loc in a.locations if loc.id != "bamako" and
              loc.personal_security.level > 1][:3]  # fmt: skip
    since = {"fr": "Depuis le 20 septembre 2025 : ", "en": "Since 20 September 2025: "}[lang]
    text = brief_text(a, lang, ["bamako"], previous=moved(a, others[:1]))
    assert since + one in lines(text)
    text = brief_text(a, lang, ["bamako"], previous=moved(a, others))
    assert since + three in lines(text)
    assert "(s)" not in text


def test_places_left_out_are_counted_with_the_languages_plural() -> None:
    a = demo()
    shown = len(capital_and_roads(a))
    out = lines(brief_text(a, "fr", max_chars=MIN_CHARS))
    assert f"+{shown} autres dans l'avis complet" in out
    two = [loc.id for loc in a.locations][:2]
    out = lines(brief_text(a, "fr", two, max_chars=len(brief_text(a, "fr", two)) - 1))
    assert "+1 autre dans l'avis complet" in out


def stale(a: Assessment, days: int | None) -> Assessment:
    doc = as_json(a)
    doc["method"] |= {"stale": True, "data_age_days": days}
    return Assessment.model_validate(doc)


def test_stale_data_says_how_old_in_words() -> None:
    a = demo()
    assert lines(brief_text(stale(a, 1), "fr"))[0].endswith(
        "(DONNÉES PÉRIMÉES : dernier incident il y a 1 jour)"
    )
    assert lines(brief_text(stale(a, 45), "fr"))[0].endswith("il y a 45 jours)")
    assert lines(brief_text(stale(a, 45)))[0].endswith("(STALE DATA: newest incident 45 days old)")
    assert lines(brief_text(stale(a, None)))[0].endswith(" (STALE DATA)")  # no usable incident


def test_places_asked_for_by_id_or_name_in_that_order() -> None:
    a = demo()
    text = brief_text(a, places=["SEGOU", "Kasséla", "rn6-kassela-fana"])
    names = [x.split(":")[0] for x in lines(text)[3:6]]
    assert names == [a.location("segou").name, a.location("kassela").name,
                     a.location("rn6-kassela-fana").name]  # fmt: skip
    with pytest.raises(UnknownPlace, match="did you mean 'Ségou'"):
        brief_text(a, places=["segu"])


def test_what_changed_since_the_previous_assessment() -> None:
    a, prev = demo(), earlier_json()
    changes = [x for x in lines(brief_text(a, previous=prev)) if x.startswith("Since ")]
    assert len(changes) == 1 and changes[0].startswith("Since 20 September 2025: ")
    before = {p["id"]: p["personal_security"]["level"] for p in prev["locations"]}
    bamako = a.location("bamako").personal_security.level
    if before["bamako"] != bamako:
        assert f"Bamako {a.scale[str(before['bamako'])]} → {a.scale[str(bamako)]}" in changes[0]
    same = brief_text(a, previous=as_json(a))
    assert "No level changed since 20 November 2025." in lines(same)
    with pytest.raises(PreviousError):
        brief_text(a, previous={"as_of": "2025-01-01"})


def test_hostile_names_cannot_add_lines_and_ged_data_is_credited() -> None:
    h = hostile()
    ids = [loc.id for loc in h.locations if loc.name == HOSTILE_NAME][:2]
    text = brief_text(h, places=ids)
    assert "second line" in text and "\nsecond line" not in text
    assert len(lines(text)) == 3 + len(ids) + 1
    assert "UCDP GED (CC BY 4.0)" not in brief_text(demo())
    assert lines(brief_text(with_ged_input(demo())))[-1] == "Data: UCDP GED (CC BY 4.0)"
    assert lines(brief_text(with_ged_input(demo()), "fr"))[-1] == "Données : UCDP GED (CC BY 4.0)"
