"""Near hits: for each part of a rule's condition, the smallest appeal on which the rule applies but would not
if that part were misread. They tell apart an implementation that drops a part the rule needs in that direction
only, such as a conjunct inside "not (...)", which no near miss (the rule does not apply, but would) shows."""

from __future__ import annotations

import json

from kzappeals.conformance import selfcheck
from kzappeals.conformance.vectors import load_vectors
from kzappeals.reference_impl import decide
from kzappeals.spec.case_json import parse_case

# p23.ch2/pp2-answered-below keeps a repeated appeal a district prosecutor answered only at the bodies of
# p54.pp5.a4 ("связанные с предыдущими обращениями, по которым ранее дан ответ прокурором района": the regional
# level); a structural subdivision of the Office still forwards it (p23.ch2 extending p23.pp2.ch2).
NEAR_HIT = "p23.ch2/pp2-answered-below:near-hit:5"
DROPPED = "drop-conjunct (case.handled_at in _P54_PP5_BODIES)"


def _vector(vid: str) -> dict:
    for _, doc in load_vectors():
        for v in doc.vectors:
            if vid in (v.id, *v.also):
                return json.loads(v.model_dump_json())
    raise AssertionError(f"no vector {vid}")


def test_the_near_hit_is_the_appeal_the_reading_forwards_from_a_subdivision_of_the_office():
    v = _vector(NEAR_HIT)
    case = v["case"]
    assert (case["handled_at"], case["repeated"], case["earlier_answer_by"]) == ("gpo_subdivision", True, "district_prosecutor")
    assert v["expected"]["lex-specialis"]["questions"]["disposition"]["admissible"] == {"forward_3wd_report": ["p23.ch2"]}


def test_the_reference_without_the_bodies_of_p54_pp5_a4_fails_the_near_hit_and_so_the_vectors():
    """The self-check's survivor of 1 December 2026 (then routing:286:drop-conjunct): the reference implementation
    without "handled_at in 54.5's bodies" keeps that appeal at a subdivision of the Office under lex-specialis;
    the near hit shows it, so certification on the vectors alone rejects the mutant."""
    (mutant,) = [m for m in selfcheck.mutants() if m.kind == "drop-conjunct" and DROPPED in m.description]
    case = parse_case(_vector(NEAR_HIT)["case"])
    right, wrong = decide(case, "lex-specialis"), mutant.make()(case, "lex-specialis")
    assert [a.value.value for a in right.disposition.answers] == ["forward_3wd_report"]
    assert [a.value.value for a in wrong.disposition.answers] != ["forward_3wd_report"]
    result = selfcheck.check_mutant(mutant, seed=0, max_examples=0, equivalence_sample=0)
    assert result.verdict == "killed" and result.certificate_verdict != "certified", result
