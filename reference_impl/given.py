"""What one provision gives for one case: an answer to one question.

Every provision function of this package returns a tuple of :class:`Given`
(empty when the provision does not apply to the case). The tuples are built
once, at import time, next to the function that returns them, so that a
reader sees the answer beside the words of the law it comes from.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from kzappeals.spec.vocabulary import Body, Case

_SUBPOINT_RE = re.compile(r"^(p\d+(?:-\d+)?)\.pp(\d+)")


@dataclass(frozen=True, slots=True, eq=False)
class Given:
    """One answer one provision gives (compared by identity: each is built once, at import).

    Attributes:
        question: "procedure", "intake", "handler", "disposition" or "signatory".
        value: the answer (a member of the question's enum in the vocabulary).
        provision: clause id of the provision that gives it (shown in ``Answer.provisions``).
        clauses: every clause it rests on, in order: the provision, then the
            lead-ins and the provisions it extends.
        rule: the key the profiles' precedence uses; the provision id, except
            where one clause holds two rules (p23.ch2 extends two subpoints).
        rests_on_unknown: provisions of the base Instruction not in the sources
            whose (asserted or denied) application this answer depends on.
        gated: under lex-specialis, applies only to appeals the Instruction
            governs (False for p23.pp3 and p53-1, which apply regardless).
        reading: where the text is open, the reading this answer belongs to; it is given only
            under the profiles that choose that reading ("" for every profile).
    """

    question: str
    value: StrEnum
    provision: str
    clauses: tuple[str, ...]
    rule: str = ""
    rests_on_unknown: tuple[str, ...] = ()
    gated: bool = True
    reading: str = ""
    # (point, subpoint number) for subpoint-order, e.g. ("p54", 5); None for parts and points.
    subpoint: tuple[str, int] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        if not self.rule:
            object.__setattr__(self, "rule", self.provision)
        m = _SUBPOINT_RE.match(self.provision)
        object.__setattr__(self, "subpoint", (m[1], int(m[2])) if m else None)


NOTHING: tuple[Given, ...] = ()
"""What a provision gives when it does not apply to the case."""


Provision = Callable[[Case], tuple[Given, ...]]


def speaks_of(*bodies: Iterable[Body] | Body) -> Callable[[Provision], Provision]:
    """Records on a provision the bodies (``handled_at``) its words are about.

    The provision still checks the body itself, so that it reads, and can be called, on its own;
    the record only lets the assembly skip provisions that cannot speak of the case's body
    (tests/test_reference_impl.py checks that every record matches its provision's condition).
    """
    scope = frozenset(b for group in bodies for b in ((group,) if isinstance(group, Body) else group))

    def record(provision: Provision) -> Provision:
        provision.bodies = scope  # type: ignore[attr-defined]
        return provision

    return record


def by_body(provisions: Iterable[Provision]) -> dict[Body, tuple[Provision, ...]]:
    """For each body, the provisions (in the given order) that may speak of it; a provision
    without a :func:`speaks_of` record speaks of every body."""
    provisions = tuple(provisions)
    return {body: tuple(p for p in provisions if body in getattr(p, "bodies", Body)) for body in Body}
