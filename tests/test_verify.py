"""The verifier's findings, checked against the rule set evaluated case by case (no Z3),
and the committed reports, schemas and baseline checked for staleness."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from pydantic import ValidationError

from kzappeals import cli
from kzappeals import verification_report as vr
from kzappeals.conformance.strategies import cases
from kzappeals.spec.case_json import parse_case
from kzappeals.spec.evaluate import Evaluation, spec_decision
from kzappeals.spec.ruleset import SPEC_DIR, default_ruleset
from kzappeals.spec.verify import verify
from kzappeals.spec.vocabulary import Case, ordinary_appeal

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def report():
    return verify()


def _case(d: dict) -> Case:
    return parse_case(d)


def _shows(f, case: Case) -> bool:
    """Does the finding show on ``case``, judged by the evaluator rather than Z3?"""
    rs = default_ruleset()
    ev = Evaluation(rs, rs.profiles[f.profile], case)
    if f.kind == "conflict":
        deciding = {r.id for r in ev.deciding(f.question)}
        return set(f.rules) <= deciding
    if f.kind == "gap":
        return ev.determination(f.question).status == "undetermined"
    if f.kind == "principle" and f.related:
        return ev.determination(f.question).status in ("ambiguous", "undetermined")
    if f.kind == "principle":
        p = next(p for p in rs.principles if p.id == f.principle)
        return (
            ev.holds(p.when)
            and f.rules[0] in {r.id for r in ev.deciding(f.question)}
            and rs.by_id[f.rules[0]].then[f.question] in p.forbidden
        )
    raise AssertionError(f.kind)


def test_every_witness_is_a_valid_case_that_shows_its_finding(report):
    checked = 0
    for f in report.findings:
        if f.witness is None or f.kind == "dead":
            continue
        assert _shows(f, _case(f.witness)), f.id
        checked += 1
    assert checked > 100


def _in_region(f, case: Case) -> bool:
    data = json.loads(case.model_dump_json())
    for rng in f.region:
        if rng.field.startswith("unknown_provisions:"):
            value = rng.field.split(":")[1] in data["unknown_provisions"]
        else:
            value = data[rng.field]
        if value not in rng.values:
            return False
    return True


def test_witnesses_are_minimal(report):
    """Putting any one changed attribute back to the ordinary appeal's value makes the case
    incoherent or loses the finding: no smaller case exists along any single attribute.
    (A gap's witness is the smallest case outside the gap regions listed before it.)"""
    base = ordinary_appeal()
    earlier: dict = {}
    for f in report.findings:
        if f.kind == "gap":
            earlier.setdefault((f.profile, f.question), []).append(f)
        if f.witness is None or f.kind == "dead" or f.related:
            continue
        for change in f.changes:
            smaller = dict(f.witness)
            if change.field.startswith("unknown_provisions:"):
                smaller["unknown_provisions"] = [u for u in smaller["unknown_provisions"] if u != change.field.split(":")[1]]
            else:
                smaller[change.field] = base[change.field]
            try:
                case = _case(smaller)
            except ValidationError:
                continue
            if f.kind == "gap" and any(_in_region(g, case) for g in earlier[(f.profile, f.question)][:-1]):
                continue
            assert not _shows(f, case), (f.id, change)


def test_gap_regions_hold_throughout(report):
    """Every corner of a gap region is a gap: each value the region allows, on the witness."""
    for f in report.findings:
        if f.kind != "gap":
            continue
        for rng in f.region:
            if rng.field.startswith("unknown_provisions:"):
                continue
            for value in rng.values:
                try:
                    case = _case({**f.witness, rng.field: value})
                except ValidationError:
                    continue
                assert _shows(f, case), (f.id, rng.field, value)


@settings(max_examples=300, deadline=None, database=None)
@given(case=cases())
def test_dead_rules_never_decide(report, case):
    rs = default_ruleset()
    for f in report.findings:
        if f.kind != "dead":
            continue
        rule = rs.by_id[f.rules[0]]
        ev = Evaluation(rs, rs.profiles[f.profile], case)
        assert all(rule not in ev.deciding(q) for q in rule.then), (f.id, case)


@settings(max_examples=300, deadline=None, database=None)
@given(case=cases())
def test_proved_principles_hold_on_any_case(report, case):
    rs = default_ruleset()
    principles = {p.id: p for p in rs.principles}
    for proved in report.proved:
        p = principles[proved.principle]
        d = spec_decision(case, proved.profile)
        det = getattr(d, p.question)
        if d.in_force != "in_force":
            continue
        if p.exactly_one:
            assert det.status in ("decided", "not_applicable"), (p.id, case)
            continue
        if Evaluation(rs, rs.profiles[proved.profile], case).holds(p.when):
            assert not {a.value.value for a in det.answers} & p.forbidden, (p.id, proved.profile, case)


def test_a_check_a_known_unsat_core_answers_is_the_solvers_answer():
    """Witnesses.check answers a query holding a known unsat core without asking Z3: for every rule and every
    attribute value (the queries a witness search asks), that answer is a plain solver's."""
    import z3

    from kzappeals.spec.compile import CompiledModel
    from kzappeals.spec.verify import Witnesses

    rs = default_ruleset()
    m = CompiledModel(rs)
    prof = rs.profiles["literal"]
    w, plain = Witnesses(m), z3.Solver(ctx=m.ctx)
    plain.add(m.domain)
    by_core = 0
    for q in rs.questions:
        for r in rs.answering(q):
            for a in m.attributes():
                for v in m.members.get(a, [False, True]):
                    facts = [m.decides(prof, r, q), m.equals(a, v)]
                    lits = [w.lit(f) for f in facts]
                    by_core += w._known_core({b.get_id() for b in lits}) is not None
                    assert w.check(lits) == (plain.check(*facts) == z3.sat), (r.id, a, v)
    assert by_core  # the rules' cores recur: a rule's term and one value that cannot go with it


def test_conditions_that_require_disjoint_values_of_a_field_never_hold_together():
    """The pairs of conditions the verifier does not ask Z3 about (spec/verify.py, jointly_required): no coherent
    case meets both. Asked of every rule's and principle's condition and of each one with a leaf negated, so that
    a negated test ("!=", "not in", "not flag") under an "and" is among them."""
    import z3

    from kzappeals.spec.compile import CompiledModel
    from kzappeals.spec.conditions import leaves, negate_leaf
    from kzappeals.spec.verify import jointly_required, required_values

    rs = default_ruleset()
    m = CompiledModel(rs)
    conditions = [r.when for r in rs.rules] + [p.when for p in rs.principles if p.when is not None]
    conditions += [negate_leaf(c, i) for c in list(conditions) for i in range(len(list(leaves(c))))]
    required = [required_values(c) for c in conditions]
    solver, literal = z3.Solver(ctx=m.ctx), rs.profiles["literal"]
    solver.add(m.domain)
    exclusive = 0
    for i, (a, ra) in enumerate(zip(conditions, required)):
        for b, rb in zip(conditions[i + 1 :], required[i + 1 :]):
            if jointly_required(ra, rb) is None:
                exclusive += 1
                assert solver.check(m.expr(a, literal), m.expr(b, literal)) == z3.unsat, (a, b)
    assert exclusive > 100  # the shipped rules partition appeals by field values: most pairs are told apart so


@settings(max_examples=300, deadline=None)
@given(cases())
def test_an_appeal_that_meets_rules_changes_at_least_what_the_verifier_counts_on(case):
    """Where a rule's condition holds (two rules' together, a principle's with a rule's), the appeal differs from the
    ordinary one in at least the number of fields the witness search starts from (spec/verify.py, changes_forced):
    the search skips no smaller case."""
    from kzappeals.spec.verify import changes_forced, jointly_required, required_values

    rs = default_ruleset()
    ev = Evaluation(rs, rs.profiles["literal"], case)
    ordinary = ordinary_appeal()
    shown = case.model_dump(mode="json")
    changed = sum(shown[f] != v for f, v in ordinary.items() if f not in ("received_on", "unknown_provisions"))
    meeting = [required_values(r.when) for r in rs.rules if ev.fire(r)]
    meeting += [required_values(p.when) for p in rs.principles if p.when is not None and ev.holds(p.when)]
    for i, a in enumerate(meeting):
        for b in meeting[i:]:
            joint = jointly_required(a, b)
            assert joint is not None and changes_forced(joint, ordinary) <= changed, (a, b)


def test_the_least_witness_of_a_conflict_makes_at_least_the_changes_the_search_starts_from(report):
    """The same bound against the report's conflicts, whose witnesses make the fewest changes there are: never
    above them, and on some of them exactly theirs (the bound that lets the search ask one check)."""
    from kzappeals.spec.verify import changes_forced, jointly_required, required_values

    rs = default_ruleset()
    tight = 0
    for f in report.findings:
        if f.kind == "conflict":
            joint = jointly_required(*(required_values(rs.by_id[r].when) for r in f.rules))
            assert joint is not None
            needed = changes_forced(joint, rs.ordinary)
            assert needed <= len(f.changes), f.id
            tight += needed == len(f.changes) > 0
    assert tight


def test_ids_are_stable_across_runs(report):
    again = verify()
    assert [f.id for f in again.findings] == [f.id for f in report.findings]
    assert len({f.id for f in report.findings}) == len(report.findings)


def test_findings_resting_on_unknown_provisions_say_so(report):
    for f in report.findings:
        if f.witness and f.witness["unknown_provisions"]:
            assert set(f.witness["unknown_provisions"]) <= set(f.depends_on_unknown), f.id


def test_profiles_change_results(report):
    """The interpretations are not cosmetic: the residual clause p54.pp7.a5 clashes with p54.pp8.a2
    (granted answers) read literally, and yields to it when residual clauses yield."""
    pairs = {(f.profile, f.rules) for f in report.findings if f.kind == "conflict"}
    assert ("literal", ("p54.pp7.a5", "p54.pp8.a2")) in pairs
    assert ("residual-yields", ("p54.pp7.a5", "p54.pp8.a2")) not in pairs


def test_committed_reports_are_fresh(report):
    baseline = vr.load_baseline(SPEC_DIR / cli.DEFAULT_BASELINE)
    assert (ROOT / "reports/verification.json").read_text(encoding="utf-8") == vr.render_json(report, baseline), (
        "run `kzappeals verify --write-reports`"
    )
    assert (ROOT / "reports/verification.md").read_text(encoding="utf-8") == vr.render_markdown(report, baseline), (
        "run `kzappeals verify --write-reports`"
    )


def test_committed_schemas_are_fresh():
    from kzappeals import generated

    assert generated.stale(generated.KINDS["schemas"]()) == [], "run `kzappeals generate`"


def test_verify_exit_codes(capsys, tmp_path):
    assert cli.main(["verify", "--profile", "literal"]) == 0  # the shipped baseline accepts today's findings
    assert cli.main(["verify", "--profile", "literal", "--baseline", "none"]) == 1
    capsys.readouterr()
    assert cli.main(["verify", "--profile", "nonsense"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--profile" in err and "literal" in err
    bad = tmp_path / "baseline.json"
    bad.write_text('{"accepted": [{"id": 1}]}')
    assert cli.main(["verify", "--baseline", str(bad)]) == 2
    assert "accepted[0]" in capsys.readouterr().err


def test_verify_json_validates_against_its_schema(capsys):
    assert cli.main(["verify", "--profile", "lex-specialis", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    vr.VerificationDocument.model_validate(data)
    for f in data["findings"]:
        if f["witness"]:
            _case(f["witness"])
        assert f["message"]["ru"] and f["message"]["en"]


def test_explain_quotes_clauses_in_both_languages(report, capsys):
    f = next(f for f in report.findings if f.profile == "literal" and f.rules == ("p54.pp5.a6", "p54.pp6.a3"))
    assert cli.main(["verify", "--profile", "literal", "--explain", f.id]) == 0
    out = capsys.readouterr().out
    assert "иные обращения" in out and "other appeals" in out.lower() and '"handled_at"' in out
