"""What the judge enforces is published from its one source: the case schema's if/then clauses say exactly what
the case model's coherence check says, and the guide's appendix is made from the spec."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from kzappeals import generated
from kzappeals.spec.case_json import parse_case
from kzappeals.spec.conditions import CASE_FIELDS, field_values
from kzappeals.spec.ruleset import SPEC_DIR
from kzappeals.spec.vocabulary import ordinary_appeal

SCHEMA = json.loads((SPEC_DIR / "schemas" / "case.schema.json").read_text(encoding="utf-8"))


def _holds(schema: dict, case: dict) -> bool:
    """The subset of JSON Schema the if/then clauses use, evaluated on a case object."""
    ok = True
    for field, sub in schema.get("properties", {}).items():
        if field in case:
            ok &= ("enum" not in sub or case[field] in sub["enum"]) and ("const" not in sub or case[field] == sub["const"])
    ok &= all(f in case for f in schema.get("required", ()))
    ok &= all(_holds(s, case) for s in schema.get("allOf", ()))
    if "anyOf" in schema:
        ok &= any(_holds(s, case) for s in schema["anyOf"])
    if "not" in schema:
        ok &= not _holds(schema["not"], case)
    if "if" in schema and _holds(schema["if"], case):
        ok &= _holds(schema["then"], case)
    return ok


# Every attribute drawn on its own, so incoherent combinations come up as often as coherent ones.
raw_cases = st.fixed_dictionaries({f: st.sampled_from(field_values(f)) for f in CASE_FIELDS}).map(
    lambda values: {**ordinary_appeal(), **values}
)


@settings(derandomize=True, max_examples=600, deadline=None)
@given(raw_cases)
def test_the_schemas_coherence_clauses_accept_exactly_the_coherent_cases(case):
    try:
        parse_case(case)
        coherent = True
    except ValidationError:
        coherent = False
    assert all(_holds(clause, case) for clause in SCHEMA["allOf"]) == coherent


def test_every_constraint_is_in_the_schema_with_its_clause():
    from kzappeals.spec.coherence import constraints

    assert [c["$comment"] for c in SCHEMA["allOf"]] == [f"{c.clause}: {c.reason}" for c in constraints()]


def test_the_appendix_is_made_from_the_spec():
    assert generated.stale(generated.KINDS["docs"]()) == [], "run `kzappeals generate`"
    text = (generated.APPENDIX).read_text(encoding="utf-8")
    for section in ("Coherence constraints", "Case attributes", "Answers", "Profiles", "Precedences", "The calendar"):
        assert section in text


def test_the_schema_refuses_every_error_vector_and_accepts_the_ordinary_appeal():
    """One error vector per coherence constraint (conformance/vectors/errors.json): each breaks a schema clause."""
    from kzappeals.conformance.vectors import load_vectors

    errors = [
        v.case
        for family, vf in load_vectors()
        if family == "errors"
        for v in vf.vectors
        if v.expected_error is not None and v.expected_error.reason and all(f in v.case for f in CASE_FIELDS)
    ]
    incoherent = [c for c in errors if not all(_holds(clause, c) for clause in SCHEMA["allOf"])]
    assert len(incoherent) >= len(SCHEMA["allOf"])
    assert all(_holds(clause, ordinary_appeal()) for clause in SCHEMA["allOf"])


def test_the_guide_names_every_file_the_spec_hash_covers_in_order():
    """A vendor recomputes a certificate's spec_sha256 from the guide ("Reproducing a certificate"): its list
    must be the files the hash covers (kzappeals.spec.ruleset.SPEC_DATA, the rules, SPEC_CODE), in that order."""
    from kzappeals.spec.ruleset import SPEC_CODE, SPEC_DATA

    guide = (Path(__file__).resolve().parents[1] / "docs" / "implementers-guide.md").read_text(encoding="utf-8")
    row = next(line for line in guide.splitlines() if line.startswith("| `spec_sha256` |"))
    named = [n for n in (*SPEC_DATA, "rules/*.toml", *SPEC_CODE) if f"`{n}`" in row]
    assert named == [*SPEC_DATA, "rules/*.toml", *SPEC_CODE]
    assert sorted(named, key=lambda n: row.index(f"`{n}`")) == named
