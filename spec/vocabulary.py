"""The vocabulary of the amended Instruction: a coherent appeal case, the questions and their answers,
and a decision.

The attributes of a case and their values are in :mod:`kzappeals.spec.attributes` (re-exported
here); a :class:`Case` is those attributes in a combination ``spec/coherence.toml`` allows, the
same constraints that bound the Z3 model. The answers each question can take are declared in
``spec/questions.toml`` (typed in the generated :mod:`kzappeals.spec.answers`, re-exported here).
"""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from functools import cache
from importlib.resources import files
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kzappeals.spec.answers import Disposition, Handler, Intake, Procedure, Signatory
from kzappeals.spec.attributes import (
    Body,
    CaseAttributes,
    Cassation,
    Channel,
    Competence,
    ComplaintAbout,
    EarlierAnswerBy,
    Form,
    IsoDate,
    Kind,
    Outcome,
    Sender,
    Subject,
    UnknownProvision,
)
from kzappeals.spec.coherence import first_violation

__all__ = [
    "QUESTIONS",
    "Answer",
    "Body",
    "Case",
    "Cassation",
    "Channel",
    "Competence",
    "ComplaintAbout",
    "Decision",
    "Determination",
    "Disposition",
    "EarlierAnswerBy",
    "Form",
    "Handler",
    "Intake",
    "IsoDate",
    "Kind",
    "Outcome",
    "Procedure",
    "Sender",
    "Signatory",
    "Subject",
    "UnknownProvision",
    "ordinary_appeal",
]


QUESTIONS: dict[str, type[StrEnum]] = {
    "procedure": Procedure,
    "intake": Intake,
    "handler": Handler,
    "disposition": Disposition,
    "signatory": Signatory,
}
"""The questions every decision answers, in report order, with their possible answers
(spec/questions.toml declares them, with their titles, labels and scopes)."""

_STRICT = ConfigDict(strict=True, frozen=True, extra="forbid", use_enum_values=False)


# The attributes (kzappeals.spec.attributes), in a combination spec/coherence.toml allows. The docstring
# is the case schema's description, which vendors read: it names no Python.
class Case(CaseAttributes):
    """An appeal (обращение, p2.pp1) as the routing and signature rules see it.

    Enumerations are given by their value in JSON (``"complaint"``); booleans
    are JSON booleans; ``received_on`` is an ISO date.
    """

    @model_validator(mode="after")
    def _coherent(self) -> Case:
        broken = first_violation(self)
        if broken is not None:
            # pydantic turns ValueError into a ValidationError naming the model;
            # the message itself carries field, reason and clause.
            raise ValueError(broken)
        return self


V = TypeVar("V", bound=StrEnum)


@cache
def ordinary_appeal() -> dict:
    """The ordinary appeal (``spec/ordinary-appeal.json``) as case JSON: an individual written application
    on an ordinary question, received by a district prosecutor's office, answered by explanation. Witnesses,
    shrinking and the decision domain are all measured from it."""
    return json.loads((files("kzappeals.spec") / "ordinary-appeal.json").read_text(encoding="utf-8"))


class Answer(BaseModel, Generic[V]):
    """One admissible value of one decision, with the clauses it rests on, in order."""

    model_config = _STRICT

    value: V
    provisions: tuple[str, ...] = Field(description="Clause ids of the provisions that give this answer (e.g. p54.pp5.a6).")
    clauses: tuple[str, ...] = Field(
        description="Every clause the answer rests on, in order: each provision, then what it builds on (lead-ins, extended rules)."
    )


class Determination(BaseModel, Generic[V]):
    """The answer to one question (procedure, handler, ... signatory) under one profile.

    ``decided``: exactly one admissible value. ``ambiguous``: the text gives
    several under the profile, all listed; none is picked. ``undetermined``:
    the text gives none, ``reason`` says why. ``not_applicable``: the
    question does not arise (for example nothing is forwarded).
    """

    model_config = _STRICT

    status: Literal["decided", "ambiguous", "undetermined", "not_applicable"]
    answers: tuple[Answer[V], ...] = ()
    reason_en: str = ""
    reason_ru: str = ""
    depends_on_unknown: tuple[str, ...] = ()
    basis: tuple[str, ...] = Field(
        default=(), description="For not_applicable: the clauses that say the question does not arise (p15, p23.pp1.ch2, ...), if any."
    )


class Decision(BaseModel):
    """What the amended Instruction says of one case under one profile."""

    model_config = _STRICT

    profile: str
    in_force: Literal["in_force", "before", "repealed"]
    in_force_clauses: tuple[str, ...]
    in_force_assumed: bool = Field(
        default=False,
        description="The in-force answer rests on a publication date the user did not set (assumed: the registration date), o165.p4, o165.footnote.",
    )
    procedure: Determination[Procedure]
    intake: Determination[Intake]
    handler: Determination[Handler]
    disposition: Determination[Disposition]
    signatory: Determination[Signatory]
    forwarding_due: dt.date | None = None
    why: tuple[str, ...] = Field(default=(), description="Every clause the decision rests on, in the order applied.")
