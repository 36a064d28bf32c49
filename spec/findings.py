"""What the verifier reports: findings, proved properties and the report around them.

These models define the JSON form of ``kzappeals verify`` (its JSON Schema is
generated into ``spec/schemas/verification.schema.json``).
"""

from __future__ import annotations

import hashlib
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

_FROZEN = ConfigDict(frozen=True, extra="forbid")

FindingKind = Literal["conflict", "gap", "dead", "principle", "assumption"]


class Text(BaseModel):
    model_config = _FROZEN
    ru: str
    en: str


class Change(BaseModel):
    """One way the witness differs from the ordinary appeal (spec/ordinary-appeal.json)."""

    model_config = _FROZEN
    field: str
    value: str | bool


class Range(BaseModel):
    """An attribute confined to some of its values (a gap region is a conjunction of these)."""

    model_config = _FROZEN
    field: str
    values: tuple[str | bool, ...]


class RuleAnswer(BaseModel):
    """A rule that decides a question on the witness, and its answer."""

    model_config = _FROZEN
    rule: str
    question: str
    value: str


class Finding(BaseModel):
    model_config = _FROZEN

    id: str = Field(description="Stable across runs: derived from kind, profile, question, principle and rules.")
    kind: FindingKind
    profile: str = Field(description="The interpretation profile, or 'all' for an assumption.")
    question: str | None = None
    principle: str | None = None
    rules: tuple[str, ...] = ()
    clauses: tuple[str, ...] = Field(description="Clause ids involved, in the order of the rules.")
    witness: dict | None = Field(
        default=None, description="A case (case schema) that shows the finding: the fewest changes from an ordinary appeal."
    )
    changes: tuple[Change, ...] = ()
    region: tuple[Range, ...] = Field(
        default=(), description="For a gap: every coherent case whose attributes lie in these ranges is a gap."
    )
    answers: tuple[RuleAnswer, ...] = Field(default=(), description="What the deciding rules say on the witness.")
    depends_on_unknown: tuple[str, ...] = Field(
        default=(), description="Provisions not in the sources that the finding rests on or that may settle it."
    )
    related: tuple[str, ...] = Field(default=(), description="Ids of findings this one summarises.")
    message: Text


def finding_id(kind: str, profile: str, *parts: str, unordered: tuple[str, ...] = ()) -> str:
    """An id that is a function of what the finding says, never of solver or file order.

    ``parts`` are ordered by meaning (question, principle, rule); ``unordered`` are members of a set
    (the two rules of a conflict, the ranges of a gap region), sorted here so that their order in the
    rule files or in Z3's model does not move the id."""
    digest = hashlib.sha256("|".join((kind, profile, *parts, *sorted(unordered))).encode()).hexdigest()[:10]
    return f"{kind}-{profile}-{digest}"


def region_key(ranges: tuple[Range, ...]) -> tuple[str, ...]:
    """A gap region as a set: each range's field with its values sorted (order-free; see finding_id)."""
    return tuple(f"{r.field}={tuple(sorted(r.values, key=str))}" for r in ranges)


class Proved(BaseModel):
    """A principle that holds on every coherent case under a profile."""

    model_config = _FROZEN
    principle: str
    profile: str
    clauses: tuple[str, ...]
    message: Text


class ProfileInfo(BaseModel):
    model_config = _FROZEN
    name: str
    title: Text
    rationale: str


class Report(BaseModel):
    model_config = _FROZEN

    tool: Literal["kzappeals"] = "kzappeals"
    spec_version: str
    spec_sha256: str
    profiles: tuple[ProfileInfo, ...]
    findings: tuple[Finding, ...]
    proved: tuple[Proved, ...]
