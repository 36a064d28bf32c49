"""The compiler and the checks on miniature rule sets (tests/specs/), each with the findings it must give
written beside it: independent of the 2015 text, so a change to the checks shows on a rule set small enough
to read at a glance."""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from pathlib import Path

import pytest

from kzappeals.spec.ruleset import SPEC_DIR, load_ruleset
from kzappeals.spec.verify import verify

MINIATURES = Path(__file__).parent / "specs"


def _assemble(name: str, into: Path) -> Path:
    """The shipped spec with the miniature's rules, its questions required and the others not, and only its principles."""
    spec = into / name
    shutil.copytree(SPEC_DIR, spec, ignore=shutil.ignore_patterns("__pycache__", "*.py", "rules", "schemas"))
    shutil.copytree(MINIATURES / name / "rules", spec / "rules")
    meta = tomllib.loads((MINIATURES / name / "miniature.toml").read_text(encoding="utf-8"))
    questions = (SPEC_DIR / "questions.toml").read_text(encoding="utf-8")
    questions = re.sub(r"(?ms)^\[\[lapse\]\].*?(?=^\[|\Z)", "", questions)  # lapses name the 2015 rules
    questions = re.sub(
        r'(?m)^(\[(\w+)\]\n(?:(?!\[).*\n)*?)required_when = ".*"$',
        lambda m: m.group(1) + ('required_when = "True"' if m.group(2) in meta["questions"] else 'required_when = "False"'),
        questions,
    )
    (spec / "questions.toml").write_text(questions, encoding="utf-8")
    principles = (SPEC_DIR / "principles.toml").read_text(encoding="utf-8").split("[[principle]]")
    kept = [p for p in principles[1:] if re.search(r'^id = "(.*)"$', p, re.M).group(1) in meta.get("principles", [])]
    (spec / "principles.toml").write_text(principles[0] + "".join("[[principle]]" + p for p in kept), encoding="utf-8")
    for attr, entry in meta.get("attribute", {}).items():
        _add_attribute(spec, attr, entry)
    return spec


def _add_attribute(spec: Path, name: str, entry: dict) -> None:
    """A fact of the case only the miniature has, written where a draft writes one (kzappeals amend's [[attribute]])."""
    table = f'[{name}]\ntype = "{entry["type"]}"\ndescription = {json.dumps(entry["description"])}\n\n'
    path = spec / "attributes.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("[unknown_provisions]", table + "[unknown_provisions]"), encoding="utf-8")
    phrases = "".join(f"{k} = {{ en = {json.dumps(v['en'])}, ru = {json.dumps(v['ru'])} }}\n" for k, v in entry["labels"].items())
    path = spec / "labels.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("[unknown_provisions]", f"[{name}]\n{phrases}\n[unknown_provisions]"), encoding="utf-8"
    )
    ordinary = json.loads((spec / "ordinary-appeal.json").read_text(encoding="utf-8"))
    (spec / "ordinary-appeal.json").write_text(json.dumps({**ordinary, name: entry["ordinary"]}), encoding="utf-8")


def _found(spec: Path) -> list[dict]:
    out = []
    for f in verify(rs=load_ruleset(spec)).findings:
        if f.kind == "assumption":
            continue
        item = {"kind": f.kind, "profile": f.profile, "question": f.question}
        if f.kind == "gap":
            item["region"] = {r.field: sorted(map(str, r.values)) for r in f.region}
        else:
            item["rules"] = sorted(f.rules)
        if f.principle:
            item["principle"] = f.principle
        out.append(item)
    return sorted(out, key=repr)


@pytest.mark.parametrize("name", sorted(p.name for p in MINIATURES.iterdir() if p.is_dir()))
def test_a_miniature_gives_exactly_its_expected_findings(name, tmp_path):
    expected = tomllib.loads((MINIATURES / name / "expected.toml").read_text(encoding="utf-8"))["finding"]
    assert _found(_assemble(name, tmp_path)) == sorted(expected, key=repr)


def test_the_witness_of_a_conflict_on_a_new_fact_states_the_fact(tmp_path):
    report = verify(["literal"], load_ruleset(_assemble("new-attribute", tmp_path)))
    (conflict,) = [f for f in report.findings if f.kind == "conflict"]
    assert conflict.witness["urgent"] is True and conflict.witness["outcome"] == "granted"
    assert "urgent" in conflict.message.en  # the draft's own phrase for the fact
