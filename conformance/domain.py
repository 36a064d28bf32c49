"""The finite decision domain: every combination of the attribute classes each question's provisions look at.

The values of each attribute (or the joint values of a few attributes one provision
reads together) are grouped into classes the text does not distinguish; one member
stands for its class (each dimension below says which). The classes are not taken on
trust: :func:`classes` derives them from the conditions of the rules, and
tests/test_agreement.py checks that every derived class has a representative, or a
declared substitute (:data:`SUBSTITUTES`) that decides the part's questions alike. The product over every
question's attributes at once is far too large to enumerate, so the domain is split
per question, the other attributes at the ordinary appeal's values
(spec/ordinary-appeal.json); incoherent combinations are skipped. Used by
tests/test_agreement.py (the reference implementation equals the specification on
all of it) and by `kzappeals selfcheck` (a mutant no case of it tells apart is
called equivalent).
"""

from __future__ import annotations

import itertools
import json
from functools import cache

from pydantic import ValidationError

from kzappeals.spec.calendar import InForceParameters, PublicationCounting, ReceiptCounting
from kzappeals.spec.vocabulary import Case, ordinary_appeal

ORDINARY: dict = ordinary_appeal()


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
SENDERS = [
    ("person", False),
    ("deputy", False),
    ("presidential_administration", False),
    ("presidential_administration", True),
    ("government", False),
]
# (sender, administration_document): government stands for every central body of p23.pp1.ch1 and p54.pp5.a3
# (parliament_official, security_council, constitutional_council, supreme_court, other_central_body,
# prosecutor_general_office); p6 tells the Administration's own documents from the appeals it sends on
# (readings p6-own-documents, p6-covers-forwarded-appeals), nothing else reads administration_document.
BODIES = ["gpo_department", "gpo_subdivision", "gpo_leadership", "agency", "regional", "district"]
# agency stands for institution (p23.ch2, p23.ch5, p26-1 and p54.pp5-6 name both together).

PROCEDURE_AND_INTAKE: dict[str | tuple[str, ...], list] = {
    # p1, p4, p5, p6, p15, p18.ch2
    "kind": ["application", "complaint"],  # application stands for proposal, request, response
    "anonymous": [False, True],
    # court_act_criminal stands for the four court_act_* subjects (p5 names them together)
    "subject": [
        "general",
        "crime_report",
        "criminal_case_complaint",
        "pretrial_complaint",
        "court_act_criminal",
        "appeals_procedure_explanation",
    ],
    "security_threat": [False, True],
    ("sender", "administration_document"): SENDERS,
    "channel": ["direct", "call_centre_conforming", "call_centre_nonconforming"],
}

HANDLER_AND_DISPOSITION: dict[str | tuple[str, ...], list] = {
    # p19.ch1, p20.list, p23 (all parts), p26-1, and the lex-specialis gate (points 4-6, 15)
    "handled_at": BODIES,
    # (repeated, earlier_answer_by, earlier_answer_attached, earlier_answer_in_eias): p23.pp2 tells only
    # the regional prosecutor's answer from the others, and attachment and ЕИАС only of that answer; the
    # reading ch2-answered-below-stays also tells the district prosecutor's (none stands for deputy_head, other).
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
    # stands for interests_at_risk and pg_instruction too (p23.ch3 names its three groups together, one rule each)
    "public_resonance": [False, True],
    # (competent, report_required, sender, deputy_inquiry): read together by p23.pp1.ch1 alone ("кроме
    # депутатского запроса ..., не требующие направления информаций и подлежащие направлению в нижестоящие
    # прокуратуры, другие ведомства"): covered, or kept out by one of its three conditions (two at once keep
    # it out as one does). lower_prosecutor stands for other_body; the only other sender of effect here,
    # presidential_administration, closes the lex-specialis gate as crime_report does (its own documents
    # under every reading of p6; see SUBSTITUTES).
    ("competent", "report_required", "sender", "deputy_inquiry"): [
        ("lower_prosecutor", False, "person", False),
        ("this_body", False, "person", False),
        ("lower_prosecutor", True, "person", False),
        ("lower_prosecutor", False, "deputy", True),
    ],
    "unknown_provisions": [[], ["p20.list"]],
}

SIGNATORY: dict[str | tuple[str, ...], list] = {
    # p53-1, p54 (subpoints 1), 2) asserted; 3), 5)-8)), and the gate
    "handled_at": BODIES,
    "kind": ["application", "complaint"],
    "subject": ["general", "pretrial_complaint"],
    # head and other stand for none: p54 tells only subordinates and deputies
    "complaint_about": ["none", "subordinate_staff", "deputy_head"],
    # regional_prosecutor and other stand for none: p54 tells only the deputy's and the district prosecutor's answers
    "earlier_answer_by": ["none", "district_prosecutor", "deputy_head"],
    # (sender, report_required, administration_document): p54.pp5.a3 reads the first two together (a central
    # body's appeal requiring a report), p6 reads the Presidential Administration with whether the appeal is
    # its own document; a person's or a deputy's appeal is the same with or without a report (reading
    # parliament-means-its-officials: a deputy is not "Parliament").
    ("sender", "report_required", "administration_document"): [
        ("person", False, False),
        ("deputy", True, False),
        ("government", True, False),
        ("presidential_administration", False, False),
        ("presidential_administration", True, False),
        ("presidential_administration", False, True),
        ("presidential_administration", True, True),
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
    "procedure and intake": (720, 360),
    "handler and disposition": (13_440, 5_376),
    "signatory": (13_608, 7_938),
    "in force and deadline": (84, 84),
}


PART_QUESTIONS: dict[str, tuple[str, ...]] = {
    "procedure and intake": ("procedure", "intake"),
    # the lex-specialis gate reads the procedure, so its provisions' distinctions count here too
    "handler and disposition": ("procedure", "handler", "disposition"),
    "signatory": ("procedure", "signatory"),
}
"""The questions whose provisions each part of the domain must tell apart (the others are proved elsewhere)."""


SUBSTITUTES: dict[str, list[tuple[dict, dict]]] = {
    # Classes the conditions tell apart that a part represents by another value with the same effect on its
    # questions: (a line's values, the same line with these instead). tests/test_agreement.py checks each.
    "handler and disposition": [
        # p4 names all three subjects together; only p15's exception singles out crime_report, and anonymous
        # appeals are outside this part (the procedure part has them).
        ({"subject": "crime_report"}, {"subject": "criminal_case_complaint"}),
        ({"subject": "crime_report"}, {"subject": "pretrial_complaint"}),
        # p6 (the Administration's own document, under every reading) closes the lex-specialis gate as p4
        # does; p23 reads every sender alike.
        ({"subject": "crime_report"}, {"subject": "general", "sender": "presidential_administration", "administration_document": True}),
    ],
    "signatory": [
        # Points 4-5 close the lex-specialis gate as p6 does; point 54 reads no subject (p53-1 has its own value).
        (
            {"sender": "presidential_administration", "report_required": False, "administration_document": True, "subject": "general"},
            {"sender": "person", "administration_document": False, "subject": "crime_report"},
        ),
        (
            {"sender": "presidential_administration", "report_required": False, "administration_document": True, "subject": "general"},
            {"sender": "person", "administration_document": False, "subject": "criminal_case_complaint"},
        ),
        (
            {"sender": "presidential_administration", "report_required": False, "administration_document": True, "subject": "general"},
            {"sender": "person", "administration_document": False, "subject": "court_act_civil"},
        ),
    ],
}


def classes(field: str, questions: tuple[str, ...]) -> list[frozenset[str]]:
    """The values of an enumerated case attribute that the provisions answering ``questions`` cannot tell
    apart, derived from the conditions themselves: two values are in one class when every attribute test of
    those rules (and of the rules their ``provided_by`` names) and of the questions' scopes holds of both
    or of neither. A representative of the domain stands for its whole class (tests/test_agreement.py)."""
    from kzappeals.spec.conditions import CASE_FIELDS, In, field_values, leaves, references
    from kzappeals.spec.ruleset import default_ruleset

    ruleset = default_ruleset()
    rules = {r.id: r for q in questions for r in ruleset.answering(q)}
    todo = list(rules.values())
    while todo:  # the rules a provided_by() names decide whether the naming rule fires
        for named in ruleset.provided_by(tuple(sorted(references(todo.pop().when)[0]))):
            if named.id not in rules:
                rules[named.id] = named
                todo.append(named)
    exprs = [r.when for r in rules.values()] + [ruleset.questions[q].required_when for q in questions]
    tests = {x.values for e in exprs for x in leaves(e) if isinstance(x, In) and x.field == field}
    assert CASE_FIELDS[field] is not bool
    by_signature: dict[tuple, set[str]] = {}
    for v in field_values(field):
        by_signature.setdefault(tuple(sorted((tuple(sorted(t)), v in t) for t in tests)), set()).add(v)
    return [frozenset(vs) for vs in by_signature.values()]


@cache
def question_cases() -> tuple[str, ...]:
    """Every coherent case of the three per-question parts, as JSON lines (the dates part varies readings, not cases)."""
    return tuple(line for part in (PROCEDURE_AND_INTAKE, HANDLER_AND_DISPOSITION, SIGNATORY) for line in product(part)[1])
