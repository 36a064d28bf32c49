"""What one provision gives for one case: an answer to one question.

Every provision function of this package returns a tuple of :class:`Given`
(empty when the provision does not apply to the case). The tuples are built
once, at import time, next to the function that returns them, so that a
reader sees the answer beside the words of the law it comes from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

_SUBPOINT_RE = re.compile(r"^(p\d+(?:-\d+)?)\.pp(\d+)")


@dataclass(frozen=True, slots=True)
class Given:
    """One answer one provision gives.

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
    """

    question: str
    value: StrEnum
    provision: str
    clauses: tuple[str, ...]
    rule: str = ""
    rests_on_unknown: tuple[str, ...] = ()
    gated: bool = True
    # (point, subpoint number) for subpoint-order, e.g. ("p54", 5); None for parts and points.
    subpoint: tuple[str, int] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        if not self.rule:
            object.__setattr__(self, "rule", self.provision)
        m = _SUBPOINT_RE.match(self.provision)
        object.__setattr__(self, "subpoint", (m[1], int(m[2])) if m else None)


NOTHING: tuple[Given, ...] = ()
"""What a provision gives when it does not apply to the case."""
