"""CI outputs of `kzappeals verify`: SARIF 2.1.0, JUnit XML, the job summary, baseline status in JSON;
and the jobs of docs/ci.md, their commands taken from the doc's code blocks and run on a draft."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kzappeals import cli
from kzappeals import verification_report as vr
from kzappeals.junit import render_junit, xml_text
from kzappeals.spec.findings import Text
from kzappeals.spec.ruleset import SPEC_DIR
from kzappeals.spec.verify import verify

ROOT = Path(__file__).resolve().parents[1]
LEVELS = {"none", "note", "warning", "error"}


def check_sarif(doc: dict, base: Path) -> list[dict]:
    """The required structure of SARIF 2.1.0 for what kzappeals emits (the standard's sections 3.13-3.28);
    every location must name an existing file and line under ``base``. Returns the results."""
    assert doc["version"] == "2.1.0" and "sarif-2.1.0" in doc["$schema"]
    assert isinstance(doc["runs"], list) and len(doc["runs"]) == 1
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    assert isinstance(driver["name"], str) and driver["name"]
    rule_ids = [r["id"] for r in driver["rules"]]
    assert len(set(rule_ids)) == len(rule_ids)
    for r in driver["rules"]:
        assert r["shortDescription"]["text"] and r["defaultConfiguration"]["level"] in LEVELS
    for res in run["results"]:
        assert isinstance(res["message"]["text"], str) and res["message"]["text"]
        assert res["level"] in LEVELS and res["baselineState"] in {"new", "unchanged", "updated", "absent"}
        assert rule_ids[res["ruleIndex"]] == res["ruleId"]
        assert len(res["locations"]) == 1  # GitHub code scanning needs exactly one
        for loc in res["locations"] + [x for x in res.get("relatedLocations", [])]:
            phys = loc["physicalLocation"]
            uri, line = phys["artifactLocation"]["uri"], phys["region"]["startLine"]
            assert isinstance(line, int) and line >= 1
            assert not uri.startswith("/") and (base / uri).is_file(), uri
    return run["results"]


def _line(base: Path, loc: dict) -> str:
    phys = loc["physicalLocation"]
    return (base / phys["artifactLocation"]["uri"]).read_text(encoding="utf-8").splitlines()[phys["region"]["startLine"] - 1]


@pytest.fixture(scope="module")
def report():
    return verify(["literal"])


def test_sarif_has_one_result_per_finding_at_its_rule_line(report, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    for baseline, new_level in ((None, "note"), ("none", "error")):
        assert cli.main(
            ["verify", "--spec", "spec", "--profile", "literal", "--format", "sarif", *(["--baseline", baseline] if baseline else [])]
        ) == (1 if baseline else 0)
        results = check_sarif(json.loads(capsys.readouterr().out), ROOT)
        by_id = {f.id: f for f in report.findings}
        assert sorted(r["partialFingerprints"]["kzappealsFinding/v1"] for r in results) == sorted(by_id)
        for r in results:
            f = by_id[r["partialFingerprints"]["kzappealsFinding/v1"]]
            assert r["level"] == ("note" if f.kind == "assumption" else new_level)
            if f.rules:  # located at the `id = "..."` line of its first rule, in that rule's file
                assert r["locations"] and f'id = "{f.rules[0]}"' in _line(ROOT, r["locations"][0])
                assert r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("spec/rules/")


def test_junit_parses_and_fails_exactly_the_new_findings(report):
    for baseline in ({}, vr.load_baseline(SPEC_DIR / cli.DEFAULT_BASELINE)):
        root = ET.fromstring(render_junit(report, baseline))
        cases = root.findall(".//testcase")
        failed = {c.get("name").split(":")[0] for c in cases if c.find("failure") is not None}
        assert failed == {f.id for f in vr.new_findings(report, baseline)}
        assert int(root.get("tests")) == len(cases) == len(report.findings) + len(report.proved)
        assert int(root.get("failures")) == len(failed)
        causes = {p.get("name") for p in root.findall("./testsuite/properties/property")}
        assert causes == {c.get("classname").rsplit(".", 1)[1] for c in cases if "proved" not in c.get("classname")}


def test_junit_replaces_characters_xml_forbids(report):
    f = report.findings[0]
    bad = f.model_copy(update={"message": Text(ru="\x01 <&> \x1b[31m", en="ctrl \x00\x0b\x0c end")})
    text = render_junit(report.model_copy(update={"findings": (bad, *report.findings[1:])}), {})
    ET.fromstring(text)  # would raise on a forbidden character
    assert "\x00" not in text and "\x1b" not in text and "ctrl \ufffd\ufffd\ufffd end" in text
    assert xml_text("tab\tand\nnewline") == "tab\tand\nnewline"


def test_summary_lists_new_and_removed_with_counts(report, tmp_path):
    accepted = vr.load_baseline(SPEC_DIR / cli.DEFAULT_BASELINE)
    literal = {i: r for i, r in accepted.items() if i in {f.id for f in report.findings}}
    dropped = sorted(literal)[:3]
    gone = "conflict-literal-0000000000"  # accepted, but no such finding: REMOVED
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"accepted": [{"id": i, "reason": "r"} for i in sorted(set(literal) - set(dropped)) + [gone]]}))
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    assert cli.main(["verify", "--profile", "literal", "--baseline", str(baseline), "--format", "json", "--summary", str(summary)]) == 1
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n")  # appended, as $GITHUB_STEP_SUMMARY expects
    assert "3 new, 1 removed" in text and "### NEW (3)" in text and "### REMOVED (1)" in text and gone in text
    assert f"`{dropped[0]}`" in text or any(f"`{d}`" in text for d in dropped)
    assert not any(f"`{i}`" in text for i in sorted(set(literal) - set(dropped)))


def test_json_findings_carry_their_baseline_status(capsys):
    assert cli.main(["verify", "--profile", "literal", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    vr.VerificationDocument.model_validate(data)
    accepted = vr.load_baseline(SPEC_DIR / cli.DEFAULT_BASELINE)
    for f in data["findings"]:
        assert f["baseline"] == ("not gated" if f["kind"] == "assumption" else "accepted" if f["id"] in accepted else "new")
    assert cli.main(["verify", "--profile", "literal", "--format", "json", "--baseline", "none"]) == 1
    assert {f["baseline"] for f in json.loads(capsys.readouterr().out)["findings"]} == {"new", "not gated"}


def doc_commands() -> list[str]:
    """The kzappeals command lines of docs/ci.md's code blocks, in order (YAML `run:`/`- ` lines and sh lines)."""
    text = (ROOT / "docs/ci.md").read_text(encoding="utf-8")
    out = []
    for block in re.findall(r"```(?:yaml|sh)\n(.*?)```", text, re.S):
        for line in block.splitlines():
            cmd = re.sub(r"^\s*(?:- )?(?:run: )?", "", line).strip()
            if cmd.startswith("kzappeals "):
                out.append(cmd)
    return out


def test_ci_doc_jobs_gate_a_rule_change(tmp_path, capsys):
    """On a draft that makes a rule of point 54 name another signatory, the documented jobs write
    their reports, annotate that rule's line as an error, and fail at the gate; once the drafters
    accept the findings (the doc's last command), the gate passes."""
    commands = doc_commands()
    assert sum("--summary" in c for c in commands) == 2 and any("--format sarif" in c for c in commands)
    assert any("--format junit" in c for c in commands)
    shutil.copytree(SPEC_DIR, tmp_path / "spec", ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    rules = tmp_path / "spec/rules/p54.toml"
    text = rules.read_text(encoding="utf-8")
    old = 'id = "p54.pp7.a3"\ncites = ["p54.pp7.a1"]\nwhen = "handled_at == district and outcome == refused"\nthen = { signatory = "head" }'
    assert old in text
    rules.write_text(text.replace(old, old.replace('"head"', '"deputy_head"')), encoding="utf-8")
    env = {**os.environ, "GITHUB_STEP_SUMMARY": str(tmp_path / "step-summary.md")}
    codes = []
    for cmd in commands:
        done = subprocess.run(["bash", "-c", cmd], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        assert "Traceback" not in done.stderr, (cmd, done.stderr)
        codes.append(done.returncode)
    gates = [i for i, c in enumerate(commands) if "--summary" in c]
    assert [codes[i] for i in gates] == [1, 1], (commands, codes)
    assert all(c == 0 for i, c in enumerate(codes) if i not in gates), (commands, codes)
    results = check_sarif(json.loads((tmp_path / "kzappeals.sarif").read_text(encoding="utf-8")), tmp_path)
    errors = [r for r in results if r["level"] == "error"]
    assert errors and any('id = "p54.pp7.a3"' in _line(tmp_path, loc) for r in errors for loc in r["locations"])
    ET.parse(tmp_path / "kzappeals-junit.xml")
    assert "new" in (tmp_path / "step-summary.md").read_text(encoding="utf-8")
    assert (tmp_path / "kzappeals-report/report.html").is_file()
    assert cli.main(["verify", "--spec", str(tmp_path / "spec"), "--format", "json"]) == 0  # accepted: the gate passes


def test_sarif_locates_a_finding_without_rules_at_its_clause_entry(report, monkeypatch):
    from kzappeals.sarif import render_sarif
    from kzappeals.spec.ruleset import default_ruleset

    monkeypatch.chdir(ROOT)
    gap = next(f for f in report.findings if f.kind == "gap")
    lone = gap.model_copy(update={"clauses": ("o165.preamble",)})  # a clause no rule cites
    doc = json.loads(render_sarif(report.model_copy(update={"findings": (lone,)}), {}, default_ruleset(), Path("spec")))
    (result,) = check_sarif(doc, ROOT)
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "spec/law/clauses.toml"
    assert 'id = "o165.preamble"' in _line(ROOT, result["locations"][0])
