"""The drafter's workflow: amendments in the law's own form (`kzappeals amend`), what a draft changes
(`kzappeals diff`), deciding under a draft (`decide --spec`), and inserted-unit ids (p54.pp5-1)."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

import pytest

from kzappeals import generated
from kzappeals.cli import main
from kzappeals.spec.amendment import amend
from kzappeals.spec.case_json import parse_case
from kzappeals.spec.case_models import case_model
from kzappeals.spec.diff import diff
from kzappeals.spec.evaluate import Evaluation
from kzappeals.spec.registry import CLAUSE_ID_RE
from kzappeals.spec.ruleset import SPEC_DIR, default_ruleset, load_ruleset

EXAMPLES = generated.AMENDMENTS
NAMES = ("narrow-54-5-residual", "insert-54-5-1-upward", "delete-54-8", "insert-54-8-1-corruption")


@pytest.fixture(scope="module")
def drafts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("drafts")
    return {n: amend(EXAMPLES / f"{n}.toml", SPEC_DIR, root / n) for n in NAMES}


def copy_spec(tmp_path: Path) -> Path:
    dst = tmp_path / "draft"
    shutil.copytree(SPEC_DIR, dst, ignore=shutil.ignore_patterns("__pycache__", "*.py", "schemas"))
    return dst


# -- ids --------------------------------------------------------------------


@pytest.mark.parametrize("cid", ["p54.pp5-1", "p26-1", "p53-1.a2", "p23.ch3-1", "p54.pp5-1.a2", "p54.pp5.a6-1"])
def test_inserted_unit_numbers_are_clause_ids(cid: str) -> None:
    """ "дополнить пунктом 26-1", a subpoint 5-1): the numbering an amending order gives an inserted unit."""
    assert CLAUSE_ID_RE.match(cid)


@pytest.mark.parametrize("cid", ["p54.pp5-", "p54.pp-1", "p54.pp5-1-2", "p54.pp5_1", "p54.5-1"])
def test_malformed_inserted_numbers_are_not(cid: str) -> None:
    assert not CLAUSE_ID_RE.match(cid)


def test_an_inserted_subpoint_sits_between_its_neighbours_when_subpoints_are_read_in_order(drafts: dict[str, Path]) -> None:
    """Under subpoint-order an earlier subpoint wins: 5) before 5-1) before 6)."""
    rs = load_ruleset(drafts["insert-54-5-1-upward"])
    prof = rs.profiles["subpoint-order"]
    new, five, six = rs.by_id["p54.pp5-1"], rs.by_id["p54.pp5.a6"], rs.by_id["p54.pp6.a3"]
    assert prof.overrides(five, new) and prof.overrides(new, six)
    assert not prof.overrides(new, five) and not prof.overrides(six, new)


# -- amend ------------------------------------------------------------------


def test_amend_writes_a_draft_with_the_amendments_text_registry_and_rules(drafts: dict[str, Path]) -> None:
    rs = load_ruleset(drafts["insert-54-5-1-upward"])
    clause = rs.registry.get("p54.pp5-1")
    assert clause.text_ru and clause.text_ru.startswith("5-1) вышестоящим прокурором")
    ids = rs.registry.ids()
    assert ids.index("p54.pp5.a6") < ids.index("p54.pp5-1") < ids.index("p54.pp6.a1"), "in text order"
    assert rs.by_id["p54.pp5-1"].then == {"signatory": "higher_prosecutor"}
    assert "higher_prosecutor" in rs.questions["signatory"].values

    deleted = load_ruleset(drafts["delete-54-8"])
    assert not [c for c in deleted.registry.ids() if c.startswith("p54.pp8")]
    assert not [r for r in deleted.rules if r.clause.startswith("p54.pp8")]
    assert not [c for p in deleted.principles for c in p.clauses if c.startswith("p54.pp8")]

    narrowed = load_ruleset(drafts["narrow-54-5-residual"])
    assert "подпунктом 8)" in (narrowed.registry.get("p54.pp5.a6").text_ru or "")
    assert narrowed.by_id["p54.pp5.a6"].when_text != default_ruleset().by_id["p54.pp5.a6"].when_text


def test_amend_leaves_every_other_byte_of_the_base(drafts: dict[str, Path]) -> None:
    """Only the files an amendment touches change (the draft is the base plus the amendment)."""
    draft = drafts["narrow-54-5-residual"]
    changed = sorted(
        str(p.relative_to(draft))
        for p in draft.rglob("*")
        if p.is_file() and p.read_bytes() != (SPEC_DIR / p.relative_to(draft)).read_bytes()
    )
    assert changed == ["law/clauses.toml", "law/order-165-2015.ru.txt", "rules/p54.toml"]


BAD_AMENDMENTS = {
    "a clause id off the grammar": (
        'verb = "delete"\nclause = "p54.pp5-"',
        "a.toml:6: change 1 key 'clause': 'p54.pp5-' does not match the clause id grammar",
    ),
    "a replace of no clause": (
        'verb = "replace"\nclause = "p54.pp9"\ntext_ru = "x"\ntext_en = "x"\n[[change.rule]]\nid = "p54.pp9"\nwhen = "True"\nthen = { signatory = "head" }',
        "change 1 key 'clause': 'p54.pp9' is not a clause with text in the base",
    ),
    "an insert of an existing clause": (
        'verb = "insert"\nclause = "p54.pp8.a2"\nafter = "p54.pp8"\ncite_ru = "x"\ncite_en = "x"\ntext_ru = "x"\ntext_en = "x"\nkind = "definition"',
        "change 1 key 'clause': 'p54.pp8.a2' is already a clause of the base",
    ),
    "an insert with no place": (
        'verb = "insert"\nclause = "p54.pp8-1"\ncite_ru = "x"\ncite_en = "x"\ntext_ru = "x"\ntext_en = "x"\nkind = "definition"',
        "change 1 key 'after': a 'insert' needs it",
    ),
    "a decision clause with no rule": (
        'verb = "replace"\nclause = "p54.pp8.a2"\ntext_ru = "x"\ntext_en = "x"',
        "change 1 key 'rule': a decision-rule clause needs the rules that encode it",
    ),
    "a rule of another clause": (
        'verb = "replace"\nclause = "p54.pp8.a2"\ntext_ru = "x"\ntext_en = "x"\n[[change.rule]]\nid = "p54.pp7.a2"\nwhen = "True"\nthen = { signatory = "head" }',
        "rule 'p54.pp7.a2' does not encode clause 'p54.pp8.a2'",
    ),
    "an unknown verb": (
        'verb = "amend"\nclause = "p54.pp8"',
        "a.toml:6: change 1 key 'verb': Input should be 'replace', 'insert' or 'delete'",
    ),
    "an unknown key": ('verb = "delete"\nclause = "p54.pp8"\ntext = "x"', "key 'text': unknown key"),
}


@pytest.mark.parametrize("name", BAD_AMENDMENTS)
def test_a_bad_amendment_is_one_line_naming_its_change(tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    body, fragment = BAD_AMENDMENTS[name]
    path = tmp_path / "a.toml"
    path.write_text(f'[amendment]\ntitle_ru = "x"\ntitle_en = "x"\nstatus = "hypothetical"\n\n[[change]]\n{body}\n', encoding="utf-8")
    assert main(["amend", str(path), "--out", str(tmp_path / "draft")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith(f"kzappeals: error: {path}"), err
    assert fragment in err, err


def test_a_draft_the_amendment_breaks_is_reported_in_the_drafts_own_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "a.toml"
    text = (EXAMPLES / "narrow-54-5-residual.toml").read_text(encoding="utf-8").replace('"p54.pp8")', '"p54.pp9")')
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "draft"
    assert main(["amend", str(path), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    line = (
        next(n for n, t in enumerate((out / "rules" / "p54.toml").read_text(encoding="utf-8").split("\n"), 1) if t == 'id = "p54.pp5.a6"')
        - 1
    )
    assert err.startswith(f"kzappeals: error: {out}/rules/p54.toml:{line}: rule 'p54.pp5.a6' when: 'p54.pp9' names no rule"), err


def test_amend_refuses_to_write_over_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "draft").mkdir()
    (tmp_path / "draft" / "x").write_text("mine", encoding="utf-8")
    assert main(["amend", str(EXAMPLES / "delete-54-8.toml"), "--out", str(tmp_path / "draft")]) == 2
    assert "not an empty folder" in capsys.readouterr().err
    assert (tmp_path / "draft" / "x").read_text(encoding="utf-8") == "mine"


# -- diff -------------------------------------------------------------------


def test_a_draft_that_changes_only_comments_and_notes_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    draft = copy_spec(tmp_path)
    rules = draft / "rules" / "p54.toml"
    rules.write_text(
        "# a drafter's comment\n" + rules.read_text(encoding="utf-8").replace("[[rule]]", "# why\n[[rule]]", 1), encoding="utf-8"
    )
    reg = draft / "law" / "clauses.toml"
    reg.write_text(
        reg.read_text(encoding="utf-8").replace(
            'note = "Residual: excludes subpoints 1)-3) only.', 'note = "Drafter: see memo. Residual: excludes subpoints 1)-3) only.'
        ),
        encoding="utf-8",
    )
    assert load_ruleset(draft).sha256 != default_ruleset().sha256, "the edit is a real edit of the files"
    assert main(["diff", "--spec", str(draft), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["changes"] == [] and out["findings"]["added"] == [] and out["findings"]["removed"] == []
    assert out["warnings"] == []


def test_text_changed_without_its_encoding_and_a_clause_left_without_a_rule_are_warnings(tmp_path: Path) -> None:
    draft = copy_spec(tmp_path)
    reg = draft / "law" / "clauses.toml"
    reg.write_text(
        reg.read_text(encoding="utf-8").replace('text_en = "on granting the appeal."', 'text_en = "on granting the appeal in full."'),
        encoding="utf-8",
    )
    rules = draft / "rules" / "p54.toml"
    text = rules.read_text(encoding="utf-8")
    start = text.index('[[rule]]\nid = "p54.pp7.a4"')
    rules.write_text(text[:start] + text[text.index("[[rule]]", start + 1) :], encoding="utf-8")
    report = diff(default_ruleset(), load_ruleset(draft), ["literal"])
    kinds = {(w.kind, w.clause) for w in report.warnings}
    assert ("text-changed-encoding-not", "p54.pp8.a2") in kinds
    assert ("clause-without-rule", "p54.pp7.a4") in kinds
    assert report.changes, "a district's explanatory answer lost a clause: some answer changes"


def _values(rs, profile: str, witness: dict, q: str) -> tuple[str, ...]:
    """The rule set's answer on the witness; a base answers a case with a fact only the draft states as
    the same case without it (its rules do not name it)."""
    case = parse_case({k: v for k, v in witness.items() if k in rs.ordinary}, case_model(rs))
    ev = Evaluation(rs, rs.profiles[profile], case)
    given = {r.then[q] for r in ev.deciding(q)}
    return tuple(v for v in rs.questions[q].values if v in given)


@pytest.mark.parametrize("name", NAMES)
def test_every_change_is_what_the_evaluator_says_before_and_after_on_its_witness(drafts: dict[str, Path], name: str) -> None:
    """The Z3 diff against the case-by-case evaluator: each witness gets the stated answers under the
    base and under the draft, lies in its region, and changes exactly as the class says."""
    base, draft = default_ruleset(), load_ruleset(drafts[name])
    report = json.loads((EXAMPLES / f"{name}.diff.json").read_text(encoding="utf-8"))
    assert report["changes"], "each worked example changes some answer"
    for c in report["changes"]:
        before, after = _values(base, c["profile"], c["witness"], c["question"]), _values(draft, c["profile"], c["witness"], c["question"])
        assert set(before) == set(c["before"]["values"]) and set(after) == set(c["after"]["values"]), c["id"]
        assert set(after) - set(before) == set(c["gained"]) and set(before) - set(after) == set(c["lost"]), c["id"]
        for r in c["region"]:
            field = r["field"]
            value = (
                field.split(":", 1)[1] in c["witness"]["unknown_provisions"]
                if field.startswith("unknown_provisions:")
                else c["witness"][field]
            )
            assert value in r["values"], (c["id"], field)


def test_the_worked_examples_diffs_are_current() -> None:
    assert generated.stale(generated.KINDS["examples"]()) == [], "run `kzappeals generate --only examples`"


def test_the_worked_examples_are_labelled_hypothetical() -> None:
    for name in NAMES:
        text = (EXAMPLES / f"{name}.toml").read_text(encoding="utf-8")
        assert 'status = "hypothetical"' in text and "HYPOTHETICAL" in text


def test_diff_exit_codes(drafts: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "--spec", str(drafts["delete-54-8"]), "--profile", "subpoint-order"]) == 1
    assert "REMOVED findings" in capsys.readouterr().out
    assert main(["diff", "--spec", str(drafts["delete-54-8"]), "--profile", "no-such"]) == 2
    assert "'no-such' is not a profile" in capsys.readouterr().err
    assert main(["diff", "--spec", "/nonexistent"]) == 2


# -- decide and verify under a draft ----------------------------------------


def test_decide_under_a_draft_uses_the_drafts_rules(drafts: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A regional office's explanatory answer: the narrowed residual no longer names the head."""
    case = tmp_path / "case.json"
    case.write_text(
        json.dumps({**json.loads((SPEC_DIR / "ordinary-appeal.json").read_text(encoding="utf-8")), "handled_at": "regional"}),
        encoding="utf-8",
    )
    assert main(["decide", str(case), "--spec", str(drafts["narrow-54-5-residual"]), "--format", "json"]) == 0
    draft_answer = [a["value"] for a in json.loads(capsys.readouterr().out)["signatory"]["answers"]]
    assert main(["decide", str(case), "--format", "json"]) == 0
    shipped_answer = [a["value"] for a in json.loads(capsys.readouterr().out)["signatory"]["answers"]]
    assert "head" in shipped_answer and "head" not in draft_answer and "deputy_head" in draft_answer


def test_decide_and_report_under_a_draft_with_a_new_answer_give_it(
    drafts: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A complaint about a regional prosecutor, under lex-specialis: the draft's subpoint 5-1) has the higher
    prosecutor, a signatory only the draft declares, answer it."""
    case = tmp_path / "case.json"
    case.write_text(json.dumps({**default_ruleset().ordinary, "handled_at": "regional", "kind": "complaint", "complaint_about": "head"}))
    draft = str(drafts["insert-54-5-1-upward"])
    assert main(["decide", str(case), "--spec", draft, "--profile", "lex-specialis", "--format", "json"]) == 0
    signatory = json.loads(capsys.readouterr().out)["signatory"]
    assert [(a["value"], a["provisions"]) for a in signatory["answers"]] == [("higher_prosecutor", ["p54.pp5-1"])]
    assert main(["report", "--spec", draft, "--out", str(tmp_path / "r"), "--baseline", "none"]) == 0
    assert ">higher prosecutor<" in (tmp_path / "r" / "report.html").read_text(encoding="utf-8")  # a matrix cell


def test_a_draft_that_adds_a_fact_of_the_case_creates_a_class_of_appeals_and_decides_with_it(
    drafts: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The corruption example declares staff_corruption ([[attribute]]): the diff lists the classes of appeals
    only that fact makes, each saying so, and decide under the draft reads the new field and requires it."""
    report = json.loads((EXAMPLES / "insert-54-8-1-corruption.diff.json").read_text(encoding="utf-8"))
    created = [c for c in report["changes"] if c["new_in_draft"]]
    assert created and all(c["new_in_draft"] == ["staff_corruption=True"] and c["witness"]["staff_corruption"] for c in created)
    assert all(c["witness"]["staff_corruption"] for c in report["changes"]), "the base's answers change only where the new fact holds"
    assert report["attributes"]["staff_corruption"] == [False, True]
    draft = str(drafts["insert-54-8-1-corruption"])
    assert main(["diff", "--spec", draft, "--profile", "literal"]) == 1
    assert "(a fact only the draft states)" in " ".join(capsys.readouterr().out.split())  # its column wraps
    case = tmp_path / "case.json"
    case.write_text(json.dumps({**default_ruleset().ordinary, "outcome": "granted", "staff_corruption": True}))
    assert main(["decide", str(case), "--spec", draft, "--profile", "lex-specialis", "--format", "json"]) == 0
    assert [a["value"] for a in json.loads(capsys.readouterr().out)["signatory"]["answers"]] == ["head"]
    case.write_text(json.dumps(default_ruleset().ordinary))
    assert main(["decide", str(case), "--spec", draft]) == 2
    assert "field 'staff_corruption': missing" in capsys.readouterr().err


BAD_ATTRIBUTES = {
    "a new fact with no labels": ('name = "x"\ndescription = "d"\nordinary = false', "attribute 1 (x) key 'labels'"),
    "a new fact with no ordinary value": (
        'name = "x"\ndescription = "d"\nlabels = { true = { en = "a", ru = "a" }, false = { en = "b", ru = "b" } }',
        "attribute 1 (x) key 'ordinary': a new bool attribute needs it",
    ),
    "an enumeration whose ordinary value is not one of its values": (
        'name = "x"\ntype = "enum"\nenum = "X"\ntitle = "t"\ndescription = "d"\nvalues = { a = "" }\nordinary = "b"\nlabels = { a = { en = "a", ru = "a" } }',
        "key 'ordinary': must be one of its values",
    ),
    "a base attribute redefined": (
        'name = "kind"\ndescription = "d"\nvalues = { petition = "" }\nlabels = { petition = { en = "a", ru = "a" } }',
        "'kind' is an attribute of the base: an amendment only adds values to it",
    ),
    "a value the base attribute has": (
        'name = "kind"\nvalues = { complaint = "" }\nlabels = { complaint = { en = "a", ru = "a" } }',
        "'complaint' is already a value of 'kind'",
    ),
}


@pytest.mark.parametrize("name", BAD_ATTRIBUTES)
def test_a_bad_new_attribute_is_one_line_naming_it(tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    body, fragment = BAD_ATTRIBUTES[name]
    path = tmp_path / "a.toml"
    change = '[[change]]\nverb = "delete"\nclause = "p54.pp8"\n'
    path.write_text(
        f'[amendment]\ntitle_ru = "x"\ntitle_en = "x"\nstatus = "hypothetical"\n\n[[attribute]]\n{body}\n\n{change}', encoding="utf-8"
    )
    assert main(["amend", str(path), "--out", str(tmp_path / "draft")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"kzappeals: error: {path}") and fragment in err, err


def test_a_draft_that_adds_a_value_to_a_base_attribute_is_compared_over_both(tmp_path: Path) -> None:
    """A new kind of appeal (a value of a base attribute): the base's rules, which do not name it, still
    answer such an appeal; the diff compiles both over the base's values and the draft's."""
    path = tmp_path / "a.toml"
    path.write_text(
        '[amendment]\ntitle_ru = "x"\ntitle_en = "x"\nstatus = "hypothetical"\n\n'
        '[[attribute]]\nname = "kind"\nvalues = { petition = "ходатайство" }\nlabels = { petition = { en = "a petition", ru = "ходатайство" } }\n\n'
        '[[change]]\nverb = "replace"\nclause = "p54.pp8.a2"\ntext_ru = "x"\ntext_en = "x"\n'
        '[[change.rule]]\nid = "p54.pp8.a2"\nwhen = "outcome == granted and kind != petition"\nthen = { signatory = "resolving_official" }\n',
        encoding="utf-8",
    )
    draft = load_ruleset(amend(path, SPEC_DIR, tmp_path / "draft"))
    assert draft.attributes.values("kind")[-1] == "petition"
    report = diff(default_ruleset(), draft, ["literal"])
    assert report.changes and all(c.witness["kind"] == "petition" and c.new_in_draft == ("kind=petition",) for c in report.changes)


def test_verify_explains_a_draft_finding_quoting_the_drafts_own_clause(drafts: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    draft = str(drafts["insert-54-5-1-upward"])
    main(["verify", "--spec", draft, "--profile", "subpoint-order", "--baseline", "none", "--format", "json"])
    dead = next(f for f in json.loads(capsys.readouterr().out)["findings"] if f["kind"] == "dead" and "p54.pp5-1" in f["rules"])
    assert main(["verify", "--spec", draft, "--profile", "subpoint-order", "--explain", dead["id"]]) == 1
    assert "5-1) вышестоящим прокурором" in capsys.readouterr().out


def test_diff_reading_the_committed_base_report_says_what_verifying_the_base_says(
    drafts: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """`kzappeals diff` takes the shipped spec's findings from reports/verification.json when its SHA-256
    matches; the committed example was made verifying the base afresh (kzappeals.generated)."""
    from kzappeals.diff_report import committed_findings

    report = generated.REPO_REPORTS / "verification.json"
    assert committed_findings(default_ruleset(), report) is not None, "the committed report is of this spec (run `kzappeals generate`)"
    assert main(["diff", "--spec", str(drafts["delete-54-8"]), "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out) == json.loads((EXAMPLES / "delete-54-8.diff.json").read_text(encoding="utf-8"))


def test_the_diff_is_a_function_of_content_not_of_the_order_rules_are_written(drafts: dict[str, Path], tmp_path: Path) -> None:
    """Ids, witnesses and regions hold still when the draft's point-54 rules are written in reverse order."""
    from kzappeals.spec.amendment import rule_toml
    from kzappeals.spec.shapes import RuleFile

    draft = tmp_path / "reversed"
    shutil.copytree(drafts["delete-54-8"], draft)
    path = draft / "rules" / "p54.toml"
    rules = RuleFile.model_validate(tomllib.loads(path.read_text(encoding="utf-8"))).rule
    path.write_text("\n".join(rule_toml(r) for r in reversed(rules)), encoding="utf-8")
    base = default_ruleset()
    committed = json.loads((EXAMPLES / "delete-54-8.diff.json").read_text(encoding="utf-8"))
    again = json.loads(diff(base, load_ruleset(draft)).model_dump_json())
    assert again["draft_sha256"] != committed["draft_sha256"], "the file really changed"
    assert {k: v for k, v in again.items() if k != "draft_sha256"} == {k: v for k, v in committed.items() if k != "draft_sha256"}


def test_a_draft_that_cannot_be_written_is_exit_5_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    assert main(["amend", str(EXAMPLES / "delete-54-8.toml"), "--out", str(tmp_path / "a-file" / "draft")]) == 5
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot write" in err and "Traceback" not in err


def test_the_diff_is_the_same_whatever_the_number_of_workers(drafts: dict[str, Path]) -> None:
    """Each profile's answers are compared in a worker of its own (kzappeals.spec.workers); one process gives
    the same report, change by change and in the same order."""
    base, draft = default_ruleset(), load_ruleset(drafts["insert-54-5-1-upward"])
    profiles = ["literal", "subpoint-order", "residual-yields"]
    alone, spread = diff(base, draft, profiles, jobs=1), diff(base, draft, profiles, jobs=3)
    assert {c.profile for c in alone.changes} == {"literal", "residual-yields"}  # two workers' changes, to be put in order
    assert alone.model_dump_json() == spread.model_dump_json()
