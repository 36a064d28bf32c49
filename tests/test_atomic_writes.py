"""Every file is written atomically (kzappeals.output.write_atomic): a failed write leaves the previous
file intact and ends with one line naming the path, exit 5; standard output that fails is exit 5 too."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kzappeals import output
from kzappeals.cli import main
from kzappeals.output import write_atomic
from kzappeals.spec.errors import EXIT_OUTPUT, OutputError
from kzappeals.spec.vocabulary import ordinary_appeal

COMMAND = [shutil.which("kzappeals")] if shutil.which("kzappeals") else [sys.executable, "-m", "kzappeals"]


def _disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_write_replaces_the_file_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_atomic(target, "new — новый\n")
    assert target.read_text(encoding="utf-8") == "new — новый\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]  # no temporary file left


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str) -> None:
    target = tmp_path / "accepted-findings.json"
    target.write_text('{"accepted": []}\n', encoding="utf-8")
    monkeypatch.setattr(output.os, step, _disk_full)
    with pytest.raises(OutputError) as exc:
        write_atomic(target, "x" * 100_000)
    assert str(exc.value) == f"{target}: cannot write: No space left on device"
    assert target.read_text(encoding="utf-8") == '{"accepted": []}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["accepted-findings.json"]


def test_a_folder_that_cannot_be_made(tmp_path: Path) -> None:
    (tmp_path / "reports").write_text("a file, not a folder", encoding="utf-8")
    with pytest.raises(OutputError, match=r"reports/verification\.md: cannot write"):
        write_atomic(tmp_path / "reports" / "verification.md", "text")


def test_verify_write_reports_on_a_full_disk_keeps_the_old_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "verification.md").write_text("previous report\n", encoding="utf-8")
    monkeypatch.setattr(output.os, "fsync", _disk_full)
    assert main(["verify", "--write-reports", "--reports-dir", str(tmp_path)]) == EXIT_OUTPUT
    err = capsys.readouterr().err
    assert err == f"kzappeals: error: {tmp_path / 'verification.md'}: cannot write: No space left on device\n"
    assert (tmp_path / "verification.md").read_text(encoding="utf-8") == "previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["verification.md"]


def test_verify_write_baseline_on_a_full_disk_keeps_the_old_baseline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    baseline = tmp_path / "baseline.json"
    baseline.write_text('{"accepted": []}\n', encoding="utf-8")
    monkeypatch.setattr(output.os, "replace", _disk_full)
    assert main(["verify", "--profile", "literal", "--write-baseline", str(baseline), "--reason", "accepted"]) == EXIT_OUTPUT
    assert "baseline.json: cannot write: No space left on device" in capsys.readouterr().err
    assert json.loads(baseline.read_text(encoding="utf-8")) == {"accepted": []}


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_standard_output_to_a_full_device_is_exit_5_in_one_line(tmp_path: Path) -> None:
    case = tmp_path / "case.json"
    case.write_text(json.dumps(ordinary_appeal()), encoding="utf-8")
    with open("/dev/full", "w") as full:
        run = subprocess.run([*COMMAND, "decide", str(case)], stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    assert run.returncode == EXIT_OUTPUT
    assert run.stderr == "kzappeals: error: standard output: cannot write: No space left on device\n"


def test_a_reader_that_stops_early_ends_the_run_quietly(tmp_path: Path) -> None:
    """`kzappeals decide batch | head -1`: a closed pipe is the reader's choice, not an error."""
    batch = tmp_path / "batch.jsonl"
    batch.write_text((json.dumps(ordinary_appeal()) + "\n") * 3000, encoding="utf-8")
    proc = subprocess.Popen([*COMMAND, "decide", str(batch), "--format", "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline().startswith(b'{"line": 1,')
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0
    assert err == ""
