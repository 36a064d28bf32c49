"""The reference implementation (kzappeals.reference_impl) on hand-written cases, and properties
of the law it must hold on any coherent case.

Each hand-written test is named after the clause it exercises and quotes it; the expected
decisions are read off the rebuilt text (spec/law/order-165-2015.ru.txt), not off the code.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import tomllib
from importlib.resources import files

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from kzappeals.reference_impl import decide, decision, intake, procedure, profiles, routing, signature
from kzappeals.reference_impl.given import Given
from kzappeals.spec import calendar
from kzappeals.spec.calendar import InForceParameters, PublicationCounting, ReceiptCounting
from kzappeals.spec.case_json import parse_case
from kzappeals.spec.errors import InputError
from kzappeals.spec.registry import load_registry
from kzappeals.spec.vocabulary import (
    QUESTIONS,
    Body,
    Case,
    Cassation,
    Channel,
    Competence,
    ComplaintAbout,
    Decision,
    EarlierAnswerBy,
    Form,
    Kind,
    Outcome,
    Sender,
    Subject,
)

SPEC = files("kzappeals.spec")
ORDINARY = json.loads((SPEC / "ordinary-appeal.json").read_text(encoding="utf-8"))
PROFILES = tuple(tomllib.loads((SPEC / "profiles.toml").read_text(encoding="utf-8"))["profile"])
ALL_MODULES = (procedure, intake, routing, signature)
RESIDUAL = {"p54.pp3.a4", "p54.pp5.a6", "p54.pp6.a4", "p54.pp7.a5"}


def case(**changes: object) -> Case:
    """The ordinary appeal (spec/ordinary-appeal.json: a written application of a person, received
    on 2016-06-01 by a district office, answered with an explanation) with ``changes``."""
    data = dict(ORDINARY)
    data.update({k: (sorted(v) if isinstance(v, (set, frozenset)) else v) for k, v in changes.items()})
    return parse_case(data)


def answers(d: Decision, question: str) -> dict[str, set[str]]:
    """{answer value: provisions giving it} for one question."""
    return {a.value.value: set(a.provisions) for a in getattr(d, question).answers}


def status(d: Decision, question: str) -> str:
    return getattr(d, question).status


# --- procedure: points 1, 4, 5, 6, 15 -----------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES)
def test_p1_ordinary_appeal_follows_the_instruction(profile: str) -> None:
    """p1 with p2.pp1: an application of a person is an appeal considered under the Instruction."""
    d = decide(case(), profile)
    assert status(d, "procedure") == "decided"
    assert answers(d, "procedure") == {"instruction": {"p1"}}
    assert d.procedure.answers[0].clauses == ("p1", "p2.pp1")


@pytest.mark.parametrize("subject", ["crime_report", "criminal_case_complaint", "pretrial_complaint"])
def test_p4_criminal_matters_go_to_the_criminal_procedure_code(subject: str) -> None:
    """p4: "Заявления и сообщения о ... уголовном правонарушении, жалобы на действия и решения ...
    осуществляющих производство по уголовному делу, рассматриваются в порядке, предусмотренном УПК"."""
    d = decide(case(subject=subject, kind="complaint"))
    assert answers(d, "procedure") == {"criminal_procedure_code": {"p4"}}


@pytest.mark.parametrize("subject", ["court_act_criminal", "court_act_parole", "court_act_civil", "court_act_administrative"])
def test_p5_court_acts_go_to_the_codes(subject: str) -> None:
    """p5: "Жалобы и ходатайства о принесении протеста на судебные акты ... рассматриваются в порядке ...
    УПК, ГПК и КоАП"."""
    assert answers(decide(case(subject=subject)), "procedure") == {"court_act_codes": {"p5"}}


def test_p6_presidential_administration_documents() -> None:
    """p6: "Порядок работы с документами, поступившими из Администрации Президента ... определяется
    Правилами": the Administration's own documents follow its Rules on every reading; an appeal it sends on
    only on the broad one, the narrow one (lex-specialis) leaving it to the Instruction."""
    own = case(sender="presidential_administration", administration_document=True)
    for profile in ("literal", "lex-specialis"):
        assert answers(decide(own, profile), "procedure") == {"presidential_administration_rules": {"p6"}}
    sent_on = case(sender="presidential_administration")
    assert answers(decide(sent_on, "literal"), "procedure") == {"presidential_administration_rules": {"p6"}}
    assert answers(decide(sent_on, "lex-specialis"), "procedure") == {"instruction": {"p1"}}


def test_p15_anonymous_appeal_is_not_considered() -> None:
    """p15: "Анонимное обращение рассмотрению не подлежит"."""
    for profile in PROFILES:
        d = decide(case(anonymous=True), profile)
        assert answers(d, "procedure") == {"not_considered": {"p15"}}


def test_p15_anonymous_threat_is_forwarded_to_state_bodies() -> None:
    """p15: "... за исключением случаев, когда ... содержатся сведения ... об угрозе государственной или
    общественной безопасности. Такое обращение подлежит немедленному направлению в государственные органы"."""
    d = decide(case(anonymous=True, security_threat=True))
    assert answers(d, "procedure") == {"forward_to_state_bodies": {"p15"}}


def test_p15_and_p4_anonymous_crime_report_ambiguous_literally_p15_prevails_under_lex_specialis() -> None:
    """p15 and p4 both speak of an anonymous crime report: forwarded to state bodies (p15) or
    considered under the УПК (p4). Literally ambiguous; lex-specialis: p15 is the special rule."""
    c = case(anonymous=True, subject="crime_report")
    literal = decide(c, "literal")
    assert status(literal, "procedure") == "ambiguous"
    assert answers(literal, "procedure") == {"criminal_procedure_code": {"p4"}, "forward_to_state_bodies": {"p15"}}
    lex = decide(c, "lex-specialis")
    assert status(lex, "procedure") == "decided"
    assert answers(lex, "procedure") == {"forward_to_state_bodies": {"p15"}}
    # ... and the Instruction's own rules are then silent (the gate): nothing to route or sign.
    for question in ("intake", "handler", "disposition", "signatory"):
        assert status(lex, question) == "not_applicable"


# --- intake: point 18, part 2 -------------------------------------------------------------------


def test_p18_ch2_call_centre_appeal_goes_to_the_appeals_staff() -> None:
    """p18.ch2: Call-centre appeals meeting its Regulation "незамедлительно регистрируются в ЕИАС и
    передаются ... сотрудникам, на которых возложена эта работа"."""
    d = decide(case(channel="call_centre_conforming"))
    assert answers(d, "intake") == {"appeals_staff": {"p18.ch2"}}


def test_p18_ch2_non_conforming_call_centre_appeal_is_undetermined() -> None:
    """p18.ch2 speaks only of appeals meeting the Regulation; part 1 of point 18 and the Regulation
    are not in the sources, so intake of the others is undetermined and says what could fill it."""
    d = decide(case(channel="call_centre_nonconforming"))
    assert status(d, "intake") == "undetermined"
    assert d.intake.depends_on_unknown == ("ext.call-centre-regulation",)
    assert status(decide(case()), "intake") == "not_applicable"  # a direct appeal: no Call-centre


# --- handler and disposition: points 19, 20, 23, 26-1 -------------------------------------------

GPO = {"handled_at": "gpo_department"}
PRIMARY_TO_FORWARD = {**GPO, "competent": "lower_prosecutor"}


def test_p19_ch1_department_passes_appeals_to_leadership_or_subdivisions() -> None:
    """p19.ch1: appeals received by the Office are passed "на доклад руководству Генеральной прокуратуры
    либо в структурные подразделения ... в зависимости от характера вопроса"."""
    d = decide(case(**GPO))
    assert answers(d, "handler") == {"leadership_or_subdivision": {"p19.ch1"}}
    assert status(d, "disposition") == "not_applicable"


def test_p20_list_when_asserted_names_the_prosecutor_general_and_refines_p19() -> None:
    """p20.ch1: "Генеральному Прокурору либо лицу, его замещающему, на рассмотрение передаются:" (the
    list is not in the sources: the case asserts it). Compatible with p19 (its "leadership")."""
    d = decide(case(**GPO, unknown_provisions={"p20.list"}))
    assert status(d, "handler") == "decided"
    assert answers(d, "handler") == {"leadership_or_subdivision": {"p19.ch1"}, "prosecutor_general": {"p20.list"}}
    assert d.handler.depends_on_unknown == ("p20.list",)


def test_p20_list_is_not_asked_of_a_district_office() -> None:
    """p20 continues p19 (the Office's intake); p26-1 extends 19, 21-22, 24-26, not 20. At a district
    office the handler is undetermined, and only points 21, 22, 24-26 could fill it."""
    d = decide(case())
    assert status(d, "handler") == "undetermined"
    assert d.handler.depends_on_unknown == ("p21", "p22", "p24", "p25", "p26")
    at_department = decide(case(handled_at="gpo_leadership"))
    assert "p20.list" not in at_department.handler.depends_on_unknown


def test_p23_pp1_primary_appeal_forwarded_within_three_working_days() -> None:
    """p23.pp1.ch1-ch2: the Department itself takes primary appeals "подлежащие направлению в нижестоящие
    прокуратуры" and forwards them "в срок не позднее трех рабочих дней ... с письменным уведомлением
    заявителя". Point 19 would pass them on instead: ambiguous literally, p23 prevails under lex-specialis."""
    c = case(**PRIMARY_TO_FORWARD)
    literal = decide(c, "literal")
    assert status(literal, "handler") == "ambiguous"
    assert answers(literal, "handler") == {"leadership_or_subdivision": {"p19.ch1"}, "appeals_department": {"p23.pp1.ch1"}}
    assert answers(literal, "disposition") == {"forward_3wd_notice": {"p23.pp1.ch2"}}
    assert literal.forwarding_due == dt.date(2016, 6, 6)  # Wed 1 June: Thu 2, Fri 3, Mon 6
    lex = decide(c, "lex-specialis")
    assert answers(lex, "handler") == {"appeals_department": {"p23.pp1.ch1"}}
    assert status(lex, "handler") == "decided"


@pytest.mark.parametrize(
    "excluded", [{"deputy_inquiry": True, "sender": "deputy"}, {"report_required": True}, {"competent": "this_body"}, {"repeated": True}]
)
def test_p23_pp1_does_not_take_inquiries_reports_own_questions_or_repeated_appeals(excluded: dict) -> None:
    """p23.pp1.ch1: "первичные ... (кроме депутатского запроса) ..., не требующие направления информаций и
    подлежащие направлению в нижестоящие прокуратуры, другие ведомства"."""
    d = decide(case(**{**PRIMARY_TO_FORWARD, **excluded}))
    assert "forward_3wd_notice" not in answers(d, "disposition")


def test_p23_pp2_repeated_appeal_without_the_regional_answer_forwarded_with_report() -> None:
    """p23.pp2.ch2: repeated appeals "без приложения ответа прокурора области" are forwarded within three
    working days "с требованием проинформировать о результатах их рассмотрения"."""
    d = decide(case(**GPO, repeated=True), "lex-specialis")
    assert answers(d, "handler") == {"appeals_department": {"p23.pp2.ch1"}}
    assert answers(d, "disposition") == {"forward_3wd_report": {"p23.pp2.ch2"}}


def test_p23_pp2_ch1_attached_regional_answer_is_not_the_departments() -> None:
    """p23.pp2.ch1 covers only repeated appeals WITHOUT the regional prosecutor's answer attached."""
    d = decide(case(**GPO, repeated=True, earlier_answer_by="regional_prosecutor", earlier_answer_attached=True))
    assert answers(d, "handler") == {"leadership_or_subdivision": {"p19.ch1"}}
    assert status(d, "disposition") == "not_applicable"
    assert d.forwarding_due is None


@pytest.mark.parametrize("profile", PROFILES)
def test_p23_pp2_ch3_regional_answer_found_in_eias_is_considered_in_the_office(profile: str) -> None:
    """p23.pp2.ch3: "Если заявителем в обращении указывается о получении ответа прокурора области ...,
    обращение подлежит направлению в нижестоящую прокуратуру только после предварительной проверки
    фактического наличия ответа в ЕИАС. Если ответ ... имеется, обращение подлежит рассмотрению в
    Генеральной прокуратуре": a proviso of part 2, not a rival rule, so under every profile the appeal
    stays, nothing is forwarded and no three working days run."""
    d = decide(case(**GPO, repeated=True, earlier_answer_by="regional_prosecutor", earlier_answer_in_eias=True), profile)
    assert status(d, "disposition") == "decided"
    assert answers(d, "disposition") == {"considered_in_gpo": {"p23.pp2.ch3"}}
    assert d.forwarding_due is None
    # It is answered in the Office, so who signs is asked (p54.pp3 at the Department).
    assert status(d, "signatory") != "not_applicable"


@pytest.mark.parametrize("profile", PROFILES)
def test_p23_pp2_ch3_regional_answer_not_in_eias_is_forwarded_after_the_check(profile: str) -> None:
    """p23.pp2.ch3: "обращение подлежит направлению в нижестоящую прокуратуру только после предварительной
    проверки фактического наличия ответа в ЕИАС": not found, it is forwarded as part 2 says ("направляются
    для рассмотрения и дачи ответа в соответствующие прокуратуры"), and answered there: no signatory here."""
    d = decide(case(**GPO, repeated=True, earlier_answer_by="regional_prosecutor"), profile)
    assert status(d, "disposition") == "decided"
    assert answers(d, "disposition") == {"forward_3wd_report": {"p23.pp2.ch3"}}
    assert d.forwarding_due is not None
    assert status(d, "signatory") == "not_applicable" and d.signatory.basis == ("p23.pp2.ch2",)


@pytest.mark.parametrize("fault", [{"cassation_defective": True}, {"cassation_term_expired": True}])
def test_p23_pp3_non_conforming_or_late_cassation_petition_returned_whatever_the_procedure(fault: dict) -> None:
    """p23.pp3.ch2-ch3: a cassation petition failing arts. 423, 488 УПК / 441 ГПК, or late, "возвращается
    без рассмотрения". Point 5 sends court acts to the codes, yet under lex-specialis p23.pp3 still
    applies: the Department returns the petition by its own words."""
    c = case(**GPO, subject="court_act_criminal", cassation="criminal", **fault)
    part = "p23.pp3.ch2" if "cassation_defective" in fault else "p23.pp3.ch3"
    lex = decide(c, "lex-specialis")
    assert answers(lex, "procedure") == {"court_act_codes": {"p5"}}
    assert answers(lex, "handler") == {"appeals_department": {part}}
    assert answers(lex, "disposition") == {"returned_without_consideration": {part}}
    assert status(lex, "signatory") == "not_applicable"  # point 54 is the Instruction's own


def test_p23_pp4_explaining_the_appeals_procedure_is_the_departments() -> None:
    """p23.pp4: "обращения, по которым требуется разъяснение законодательства о порядке рассмотрения
    обращений"."""
    d = decide(case(**GPO, subject="appeals_procedure_explanation"), "lex-specialis")
    assert answers(d, "handler") == {"appeals_department": {"p23.pp4"}}


def test_p23_ch2_regional_office_forwards_primary_appeals_as_the_department_does() -> None:
    """p23.ch2: the second parts of subpoints 1), 2) "распространяются на обращения аналогичного характера,
    поступившие в ... прокуратуры областей"; district offices are not named."""
    d = decide(case(handled_at="regional", competent="lower_prosecutor"))
    assert answers(d, "disposition") == {"forward_3wd_notice": {"p23.ch2"}}
    assert d.disposition.answers[0].clauses == ("p23.ch2", "p23.pp1.ch2", "p23.pp1.ch1")
    assert status(d, "handler") == "undetermined"  # p23.ch2 extends the forwarding, not the handler
    repeated = decide(case(handled_at="agency", repeated=True))
    assert answers(repeated, "disposition") == {"forward_3wd_report": {"p23.ch2"}}
    district = decide(case(competent="lower_prosecutor", repeated=True))
    assert status(district, "disposition") == "not_applicable"


def test_p23_ch3_ch4_resonant_primary_appeal_to_a_structural_subdivision_never_down() -> None:
    """p23.ch3-ch4: resonant primary appeals (or those with an instruction of the Prosecutor General)
    "подлежат направлению для рассмотрения в структурные подразделения"; "Последующее направление этих
    обращений ... в нижестоящие прокуратуры не допускается". Against p23.pp1: lex-specialis lets p23.ch3 prevail."""
    c = case(**PRIMARY_TO_FORWARD, pg_instruction=True)
    literal = decide(c, "literal")
    assert answers(literal, "disposition") == {"forward_3wd_notice": {"p23.pp1.ch2"}, "no_downward_forwarding": {"p23.ch4"}}
    assert status(literal, "disposition") == "ambiguous"
    lex = decide(c, "lex-specialis")
    assert answers(lex, "handler") == {"structural_subdivision": {"p23.ch3"}}
    assert answers(lex, "disposition") == {"no_downward_forwarding": {"p23.ch4"}}
    assert lex.forwarding_due is None


def test_p23_ch3_covers_a_resonant_appeal_received_by_a_structural_subdivision_of_the_office() -> None:
    """p23.ch3 names no receiving unit, and p23.ch5 extends it to every other body but district offices:
    a resonant primary appeal received directly by a subdivision of the Office stays in a subdivision and is
    never forwarded down (this implementation's reading; the lead's reads p23.ch3 at the Department only)."""
    c = case(handled_at="gpo_subdivision", competent="lower_prosecutor", public_resonance=True)
    literal = decide(c, "literal")
    assert answers(literal, "disposition") == {"forward_3wd_notice": {"p23.ch2"}, "no_downward_forwarding": {"p23.ch4"}}
    lex = decide(c, "lex-specialis")
    assert answers(lex, "handler") == {"structural_subdivision": {"p23.ch3"}}
    assert answers(lex, "disposition") == {"no_downward_forwarding": {"p23.ch4"}}


def test_p23_ch5_regional_office_keeps_resonant_appeals() -> None:
    """p23.ch5: parts 3 and 4 "распространяются на обращения, поступившие в ведомства и учреждения
    прокуратуры, прокуратуры областей"; it prevails over p23.ch2's forwarding under lex-specialis, which
    reads the extension as keeping the appeal in the body's own subdivisions (ch5-own-subdivisions)."""
    c = case(handled_at="regional", competent="lower_prosecutor", public_resonance=True)
    assert status(decide(c, "literal"), "disposition") == "ambiguous"
    lex = decide(c, "lex-specialis")
    assert answers(lex, "handler") == {"structural_subdivision": {"p23.ch5"}}
    assert answers(lex, "disposition") == {"no_downward_forwarding": {"p23.ch5"}}


@pytest.mark.parametrize("profile", ["literal", "residual-yields", "subpoint-order"])
def test_p23_ch5_word_for_word_sends_resonant_appeals_up_to_the_office(profile: str) -> None:
    """p23.ch3 extended by p23.ch5 word for word: such appeals "подлежат направлению для рассмотрения в
    структурные подразделения Генеральной прокуратуры"; considered there, they are not answered by the
    regional office, so who signs there does not arise."""
    d = decide(case(handled_at="regional", pg_instruction=True), profile)
    assert answers(d, "handler") == {"gpo_structural_subdivision": {"p23.ch5"}}
    assert answers(d, "disposition") == {"no_downward_forwarding": {"p23.ch5"}}
    assert status(d, "signatory") == "not_applicable"
    assert d.signatory.basis == ("p23.ch5", "p23.ch3")


@pytest.mark.parametrize("group", ["public_resonance", "interests_at_risk", "pg_instruction"])
def test_p23_ch3_each_of_its_three_groups_alone_keeps_a_primary_appeal_from_going_down(group: str) -> None:
    """p23.ch3: "Первичные обращения о нарушениях конституционных прав и свобод граждан, имеющие большой
    общественный резонанс, по вопросам, затрагивающим интересы государства, группы людей и отдельных граждан,
    могущих привести к различным негативным последствиям, а также по которым имеются поручения": three groups."""
    lex = decide(case(**PRIMARY_TO_FORWARD, **{group: True}), "lex-specialis")
    assert answers(lex, "disposition") == {"no_downward_forwarding": {"p23.ch4"}}
    repeated = decide(case(**GPO, repeated=True, **{group: True}), "lex-specialis")
    assert "structural_subdivision" not in answers(repeated, "handler")


def test_p23_ch3_repeated_appeal_with_an_instruction_is_not_covered() -> None:
    """p23.ch3: "Первичные обращения ..., а также по которым имеются поручения": "первичные" governs both."""
    d = decide(case(**GPO, repeated=True, pg_instruction=True), "lex-specialis")
    assert "structural_subdivision" not in answers(d, "handler")


@pytest.mark.parametrize("body", ["agency", "institution"])
def test_p26_1_agencies_and_institutions_follow_point_19(body: str) -> None:
    """p26-1: "Требования ... предусмотренные пунктами 19, 21-22, 24-26 распространяются на обращения,
    поступившие в ведомства и учреждения прокуратуры"."""
    d = decide(case(handled_at=body))
    assert answers(d, "handler") == {"leadership_or_subdivision": {"p26-1"}}
    assert d.handler.answers[0].clauses == ("p26-1", "p19.ch1")


# --- signature: points 53-1, 54 -----------------------------------------------------------------


def test_p53_1_pretrial_complaint_signed_under_the_criminal_procedure_code() -> None:
    """p53-1: "Порядок подписания ответов на жалобы ... на действия ... лиц, осуществляющих досудебное
    расследование, прокурора регулируются УПК". Literally point 54 also speaks (ambiguous); under
    lex-specialis p53-1 prevails, and applies although point 4 sends the complaint to the УПК."""
    c = case(subject="pretrial_complaint", kind="complaint")
    literal = decide(c, "literal")
    assert status(literal, "signatory") == "ambiguous"
    assert answers(literal, "signatory")["per_criminal_procedure"] == {"p53-1"}
    lex = decide(c, "lex-specialis")
    assert answers(lex, "procedure") == {"criminal_procedure_code": {"p4"}}
    assert answers(lex, "signatory") == {"per_criminal_procedure": {"p53-1"}}
    assert status(lex, "signatory") == "decided"


def test_p54_pp3_a2_complaint_about_subordinates_at_an_office_subdivision() -> None:
    """p54.pp3.a2-a4: the head of the subdivision answers complaints about subordinates, explanatory
    answers, and (residual) other appeals."""
    c = case(handled_at="gpo_subdivision", kind="complaint", complaint_about="subordinate_staff")
    literal = decide(c, "literal")
    assert answers(literal, "signatory") == {"head": {"p54.pp3.a2", "p54.pp3.a3", "p54.pp3.a4"}}
    assert literal.signatory.depends_on_unknown == ("p54.pp1", "p54.pp2")  # the residual's exception
    lex = decide(c, "lex-specialis")
    assert answers(lex, "signatory") == {"head": {"p54.pp3.a2", "p54.pp3.a3"}}
    assert lex.signatory.depends_on_unknown == ()


def test_p54_pp3_a2_refused_complaint_about_subordinates_falls_to_the_residual() -> None:
    """p54.pp3.a2 leaves refusals out ("за исключением обращений по которым принято решение об отказе");
    абзац 4 ("иные обращения, за исключением ... подпунктами 1), 2)") catches them unless subpoint 1) or 2)
    (not in the sources) applies."""
    base = {"handled_at": "gpo_department", "kind": "complaint", "complaint_about": "subordinate_staff", "outcome": "refused"}
    assert answers(decide(case(**base)), "signatory") == {"head": {"p54.pp3.a4"}}
    asserted = decide(case(**base, unknown_provisions={"p54.pp1"}))
    assert answers(asserted, "signatory") == {"per_p54_pp1": {"p54.pp1"}}
    assert asserted.signatory.depends_on_unknown == ("p54.pp1",)


@pytest.mark.parametrize("profile", PROFILES)
def test_p54_pp5_a2_complaint_about_a_deputy_at_a_regional_office_is_signed_by_the_head(profile: str) -> None:
    """p54.pp5.a2: regional prosecutors answer appeals "об обжаловании решений и (или) действий
    (бездействий) их заместителей"; refused, so also абзац 5; nothing gives another signatory."""
    d = decide(case(handled_at="regional", kind="complaint", complaint_about="deputy_head", outcome="refused"), profile)
    assert status(d, "signatory") == "decided"
    assert set(answers(d, "signatory")) == {"head"}
    assert "p54.pp5.a2" in answers(d, "signatory")["head"]


def test_p54_pp5_a2_earlier_answer_signed_by_a_deputy() -> None:
    """p54.pp5.a2: "в том числе, по вопросам, связанным с предыдущими обращениями, по которым ранее даны
    ответы за подписью их заместителей"."""
    d = decide(case(handled_at="agency", kind="complaint", earlier_answer_by="deputy_head", repeated=True, outcome="refused"))
    # Read word for word, p23.ch2 extends p23.pp2.ch2 to agencies: a repeated appeal "без приложения ответа
    # прокурора области" is forwarded "для рассмотрения и дачи ответа" elsewhere, so the agency signs nothing.
    assert status(d, "signatory") == "not_applicable" and d.signatory.basis == ("p23.pp2.ch2",)
    # Kept by the agency (its own competence, a primary complaint about the deputy), the head signs.
    kept = decide(case(handled_at="agency", kind="complaint", complaint_about="deputy_head", outcome="refused"))
    assert "p54.pp5.a2" in answers(kept, "signatory")["head"]


def test_p54_pp5_a3_central_body_report_against_pp6_a3_explanatory() -> None:
    """p54.pp5.a3 (appeals from the Government "требующие направления информаций") gives the head;
    p54.pp6.a3 ("разъяснительного характера") the deputy. Literal and lex-specialis: ambiguous;
    subpoint-order: subpoint 5) comes first."""
    c = case(handled_at="regional", sender="government", report_required=True)
    literal = decide(c, "literal")
    assert answers(literal, "signatory") == {"head": {"p54.pp5.a3", "p54.pp5.a6"}, "deputy_head": {"p54.pp6.a3"}}
    assert status(literal, "signatory") == "ambiguous"
    assert status(decide(c, "lex-specialis"), "signatory") == "ambiguous"
    ordered = decide(c, "subpoint-order")
    assert answers(ordered, "signatory") == {"head": {"p54.pp5.a3", "p54.pp5.a6"}}


def test_p54_pp5_a3_a_deputys_own_appeal_is_not_from_parliament() -> None:
    """p54.pp5.a3 names "Парламента"; p23.pp1.ch1 tells deputies from officials of Parliament
    (reading parliament-means-its-officials)."""
    d = decide(case(handled_at="regional", sender="deputy", report_required=True, outcome="refused"))
    assert "p54.pp5.a3" not in answers(d, "signatory")["head"]


def test_p54_pp5_a4_earlier_answer_of_a_district_prosecutor() -> None:
    """p54.pp5.a4: "связанные с предыдущими обращениями, по которым ранее дан ответ прокурором района"."""
    d = decide(case(handled_at="regional", repeated=True, earlier_answer_by="district_prosecutor", outcome="refused"))
    # p23.ch2 read word for word forwards every repeated appeal a regional office receives "без приложения
    # ответа прокурора области" (p23.pp2.ch2), the district's answer or not: the regional office gives no
    # answer, and p54.pp5.a4 speaks only of appeals it keeps.
    assert answers(d, "disposition") == {"forward_3wd_report": {"p23.ch2"}}
    assert status(d, "signatory") == "not_applicable" and d.signatory.basis == ("p23.pp2.ch2",)


def test_p54_pp6_a2_complaint_about_subordinates_at_a_regional_office() -> None:
    """p54.pp6.a2-a3: deputies answer complaints about subordinates and explanatory answers; the residual
    p54.pp5.a6 (head) also applies literally: ambiguous; residual-yields: the deputy; subpoint-order: the head."""
    c = case(handled_at="regional", kind="complaint", complaint_about="subordinate_staff")
    assert status(decide(c, "literal"), "signatory") == "ambiguous"
    assert answers(decide(c, "residual-yields"), "signatory") == {"deputy_head": {"p54.pp6.a2", "p54.pp6.a3"}}
    assert answers(decide(c, "subpoint-order"), "signatory") == {"head": {"p54.pp5.a6"}}


def test_p54_pp6_a4_residual_never_applies_read_literally() -> None:
    """p54.pp6.a4 ("иные обращения, за исключением ... подпунктами 1) - 5)"): at the regional level
    subpoint 5)'s own residual applies unless subpoints 1), 2) do, and both are excepted here."""
    for outcome in Outcome:
        for unknown in (set(), {"p54.pp1"}):
            c = case(handled_at="institution", outcome=outcome.value, unknown_provisions=unknown)
            assert not signature.point_54_6_paragraph_4_other_appeals(c)


def test_p54_pp7_a5_and_pp8_a2_granted_appeal_at_a_district_office() -> None:
    """p54.pp7.a5 ("иные обращения, за исключением ... подпунктами 1) - 6)": head; it does not except
    subpoint 8)) and p54.pp8.a2 ("об удовлетворении обращения": the resolving official). Literal:
    ambiguous; residual-yields and lex-specialis: the residual gives way; subpoint-order: 7) before 8).
    (The vocabulary has one outcome: an answer is granted, refused or explanatory, never two of them.)"""
    c = case(outcome="granted")
    literal = decide(c, "literal")
    assert status(literal, "signatory") == "ambiguous"
    assert answers(literal, "signatory") == {"head": {"p54.pp7.a5"}, "resolving_official": {"p54.pp8.a2"}}
    for profile in ("residual-yields", "lex-specialis"):
        assert answers(decide(c, profile), "signatory") == {"resolving_official": {"p54.pp8.a2"}}
    assert answers(decide(c, "subpoint-order"), "signatory") == {"head": {"p54.pp7.a5"}}


def test_p54_pp7_a2_and_pp8_a2_granted_complaint_about_a_deputy_stays_ambiguous_but_in_subpoint_order() -> None:
    """p54.pp7.a2 (complaints about the district prosecutor's deputy: head) is not residual, so against
    p54.pp8.a2 only subpoint-order decides."""
    c = case(kind="complaint", complaint_about="deputy_head", outcome="granted")
    for profile in ("literal", "residual-yields", "lex-specialis"):
        assert set(answers(decide(c, profile), "signatory")) == {"head", "resolving_official"}
        assert status(decide(c, profile), "signatory") == "ambiguous"
    assert answers(decide(c, "subpoint-order"), "signatory") == {"head": {"p54.pp7.a2", "p54.pp7.a5"}}


def test_p54_pp8_a2_granted_appeal_against_the_residual() -> None:
    """p54.pp8.a2 ("об удовлетворении обращения") against the residual p54.pp5.a6, which excepts only
    subpoints 1)-3), not 8): ambiguous literally; the residual yields under residual-yields. A refusal at
    a district office is the head's (p54.pp7.a3) and the residual's, never the resolving official's."""
    granted = case(outcome="granted", handled_at="regional")
    assert status(decide(granted, "literal"), "signatory") == "ambiguous"
    assert answers(decide(granted, "residual-yields"), "signatory") == {"resolving_official": {"p54.pp8.a2"}}
    assert answers(decide(case(outcome="refused")), "signatory") == {"head": {"p54.pp7.a3", "p54.pp7.a5"}}


def test_p54_pp7_a2_complaint_about_the_district_prosecutors_deputy() -> None:
    """p54.pp7.a2: "об обжаловании ... заместителей прокуроров районов ... и подчиненных сотрудников"."""
    d = decide(case(kind="complaint", complaint_about="deputy_head", outcome="refused"), "lex-specialis")
    assert answers(d, "signatory") == {"head": {"p54.pp7.a2", "p54.pp7.a3"}}


def test_p54_the_leadership_of_the_office_has_no_signatory_in_the_amended_text() -> None:
    """No amended subpoint of point 54 speaks of the Office's leadership: subpoints 1), 2) (not in the
    sources) may."""
    d = decide(case(handled_at="gpo_leadership"))
    assert status(d, "signatory") == "undetermined"
    assert d.signatory.depends_on_unknown == ("p54.pp1", "p54.pp2")
    assert "p54.pp1, p54.pp2" in d.signatory.reason_en


# --- entry into force (o165.p4, o165.footnote) and the deadline (p23.pp1.ch2) -------------------


@pytest.mark.parametrize(
    ("day", "state"),
    [
        ("2016-02-21", "before"),  # registered 11.02.2016; + ten full days: in force from 22.02.2016
        ("2016-02-22", "in_force"),
        ("2018-06-28", "in_force"),
        ("2018-06-29", "repealed"),  # order No. 72 registered 18.06.2018: repealed from 29.06.2018
        ("2015-01-01", "before"),
        ("2019-12-31", "repealed"),
    ],
)
def test_o165_p4_in_force_boundaries(day: str, state: str) -> None:
    """o165.p4: "вводится в действие по истечении десяти календарных дней после дня его первого
    официального опубликования"; o165.footnote: repealed by order No. 72 likewise."""
    for profile in PROFILES:
        d = decide(case(received_on=day), profile)
        assert d.in_force == state
        if state != "in_force":
            expected = calendar.in_force_status(dt.date.fromisoformat(day))
            assert d.why == d.in_force_clauses == expected.clauses
            assert d.forwarding_due is None
            for question in QUESTIONS:
                det = getattr(d, question)
                assert det.status == "not_applicable" and det.answers == ()
                assert det.reason_en == expected.reason_en and det.reason_ru == expected.reason_ru


def test_o165_p4_publication_dates_and_counting_are_parameters() -> None:
    """The publication dates were not found: they are parameters (kzappeals.spec.calendar)."""
    c = case(received_on="2016-02-21")
    assert decide(c).in_force == "before"
    assert decide(c, in_force=InForceParameters(counting=PublicationCounting.DAY_PLUS_10)).in_force == "in_force"
    later = InForceParameters(order165_published=dt.date(2016, 3, 1))
    assert decide(case(received_on="2016-03-11"), in_force=later).in_force == "before"
    assert decide(case(received_on="2016-03-12"), in_force=later).in_force == "in_force"


def test_p23_pp1_ch2_forwarding_due_across_nauryz() -> None:
    """p23.pp1.ch2: "в срок не позднее трех рабочих дней с момента поступления". Received Friday
    18.03.2016: 21-23 March (Nauryz) are not working days, so the third is Monday 28.03.2016. Received on
    the holiday 21.03.2016: 28.03 counting from the next day, 29.03 if the receipt moves to the next
    working day (docs/calendar.md)."""
    friday = decide(case(**PRIMARY_TO_FORWARD, received_on="2016-03-18"))
    assert friday.forwarding_due == dt.date(2016, 3, 28)
    holiday = case(**PRIMARY_TO_FORWARD, received_on="2016-03-21")
    assert decide(holiday).forwarding_due == dt.date(2016, 3, 28)
    moved = decide(holiday, receipt=ReceiptCounting.NON_WORKING_RECEIPT_MOVES)
    assert moved.forwarding_due == dt.date(2016, 3, 29)


def test_why_lists_the_in_force_clauses_then_every_answer_in_question_order() -> None:
    d = decide(case(**PRIMARY_TO_FORWARD, channel="call_centre_conforming"))
    expected: list[str] = list(d.in_force_clauses)
    for question in QUESTIONS:
        for a in getattr(d, question).answers:
            expected += [c for c in a.clauses if c not in expected]
    assert list(d.why) == expected
    assert d.why[:4] == ("o165.p4", "o165.footnote", "p1", "p2.pp1")


def test_unknown_profile_or_reading_is_bad_input() -> None:
    with pytest.raises(InputError, match="not a profile"):
        decide(case(), "purposive")
    with pytest.raises(InputError, match="not a ReceiptCounting"):
        decide(case(), receipt="same_day")  # type: ignore[arg-type]
    assert decide(case(**PRIMARY_TO_FORWARD), receipt="non_working_receipt_moves").forwarding_due  # type: ignore[arg-type]


# --- the implementation's own bookkeeping ------------------------------------------------------


def _provisions() -> list:
    return [p for module in ALL_MODULES for p in module.PROVISIONS]


def _givens() -> list[Given]:
    out = []
    for module in ALL_MODULES:
        for value in vars(module).values():
            if isinstance(value, tuple) and value and all(isinstance(g, Given) for g in value):
                out.extend(value)
    return out


def test_every_provision_is_a_documented_function_quoting_its_clause() -> None:
    registry = load_registry()
    for p in _provisions():
        doc = inspect.getdoc(p) or ""
        assert p.__name__.startswith("point_"), p.__name__
        assert any(ch in doc for ch in "абвгдеёжзийклмнопрстуфхцчшщыэюя"), f"{p.__name__} quotes no Russian words"
    for g in _givens():
        for clause in (g.provision, *g.clauses, *g.rests_on_unknown):
            assert clause in registry, clause
        assert g.clauses[0] == g.provision


def test_profiles_are_those_of_spec_profiles_toml() -> None:
    data = tomllib.loads((SPEC / "profiles.toml").read_text(encoding="utf-8"))["profile"]
    assert set(profiles.PROFILES) == set(data)
    for name, p in profiles.PROFILES.items():
        for flag in ("residual_yields", "subpoint_order", "exceptions", "gate"):
            assert getattr(p, flag) == data[name][flag], (name, flag)


def test_unknown_texts_are_those_of_spec_questions_toml() -> None:
    data = tomllib.loads((SPEC / "questions.toml").read_text(encoding="utf-8"))
    assert list(data)[: len(QUESTIONS)] == list(QUESTIONS)
    for question in QUESTIONS:
        assert tuple(data[question].get("may_be_filled_by", ())) == decision.MAY_BE_FILLED_BY.get(question, ())
    assert signature.RESIDUAL == RESIDUAL


# --- properties of the law, on any coherent case ------------------------------------------------

IN_FORCE = (dt.date(2016, 2, 22), dt.date(2018, 6, 28))


@st.composite
def coherent_cases(draw: st.DrawFn, in_force_only: bool = True, **fixed: object) -> Case:
    """Any appeal the vocabulary admits, with the ``fixed`` fields; dependent fields are then set so
    that nearly every draw is coherent (spec/coherence.toml rejects the rest)."""
    first, last = IN_FORCE if in_force_only else (dt.date(2015, 1, 1), dt.date(2019, 12, 31))
    data = {
        "received_on": draw(st.dates(first, last)),
        "kind": draw(st.sampled_from(Kind)),
        "form": draw(st.sampled_from(Form)),
        "collective": draw(st.booleans()),
        "anonymous": draw(st.booleans()),
        "subject": draw(st.sampled_from(Subject)),
        "security_threat": draw(st.booleans()),
        "sender": draw(st.sampled_from(Sender)),
        "administration_document": draw(st.booleans()),
        "deputy_inquiry": draw(st.booleans()),
        "channel": draw(st.sampled_from(Channel)),
        "report_required": draw(st.booleans()),
        "repeated": draw(st.booleans()),
        "earlier_answer_by": draw(st.sampled_from(EarlierAnswerBy)),
        "earlier_answer_attached": draw(st.booleans()),
        "earlier_answer_in_eias": draw(st.booleans()),
        "cassation": draw(st.sampled_from(Cassation)),
        "cassation_defective": draw(st.booleans()),
        "cassation_term_expired": draw(st.booleans()),
        "public_resonance": draw(st.booleans()),
        "interests_at_risk": draw(st.booleans()),
        "pg_instruction": draw(st.booleans()),
        "competent": draw(st.sampled_from(Competence)),
        "handled_at": draw(st.sampled_from(Body)),
        "complaint_about": draw(st.sampled_from(ComplaintAbout)),
        "outcome": draw(st.sampled_from(Outcome)),
        "unknown_provisions": sorted(draw(st.sets(st.sampled_from(["p20.list", "p54.pp1", "p54.pp2"])))),
    }
    data.update(fixed)
    if data["cassation"] is Cassation.criminal:
        data["subject"] = draw(st.sampled_from([Subject.court_act_criminal, Subject.court_act_parole]))
    elif data["cassation"] is Cassation.civil:
        data["subject"] = Subject.court_act_civil
    else:
        data["cassation_defective"] = data["cassation_term_expired"] = False
    if data["complaint_about"] is not ComplaintAbout.none or data["subject"] in (
        Subject.criminal_case_complaint,
        Subject.pretrial_complaint,
    ):
        data["kind"] = Kind.complaint
    if data["anonymous"]:
        data["sender"], data["deputy_inquiry"] = Sender.person, False
    elif data["deputy_inquiry"]:
        data["sender"] = Sender.deputy
    if data["earlier_answer_by"] is EarlierAnswerBy.none:
        data["earlier_answer_attached"] = data["earlier_answer_in_eias"] = False
    if data["sender"] is not Sender.presidential_administration:
        data["administration_document"] = False
    try:
        return parse_case(data)
    except ValidationError:
        assume(False)
        raise  # unreachable


SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(coherent_cases(in_force_only=False), st.sampled_from(PROFILES), st.sampled_from(ReceiptCounting))
def test_decide_never_raises_and_its_decision_is_a_valid_model(c: Case, profile: str, receipt: ReceiptCounting) -> None:
    d = decide(c, profile, receipt=receipt)
    assert Decision.model_validate_json(d.model_dump_json()) == d
    assert d.profile == profile


@SETTINGS
@given(coherent_cases(anonymous=True, security_threat=False))
def test_law_anonymous_appeal_without_crime_or_threat_is_never_considered_under_the_instruction(c: Case) -> None:
    """p15: an anonymous appeal without crime or threat is not considered: never procedure
    "instruction" under lex-specialis, and nothing of the Instruction's own routes or signs it."""
    assume(c.subject is not Subject.crime_report)
    d = decide(c, "lex-specialis")
    assert "instruction" not in answers(d, "procedure")
    assert answers(d, "procedure") == {"not_considered": {"p15"}}
    for question in ("intake", "handler", "disposition", "signatory"):
        for provisions in answers(d, question).values():
            assert provisions <= {"p23.pp3.ch2", "p23.pp3.ch3", "p53-1"}


@SETTINGS
@given(coherent_cases(), st.sampled_from(PROFILES), st.sampled_from(ReceiptCounting))
def test_law_every_forwarding_has_a_working_day_deadline_three_working_days_after_receipt(
    c: Case, profile: str, receipt: ReceiptCounting
) -> None:
    """p23.pp1.ch2, p23.pp2.ch2 (and p23.ch2): "не позднее трех рабочих дней с момента поступления"."""
    d = decide(c, profile, receipt=receipt)
    forwards = {"forward_3wd_notice", "forward_3wd_report"} & set(answers(d, "disposition"))
    assert (d.forwarding_due is not None) == bool(forwards)
    if d.forwarding_due is not None:
        due = d.forwarding_due
        assert due > c.received_on and calendar.is_working_day(due)
        counted = [c.received_on + dt.timedelta(days=i) for i in range(1, (due - c.received_on).days + 1)]
        working = sum(calendar.is_working_day(day) for day in counted)
        moved = receipt is ReceiptCounting.NON_WORKING_RECEIPT_MOVES and not calendar.is_working_day(c.received_on)
        assert working == (4 if moved else 3)


@SETTINGS
@given(coherent_cases(outcome=Outcome.refused), st.sampled_from(PROFILES))
def test_law_a_refusal_is_never_signed_by_the_resolving_official(c: Case, profile: str) -> None:
    """p54.pp8.a2: the resolving official answers only "об удовлетворении обращения"."""
    assert "resolving_official" not in answers(decide(c, profile), "signatory")


@SETTINGS
@given(coherent_cases(outcome=Outcome.granted))
def test_law_a_granted_appeal_is_literally_always_answerable_by_the_resolving_official(c: Case) -> None:
    """p54.pp8.a2 names no body: literally, every granted appeal the body answers has the resolving official
    among its signatories (where it forwards, returns or does not consider it, who signs does not arise)."""
    d = decide(c, "literal")
    if status(d, "signatory") == "not_applicable":
        assert d.signatory.basis
    else:
        assert answers(d, "signatory")["resolving_official"] == {"p54.pp8.a2"}


@SETTINGS
@given(coherent_cases(handled_at=Body.district))
def test_law_district_offices_never_forward_under_point_23(c: Case) -> None:
    """p23.ch2 and p23.ch5 name agencies, institutions, regional offices and the Office's subdivisions,
    never district offices; subpoints 1)-4) are the Department's."""
    for profile in PROFILES:
        d = decide(c, profile)
        assert status(d, "disposition") == "not_applicable"
        assert d.forwarding_due is None


@SETTINGS
@given(coherent_cases(), st.sampled_from(PROFILES))
def test_law_statuses_follow_compatibility(c: Case, profile: str) -> None:
    """decided: one answer or compatible ones (p19's "by the nature of the question"); ambiguous: not."""
    d = decide(c, profile)
    for question in QUESTIONS:
        det = getattr(d, question)
        values = {a.value for a in det.answers}
        pairwise = all(frozenset((a, b)) in decision.COMPATIBLE for a in values for b in values if a != b)
        if det.status == "decided":
            assert values and pairwise
        elif det.status == "ambiguous":
            assert len(values) >= 2 and not pairwise
        else:
            assert not values


@SETTINGS
@given(coherent_cases())
def test_law_profiles_remove_only_what_they_say(c: Case) -> None:
    """residual-yields: a residual abzac never stands beside a specific one; subpoint-order: the deciding
    provisions of point 54 come from one subpoint; every profile decides from what literally applies."""
    literal = decide(c, "literal")
    residual = decide(c, "residual-yields")
    ordered = decide(c, "subpoint-order")
    for question in QUESTIONS:
        full = {p for ps in answers(literal, question).values() for p in ps}
        for d in (residual, ordered):
            assert {p for ps in answers(d, question).values() for p in ps} <= full
    signing = {p for ps in answers(residual, "signatory").values() for p in ps}
    assert signing <= RESIDUAL or not (signing & RESIDUAL)
    subpoints = {p.split(".")[1] for ps in answers(ordered, "signatory").values() for p in ps if p.startswith("p54.")}
    assert len(subpoints) <= 1


@SETTINGS
@given(coherent_cases(), st.sampled_from(PROFILES))
def test_law_outside_the_years_in_force_nothing_is_answered(c: Case, profile: str) -> None:
    """o165.p4, o165.footnote: before the amendments take effect and after the repeal, the decision
    says so and answers nothing (never a silent answer)."""
    assert decide(c, profile).in_force == "in_force"  # coherent_cases() draws days in force
    for day in (dt.date(2016, 2, 21), dt.date(2018, 6, 29)):
        outside = decide(c.model_copy(update={"received_on": day}), profile)
        assert outside.in_force != "in_force" and outside.forwarding_due is None
        assert all(getattr(outside, q).status == "not_applicable" for q in QUESTIONS)


@SETTINGS
@given(coherent_cases())
def test_speaks_of_records_match_the_provisions_own_body_conditions(c: Case) -> None:
    """The assembly skips provisions whose speaks_of record excludes the case's body: each provision must
    then say nothing there by its own condition."""
    for p in _provisions():
        bodies = getattr(p, "bodies", None)
        if bodies is not None and c.handled_at not in bodies:
            assert p(c) == (), (p.__name__, c.handled_at)
