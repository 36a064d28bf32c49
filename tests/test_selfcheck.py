"""The suite proves itself: mutants of the reference implementation are rejected.

The full run (every mutant) is `kzappeals selfcheck --write-report`, committed as
reports/selfcheck.md, and CI runs it whole again (`kzappeals selfcheck --check`, .ci/run);
here one mutant of each kind is certified, the prepared run the full one uses (with its
shortcuts: cases a mutation cannot reach, a replayed exploration) is checked against
certifications from scratch, the verdict machinery is tested on mutants made to be
equivalent or to slip past, and the committed report is checked against its inputs.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest

from kzappeals.conformance import selfcheck
from kzappeals.conformance.selfcheck import Mutant, check_mutant, mutants

ROOT = Path(__file__).resolve().parents[1]
KINDS = {
    "negate-condition",
    "drop-conjunct",
    "drop-disjunct",
    "flip-comparison",
    "swap-answer",
    "narrow-set",
    "deadline-plus-one",
    "holidays-ignored",
    "receipt-counting-swapped",
    "entry-one-day-late",
    "profiles-rotated",
}


def test_every_kind_of_mutant_is_made_and_ids_are_unique():
    ms = mutants()
    assert {m.kind for m in ms} == KINDS
    assert len({m.id for m in ms}) == len(ms)


def _committed() -> selfcheck.SelfcheckReport:
    return selfcheck.SelfcheckReport.model_validate_json((ROOT / "reports/selfcheck.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_committed_verdict_is_reproduced_for_one_mutant_of_each_kind(kind):
    """Re-certify the first mutant of each kind the committed report says was killed: it is rejected again,
    by the certificate, with the same number of cases needed."""
    killed = next(m for m in _committed().mutants if m.kind == kind and m.verdict == "killed")
    mutant = next(m for m in mutants() if m.id == killed.id)
    result = check_mutant(mutant, seed=0, max_examples=100, equivalence_sample=500)
    assert result.verdict == "killed" and result.certificate_verdict != "certified", result
    assert result.cases_needed == killed.cases_needed


def test_an_equivalent_mutant_is_found_equivalent_again():
    first = next(m for m in _committed().mutants if m.verdict == "equivalent")
    result = check_mutant(next(m for m in mutants() if m.id == first.id), seed=0, max_examples=50, equivalence_sample=500)
    assert result.verdict == "equivalent", result


def test_a_mutant_no_case_tells_apart_is_equivalent():
    same = Mutant("test:same", "none", "the reference itself", selfcheck.fresh_decide)
    assert check_mutant(same, seed=0, max_examples=50, equivalence_sample=300).verdict == "equivalent"


def test_a_mutant_the_suite_misses_is_reported_as_a_survivor():
    """Wrong only for collective oral appeals at a district office: no vector has one and exploration is
    switched off, so it passes certification; the uniform sample then tells it apart."""

    def make():
        right = selfcheck.fresh_decide()

        def decide(case, profile="literal", *args, **kwargs):
            d = right(case, profile, *args, **kwargs)
            if case.collective and case.form.value == "oral" and case.handled_at.value == "district" and d.signatory.answers:
                wrong = d.signatory.answers[0].model_copy(update={"value": type(d.signatory.answers[0].value)("deputy_head")})
                return d.model_copy(update={"signatory": d.signatory.model_copy(update={"answers": (wrong,)})})
            return d

        return decide

    vectors = [v.case for v in selfcheck.available_vectors()]
    assert not any(c["collective"] and c["form"] == "oral" and c["handled_at"] == "district" for c in vectors)
    result = check_mutant(Mutant("test:rare", "rare", "wrong on a rare combination", make), seed=0, max_examples=0, equivalence_sample=3000)
    assert result.verdict == "survived" and "told apart" in result.note


def test_committed_report_matches_its_inputs():
    data = json.loads((ROOT / "reports/selfcheck.json").read_text(encoding="utf-8"))
    assert data["inputs_sha256"] == selfcheck.inputs_digest(), "inputs changed: run `kzappeals selfcheck --write-report`"
    report = selfcheck.SelfcheckReport.model_validate(data)
    assert (ROOT / "reports/selfcheck.md").read_text(encoding="utf-8") == selfcheck.render_markdown(report)
    # The one hole of 1 December 2026 (the reference without "handled_at in 54.5's bodies") is closed by a
    # near-hit vector (tests/test_near_hits.py): every mutant some case tells apart is killed.
    assert [m.id for m in report.mutants if m.verdict == "survived"] == []


def test_the_prepared_run_gives_the_result_of_a_full_one():
    """run_selfcheck judges mutants on one prepared run (the reference's certification replayed, the
    domain and the sample answered once): for a mutant the vectors kill, one exploration kills, one that
    crashes and one no case tells apart, it gives exactly what a certification from scratch gives."""
    # As the command makes it: the domain's calls read in a forked worker.
    prepared = selfcheck.Prepared(seed=0, max_examples=20, equivalence_sample=100, jobs=2)

    def crashes():
        right = selfcheck.fresh_decide()

        def decide(case, profile="literal", *args, **kwargs):
            if case.repeated:
                raise RuntimeError("mutant")
            return right(case, profile, *args, **kwargs)

        return decide

    by_id = {m.id: m for m in mutants()}
    chosen = [
        mutants()[0],
        next(m for m in mutants() if m.kind == "entry-one-day-late"),
        Mutant("test:crash", "crash", "raises on repeated appeals", crashes),
        Mutant("test:same", "none", "the reference itself", selfcheck.fresh_decide),
        # Answers other than the reference's, each admissible: the recorded exploration replayed to it.
        by_id["signature:110:flip-comparison"],
        # In a provision's function: judged only on the cases whose decision calls it.
        by_id["routing:48:drop-conjunct#2"],
        # In a helper the module calls when imported: every case may show it.
        by_id["signature:56:swap-answer"],
    ]
    for m in chosen:
        assert prepared.judge(m) == check_mutant(m, seed=0, max_examples=20, equivalence_sample=100), m.id


def test_a_mutation_in_a_function_is_placed_in_that_function():
    """A source mutant inside a function names the function its code object is (the unit whose calls decide
    which cases it is judged on); one outside every function body may change any decision."""
    for m in mutants():
        if m.runs_in is None:
            assert m.kind in ("swap-answer", "narrow-set") or m.id.startswith("behaviour:"), m.id
            continue
        file, first_line, name = m.runs_in
        source = Path(file).read_text(encoding="utf-8").splitlines()
        heading = "".join(source[first_line - 1 : first_line + 5])  # a decorated function's code starts at its decorator
        assert ("lambda" in heading) if name == "<lambda>" else (f"def {name}(" in heading), m.id
        assert int(m.id.split(":")[1]) >= first_line, m.id


def test_a_decision_run_cold_calls_every_function_it_calls_warm():
    """The functions a decision calls, read on a fresh copy put back as imported, include every function the
    real reference calls for it after deciding thousands of others (with its caches warm): a mutant in any
    function the warm run calls is judged on that case."""
    calls = selfcheck._Calls()
    domain = list(selfcheck._domain())[::97]
    warm = selfcheck.fresh_decide()
    for case, profile in domain:  # warm every cache
        warm(selfcheck.parse_case(case), profile)
    skipped_warm = 0
    for case, profile in domain:
        parsed = selfcheck.parse_case(case)
        called: set = set()
        selfcheck._traced(functools.partial(warm, parsed, profile), called)
        reference_calls = {u for u in called if "reference_impl" in u[0]}
        cold = calls(parsed, profile)
        assert cold is not None and reference_calls <= cold, (case, profile, reference_calls - cold)
        skipped_warm += reference_calls < cold
    assert skipped_warm, "the warm runs skip what their caches hold, and the cold ones do not"


def test_check_names_each_mutant_whose_result_differs_from_the_committed_one():
    committed = _committed()
    first, second = committed.mutants[0], committed.mutants[1]
    now = committed.model_copy(
        update={
            "stack": {"hypothesis": "0"},  # another stack alone is no difference
            "mutants": (first.model_copy(update={"verdict": "survived", "note": "told apart by case no. 3"}), *committed.mutants[2:]),
        }
    )
    assert selfcheck.differences(committed, committed.model_copy(update={"stack": {}})) == []
    was = f"certificate {first.certificate_verdict}, {first.cases_needed} cases needed"
    assert selfcheck.differences(committed, now) == [
        f"mutant {first.id}: committed {first.verdict} ({was}), now survived ({was}; told apart by case no. 3)",
        f"mutant {second.id}: in the committed report, not made now",
    ]


@pytest.mark.parametrize(
    ("args", "where"),
    [
        (["--check", "--only", "behaviour:"], "--check"),
        (["--check", "--write-report"], "--check"),
        (["--check", "--reports-dir", "no/such/dir"], "no/such/dir/selfcheck.json"),
    ],
)
def test_a_check_that_cannot_be_made_is_one_line_and_exit_2_before_any_run(args, where, capsys):
    from kzappeals.cli import main

    assert main(["selfcheck", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"kzappeals: error: {where}: ") and err.count("\n") == 1, err
