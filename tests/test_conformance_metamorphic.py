"""The metamorphic relation: appeals no clause tells apart get the same answer where the law leaves it open."""

from __future__ import annotations

from kzappeals.conformance.adapters import PythonAdapter
from kzappeals.conformance.expectations import LEVELS, VendorAnswer
from kzappeals.conformance.metamorphic import irrelevant_variants
from kzappeals.conformance.oracle import decide
from kzappeals.conformance.runner import Options, certify
from kzappeals.conformance.serving import FunctionImplementation
from kzappeals.conformance.strategies import ordinary
from kzappeals.spec.case_json import parse_case
from kzappeals.spec.ruleset import default_ruleset

HANDSHAKE = {
    "protocol": 1,
    "implementation": {"name": "t", "version": "0", "language": "python"},
    "profiles": ["literal"],
    "levels": list(LEVELS),
}


def test_form_and_collectiveness_are_irrelevant_to_every_clause():
    fields = [f for f, _, _ in irrelevant_variants(ordinary(), "literal", limit=99)]
    assert "form" in fields and "collective" in fields
    assert "handled_at" not in fields and "outcome" not in fields  # point 54 looks at both


def test_variants_get_the_same_decision_from_the_reference():
    """A property of the law as the reference reads it: under every profile, a variant no clause tells
    apart is decided exactly as the original appeal."""
    base = {**ordinary(), "handled_at": "regional", "outcome": "granted"}
    for profile in default_ruleset().profiles:
        for field, value, variant in irrelevant_variants(base, profile, limit=99):
            a, b = decide(parse_case(base), profile), decide(parse_case(variant), profile)
            assert a.model_dump(exclude={"why"}) == b.model_dump(exclude={"why"}), (profile, field, value)


def _run(fn):
    return certify(PythonAdapter("test", FunctionImplementation(fn, HANDSHAKE)), Options(profiles=("literal",), max_examples=0))


def test_the_reference_keeps_the_relation():
    def reference(case, profile):
        return VendorAnswer.from_decision(decide(parse_case(case), profile)).model_dump(mode="json")

    cert = _run(reference)
    assert not [f for f in cert.faults if f.kind == "metamorphic"]


def test_an_answer_that_depends_on_the_form_of_the_appeal_is_caught():
    """Picks the last admissible answer for oral appeals, the first otherwise: every single answer is
    admissible, so only the relation can tell."""

    def whimsical(case, profile):
        d = decide(parse_case(case), profile)
        pick = -1 if case["form"] == "oral" else 0
        answer = VendorAnswer.from_decision(d).model_dump(mode="json")
        for q in ("procedure", "handler", "disposition", "signatory"):
            det = getattr(d, q)
            if det.status == "ambiguous":
                answer[q] = det.answers[pick].value.value
        return answer

    cert = _run(whimsical)
    found = [f for f in cert.faults if f.kind == "metamorphic"]
    assert found and "form" in found[0].message and found[0].evidence.detail
    assert cert.verdict != "certified"
