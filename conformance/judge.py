"""Judging one answer against an expectation, for the claimed levels only.

An answer is judged as a whole: it is right when, on the parts the claimed levels cover, it equals
one of the expectation's admissible complete answers (``Expectation.complete``). Per question
(routing: procedure, intake, handler, disposition; signature: signatory), by the expectation's
status:

* ``decided`` / ``ambiguous``: the value must be one of the admissible answers, and the choice made
  must be the one the other parts follow (a kept appeal has no forwarding date, a forwarded or
  returned one no signatory, p23, p54); a failure names the provisions behind each admissible answer.
* ``not_applicable``: the question does not arise, the value must be null.
* ``undetermined``: the amended text gives no answer; not judged, counted as
  outside the amended text with the provisions that would answer it.

``in_force`` (level in-force) must equal. ``forwarding_due`` (level deadlines) must equal the
expected date where the chosen disposition forwards, and be null where it does not.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from kzappeals.conformance.expectations import LEVELS, CompleteAnswer, Expectation, VendorAnswer, complete_answers
from kzappeals.conformance.protocol import Mismatch
from kzappeals.spec import calendar
from kzappeals.spec.dispositions import FORWARDING

LEVEL_OF: dict[str, str] = {part: level for level, parts in LEVELS.items() for part in parts}
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
    return _parts_of(tuple(levels))


@functools.cache
def _parts_of(levels: tuple[str, ...]) -> tuple[str, ...]:
    # Asked once per judgment, over a handful of distinct level sets.
    wanted = {p for level in levels for p in LEVELS[level]}
    return tuple(p for parts in LEVELS.values() for p in parts if p in wanted)


def _alternatives(admissible: dict[str, tuple[str, ...]]) -> str:
    return " or ".join(f"{value} ({', '.join(provisions)})" if provisions else value for value, provisions in admissible.items())


def _value(v: object) -> str | None:
    return None if v is None else getattr(v, "value", str(v))


def _shown(v: str | None) -> str:
    return "null" if v is None else v


def _part_value(c: CompleteAnswer, part: str) -> str | None:
    return _value(c.forwarding_due) if part == "forwarding_due" else getattr(c, part)


def _count(received_on: dt.date | None, due: str) -> str:
    """How the three working days reach ``due``, under the counting reading that gives it (kzappeals.spec.calendar)."""
    if received_on is None:
        return ""
    for reading in calendar.ReceiptCounting:
        if calendar.forwarding_due(received_on, reading).isoformat() == due:
            return f"; {calendar.explain_forwarding(received_on, reading)}"
    return ""


def judge(exp: Expectation, answer: VendorAnswer, levels: list[str] | tuple[str, ...], received_on: dt.date | None = None) -> Judgement:
    """The answer is right when, on the parts judged, it is one of the expectation's complete answers:
    a vendor may make any admissible choice, but one choice throughout (a kept appeal has no forwarding
    date; a forwarded one no signatory). A wrong part is reported against the complete answer nearest
    to the vendor's, expecting what would have made the whole answer right. ``received_on`` (the case's)
    lets a wrong deadline show how the working days are counted."""
    parts: list[PartResult] = []
    mismatches: list[Mismatch] = []

    def wrong(part: str, expected: list[str | None], provisions: list[str], actual: str | None, why: str) -> None:
        mismatches.append(
            Mismatch(
                part=part,
                level=LEVEL_OF[part],
                expected=expected,
                provisions=provisions,
                actual=actual,
                message=f"{part}: expected {why}, got {_shown(actual)}",
            )
        )

    wanted = judged_parts(levels)
    judged = [p for p in wanted if p != "in_force" and (p == "forwarding_due" or exp.questions[p].status != "undetermined")]
    given = {p: _value(getattr(answer, p)) for p in judged}
    candidates = exp.complete or complete_answers(exp.questions, exp.forwarding_due)

    def misses(c: CompleteAnswer) -> list[str]:
        return [p for p in judged if given[p] != _part_value(c, p)]

    nearest = min(candidates, key=lambda c: len(misses(c)))
    missed = misses(nearest)
    for part in wanted:
        if part == "in_force":
            actual = answer.in_force
            ok = actual == exp.in_force
            parts.append(PartResult(part, True, ok, exp.in_force_clauses))
            if not ok:
                wrong(part, [exp.in_force], list(exp.in_force_clauses), actual, f"{exp.in_force} ({', '.join(exp.in_force_clauses)})")
            continue
        if part not in judged:
            q = exp.questions[part]
            parts.append(PartResult(part, False, True, depends_on_unknown=q.depends_on_unknown))
            continue
        basis = _basis(exp, part, nearest)
        parts.append(PartResult(part, True, part not in missed, basis))
        if part not in missed:
            continue
        # What this part would have to be for the whole answer to be right, the vendor's other parts kept.
        fits = [c for c in candidates if all(given[o] == _part_value(c, o) for o in judged if o != part)] or [nearest]
        expected = list(dict.fromkeys(_part_value(c, part) for c in fits))
        alone = {_part_value(c, part) for c in candidates}
        mixed = " with the rest of this answer (one reading throughout)" if given[part] in alone else ""
        if part == "forwarding_due":
            due = expected[0]
            forwarding = tuple(dict.fromkeys(c for v in FORWARDING for c in exp.questions["disposition"].admissible.get(v, ())))
            wrong(
                part,
                expected,
                list(forwarding),
                given[part],
                (f"{due} ({', '.join(forwarding)}: three working days{_count(received_on, due)})" if due else "null (nothing is forwarded)")
                + mixed,
            )
            continue
        q = exp.questions[part]
        shown = {v: q.admissible.get(v, ()) for v in expected if v is not None}
        provisions = list(dict.fromkeys(c for ps in shown.values() for c in ps))
        texts = [_alternatives(shown)] if shown else []
        if None in expected:
            lapse = next((c.lapsed[part] for c in fits if _part_value(c, part) is None and part in c.lapsed), ())
            lapse = lapse or (exp.in_force_clauses if exp.in_force != "in_force" else q.clauses if q.status == "not_applicable" else ())
            provisions += [c for c in lapse if c not in provisions]
            texts.append(f"null (the question does not arise{': ' + ', '.join(lapse) if lapse and exp.in_force == 'in_force' else ''})")
        wrong(part, expected, provisions, given[part], " or ".join(texts) + mixed)
    # The root first: outside the in-force window every other part follows from that one mistake.
    mismatches.sort(key=lambda m: m.part != "in_force")
    return Judgement(tuple(parts), tuple(mismatches))


def _basis(exp: Expectation, part: str, nearest: CompleteAnswer) -> tuple[str, ...]:
    """The clauses a judged part rests on: the question's own, or for the deadline the forwarding rules."""
    if part == "forwarding_due":
        disposition = exp.questions["disposition"].admissible
        return tuple(dict.fromkeys(c for v in FORWARDING for c in disposition.get(v, ())))
    q = exp.questions[part]
    if q.status == "not_applicable" and exp.in_force != "in_force":
        # Out of force, every question lapses with the Instruction itself (o165.p4, o165.footnote).
        return exp.in_force_clauses
    return q.clauses or nearest.lapsed.get(part, ())


def errored_on_valid(message: str) -> Mismatch:
    """An ``errored`` result for a valid case: wrong on every level."""
    return Mismatch(
        part="outcome",
        level=EVERY_LEVEL,
        expected=["answer"],
        provisions=[],
        actual="errored",
        message=f"outcome: expected an answer (the case is valid), got errored: {message}",
    )


def answered_invalid(reason: str, clause: str) -> Mismatch:
    """An answer to an error vector: the case is incoherent (``clause`` is its coherence constraint's) and must be rejected."""
    return Mismatch(
        part="outcome",
        level=EVERY_LEVEL,
        expected=["errored"],
        provisions=[clause],
        actual="answer",
        message=f"outcome: expected errored ({reason}, {clause}), got an answer",
    )


def signature(m: Mismatch) -> tuple:
    """What makes two failures the same failure: the part, the clauses, what was expected and what came.

    A deadline is compared by how it is wrong (missing, unexpected, earlier, later), not by its date: one
    misreading of the count shows on every day of receipt, and is one failure."""
    if m.part == "forwarding_due":
        want, got = m.expected[0], m.actual
        how = "missing" if got is None else "unexpected" if want is None else "later" if got > want else "earlier"
        return (m.part, tuple(sorted(m.provisions)), how)
    return (m.part, tuple(sorted(m.provisions)), tuple(_shown(v) for v in m.expected), m.actual)
