"""The rule set evaluated on one case, without Z3: the specification's own decision.

Same trees, same :func:`kzappeals.spec.conditions.build`, same precedence as
:mod:`kzappeals.spec.compile`; a test checks the two agree on Z3's witnesses.
The reference implementation is checked against this decision over the whole
finite decision domain (tests/test_agreement.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from kzappeals.spec.case_models import answer_enums, decision_model
from kzappeals.spec.conditions import CaseOps, Expr, build, predicate
from kzappeals.spec.dispositions import FORWARDING
from kzappeals.spec.ruleset import Lapse, Profile, Rule, RuleSet, default_ruleset
from kzappeals.spec.vocabulary import QUESTIONS, Answer, Case, Decision, Determination

if TYPE_CHECKING:  # the calendar (and the holidays package) is loaded by what decides dates, not by verify
    from kzappeals.spec import calendar

_PREDICATES: WeakKeyDictionary[RuleSet, dict[str, Callable[[CaseOps], bool]]] = WeakKeyDictionary()


def _rule_predicates(rs: RuleSet) -> dict[str, Callable[[CaseOps], bool]]:
    """Each rule's condition built once per rule set (:func:`predicate`): the evaluator asks every rule
    of a question for every case it decides."""
    found = _PREDICATES.get(rs)
    if found is None:
        found = _PREDICATES[rs] = {r.id: predicate(r.when) for r in rs.rules}
    return found


class _AnsweredOps(CaseOps):
    """A condition that may name a question: "q in (values)" holds when some deciding rule answers q so."""

    def __init__(self, evaluation: Evaluation):
        super().__init__(evaluation.case, evaluation.ops.fires)
        self.evaluation = evaluation

    def output_in(self, output: str, values: frozenset[str]) -> bool:
        return any(r.then[output] in values for r in self.evaluation.deciding(output))


class Evaluation:
    """One case under one profile: which rules fire, which decide, what each question gets."""

    def __init__(self, rs: RuleSet, prof: Profile, case: Case):
        self.rs, self.prof, self.case = rs, prof, case
        self._fire: dict[str, bool] = {}
        self._deciding: dict[str, list[Rule]] = {}
        self._lapses: dict[str, list[Lapse]] = {}
        self._predicates = _rule_predicates(rs)
        # A rule of a reading the profile does not choose is no case "provided by" its clause here.
        self.ops = CaseOps(case, fires=lambda prefixes: any(prof.follows(r) and self.fire(r) for r in rs.provided_by(prefixes)))

    def holds(self, expr: Expr) -> bool:
        """A principle's or a lapse's condition: a question name means "some deciding rule answers it so"."""
        return build(expr, _AnsweredOps(self))

    def fire(self, r: Rule) -> bool:
        if r.id not in self._fire:
            self._fire[r.id] = self._predicates[r.id](self.ops)
        return self._fire[r.id]

    def gated(self, r: Rule | None, q: str) -> bool:
        """Under a gated profile, is this rule (or question scope) switched off for this case?"""
        return self.prof.gate and q != "procedure" and (r is None or r.gated) and not self.governed_by_instruction()

    def governed_by_instruction(self) -> bool:
        return {r.then["procedure"] for r in self.deciding("procedure")} == {"instruction"}

    def applies(self, r: Rule, q: str) -> bool:
        return self.prof.follows(r) and self.fire(r) and not self.gated(r, q) and not self.lapses(q)

    def lapses(self, q: str) -> list[Lapse]:
        """The ``[[lapse]]`` entries of ``q`` that hold: clauses saying the question does not arise."""
        if q not in self._lapses:
            self._lapses[q] = [lp for lp in self.rs.questions[q].lapses if self.holds(lp.when)]
        return self._lapses[q]

    def deciding(self, q: str) -> list[Rule]:
        if q not in self._deciding:
            # A rule decides where it applies and no applying rule overrides it: asked among the
            # applying rules only, since most of a question's rules do not apply to one case.
            applying = [r for r in self.rs.answering(q) if self.applies(r, q)]
            self._deciding[q] = [r for r in applying if not any(self.prof.overrides(s, r) for s in applying)]
        return self._deciding[q]

    def would_answer(self, q: str) -> set[str]:
        """Unknown provisions the case does not assert that, asserted, would let a rule answer ``q``."""
        found: set[str] = set()
        for r in self.rs.answering(q):
            missing = self.rs.unknowns(r) - self.case.unknown_provisions
            if missing:
                asserted = self.case.model_copy(update={"unknown_provisions": self.case.unknown_provisions | missing})
                if Evaluation(self.rs, self.prof, asserted).applies(r, q):
                    found |= missing
        return found

    def status(self, q: str) -> tuple[str, tuple[str, ...]]:
        """What :meth:`determination` says of ``q``, in plain strings: its status and the values the
        deciding rules give, in rule order (a draft may give a value the shipped enums lack: an
        amendment's ``[[value]]``)."""
        deciding = self.deciding(q)
        if deciding:
            values = tuple(dict.fromkeys(r.then[q] for r in deciding))
            question = self.rs.questions[q]
            return ("decided" if all(question.compatible_values(a, b) for a in values for b in values) else "ambiguous"), values
        if self.lapses(q):
            return "not_applicable", ()
        in_scope = build(self.rs.questions[q].required_when, self.ops) and not self.gated(None, q)
        return ("undetermined" if in_scope else "not_applicable"), ()

    def determination(self, q: str) -> Determination:
        question = self.rs.questions[q]
        status, values = self.status(q)
        deciding = self.deciding(q)
        if status == "not_applicable" and self.lapses(q):
            lapses = self.lapses(q)
            return Determination(
                status="not_applicable",
                basis=tuple(dict.fromkeys(c for lp in lapses for c in lp.clauses)),
                reason_en=" ".join(lp.reason_en for lp in lapses),
                reason_ru=" ".join(lp.reason_ru for lp in lapses),
            )
        if status == "not_applicable":
            reason_en = (
                "The question does not arise: the appeal is not governed by the Instruction's own procedure under this profile."
                if self.gated(None, q)
                else "The question does not arise for this appeal."
            )
            return Determination(status="not_applicable", reason_en=reason_en, reason_ru="Вопрос для этого обращения не возникает.")
        if status == "undetermined":
            unknown = sorted({*question.may_be_filled_by, *self.would_answer(q)})
            return Determination(
                status="undetermined",
                depends_on_unknown=tuple(unknown),
                reason_en="No provision of the amended text answers this question for this appeal."
                + (f" Provisions not in the sources may: {', '.join(unknown)}." if unknown else ""),
                reason_ru="Ни одна норма изменённого текста не отвечает на этот вопрос для данного обращения."
                + (f" Ответ могут давать отсутствующие в источниках нормы: {', '.join(unknown)}." if unknown else ""),
            )
        enum = answer_enums(self.rs)[q]
        answers = tuple(
            Answer[enum](  # type: ignore[valid-type]  # the question's own enum, chosen at run time
                value=enum(v),
                provisions=tuple(dict.fromkeys(r.provision(q) for r in deciding if r.then[q] == v)),
                clauses=tuple(dict.fromkeys(c for r in deciding if r.then[q] == v for c in r.clauses_for(q))),
            )
            for v in values
        )
        compatible = status == "decided"
        return Determination(
            status="decided" if compatible else "ambiguous",
            answers=answers,
            depends_on_unknown=tuple(sorted({u for r in deciding for u in self.rs.unknowns(r)})),
            reason_en="" if compatible else "The text gives several answers under this profile; all are admissible, none is picked.",
            reason_ru="" if compatible else "Текст даёт несколько ответов при этом толковании; допустимы все, ни один не выбран.",
        )


def spec_decision(
    case: Case,
    profile: str = "literal",
    rs: RuleSet | None = None,
    in_force: calendar.InForceParameters | None = None,
    receipt: calendar.ReceiptCounting | None = None,
) -> Decision:
    """What the rule set says of ``case`` under ``profile``, clause by clause (``receipt``: how the three
    working days are counted, by default ReceiptCounting.NEXT_DAY)."""
    from kzappeals.spec import calendar

    receipt = receipt or calendar.ReceiptCounting.NEXT_DAY
    rs = rs or default_ruleset()
    status = calendar.in_force_status(case.received_on, in_force or calendar.InForceParameters())
    if status.state != "in_force":
        off: Determination[Any] = Determination(status="not_applicable", reason_en=status.reason_en, reason_ru=status.reason_ru)
        return decision_model(rs)(
            profile=profile,
            in_force=status.state,
            in_force_clauses=status.clauses,
            in_force_assumed=status.assumed,
            **{q: off for q in QUESTIONS},  # type: ignore[arg-type]  # a field per question
            why=status.clauses,
        )
    ev = Evaluation(rs, rs.profiles[profile], case)
    dets = {q: ev.determination(q) for q in QUESTIONS}
    due: dt.date | None = None
    if any(a.value.value in FORWARDING for a in dets["disposition"].answers):
        due = calendar.forwarding_due(case.received_on, receipt)
    why = tuple(dict.fromkeys((*status.clauses, *(c for d in dets.values() for a in d.answers for c in a.clauses))))
    return decision_model(rs)(
        profile=profile,
        in_force=status.state,
        in_force_clauses=status.clauses,
        in_force_assumed=status.assumed,
        **dets,
        forwarding_due=due,
        why=why,
    )
