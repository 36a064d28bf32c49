"""Findings grouped by root cause (kzappeals.findings_groups), and the formats that lead with them."""

from __future__ import annotations

import json
import random

import pytest

from kzappeals import cli
from kzappeals import verification_report as vr
from kzappeals.findings_groups import group_findings, provision
from kzappeals.spec.ruleset import SPEC_DIR
from kzappeals.spec.verify import verify


@pytest.fixture(scope="module")
def report():
    return verify()


@pytest.fixture(scope="module")
def baseline():
    return vr.load_baseline(SPEC_DIR / cli.DEFAULT_BASELINE)


@pytest.fixture(scope="module")
def groups(report, baseline):
    return group_findings(report, baseline)


def test_every_finding_is_in_exactly_one_group_of_its_kind_and_profile(report, groups):
    by_id = {f.id: f for f in report.findings}
    members = [i for g in groups for i in g.findings]
    assert sorted(members) == sorted(by_id)
    for g in groups:
        assert g.count == len(g.findings) and g.smallest == g.findings[0]
        assert {(by_id[i].kind, by_id[i].profile, by_id[i].question) for i in g.findings} == {(g.kind, g.profile, g.question)}
        sizes = [len(by_id[i].changes) for i in g.findings if by_id[i].witness is not None]
        assert not sizes or len(by_id[g.smallest].changes) == min(sizes)


def test_groups_are_fewer_than_findings(report, groups):
    for p in report.profiles:
        n = sum(1 for f in report.findings if f.profile == p.name)
        k = sum(1 for g in groups if g.profile == p.name)
        assert k * 2 < n, (p.name, k, n)


def test_a_conflict_group_is_one_provision_against_its_family(report, groups):
    by_id = {f.id: f for f in report.findings}
    for g in (g for g in groups if g.kind == "conflict"):
        hub, *family = g.provisions
        for i in g.findings:
            provs = {provision(r) for r in by_id[i].rules}
            assert hub in provs and provs - {hub} <= set(family), (g.id, i)


def test_subpoints_5_and_6_of_point_54_collide_as_one_cause(report, groups):
    """The issue's example: 54.5 against 54.6 at the regional level is one entry, not eight."""
    pairs = [
        f.id
        for f in report.findings
        if f.profile == "literal" and f.kind == "conflict" and {provision(r) for r in f.rules} == {"p54.pp5", "p54.pp6"}
    ]
    assert len(pairs) > 1
    holding = [g for g in groups if set(pairs) & set(g.findings)]
    assert len(holding) == 1 and set(pairs) <= set(holding[0].findings)


def test_group_ids_are_a_function_of_content(report, baseline, groups):
    """Shuffling the findings changes no group; ids are unique."""
    shuffled = list(report.findings)
    random.Random(7).shuffle(shuffled)
    again = group_findings(report.model_copy(update={"findings": tuple(shuffled)}), baseline)
    assert sorted(g.model_dump_json() for g in again) == sorted(g.model_dump_json() for g in groups)
    assert len({g.id for g in groups}) == len(groups)


def test_new_counts_follow_the_baseline(report, groups):
    everything_new = group_findings(report, {})
    assert all(g.new == (0 if g.kind == "assumption" else g.count) for g in everything_new)
    assert [g.id for g in everything_new] == [g.id for g in groups]


def test_terminal_prints_causes_and_new_findings_only_unless_all(report, capsys):
    new_run = cli.main(["verify", "--profile", "literal", "--baseline", "none"])
    out = capsys.readouterr().out
    assert new_run == 1 and "root cause" in out and "NEW findings" in out
    literal = [f for f in report.findings if f.profile == "literal" and f.kind != "assumption"]  # assumptions are never gated
    assert all(f.id in out for f in literal)  # every finding is new: every id is listed
    assert cli.main(["verify", "--profile", "literal"]) == 0
    quiet = capsys.readouterr().out
    assert "NEW findings" not in quiet and not any(f.id in quiet for f in literal)
    assert cli.main(["verify", "--profile", "literal", "--all"]) == 0
    loud = capsys.readouterr().out
    assert all(f.id in loud for f in literal) and len(loud.splitlines()) > 2 * len(quiet.splitlines())


def test_markdown_and_json_lead_with_root_causes(report, baseline, groups):
    md = vr.render_markdown(report, baseline)
    assert md.index("## Root causes") < md.index("## Profile literal")
    for g in groups:
        assert f'<a id="{g.id}"></a>' in md and f"(#{g.id})" in md
    data = json.loads(vr.render_json(report, baseline))
    assert list(data).index("groups") < list(data).index("findings")
    assert [g["id"] for g in data["groups"]] == [g.id for g in groups]


def test_explain_a_root_cause_lists_its_findings_then_the_smallest_in_full(groups, capsys):
    g = next(g for g in groups if g.profile == "literal" and g.count > 1)
    assert cli.main(["verify", "--profile", "literal", "--explain", g.id]) == 0
    out = capsys.readouterr().out
    assert all(i in out for i in g.findings) and f"`{g.smallest}`" in out and "> **" in out  # a clause quoted
