"""Metamorphic relation: changing an attribute that no clause looks at changes nothing.

For an appeal and a profile, an *irrelevant variant* differs in one attribute
yet every rule's condition, every question's scope and the in-force state come
out the same: no clause can tell the two appeals apart, so the law answers
them alike. Where the law pins the answer (decided, not applicable) the judge
already checks each appeal; where it leaves the choice open (ambiguous,
undetermined) this relation is the only check: an implementation must not
answer two legally identical appeals differently. It needs no expected answer,
only the specification's conditions (kzappeals.spec.evaluate).
"""

from __future__ import annotations

import json
from functools import lru_cache

from pydantic import ValidationError

from kzappeals.spec.case_json import parse_case
from kzappeals.spec.conditions import CASE_FIELDS, build, field_values
from kzappeals.spec.evaluate import Evaluation
from kzappeals.spec.ruleset import default_ruleset
from kzappeals.spec.vocabulary import Case

OPEN = ("ambiguous", "undetermined")
"""Statuses under which the judge admits more than one answer, so consistency is checked here."""


def _signature(case: Case, profile: str) -> tuple:
    ruleset = default_ruleset()
    ev = Evaluation(ruleset, ruleset.profiles[profile], case)
    return (tuple(ev.fire(r) for r in ruleset.rules), tuple(build(q.required_when, ev.ops) for q in ruleset.questions.values()))


def irrelevant_variants(case: dict, profile: str, limit: int = 2) -> list[tuple[str, object, dict]]:
    """Up to ``limit`` variants (field, new value, case), one per attribute, that no clause tells apart from ``case``.
    The receipt date is never varied: the in-force window and the deadline look at it.

    Remembered per case, profile and limit: a function of them alone, asked again for every certification
    in one process (the self-check's mutants, a test session) of the same cases."""
    return list(_variants(json.dumps(case), profile, limit))  # (keys in their order: a variant keeps it)


@lru_cache(maxsize=1 << 14)
def _variants(case_json: str, profile: str, limit: int) -> tuple[tuple[str, object, dict], ...]:
    case = json.loads(case_json)
    base = _signature(parse_case(case), profile)
    out = []
    for field in CASE_FIELDS:
        for value in field_values(field):
            if value == case[field]:
                continue
            variant = {**case, field: value}
            try:
                parsed = parse_case(variant)
            except ValidationError:
                continue
            if _signature(parsed, profile) == base:
                out.append((field, value, variant))
                break
        if len(out) >= limit:
            break
    return tuple(out)
