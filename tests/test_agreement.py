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
procedure and intake          720          360
handler and disposition    13,440        5,376
signatory                  13,608        7,938
in force and deadline          84           84   (21 cases x 4 readings of the dates)
=====================  ==========  ===========
total                      27,852       13,758  cases, x 4 profiles = 55,032 comparisons

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

import json
import multiprocessing
import os
import tomllib
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib.resources import files

import pytest
from pydantic import ValidationError

from kzappeals.conformance.domain import (
    HANDLER_AND_DISPOSITION,
    IN_FORCE_AND_DEADLINE,
    IN_FORCE_READINGS,
    PART_QUESTIONS,
    PROCEDURE_AND_INTAKE,
    SIGNATORY,
    SIZES,
    SUBSTITUTES,
    classes,
    product,
)
from kzappeals.reference_impl import decide
from kzappeals.spec.calendar import InForceParameters, ReceiptCounting
from kzappeals.spec.case_json import parse_case
from kzappeals.spec.evaluate import spec_decision
from kzappeals.spec.vocabulary import QUESTIONS, Case, Decision

SPEC = files("kzappeals.spec")
PROFILES = tuple(tomllib.loads((SPEC / "profiles.toml").read_text(encoding="utf-8"))["profile"])
UNKNOWN_PROVISIONS = ("p20.list", "p54.pp1", "p54.pp2")

# --- comparison ------------------------------------------------------------------------------------

Summary = dict[str, object]


def summary(d: Decision) -> Summary:
    """The fields compared: in_force, forwarding_due; per question status, {value: provisions}, depends,
    and the clauses saying a question does not arise (p15, p23.pp1.ch2, ...)."""
    out: Summary = {"in_force": d.in_force, "in_force_assumed": d.in_force_assumed, "forwarding_due": d.forwarding_due}
    for q in QUESTIONS:
        det = getattr(d, q)
        answers = {a.value.value: frozenset(a.provisions) for a in det.answers}
        out[q] = (det.status, answers, tuple(det.depends_on_unknown), frozenset(det.basis))
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
                + (
                    f" (in_force={job.in_force!r}, receipt={job.receipt.value})"
                    if job.in_force or job.receipt is not ReceiptCounting.NEXT_DAY
                    else ""
                )
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
    assert (sum(raw for raw, _ in SIZES.values()), total, total * len(PROFILES)) == (27_852, 13_758, 55_032)


def test_agreement_procedure_and_intake() -> None:
    """Points 1, 4, 5, 6, 15 and 18.2, exhaustively over their classes."""
    _, lines = product(PROCEDURE_AND_INTAKE)
    assert_agreement("procedure and intake", [Job(line) for line in lines])


def test_agreement_handler_and_disposition() -> None:
    """Points 19.1, 20, 23 and 26-1, exhaustively over their classes."""
    _, lines = product(HANDLER_AND_DISPOSITION)
    assert_agreement("handler and disposition", [Job(line) for line in lines])


def test_agreement_signatory() -> None:
    """Points 53-1 and 54, exhaustively over their classes."""
    _, lines = product(SIGNATORY)
    assert_agreement("signatory", [Job(line) for line in lines])


def test_agreement_in_force_and_deadline() -> None:
    """Entry into force and the three working days, under both counting readings of each."""
    _, lines = product(IN_FORCE_AND_DEADLINE)
    jobs = [Job(line, in_force, receipt) for line in lines for in_force, receipt in IN_FORCE_READINGS]
    assert_agreement("in force and deadline", jobs)


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


# --- the classes of the domain, checked against the conditions (issue 8, item 9) ------------------

_PARTS = {"procedure and intake": PROCEDURE_AND_INTAKE, "handler and disposition": HANDLER_AND_DISPOSITION, "signatory": SIGNATORY}


@pytest.mark.parametrize("part", list(_PARTS))
def test_every_class_the_conditions_tell_apart_is_represented_or_substituted(part: str) -> None:
    """Each class of values that the part's provisions tell apart (derived from their conditions) has a
    representative in the part, or a declared substitute (SUBSTITUTES) whose effect the next test checks."""
    substituted = {(f, v) for _, to in SUBSTITUTES.get(part, []) for f, v in to.items()}
    for key, values in _PARTS[part].items():
        names = key if isinstance(key, tuple) else (key,)
        for i, name in enumerate(names):
            if name == "unknown_provisions" or not isinstance(values[0] if not isinstance(key, tuple) else values[0][i], str):
                continue
            shown = {v[i] if isinstance(key, tuple) else v for v in values}
            missing = [
                sorted(c) for c in classes(name, PART_QUESTIONS[part]) if not c & shown and not any((name, v) in substituted for v in c)
            ]
            assert not missing, (part, name, missing)


@pytest.mark.parametrize("part", list(SUBSTITUTES))
def test_a_substitute_decides_its_part_as_the_value_it_stands_for(part: str) -> None:
    """Swapping in the values a representative stands for changes no answer to the part's questions (beyond
    the procedure, whose provision is the point that names the subject or sender), under any profile."""
    asked = [q for q in PART_QUESTIONS[part] if q != "procedure"]
    checked = 0
    for line in product(_PARTS[part])[1]:
        data = json.loads(line)
        for from_, to in SUBSTITUTES[part]:
            if any(data.get(f) != v for f, v in from_.items()):
                continue
            try:
                swapped = parse_case({**data, **to})
            except ValidationError:
                continue
            original = Case.model_validate_json(line)
            for profile in PROFILES:
                a, b = summary(spec_decision(original, profile)), summary(spec_decision(swapped, profile))
                assert [a[q] for q in asked] == [b[q] for q in asked], (part, profile, line, to)
                checked += 1
    assert checked > 0
