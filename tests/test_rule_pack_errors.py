"""A broken rule pack is reported in full: every problem, each with file, line, rule id and field.

The shipped pack is copied into tmp_path and broken by *adding* bad rules (loaded and re-dumped
with PyYAML), not by editing existing text, so these tests do not depend on the exact wording
of the shipped rules. Exit code 2 for an invalid pack; never a traceback.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from advisory.cli import cli
from advisory.errors import RulePackError
from advisory.rulepack import default_rules_dir, load_pack

# ---------------------------------------------------------------------------------------------
# helpers


def run_cli(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args))
    # CliRunner swallows exceptions into result.exception; a real run would print a traceback
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert "Traceback" not in result.stderr
    return result


def copy_pack(tmp_path: Path) -> Path:
    dest = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), dest)
    return dest


def read(pack: Path, name: str) -> Any:
    return yaml.safe_load((pack / name).read_text(encoding="utf-8"))


def write(pack: Path, name: str, data: Any) -> None:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)
    (pack / name).write_text(text, encoding="utf-8")


def line_of(path: Path, needle: str, last: bool = False) -> int:
    """1-based line number of the (first or last) line containing `needle`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    hits = [i for i, ln in enumerate(lines, 1) if needle in ln]
    assert hits, f"{needle!r} not in {path}"
    return hits[-1] if last else hits[0]


class Broken:
    """Each `add_*` breaks the pack one way and records what the report must say."""

    def __init__(self, pack: Path) -> None:
        self.pack = pack
        self.ps = read(pack, "personal_security.yaml")
        self.hazard = next(iter(self.ps["hazards"]))
        self.exposure = next(iter(read(pack, "exposure.yaml")))
        self.signal = next(iter(read(pack, "classify.yaml")["signals"]))

    # --- errors the schema (per file) catches --------------------------------------------------
    def add_pointz(self) -> None:
        rc = read(self.pack, "regime_collapse.yaml")
        rc["place"]["rules"].append(
            {"id": "zz-pointz", "pointz": 3, "because": "typo in the points key"}
        )
        write(self.pack, "regime_collapse.yaml", rc)

    def add_duplicate_yaml_key(self) -> None:
        path = self.pack / "pack.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "name: second-name\n", encoding="utf-8")

    def remove_required_file(self) -> None:
        (self.pack / "confidence.yaml").unlink()

    # --- errors only the cross-file checks catch -----------------------------------------------
    def add_unknown_signal(self) -> None:
        cl = read(self.pack, "classify.yaml")
        cl["rules"].append(
            {
                "id": "zz-unknown-signal",
                "signal": self.signal + "x",
                "when": {"event_type": ["Battles"]},
            }
        )
        cl["rules"].append(
            {"id": "zz-bad-regex", "signal": self.signal, "when": {"notes_matches": "(unclosed"}}
        )
        write(self.pack, "classify.yaml", cl)

    add_bad_regex = add_unknown_signal  # both land in classify.yaml; written together

    def add_scoring_problems(self) -> None:
        """Unknown feature and duplicate rule id (a severity escalation and a regime rule)."""
        ps = read(self.pack, "personal_security.yaml")
        ps["combine"]["extreme_when"].append(
            {
                "id": "zz-unknown-feature",
                "when": [{"feature": f"exposure.{self.exposure}x", "gte": 1}],
                "because": "misspelt feature",
            }
        )
        write(self.pack, "personal_security.yaml", ps)
        rc = read(self.pack, "regime_collapse.yaml")
        self.duplicate_id = rc["national"]["rules"][0]["id"]
        rc["national"]["rules"].append(copy.deepcopy(rc["national"]["rules"][0]))  # no anchors
        write(self.pack, "regime_collapse.yaml", rc)

    def add_guidance_in_regime(self) -> None:
        rc = read(self.pack, "regime_collapse.yaml")
        rc["place"]["rules"].append(
            {
                "id": "zz-guidance-in-regime",
                "when": [{"feature": "guidance.max_level", "gte": 4}],
                "points": 10,
                "because": "governments say leave",
            }
        )
        write(self.pack, "regime_collapse.yaml", rc)


def check_json(pack: Path) -> list[dict[str, Any]]:
    result = run_cli("rules", "check", str(pack), "--format", "json")
    assert result.exit_code == 2, result.output
    doc = json.loads(result.stdout)
    assert doc["valid"] is False
    for e in doc["errors"]:
        assert set(e) >= {"file", "line", "rule", "field", "message"}, e
    return doc["errors"]


def find(
    errors: list[dict[str, Any]],
    *,
    rule: str | None = None,
    file: str | None = None,
    text: str | None = None,
) -> dict[str, Any]:
    hits = [
        e
        for e in errors
        if (rule is None or e["rule"] == rule)
        and (file is None or Path(e["file"]).name == file)
        and (text is None or text in e["message"])
    ]
    assert hits, f"no error with rule={rule} file={file} text={text!r} in:\n" + json.dumps(
        errors, indent=1
    )
    return hits[0]


# --- expectations, shared by the split tests and the all-at-once test -------------------------


def expect_schema_errors(errors: list[dict[str, Any]], pack: Path) -> None:
    rc = pack / "regime_collapse.yaml"
    e = find(errors, rule="zz-pointz", text="unknown key 'pointz'")
    assert Path(e["file"]) == rc
    assert e["line"] == line_of(rc, "pointz:")
    assert e["field"].endswith("pointz")
    assert "did you mean" in e["message"] and "'points'" in e["message"]

    e = find(errors, file="pack.yaml", text="duplicate key 'name'")
    assert e["line"] == line_of(pack / "pack.yaml", "name: second-name")
    assert e["field"] == "name"

    e = find(errors, file="confidence.yaml", text="missing")
    assert Path(e["file"]) == pack / "confidence.yaml"


def expect_cross_errors(errors: list[dict[str, Any]], pack: Path, b: Broken) -> None:
    cl = pack / "classify.yaml"
    e = find(errors, rule="zz-unknown-signal", text="unknown signal")
    assert Path(e["file"]) == cl
    assert e["line"] == line_of(cl, f"signal: {b.signal}x")
    assert e["field"].endswith("signal")
    assert f"did you mean '{b.signal}'" in e["message"] or f"'{b.signal}'" in e["message"]

    e = find(errors, rule="zz-bad-regex", text="regular expression")
    assert Path(e["file"]) == cl
    assert e["line"] == line_of(cl, "(unclosed")
    assert e["field"] == "when.notes_matches"

    ps = pack / "personal_security.yaml"
    e = find(errors, rule="zz-unknown-feature", text="unknown feature")
    assert Path(e["file"]) == ps
    assert e["line"] == line_of(ps, f"exposure.{b.exposure}x")  # the condition's own line
    assert e["field"] == "when.0.feature"
    assert f"did you mean 'exposure.{b.exposure}'" in e["message"]

    rc = pack / "regime_collapse.yaml"
    e = find(errors, rule=b.duplicate_id, text="duplicate rule id")
    assert Path(e["file"]) == rc
    assert e["line"] == line_of(rc, f"id: {b.duplicate_id}", last=True)  # the second one
    assert e["field"] == "id"

    e = find(errors, rule="zz-guidance-in-regime", text="guidance.max_level")
    assert Path(e["file"]) == rc
    assert e["line"] == line_of(rc, "feature: guidance.max_level")
    assert e["field"] == "when.0.feature"
    assert "invariant" in e["message"]


# ---------------------------------------------------------------------------------------------
# tests


def test_shipped_pack_checks_ok() -> None:
    result = run_cli("rules", "check")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("OK: ")
    assert "Error" not in result.stderr


def test_shipped_pack_json_says_valid(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)  # an untouched copy must be just as valid as the original
    result = run_cli("rules", "check", str(pack), "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["valid"] is True
    assert doc["digest"] == load_pack(default_rules_dir()).digest
    assert doc["scoring_rules"] > 0 and doc["classification_rules"] > 0


def test_schema_errors_all_reported_together(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    b = Broken(pack)
    b.add_pointz()
    b.add_duplicate_yaml_key()
    b.remove_required_file()
    errors = check_json(pack)
    expect_schema_errors(errors, pack)


def test_cross_reference_errors_all_reported_together(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    b = Broken(pack)
    b.add_unknown_signal()  # and the bad regex
    b.add_scoring_problems()  # unknown feature and duplicate id
    b.add_guidance_in_regime()
    errors = check_json(pack)
    expect_cross_errors(errors, pack, b)
    assert len(errors) == 5, json.dumps(errors, indent=1)


def test_every_problem_reported_at_once(tmp_path: Path) -> None:
    """The acceptance: break the pack in eight ways at once and get all eight in one run.

    Today the loader stops after the per-file schema pass when any file fails it, so the
    cross-file problems (signals, regexes, features, ids, the guidance invariant) only show up
    on a second run after the first batch is fixed.
    """
    pack = copy_pack(tmp_path)
    b = Broken(pack)
    b.add_unknown_signal()
    b.add_scoring_problems()
    b.add_guidance_in_regime()
    b.add_pointz()  # after add_scoring_problems: both edit regime_collapse.yaml
    b.add_duplicate_yaml_key()
    b.remove_required_file()
    errors = check_json(pack)
    expect_schema_errors(errors, pack)
    expect_cross_errors(errors, pack, b)


def test_text_report_names_file_line_rule_field_on_stderr(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    b = Broken(pack)
    b.add_unknown_signal()
    b.add_guidance_in_regime()
    result = run_cli("rules", "check", str(pack))
    assert result.exit_code == 2
    assert result.stdout == ""
    cl, rc = pack / "classify.yaml", pack / "regime_collapse.yaml"
    err = result.stderr
    assert (
        f"Error: {cl}:{line_of(cl, f'signal: {b.signal}x')}: rule zz-unknown-signal: field rules."
    ) in err
    regex_line = line_of(cl, "(unclosed")
    assert f"Error: {cl}:{regex_line}: rule zz-bad-regex: field when.notes_matches: " in err
    assert "rule zz-guidance-in-regime: field when.0.feature: feature 'guidance.max_level'" in err
    assert f"{rc}:" in err
    assert f"3 problems in {pack}" in err


@pytest.mark.parametrize("track", ["place", "national"])
def test_guidance_scaled_points_rejected_on_regime_track(tmp_path: Path, track: str) -> None:
    """The invariant holds for scaled points too, on both regime-collapse tracks."""
    pack = copy_pack(tmp_path)
    rc = read(pack, "regime_collapse.yaml")
    rc[track]["rules"].append(
        {
            "id": "zz-guidance-points",
            "because": "x",
            "points": {"feature": "guidance.issuers", "per_unit": 5, "cap": 10},
        }
    )
    write(pack, "regime_collapse.yaml", rc)
    with pytest.raises(RulePackError) as info:
        load_pack(pack)
    [p] = info.value.problems
    assert p.rule_id == "zz-guidance-points"
    assert Path(p.file) == pack / "regime_collapse.yaml"
    assert p.line == line_of(pack / "regime_collapse.yaml", "feature: guidance.issuers")
    assert p.field == "points.feature"
    assert "guidance.issuers" in p.message


def test_guidance_features_still_allowed_on_personal_security(tmp_path: Path) -> None:
    """The same feature on the personal-security track is fine: the check is per track."""
    pack = copy_pack(tmp_path)
    b = Broken(pack)
    assert b.hazard
    ps = read(pack, "personal_security.yaml")
    ps["combine"]["extreme_when"].append(
        {
            "id": "zz-guidance-ok",
            "when": [{"feature": "guidance.max_level", "gte": 4}],
            "because": "level {guidance.max_level}",
        }
    )
    write(pack, "personal_security.yaml", ps)
    esc = load_pack(pack).personal_security.combine.extreme_when
    assert any(r.id == "zz-guidance-ok" for r in esc)


def test_missing_pack_directory_exit_2(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-pack"
    result = run_cli("rules", "check", str(missing))
    assert result.exit_code == 2
    assert str(missing) in result.stderr
    assert "not found" in result.stderr


def test_unknown_extra_rule_file_reported(tmp_path: Path) -> None:
    pack = copy_pack(tmp_path)
    (pack / "personal_securty.yaml").write_text("rules: []\n", encoding="utf-8")
    errors = check_json(pack)
    e = find(errors, file="personal_securty.yaml", text="unknown rule file")
    assert "did you mean 'personal_security.yaml'" in e["message"]


def test_a_plural_sentence_is_checked_in_both_forms_and_counts_a_number(tmp_path: Path) -> None:
    """`because: {one, other}`: a misspelt placeholder in either form is named, forms that
    name different placeholders are refused, and the count cannot be a text feature."""
    pack = copy_pack(tmp_path)
    ps = read(pack, "personal_security.yaml")
    ps["combine"]["extreme_when"] += [
        {
            "id": "zz-differ",
            "when": [{"feature": "count.mass_casualty", "gte": 1}],
            "because": {"one": "{count.mass_casualty} attack", "other": "{count.mass_casulty} x"},
        },
        {
            "id": "zz-typo",
            "when": [{"feature": "count.mass_casualty", "gte": 1}],
            "because": {"one": "{count.mass_casulty} attack", "other": "{count.mass_casulty} x"},
        },
        {
            "id": "zz-text-count",
            "when": [{"feature": "guidance.max_level", "gte": 4}],
            "because": {"one": "{guidance.issuer_list} one", "other": "{guidance.issuer_list} n"},
        },
    ]
    write(pack, "personal_security.yaml", ps)
    errors = check_json(pack)
    differ = find(errors, rule="zz-differ")
    assert "must name the same placeholders" in differ["message"]
    assert "valid string" not in json.dumps(errors)  # the mapping is not also tried as a string
    typo = find(errors, rule="zz-typo")
    assert "did you mean 'count.mass_casualty'" in typo["message"]
    text = find(errors, rule="zz-text-count")
    assert "a text, not a count" in text["message"]
    because = line_of(pack / "personal_security.yaml", "{guidance.issuer_list} one") - 1
    assert text["line"] == because  # the line of its `because:`


def test_a_text_feature_is_named_in_sentences_but_never_tested(tmp_path: Path) -> None:
    """`latest_date.E` and the guidance lists are words for sentences: a condition on one would
    read it as a number that is never there, so the pack is refused with the line."""
    pack = copy_pack(tmp_path)
    ps = read(pack, "personal_security.yaml")
    ps["combine"]["extreme_when"] += [
        {
            "id": "zz-date-test",
            "when": [{"feature": "latest_date.kidnapping", "gte": 1}],
            "because": "taken on {latest_date.kidnapping}",
        },
    ]
    write(pack, "personal_security.yaml", ps)
    errors = check_json(pack)
    e = find(errors, rule="zz-date-test")
    assert "'latest_date.kidnapping' is a text" in e["message"]
    assert [x for x in errors if x.get("rule") == "zz-date-test"] == [e]  # the sentence is fine
