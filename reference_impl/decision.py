"""Assembling a decision: entry into force, the five questions, the forwarding deadline.

Every provision that may speak of the case's body is asked, in text order;
for each question the profile removes the provisions that give way; what is
left decides the question:

- ``decided``: one answer, or several compatible ones (point 19 leaves the
  choice between the leadership and a structural subdivision to "the nature
  of the question", so naming the Prosecutor General (p20) or a structural
  subdivision (p23.ch3) refines it);
- ``ambiguous``: incompatible answers, all listed, none picked;
- ``undetermined``: nothing answers a question that must be answered
  (procedure, handler and signatory always; intake when the appeal came
  through the Call-centre; under lex-specialis the last three only for
  appeals the Instruction governs);
- ``not_applicable``: otherwise.

Outside the years the amended text is in force, every question is
``not_applicable`` with the calendar's reason: never a silent answer.

Speed: the provisions are asked for every case. What follows from their
answers (precedence, the statuses, the pydantic models) depends on nothing
else but the profile and three facts named in :func:`_assemble`, so it is
built once per distinct combination and shared; decisions are immutable.
"""

from __future__ import annotations

import datetime as dt
import functools
from enum import StrEnum

from kzappeals.reference_impl import intake, procedure, routing, signature
from kzappeals.reference_impl.given import Given, by_body
from kzappeals.reference_impl.profiles import Profile, deciding, profile_named
from kzappeals.spec import calendar
from kzappeals.spec.calendar import InForceParameters, ReceiptCounting
from kzappeals.spec.errors import InputError
from kzappeals.spec.vocabulary import QUESTIONS, Answer, Body, Case, Channel, Decision, Determination, Disposition, Handler, Procedure

NEXT_DAY = ReceiptCounting.NEXT_DAY
_RECEIPT_COUNTINGS = tuple(ReceiptCounting)

# Enum members compared with below, bound once (looking a member up on its class costs more than
# the comparison) and compared by identity.
GPO_DEPARTMENT = Body.gpo_department
DIRECT = Channel.direct
INSTRUCTION = Procedure.instruction
FORWARDING = (Disposition.forward_3wd_notice, Disposition.forward_3wd_report)

PROVISIONS_AT = by_body(procedure.PROVISIONS + intake.PROVISIONS + routing.PROVISIONS + signature.PROVISIONS)
"""For each body (``handled_at``), every provision that may speak of it, in text order of its
module: procedure, intake, routing, signature."""

MAY_BE_FILLED_BY: dict[str, tuple[str, ...]] = {
    # The Call-centre's Regulation is not in the sources (p18.ch2 refers to it).
    "intake": ("ext.call-centre-regulation",),
    # p26-1 names points 21, 22, 24-26 among the requirements on considering appeals: not in the sources.
    "handler": ("p21", "p22", "p24", "p25", "p26"),
}
"""Texts not in the sources that could answer a question none of the known provisions answers
(spec/questions.toml, ``may_be_filled_by``)."""

COMPATIBLE: frozenset[frozenset[StrEnum]] = frozenset(
    {
        frozenset({Handler.leadership_or_subdivision, Handler.structural_subdivision}),
        frozenset({Handler.leadership_or_subdivision, Handler.prosecutor_general}),
    }
)
"""Pairs of different answers that do not contradict each other (p19.ch1: "в зависимости от
характера вопроса")."""

_DETERMINATION = {q: Determination[e] for q, e in QUESTIONS.items()}  # type: ignore[valid-type]  # each question's own enum
_ANSWER = {q: Answer[e] for q, e in QUESTIONS.items()}  # type: ignore[valid-type]

_DOES_NOT_ARISE = ("The question does not arise for this appeal.", "Вопрос для этого обращения не возникает.")
_OUTSIDE_THE_INSTRUCTION = (
    "Under the lex-specialis profile the Instruction's own rules apply only to appeals whose procedure "
    "is the Instruction's (points 1, 4-6, 15); this appeal's procedure is {procedure}.",
    "При толковании lex specialis собственные нормы Инструкции применяются только к обращениям, "
    "рассматриваемым в порядке Инструкции (пункты 1, 4-6, 15); для этого обращения порядок: {procedure}.",
)
_NOTHING_ANSWERS = (
    "No provision of the amended text answers this question for this appeal. Provisions not in the sources may: {unknown}.",
    "Ни одна норма изменённого текста не отвечает на этот вопрос для данного обращения. Ответ могут "
    "давать отсутствующие в источниках нормы: {unknown}.",
)


# --- dates: entry into force and the forwarding deadline (pure functions of the date) -----------


@functools.lru_cache(maxsize=8192)
def _in_force(received_on: dt.date, params: InForceParameters | None) -> calendar.InForceStatus:
    return calendar.in_force_status(received_on, params if params is not None else InForceParameters())


@functools.lru_cache(maxsize=8192)
def _forwarding_due(received_on: dt.date, receipt: ReceiptCounting | str) -> dt.date:
    return calendar.forwarding_due(received_on, receipt)


# --- one question ---------------------------------------------------------------------------------


def _required(question: str, gate_open: bool, came_directly: bool) -> bool:
    """spec/questions.toml ``required_when``; under lex-specialis only inside the gate."""
    if question == "procedure":
        return True
    if not gate_open or question == "disposition":
        return False
    if question == "intake":
        return not came_directly
    return True  # handler, signatory


def _unknown_that_would_answer(question: str, asserted: frozenset[str], at_department: bool) -> tuple[str, ...]:
    """Provisions not in the sources that would answer ``question`` for this case if asserted."""
    would: tuple[str, ...]
    if question == "handler":
        would = ("p20.list",) if at_department else ()  # see routing.point_20_list_to_the_prosecutor_general
    elif question == "signatory":
        would = ("p54.pp1", "p54.pp2")
    else:
        would = ()
    return tuple(p for p in would if p not in asserted)


# Determinations are immutable and finitely many: each distinct one is built once and kept.
_DETERMINATIONS: dict[tuple, Determination] = {}


def _decided_or_ambiguous(question: str, given: tuple[Given, ...]) -> Determination:
    """From the deciding provisions (non-empty), grouped by answer in order of first appearance."""
    key = (question, given)
    found = _DETERMINATIONS.get(key)
    if found is not None:
        return found
    by_value: dict[StrEnum, list[Given]] = {}
    for g in given:
        by_value.setdefault(g.value, []).append(g)
    answers = tuple(
        _ANSWER[question].model_construct(
            value=value,
            provisions=tuple(dict.fromkeys(g.provision for g in gs)),
            clauses=tuple(dict.fromkeys(c for g in gs for c in g.clauses)),
        )
        for value, gs in by_value.items()
    )
    values = list(by_value)
    compatible = all(frozenset((a, b)) in COMPATIBLE for i, a in enumerate(values) for b in values[i + 1 :])
    found = _DETERMINATIONS[key] = _DETERMINATION[question].model_construct(
        status="decided" if compatible else "ambiguous",
        answers=answers,
        reason_en="",
        reason_ru="",
        depends_on_unknown=tuple(sorted({u for g in given for u in g.rests_on_unknown})),
    )
    return found


def _undetermined(question: str, unknown: tuple[str, ...]) -> Determination:
    key = (question, "undetermined", unknown)
    found = _DETERMINATIONS.get(key)
    if found is None:
        listed = ", ".join(unknown)
        found = _DETERMINATIONS[key] = _DETERMINATION[question].model_construct(
            status="undetermined",
            answers=(),
            reason_en=_NOTHING_ANSWERS[0].format(unknown=listed or "none"),
            reason_ru=_NOTHING_ANSWERS[1].format(unknown=listed or "нет"),
            depends_on_unknown=unknown,
        )
    return found


def _not_applicable(question: str, reason_en: str, reason_ru: str, basis: tuple[str, ...] = ()) -> Determination:
    key = (question, "not_applicable", reason_en, reason_ru, basis)
    found = _DETERMINATIONS.get(key)
    if found is None:
        found = _DETERMINATIONS[key] = _DETERMINATION[question].model_construct(
            status="not_applicable", answers=(), reason_en=reason_en, reason_ru=reason_ru, depends_on_unknown=(), basis=basis
        )
    return found


_HANDLER_AT = list(QUESTIONS).index("handler")
_DISPOSITION_AT = list(QUESTIONS).index("disposition")
NOT_CONSIDERED = Procedure.not_considered
_NOT_CONSIDERED_LAPSES = ("handler", "disposition", "signatory")
_ANONYMOUS = (
    "The question does not arise: an anonymous appeal 'рассмотрению не подлежит' (p15).",
    "Вопрос не возникает: анонимное обращение рассмотрению не подлежит (пункт 15).",
)
NOT_ANSWERED_HERE: dict[StrEnum, tuple[str, ...]] = {
    # p23.pp1.ch2: "направляются ... с письменным уведомлением заявителя": a notice, not an answer.
    Disposition.forward_3wd_notice: ("p23.pp1.ch2",),
    # p23.pp2.ch2: "направляются для рассмотрения и дачи ответа в соответствующие прокуратуры".
    Disposition.forward_3wd_report: ("p23.pp2.ch2",),
    # p23.pp3.ch2, ch3: "возвращается без рассмотрения".
    Disposition.returned_without_consideration: ("p23.pp3.ch2", "p23.pp3.ch3"),
}
"""Dispositions after which the body gives no answer of its own: point 54 says who gives the
answer ("кем дается ответ"), so who signs does not arise, with the clause that says why."""
_NOT_ANSWERED = (
    "The question does not arise: this body forwards or returns the appeal ({clauses}) and gives no answer on it.",
    "Вопрос не возникает: орган направляет или возвращает обращение ({clauses}) и ответа по нему не дает.",
)
SENT_UP = Handler.gpo_structural_subdivision
# p23.ch5 read word for word: the body sends the appeal "для рассмотрения в структурные подразделения
# Генеральной прокуратуры" (p23.ch3); it is considered, and answered, there.
_SENT_UP_BASIS = ("p23.ch5", "p23.ch3")
_SENT_UP = (
    "The question does not arise at this body: it sends the appeal for consideration to the structural "
    "subdivisions of the Prosecutor General's Office (p23.ch5, p23.ch3); the answer is given there.",
    "Вопрос в этом органе не возникает: обращение направляется для рассмотрения в структурные подразделения "
    "Генеральной прокуратуры (пункт 23, части 5 и 3); ответ дается там.",
)


def _lapsed(
    question: str, procedure_given: list[Given], handler: Determination | None, disposition: Determination | None
) -> Determination | None:
    """Whether a clause says ``question`` does not arise, whatever the profile: an appeal point 15 does
    not consider has no handler, disposition or signatory; one the body only forwards, returns or sends
    up to the Office's subdivisions, no signatory there. Only where every deciding provision says so:
    where the text also keeps the appeal, the question is asked."""
    if question in _NOT_CONSIDERED_LAPSES and procedure_given and all(g.value is NOT_CONSIDERED for g in procedure_given):
        return _not_applicable(question, *_ANONYMOUS, ("p15",))
    if question == "signatory" and handler is not None and handler.answers and all(a.value is SENT_UP for a in handler.answers):
        return _not_applicable(question, *_SENT_UP, _SENT_UP_BASIS)
    if question == "signatory" and disposition is not None and disposition.answers:
        values = [a.value for a in disposition.answers]
        if all(v in NOT_ANSWERED_HERE for v in values):
            basis = tuple(dict.fromkeys(c for v in NOT_ANSWERED_HERE if v in values for c in NOT_ANSWERED_HERE[v]))
            listed = ", ".join(basis)
            return _not_applicable(question, _NOT_ANSWERED[0].format(clauses=listed), _NOT_ANSWERED[1].format(clauses=listed), basis)
    return None


def _outside_the_instruction(question: str, procedure_answers: Determination) -> Determination:
    procedures = ", ".join(a.value.value for a in procedure_answers.answers) or "undetermined"
    return _not_applicable(
        question, _OUTSIDE_THE_INSTRUCTION[0].format(procedure=procedures), _OUTSIDE_THE_INSTRUCTION[1].format(procedure=procedures)
    )


# --- the whole decision ---------------------------------------------------------------------------


def _assemble(
    chosen: Profile, given: tuple[Given, ...], came_directly: bool, asserted: frozenset[str], at_department: bool
) -> tuple[tuple[Determination, ...], bool]:
    """The five determinations, and whether the appeal is to be forwarded within three working days.

    Args:
        chosen: the profile.
        given: every answer the provisions give for the case, in text order.
        came_directly: ``channel == direct`` (whether intake must be answered).
        asserted: the case's ``unknown_provisions`` (what an undetermined question depends on).
        at_department: ``handled_at == gpo_department`` (where p20.list could answer).
    """
    by_question: dict[str, list[Given]] = {q: [] for q in QUESTIONS}
    for g in given:
        if not g.reading or g.reading in chosen.readings:  # an answer of a reading the profile does not choose
            by_question[g.question].append(g)

    procedure_given = deciding(chosen, by_question["procedure"])
    # lex-specialis: the Instruction's own rules apply only to appeals whose procedure is its own.
    gate_open = not chosen.gate or (bool(procedure_given) and all(g.value is INSTRUCTION for g in procedure_given))
    determinations: list[Determination] = []
    for question in QUESTIONS:
        handler = determinations[_HANDLER_AT] if len(determinations) > _HANDLER_AT else None
        disposition = determinations[_DISPOSITION_AT] if len(determinations) > _DISPOSITION_AT else None
        lapsed = _lapsed(question, procedure_given, handler, disposition)
        if lapsed is not None:
            determinations.append(lapsed)
            continue
        applying = by_question[question]
        if question != "procedure" and not gate_open:
            applying = [g for g in applying if not g.gated]
        decide_it = procedure_given if question == "procedure" else deciding(chosen, applying)
        if decide_it:
            determinations.append(_decided_or_ambiguous(question, tuple(decide_it)))
        elif _required(question, gate_open, came_directly):
            unknown = set(MAY_BE_FILLED_BY.get(question, ())) | set(_unknown_that_would_answer(question, asserted, at_department))
            determinations.append(_undetermined(question, tuple(sorted(unknown))))
        elif not gate_open:
            determinations.append(_outside_the_instruction(question, determinations[0]))
        else:
            determinations.append(_not_applicable(question, *_DOES_NOT_ARISE))
    disposition = determinations[list(QUESTIONS).index("disposition")]
    return tuple(determinations), any(a.value in FORWARDING for a in disposition.answers)


class _Assembled:
    """One assembled combination and the decisions made from it: one per in-force clauses, copied
    for each forwarding deadline (the only part of a decision that depends on the day)."""

    __slots__ = ("decisions", "determinations", "forwards")

    def __init__(self, determinations: tuple[Determination, ...], forwards: bool) -> None:
        self.determinations = determinations
        self.forwards = forwards
        self.decisions: dict[tuple, Decision] = {}

    def decision(self, profile: str, in_force_clauses: tuple[str, ...], assumed: bool, due: dt.date | None) -> Decision:
        found = self.decisions.get((in_force_clauses, assumed, due))
        if found is not None:
            return found
        undated = self.decisions.get((in_force_clauses, assumed, None))
        if undated is None:
            why = tuple(dict.fromkeys(in_force_clauses + tuple(c for d in self.determinations for a in d.answers for c in a.clauses)))
            undated = self.decisions[(in_force_clauses, assumed, None)] = Decision.model_construct(
                profile=profile,
                in_force="in_force",
                in_force_clauses=in_force_clauses,
                in_force_assumed=assumed,
                forwarding_due=None,
                why=why,
                **dict(zip(QUESTIONS, self.determinations)),  # type: ignore[arg-type]  # a field per question
            )
        if due is None:
            return undated
        if len(self.decisions) >= 4096:  # a bound on memory: one per receipt day
            self.decisions = {(in_force_clauses, assumed, None): undated}
        found = self.decisions[(in_force_clauses, assumed, due)] = undated.model_copy(update={"forwarding_due": due})
        return found


_ASSEMBLED: dict[tuple, _Assembled] = {}
_ASSEMBLED_KEPT = (
    10_000  # a bound on memory: 100,000 decisions under every profile peak at 84 MB instead of 332 MB (bench_decide.py --memory)
)
_NOT_IN_FORCE: dict[tuple, Decision] = {}


def _not_in_force(profile: str, status: calendar.InForceStatus) -> Decision:
    """Every question not applicable, with the calendar's reasons: never a silent answer."""
    key = (profile, status.state, status.clauses, status.reason_en, status.reason_ru, status.assumed)
    found = _NOT_IN_FORCE.get(key)
    if found is None:
        if len(_NOT_IN_FORCE) >= _ASSEMBLED_KEPT:
            _NOT_IN_FORCE.clear()
        na = {q: _not_applicable(q, status.reason_en, status.reason_ru) for q in QUESTIONS}
        found = _NOT_IN_FORCE[key] = Decision.model_construct(
            profile=profile,
            in_force=status.state,
            in_force_clauses=status.clauses,
            in_force_assumed=status.assumed,
            forwarding_due=None,
            why=status.clauses,
            **na,  # type: ignore[arg-type]  # a field per question
        )
    return found


def decide(
    case: Case, profile: str = "literal", in_force: InForceParameters | None = None, receipt: ReceiptCounting = NEXT_DAY
) -> Decision:
    """What the amended Instruction says of ``case`` under ``profile``.

    Args:
        case: the appeal (validated, so coherent).
        profile: "literal", "residual-yields", "subpoint-order" or "lex-specialis".
        in_force: publication dates of orders No. 165 and No. 72 (default: the registration dates,
            an assumption; see kzappeals.spec.calendar).
        receipt: how the three working days of p23.pp1.ch2, p23.pp2.ch2 (and p23.ch2) are counted.

    Raises:
        InputError: unknown profile or reading, or a forwarding deadline outside the calendar.
    """
    if receipt not in _RECEIPT_COUNTINGS:
        names = ", ".join(r.value for r in ReceiptCounting)
        raise InputError("receipt", f"{receipt!r} is not a ReceiptCounting ({names})", "p23.pp1.ch2")
    status = _in_force(case.received_on, in_force)
    if status.state != "in_force":
        return _not_in_force(profile_named(profile).name, status)

    given = tuple([g for provision in PROVISIONS_AT[case.handled_at] for g in provision(case)])
    came_directly = case.channel is DIRECT
    at_department = case.handled_at is GPO_DEPARTMENT
    key = (profile, given, came_directly, case.unknown_provisions, at_department)
    assembled = _ASSEMBLED.get(key)
    if assembled is None:  # (a known profile name is in every stored key)
        chosen = profile_named(profile)
        if len(_ASSEMBLED) >= _ASSEMBLED_KEPT:
            _ASSEMBLED.clear()
        assembled = _ASSEMBLED[key] = _Assembled(*_assemble(chosen, given, came_directly, case.unknown_provisions, at_department))
    due = _forwarding_due(case.received_on, receipt) if assembled.forwards else None
    return assembled.decision(profile, status.clauses, status.assumed, due)
