"""Each accepted finding says what it is (issue 8, item 8): a defect of the text, a result that exists only
where a provision not in the sources is asserted, a gap the base text may fill, a consequence of a
profile's reading, or a summary of other findings."""

from __future__ import annotations

import json
from importlib.resources import files

import pytest

from kzappeals.spec import reasons
from kzappeals.spec.verify import verify


@pytest.fixture(scope="module")
def findings():
    return {f.id: f for f in verify().findings}


def accepted() -> list[dict]:
    return json.loads((files("kzappeals.spec") / "accepted-findings.json").read_text(encoding="utf-8"))["accepted"]


def test_every_accepted_finding_carries_the_reason_class_of_what_it_is(findings):
    wrong = [(a["id"], a["reason"]) for a in accepted() if a["id"] in findings and a["reason"] != reasons.reason_for(findings[a["id"]])]
    assert not wrong, wrong[:5]


def test_a_finding_that_needs_an_asserted_unknown_provision_is_never_called_a_defect_of_the_text(findings):
    for a in accepted():
        f = findings.get(a["id"])
        if f is not None and any(c.field.startswith("unknown_provisions:") and c.value for c in f.changes):
            assert a["reason"].startswith("depends on an asserted unknown provision") or a["reason"] == reasons.SUMMARY, a["id"]


def test_the_baseline_uses_more_than_one_reason():
    classes = {a["reason"].split(":")[0] for a in accepted()}
    assert {"defect of the 2015 text", "depends on an asserted unknown provision", "outside the amended text"} <= classes
