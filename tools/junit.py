"""`kzappeals verify --format junit`: the findings as JUnit XML, for CI test-report pages.

One test suite per profile, its root causes as its properties; one test case per finding, named by its root cause
(kzappeals.findings_groups) and its id. A new finding (not in the baseline) is a failure; an
accepted one is skipped with the baseline's reason; a principle proved is a passing case.
Characters XML 1.0 forbids (control characters other than tab and newline) are replaced.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from kzappeals.findings_groups import group_findings, status
from kzappeals.spec.findings import Report

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(s: str) -> str:
    """``s`` with every character XML 1.0 cannot carry replaced by U+FFFD."""
    return _FORBIDDEN.sub("\ufffd", s)


def render_junit(report: Report, baseline: dict[str, str]) -> str:
    groups = group_findings(report, baseline)
    group_of = {fid: g for g in groups for fid in g.findings}
    root = ET.Element("testsuites", name="kzappeals verify")
    total = failures = skipped = 0
    for name in ["all", *(p.name for p in report.profiles)]:
        findings = [f for f in report.findings if f.profile == name]
        proved = [x for x in report.proved if x.profile == name]
        if not findings and not proved:
            continue
        suite = ET.SubElement(root, "testsuite", name=xml_text(f"kzappeals verify: {name}"))
        props = ET.SubElement(suite, "properties")  # the root causes lead, as in every format
        for g in (g for g in groups if g.profile == name):
            ET.SubElement(props, "property", name=g.id, value=xml_text(f"{g.count} finding(s), {g.new} new: {g.kind}: {g.title}"))
        n_fail = n_skip = 0
        for f in findings:
            g = group_of[f.id]
            case = ET.SubElement(suite, "testcase", classname=xml_text(f"{name}.{g.kind}.{g.id}"), name=xml_text(f"{f.id}: {g.title}"))
            detail = f"{f.message.en}\nClauses: {', '.join(dict.fromkeys(f.clauses))}\nIn full: kzappeals verify --explain {f.id}"
            st = status(f, baseline)
            if st == "new":
                n_fail += 1
                fail = ET.SubElement(case, "failure", message=xml_text(f"NEW {f.kind}: {g.title}"), type=f.kind)
                fail.text = xml_text(detail)
            else:
                n_skip += 1
                reason = baseline.get(f.id, "an assumption: reported, never gated")
                ET.SubElement(case, "skipped", message=xml_text(f"accepted: {reason}" if st == "accepted" else reason))
        for x in proved:
            ET.SubElement(suite, "testcase", classname=xml_text(f"{name}.proved"), name=xml_text(f"{x.principle}: {x.message.en}"))
        count = len(findings) + len(proved)
        suite.set("tests", str(count))
        suite.set("failures", str(n_fail))
        suite.set("errors", "0")
        suite.set("skipped", str(n_skip))
        total, failures, skipped = total + count, failures + n_fail, skipped + n_skip
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", "0")
    root.set("skipped", str(skipped))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
