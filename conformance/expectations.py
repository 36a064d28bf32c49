"""What an implementation must answer for one case, and the answer format vendors send.

An :class:`Expectation` is the language-agnostic form of the reference
decision: per question, the status and the admissible answers with the
provisions behind them. Test vectors store it per profile; the runner builds
it from the reference implementation for generated cases.

A vendor answers with a :class:`VendorAnswer`: one value (or null) per
question, the in-force state and the forwarding due date. How one is judged
against the other is :mod:`kzappeals.conformance.judge`.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from kzappeals.spec.vocabulary import QUESTIONS, Decision, Disposition, Handler, Intake, Procedure, Signatory

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
    admissible: dict[str, tuple[str, ...]] = Field(default_factory=dict, description="Admissible answer -> the provisions (clause ids) that give it.")
    clauses: tuple[str, ...] = Field(default=(), description="Every clause the expected answers rest on.")
    depends_on_unknown: tuple[str, ...] = ()


class Expectation(BaseModel):
    """The expected result of one case under one profile."""

    model_config = _FROZEN

    in_force: InForce
    in_force_clauses: tuple[str, ...]
    questions: dict[str, QuestionExpectation]
    forwarding_due: dt.date | None = None

    @classmethod
    def from_decision(cls, d: Decision) -> Expectation:
        qs = {}
        for q in QUESTIONS:
            det = getattr(d, q)
            qs[q] = QuestionExpectation(
                status=det.status,
                admissible={a.value.value: a.provisions for a in det.answers},
                clauses=tuple(dict.fromkeys(c for a in det.answers for c in a.clauses)),
                depends_on_unknown=det.depends_on_unknown,
            )
        return cls(in_force=d.in_force, in_force_clauses=d.in_force_clauses, questions=qs, forwarding_due=d.forwarding_due)


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
        """The answer a faithful implementation gives: the first admissible answer of each question."""
        pick = {q: (getattr(d, q).answers[0].value if getattr(d, q).answers else None) for q in QUESTIONS}
        return cls(in_force=d.in_force, forwarding_due=d.forwarding_due, **pick)
