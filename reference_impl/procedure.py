"""Which procedure governs the appeal: points 1 (with 2.1), 4, 5, 6 and 15.

Points 4-6 send their matters to another procedure by their own words, and
point 15 takes anonymous appeals out of consideration; the Instruction's own
procedure (point 1) is what is left (shared reading ``points-4-6-carve-out``
of spec/profiles.toml).
"""

from __future__ import annotations

from kzappeals.reference_impl.given import NOTHING, Given
from kzappeals.spec.vocabulary import Case, Procedure, Sender, Subject

# Enum members the conditions below compare with, bound once: looking a member up on its class
# costs more than the comparison itself. Each name is its member.
CRIME_REPORT = Subject.crime_report
PRESIDENTIAL_ADMINISTRATION = Sender.presidential_administration


_CRIMINAL_PROCEDURE_SUBJECTS = (Subject.crime_report, Subject.criminal_case_complaint, Subject.pretrial_complaint)
_COURT_ACT_SUBJECTS = (Subject.court_act_criminal, Subject.court_act_parole, Subject.court_act_civil, Subject.court_act_administrative)

_P1 = (Given("procedure", Procedure.instruction, "p1", ("p1", "p2.pp1")),)
# An appeal the Administration sends on is the Instruction's only where point 6 is read narrowly.
_P1_WHERE_P6_IS_NARROW = (Given("procedure", Procedure.instruction, "p1", ("p1", "p2.pp1"), reading="p6-own-documents"),)
_P4 = (Given("procedure", Procedure.criminal_procedure_code, "p4", ("p4",)),)
_P5 = (Given("procedure", Procedure.court_act_codes, "p5", ("p5",)),)
_P6 = (Given("procedure", Procedure.presidential_administration_rules, "p6", ("p6",)),)
_P6_READ_BROADLY = (Given("procedure", Procedure.presidential_administration_rules, "p6", ("p6",), reading="p6-covers-forwarded-appeals"),)
_P15_NOT_CONSIDERED = (Given("procedure", Procedure.not_considered, "p15", ("p15",)),)
_P15_FORWARD = (Given("procedure", Procedure.forward_to_state_bodies, "p15", ("p15",)),)


def point_1_the_instructions_own_procedure(case: Case) -> tuple[Given, ...]:
    """p1, with p2.pp1: "Инструкция ... детализирует вопросы рассмотрения обращений в органах
    ... прокуратуры"; an appeal is "предложение, заявление, жалоба, запрос или отклик" (p2.pp1).

    The default: every appeal that points 4, 5, 6 and 15 do not take elsewhere. Where point 6 takes
    it only on its broad reading (an appeal the Administration sends on), it is the default only under
    the narrow one.
    """
    if point_4_criminal_procedure_code(case) or point_5_court_acts(case) or point_15_anonymous_appeals(case):
        return NOTHING
    p6 = point_6_presidential_administration(case)
    if not p6:
        return _P1
    return _P1_WHERE_P6_IS_NARROW if p6 is _P6_READ_BROADLY else NOTHING


def point_4_criminal_procedure_code(case: Case) -> tuple[Given, ...]:
    """p4: "Заявления и сообщения о совершенном или готовящемся уголовном правонарушении, жалобы на
    действия и решения государственных органов и должностных лиц, осуществляющих производство по
    уголовному делу, рассматриваются в порядке, предусмотренном Уголовно-процессуальным кодексом".
    """
    return _P4 if case.subject in _CRIMINAL_PROCEDURE_SUBJECTS else NOTHING


def point_5_court_acts(case: Case) -> tuple[Given, ...]:
    """p5: "Жалобы и ходатайства о принесении протеста на судебные акты по уголовным делам, в том
    числе, по вопросам условно-досрочного освобождения ..., по гражданским делам и делам об
    административных правонарушениях рассматриваются в порядке ... УПК, ГПК и КоАП".
    """
    return _P5 if case.subject in _COURT_ACT_SUBJECTS else NOTHING


def point_6_presidential_administration(case: Case) -> tuple[Given, ...]:
    """p6: "Порядок работы с документами, поступившими из Администрации Президента ... определяется
    Правилами обращения с документами Администрации Президента".

    The Administration's own documents, on every reading; an appeal of someone else that it sends on,
    only on the broad one (``p6-covers-forwarded-appeals``); the narrow one (``p6-own-documents``) leaves
    it to the Instruction, as p54.pp5.a3 ("поступившие из Администрации Президента ...") presupposes.
    """
    if case.sender is not PRESIDENTIAL_ADMINISTRATION:
        return NOTHING
    return _P6 if case.administration_document else _P6_READ_BROADLY


def point_15_anonymous_appeals(case: Case) -> tuple[Given, ...]:
    """p15: "Анонимное обращение рассмотрению не подлежит, за исключением случаев, когда в таком
    обращении содержатся сведения о готовящихся или совершенных уголовных правонарушениях либо об
    угрозе государственной или общественной безопасности. Такое обращение подлежит немедленному
    направлению в государственные органы".
    """
    if not case.anonymous:
        return NOTHING
    if case.subject is CRIME_REPORT or case.security_threat:
        return _P15_FORWARD
    return _P15_NOT_CONSIDERED


PROVISIONS = (
    point_1_the_instructions_own_procedure,
    point_4_criminal_procedure_code,
    point_5_court_acts,
    point_6_presidential_administration,
    point_15_anonymous_appeals,
)
"""The procedure provisions, in text order."""
