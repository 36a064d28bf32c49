"""The real runner against real misbehaving processes (tests/miniatures/): every fault is reported
with evidence, the runner never hangs, and results gathered before a fault are kept."""

from __future__ import annotations

import json
import shlex
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kzappeals.cli import main
from kzappeals.conformance.adapters import CommandAdapter
from kzappeals.conformance.protocol import Certificate
from kzappeals.conformance.runner import EXIT_NOT_CERTIFIED, EXIT_NOT_RUN, Options, certify, exit_code

MINI = Path(__file__).parent / "miniatures"


def command(name: str) -> str:
    return shlex.join([sys.executable, str(MINI / f"{name}.py")])


def run(name: str, **overrides) -> Certificate:
    # Small budgets and timeouts: each run takes about a second.
    options = dict(
        profiles=("literal",), max_examples=20, batch_size=3, case_timeout=1.0, start_timeout=5.0, total_timeout=30.0, vectors=[]
    )
    options.update(overrides)
    return certify(CommandAdapter(command(name)), Options(**options))


def fault(cert: Certificate, kind: str):
    found = [f for f in cert.faults if f.kind == kind]
    assert found, f"no {kind} fault in {[f.kind for f in cert.faults]}"
    return found[0]


def literal(cert: Certificate):
    return next(r for r in cert.results if r.profile == "literal")


@pytest.mark.parametrize("name", ["answers_fine", "stderr_noise"])
def test_a_well_behaved_implementation_is_certified_whatever_it_writes_to_stderr(name):
    cert = run(name)
    assert cert.faults == []
    assert cert.verdict == "certified" and exit_code(cert) == 0
    assert literal(cert).generated.run >= 20 and literal(cert).generated.wrong == 0


def test_a_misread_clause_is_named_with_a_minimal_case():
    cert = run("wrong_clause", max_examples=60)
    assert cert.verdict == "partial" and exit_code(cert) == EXIT_NOT_CERTIFIED
    assert "routing" not in cert.levels_certified and "signature" in cert.levels_certified
    failure = literal(cert).failures[0]
    assert failure.minimal and failure.changes == {"channel": "call_centre_conforming"}
    assert failure.mismatches[0].message == "intake: expected appeals_staff (p18.ch2), got null"
    assert not next(c for c in literal(cert).clauses if c.clause == "p18.ch2").passed


def test_crash_at_start_cannot_be_run():
    cert = run("crash_at_start")
    assert not cert.ran and exit_code(cert) == EXIT_NOT_RUN
    f = fault(cert, "crash-at-start")
    assert f.fatal and f.evidence.exit_status == 3
    assert any("licence file" in line for line in f.evidence.stderr_tail)


def test_slow_start_times_out():
    t0 = time.monotonic()
    cert = run("slow_start", start_timeout=0.5)
    assert time.monotonic() - t0 < 5
    assert not cert.ran and exit_code(cert) == EXIT_NOT_RUN
    assert "within 0.5 s" in fault(cert, "start-timeout").message


def test_version_mismatch_cannot_be_run():
    cert = run("version_mismatch")
    assert not cert.ran and exit_code(cert) == EXIT_NOT_RUN
    assert '"protocol": 2' in fault(cert, "version-mismatch").evidence.line


@pytest.mark.parametrize(
    "name, kind, evidence",
    [
        ("crash_mid_run", "crash", "RuntimeError: vendor engine lost its rule table"),
        ("hang", "hang", "thinking very hard about batch 3"),
        ("invalid_json", "invalid-json", None),
    ],
)
def test_a_session_ending_fault_keeps_the_results_gathered_before_it(name, kind, evidence):
    t0 = time.monotonic()
    cert = run(name, case_timeout=0.3 if name == "hang" else 1.0)
    assert time.monotonic() - t0 < 10
    f = fault(cert, kind)
    assert f.fatal and f.evidence.batch == 3
    if evidence:
        assert any(evidence in line for line in f.evidence.stderr_tail)
        assert f.evidence.exit_status not in (None, 0)
    else:
        assert f.evidence.line.startswith('{"batch": 3, "results": [')
    # Two batches were answered before the fault: their cases are judged and kept.
    r = literal(cert)
    assert cert.ran and r.stopped_by == "fault" and r.generated.run >= 2 and r.generated.right == r.generated.run
    assert cert.verdict == "not certified" and exit_code(cert) == EXIT_NOT_CERTIFIED


@pytest.mark.parametrize(
    "name, kind, check",
    [
        ("invalid_answer", "invalid-answer", lambda f: "chief_prosecutor" in f.evidence.line and f.message.count("signatory")),
        ("missing_result", "missing-result", lambda f: f.evidence.seq is not None and "got" in f.evidence.detail),
        ("extra_result", "extra-result", lambda f: f.evidence.seq == 10**9 and f.evidence.line),
        ("out_of_order", "out-of-order", lambda f: f.evidence.batch is not None and "answered" in f.evidence.detail),
        ("duplicate_result", "duplicate-result", lambda f: f.evidence.seq is not None and f.evidence.line),
        ("inconsistent", "inconsistent", lambda f: '"repealed"' in f.evidence.detail),
        ("bad_exit", "exit-status", lambda f: f.evidence.exit_status == 3),
    ],
)
def test_a_protocol_breach_is_reported_with_evidence_and_the_run_goes_on(name, kind, check):
    cert = run(name)
    f = fault(cert, kind)
    assert not f.fatal and check(f)
    assert literal(cert).generated.run >= 20
    assert cert.verdict == "not certified" and exit_code(cert) == EXIT_NOT_CERTIFIED


def test_only_claimed_profiles_and_levels_are_run():
    cert = run("literal_only", profiles=None)
    assert [r.profile for r in cert.results] == ["literal"] and cert.levels_certified == ["routing"]
    assert cert.verdict == "certified"
    cert = run("literal_only", profiles=("residual-yields",))
    assert [(r.profile, r.status) for r in cert.results] == [("residual-yields", "not claimed")]
    assert cert.verdict == "not certified" and exit_code(cert) == EXIT_NOT_CERTIFIED


def test_the_total_timeout_ends_the_run_and_keeps_its_results():
    """It measures the implementation's own time: five slow batches use up one second."""
    t0 = time.monotonic()
    cert = run("slow_replies", max_examples=10**6, total_timeout=1.0)
    assert time.monotonic() - t0 < 30  # bounded: the run does not go on to its budget of a million cases
    assert literal(cert).stopped_by == "total timeout" and literal(cert).generated.run > 0
    assert fault(cert, "total-timeout")


def test_a_slow_harness_is_not_charged_to_the_implementation(monkeypatch):
    """The same certification with the harness slowed down (every expectation takes 3 ms more to make) gives
    the same certificate: time limits measure the implementation's replies, never the harness's work."""
    from kzappeals.conformance import runner
    from kzappeals.conformance.adapters import PythonAdapter

    options = dict(profiles=("literal",), max_examples=150, total_timeout=0.6, vectors=[])
    plain = certify(PythonAdapter("kzappeals.conformance.oracle:answer"), Options(**options))
    slow_expected = runner.expected

    def slowly(case, profile):
        time.sleep(0.003)
        return slow_expected(case, profile)

    monkeypatch.setattr(runner, "expected", slowly)
    slowed = certify(PythonAdapter("kzappeals.conformance.oracle:answer"), Options(**options))
    assert slowed.run.seconds > options["total_timeout"]  # the harness alone took longer than the limit
    assert slowed.faults == [] and slowed.digest == plain.digest


def test_the_certificate_is_written_even_when_the_implementation_dies(tmp_path, capsys):
    code = main(
        [
            "certify",
            "--impl",
            f"cmd:{command('crash_mid_run')}",
            "--profile",
            "literal",
            "--max-examples",
            "20",
            "--batch-size",
            "3",
            "--report-dir",
            str(tmp_path),
        ]
    )
    assert code == EXIT_NOT_CERTIFIED
    assert "fault: crash" in capsys.readouterr().out
    cert = Certificate.model_validate_json((tmp_path / "certificate.json").read_text(encoding="utf-8"))
    assert literal(cert).vectors.run > 0  # the committed vectors ran before the crash
    md = (tmp_path / "certificate.md").read_text(encoding="utf-8")
    assert "### crash — ended the session" in md and "RuntimeError: vendor engine lost its rule table" in md
    suites = ET.parse(tmp_path / "certificate.junit.xml").getroot()
    assert suites.find("testsuite[@name='protocol']/testcase[@name='crash']/failure") is not None


def test_an_implementation_that_cannot_start_exits_4(tmp_path, capsys):
    code = main(["certify", "--impl", f"cmd:{command('crash_at_start')}", "--report-dir", str(tmp_path)])
    assert code == EXIT_NOT_RUN
    assert "COULD NOT BE RUN" in capsys.readouterr().out
    assert json.loads((tmp_path / "certificate.json").read_text(encoding="utf-8"))["ran"] is False
