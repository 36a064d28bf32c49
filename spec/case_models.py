"""The models of a rule set's cases and decisions: the installed :class:`~kzappeals.spec.vocabulary.Case`
and :class:`~kzappeals.spec.vocabulary.Decision`, or a draft's own.

A draft that adds a fact of the case or a value (its ``attributes.toml``), or changes the coherence
constraints, has cases the installed model would judge by the wrong vocabulary. Its model is made from
its attributes exactly as the installed one is (:func:`kzappeals.spec.attribute_schema.case_attributes_model`),
and a case is coherent when it breaks none of the draft's own constraints (its ``coherence.toml``): the
constraints that bound its Z3 model in ``verify`` and ``diff``. A draft that declares a new answer (an
amendment's ``[[value]]``: a new signatory) has decisions whose answers are the draft's own values.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from pydantic import BaseModel, create_model, model_validator

from kzappeals.spec.attribute_schema import case_attributes_model, shipped_attributes
from kzappeals.spec.attributes import CaseAttributes
from kzappeals.spec.coherence import constraints
from kzappeals.spec.conditions import CaseOps, build
from kzappeals.spec.vocabulary import QUESTIONS, Case, Decision, Determination

if TYPE_CHECKING:
    from kzappeals.spec.ruleset import RuleSet

_MODELS: WeakKeyDictionary[RuleSet, type[BaseModel]] = WeakKeyDictionary()
_ANSWERS: WeakKeyDictionary[RuleSet, dict[str, type[StrEnum]]] = WeakKeyDictionary()
_DECISIONS: WeakKeyDictionary[RuleSet, type[Decision]] = WeakKeyDictionary()


def coherence_violation(rs: RuleSet, case: BaseModel) -> str | None:
    """The first of the rule set's own coherence constraints that ``case`` breaks, as one line, or None."""
    ops = CaseOps(case)  # type: ignore[arg-type]  # any model of the rule set's attributes
    for c in rs.coherence:
        if build(c.when, ops) and not build(c.then, ops):
            return f"field '{c.field}': {c.reason} (clause {c.clause})"
    return None


def case_model(rs: RuleSet) -> type[BaseModel]:
    """The model of a case of ``rs``: :class:`Case` when ``rs`` has the installed attributes and
    constraints, else one made from its own (made once per rule set)."""
    if rs.attributes == shipped_attributes() and rs.coherence == constraints():
        return Case
    if rs not in _MODELS:

        def coherent(self: BaseModel) -> BaseModel:
            broken = coherence_violation(rs, self)
            if broken is not None:
                raise ValueError(broken)  # pydantic makes it a ValidationError; the message names field and clause
            return self

        base = CaseAttributes if rs.attributes == shipped_attributes() else case_attributes_model(rs.attributes)
        _MODELS[rs] = create_model(
            "Case",
            __base__=base,
            __doc__=Case.__doc__,
            __validators__={"coherent": model_validator(mode="after")(coherent)},  # type: ignore[dict-item]
        )
    return _MODELS[rs]


def answer_enums(rs: RuleSet) -> dict[str, type[StrEnum]]:
    """Each question's answers under ``rs``: the typed enumeration (:data:`QUESTIONS`) where the rule set
    gives exactly its values, else one made from the rule set's own values, in its order."""
    if rs not in _ANSWERS:
        enums: dict[str, type[StrEnum]] = {}
        for q, typed in QUESTIONS.items():
            values = list(rs.questions[q].values)
            same = [v.value for v in typed] == values
            enums[q] = typed if same else StrEnum(typed.__name__, {v: v for v in values})  # type: ignore[assignment]
        _ANSWERS[rs] = enums
    return _ANSWERS[rs]


def decision_model(rs: RuleSet) -> type[Decision]:
    """The model of a decision under ``rs``: :class:`Decision`, or one whose answers are the draft's values."""
    enums = answer_enums(rs)
    if all(enums[q] is QUESTIONS[q] for q in QUESTIONS):
        return Decision
    if rs not in _DECISIONS:
        fields = {q: (Determination[enums[q]], ...) for q in QUESTIONS}  # type: ignore[valid-type]  # chosen at run time
        _DECISIONS[rs] = create_model("Decision", __base__=Decision, __doc__=Decision.__doc__, **fields)  # type: ignore[call-overload]
    return _DECISIONS[rs]
