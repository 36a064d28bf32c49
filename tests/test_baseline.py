"""The accepted-findings baseline keeps each finding's own reason: rewriting it asks a reason for new findings only."""

from __future__ import annotations

import json
from pathlib import Path

from kzappeals.cli import main


def _reasons(path: Path) -> dict[str, str]:
    return {e["id"]: e["reason"] for e in json.loads(path.read_text(encoding="utf-8"))["accepted"]}


def test_rewriting_keeps_reasons_and_asks_one_for_new_findings_only(tmp_path, capsys):
    baseline = tmp_path / "baseline.json"
    assert (
        main(["verify", "--profile", "literal", "--baseline", str(baseline), "--write-baseline", str(baseline)]) == 2
    )  # every finding is new
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--reason" in err

    assert (
        main(
            [
                "verify",
                "--profile",
                "literal",
                "--baseline",
                str(baseline),
                "--write-baseline",
                str(baseline),
                "--reason",
                "defect of the 2015 text",
            ]
        )
        == 0
    )
    first = _reasons(baseline)
    assert first and set(first.values()) == {"defect of the 2015 text"}
    some, other = sorted(first)[:2]
    edited = {**first, some: "artefact of the model"}
    del edited[other]  # as if `other` were new
    baseline.write_text(json.dumps({"accepted": [{"id": i, "reason": r} for i, r in edited.items()]}), encoding="utf-8")

    assert main(["verify", "--profile", "literal", "--baseline", str(baseline), "--write-baseline", str(baseline)]) == 2
    assert other in capsys.readouterr().err
    assert (
        main(
            [
                "verify",
                "--profile",
                "literal",
                "--baseline",
                str(baseline),
                "--write-baseline",
                str(baseline),
                "--reason",
                "reviewed 2026-12",
            ]
        )
        == 0
    )
    after = _reasons(baseline)
    assert after[some] == "artefact of the model" and after[other] == "reviewed 2026-12"
    assert {i: r for i, r in after.items() if i not in (some, other)} == {i: r for i, r in first.items() if i not in (some, other)}


def test_writing_one_profile_leaves_the_others_entries_alone(tmp_path):
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"accepted": [{"id": "conflict-lex-specialis-0123456789", "reason": "kept"}]}), encoding="utf-8")
    assert main(["verify", "--profile", "literal", "--baseline", str(baseline), "--write-baseline", str(baseline), "--reason", "r"]) == 0
    reasons = _reasons(baseline)
    assert reasons["conflict-lex-specialis-0123456789"] == "kept"
    assert all(
        i.startswith(("conflict-literal-", "gap-literal-", "dead-literal-", "principle-literal-")) for i in reasons if reasons[i] == "r"
    )
