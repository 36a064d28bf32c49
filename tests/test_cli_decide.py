"""`kzappeals decide`: the reference implementation on the command line."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pytest

from kzappeals.cli import main
from kzappeals.reference_impl import decide
from kzappeals.spec.case_json import parse_case
from kzappeals.spec.vocabulary import Decision

ORDINARY = json.loads((files("kzappeals.spec") / "ordinary-appeal.json").read_text(encoding="utf-8"))
FORWARDED = {**ORDINARY, "handled_at": "gpo_department", "competent": "lower_prosecutor"}


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_one_case_as_a_table_cites_every_clause(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["decide", write(tmp_path, "case.json", json.dumps(FORWARDED))]) == 0
    out = capsys.readouterr().out
    assert "case, profile literal: in force" in out
    assert "handler      ambiguous" in out
    assert "appeals_department (p23.pp1.ch1)" in out
    assert "forwarding due by 2016-06-06" in out
    why = out.split("why:")[1]
    assert "p23.pp1.ch2    point 23, subpoint 1), part 2" in why
    assert "o165.p4        order No. 165, point 4" in why


def test_one_case_as_json_is_the_decision(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "case.json", json.dumps(FORWARDED, indent=2))  # laid out over several lines
    assert main(["decide", path, "--format", "json", "--profile", "lex-specialis"]) == 0
    printed = Decision.model_validate_json(capsys.readouterr().out)
    assert printed == decide(parse_case(FORWARDED), "lex-specialis")


def test_all_profiles_as_a_json_array(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["decide", write(tmp_path, "case.json", json.dumps(ORDINARY)), "--format", "json", "--profile", "all"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert [d["profile"] for d in printed] == ["literal", "residual-yields", "subpoint-order", "lex-specialis"]


def test_json_lines_in_json_lines_out_and_bad_lines_named_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = [
        json.dumps(FORWARDED),
        '{"received_on": ',  # not JSON
        json.dumps({**ORDINARY, "complaint_about": "deputy_head"}),  # incoherent: only a complaint complains
        json.dumps({**ORDINARY, "kind": "petition"}),  # not a kind
        "",
        json.dumps(ORDINARY),
    ]
    path = write(tmp_path, "batch.jsonl", "\n".join(lines) + "\n")
    assert main(["decide", path, "--format", "json"]) == 2
    captured = capsys.readouterr()
    out = [json.loads(line) for line in captured.out.splitlines()]
    assert [o["line"] for o in out] == [1, 6]  # the valid cases are still answered
    assert Decision.model_validate_json(json.dumps(out[0]["decision"])).forwarding_due.isoformat() == "2016-06-06"
    err = captured.err.splitlines()
    assert len(err) == 3
    assert "line 2: not JSON" in err[0]
    assert "line 3: field 'complaint_about'" in err[1] and "(clause p54.pp3.a2)" in err[1]
    assert "line 4: field 'kind': Input should be" in err[2]
    assert "Traceback" not in captured.err


def test_json_lines_as_tables(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "batch.jsonl", json.dumps(ORDINARY) + "\n" + json.dumps({**ORDINARY, "received_on": "2018-07-01"}) + "\n")
    assert main(["decide", path]) == 0
    out = capsys.readouterr().out
    assert "line 1, profile literal: in force" in out
    assert "line 2, profile literal: NOT IN FORCE (repealed)" in out


def test_standard_input(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(json.dumps(ORDINARY).encode())))
    assert main(["decide", "-", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["signatory"]["status"] == "decided"


def test_publication_dates_and_receipt_counting(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    early = write(tmp_path, "early.json", json.dumps({**ORDINARY, "received_on": "2016-03-01"}))
    assert main(["decide", early, "--format", "json", "--publication-165", "2016-02-25"]) == 0
    assert json.loads(capsys.readouterr().out)["in_force"] == "before"
    nauryz = write(tmp_path, "nauryz.json", json.dumps({**FORWARDED, "received_on": "2016-03-21"}))
    assert main(["decide", nauryz, "--format", "json", "--receipt-counting", "non-working-receipt-moves"]) == 0
    assert json.loads(capsys.readouterr().out)["forwarding_due"] == "2016-03-29"
    july = write(tmp_path, "july.json", json.dumps({**ORDINARY, "received_on": "2018-07-05"}))
    assert main(["decide", july, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["in_force"] == "repealed"  # from 29.06.2018 by default
    assert main(["decide", july, "--format", "json", "--publication-72", "2018-07-01"]) == 0
    assert json.loads(capsys.readouterr().out)["in_force"] == "in_force"


@pytest.mark.parametrize(
    ("argv", "text", "message"),
    [
        (["--profile", "purposive"], json.dumps(ORDINARY), "--profile: 'purposive' is not a profile"),
        (["--publication-165", "11.02.2016"], json.dumps(ORDINARY), "--publication-165: '11.02.2016' is not a date"),
        (["--publication-165", "2016-01-01"], json.dumps(ORDINARY), "precedes the registration of order No. 165"),
        ([], "[1, 2]", "expected a JSON object (a case) or JSON Lines"),
        ([], '{"kind": ', "not JSON"),
        ([], json.dumps({**ORDINARY, "received_on": "1464739200"}), "field 'received_on': a date is a string YYYY-MM-DD"),
        (
            [],
            json.dumps({**ORDINARY, "unknown_provisions": ["p54.pp1", "p54.pp1"]}),
            "field 'unknown_provisions': 'p54.pp1' is given twice",
        ),
        ([], json.dumps({k: v for k, v in ORDINARY.items() if k != "kind"}), "field 'kind': missing (clause p2.pp1)"),
        ([], "\n\n", "no case"),
        ([], json.dumps({**ORDINARY, "collective": "no"}), "field 'collective'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], text: str, message: str
) -> None:
    assert main(["decide", write(tmp_path, "case.json", text), *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1 and message in captured.err


def test_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["decide", "/nonexistent/case.json"]) == 2
    assert "cannot read the file" in capsys.readouterr().err


def test_the_installed_command(tmp_path: Path) -> None:
    """One run of the `kzappeals` executable, reading JSON Lines on standard input."""
    exe = shutil.which("kzappeals")
    command = [exe] if exe else [sys.executable, "-m", "kzappeals"]
    batch = json.dumps(FORWARDED) + "\n" + json.dumps({**ORDINARY, "kind": "petition"}) + "\n"
    run = subprocess.run(
        [*command, "decide", "-", "--format", "json", "--profile", "all"], input=batch, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 2
    out = [json.loads(line) for line in run.stdout.splitlines()]
    assert [(o["line"], o["decision"]["profile"]) for o in out] == [
        (1, "literal"),
        (1, "residual-yields"),
        (1, "subpoint-order"),
        (1, "lex-specialis"),
    ]
    assert run.stderr.count("\n") == 1 and "line 2: field 'kind'" in run.stderr


def run_decide(data: bytes, tmp_path: Path, source: str, *argv: str) -> tuple[int, str, list[str]]:
    """`kzappeals decide` in process on ``data`` from a file or standard input: exit code, what it
    printed, its stderr lines."""
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin, sys.stdout, sys.stderr
    path = tmp_path / "input"
    path.write_bytes(data)
    sys.stdin, sys.stdout, sys.stderr = io.TextIOWrapper(io.BytesIO(data)), out, err
    try:
        code = main(["decide", "-" if source == "stdin" else str(path), "--format", "json", *argv])
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
    return code, out.getvalue(), err.getvalue().split("\n")[:-1]


def answered(out: str) -> list[int]:
    """Line numbers of the JSON Lines answers, in the order printed."""
    return [json.loads(line)["line"] for line in out.split("\n") if line]


GOOD = json.dumps(ORDINARY).encode()


@pytest.mark.parametrize("source", ["file", "stdin"])
@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        # a JSON string may hold any line separator but "\n": the line stays one line
        (json.dumps({**ORDINARY, "kind": "a\u2028b\u0085c\x0cd\x1ce\u2029f\rg"}, ensure_ascii=False).encode(), "field 'kind'"),
        (json.dumps({**ORDINARY, "x\u2028y": 1}, ensure_ascii=False).encode(), "field 'x\\u2028y': not a field of a case"),
        (b"[" * 100_000, "not JSON (recursion limit"),
        (b'{"a": ' * 5_000, "not JSON (recursion limit"),
        (b'{"kind": "\\ud800"}', "not JSON"),
        (b'{"kind": "\xed\xa0\x80"}', "not UTF-8 (byte 0xed at byte 11)"),
        (b"\xff\xfe{\x00}\x00", "not UTF-8 (byte 0xff at byte 1)"),
        (b"x" * (2 << 20), "longer than 1048576 bytes"),
        (b"{", "not JSON"),
        (json.dumps({**ORDINARY, "received_on": "86400"}).encode(), "field 'received_on': a date is a string YYYY-MM-DD (clauses o165.p4"),
        (json.dumps({**ORDINARY, "received_on": "2016-02-30"}).encode(), "'2016-02-30' is not a day of the calendar"),
    ],
)
def test_a_bad_line_costs_that_line_only(tmp_path: Path, source: str, bad: bytes, reason: str) -> None:
    """Good lines before and after a hostile one are answered under their own numbers, the same from a file and from stdin."""
    code, out, err = run_decide(GOOD + b"\n" + bad + b"\n\n" + GOOD + b"\r\n", tmp_path, source)
    assert code == 2
    assert answered(out) == [1, 4]
    assert len(err) == 1 and ": line 2: " in err[0] and reason in err[0], err
    assert err[0].isprintable()


@pytest.mark.parametrize("source", ["file", "stdin"])
def test_a_batch_whose_first_line_is_a_brace_loses_only_that_line(tmp_path: Path, source: str) -> None:
    code, out, err = run_decide(b"{\n" + GOOD + b"\n" + GOOD + b"\n", tmp_path, source)
    assert (code, answered(out)) == (2, [2, 3])
    assert len(err) == 1 and "line 1: not JSON" in err[0]


@pytest.mark.parametrize("source", ["file", "stdin"])
def test_one_object_over_many_lines_is_one_case(tmp_path: Path, source: str) -> None:
    text = json.dumps({**ORDINARY, "kind": "complaint"}, indent=4).replace("\n", "\r\n").encode()
    code, out, err = run_decide(b"\xef\xbb\xbf\n" + text + b"\n\n", tmp_path, source)
    assert (code, err) == (0, [])
    assert Decision.model_validate_json(out).profile == "literal"


def test_an_error_never_echoes_input_over_several_lines(tmp_path: Path) -> None:
    hostile = "a\nb\u2028c\x1b[31m" + "z" * 10_000
    code, out, err = run_decide(json.dumps({**ORDINARY, hostile: 1}, ensure_ascii=False).encode(), tmp_path, "file")
    assert (code, out, len(err)) == (2, "", 1)
    assert "case: field 'a\\nb\\u2028c\\x1b[31mzz" in err[0] and len(err[0]) < 300 and err[0].isprintable()


class _Counting:
    """Standard input that counts the lines taken from it."""

    def __init__(self, lines: list[bytes]):
        self.lines, self.taken = lines, 0
        self.buffer = self

    def readline(self, size: int = -1) -> bytes:
        if self.taken == len(self.lines):
            return b""
        self.taken += 1
        return self.lines[self.taken - 1]


def test_answers_are_written_as_the_lines_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """Streaming: when the answer to line N is written, at most line N+1 has been read (memory does
    not grow with the batch)."""
    source = _Counting([GOOD + b"\n"] * 50)
    read_when_answered = []

    class Out(io.StringIO):
        def write(self, text: str) -> int:
            if text.startswith('{"line"'):
                read_when_answered.append((json.loads(text)["line"], source.taken))
            return super().write(text)

    monkeypatch.setattr(sys, "stdin", source)
    monkeypatch.setattr(sys, "stdout", Out())
    assert main(["decide", "-", "--format", "json"]) == 0
    assert [n for n, _ in read_when_answered] == list(range(1, 51))
    assert all(taken <= n + 1 for n, taken in read_when_answered), read_when_answered


@pytest.mark.parametrize(("inside", "reason"), [(b'"\\ud800"', "not JSON"), (b'"\xff"', "not UTF-8 (byte 0xff")])
def test_one_object_over_many_lines_with_a_bad_string_is_one_bad_case(tmp_path: Path, inside: bytes, reason: str) -> None:
    text = json.dumps({**ORDINARY, "kind": "KIND"}, indent=2).encode().replace(b'"KIND"', inside)
    code, out, err = run_decide(text, tmp_path, "file")
    assert (code, out, len(err)) == (2, "", 1)
    assert ": case: " in err[0] and reason in err[0]


def test_standard_input_closed_is_bad_input() -> None:
    exe = shutil.which("kzappeals")
    command = exe if exe else f"{sys.executable} -m kzappeals"
    run = subprocess.run(f"{command} decide - <&-", shell=True, capture_output=True, text=True, timeout=120)
    assert (run.returncode, run.stderr) == (2, "kzappeals: error: standard input: not open\n")
