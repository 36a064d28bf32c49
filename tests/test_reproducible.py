"""A certificate depends on the seed, the options, the spec and the generation stack, and on nothing else.

An auditor reinstalls kzappeals (from a wheel, say) and recomputes a vendor's certificate from its seed:
the JSON must match byte for byte apart from the `run` section (time, throughput, machine). Recent
Hypothesis releases mix into their draws constants mined from whatever "local" modules the process
has loaded, which made an editable install and a wheel, or a fresh process and one that ran other
tests first, draw different cases (kzappeals.conformance.reproducible).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kzappeals
from kzappeals.conformance import certificate, runner
from kzappeals.conformance.adapters import parse_impl

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--profile", "literal", "--seed", "3", "--max-examples", "150"]
VENDOR = """
from kzappeals.conformance.oracle import answer as reference

KZAPPEALS_IMPLEMENTATION = {"name": "misreads-54-collective", "version": "1", "language": "python"}
KZAPPEALS_PROFILES = ["literal"]
KZAPPEALS_LEVELS = ["signature"]


def answer(case, profile):
    a = reference(case, profile)
    if case["collective"] and a["signatory"] == "head":
        a["signatory"] = "deputy_head"  # signs a collective appeal otherwise than point 54 says
    return a
"""
# The misreading turns on a fact point 54 does not read (a collective appeal, p2.pp1), so no test vector
# can show it: only exploration finds it, and what it finds must be the same for the same seed.
# A "local" module full of small integers, as a vendor's own code would be: Hypothesis mines such
# constants from every local module loaded in the process.
CONSTANTS = "TABLE = [" + ", ".join(str(i) for i in range(-400, 400)) + "]\nNAMES = ['regional', 'refused', 'x' * 7]\n"


def _certified(path: Path) -> dict:
    cert = json.loads(path.read_text(encoding="utf-8"))
    del cert["run"]
    return cert


def _certify_in_subprocess(tmp: Path, name: str, pythonpath: list[Path]) -> tuple[dict, str]:
    """`kzappeals certify` in a fresh interpreter, its current directory a scratch folder; returns the
    certified content and the folder kzappeals was imported from."""
    cwd = tmp / name
    cwd.mkdir()
    (cwd / "vendor54.py").write_text(VENDOR, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(p) for p in [cwd, *pythonpath])}
    code = "import sys, kzappeals, kzappeals.cli; print(kzappeals.__file__, file=sys.stderr); sys.exit(kzappeals.cli.main(sys.argv[1:]))"
    proc = subprocess.run(
        [sys.executable, "-c", code, "certify", "--impl", "python:vendor54:answer", *ARGS, "--report-dir", str(cwd / "out")],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 1, proc.stderr  # not certified: the misreading is found
    assert not (cwd / ".hypothesis").exists(), "certification must leave nothing in the current directory"
    return _certified(cwd / "out" / "certificate.json"), proc.stderr.splitlines()[0]


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> dict:
    cert, _ = _certify_in_subprocess(tmp_path_factory.mktemp("fresh"), "a", [])
    return cert


def test_the_misreading_is_found_and_the_certificate_records_what_it_depends_on(fresh):
    generated = [f for r in fresh["results"] for f in r["failures"] if f["source"] == "generated"]
    assert generated, "the misreading of collective appeals is found by exploration (no vector can show it)"
    changes = generated[0]["changes"]  # shrunk to the one fact the misreading needs
    assert changes == {"collective": True}
    assert set(fresh["stack"]) == {"kzappeals", "hypothesis", "holidays"}
    assert fresh["spec_sha256"] and fresh["suite_sha256"]


def test_two_fresh_processes_give_the_same_certificate(fresh, tmp_path):
    again, _ = _certify_in_subprocess(tmp_path, "b", [])
    assert again == fresh


def test_a_process_that_did_other_work_first_gives_the_same_certificate(fresh, tmp_path, monkeypatch):
    """As in a vendor's own pytest session: local modules full of constants are loaded, a Hypothesis
    profile of the vendor's is active, other property tests and another certification ran before."""
    (tmp_path / "vendors_constants.py").write_text(CONSTANTS, encoding="utf-8")
    (tmp_path / "vendor54.py").write_text(VENDOR, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    __import__("vendors_constants")
    before = settings.get_current_profile_name()
    settings.register_profile("vendors-own", max_examples=7, derandomize=True, deadline=50)
    settings.load_profile("vendors-own")
    try:

        @given(st.integers(), st.text())
        def vendors_property(n, s):
            assert isinstance(n, int)

        vendors_property()
        runner.certify(parse_impl("python:vendor54:answer"), runner.Options(profiles=("literal",), seed=99, max_examples=40))
        options = runner.Options(profiles=("literal",), seed=3, max_examples=150)
        cert = runner.certify(parse_impl("python:vendor54:answer"), options)
    finally:
        settings.load_profile(before)
    certificate.write(cert, tmp_path / "out")
    assert _certified(tmp_path / "out" / "certificate.json") == fresh


def test_an_installed_wheel_gives_the_same_certificate_as_the_checkout(fresh, tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (wheel,) = wheels.glob("kzappeals-*.whl")
    site = tmp_path / "venv" / "lib" / "site-packages"  # where an install puts it: Hypothesis treats it as third-party
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    cert, imported_from = _certify_in_subprocess(tmp_path, "wheel", [site])
    assert imported_from.startswith(str(site)) and not imported_from.startswith(str(Path(kzappeals.__file__).parent))
    assert cert == fresh
