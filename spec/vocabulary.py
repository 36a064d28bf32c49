"""The vocabulary of the amended Instruction: a coherent appeal case, the questions and their answers,
and a decision.

The attributes of a case and their values are in :mod:`kzappeals.spec.attributes` (re-exported
here); a :class:`Case` is those attributes in a combination ``spec/coherence.toml`` allows, the
same constraints that bound the Z3 model. The answers each question can take are defined here.
"""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from functools import cache
from importlib.resources import files
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

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


class Procedure(StrEnum):
    """Which procedure governs the appeal (p1, p4, p5, p6, p15)."""

    instruction = "instruction"
    criminal_procedure_code = "criminal_procedure_code"
    court_act_codes = "court_act_codes"
    presidential_administration_rules = "presidential_administration_rules"
    not_considered = "not_considered"
    forward_to_state_bodies = "forward_to_state_bodies"


class Intake(StrEnum):
    """Who takes in a Call-centre appeal (p18.ch2)."""

    appeals_staff = "appeals_staff"


class Handler(StrEnum):
    """Who considers the appeal (кем рассматривается): a unit of the body that received it, or, where
    point 23 has that body send it on for consideration, the unit it is sent to (p19, p20, p23, p26-1)."""

    appeals_department = "appeals_department"
    leadership_or_subdivision = "leadership_or_subdivision"
    prosecutor_general = "prosecutor_general"
    # структурное подразделение органа, куда поступило обращение (p23.ch3 at the Office; p23.ch5 read
    # as keeping a resonant appeal in the receiving body: reading ch5-own-subdivisions)
    structural_subdivision = "structural_subdivision"
    # структурные подразделения Генеральной прокуратуры, to which an agency, institution or regional office
    # sends a resonant appeal (p23.ch5 extending p23.ch3 word for word: reading ch5-gpo-subdivisions)
    gpo_structural_subdivision = "gpo_structural_subdivision"


class Disposition(StrEnum):
    """What is done with it: forwarded, kept or returned (p23)."""

    forward_3wd_notice = "forward_3wd_notice"
    forward_3wd_report = "forward_3wd_report"
    considered_in_gpo = "considered_in_gpo"
    returned_without_consideration = "returned_without_consideration"
    no_downward_forwarding = "no_downward_forwarding"


class Signatory(StrEnum):
    """Who signs the answer (кем дается ответ), p53-1, p54."""

    head = "head"
    deputy_head = "deputy_head"
    resolving_official = "resolving_official"
    per_p54_pp1 = "per_p54_pp1"
    per_p54_pp2 = "per_p54_pp2"
    per_criminal_procedure = "per_criminal_procedure"


QUESTIONS: dict[str, type[StrEnum]] = {
    "procedure": Procedure,
    "intake": Intake,
    "handler": Handler,
    "disposition": Disposition,
    "signatory": Signatory,
}
"""The questions every decision answers, in report order, with their possible answers.
Their titles, answer labels and scopes are in spec/questions.toml."""

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
