"""A vendor watches a certification move: a live bar on a terminal, a line per phase in a log, nothing when quiet."""

from __future__ import annotations

import io

from kzappeals.cli import main
from kzappeals.conformance.adapters import PythonAdapter
from kzappeals.conformance.progress import Progress
from kzappeals.conformance.runner import Options, certify

QUICK = dict(profiles=("literal",), max_examples=30)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _run(stream, quiet=False) -> str:
    certify(PythonAdapter("kzappeals.conformance.oracle:answer"), Options(**QUICK, progress=Progress(stream, quiet=quiet)))
    return stream.getvalue()


def test_a_log_gets_a_plain_line_per_phase():
    lines = _run(io.StringIO()).splitlines()
    for phase in ("literal: test vectors", "literal: generated cases", "literal: metamorphic variants"):
        assert any(line.startswith(phase) for line in lines), lines
    assert all("\r" not in line and "\x1b" not in line for line in lines)


def test_a_terminal_gets_one_line_redrawn_per_phase():
    out = _run(_Terminal())
    assert "\r\x1b[K" in out and out.count("\n") == 3  # one finished line per phase


def test_quiet_means_nothing(tmp_path, capsys):
    assert _run(io.StringIO(), quiet=True) == ""
    main(["certify", "--profile", "literal", "--max-examples", "20", "--quiet", "--report-dir", str(tmp_path)])
    assert capsys.readouterr().err == ""


def test_selfcheck_shows_its_phases_and_counts_its_mutants(capsys):
    main(["selfcheck", "--only", "behaviour:deadline", "--max-examples", "20", "--equivalence-sample", "50", "--jobs", "1"])
    err = capsys.readouterr().err.splitlines()
    assert any(line.startswith("self-check: the reference's run") for line in err)
    assert any(line.startswith("self-check: mutants") for line in err), err
