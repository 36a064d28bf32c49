"""What an implementation must answer for one case, and the answer format vendors send.

An :class:`Expectation` is the language-agnostic form of the reference
decision: per question, the status and the admissible answers with the
provisions behind them. Test vectors store it per profile; the runner builds
it from the reference implementation for generated cases.

An expectation also lists its admissible *complete* answers
(:class:`CompleteAnswer`): the consistent combinations of one admissible value per question, the
deadline and what does not arise under that choice. A vendor answers with a :class:`VendorAnswer`:
one value (or null) per question, the in-force state and the forwarding due date. How one is judged
against the other is :mod:`kzappeals.conformance.judge`.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from kzappeals.spec.conditions import build
from kzappeals.spec.dispositions import FORWARDING
from kzappeals.spec.ruleset import default_ruleset
from kzappeals.spec.vocabulary import QUESTIONS, Decision, Determination, Disposition, Handler, Intake, Procedure, Signatory

_FROZEN = ConfigDict(frozen=True, extra="forbid")

Status = Literal["decided", "ambiguous", "undetermined", "not_applicable"]
InForce = Literal["in_force", "before", "repealed"]

LEVELS: dict[str, tuple[str, ...]] = {
    "routing": ("procedure", "intake", "handler", "disposition"),
    "signature": ("signatory",),
    "deadlines": ("forwarding_due",),
    "in-force": ("in_force",),
}
"""Conformance levels a vendor may claim, and the parts of an answer each one covers."""


class QuestionExpectation(BaseModel):
    model_config = _FROZEN

    status: Status
    admissible: dict[str, tuple[str, ...]] = Field(
        default_factory=dict, description="Admissible answer -> the provisions (clause ids) that give it."
    )
    clauses: tuple[str, ...] = Field(default=(), description="Every clause the expected answers rest on.")
    depends_on_unknown: tuple[str, ...] = ()


class CompleteAnswer(BaseModel):
    """One admissible answer as a whole: one consistent choice across the questions and the deadline.

    Where the text admits several answers (status ``ambiguous``), a reading picks one of them, and
    what follows from that pick follows with it: the three working days run only if the chosen
    disposition forwards (p23.pp1.ch2, p23.pp2.ch2); who signs does not arise if the body forwards
    or returns the appeal (point 54 says who gives the answer), nor anything but the procedure if
    point 15 leaves it unconsidered. A question the text leaves undetermined is null here and not
    judged."""

    model_config = _FROZEN

    procedure: str | None = None
    intake: str | None = None
    handler: str | None = None
    disposition: str | None = None
    signatory: str | None = None
    forwarding_due: dt.date | None = None
    lapsed: dict[str, tuple[str, ...]] = Field(
        default_factory=dict, description="Question -> the clauses that say it does not arise under this choice."
    )


class Expectation(BaseModel):
    """The expected result of one case under one profile."""

    model_config = _FROZEN

    in_force: InForce
    in_force_clauses: tuple[str, ...]
    questions: dict[str, QuestionExpectation]
    forwarding_due: dt.date | None = None
    complete: tuple[CompleteAnswer, ...] = Field(
        default=(), description="Every admissible complete answer: an answer is right when it is one of them on the parts judged."
    )

    @classmethod
    def from_decision(cls, d: Decision) -> Expectation:
        qs = {q: _question(getattr(d, q)) for q in QUESTIONS}
        # Not validated again: every part comes from a strict Decision or from validated models.
        return cls.model_construct(
            in_force=d.in_force,
            in_force_clauses=d.in_force_clauses,
            questions=qs,
            forwarding_due=d.forwarding_due,
            complete=_complete(_shape(qs), d.forwarding_due),
        )


# Expected answers are made for every case judged (selfcheck: hundreds of thousands), from few distinct
# parts: the determinations recur across cases, and the complete answers depend only on which values
# each question admits and on the deadline. Made once each, an expectation costs a few lookups.
@lru_cache(maxsize=1 << 14)
def _question(det: Determination) -> QuestionExpectation:
    return QuestionExpectation(
        status=det.status,
        admissible={a.value.value: a.provisions for a in det.answers},
        clauses=tuple(dict.fromkeys(c for a in det.answers for c in a.clauses)) or det.basis,
        depends_on_unknown=det.depends_on_unknown,
    )


def _shape(questions: dict[str, QuestionExpectation]) -> tuple[tuple[str, ...], ...]:
    """What complete answers depend on in the questions: the admissible values of each, in question order."""
    return tuple(tuple(questions[q].admissible) for q in QUESTIONS)


def _lapsing(question: str, chosen: dict[str, str | None]) -> tuple[str, ...]:
    """The clauses that say ``question`` does not arise, given the values chosen for earlier questions
    (spec/questions.toml ``[[lapse]]``; "q in (...)" read as "the value chosen for q is one of them")."""
    lapses = default_ruleset().questions[question].lapses
    return tuple(dict.fromkeys(c for lp in lapses if build(lp.when, _Chosen(chosen)) for c in lp.clauses))


class _Chosen:
    """Truth values of a lapse condition for the answers chosen so far (lapses name no case field)."""

    def __init__(self, chosen: dict[str, str | None]):
        self.chosen = chosen

    def const(self, value: bool) -> bool:
        return value

    def output_in(self, output: str, values: frozenset[str]) -> bool:
        return self.chosen.get(output) in values

    def field_in(self, field: str, values: frozenset[str]) -> bool:
        raise TypeError("a lapse names answers, not case fields")

    def flag(self, field: str) -> bool:
        raise TypeError("a lapse names answers, not case fields")

    def unknown(self, provision: str) -> bool:
        raise TypeError("a lapse names answers, not unknown provisions")

    def provided_by(self, prefixes: tuple[str, ...]) -> bool:
        raise TypeError("a lapse names answers, not clauses")

    def not_(self, arg: bool) -> bool:
        return not arg

    def and_(self, args: list[bool]) -> bool:
        return all(args)

    def or_(self, args: list[bool]) -> bool:
        return any(args)


def complete_answers(questions: dict[str, QuestionExpectation], due: dt.date | None) -> tuple[CompleteAnswer, ...]:
    """Every consistent combination of the admissible answers, in question order.

    A question with admissible answers takes one of them unless a lapse holds for the values chosen
    before it (then null, with the clauses that say so); a question not applicable or undetermined is
    null. The deadline is the expected date exactly when the chosen disposition forwards."""
    return _complete(_shape(questions), due)


@lru_cache(maxsize=1 << 14)
def _complete(shape: tuple[tuple[str, ...], ...], due: dt.date | None) -> tuple[CompleteAnswer, ...]:
    combos: list[tuple[dict[str, str | None], dict[str, tuple[str, ...]]]] = [({}, {})]
    for q, admissible in zip(QUESTIONS, shape):
        grown = []
        for chosen, lapsed in combos:
            basis = _lapsing(q, chosen) if admissible else ()
            if basis:
                grown.append(({**chosen, q: None}, {**lapsed, q: basis}))
            elif admissible:
                grown += [({**chosen, q: v}, lapsed) for v in admissible]
            else:
                grown.append(({**chosen, q: None}, lapsed))
        combos = grown
    out = []
    for chosen, lapsed in combos:
        answer = CompleteAnswer(**chosen, forwarding_due=due if chosen["disposition"] in FORWARDING else None, lapsed=lapsed)
        if answer not in out:
            out.append(answer)
    return tuple(out)


class VendorAnswer(BaseModel):
    """A vendor's answer to one case: one value per question, or null where it gives none."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    in_force: InForce
    procedure: Procedure | None
    intake: Intake | None
    handler: Handler | None
    disposition: Disposition | None
    signatory: Signatory | None
    forwarding_due: dt.date | None = None

    @classmethod
    def from_decision(cls, d: Decision) -> VendorAnswer:
        """The answer a faithful implementation gives: the first admissible complete answer (the first
        admissible answer of each question, and what follows from it)."""
        return _first_answer(d.in_force, _shape({q: _question(getattr(d, q)) for q in QUESTIONS}), d.forwarding_due)


@lru_cache(maxsize=1 << 14)
def _first_answer(in_force: InForce, shape: tuple[tuple[str, ...], ...], due: dt.date | None) -> VendorAnswer:
    first = _complete(shape, due)[0]
    picked = {q: None if getattr(first, q) is None else QUESTIONS[q](getattr(first, q)) for q in QUESTIONS}
    return VendorAnswer.model_validate({"in_force": in_force, "forwarding_due": first.forwarding_due, **picked})
