"""Who considers the appeal, and whether it is forwarded, kept or returned:
points 19 (part 1), 20 (the list, not in the sources), 23 and 26-1.

``handled_at`` is where the appeal is received and handled. An appeal
received by the Prosecutor General's Office through its Department is
``gpo_department`` (point 19 and the lead-in of point 23, "Департаментом ...
рассматриваются", speak of it); one received directly by another structural
subdivision of the Office is ``gpo_subdivision`` (shared reading
``p19-via-department``).
"""

from __future__ import annotations

from kzappeals.reference_impl.given import NOTHING, Given, speaks_of
from kzappeals.spec.vocabulary import Body, Case, Cassation, Competence, Disposition, EarlierAnswerBy, Handler, Subject

# Enum members the conditions below compare with, bound once: looking a member up on its class
# costs more than the comparison itself. Each name is its member.
GPO_DEPARTMENT = Body.gpo_department
NO_CASSATION_PETITION = Cassation.none
ANSWERED_BY_REGIONAL_PROSECUTOR = EarlierAnswerBy.regional_prosecutor
ANSWERED_BY_DISTRICT_PROSECUTOR = EarlierAnswerBy.district_prosecutor
APPEALS_PROCEDURE_EXPLANATION = Subject.appeals_procedure_explanation


# The questions these provisions answer (a Given names its question)
HANDLER, DISPOSITION = "handler", "disposition"

# Bodies named by the rules that extend point 19 and point 23 to other bodies.
_AGENCIES_AND_INSTITUTIONS = (Body.agency, Body.institution)
_PART_2_BODIES = (Body.gpo_subdivision, Body.agency, Body.institution, Body.regional)
_P54_PP5_BODIES = (Body.agency, Body.institution, Body.regional)  # p54.pp5.a1: the regional level
_PART_5_BODIES = (Body.agency, Body.institution, Body.regional)
# Part 3 (with part 4) covers appeals received by the Prosecutor General's Office, whichever of its units
# received them: it names no receiving unit, and part 5 extends it to every other body but district
# offices. (The lead's reading is (Body.gpo_department,): see tests/test_agreement.py.)
PART_3_BODIES = (Body.gpo_department, Body.gpo_subdivision, Body.gpo_leadership)
_DOWNWARD = (Competence.lower_prosecutor, Competence.other_body)


# --- the conditions of point 23, in the words of its first parts -------------------------------


def _primary_appeal_to_forward_down(case: Case) -> bool:
    """p23.pp1.ch1: "первичные обращения ... (кроме депутатского запроса) ..., не требующие
    направления информаций и подлежащие направлению в нижестоящие прокуратуры, другие ведомства
    по территориальности либо подведомственности"."""
    return not case.repeated and not case.deputy_inquiry and not case.report_required and case.competent in _DOWNWARD


def _repeated_without_the_regional_answer(case: Case) -> bool:
    """p23.pp2.ch1: "повторные обращения, поступившие от одного и того же лица по одному и тому же
    вопросу без приложения ответа прокурора области, приравненного к нему прокурора"."""
    return case.repeated and not (case.earlier_answer_by is ANSWERED_BY_REGIONAL_PROSECUTOR and case.earlier_answer_attached)


def _states_a_regional_answer_not_attached(case: Case) -> bool:
    """p23.pp2.ch3: "Если заявителем в обращении указывается о получении ответа прокурора области
    или лица его замещающего" (in subpoint 2), whose appeals come without the answer attached)."""
    return case.repeated and case.earlier_answer_by is ANSWERED_BY_REGIONAL_PROSECUTOR and not case.earlier_answer_attached


def _resonant_primary_appeal(case: Case) -> bool:
    """p23.ch3: "Первичные обращения о нарушениях конституционных прав и свобод граждан, имеющие
    большой общественный резонанс, по вопросам, затрагивающим интересы государства, группы людей и
    отдельных граждан, могущих привести к различным негативным последствиям, а также по которым
    имеются поручения Генерального Прокурора и его заместителей".

    Three groups, each its own fact (shared reading ``ch3-three-groups``), all of them primary
    appeals: "первичные" governs all three (shared reading ``resonance-primary-only``)."""
    return not case.repeated and (case.public_resonance or case.interests_at_risk or case.pg_instruction)


# --- point 19, part 1 ---------------------------------------------------------------------------

_P19_CH1 = (Given(HANDLER, Handler.leadership_or_subdivision, "p19.ch1", ("p19.ch1",)),)


@speaks_of(Body.gpo_department)
def point_19_part_1_department_passes_on(case: Case) -> tuple[Given, ...]:
    """p19.ch1: "Поступившие в Генеральную прокуратуру обращения Департаментом ... передаются на
    доклад руководству Генеральной прокуратуры либо в структурные подразделения Генеральной
    прокуратуры в зависимости от характера вопроса"."""
    return _P19_CH1 if case.handled_at is GPO_DEPARTMENT else NOTHING


# --- point 20: the list is not in the sources -------------------------------------------------

_P20_LIST = (Given(HANDLER, Handler.prosecutor_general, "p20.list", ("p20.list", "p20.ch1"), rests_on_unknown=("p20.list",)),)


@speaks_of(Body.gpo_department)
def point_20_list_to_the_prosecutor_general(case: Case) -> tuple[Given, ...]:
    """p20.ch1 with its list (p20.list, not in the sources): "Генеральному Прокурору либо лицу, его
    замещающему, на рассмотрение передаются: ...".

    Applies when the case asserts "p20.list" (the appeal is one the list names) and the appeal was
    received by the Prosecutor General's Office through its Department (point 20 continues point
    19; point 26-1 extends 19, 21-22, 24-26 to agencies and institutions, not 20).
    """
    if "p20.list" in case.unknown_provisions and case.handled_at is GPO_DEPARTMENT:
        return _P20_LIST
    return NOTHING


# --- point 23 -----------------------------------------------------------------------------------

_P23_PP1_CH1 = (Given(HANDLER, Handler.appeals_department, "p23.pp1.ch1", ("p23.pp1.ch1", "p23.ch1")),)
_P23_PP1_CH2 = (Given(DISPOSITION, Disposition.forward_3wd_notice, "p23.pp1.ch2", ("p23.pp1.ch2", "p23.pp1.ch1", "p23.ch1")),)
_P23_PP2_CH1 = (Given(HANDLER, Handler.appeals_department, "p23.pp2.ch1", ("p23.pp2.ch1", "p23.ch1")),)
_P23_PP2_CH2 = (Given(DISPOSITION, Disposition.forward_3wd_report, "p23.pp2.ch2", ("p23.pp2.ch2", "p23.pp2.ch1", "p23.ch1")),)
_P23_PP2_CH3_NOT_IN_EIAS = (
    Given(DISPOSITION, Disposition.forward_3wd_report, "p23.pp2.ch3", ("p23.pp2.ch3", "p23.pp2.ch2", "p23.pp2.ch1", "p23.ch1")),
)
_P23_PP2_CH3_IN_EIAS = (Given(DISPOSITION, Disposition.considered_in_gpo, "p23.pp2.ch3", ("p23.pp2.ch3", "p23.pp2.ch1", "p23.ch1")),)
_P23_PP3_CH2 = (
    Given(
        HANDLER,
        Handler.appeals_department,
        "p23.pp3.ch2",
        ("p23.pp3.ch2", "p23.pp3.ch1", "p23.ch1", "ext.upk.a489", "ext.gpk.a442"),
        gated=False,
    ),
    Given(
        DISPOSITION,
        Disposition.returned_without_consideration,
        "p23.pp3.ch2",
        ("p23.pp3.ch2", "p23.pp3.ch1", "p23.ch1", "ext.upk.a489", "ext.gpk.a442"),
        gated=False,
    ),
)
_P23_PP3_CH3 = (
    Given(
        HANDLER,
        Handler.appeals_department,
        "p23.pp3.ch3",
        ("p23.pp3.ch3", "p23.pp3.ch1", "p23.ch1", "ext.upk.a487", "ext.gpk.a436.ch1"),
        gated=False,
    ),
    Given(
        DISPOSITION,
        Disposition.returned_without_consideration,
        "p23.pp3.ch3",
        ("p23.pp3.ch3", "p23.pp3.ch1", "p23.ch1", "ext.upk.a487", "ext.gpk.a436.ch1"),
        gated=False,
    ),
)
_P23_PP4 = (Given(HANDLER, Handler.appeals_department, "p23.pp4", ("p23.pp4", "p23.ch1")),)
_P23_CH2_OF_PP1 = (
    Given(DISPOSITION, Disposition.forward_3wd_notice, "p23.ch2", ("p23.ch2", "p23.pp1.ch2", "p23.pp1.ch1"), rule="p23.ch2/pp1"),
)
_P23_CH2_OF_PP2_WORD_FOR_WORD = Given(
    DISPOSITION,
    Disposition.forward_3wd_report,
    "p23.ch2",
    ("p23.ch2", "p23.pp2.ch2", "p23.pp2.ch1"),
    rule="p23.ch2/pp2",
    reading="ch2-repeated-word-for-word",
)
_P23_CH2_OF_PP2_ANSWERED_BELOW_STAYS = Given(
    DISPOSITION,
    Disposition.forward_3wd_report,
    "p23.ch2",
    ("p23.ch2", "p23.pp2.ch2", "p23.pp2.ch1", "p54.pp5.a4"),
    rule="p23.ch2/pp2-answered-below",
    reading="ch2-answered-below-stays",
)
_P23_CH2_OF_PP2 = (_P23_CH2_OF_PP2_WORD_FOR_WORD, _P23_CH2_OF_PP2_ANSWERED_BELOW_STAYS)
_P23_CH2_OF_PP2_ANSWERED_BELOW = (_P23_CH2_OF_PP2_WORD_FOR_WORD,)
_P23_CH3 = (Given(HANDLER, Handler.structural_subdivision, "p23.ch3", ("p23.ch3",)),)
_P23_CH4 = (Given(DISPOSITION, Disposition.no_downward_forwarding, "p23.ch4", ("p23.ch4", "p23.ch3")),)
# Part 5 extends part 3's "направлению для рассмотрения в структурные подразделения Генеральной
# прокуратуры" to other bodies: word for word, they send the appeal up to the Office; read mutatis
# mutandis, they pass it to their own subdivisions. The text leaves it open: each profile chooses.
_P23_CH5 = (
    Given(
        HANDLER, Handler.gpo_structural_subdivision, "p23.ch5", ("p23.ch5", "p23.ch3"), rule="p23.ch5/up", reading="ch5-gpo-subdivisions"
    ),
    Given(
        DISPOSITION,
        Disposition.no_downward_forwarding,
        "p23.ch5",
        ("p23.ch5", "p23.ch4", "p23.ch3"),
        rule="p23.ch5/up",
        reading="ch5-gpo-subdivisions",
    ),
    Given(HANDLER, Handler.structural_subdivision, "p23.ch5", ("p23.ch5", "p23.ch3"), rule="p23.ch5/own", reading="ch5-own-subdivisions"),
    Given(
        DISPOSITION,
        Disposition.no_downward_forwarding,
        "p23.ch5",
        ("p23.ch5", "p23.ch4", "p23.ch3"),
        rule="p23.ch5/own",
        reading="ch5-own-subdivisions",
    ),
)


@speaks_of(Body.gpo_department)
def point_23_subpoint_1_part_1_department_considers_primary_appeals(case: Case) -> tuple[Given, ...]:
    """p23.ch1 with p23.pp1.ch1: "Департаментом ... рассматриваются: 1) первичные обращения, в том
    числе, поступившие от депутатов, должностных лиц Парламента ... (кроме депутатского запроса),
    ..., не требующие направления информаций и подлежащие направлению в нижестоящие прокуратуры,
    другие ведомства по территориальности либо подведомственности"."""
    if case.handled_at is GPO_DEPARTMENT and _primary_appeal_to_forward_down(case):
        return _P23_PP1_CH1
    return NOTHING


@speaks_of(Body.gpo_department)
def point_23_subpoint_1_part_2_primary_forwarded_within_3_working_days(case: Case) -> tuple[Given, ...]:
    """p23.pp1.ch2: "Первичные обращения в срок не позднее трех рабочих дней с момента поступления в
    Генеральную прокуратуру направляются для рассмотрения в нижестоящие прокуратуры, другие
    ведомства с письменным уведомлением заявителя"."""
    if case.handled_at is GPO_DEPARTMENT and _primary_appeal_to_forward_down(case):
        return _P23_PP1_CH2
    return NOTHING


@speaks_of(Body.gpo_department)
def point_23_subpoint_2_part_1_department_considers_repeated_appeals(case: Case) -> tuple[Given, ...]:
    """p23.ch1 with p23.pp2.ch1: "Департаментом ... рассматриваются: ... 2) повторные обращения,
    поступившие от одного и того же лица по одному и тому же вопросу без приложения ответа
    прокурора области, приравненного к нему прокурора"."""
    if case.handled_at is GPO_DEPARTMENT and _repeated_without_the_regional_answer(case):
        return _P23_PP2_CH1
    return NOTHING


@speaks_of(Body.gpo_department)
def point_23_subpoint_2_part_2_repeated_forwarded_with_report(case: Case) -> tuple[Given, ...]:
    """p23.pp2.ch2: "Повторные обращения, поступившие без приложения ответа прокурора области,
    приравненного к нему прокурора, не позднее трех рабочих дней с момента поступления ...
    направляются ... в соответствующие прокуратуры с требованием проинформировать о результатах
    их рассмотрения за подписью первого руководителя"; read with its part 3 ("Если заявителем в
    обращении указывается о получении ответа прокурора области ... только после предварительной
    проверки")."""
    if (
        case.handled_at is GPO_DEPARTMENT
        and _repeated_without_the_regional_answer(case)
        # Part 3 is this rule's own proviso ("только после предварительной проверки"), not a rival
        # rule: where the applicant states a regional answer, part 3 alone says what is done.
        and not _states_a_regional_answer_not_attached(case)
    ):
        return _P23_PP2_CH2
    return NOTHING


@speaks_of(Body.gpo_department)
def point_23_subpoint_2_part_3_regional_answer_checked_in_eias(case: Case) -> tuple[Given, ...]:
    """p23.pp2.ch3: "обращение подлежит направлению в нижестоящую прокуратуру только после
    предварительной проверки фактического наличия ответа в ЕИАС. Если ответ прокурора области ...
    имеется, обращение подлежит рассмотрению в Генеральной прокуратуре".

    Not found in ЕИАС: forwarded as subpoint 2) says. Found: considered in the Office (by whom,
    the text does not say: no handler answer).
    """
    if case.handled_at is not GPO_DEPARTMENT or not _states_a_regional_answer_not_attached(case):
        return NOTHING
    return _P23_PP2_CH3_IN_EIAS if case.earlier_answer_in_eias else _P23_PP2_CH3_NOT_IN_EIAS


@speaks_of(Body.gpo_department)
def point_23_subpoint_3_part_2_defective_cassation_petition_returned(case: Case) -> tuple[Given, ...]:
    """p23.pp3.ch1-ch2: "ходатайства о принесении кассационного протеста ..., не соответствующие
    требованиям статей 423, 488 УПК, статьям 441, 436 ГПК" ... "возвращается без рассмотрения".

    Applies whatever the procedure (the Department returns the petition by its own words, applying
    the УПК and ГПК).
    """
    if case.handled_at is GPO_DEPARTMENT and case.cassation is not NO_CASSATION_PETITION and case.cassation_defective:
        return _P23_PP3_CH2
    return NOTHING


@speaks_of(Body.gpo_department)
def point_23_subpoint_3_part_3_late_cassation_petition_returned(case: Case) -> tuple[Given, ...]:
    """p23.pp3.ch3: "Ходатайства о принесении кассационного протеста на судебные акты, по которым
    истекли сроки кассационного опротестования, ... возвращаются без рассмотрения с соответствующим
    разъяснением закона". Applies whatever the procedure, as part 2."""
    if case.handled_at is GPO_DEPARTMENT and case.cassation is not NO_CASSATION_PETITION and case.cassation_term_expired:
        return _P23_PP3_CH3
    return NOTHING


@speaks_of(Body.gpo_department)
def point_23_subpoint_4_explaining_the_appeals_procedure(case: Case) -> tuple[Given, ...]:
    """p23.pp4: "Департаментом ... рассматриваются: ... 4) обращения, по которым требуется
    разъяснение законодательства о порядке рассмотрения обращений и приема физических лиц"."""
    if case.handled_at is GPO_DEPARTMENT and case.subject is APPEALS_PROCEDURE_EXPLANATION:
        return _P23_PP4
    return NOTHING


@speaks_of(_PART_2_BODIES)
def point_23_part_2_extends_subpoint_1_part_2(case: Case) -> tuple[Given, ...]:
    """p23.ch2: "Требования, предусмотренные частями вторыми подпунктов 1), 2) настоящего пункта,
    распространяются на обращения аналогичного характера, поступившие в структурные подразделения
    Генеральной прокуратуры, ведомства и учреждения прокуратуры, прокуратуры областей".

    The second part of subpoint 1): primary appeals to forward down, within three working days,
    with notice (shared reading ``similar-nature``: the class of p23.pp1.ch1).
    """
    if case.handled_at in _PART_2_BODIES and _primary_appeal_to_forward_down(case):
        return _P23_CH2_OF_PP1
    return NOTHING


@speaks_of(_PART_2_BODIES)
def point_23_part_2_extends_subpoint_2_part_2(case: Case) -> tuple[Given, ...]:
    """p23.ch2 ("Требования, предусмотренные частями вторыми подпунктов 1), 2) ... распространяются на
    обращения аналогичного характера"), the second part of subpoint 2): repeated appeals "поступившие без
    приложения ответа прокурора области", forwarded within three working days with a demand to report.

    Where a district prosecutor already answered and the body is one p54.pp5.a4 names ("связанные с
    предыдущими обращениями, по которым ранее дан ответ прокурором района"), only the word-for-word reading
    forwards it; the other leaves it to be answered there."""
    if case.handled_at not in _PART_2_BODIES or not _repeated_without_the_regional_answer(case):
        return NOTHING
    if case.handled_at in _P54_PP5_BODIES and case.earlier_answer_by is ANSWERED_BY_DISTRICT_PROSECUTOR:
        return _P23_CH2_OF_PP2_ANSWERED_BELOW
    return _P23_CH2_OF_PP2


@speaks_of(PART_3_BODIES)
def point_23_part_3_resonant_appeals_to_structural_subdivisions(case: Case) -> tuple[Given, ...]:
    """p23.ch3: "Первичные обращения ..., имеющие большой общественный резонанс, ..., а также по
    которым имеются поручения Генерального Прокурора и его заместителей, подлежат направлению для
    рассмотрения в структурные подразделения Генеральной прокуратуры".

    Covers such appeals received by the Prosecutor General's Office, whichever unit received them:
    part 3 names no receiving unit, and part 5 extends it to every other body but district offices.
    """
    if case.handled_at in PART_3_BODIES and _resonant_primary_appeal(case):
        return _P23_CH3
    return NOTHING


@speaks_of(PART_3_BODIES)
def point_23_part_4_no_forwarding_down(case: Case) -> tuple[Given, ...]:
    """p23.ch4: "Последующее направление этих обращений для рассмотрения в нижестоящие прокуратуры не
    допускается" ("этих": the appeals of part 3)."""
    if case.handled_at in PART_3_BODIES and _resonant_primary_appeal(case):
        return _P23_CH4
    return NOTHING


@speaks_of(_PART_5_BODIES)
def point_23_part_5_extends_parts_3_and_4(case: Case) -> tuple[Given, ...]:
    """p23.ch5: "Требования, предусмотренные частями 3 и 4 настоящего пункта, распространяются на
    обращения, поступившие в ведомства и учреждения прокуратуры, прокуратуры областей и
    приравненные к ним прокуратуры".

    Where to: "в структурные подразделения Генеральной прокуратуры" as part 3 says (reading
    ``ch5-gpo-subdivisions``), or the receiving body's own (reading ``ch5-own-subdivisions``); both
    are given, each under the profiles choosing its reading."""
    if case.handled_at in _PART_5_BODIES and _resonant_primary_appeal(case):
        return _P23_CH5
    return NOTHING


# --- point 26-1 ---------------------------------------------------------------------------------

_P26_1 = (Given(HANDLER, Handler.leadership_or_subdivision, "p26-1", ("p26-1", "p19.ch1")),)


@speaks_of(_AGENCIES_AND_INSTITUTIONS)
def point_26_1_extends_point_19_to_agencies_and_institutions(case: Case) -> tuple[Given, ...]:
    """p26-1: "Требования по рассмотрению обращений, предусмотренные пунктами 19, 21-22, 24-26
    распространяются на обращения, поступившие в ведомства и учреждения прокуратуры".

    Only point 19 is encoded: points 21, 22, 24-26 are not in the sources.
    """
    return _P26_1 if case.handled_at in _AGENCIES_AND_INSTITUTIONS else NOTHING


PROVISIONS = (
    point_19_part_1_department_passes_on,
    point_20_list_to_the_prosecutor_general,
    point_23_subpoint_1_part_1_department_considers_primary_appeals,
    point_23_subpoint_1_part_2_primary_forwarded_within_3_working_days,
    point_23_subpoint_2_part_1_department_considers_repeated_appeals,
    point_23_subpoint_2_part_2_repeated_forwarded_with_report,
    point_23_subpoint_2_part_3_regional_answer_checked_in_eias,
    point_23_subpoint_3_part_2_defective_cassation_petition_returned,
    point_23_subpoint_3_part_3_late_cassation_petition_returned,
    point_23_subpoint_4_explaining_the_appeals_procedure,
    point_23_part_2_extends_subpoint_1_part_2,
    point_23_part_2_extends_subpoint_2_part_2,
    point_23_part_3_resonant_appeals_to_structural_subdivisions,
    point_23_part_4_no_forwarding_down,
    point_23_part_5_extends_parts_3_and_4,
    point_26_1_extends_point_19_to_agencies_and_institutions,
)
"""The handler and disposition provisions, in text order."""
