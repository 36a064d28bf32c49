"""A finding's id is a function of what it says, never of solver order, file order, comments or notes.

A drafter's CI gate compares ids with the baseline (`verify --baseline`): an id that moves when
nothing about its finding changed is reported NEW and blames the drafter for a defect that was
already there.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kzappeals.spec.conditions import references
from kzappeals.spec.findings import Range, finding_id, region_key
from kzappeals.spec.ruleset import SPEC_DIR, load_ruleset
from kzappeals.spec.verify import verify

EDITED = "p54.pp5.a6"


def _ids(spec_dir: Path) -> dict[str, dict]:
    report = verify(rs=load_ruleset(spec_dir))
    return {f.id: f.model_dump(mode="json") for f in report.findings}


@pytest.fixture(scope="module")
def base() -> dict[str, dict]:
    return _ids(SPEC_DIR)


def _draft(tmp_path: Path, edit) -> Path:
    draft = tmp_path / "draft"
    shutil.copytree(SPEC_DIR, draft, ignore=shutil.ignore_patterns("__pycache__"))
    path = draft / "rules" / "p54.toml"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return draft


def _reversed_rules(text: str) -> str:
    head, *blocks = re.split(r"(?m)^(?=\[\[rule\]\])", text)
    return head + "".join(reversed([b if b.endswith("\n\n") else b.rstrip("\n") + "\n\n" for b in blocks]))


def test_reordering_the_rules_of_a_file_moves_no_id(base, tmp_path):
    """No profile reads the order of rules in a file (subpoint-order reads the subpoint numbers)."""
    draft = _draft(tmp_path, _reversed_rules)
    assert (draft / "rules/p54.toml").read_text(encoding="utf-8") != (SPEC_DIR / "rules/p54.toml").read_text(encoding="utf-8")
    assert set(_ids(draft)) == set(base)


def test_reordering_the_rules_of_a_file_moves_no_witness(base, tmp_path):
    """A witness is the least case of its finding (spec/verify.py, Witnesses.least), not whichever model
    the solver returns: building the rules' terms in another order changes the solver's history, and
    must not change which appeal shows a finding."""
    moved = _ids(_draft(tmp_path, _reversed_rules))
    assert {i: (f["witness"], f["changes"]) for i, f in moved.items()} == {i: (f["witness"], f["changes"]) for i, f in base.items()}


def test_editing_notes_and_comments_moves_no_id(base, tmp_path):
    def edit(text: str) -> str:
        text = re.sub(r'(?m)^note = "', 'note = "Reworded by a drafter. ', text)
        return re.sub(r"(?m)^# ", "# (draft) ", text)

    assert set(_ids(_draft(tmp_path, edit))) == set(base)


def test_narrowing_one_rule_keeps_the_id_of_every_finding_it_does_not_touch(base, tmp_path):
    """Narrow 54.5's residual clause (answers that explain the law no longer fall under it): findings
    about other questions, and conflicts between other rules under the literal reading (where
    precedence does not couple rules), keep their ids."""

    def edit(text: str) -> str:
        old = 'when = \'handled_at in (regional, agency, institution) and not provided_by("p54.pp1", "p54.pp2", "p54.pp3")\''
        assert old in text
        return text.replace(old, old[:-1] + " and outcome != explained'")

    draft_dir = _draft(tmp_path, edit)
    draft = _ids(draft_dir)
    rs = load_ruleset(draft_dir)
    edited = rs.by_id[EDITED]
    # A residual clause excepting "subpoints 1) - 5)" reads 54.5's rules: an edit of 54.5 is an edit of it too.
    touched = {EDITED} | {r.id for r in rs.rules if any(edited.under(p) for p in references(r.when)[0])}
    assert touched > {EDITED}

    def untouched(f: dict) -> bool:
        if f["kind"] == "assumption" or touched & set(f["rules"]):
            return False
        return f["question"] != "signatory" or (f["kind"] == "conflict" and f["profile"] == "literal")

    kept = {i for i, f in base.items() if untouched(f)}
    assert len(kept) > 100  # the test is about the many findings the edit leaves alone
    assert kept <= set(draft)
    assert {i for i, f in draft.items() if untouched(f)} == kept


def test_a_gap_region_is_a_set():
    a = (Range(field="kind", values=("complaint", "application")), Range(field="handled_at", values=("regional",)))
    b = (Range(field="handled_at", values=("regional",)), Range(field="kind", values=("application", "complaint")))
    assert finding_id("gap", "literal", "handler", unordered=region_key(a)) == finding_id(
        "gap", "literal", "handler", unordered=region_key(b)
    )
    c = (Range(field="handled_at", values=("regional",)), Range(field="kind", values=("application",)))
    assert finding_id("gap", "literal", "handler", unordered=region_key(c)) != finding_id(
        "gap", "literal", "handler", unordered=region_key(a)
    )
