"""Corrected readings of order No. 165 (issue 8), each stated as a property of the law and checked on the
specification itself: the rule data evaluated case by case and the verifier's findings."""

from __future__ import annotations

import json
import shutil

import pytest

from kzappeals.spec import reasons
from kzappeals.spec.case_json import parse_case
from kzappeals.spec.evaluate import spec_decision
from kzappeals.spec.ruleset import SPEC_DIR, default_ruleset, load_ruleset
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


@pytest.mark.parametrize("profile", PROFILES)
def test_p6_scope_is_a_named_reading_chosen_per_profile(profile, report):
    """p6: "Порядок работы с документами, поступившими из Администрации Президента, определяется Правилами
    обращения с документами Администрации Президента". Every appeal the Administration sends (word for word),
    or only its own documents (the Rules are about "документами Администрации Президента", and p54.pp5.a3
    has the regional head answer appeals "поступившие из Администрации Президента ..., требующие направления
    информаций")? The text is open: each profile names its reading and decides by it; the Administration's
    own documents go to its Rules under both."""
    chosen = {"p6-covers-forwarded-appeals", "p6-own-documents"} & set(default_ruleset().profiles[profile].readings)
    assert len(chosen) == 1
    (reading,) = chosen
    assert any(f.kind == "assumption" and f.profile == profile and f"'{reading}'" in f.message.en for f in report.findings)
    own = spec_decision(case(sender="presidential_administration", administration_document=True), profile)
    assert [a.value.value for a in own.procedure.answers] == ["presidential_administration_rules"]
    sent_on = spec_decision(case(sender="presidential_administration", report_required=True, handled_at="regional"), profile)
    broad = reading == "p6-covers-forwarded-appeals"
    assert [a.value.value for a in sent_on.procedure.answers] == (["presidential_administration_rules"] if broad else ["instruction"])
    # Either way p54.pp5.a3 still answers the appeal the Administration sends on: its mention is not silenced.
    assert "p54.pp5.a3" in {p for a in sent_on.signatory.answers for p in a.provisions}


def test_p6_read_broadly_the_collision_with_p54_pp5_a3_is_reported_with_an_appeal_from_the_administration(report):
    """Where point 6 takes every appeal of the Administration to its Rules and nothing keeps point 54 off them,
    p54.pp5.a3 signs what point 6 sends elsewhere: reported under each profile reading p6 so, with a witness
    the Administration sends."""
    broad = {p.name for p in default_ruleset().profiles.values() if "p6-covers-forwarded-appeals" in p.readings}
    shown = {
        f.profile
        for f in report.findings
        if f.principle == "other-procedure-not-signed-under-p54"
        and "p54.pp5.a3" in f.rules
        and f.witness is not None
        and f.witness["sender"] == "presidential_administration"
    }
    assert broad and shown == broad


def test_p6_read_broadly_under_the_gate_the_verifier_shows_what_it_silences(tmp_path):
    """Were lex-specialis (whose gate keeps the Instruction's rules off what points 4-6 send elsewhere) to read
    point 6 broadly, p54.pp5.a3's "поступившие из Администрации Президента" would reach nothing: the verifier
    reports such a clause dead, as a consequence of the reading, with the appeal it names as witness. (Shown on
    a draft in which that mention is its own rule; the shipped lex-specialis reads point 6 narrowly.)"""
    draft = tmp_path / "draft"
    shutil.copytree(SPEC_DIR, draft, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    profiles = (draft / "profiles.toml").read_text(encoding="utf-8")
    assert '"p6-own-documents"]' in profiles
    (draft / "profiles.toml").write_text(profiles.replace('"p6-own-documents"]', '"p6-covers-forwarded-appeals"]'), encoding="utf-8")
    rules = (draft / "rules" / "p54.toml").read_text(encoding="utf-8")
    senders = "sender in (presidential_administration, parliament_official,"
    assert senders in rules
    mention = (
        '\n[[rule]]\nid = "p54.pp5.a3/administration"\ncites = ["p54.pp5.a1"]\n'
        'when = "handled_at in (regional, agency, institution) and report_required and sender == presidential_administration"\n'
        'then = { signatory = "head" }\n'
    )
    (draft / "rules" / "p54.toml").write_text(rules.replace(senders, "sender in (parliament_official,") + mention, encoding="utf-8")
    found = verify(["lex-specialis"], rs=load_ruleset(draft), jobs=1).findings
    dead = [f for f in found if f.kind == "dead" and f.rules[:1] == ("p54.pp5.a3/administration",)]
    assert len(dead) == 1 and "another procedure" in dead[0].message.en
    assert dead[0].witness is not None and dead[0].witness["sender"] == "presidential_administration"
    assert reasons.reason_for(dead[0]) == reasons.READING


@pytest.mark.parametrize("profile", PROFILES)
def test_p23_pp2_ch3_an_appeal_kept_in_the_office_is_considered_by_whom_the_text_names(profile, report):
    """p23.pp2.ch3: "Если ответ прокурора области ... имеется, обращение подлежит рассмотрению в Генеральной
    прокуратуре" names the Office, not the unit; but the appeal came "без приложения ответа прокурора области",
    so subpoint 2)'s first part ("Департаментом ... рассматриваются: ... 2) повторные обращения ... без
    приложения ответа прокурора области") has the Department consider it, and point 19 as written passes it on.
    The handler is answered from those words under every profile (no gap, no handler made up), and where the
    two disagree (every profile but lex-specialis) the verifier reports their conflict with a witness."""
    kept = case(handled_at="gpo_department", repeated=True, earlier_answer_by="regional_prosecutor", earlier_answer_in_eias=True)
    d = spec_decision(kept, profile)
    assert [a.value.value for a in d.disposition.answers] == ["considered_in_gpo"]
    provisions = {p: a.value.value for a in d.handler.answers for p in a.provisions}
    assert provisions.get("p23.pp2.ch1") == "appeals_department" and set(provisions) <= {"p23.pp2.ch1", "p19.ch1"}
    assert not [f for f in report.findings if f.kind == "gap" and f.question == "handler" and f.profile == profile and in_region(kept, f)]
    if d.handler.status == "ambiguous":
        assert any(f.kind == "conflict" and set(f.rules) == {"p19.ch1", "p23.pp2.ch1"} and f.profile == profile for f in report.findings)


def in_region(c: Case, gap) -> bool:
    """Whether the case lies in the gap's region (each range's field takes one of its values)."""
    data = json.loads(c.model_dump_json())
    values = {**data, **{f"unknown_provisions:{u}": u in data["unknown_provisions"] for u in ("p20.list", "p54.pp1", "p54.pp2")}}
    return all(values[r.field] in r.values for r in gap.region)


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize(
    ("changes", "articles"),
    [
        # p23.pp3.ch2: "на основании статей 489 УПК, 442 ГПК, возвращается без рассмотрения".
        ({"subject": "court_act_civil", "cassation": "civil", "cassation_defective": True}, ("ext.upk.a489", "ext.gpk.a442")),
        # p23.pp3.ch3: "истекли сроки кассационного опротестования, предусмотренные частью 1 статьи 436 ГПК и статьей 487 УПК".
        ({"subject": "court_act_criminal", "cassation": "criminal", "cassation_term_expired": True}, ("ext.upk.a487", "ext.gpk.a436.ch1")),
    ],
)
def test_p23_pp3_a_returned_cassation_petition_is_explained_by_the_code_articles(profile, changes, articles, capsys, tmp_path):
    """The return of a cassation petition rests on the codes' own articles, which point 23 names: the decision's
    clauses (the specification's and the reference implementation's) and `kzappeals decide`'s text cite them."""
    from kzappeals.cli import main
    from kzappeals.reference_impl import decide

    c = case(handled_at="gpo_department", **changes)
    for d in (spec_decision(c, profile), decide(c, profile)):
        returned = next(a for a in d.disposition.answers if a.value.value == "returned_without_consideration")
        assert set(articles) <= set(returned.clauses) and set(articles) <= set(d.why), (d.profile, d.why)
    f = tmp_path / "case.json"
    f.write_text(c.model_dump_json(), encoding="utf-8")
    assert main(["decide", str(f), "--profile", profile]) == 0
    out = capsys.readouterr().out
    assert all(a in out for a in articles)


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("group", ["public_resonance", "interests_at_risk", "pg_instruction"])
def test_p23_ch3_names_three_groups_of_primary_appeals(profile, group):
    """p23.ch3: "Первичные обращения о нарушениях конституционных прав и свобод граждан, имеющие большой
    общественный резонанс, по вопросам, затрагивающим интересы государства, группы людей и отдельных граждан,
    могущих привести к различным негативным последствиям, а также по которым имеются поручения Генерального
    Прокурора и его заместителей": each group alone brings a primary appeal under parts 3-4 ("Последующее
    направление этих обращений ... в нижестоящие прокуратуры не допускается"), and "первичные" governs all three."""
    primary = spec_decision(case(handled_at="gpo_department", **{group: True}), profile)
    assert "no_downward_forwarding" in {a.value.value for a in primary.disposition.answers}
    assert "p23.ch4" in {p for a in primary.disposition.answers for p in a.provisions}
    repeated = spec_decision(case(handled_at="gpo_department", repeated=True, **{group: True}), profile)
    assert "no_downward_forwarding" not in {a.value.value for a in repeated.disposition.answers}


@pytest.mark.parametrize("profile", PROFILES)
def test_p23_ch5_destination_is_a_named_reading_chosen_per_profile(profile, report):
    """p23.ch5: "Требования, предусмотренные частями 3 и 4 настоящего пункта, распространяются на обращения,
    поступившие в ведомства и учреждения прокуратуры, прокуратуры областей"; part 3's requirement is that such
    appeals "подлежат направлению для рассмотрения в структурные подразделения Генеральной прокуратуры". Word
    for word the regional office sends the appeal up, where it is answered (nobody signs at the regional office);
    read mutatis mutandis, its own subdivisions consider it and it is answered there. Each profile names its
    reading and decides by it."""
    chosen = {"ch5-gpo-subdivisions", "ch5-own-subdivisions"} & set(default_ruleset().profiles[profile].readings)
    assert len(chosen) == 1
    (reading,) = chosen
    assert any(f.kind == "assumption" and f.profile == profile and f"'{reading}'" in f.message.en for f in report.findings)
    d = spec_decision(case(handled_at="regional", interests_at_risk=True), profile)
    assert [a.value.value for a in d.disposition.answers] == ["no_downward_forwarding"]
    if reading == "ch5-gpo-subdivisions":
        assert [a.value.value for a in d.handler.answers] == ["gpo_structural_subdivision"]
        assert d.signatory.status == "not_applicable" and d.signatory.basis == ("p23.ch5", "p23.ch3")
    else:
        assert [a.value.value for a in d.handler.answers] == ["structural_subdivision"]
        assert d.signatory.answers
