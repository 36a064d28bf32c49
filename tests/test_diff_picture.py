"""`kzappeals diff --format html`: the drafter's picture of what an amendment changes.

The matrix is answered by each rule set's evaluator, the changes by Z3 on the two compiled rule sets
(kzappeals.spec.diff): the two must agree on every cell, so the picture never shows a change the
diff does not find, nor hides one it finds.
"""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kzappeals import generated
from kzappeals.diff_picture import render_html, signatory_cells
from kzappeals.signatory_matrix import cell_case
from kzappeals.spec.amendment import amend
from kzappeals.spec.diff import AnswerChange, diff
from kzappeals.spec.ruleset import SPEC_DIR, default_ruleset, load_ruleset

DELETE_54_8 = generated.AMENDMENTS / "delete-54-8.toml"


@pytest.fixture(scope="module")
def deleted(tmp_path_factory: pytest.TempPathFactory):
    draft = load_ruleset(amend(DELETE_54_8, SPEC_DIR, tmp_path_factory.mktemp("d") / "draft"))
    base = default_ruleset()
    return base, draft, diff(base, draft)


def _in_region(change: AnswerChange, key: tuple[str, str, str]) -> bool:
    case = cell_case(*key)
    for r in change.region:
        value = getattr(case, r.field, None)
        value = (r.field in case.unknown_provisions) if value is None else getattr(value, "value", value)
        if value not in r.values:
            return False
    return True


def test_the_cells_agree_with_the_changes_z3_finds(deleted):
    """Deleting 54.8: every cell whose appeal lies in a region of a signatory change the diff found with Z3
    changes on the picture in that way (values gained, values lost), and every cell that changes does so
    in one of the ways the diff lists (it lists every kind of change; only regions beyond 12 per kind are
    left out, with a warning). Two computations, one answer."""
    base, draft, report = deleted
    for profile in report.profiles:
        before, after = signatory_cells(base, profile), signatory_cells(draft, profile)
        changes = [c for c in report.changes if c.profile == profile and c.question == "signatory"]
        kinds = {(c.gained, c.lost) for c in changes}
        for key in before:
            (_, was), (_, now) = before[key], after[key]
            moved = (tuple(v for v in now if v not in was), tuple(v for v in was if v not in now))
            for c in changes:
                if _in_region(c, key):
                    assert moved == (c.gained, c.lost), (profile, key, c.id)
            if before[key] != after[key] and moved != ((), ()):
                assert moved in kinds, (profile, key, moved)


def test_the_drafters_question_is_answered_in_the_picture(deleted):
    """'Кем дается ответ' on a granted appeal at the Office's leadership once 54.8 ('лицом, принявшим решение
    об удовлетворении', p54.pp8.a2) is deleted: literally, nobody; the cell is marked as changed."""
    base, draft, report = deleted
    key = ("gpo_leadership", "none", "granted")
    assert signatory_cells(base, "literal")[key] == ("decided", ("resolving_official",))
    assert signatory_cells(draft, "literal")[key] == ("undetermined", ())
    page = render_html(report, base, draft)
    assert '<span class="was"><b title="' in page and "— no clause</td>" in page


def test_a_draft_that_changes_nothing_shows_no_change(tmp_path: Path):
    draft_dir = tmp_path / "draft"
    shutil.copytree(SPEC_DIR, draft_dir, ignore=shutil.ignore_patterns("__pycache__", "*.py", "schemas"))
    base, draft = default_ruleset(), load_ruleset(draft_dir)
    page = render_html(diff(base, draft), base, draft)
    assert 'class="changed"' not in page.replace('<span class="changed">', "")
    assert "The draft changes nothing" in page


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)


def test_a_drafters_own_text_cannot_inject_markup(tmp_path: Path):
    """The amendment's label of a new signatory is the user's text: it is shown, never run."""
    hostile = tmp_path / "hostile.toml"
    text = (generated.AMENDMENTS / "insert-54-5-1-upward.toml").read_text(encoding="utf-8")
    hostile.write_text(
        text.replace('en = "the higher prosecutor', 'en = "<script>alert(1)</script> the higher prosecutor'), encoding="utf-8"
    )
    base, draft = default_ruleset(), load_ruleset(amend(hostile, SPEC_DIR, tmp_path / "draft"))
    page = render_html(diff(base, draft, ["lex-specialis"]), base, draft)
    parser = _Elements()
    parser.feed(page)
    assert "script" not in parser.tags and "&lt;script&gt;" in page
