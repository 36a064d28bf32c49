"""A certificate leads to the cause: one misreading is one failure (however many dates show it), the root
mismatch comes first, and a wrong deadline shows how the working days count, day by day, with why."""

from __future__ import annotations

import datetime as dt

from kzappeals.conformance import judge as judging
from kzappeals.conformance.adapters import PythonAdapter
from kzappeals.conformance.expectations import LEVELS, VendorAnswer
from kzappeals.conformance.oracle import answer as reference
from kzappeals.conformance.oracle import expected
from kzappeals.conformance.runner import Options, certify
from kzappeals.conformance.serving import FunctionImplementation
from kzappeals.spec import calendar
from kzappeals.spec.case_json import parse_case
from kzappeals.spec.vocabulary import ordinary_appeal

# An appeal the Department forwards down within three working days, received the Friday before the
# 2016 transfer: Saturday 05.03 worked, Monday 07.03 off, Tuesday 08.03 a holiday (facts.md section 4).
FORWARDED = {**ordinary_appeal(), "received_on": "2016-03-04", "handled_at": "gpo_department", "competent": "lower_prosecutor"}


def _one_day_late(case: dict, profile: str) -> dict:
    a = reference(case, profile)
    if a["forwarding_due"]:
        a["forwarding_due"] = (dt.date.fromisoformat(str(a["forwarding_due"])) + dt.timedelta(days=1)).isoformat()
    return a


def test_one_misread_count_is_one_failure_per_clause_shown_by_many_cases():
    """Every forwarded appeal gets a date one day late: the dates of receipt do not split the failure, only the
    clauses that set the count do (p23.pp1.ch2 primary, p23.pp2.ch2 repeated, p23.ch2 other subdivisions)."""
    handshake = {
        "protocol": 1,
        "implementation": {"name": "late", "version": "1", "language": "python"},
        "profiles": ["literal"],
        "levels": ["deadlines"],
    }
    cert = certify(
        PythonAdapter("late", FunctionImplementation(_one_day_late, handshake)),
        Options(profiles=("literal",), max_examples=400, vectors=[]),
    )
    generated = [f for r in cert.results for f in r.failures if f.source == "generated"]
    clauses = [tuple(f.mismatches[0].provisions) for f in generated]
    assert generated and len(set(clauses)) == len(clauses) <= 3, clauses
    assert all(f.mismatches[0].part == "forwarding_due" and f.cases > 1 for f in generated)
    assert sum(f.cases for f in generated) > 3 * len(generated)


def test_a_wrong_deadline_shows_the_days_counted_and_skipped_with_why():
    exp = expected(parse_case(FORWARDED), "literal")
    assert exp.forwarding_due == dt.date(2016, 3, 10)
    wrong = VendorAnswer.model_validate({**reference(FORWARDED, "literal"), "forwarding_due": "2016-03-09"}, strict=False)
    (mismatch,) = judging.judge(exp, wrong, tuple(LEVELS), dt.date(2016, 3, 4)).mismatches
    assert mismatch.provisions and "p23.pp1.ch2" in mismatch.message
    assert "counted 05.03 (working Saturday by Government decree P1600000067), 09.03, 10.03" in mismatch.message
    assert "07.03 (day off moved from working Saturday 05.03 by Government decree P1600000067)" in mismatch.message
    assert "08.03 (International Women's Day)" in mismatch.message


def test_the_count_is_three_working_days_and_only_those():
    for offset in range(0, 800, 7):
        received = dt.date(2016, 2, 1) + dt.timedelta(days=offset)
        for reading in calendar.ReceiptCounting:
            count = calendar.forwarding_count(received, reading)
            assert len(count.counted) == calendar.FORWARDING_WORKING_DAYS
            assert count.counted[-1] == calendar.forwarding_due(received, reading)
            assert all(calendar.is_working_day(d) for d in count.counted)
            assert all(not calendar.is_working_day(d) for d, _ in count.skipped)


def test_the_in_force_mismatch_comes_first():
    """Received before the amended text took effect, answered as if in force: the in-force mistake is the root."""
    early = {**ordinary_appeal(), "received_on": "2015-06-01"}
    exp = expected(parse_case(early), "literal")
    assert exp.in_force == "before"
    as_if_in_force = VendorAnswer.model_validate(reference(ordinary_appeal(), "literal"), strict=False)
    mismatches = judging.judge(exp, as_if_in_force, tuple(LEVELS), dt.date(2015, 6, 1)).mismatches
    assert len(mismatches) > 1 and mismatches[0].part == "in_force"
