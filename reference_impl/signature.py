"""Who signs the answer: point 53-1 and point 54 (subpoints 1) and 2) are not in the
sources; subpoint 4) is deleted; subpoints 3), 5)-8) as amended).

Subpoint 3) speaks of the heads of the independent structural subdivisions of
the Prosecutor General's Office; the Department for appeals is one of them
(shared reading ``department-is-subdivision``). Subpoints 5) and 6) speak of
regional prosecutors and the heads of agencies and institutions; subpoint 7)
of district prosecutors; subpoint 8) of any official who resolves the appeal.

A residual абзац ("иные обращения, за исключением случаев, предусмотренных
подпунктами N) - M) настоящего пункта") is read literally: it applies unless
some абзац of the named subpoints (their residual абзацы included) applies to
the case. Subpoints 1) and 2) apply exactly when the case asserts them.
"""

from __future__ import annotations

from kzappeals.reference_impl.given import NOTHING, Given, speaks_of
from kzappeals.spec.vocabulary import Body, Case, ComplaintAbout, EarlierAnswerBy, Kind, Outcome, Sender, Signatory, Subject

# Enum members the conditions below compare with, bound once: looking a member up on its class
# costs more than the comparison itself. Each name is its member.
DISTRICT = Body.district
ANSWERED_BY_DEPUTY = EarlierAnswerBy.deputy_head
ANSWERED_BY_DISTRICT_PROSECUTOR = EarlierAnswerBy.district_prosecutor
PRETRIAL_COMPLAINT = Subject.pretrial_complaint
ABOUT_DEPUTY = ComplaintAbout.deputy_head
ABOUT_SUBORDINATES = ComplaintAbout.subordinate_staff
COMPLAINT = Kind.complaint
EXPLAINED = Outcome.explained
GRANTED = Outcome.granted
REFUSED = Outcome.refused


SIGNATORY = "signatory"  # the question point 54 answers (a Given names its question)
_SUBPOINTS_1_2 = ("p54.pp1", "p54.pp2")

_GPO_SUBDIVISIONS = (Body.gpo_department, Body.gpo_subdivision)
_REGIONAL_LEVEL = (Body.regional, Body.agency, Body.institution)
# p54.pp5.a3: "из Администрации Президента, Парламента, Правительства Республики Казахстан,
# Генеральной прокуратуры, других центральных органов" (shared reading
# ``parliament-means-its-officials``: a deputy's own appeal is not "from Parliament").
_CENTRAL_SENDERS = (
    Sender.presidential_administration,
    Sender.parliament_official,
    Sender.government,
    Sender.prosecutor_general_office,
    Sender.other_central_body,
    Sender.security_council,
    Sender.constitutional_council,
    Sender.supreme_court,
)


def _head(provision: str, lead_in: str, *, residual: bool = False) -> tuple[Given, ...]:
    return (Given(SIGNATORY, Signatory.head, provision, (provision, lead_in), rests_on_unknown=_SUBPOINTS_1_2 if residual else ()),)


def _deputy(provision: str, lead_in: str, *, residual: bool = False) -> tuple[Given, ...]:
    return (Given(SIGNATORY, Signatory.deputy_head, provision, (provision, lead_in), rests_on_unknown=_SUBPOINTS_1_2 if residual else ()),)


# --- point 53-1 ---------------------------------------------------------------------------------

_P53_1 = (Given(SIGNATORY, Signatory.per_criminal_procedure, "p53-1", ("p53-1",), gated=False),)


def point_53_1_pretrial_complaints(case: Case) -> tuple[Given, ...]:
    """p53-1: "Порядок подписания ответов на жалобы физических и юридических лиц на действия
    (бездействия) и решения лиц, осуществляющих досудебное расследование, прокурора регулируются
    УПК". Applies whatever the procedure (it is itself a pointer to the УПК)."""
    return _P53_1 if case.subject is PRETRIAL_COMPLAINT else NOTHING


# --- point 54, subpoints 1) and 2): not in the sources -----------------------------------------

_P54_PP1 = (Given(SIGNATORY, Signatory.per_p54_pp1, "p54.pp1", ("p54.pp1",), rests_on_unknown=("p54.pp1",)),)
_P54_PP2 = (Given(SIGNATORY, Signatory.per_p54_pp2, "p54.pp2", ("p54.pp2",), rests_on_unknown=("p54.pp2",)),)


def point_54_subpoint_1(case: Case) -> tuple[Given, ...]:
    """p54.pp1, not in the sources; the amended text refers to it ("за исключением случаев,
    предусмотренных подпунктами 1), 2) настоящего пункта", p54.pp3.a4). Applies when the case asserts it."""
    return _P54_PP1 if "p54.pp1" in case.unknown_provisions else NOTHING


def point_54_subpoint_2(case: Case) -> tuple[Given, ...]:
    """p54.pp2, not in the sources; referred to as p54.pp1 is ("подпунктами 1), 2)", "1) - 3)" ...).
    Applies when the case asserts it."""
    return _P54_PP2 if "p54.pp2" in case.unknown_provisions else NOTHING


def _subpoints_1_2_apply(case: Case) -> bool:
    return not case.unknown_provisions.isdisjoint(_SUBPOINTS_1_2)


# --- point 54, subpoint 3): heads of independent structural subdivisions of the Office ----------

_P54_PP3_A2 = _head("p54.pp3.a2", "p54.pp3.a1")
_P54_PP3_A3 = _head("p54.pp3.a3", "p54.pp3.a1")
_P54_PP3_A4 = _head("p54.pp3.a4", "p54.pp3.a1", residual=True)


@speaks_of(_GPO_SUBDIVISIONS)
def point_54_3_paragraph_2_complaints_about_subordinates(case: Case) -> tuple[Given, ...]:
    """p54.pp3.a1-a2: "руководителями самостоятельных структурных подразделений Генеральной
    прокуратуры ... дается ответ на обращения: об обжаловании решений и (или) действий
    (бездействий) подчиненных сотрудников, за исключением обращений по которым принято решение об
    отказе в их удовлетворении"."""
    if case.handled_at in _GPO_SUBDIVISIONS and case.complaint_about is ABOUT_SUBORDINATES and case.outcome is not REFUSED:
        return _P54_PP3_A2
    return NOTHING


@speaks_of(_GPO_SUBDIVISIONS)
def point_54_3_paragraph_3_explanatory(case: Case) -> tuple[Given, ...]:
    """p54.pp3.a1, a3: "... дается ответ на обращения: ... разъяснительного характера"."""
    if case.handled_at in _GPO_SUBDIVISIONS and case.outcome is EXPLAINED:
        return _P54_PP3_A3
    return NOTHING


@speaks_of(_GPO_SUBDIVISIONS)
def point_54_3_paragraph_4_other_appeals(case: Case) -> tuple[Given, ...]:
    """p54.pp3.a1, a4: "... дается ответ на обращения: ... иные обращения, за исключением случаев,
    предусмотренных подпунктами 1), 2) настоящего пункта"."""
    if case.handled_at in _GPO_SUBDIVISIONS and not _subpoints_1_2_apply(case):
        return _P54_PP3_A4
    return NOTHING


def _subpoint_3_applies(case: Case) -> bool:
    if case.handled_at not in _GPO_SUBDIVISIONS:  # subpoint 3) speaks only of them
        return False
    return bool(  # the residual абзац first: it is the one that applies most often
        point_54_3_paragraph_4_other_appeals(case)
        or point_54_3_paragraph_2_complaints_about_subordinates(case)
        or point_54_3_paragraph_3_explanatory(case)
    )


# --- point 54, subpoint 5): regional prosecutors, heads of agencies and institutions -----------

_P54_PP5_A2 = _head("p54.pp5.a2", "p54.pp5.a1")
_P54_PP5_A3 = _head("p54.pp5.a3", "p54.pp5.a1")
_P54_PP5_A4 = _head("p54.pp5.a4", "p54.pp5.a1")
_P54_PP5_A5 = _head("p54.pp5.a5", "p54.pp5.a1")
_P54_PP5_A6 = _head("p54.pp5.a6", "p54.pp5.a1", residual=True)


@speaks_of(_REGIONAL_LEVEL)
def point_54_5_paragraph_2_complaints_about_deputies(case: Case) -> tuple[Given, ...]:
    """p54.pp5.a1-a2: "прокурорами областей и приравненными к ним прокурорами, руководителями
    учреждений и ведомств Генеральной прокуратуры ... дается ответ на обращения: об обжаловании
    решений и (или) действий (бездействий) их заместителей, в том числе, по вопросам, связанным с
    предыдущими обращениями, по которым ранее даны ответы за подписью их заместителей" (shared
    reading ``deputy-answer-complaint``)."""
    if case.handled_at in _REGIONAL_LEVEL and (
        case.complaint_about is ABOUT_DEPUTY or (case.kind is COMPLAINT and case.earlier_answer_by is ANSWERED_BY_DEPUTY)
    ):
        return _P54_PP5_A2
    return NOTHING


@speaks_of(_REGIONAL_LEVEL)
def point_54_5_paragraph_3_from_central_bodies_requiring_a_report(case: Case) -> tuple[Given, ...]:
    """p54.pp5.a1, a3: "... дается ответ на обращения: ... поступившие из Администрации Президента,
    Парламента, Правительства Республики Казахстан, Генеральной прокуратуры, других центральных
    органов, требующие направления информаций о результатах рассмотрения"."""
    if case.handled_at in _REGIONAL_LEVEL and case.report_required and case.sender in _CENTRAL_SENDERS:
        return _P54_PP5_A3
    return NOTHING


@speaks_of(_REGIONAL_LEVEL)
def point_54_5_paragraph_4_earlier_answered_by_a_district_prosecutor(case: Case) -> tuple[Given, ...]:
    """p54.pp5.a1, a4: "... дается ответ на обращения: ... связанные с предыдущими обращениями, по
    которым ранее дан ответ прокурором района или приравненным к нему прокурором"."""
    if case.handled_at in _REGIONAL_LEVEL and case.earlier_answer_by is ANSWERED_BY_DISTRICT_PROSECUTOR:
        return _P54_PP5_A4
    return NOTHING


@speaks_of(_REGIONAL_LEVEL)
def point_54_5_paragraph_5_refusals(case: Case) -> tuple[Given, ...]:
    """p54.pp5.a1, a5: "... дается ответ на обращения: ... если по результатам рассмотрения принято
    решение об отказе в их удовлетворении"."""
    if case.handled_at in _REGIONAL_LEVEL and case.outcome is REFUSED:
        return _P54_PP5_A5
    return NOTHING


@speaks_of(_REGIONAL_LEVEL)
def point_54_5_paragraph_6_other_appeals(case: Case) -> tuple[Given, ...]:
    """p54.pp5.a1, a6: "... дается ответ на обращения: ... иные обращения, за исключением случаев,
    предусмотренных подпунктами 1) - 3) настоящего пункта"."""
    if case.handled_at in _REGIONAL_LEVEL and not _subpoints_1_2_apply(case) and not _subpoint_3_applies(case):
        return _P54_PP5_A6
    return NOTHING


def _subpoint_5_applies(case: Case) -> bool:
    if case.handled_at not in _REGIONAL_LEVEL:  # subpoint 5) speaks only of them
        return False
    return bool(  # the residual абзац first: it is the one that applies most often
        point_54_5_paragraph_6_other_appeals(case)
        or point_54_5_paragraph_2_complaints_about_deputies(case)
        or point_54_5_paragraph_3_from_central_bodies_requiring_a_report(case)
        or point_54_5_paragraph_4_earlier_answered_by_a_district_prosecutor(case)
        or point_54_5_paragraph_5_refusals(case)
    )


# --- point 54, subpoint 6): their deputies ------------------------------------------------------

_P54_PP6_A2 = _deputy("p54.pp6.a2", "p54.pp6.a1")
_P54_PP6_A3 = _deputy("p54.pp6.a3", "p54.pp6.a1")
_P54_PP6_A4 = _deputy("p54.pp6.a4", "p54.pp6.a1", residual=True)


@speaks_of(_REGIONAL_LEVEL)
def point_54_6_paragraph_2_complaints_about_subordinates(case: Case) -> tuple[Given, ...]:
    """p54.pp6.a1-a2: "заместителями прокуроров областей и приравненных к ним прокуроров,
    руководителей ведомств и учреждений Генеральной прокуратуры дается ответ на обращения: об
    обжаловании решений и (или) действий (бездействий) подчиненных сотрудников ..., за исключением
    обращений по которым принято решение об отказе в их удовлетворении"."""
    if case.handled_at in _REGIONAL_LEVEL and case.complaint_about is ABOUT_SUBORDINATES and case.outcome is not REFUSED:
        return _P54_PP6_A2
    return NOTHING


@speaks_of(_REGIONAL_LEVEL)
def point_54_6_paragraph_3_explanatory(case: Case) -> tuple[Given, ...]:
    """p54.pp6.a1, a3: "... дается ответ на обращения: ... разъяснительного характера"."""
    if case.handled_at in _REGIONAL_LEVEL and case.outcome is EXPLAINED:
        return _P54_PP6_A3
    return NOTHING


@speaks_of(_REGIONAL_LEVEL)
def point_54_6_paragraph_4_other_appeals(case: Case) -> tuple[Given, ...]:
    """p54.pp6.a1, a4: "... дается ответ на обращения: ... иные обращения, за исключением случаев,
    предусмотренных подпунктами 1) - 5) настоящего пункта".

    Read literally it never applies: wherever subpoint 6) speaks (the regional level), the residual
    абзац 6 of subpoint 5) applies unless subpoints 1), 2) do, and both are excepted here.
    """
    if (
        case.handled_at in _REGIONAL_LEVEL
        and not _subpoints_1_2_apply(case)
        and not _subpoint_3_applies(case)
        and not _subpoint_5_applies(case)
    ):
        return _P54_PP6_A4
    return NOTHING


def _subpoint_6_applies(case: Case) -> bool:
    if case.handled_at not in _REGIONAL_LEVEL:  # subpoint 6) speaks only of them
        return False
    return bool(
        point_54_6_paragraph_2_complaints_about_subordinates(case)
        or point_54_6_paragraph_3_explanatory(case)
        or point_54_6_paragraph_4_other_appeals(case)
    )


# --- point 54, subpoint 7): district prosecutors ------------------------------------------------

_P54_PP7_A2 = _head("p54.pp7.a2", "p54.pp7.a1")
_P54_PP7_A3 = _head("p54.pp7.a3", "p54.pp7.a1")
_P54_PP7_A4 = _head("p54.pp7.a4", "p54.pp7.a1")
_P54_PP7_A5 = _head("p54.pp7.a5", "p54.pp7.a1", residual=True)


@speaks_of(Body.district)
def point_54_7_paragraph_2_complaints_about_deputies_and_subordinates(case: Case) -> tuple[Given, ...]:
    """p54.pp7.a1-a2: "прокурорами районов и приравненными к ним прокурорами ... дается ответ на
    обращения: об обжаловании решений и (или) действий (бездействий) заместителей прокуроров
    районов, приравненных к ним прокуроров и подчиненных сотрудников"."""
    if case.handled_at is DISTRICT and case.complaint_about in (ABOUT_DEPUTY, ABOUT_SUBORDINATES):
        return _P54_PP7_A2
    return NOTHING


@speaks_of(Body.district)
def point_54_7_paragraph_3_refusals(case: Case) -> tuple[Given, ...]:
    """p54.pp7.a1, a3: "... дается ответ на обращения: ... если по результатам рассмотрения принято
    решение об отказе в их удовлетворении"."""
    if case.handled_at is DISTRICT and case.outcome is REFUSED:
        return _P54_PP7_A3
    return NOTHING


@speaks_of(Body.district)
def point_54_7_paragraph_4_explanatory(case: Case) -> tuple[Given, ...]:
    """p54.pp7.a1, a4: "... дается ответ на обращения: ... разъяснительного характера"."""
    if case.handled_at is DISTRICT and case.outcome is EXPLAINED:
        return _P54_PP7_A4
    return NOTHING


@speaks_of(Body.district)
def point_54_7_paragraph_5_other_appeals(case: Case) -> tuple[Given, ...]:
    """p54.pp7.a1, a5: "... дается ответ на обращения: ... иные обращения, за исключением случаев,
    предусмотренных подпунктами 1) - 6) настоящего пункта"."""
    if (
        case.handled_at is DISTRICT
        and not _subpoints_1_2_apply(case)
        and not _subpoint_3_applies(case)
        and not _subpoint_5_applies(case)
        and not _subpoint_6_applies(case)
    ):
        return _P54_PP7_A5
    return NOTHING


# --- point 54, subpoint 8): the official who resolves the appeal -------------------------------

_P54_PP8_A2 = (Given(SIGNATORY, Signatory.resolving_official, "p54.pp8.a2", ("p54.pp8.a2", "p54.pp8.a1")),)


def point_54_8_paragraph_2_granted(case: Case) -> tuple[Given, ...]:
    """p54.pp8.a1-a2: "должностным лицом, непосредственно разрешающим обращение, дается ответ: об
    удовлетворении обращения". Any body."""
    return _P54_PP8_A2 if case.outcome is GRANTED else NOTHING


PROVISIONS = (
    point_53_1_pretrial_complaints,
    point_54_subpoint_1,
    point_54_subpoint_2,
    point_54_3_paragraph_2_complaints_about_subordinates,
    point_54_3_paragraph_3_explanatory,
    point_54_3_paragraph_4_other_appeals,
    point_54_5_paragraph_2_complaints_about_deputies,
    point_54_5_paragraph_3_from_central_bodies_requiring_a_report,
    point_54_5_paragraph_4_earlier_answered_by_a_district_prosecutor,
    point_54_5_paragraph_5_refusals,
    point_54_5_paragraph_6_other_appeals,
    point_54_6_paragraph_2_complaints_about_subordinates,
    point_54_6_paragraph_3_explanatory,
    point_54_6_paragraph_4_other_appeals,
    point_54_7_paragraph_2_complaints_about_deputies_and_subordinates,
    point_54_7_paragraph_3_refusals,
    point_54_7_paragraph_4_explanatory,
    point_54_7_paragraph_5_other_appeals,
    point_54_8_paragraph_2_granted,
)
"""The signature provisions, in text order."""

RESIDUAL = frozenset({"p54.pp3.a4", "p54.pp5.a6", "p54.pp6.a4", "p54.pp7.a5"})
"""The residual абзацы ("иные обращения"), which yield under residual-yields and lex-specialis."""
