"""The rule set: it loads, it covers every decision-rule provision, and bad rule files fail in one clear line."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest

from kzappeals.spec.conditions import CaseOps, Const, Flag, In, OutputIn, ProvidedBy, Unknown, build, leaves, parse, predicate
from kzappeals.spec.errors import InputError
from kzappeals.spec.registry import encoded_kinds, load_registry
from kzappeals.spec.ruleset import SPEC_DIR, default_ruleset, load_ruleset


def test_every_decision_rule_provision_is_encoded():
    """A decision-rule or pointer clause is the clause or a citation of some rule, or a named
    unknown provision that may fill a gap (questions.toml may_be_filled_by)."""
    rs = default_ruleset()
    cited = {c for r in rs.rules for c in r.clauses}
    fillers = {u for q in rs.questions.values() for u in q.may_be_filled_by}
    missing = [c.id for c in load_registry().clauses if c.kind in encoded_kinds and c.id not in cited | fillers]
    assert missing == []


def test_every_rule_cites_registered_clauses():
    reg = load_registry()
    for r in default_ruleset().rules:
        for c in r.clauses:
            assert c in reg, (r.id, c)


def test_every_fixed_reading_is_used_or_cited():
    rs = default_ruleset()
    used = {n for r in rs.rules for n in (*r.readings, r.only_under) if n}
    unused = [rd.id for rd in rs.readings.values() if rd.id not in used and rd.id not in ("points-4-6-carve-out", "p19-refinement")]
    assert unused == [], "a reading no rule rests on is documentation of nothing"


@pytest.fixture
def spec_copy(tmp_path: Path) -> Path:
    dst = tmp_path / "spec"
    shutil.copytree(SPEC_DIR, dst, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return dst


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_copy_of_spec_loads(spec_copy):
    assert load_ruleset(spec_copy).sha256 == default_ruleset().sha256


@pytest.mark.parametrize(
    ("file", "old", "new", "where", "reason"),
    [
        (
            "rules/p54.toml",
            'id = "p54.pp5.a5"',
            'id = "p54.pp9.a5"',
            "spec/rules/p54.toml:64: rule 'p54.pp9.a5'",
            "clause 'p54.pp9.a5', which the clause registry",
        ),
        (
            "rules/p54.toml",
            "institution) and outcome == refused",
            "institution) and outcome == rejected",
            "rule 'p54.pp5.a5' when, column",
            "'rejected' is not a value of outcome",
        ),
        (
            "rules/p54.toml",
            'then = { signatory = "resolving_official" }',
            'then = { signatory = "clerk" }',
            "rule 'p54.pp8.a2' then",
            "'clerk' is not an answer to 'signatory'",
        ),
        ("rules/p23.toml", '[[rule]]\nid = "p23.pp4"', '[[rule\nid = "p23.pp4"', "spec/rules/p23.toml", "not valid TOML"),
        (
            "rules/p54.toml",
            'not provided_by("p54.pp1", "p54.pp2", "p54.pp3")',
            'not provided_by("p54.pp1", "p54.pp2", "p54.pp33")',
            "rule 'p54.pp5.a6' when",
            "'p54.pp33' names no rule",
        ),
        (
            "rules/p54.toml",
            "handled_at == district and outcome == explained",
            "handled_at == district and (outcome == explained",
            "rule 'p54.pp7.a4' when",
            "not valid syntax",
        ),
        (
            "rules/p15.toml",
            'because = "p15 is the rule written',
            'nobecause = "p15 is the rule written',
            "spec/rules/p15.toml:3: rule 'p15/not-considered' key 'nobecause'",
            "unknown key",
        ),
        (
            "profiles.toml",
            "subpoint_order = true\nexceptions = false",
            "subpoint_order = true\nexceptions = true",
            "[profile.subpoint-order]",
            "precedence loops",
        ),
    ],
)
def test_bad_rule_files_fail_in_one_line(spec_copy, file, old, new, where, reason):
    _edit(spec_copy / file, old, new)
    with pytest.raises(InputError) as exc:
        load_ruleset(spec_copy)
    msg = str(exc.value)
    assert where in msg and reason in msg and "\n" not in msg


def test_provided_by_loop_is_refused(spec_copy):
    _edit(spec_copy / "rules/p54.toml", "when = 'unknown(\"p54.pp1\")'", 'when = \'unknown("p54.pp1") and not provided_by("p54.pp5")\'')
    with pytest.raises(InputError, match="provided_by loops"):
        load_ruleset(spec_copy)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("handled_at = district", "not valid syntax"),
        ("colour == red", "'colour' is not an attribute with values"),
        ("anonymous == True", "'anonymous' is not an attribute with values"),
        ("outcome", "'outcome' is not a yes/no attribute"),
        ("outcome < refused", "use ==, !="),
        ('unknown("p99")', "'p99' is not an unknown provision"),
        ("__import__('os')", "'__import__' is not a condition function"),
        ("1 + 1", "is not allowed in a condition"),
    ],
)
def test_condition_language_rejects(text, reason):
    with pytest.raises(InputError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        parse(text, "here")


class _GivenLeaves(CaseOps):
    """A condition's leaves answered from a table (every leaf a key), so any truth assignment can be asked."""

    def __init__(self, truth: dict):
        self.truth = truth

    def field_in(self, field, values):
        return self.truth[In(field, values)]

    def flag(self, field):
        return self.truth[Flag(field)]

    def unknown(self, provision):
        return self.truth[Unknown(provision)]

    def provided_by(self, prefixes):
        return self.truth[ProvidedBy(prefixes)]

    def output_in(self, output, values):
        return self.truth[OutputIn(output, values)]


def test_a_compiled_condition_answers_as_its_tree_for_every_truth_of_its_leaves():
    """The evaluator runs each condition compiled once (conditions.predicate); for every condition of the
    spec (rules, lapses, principles) and every assignment of truth to its leaves, it answers as build does."""
    rs = default_ruleset()
    exprs = [r.when for r in rs.rules] + [lp.when for q in rs.questions.values() for lp in q.lapses]
    exprs += [p.when for p in rs.principles if p.when is not None]
    for expr in exprs:
        keys = list(dict.fromkeys(k for k in leaves(expr) if not isinstance(k, Const)))
        for bits in itertools.product([False, True], repeat=len(keys)):
            ops = _GivenLeaves(dict(zip(keys, bits)))
            assert predicate(expr)(ops) is build(expr, ops), (expr, bits)


def test_every_value_of_the_vocabulary_reads_as_a_phrase():
    from kzappeals.spec.conditions import CASE_FIELDS, UNKNOWN_PROVISIONS, field_values
    from kzappeals.spec.labels import phrase

    for field in CASE_FIELDS:
        for value in field_values(field):
            assert phrase(field, value, "en") and phrase(field, value, "ru"), (field, value)
    for u in UNKNOWN_PROVISIONS:
        assert phrase(f"unknown_provisions:{u}", True, "ru")


def test_verify_a_broken_draft_fails_in_one_line_without_traceback(spec_copy):
    """A drafter's copy of spec/ with a typo: exit 2, one line naming file, line, rule and reason."""
    import subprocess
    import sys

    _edit(spec_copy / "rules/p23.toml", "and subject == appeals_procedure_explanation", "and subject == appeals_procedure")
    done = subprocess.run([sys.executable, "-m", "kzappeals", "verify", "--spec", str(spec_copy)], capture_output=True, text=True)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert (
        "spec/rules/p23.toml:" in done.stderr
        and "rule 'p23.pp4' when" in done.stderr
        and "'appeals_procedure' is not a value of subject" in done.stderr
    )


def test_verify_a_draft_that_fixes_a_gap(spec_copy, capsys):
    """The drafter's workflow: a draft that closes the Call-centre gap verifies without that gap."""
    from kzappeals import cli

    _edit(spec_copy / "rules/p18.toml", 'when = "channel == call_centre_conforming"', 'when = "channel != direct"')
    assert cli.main(["verify", "--spec", str(spec_copy), "--profile", "literal", "--baseline", "none", "--format", "json"]) == 1
    import json

    gaps = [f for f in json.loads(capsys.readouterr().out)["findings"] if f["kind"] == "gap" and f["question"] == "intake"]
    assert gaps == []
