"""The case's attributes are declared once, in spec/attributes.toml (the answers in spec/questions.toml): the typed modules, the schemas and a
draft's own case model all follow from it."""

from __future__ import annotations

import json
import shutil

import pytest
from pydantic import ValidationError

from kzappeals import generated
from kzappeals.spec.attribute_schema import ATTRIBUTES_FILE, case_attributes_model, load_attributes, shipped_attributes
from kzappeals.spec.attributes import CaseAttributes
from kzappeals.spec.conditions import CASE_FIELDS, UNKNOWN_PROVISIONS, field_values
from kzappeals.spec.errors import InputError
from kzappeals.spec.ruleset import SPEC_DIR, load_ruleset
from kzappeals.spec.vocabulary import ordinary_appeal


def test_the_typed_attributes_and_answers_modules_are_generated_from_the_data_and_current():
    assert generated.stale(generated.KINDS["code"]()) == [], "run `kzappeals generate --only code`"


def test_the_data_and_the_typed_model_name_the_same_attributes_and_values():
    schema = shipped_attributes()
    assert list(schema.tested) == list(CASE_FIELDS)
    assert all(schema.values(name) == field_values(name) for name in schema.tested)
    assert schema.unknown_provisions == UNKNOWN_PROVISIONS


def test_a_model_made_from_the_data_has_the_schema_of_the_shipped_one():
    made = case_attributes_model(shipped_attributes())
    assert made.model_json_schema() == CaseAttributes.model_json_schema()


def _draft(tmp_path, text: str):
    draft = tmp_path / "draft"
    shutil.copytree(SPEC_DIR, draft, ignore=shutil.ignore_patterns("__pycache__", "*.py", "schemas"))
    path = draft / ATTRIBUTES_FILE
    path.write_text(text, encoding="utf-8")
    return draft, path


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace('[kind]\ntype = "enum"', '[kind]\ntype = "set"'), "[kind] key 'type'"),
        (lambda t: t.replace("  proposal = ", "  Proposal = "), "a value is a lower-case identifier"),
        (lambda t: t.replace("  proposal = ", "  class = "), "a value is a lower-case identifier"),
        (lambda t: t + '\n[provided_by]\ntype = "bool"\ndescription = "x"\n', "cannot name an attribute"),
        (lambda t: t.replace('enum = "Form"', 'enum = "Kind"'), "'Kind' already names the values of 'kind'"),
        (lambda t: t.replace('[anonymous]\ntype = "bool"', '[anonymous]\ntype = "date"'), "received_on is the one 'date'"),
        # a note that would end the generated comment and start code: the loader refuses it
        (lambda t: t.replace("предложение", 'предложение\\n\\"\\"\\"import os'), "one line, without backslashes"),
    ],
)
def test_a_bad_attributes_file_is_one_line_naming_the_file_the_table_and_the_reason(tmp_path, edit, message):
    _, path = _draft(tmp_path, edit((SPEC_DIR / ATTRIBUTES_FILE).read_text(encoding="utf-8")))
    with pytest.raises(InputError) as exc:
        load_attributes(path, str(path))
    assert str(path) in str(exc.value) and message in str(exc.value) and "\n" not in str(exc.value)


def test_a_draft_may_add_a_fact_of_the_case_and_its_cases_must_state_it(tmp_path):
    text = (SPEC_DIR / ATTRIBUTES_FILE).read_text(encoding="utf-8")
    new = '[about_corruption]\ntype = "bool"\ndescription = "About a corruption offence (коррупционное правонарушение)."\n\n'
    draft, _ = _draft(tmp_path, text.replace("[unknown_provisions]", new + "[unknown_provisions]"))
    (draft / "ordinary-appeal.json").write_text(json.dumps({**ordinary_appeal(), "about_corruption": False}), encoding="utf-8")
    labels = (draft / "labels.toml").read_text(encoding="utf-8")
    phrases = '[about_corruption]\ntrue = { en = "on corruption", ru = "о коррупции" }\nfalse = { en = "not on corruption", ru = "не о коррупции" }\n\n'
    (draft / "labels.toml").write_text(labels.replace("[unknown_provisions]", phrases + "[unknown_provisions]"), encoding="utf-8")
    from kzappeals.spec.case_json import parse_case
    from kzappeals.spec.case_models import case_model

    ruleset = load_ruleset(draft)
    model = case_model(ruleset)
    assert parse_case({**ordinary_appeal(), "about_corruption": True}, model).about_corruption is True  # type: ignore[attr-defined]
    with pytest.raises(ValidationError, match="about_corruption"):
        parse_case(ordinary_appeal(), model)
    assert ruleset.attributes.missing_from(shipped_attributes()) == ["about_corruption"]


def test_a_draft_whose_new_fact_has_no_phrase_names_its_labels_file(tmp_path):
    text = (SPEC_DIR / ATTRIBUTES_FILE).read_text(encoding="utf-8")
    new = '[about_corruption]\ntype = "bool"\ndescription = "About a corruption offence."\n\n'
    draft, _ = _draft(tmp_path, text.replace("[unknown_provisions]", new + "[unknown_provisions]"))
    (draft / "ordinary-appeal.json").write_text(json.dumps({**ordinary_appeal(), "about_corruption": False}), encoding="utf-8")
    with pytest.raises(InputError, match=r"labels\.toml: \[about_corruption\] key 'false': missing"):
        load_ruleset(draft)


def test_a_draft_whose_ordinary_appeal_lacks_its_new_fact_names_the_file(tmp_path):
    text = (SPEC_DIR / ATTRIBUTES_FILE).read_text(encoding="utf-8")
    new = '[about_corruption]\ntype = "bool"\ndescription = "About a corruption offence."\n\n'
    draft, _ = _draft(tmp_path, text.replace("[unknown_provisions]", new + "[unknown_provisions]"))
    labels = (draft / "labels.toml").read_text(encoding="utf-8")
    phrases = '[about_corruption]\ntrue = { en = "on corruption", ru = "о коррупции" }\nfalse = { en = "not on corruption", ru = "не о коррупции" }\n\n'
    (draft / "labels.toml").write_text(labels.replace("[unknown_provisions]", phrases + "[unknown_provisions]"), encoding="utf-8")
    with pytest.raises(InputError, match=r"ordinary-appeal\.json field 'about_corruption': not a case of this spec: Field required"):
        load_ruleset(draft)
