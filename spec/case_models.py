"""The model a rule set's cases are validated with: the installed :class:`~kzappeals.spec.vocabulary.Case`,
or a draft's own.

A draft that adds a fact of the case or a value (its ``attributes.toml``), or changes the coherence
constraints, has cases the installed model would judge by the wrong vocabulary. Its model is made from
its attributes exactly as the installed one is (:func:`kzappeals.spec.attribute_schema.case_attributes_model`),
and a case is coherent when it breaks none of the draft's own constraints (its ``coherence.toml``): the
constraints that bound its Z3 model in ``verify`` and ``diff``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from pydantic import BaseModel, create_model, model_validator

from kzappeals.spec.attribute_schema import case_attributes_model, shipped_attributes
from kzappeals.spec.attributes import CaseAttributes
from kzappeals.spec.coherence import constraints
from kzappeals.spec.conditions import CaseOps, build
from kzappeals.spec.vocabulary import Case

if TYPE_CHECKING:
    from kzappeals.spec.ruleset import RuleSet

_MODELS: WeakKeyDictionary[RuleSet, type[BaseModel]] = WeakKeyDictionary()


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
