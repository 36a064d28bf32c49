"""Corrected readings of order No. 165 (issue 8), each stated as a property of the law and checked on the
specification itself: the rule data evaluated case by case and the verifier's findings."""

from __future__ import annotations

import pytest

from kzappeals.spec.case_json import parse_case
from kzappeals.spec.evaluate import spec_decision
from kzappeals.spec.ruleset import default_ruleset
from kzappeals.spec.verify import verify
from kzappeals.spec.vocabulary import Case, ordinary_appeal

PROFILES = tuple(default_ruleset().profiles)


def case(**changes) -> Case:
    return parse_case({**ordinary_appeal(), **changes})


@pytest.fixture(scope="module")
def report():
    return verify()


@pytest.mark.parametrize("profile", PROFILES)
def test_p15_an_anonymous_appeal_is_neither_considered_nor_answered_under_any_profile(profile):
    """p15: "Анонимное обращение рассмотрению не подлежит": nobody considers it and nobody answers it,
    whatever the profile (not only under lex-specialis); the clause that says so is given."""
    d = spec_decision(case(anonymous=True), profile)
    assert [a.value.value for a in d.procedure.answers] == ["not_considered"]
    for q in ("handler", "disposition", "signatory"):
        det = getattr(d, q)
        assert det.status == "not_applicable" and det.basis == ("p15",), (q, det)


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize(
    ("changes", "clause"),
    [
        # p23.pp1.ch2: "направляются ... с письменным уведомлением заявителя": a notice, not an answer.
        ({"handled_at": "gpo_department", "competent": "lower_prosecutor"}, "p23.pp1.ch2"),
        # p23.pp2.ch2: "направляются для рассмотрения и дачи ответа в соответствующие прокуратуры".
        ({"handled_at": "gpo_department", "repeated": True}, "p23.pp2.ch2"),
        # p23.pp3.ch2: "возвращается без рассмотрения".
        ({"handled_at": "gpo_department", "subject": "court_act_civil", "cassation": "civil", "cassation_defective": True}, "p23.pp3.ch2"),
    ],
)
def test_p54_who_signs_is_asked_only_where_the_body_itself_answers(profile, changes, clause):
    """Point 54 says who gives the answer ("кем дается ответ"): where every reading of point 23 forwards or
    returns the appeal, who signs does not arise here, and the clause that forwards or returns it says why."""
    d = spec_decision(case(**changes), profile)
    assert {a.value.value for a in d.disposition.answers} <= {"forward_3wd_notice", "forward_3wd_report", "returned_without_consideration"}
    assert d.signatory.status == "not_applicable" and clause in d.signatory.basis


def test_no_signatory_finding_rests_on_an_appeal_the_body_only_forwards_or_returns(report):
    for f in report.findings:
        if f.question == "signatory" and f.witness is not None and f.kind in ("conflict", "gap"):
            d = spec_decision(parse_case(f.witness), f.profile)
            kept = {a.value.value for a in d.disposition.answers} - {
                "forward_3wd_notice",
                "forward_3wd_report",
                "returned_without_consideration",
            }
            assert kept or not d.disposition.answers, f.id


def test_p23_pp2_ch3_is_a_proviso_of_part_2_so_no_profile_reports_them_in_conflict(report):
    """p23.pp2.ch3 ("только после предварительной проверки ... Если ответ ... имеется, обращение подлежит
    рассмотрению в Генеральной прокуратуре") is the exception inside part 2, not a rival rule."""
    rivals = {"p23.pp2.ch2", "p23.pp2.ch3/found", "p23.pp2.ch3/not-found"}
    assert not [f.id for f in report.findings if f.kind == "conflict" and len(rivals & set(f.rules)) == 2]
    for profile in PROFILES:
        kept = spec_decision(
            case(handled_at="gpo_department", repeated=True, earlier_answer_by="regional_prosecutor", earlier_answer_in_eias=True), profile
        )
        assert [a.value.value for a in kept.disposition.answers] == ["considered_in_gpo"] and kept.forwarding_due is None


def test_p4_a_crime_report_at_the_office_is_shown_sent_to_the_upk_and_forwarded_in_three_days(report):
    """p4 ("рассматриваются в порядке, предусмотренном УПК") and p23.pp1.ch2 ("в срок не позднее трех рабочих
    дней ... направляются") both decide a crime report the Department receives: the verifier reports the
    collision across the two questions, per profile, with a witness; lex-specialis, whose gate keeps point 23
    off such appeals, reports only the cassation returns that apply regardless (p23.pp3)."""
    routed = [f for f in report.findings if f.principle == "other-procedure-not-routed-by-p23"]
    assert any(f.profile == "literal" and "p23.pp1.ch2" in f.rules and f.witness is not None for f in routed)
    assert {r for f in routed if f.profile == "lex-specialis" for r in f.rules} <= {"p23.pp3.ch2", "p23.pp3.ch3", "p5", "p4", "p6"}
    signed = [f for f in report.findings if f.principle == "other-procedure-not-signed-under-p54"]
    assert {f.profile for f in signed} == set(PROFILES) - {"lex-specialis"}


@pytest.mark.parametrize("profile", PROFILES)
def test_p23_ch2_at_a_regional_office_is_a_named_reading_chosen_per_profile(profile, report):
    """p23.ch2 extends p23.pp2.ch2 ("Повторные обращения, поступившие без приложения ответа прокурора области
    ... направляются для рассмотрения и дачи ответа в соответствующие прокуратуры") to regional offices; word
    for word it sends back down an appeal the district prosecutor answered, which p54.pp5.a4 ("связанные с
    предыдущими обращениями, по которым ранее дан ответ прокурором района") has the regional prosecutor answer.
    The text is open: each profile names its reading, reports it, and decides by it."""
    rs = default_ruleset()
    chosen = {"ch2-repeated-word-for-word", "ch2-answered-below-stays"} & set(rs.profiles[profile].readings)
    assert len(chosen) == 1
    (reading,) = chosen
    assert any(f.kind == "assumption" and f.profile == profile and f"'{reading}'" in f.message.en for f in report.findings)
    d = spec_decision(case(handled_at="regional", repeated=True, earlier_answer_by="district_prosecutor", outcome="refused"), profile)
    if chosen == {"ch2-repeated-word-for-word"}:
        assert [a.value.value for a in d.disposition.answers] == ["forward_3wd_report"] and d.signatory.status == "not_applicable"
    else:
        assert not d.disposition.answers and "p54.pp5.a4" in {p for a in d.signatory.answers for p in a.provisions}
