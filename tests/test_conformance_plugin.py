"""The pytest plugin, run in a scratch pytest session (pytester)."""

from __future__ import annotations

from importlib.metadata import entry_points

from kzappeals.conformance.runner import available_vectors

pytest_plugins = ["pytester"]

REFERENCE = "--kzappeals-impl=python:kzappeals.conformance.oracle:answer"
BROKEN = """
from kzappeals.conformance.oracle import answer as reference

KZAPPEALS_IMPLEMENTATION = {"name": "broken", "version": "0.0.1", "language": "python"}
KZAPPEALS_PROFILES = ["literal"]
KZAPPEALS_LEVELS = ["signature"]


def answer(case, profile):
    a = reference(case, profile)
    if case["handled_at"] in ("regional", "agency", "institution") and case["outcome"] == "refused" and a["signatory"] == "head":
        a["signatory"] = "deputy_head"  # misreads p54.pp5.a5
    if case["collective"] and a["signatory"] == "head":
        a["signatory"] = "resolving_official"  # reads into point 54 a distinction it does not make
    return a
"""
# The vectors show the first misreading; the second turns on a fact point 54 does not read (a collective
# appeal, p2.pp1), so no vector can show it and only the property test finds it.


def plugin() -> list[str]:
    # Once the pytest11 entry point is installed the plugin is loaded already; -p would register it twice.
    installed = any(ep.value == "kzappeals.conformance.pytest_plugin" for ep in entry_points(group="pytest11"))
    return [] if installed else ["-p", "kzappeals.conformance.pytest_plugin"]


def literal_vectors() -> int:
    return len([v for v in available_vectors() if v.profile == "literal"])


def test_without_an_implementation_the_plugin_adds_nothing(pytester):
    pytester.makepyfile("def test_vendors_own():\n    pass\n")
    pytester.runpytest(*plugin()).assert_outcomes(passed=1)


def test_one_test_per_vector_a_property_test_and_a_protocol_test(pytester):
    result = pytester.runpytest(*plugin(), REFERENCE, "--kzappeals-profile=literal", "--kzappeals-max-examples=30")
    result.assert_outcomes(passed=literal_vectors() + 2)
    only_property = pytester.runpytest(
        *plugin(), REFERENCE, "--kzappeals-profile=literal", "--kzappeals-max-examples=30", "-k", "hypothesis", "-v"
    )
    only_property.assert_outcomes(passed=1)
    only_property.stdout.fnmatch_lines(["*kzappeals::hypothesis?literal? PASSED*"])


def test_a_misread_clause_fails_its_vectors_and_the_property_test_with_a_minimal_case(pytester, tmp_path):
    pytester.makepyfile(broken_vendor=BROKEN)
    pytester.syspathinsert()
    report = tmp_path / "report"
    result = pytester.runpytest(
        *plugin(), "--kzappeals-impl=python:broken_vendor:answer", "--kzappeals-max-examples=200", f"--kzappeals-report-dir={report}"
    )
    outcomes = result.parseoutcomes()
    assert outcomes["failed"] >= 2 and outcomes["skipped"] > 0  # the three unclaimed profiles are skipped
    out = result.stdout.str()
    assert "signatory: expected head (p54.pp5.a5, p54.pp5.a6), got deputy_head" in out
    assert "minimal case: the ordinary appeal (spec/ordinary-appeal.json) with `collective`" in out
    assert (report / "certificate.md").exists()


def test_a_bad_implementation_spec_is_a_usage_error(pytester):
    result = pytester.runpytest(*plugin(), "--kzappeals-impl=nonsense")
    assert result.ret == 4  # pytest's usage error
    result.stderr.fnmatch_lines(["*kzappeals: --impl: 'nonsense' is not python:package.module:function*"])


def test_an_implementation_that_cannot_start_fails_every_test_with_the_reason(pytester):
    pytester.makepyfile(dead_vendor="raise RuntimeError('licence expired')\n")
    pytester.syspathinsert()
    result = pytester.runpytest(*plugin(), "--kzappeals-impl=python:dead_vendor:answer", "--kzappeals-profile=literal", "-k", "hypothesis")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*the implementation could not be run: crash-at-start*"])
