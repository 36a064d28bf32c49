"""`kzappeals verify --spec DIR` on malformed drafts: every problem is one line, exit 2, naming the
draft's own file and the place; the draft's own files (coherence.toml included) are the ones used."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kzappeals.cli import main
from kzappeals.spec.ruleset import SPEC_DIR, load_ruleset


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    dst = tmp_path / "draft"
    shutil.copytree(SPEC_DIR, dst, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return dst


def replace(file: str, old: str, new: str, count: int = 1):
    """An edit of one file of the draft: ``old`` (which must be there) becomes ``new``."""

    def edit(draft: Path) -> None:
        path = draft / file
        text = path.read_text(encoding="utf-8")
        assert old in text, (file, old)
        path.write_text(text.replace(old, new, count), encoding="utf-8")

    return edit


def write_bytes(file: str, convert):
    def edit(draft: Path) -> None:
        path = draft / file
        path.write_bytes(convert(path.read_bytes()))

    return edit


def delete(file: str):
    return lambda draft: (draft / file).unlink()


def line_of(draft: Path, file: str, fragment: str) -> int:
    return next(n for n, line in enumerate((draft / file).read_text(encoding="utf-8").split("\n"), 1) if fragment in line)


def header(file: str, table: str) -> str:
    """``FILE:N: [table]``: a table's header line in the shipped file (the edits below leave it in place)."""
    lines = (SPEC_DIR / file).read_text(encoding="utf-8").split("\n")
    return f"{file}:{next(n for n, line in enumerate(lines, 1) if line.strip() == f'[{table}]')}: [{table}]"


P18_RULE = '[[rule]]\nid = "p18.ch2"\nwhen = "channel == call_centre_conforming"\nthen = { intake = "appeals_staff" }'
NESTED = "not " * 5000 + "anonymous"

MALFORMED = {
    "string for a boolean": (
        replace("profiles.toml", "residual_yields = false", 'residual_yields = "false"'),
        header("profiles.toml", "profile.literal") + " key 'residual_yields': Input should be a valid boolean",
    ),
    "empty then": (
        replace("rules/p18.toml", 'then = { intake = "appeals_staff" }', "then = {}"),
        "rules/p18.toml:3: rule 'p18.ch2' key 'then': must not be empty",
    ),
    "id not a string": (
        replace("rules/p18.toml", 'id = "p18.ch2"', "id = 18"),
        "rules/p18.toml:3: rule 1 key 'id': Input should be a valid string",
    ),
    "unknown key in a rule": (
        replace("rules/p18.toml", 'readings = ["call-centre', 'reading = ["call-centre'),
        "rules/p18.toml:3: rule 'p18.ch2' key 'reading': unknown key",
    ),
    "unknown table in a rule file": (replace("rules/p18.toml", "[[rule]]", "[[rules]]"), "rules/p18.toml key 'rules': unknown key"),
    "rule is not a table": (replace("rules/p18.toml", P18_RULE, 'rule = "p18.ch2"'), "rules/p18.toml key 'rule': must be an array"),
    "unknown key in a profile": (
        replace("profiles.toml", "gate = false", "gate = false\ngates = true"),
        header("profiles.toml", "profile.literal") + " key 'gates': unknown key",
    ),
    "no profile": (replace("profiles.toml", "[profile.", "[profiles.", count=99), "profiles.toml key 'profile': missing"),
    "a rule prevails over itself": (
        replace("rules/p15.toml", 'prevails_over = ["p4", "p5"]', 'prevails_over = ["p4", "p15"]'),
        "rules/p15.toml:3: rule 'p15/not-considered' prevails_over: 'p15' names the rule itself",
    ),
    "5,000 nested nots": (
        replace("rules/p18.toml", 'when = "channel == call_centre_conforming"', f'when = "{NESTED}"'),
        "rules/p18.toml:3: rule 'p18.ch2' when: condition is nested too deeply",
    ),
    "60 nested parentheses": (
        replace("rules/p18.toml", 'when = "channel == call_centre_conforming"', 'when = "' + "(not " * 60 + "anonymous" + ")" * 60 + '"'),
        "condition is nested too deeply (at most 50 levels)",
    ),
    "a Latin-1 rule file": (
        write_bytes("rules/p18.toml", lambda b: b.replace(b"# Appeals", "# Appeals é".encode("latin-1"))),
        "rules/p18.toml: not UTF-8 (byte 0xe9",
    ),
    "a UTF-16 profiles file": (
        write_bytes("profiles.toml", lambda b: b.decode("utf-8").encode("utf-16")),
        "profiles.toml: not UTF-8 (byte 0xff at byte 1)",
    ),
    "a UTF-16 law text": (
        write_bytes("law/order-165-2015.ru.txt", lambda b: b.decode("utf-8").encode("utf-16")),
        "law/order-165-2015.ru.txt: not UTF-8",
    ),
    "no law text": (delete("law/order-165-2015.ru.txt"), "law/order-165-2015.ru.txt: cannot be read: No such file"),
    "no coherence file": (delete("coherence.toml"), "coherence.toml: cannot be read: No such file"),
    "a constraint on no attribute": (
        replace("coherence.toml", 'field = "anonymous"', 'field = "anonymity"'),
        "coherence.toml:14: constraint 2 field: 'anonymity' is not a case attribute",
    ),
    "a constraint with a bad condition": (
        replace("coherence.toml", 'then = "sender == person"', 'then = "sender == persons"'),
        "coherence.toml:14: constraint 2 'then', column 11: 'persons' is not a value of sender",
    ),
    "a constraint on the rules": (
        replace("coherence.toml", 'then = "sender == person"', "then = 'provided_by(\"p15\")'"),
        "constraint 2: a coherence condition tests case attributes only",
    ),
    "a constraint citing no clause": (
        replace("coherence.toml", 'clause = "p15"', 'clause = "p15.pp9"'),
        "coherence.toml:14: constraint 2 clause: 'p15.pp9' is not in the clause registry",
    ),
    "an unknown key in a constraint": (
        replace("coherence.toml", 'field = "anonymous"', 'field = "anonymous"\nfields = "x"'),
        "coherence.toml:14: constraint 2 key 'fields': unknown key",
    ),
    "a question with an unknown key": (
        replace("questions.toml", 'required_when = "channel != direct"', 'required_when = "channel != direct"\nrequired = true'),
        header("questions.toml", "intake") + " key 'required': unknown key",
    ),
    "a value label not a table": (
        replace("questions.toml", 'appeals_staff = { en = "registered', 'appeals_staff = "x"\nbad = { en = "registered'),
        header("questions.toml", "intake.values") + " key 'appeals_staff': must be a table",
    ),
    "forbidden as a string": (
        replace("principles.toml", 'forbidden = ["head"]', 'forbidden = "head"'),
        "principles.toml:6: principle 'no-self-signing-head' key 'forbidden': must be an array",
    ),
    "an unknown key in a principle": (
        replace("principles.toml", 'question = "signatory"', 'question = "signatory"\nweight = 1'),
        "principles.toml:6: principle 'no-self-signing-head' key 'weight': unknown key",
    ),
    "a reading given twice": (
        replace("profiles.toml", 'id = "points-4-6-carve-out"', 'id = "call-centre-regulation-is-input"'),
        "duplicate reading id",
    ),
    "not TOML": (replace("rules/p18.toml", "[[rule]]", "[[rule]"), "rules/p18.toml: not valid TOML"),
    "TOML arrays 100,000 deep": (
        replace("rules/p18.toml", "[[rule]]", "x = " + "[" * 100_000 + "]" * 100_000 + "\n[[rule]]"),
        "rules/p18.toml: arrays or inline tables nested too deeply",
    ),
    "inline tables 3,000 deep in the registry": (
        replace("law/clauses.toml", "[law]", "x = " + "{a=" * 3000 + "1" + "}" * 3000 + "\n[law]"),
        "law/clauses.toml: arrays or inline tables nested too deeply",
    ),
    "a rule id given twice": (
        replace("rules/p18.toml", P18_RULE, P18_RULE + "\n\n" + P18_RULE),
        "rules/p18.toml:8: rule 'p18.ch2': duplicate rule id",
    ),
    "a byte-order mark": (write_bytes("rules/p18.toml", lambda b: b"\xef\xbb\xbf" + b), "rules/p18.toml: starts with a byte-order mark"),
    "a law text that is a folder": (
        replace("law/clauses.toml", 'rebuilt_file = "order-165-2015.ru.txt"', 'rebuilt_file = "."'),
        "cannot be read: Is a directory",
    ),
}


@pytest.mark.parametrize("name", MALFORMED)
def test_malformed_draft_is_one_line(draft: Path, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    edit, fragment = MALFORMED[name]
    edit(draft)
    assert main(["verify", "--spec", str(draft)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith(f"kzappeals: error: {draft}/"), err  # the draft's own path, never spec/...
    assert fragment in err, err


def test_the_shipped_reading_ids_the_table_relies_on() -> None:
    """The table above edits real entries: guard its anchors (a rename would make a case vacuous)."""
    ids = load_ruleset().readings
    assert "points-4-6-carve-out" in ids and "call-centre-regulation-is-input" in ids


def test_headers_with_spaces_and_comments_are_rules_and_lines_stay_right(draft: Path) -> None:
    """`[[ rule ]]` and `[[rule]] # comment` are TOML for the same thing; messages still give the right line."""
    replace("rules/p15.toml", "[[rule]]", "[[ rule ]]")(draft)
    replace("rules/p15.toml", "[[rule]]", "[[rule]]  # the second")(draft)
    assert len(load_ruleset(draft).rules) == len(load_ruleset().rules)
    replace("rules/p15.toml", 'prevails_over = ["p4", "p5"]\n', 'prevails_over = ["p4", "p5"]\nmood = 1\n', count=2)(draft)
    with pytest.raises(
        Exception, match=rf"p15.toml:{line_of(draft, 'rules/p15.toml', '[[ rule ]]')}: rule 'p15/not-considered' key 'mood'"
    ):
        load_ruleset(draft)


def _intake_gaps(draft: Path, capsys: pytest.CaptureFixture[str]) -> list[dict]:
    main(["verify", "--spec", str(draft), "--profile", "literal", "--baseline", "none", "--format", "json"])
    return [f for f in json.loads(capsys.readouterr().out)["findings"] if f["kind"] == "gap" and f["question"] == "intake"]


def test_the_drafts_own_coherence_constraints_bound_its_model(draft: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A draft that rules out non-conforming Call-centre appeals no longer has their intake gap."""
    assert _intake_gaps(draft, capsys), "the 2015 text has an intake gap for non-conforming Call-centre appeals"
    (draft / "coherence.toml").write_text(
        (draft / "coherence.toml").read_text(encoding="utf-8")
        + (
            '\n[[constraint]]\nfield = "channel"\nif = "channel == call_centre_nonconforming"\nthen = "False"\n'
            'clause = "p18.ch2"\nreason = "the draft accepts only appeals that meet the Regulation"\n'
        ),
        encoding="utf-8",
    )
    assert _intake_gaps(draft, capsys) == []
