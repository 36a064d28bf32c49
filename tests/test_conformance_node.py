"""The Node.js example vendor is certified for what it claims; its broken copy fails on the clause it misreads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kzappeals.conformance import certificate
from kzappeals.conformance.adapters import CommandAdapter
from kzappeals.conformance.runner import EXIT_NOT_CERTIFIED, Options, certify, exit_code

EXAMPLES = Path(__file__).parent.parent / "examples"
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="node (Node.js 20) is not on PATH: the JavaScript example vendors cannot run")


def run(folder: str):
    return certify(CommandAdapter(f"{NODE} {EXAMPLES / folder / 'vendor.js'}"), Options(max_examples=200))


def test_the_node_vendor_is_certified_for_what_it_claims():
    cert = run("node-vendor")
    assert cert.implementation.name == "node-vendor" and cert.implementation.language == "javascript"
    assert cert.profiles_claimed == ["literal"] and cert.levels_claimed == ["routing", "signature"]
    assert cert.faults == [] and cert.verdict == "certified" and exit_code(cert) == 0
    assert cert.levels_certified == ["routing", "signature"]
    (result,) = cert.results
    assert result.vectors.run > 0 and result.vectors.wrong == 0 and result.generated.run >= 200


def test_the_broken_node_vendor_fails_on_p54_pp5_a5_with_a_minimal_case(tmp_path):
    cert = run("node-vendor-broken")
    assert cert.verdict == "partial" and exit_code(cert) == EXIT_NOT_CERTIFIED
    assert cert.levels_certified == ["routing"]
    (result,) = cert.results
    # The smallest failing case, whether a test vector shows it (the vector of p54.pp5.a5 deciding is its
    # smallest appeal) or exploration shrinks to it (it reports only failures no vector showed).
    minimal = min(result.failures, key=lambda f: len(f.changes))
    assert minimal.source == "vector" or minimal.minimal
    assert set(minimal.changes) == {"handled_at", "outcome"}
    assert minimal.changes["outcome"] == "refused" and minimal.changes["handled_at"] in ("regional", "agency", "institution")
    assert "p54.pp5.a5" in minimal.mismatches[0].provisions
    assert minimal.mismatches[0].message == "signatory: expected head (p54.pp5.a5, p54.pp5.a6), got deputy_head"
    assert not next(c for c in result.clauses if c.clause == "p54.pp5.a5").passed
    md = certificate.render_markdown(cert)
    assert "**PARTIAL** for routing" in md and "| p54.pp5.a5 |" in md and '`outcome` = `"refused"`' in md
