"""Proven agreement of the reference implementation with the specification.

``kzappeals.reference_impl.decide`` (written from the legal text) is compared with
``kzappeals.spec.evaluate.spec_decision`` (the rule data evaluated; checked against Z3
separately) for every profile of spec/profiles.toml, field by field: in_force, and per question
the status, the set of answer values, for each value the set of provisions, depends_on_unknown;
and forwarding_due.

The domain is exhaustive over the attributes the provisions of each question look at, with the
values of each attribute (or the joint values of a few attributes one provision reads together)
grouped into classes the text does not distinguish (one member stands for its class; each part
below says which), coherent cases only (built with ``Case.model_validate_json``;
incoherent combinations are skipped). The full product over every question's attributes is far
too large to run, so the domain is split per question, the other attributes at the ordinary
appeal's values (spec/ordinary-appeal.json):

=====================  ==========  ===========
part                   raw product  coherent
=====================  ==========  ===========
procedure and intake          576          300
handler and disposition    13,440        5,376
signatory                   9,720        5,670
in force and deadline          84           84   (21 cases x 4 readings of the dates)
=====================  ==========  ===========
total                      23,820       11,430  cases, x 4 profiles = 45,720 comparisons

plus a Z3-guided part: every finding witness of ``kzappeals.spec.verify.verify()`` (conflicts,
gaps, principle breaks; each a case) under every profile.

Any difference fails the test, printing the case and both decisions with their clauses. Four
differences this test found while the two encodings were written were settled on the spec's side
(the reference implementation's reading was right each time): part 3 of point 23 covers resonant
appeals received by any unit of the Office; an undetermined handler depends on p20.list only where
point 20 could answer; the Department's own consideration cites the first parts of subpoints 1) and
2) of point 23, and "no forwarding down" cites part 4.
"""

from __future__ import annotations

import itertools
import json
import multiprocessing
import os
import tomllib
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib.resources import files

import pytest
from pydantic import ValidationError

from kzappeals.reference_impl import decide
from kzappeals.spec.calendar import InForceParameters, PublicationCounting, ReceiptCounting
from kzappeals.spec.evaluate import spec_decision
from kzappeals.spec.vocabulary import QUESTIONS, Case, Decision

SPEC = files("kzappeals.spec")
ORDINARY: dict = json.loads((SPEC / "ordinary-appeal.json").read_text(encoding="utf-8"))
PROFILES = tuple(tomllib.loads((SPEC / "profiles.toml").read_text(encoding="utf-8"))["profile"])
UNKNOWN_PROVISIONS = ("p20.list", "p54.pp1", "p54.pp2")

# --- comparison ------------------------------------------------------------------------------------

Summary = dict[str, object]


def summary(d: Decision) -> Summary:
    """The fields compared: in_force, forwarding_due; per question status, {value: provisions}, depends."""
    out: Summary = {"in_force": d.in_force, "forwarding_due": d.forwarding_due}
    for q in QUESTIONS:
        det = getattr(d, q)
        answers = {a.value.value: frozenset(a.provisions) for a in det.answers}
        out[q] = (det.status, answers, tuple(det.depends_on_unknown))
    return out


def render(d: Decision) -> str:
    """A decision with its clauses, for a disagreement report."""
    lines = [f"    in_force={d.in_force} {list(d.in_force_clauses)} forwarding_due={d.forwarding_due}"]
    for q in QUESTIONS:
        det = getattr(d, q)
        lines.append(f"    {q}: {det.status}" + (f" depends_on_unknown={list(det.depends_on_unknown)}" if det.depends_on_unknown else ""))
        for a in det.answers:
            lines.append(f"      {a.value.value} <- provisions {list(a.provisions)}; clauses {list(a.clauses)}")
    lines.append(f"    why: {list(d.why)}")
    return "\n".join(lines)


@dataclass(frozen=True)
class Job:
    """One case with the arguments of both calls."""

    line: str
    in_force: InForceParameters | None = None
    receipt: ReceiptCounting = ReceiptCounting.NEXT_DAY


def compare(jobs: list[Job]) -> tuple[int, list[str]]:
    """Compares both encodings on ``jobs`` under every profile: (comparisons, reports of disagreements)."""
    reports: list[str] = []
    n = 0
    for job in jobs:
        case = Case.model_validate_json(job.line)
        for profile in PROFILES:
            n += 1
            ours = decide(case, profile, job.in_force, job.receipt)
            theirs = spec_decision(case, profile, in_force=job.in_force, receipt=job.receipt)
            expected, got = summary(theirs), summary(ours)
            if got == expected:
                continue
            fields = [k for k in expected if got[k] != expected[k]]
            reports.append(
                f"DISAGREEMENT under {profile} on {', '.join(fields)}"
                + (f" (in_force={job.in_force!r}, receipt={job.receipt.value})" if job.in_force or job.receipt is not ReceiptCounting.NEXT_DAY else "")
                + f"\n  case: {job.line}\n  reference_impl.decide:\n{render(ours)}\n  spec_decision:\n{render(theirs)}"
            )
    return n, reports


def compare_all(jobs: list[Job]) -> tuple[int, list[str]]:
    """``compare`` over the processors (fork), in chunks; sequential where fork is unavailable."""
    workers = min(os.cpu_count() or 1, 4)
    if workers < 2 or len(jobs) < 400 or "fork" not in multiprocessing.get_all_start_methods():
        return compare(jobs)
    size = -(-len(jobs) // (workers * 4))
    chunks = [jobs[i : i + size] for i in range(0, len(jobs), size)]
    n, reports = 0, []
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        for cn, creports in pool.map(compare, chunks):
            n, reports = n + cn, reports + creports
    return n, reports


def assert_agreement(part: str, jobs: list[Job]) -> None:
    n, reports = compare_all(jobs)
    print(f"\n{part}: {len(jobs)} cases, {n} comparisons")
    if reports:
        shown = "\n\n".join(reports[:8])
        more = f"\n\n... and {len(reports) - 8} more" if len(reports) > 8 else ""
        pytest.fail(f"{len(reports)} disagreement(s) in part '{part}':\n\n{shown}{more}", pytrace=False)


# --- the domain ---------------------------------------------------------------------------------


def product(dimensions: dict[str | tuple[str, ...], list]) -> tuple[int, list[str]]:
    """Every combination of the dimensions over the ordinary appeal: (raw size, coherent JSON lines).
    A dimension keyed by a tuple of fields takes tuples of values (one class of joint values each)."""
    names = list(dimensions)
    raw, lines = 0, []
    for values in itertools.product(*dimensions.values()):
        raw += 1
        data = dict(ORDINARY)
        for name, value in zip(names, values):
            data.update(zip(name, value) if isinstance(name, tuple) else {name: value})
        line = json.dumps(data)
        try:
            Case.model_validate_json(line)
        except ValidationError:
            continue
        lines.append(line)
    return raw, lines


# Classes of values (one member stands for each class; the others of the class are listed):
SENDERS = ["person", "deputy", "presidential_administration", "government"]
# government stands for every central body of p23.pp1.ch1 and p54.pp5.a3 (parliament_official,
# security_council, constitutional_council, supreme_court, other_central_body, prosecutor_general_office).
BODIES = ["gpo_department", "gpo_subdivision", "gpo_leadership", "agency", "regional", "district"]
# agency stands for institution (p23.ch2, p23.ch5, p26-1 and p54.pp5-6 name both together).

PROCEDURE_AND_INTAKE = {
    # p1, p4, p5, p6, p15, p18.ch2
    "kind": ["application", "complaint"],  # application stands for proposal, request, response
    "anonymous": [False, True],
    # court_act_criminal stands for the four court_act_* subjects (p5 names them together)
    "subject": ["general", "crime_report", "criminal_case_complaint", "pretrial_complaint", "court_act_criminal", "appeals_procedure_explanation"],
    "security_threat": [False, True],
    "sender": SENDERS,
    "channel": ["direct", "call_centre_conforming", "call_centre_nonconforming"],
}

HANDLER_AND_DISPOSITION = {
    # p19.ch1, p20.list, p23 (all parts), p26-1, and the lex-specialis gate (points 4-6, 15)
    "handled_at": BODIES,
    # (repeated, earlier_answer_by, earlier_answer_attached, earlier_answer_in_eias): p23.pp2 tells only
    # the regional prosecutor's answer from the others (district_prosecutor stands for deputy_head,
    # other), and attachment and ЕИАС only of that answer.
    ("repeated", "earlier_answer_by", "earlier_answer_attached", "earlier_answer_in_eias"): [
        (False, "none", False, False),
        (True, "none", False, False),
        (True, "district_prosecutor", False, False),
        (True, "regional_prosecutor", False, False),
        (True, "regional_prosecutor", False, True),
        (True, "regional_prosecutor", True, False),
        (True, "regional_prosecutor", True, True),
    ],
    # crime_report stands for the subjects points 4-5 take out of the Instruction (the gate); a cassation
    # petition needs a court act (court_act_criminal stands for the court_act_* subjects, criminal for civil).
    ("subject", "cassation"): [
        ("general", "none"),
        ("appeals_procedure_explanation", "none"),
        ("crime_report", "none"),
        ("court_act_criminal", "none"),
        ("court_act_criminal", "criminal"),
    ],
    "cassation_defective": [False, True],
    "cassation_term_expired": [False, True],
    "public_resonance": [False, True],  # stands for pg_instruction too (p23.ch3 joins them by "а также")
    # (competent, report_required, sender, deputy_inquiry): read together by p23.pp1.ch1 alone ("кроме
    # депутатского запроса ..., не требующие направления информаций и подлежащие направлению в нижестоящие
    # прокуратуры, другие ведомства"): covered, or kept out by one of its three conditions (two at once keep
    # it out as one does). lower_prosecutor stands for other_body; the only other sender of effect here,
    # presidential_administration, closes the lex-specialis gate as crime_report does.
    ("competent", "report_required", "sender", "deputy_inquiry"): [
        ("lower_prosecutor", False, "person", False),
        ("this_body", False, "person", False),
        ("lower_prosecutor", True, "person", False),
        ("lower_prosecutor", False, "deputy", True),
    ],
    "unknown_provisions": [[], ["p20.list"]],
}

SIGNATORY = {
    # p53-1, p54 (subpoints 1), 2) asserted; 3), 5)-8)), and the gate
    "handled_at": BODIES,
    "kind": ["application", "complaint"],
    "subject": ["general", "pretrial_complaint"],
    # head and other stand for none: p54 tells only subordinates and deputies
    "complaint_about": ["none", "subordinate_staff", "deputy_head"],
    # regional_prosecutor and other stand for none: p54 tells only the deputy's and the district prosecutor's answers
    "earlier_answer_by": ["none", "district_prosecutor", "deputy_head"],
    # (sender, report_required): p54.pp5.a3 reads them together (a central body's appeal requiring a
    # report), p6 reads the Presidential Administration alone; a person's or a deputy's appeal is the same
    # with or without a report (reading parliament-means-its-officials: a deputy is not "Parliament").
    ("sender", "report_required"): [
        ("person", False),
        ("deputy", True),
        ("government", True),
        ("presidential_administration", False),
        ("presidential_administration", True),
    ],
    "outcome": ["granted", "refused", "explained"],
    # p54.pp2 alone stands for p54.pp1 alone (both opaque, both excepted by every residual абзац);
    # asserted together they show both answers and the order of subpoints 1) and 2)
    "unknown_provisions": [[], ["p54.pp1"], ["p54.pp1", "p54.pp2"]],
}

IN_FORCE_AND_DEADLINE = {
    # o165.p4, o165.footnote, p23.pp1.ch2's three working days: around entry into force, a Friday before
    # Nauryz (21-23 March 2016), a Saturday, Nauryz itself, and around the repeal
    "received_on": ["2016-02-21", "2016-02-22", "2016-03-18", "2016-03-19", "2016-03-21", "2018-06-28", "2018-06-29"],
    ("handled_at", "competent", "repeated"): [
        ("district", "this_body", False),  # the ordinary appeal: nothing forwarded
        ("gpo_department", "lower_prosecutor", False),  # p23.pp1.ch2
        ("regional", "this_body", True),  # p23.ch2 extending p23.pp2.ch2
    ],
}
IN_FORCE_READINGS = [
    (None, ReceiptCounting.NEXT_DAY),
    (None, ReceiptCounting.NON_WORKING_RECEIPT_MOVES),
    (InForceParameters(counting=PublicationCounting.DAY_PLUS_10), ReceiptCounting.NEXT_DAY),
    (InForceParameters(counting=PublicationCounting.DAY_PLUS_10), ReceiptCounting.NON_WORKING_RECEIPT_MOVES),
]

SIZES = {
    "procedure and intake": (576, 300),
    "handler and disposition": (13_440, 5_376),
    "signatory": (9_720, 5_670),
    "in force and deadline": (84, 84),
}


def test_domain_sizes_are_those_of_the_docstring() -> None:
    """The sizes stated in this module's docstring, computed."""
    computed = {
        "procedure and intake": product(PROCEDURE_AND_INTAKE),
        "handler and disposition": product(HANDLER_AND_DISPOSITION),
        "signatory": product(SIGNATORY),
    }
    raw, lines = product(IN_FORCE_AND_DEADLINE)
    computed["in force and deadline"] = (raw * len(IN_FORCE_READINGS), lines * len(IN_FORCE_READINGS))
    assert {k: (raw, len(lines)) for k, (raw, lines) in computed.items()} == SIZES
    total = sum(coherent for _, coherent in SIZES.values())
    assert (sum(raw for raw, _ in SIZES.values()), total, total * len(PROFILES)) == (23_820, 11_430, 45_720)


def test_agreement_procedure_and_intake() -> None:
    """Points 1, 4, 5, 6, 15 and 18.2, exhaustively over their classes."""
    _, lines = product(PROCEDURE_AND_INTAKE)
    assert_agreement(
        "procedure and intake",
        [Job(line) for line in lines],
    )


def test_agreement_handler_and_disposition() -> None:
    """Points 19.1, 20, 23 and 26-1, exhaustively over their classes."""
    _, lines = product(HANDLER_AND_DISPOSITION)
    assert_agreement(
        "handler and disposition",
        [Job(line) for line in lines],
    )


def test_agreement_signatory() -> None:
    """Points 53-1 and 54, exhaustively over their classes."""
    _, lines = product(SIGNATORY)
    assert_agreement(
        "signatory",
        [Job(line) for line in lines],
    )


def test_agreement_in_force_and_deadline() -> None:
    """Entry into force and the three working days, under both counting readings of each."""
    _, lines = product(IN_FORCE_AND_DEADLINE)
    jobs = [Job(line, in_force, receipt) for line in lines for in_force, receipt in IN_FORCE_READINGS]
    assert_agreement(
        "in force and deadline",
        jobs,
    )


def test_agreement_on_the_verifiers_witnesses() -> None:
    """Z3-guided: every finding witness (conflicts, gaps, principle breaks) of the verifier, under
    every profile (not only the finding's own)."""
    from kzappeals.spec.verify import verify

    witnesses = {json.dumps(f.witness, sort_keys=True) for f in verify().findings if f.witness}
    assert witnesses, "the verifier reported no witness"
    jobs = []
    for w in sorted(witnesses):
        try:
            Case.model_validate_json(w)
        except ValidationError as e:  # a witness the vocabulary rejects is a finding of its own
            pytest.fail(f"verifier witness is not a coherent case: {w}: {e.errors()[0]['msg']}")
        jobs.append(Job(w))
    n, reports = compare_all(jobs)
    print(f"\nverifier witnesses: {len(jobs)} cases, {n} comparisons")
    if reports:
        pytest.fail(f"{len(reports)} disagreement(s) on verifier witnesses:\n\n" + "\n\n".join(reports[:8]), pytrace=False)
