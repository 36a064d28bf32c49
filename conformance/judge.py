"""Judging one answer against an expectation, for the claimed levels only.

Per question (routing: procedure, intake, handler, disposition; signature:
signatory), by the expectation's status:

* ``decided`` / ``ambiguous``: the value must be one of the admissible
  answers; a failure names the provisions behind each admissible answer.
* ``not_applicable``: the question does not arise, the value must be null.
* ``undetermined``: the amended text gives no answer; not judged, counted as
  outside the amended text with the provisions that would answer it.

``in_force`` (level in-force) must equal. ``forwarding_due`` (level
deadlines) must equal the expected date, or be null when none is expected.
"""

from __future__ import annotations

from dataclasses import dataclass

from kzappeals.conformance.expectations import LEVELS, Expectation, VendorAnswer
from kzappeals.conformance.protocol import Mismatch

LEVEL_OF: dict[str, str] = {part: level for level, parts in LEVELS.items() for part in parts}
FORWARDING = ("forward_3wd_notice", "forward_3wd_report")  # the dispositions that start the three working days (p23.pp1.ch2, p23.pp2.ch2)
EVERY_LEVEL = "every level"


@dataclass(frozen=True)
class PartResult:
    """One part of one answer: judged or not, right or wrong, and the clauses it rests on."""

    part: str
    judged: bool
    right: bool
    clauses: tuple[str, ...] = ()
    depends_on_unknown: tuple[str, ...] = ()

    @property
    def level(self) -> str:
        return LEVEL_OF[self.part]


@dataclass(frozen=True)
class Judgement:
    parts: tuple[PartResult, ...]
    mismatches: tuple[Mismatch, ...]

    @property
    def right(self) -> bool:
        return not self.mismatches


def judged_parts(levels: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The answer parts the levels cover, in report order."""
    wanted = {p for level in levels for p in LEVELS[level]}
    return tuple(p for parts in LEVELS.values() for p in parts if p in wanted)


def _alternatives(admissible: dict[str, tuple[str, ...]]) -> str:
    return " or ".join(f"{value} ({', '.join(provisions)})" if provisions else value for value, provisions in admissible.items())


def _value(v: object) -> str | None:
    return None if v is None else getattr(v, "value", str(v))


def _shown(v: str | None) -> str:
    return "null" if v is None else v


def judge(exp: Expectation, answer: VendorAnswer, levels: list[str] | tuple[str, ...]) -> Judgement:
    parts: list[PartResult] = []
    mismatches: list[Mismatch] = []

    def wrong(part: str, expected: list[str | None], provisions: list[str], actual: str | None, why: str) -> None:
        mismatches.append(Mismatch(part=part, level=LEVEL_OF[part], expected=expected, provisions=provisions,
                                   actual=actual, message=f"{part}: expected {why}, got {_shown(actual)}"))

    for part in judged_parts(levels):
        if part == "in_force":
            actual = answer.in_force
            ok = actual == exp.in_force
            parts.append(PartResult(part, True, ok, exp.in_force_clauses))
            if not ok:
                wrong(part, [exp.in_force], list(exp.in_force_clauses), actual, f"{exp.in_force} ({', '.join(exp.in_force_clauses)})")
        elif part == "forwarding_due":
            actual = _value(answer.forwarding_due)
            due = _value(exp.forwarding_due)
            disposition = exp.questions["disposition"].admissible
            basis = tuple(dict.fromkeys(c for v in FORWARDING for c in disposition.get(v, ())))
            ok = actual == due
            parts.append(PartResult(part, True, ok, basis))
            if not ok:
                wrong(part, [due], list(basis), actual,
                      f"{due} ({', '.join(basis)}: three working days)" if due else "null (nothing is forwarded)")
        else:
            q = exp.questions[part]
            actual = _value(getattr(answer, part))
            if q.status == "undetermined":
                parts.append(PartResult(part, False, True, depends_on_unknown=q.depends_on_unknown))
            elif q.status == "not_applicable":
                # Out of force, every question lapses with the Instruction itself (o165.p4, o165.footnote).
                basis = exp.in_force_clauses if exp.in_force != "in_force" else ()
                ok = actual is None
                parts.append(PartResult(part, True, ok, basis))
                if not ok:
                    wrong(part, [None], list(basis), actual, "null (the question does not arise)")
            else:
                ok = actual in q.admissible
                parts.append(PartResult(part, True, ok, q.clauses))
                if not ok:
                    provisions = list(dict.fromkeys(c for ps in q.admissible.values() for c in ps))
                    wrong(part, list(q.admissible), provisions, actual, _alternatives(q.admissible))
    return Judgement(tuple(parts), tuple(mismatches))


def errored_on_valid(message: str) -> Mismatch:
    """An ``errored`` result for a valid case: wrong on every level."""
    return Mismatch(part="outcome", level=EVERY_LEVEL, expected=["answer"], provisions=[], actual="errored",
                    message=f"outcome: expected an answer (the case is valid), got errored: {message}")


def answered_invalid(reason: str) -> Mismatch:
    """An answer to an error vector: the case is invalid and must be rejected."""
    return Mismatch(part="outcome", level=EVERY_LEVEL, expected=["errored"], provisions=[], actual="answer",
                    message=f"outcome: expected errored ({reason}), got an answer")


def signature(m: Mismatch) -> tuple:
    """What makes two failures the same failure: the part, the clauses, what was expected and what came."""
    return (m.part, tuple(sorted(m.provisions)), tuple(_shown(v) for v in m.expected), m.actual)
