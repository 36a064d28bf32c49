"""The committed test vectors: fresh, complete, and meaning what they say."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from kzappeals.conformance.vectors import VECTOR_DIR, generate, load_vectors
from kzappeals.spec.case_json import parse_case
from kzappeals.spec.ruleset import default_ruleset


@pytest.fixture(scope="module")
def files():
    return dict(load_vectors())


def test_vectors_are_fresh():
    for name, text in generate().items():
        assert (VECTOR_DIR / name).read_text(encoding="utf-8") == text, f"{name} is stale: run `kzappeals vectors --write`"


def test_every_encoded_clause_has_a_vector(files):
    exercised = {c.id for f in files.values() for v in f.vectors for c in v.clauses}
    encoded = {c for r in default_ruleset().rules for c in r.clauses}
    assert sorted(encoded - exercised) == []


def test_every_rule_that_can_decide_has_a_vector_where_it_does(files):
    ids = {i for f in files.values() for v in f.vectors for i in (v.id, *v.also)}
    dead_everywhere = {r.id for r in default_ruleset().rules if not any(v.startswith(f"{r.id}:decides:") for v in ids)}
    # Only a rule the verifier proves dead under every profile may lack one.
    from kzappeals.spec.verify import verify

    dead = {}
    for f in verify().findings:
        if f.kind == "dead":
            dead.setdefault(f.rules[0], set()).add(f.profile)
    for rule in dead_everywhere:
        assert dead.get(rule) == set(default_ruleset().profiles), rule


def test_vector_cases_validate_and_error_vectors_are_rejected_naming_field_and_clause(files):
    for f in files.values():
        for v in f.vectors:
            if v.expected_error is None:
                parse_case(v.case)
                assert set(v.expected) == set(default_ruleset().profiles), v.id
            else:
                with pytest.raises(ValidationError) as exc:
                    parse_case(v.case)
                assert f"field '{v.expected_error.field}'" in str(exc.value) and v.expected_error.clause in str(exc.value)


def test_calendar_vectors_cross_every_transfer_of_2016_2018(files):
    """Working Saturdays and the weekdays made days off by government decree (shared/sources/facts.md)."""
    transfers = [
        "2016-03-05",
        "2016-03-07",
        "2017-03-18",
        "2017-03-20",
        "2017-07-01",
        "2017-07-07",
        "2018-03-03",
        "2018-03-09",
        "2018-04-28",
        "2018-04-30",
        "2018-05-05",
        "2018-05-08",
    ]
    received = {v.case["received_on"] for v in files["calendar"].vectors}
    assert set(transfers) <= received
    for v in files["calendar"].vectors:
        due = {e.forwarding_due for e in v.expected.values()}
        assert len(due) == 1 and due.pop() > dt.date.fromisoformat(v.case["received_on"])


def test_in_force_vectors_cover_both_edges(files):
    states = [v.expected["literal"].in_force for v in files["in-force"].vectors]
    assert states == ["before", "in_force", "in_force", "repealed"]


def test_hand_written_expectations_agree_with_the_specification(files):
    """What an author reads in the law (`expect` in conformance/hand-written.json) is what the rules give."""
    from kzappeals.conformance.vectors import hand_written_vectors

    by_id = {v.id: v for f in files.values() for v in f.vectors}
    for hw in hand_written_vectors():
        vector = by_id[hw["id"]]
        assert vector.origin == hw["origin"]
        for profile, questions in hw.get("expect", {}).items():
            for q, values in questions.items():
                assert sorted(vector.expected[profile].questions[q].admissible) == sorted(values), (hw["id"], profile, q)
