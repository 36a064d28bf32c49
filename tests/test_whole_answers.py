"""Answers are judged as a whole (issue 14, item 1), and the judge tells apart the readings point 23
leaves no choice on (issue 8, items 1 and 3).

The expected result of a case is the set of its admissible complete answers: where the text admits
two dispositions, a vendor may choose either, but what follows from its choice follows with it (the
three working days of p23.pp1.ch2 and p23.pp2.ch2 run only if it forwards; a body that forwards or
returns gives no answer, so point 54's signatory does not arise). Hostile vendors below are the
reference answer with one realistic misreading; each must be refused a certificate.
"""

from __future__ import annotations

import json

import pytest

from kzappeals.conformance.adapters import PythonAdapter
from kzappeals.conformance.expectations import LEVELS, VendorAnswer
from kzappeals.conformance.judge import judge
from kzappeals.conformance.oracle import expected
from kzappeals.conformance.runner import Options, available_vectors, certify
from kzappeals.conformance.strategies import ordinary
from kzappeals.spec.case_json import parse_case

PROFILES = ("literal", "residual-yields", "subpoint-order", "lex-specialis")


def case(**changes) -> dict:
    return {**ordinary(), **changes}


def answer(**values) -> VendorAnswer:
    base = dict(in_force="in_force", procedure="instruction", intake=None, handler=None, disposition=None, signatory=None)
    return VendorAnswer.model_validate_json(json.dumps({**base, **values}))


def mismatches(c: dict, a: VendorAnswer, profile: str = "literal", levels=tuple(LEVELS)) -> list[str]:
    return [m.message for m in judge(expected(parse_case(c), profile), a, levels).mismatches]


# A resonant primary appeal the Department would forward down: p23.pp1.ch2 forwards it within three
# working days; p23.ch3-4 send it to a structural subdivision and forbid forwarding it down. Read
# literally, both decide: two admissible dispositions.
RESONANT = case(handled_at="gpo_department", competent="lower_prosecutor", public_resonance=True)


def test_each_reading_of_an_ambiguous_disposition_is_right_when_followed_throughout():
    complete = expected(parse_case(RESONANT), "literal").complete
    chosen = {(c.handler, c.disposition, c.signatory, c.forwarding_due) for c in complete}
    # p23.pp1.ch2: the Department forwards with a notice (no signatory: the notice is not an answer, p54).
    assert ("appeals_department", "forward_3wd_notice", None, parse_case(RESONANT).received_on.replace(day=6)) in chosen
    # p23.ch3-4: kept by a structural subdivision, nothing forwarded, answered over its head's signature (p54.pp3).
    assert ("structural_subdivision", "no_downward_forwarding", "head", None) in chosen
    forwards = answer(handler="appeals_department", disposition="forward_3wd_notice", forwarding_due="2016-06-06")
    keeps = answer(handler="structural_subdivision", disposition="no_downward_forwarding", signatory="head")
    assert mismatches(RESONANT, forwards) == [] and mismatches(RESONANT, keeps) == []


def test_an_answer_mixing_two_readings_is_wrong_and_says_so():
    # Kept, yet a forwarding date: the date belongs to the other reading (p23.pp1.ch2).
    kept_with_date = answer(
        handler="structural_subdivision", disposition="no_downward_forwarding", signatory="head", forwarding_due="2016-06-06"
    )
    assert mismatches(RESONANT, kept_with_date) == [
        "forwarding_due: expected null (nothing is forwarded) with the rest of this answer (one reading throughout), got 2016-06-06"
    ]
    # Kept, and no signatory: a kept appeal is answered (p54.pp3.a3 at the Office, an explanation).
    kept_unsigned = answer(handler="structural_subdivision", disposition="no_downward_forwarding")
    (message,) = mismatches(RESONANT, kept_unsigned)
    assert message.startswith("signatory: expected head (p54.pp3.a3") and message.endswith("got null")
    # Forwarded, yet signed: who signs does not arise where the body gives no answer (p23.pp1.ch2).
    forwarded_signed = answer(handler="appeals_department", disposition="forward_3wd_notice", signatory="head", forwarding_due="2016-06-06")
    assert mismatches(RESONANT, forwarded_signed) == [
        "signatory: expected null (the question does not arise: p23.pp1.ch2) with the rest of this answer (one reading throughout), got head"
    ]


def test_a_vendor_claiming_only_deadlines_may_follow_either_reading():
    # Only the date is judged; the disposition it follows is the vendor's choice.
    assert mismatches(RESONANT, answer(forwarding_due="2016-06-06"), levels=["deadlines"]) == []
    assert mismatches(RESONANT, answer(), levels=["deadlines"]) == []


# --- hostile vendors -------------------------------------------------------------------------


def _reference_except(misreading):
    from kzappeals.conformance.oracle import answer as reference

    def vendor(c: dict, profile: str) -> dict:
        return misreading(c, reference(c, profile))

    vendor.KZAPPEALS_IMPLEMENTATION = {"name": misreading.__name__, "version": "1", "language": "python"}
    vendor.KZAPPEALS_PROFILES = list(PROFILES)
    vendor.KZAPPEALS_LEVELS = list(LEVELS)
    return vendor


def forwards_down_what_part_3_keeps(c: dict, a: dict) -> dict:
    """Reads p23.pp2.ch2 as a rival of its part 3: forwards down an appeal whose regional answer ЕИАС holds."""
    if (
        c["handled_at"] == "gpo_department"
        and c["repeated"]
        and c["earlier_answer_by"] == "regional_prosecutor"
        and not c["earlier_answer_attached"]
        and c["earlier_answer_in_eias"]
        and a["in_force"] == "in_force"
    ):
        from kzappeals.spec.calendar import forwarding_due

        received = parse_case(c).received_on
        return {**a, "disposition": "forward_3wd_report", "signatory": None, "forwarding_due": forwarding_due(received).isoformat()}
    return a


def signs_what_it_forwards(c: dict, a: dict) -> dict:
    """Names the head as signatory of an appeal the body forwards (p23.pp1.ch2, p23.pp2.ch2)."""
    if a["disposition"] in ("forward_3wd_notice", "forward_3wd_report") and a["signatory"] is None:
        return {**a, "signatory": "head"}
    return a


@pytest.mark.parametrize("misreading", [forwards_down_what_part_3_keeps, signs_what_it_forwards], ids=lambda f: f.__name__)
def test_the_certification_refuses_a_vendor_with_the_misreading_under_every_profile(misreading, monkeypatch):
    import sys
    import types

    module = types.ModuleType(f"hostile_{misreading.__name__}")
    vendor = _reference_except(misreading)
    module.answer = vendor
    for key in ("KZAPPEALS_IMPLEMENTATION", "KZAPPEALS_PROFILES", "KZAPPEALS_LEVELS"):
        setattr(module, key, getattr(vendor, key))
    monkeypatch.setitem(sys.modules, module.__name__, module)
    cert = certify(PythonAdapter(f"{module.__name__}:answer"), Options(max_examples=0, vectors=available_vectors()))
    assert cert.verdict != "certified"
    refused = {r.profile for r in cert.results if r.failures}
    assert refused == set(PROFILES), refused


def test_the_reference_vendor_is_certified_on_the_same_vectors():
    cert = certify(PythonAdapter("kzappeals.conformance.oracle:answer"), Options(max_examples=0, vectors=available_vectors()))
    assert cert.verdict == "certified"
