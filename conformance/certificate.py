"""A certificate written three ways: Markdown for people, JSON for tools, JUnit XML for CI.

The JSON follows ``conformance/schemas/certificate.schema.json``. Only its
``run`` field (duration, throughput, machine) varies between two runs of the
same implementation with the same seed and options; the Markdown and the
JUnit XML leave it out, so they are reproducible byte for byte.

Everything an implementation says (its name, versions, messages, stderr) is
untrusted: the adapters replace control characters and lone surrogates on the
way in (``adapters.sanitised``), and here each format escapes it on the way
out, so that no name or message can forge a verdict line, inject HTML or break
a table or a code block.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from kzappeals.conformance.protocol import Certificate, Evidence, Failure, ProfileResult

FILES = ("certificate.md", "certificate.json", "certificate.junit.xml")


def default_dir(cert: Certificate, label: str) -> Path:
    """reports/certificates/<implementation name>/ (the handshake's name, else the --impl target's)."""
    name = cert.implementation.name if cert.implementation else label
    return Path("reports") / "certificates" / (re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "implementation")


def write(cert: Certificate, directory: Path) -> list[Path]:
    """The three files, each replaced atomically (an older certificate's files are all replaced, never mixed in)."""
    from kzappeals.output import write_atomic

    texts = (render_markdown(cert), cert.model_dump_json(indent=2) + "\n", render_junit(cert))
    return [write_atomic(directory / name, text) for name, text in zip(FILES, texts)]


def md(text: object) -> str:
    """Untrusted text for Markdown inline or a table cell: one line, HTML and Markdown syntax escaped."""
    one_line = " ".join(str(text).split())
    return _MD_SPECIAL.sub(lambda m: "\\" + m.group(0), html.escape(one_line, quote=False))


_MD_SPECIAL = re.compile(r"[\\`*_\[\]|#!~]")


def md_code(lines: list[str], lang: str = "") -> list[str]:
    """Untrusted lines as a fenced code block whose fence no line can close."""
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + lang, *lines, fence]


def _who(cert: Certificate) -> str:
    impl = cert.implementation
    return f"{impl.name} {impl.version} ({impl.language})" if impl else "an implementation that did not complete its handshake"


def summary(cert: Certificate) -> str:
    """The one-line verdict."""
    if not cert.ran:
        why = cert.faults[0].message if cert.faults else "no handshake"
        return f"{_who(cert)}: COULD NOT BE RUN — {why}"
    levels = ", ".join(cert.levels_certified) or "no level"
    profiles = ", ".join(r.profile for r in cert.results if r.status == "run") or "no profile"
    interrupted = " (INTERRUPTED: results so far)" if cert.interrupted else ""
    return f"{' '.join(_who(cert).split())}: {cert.verdict.upper()}{interrupted} — certified: {levels}; profiles run: {profiles}"


def changes_text(f: Failure) -> str:
    if not f.changes:
        return "the ordinary appeal itself (spec/ordinary-appeal.json)"
    return "the ordinary appeal (spec/ordinary-appeal.json) with " + ", ".join(
        f"`{k}` = `{json.dumps(v, ensure_ascii=False)}`" for k, v in f.changes.items()
    )


def _evidence_lines(ev: Evidence) -> list[str]:
    out = []
    if ev.batch is not None:
        out.append(f"- batch {ev.batch}" + (f", seq {ev.seq}" if ev.seq is not None else ""))
    if ev.exit_status is not None:
        out.append(f"- exit status: {ev.exit_status}")
    if ev.detail:
        out.append(f"- detail: {md(ev.detail)}")
    if ev.line is not None:
        out += ["- offending line:", "", *(f"  {line}" for line in md_code([ev.line]))]
    if ev.stderr_tail:
        out += ["- last stderr lines:", "", *(f"  {line}" for line in md_code(list(ev.stderr_tail)))]
    return out


def _profile_markdown(r: ProfileResult) -> list[str]:
    out = [f"## Profile `{r.profile}`", ""]
    if r.status != "run":
        return out + [f"Not run: {r.status} by the implementation.", ""]
    out += [
        f"- levels judged: {', '.join(r.levels_judged) or 'none'}; certified: {', '.join(r.levels_certified) or 'none'}",
        f"- test vectors: {r.vectors.run} run, {r.vectors.right} right, {r.vectors.wrong} wrong, {r.vectors.skipped} skipped, {r.vectors.unanswered} unanswered",
        f"- generated cases: {r.generated.run} run, {r.generated.right} right, {r.generated.wrong} wrong, {r.generated.skipped} skipped, "
        f"{r.generated.unanswered} unanswered; exploration stopped by: {r.stopped_by or 'n/a'}",
        "",
    ]
    if r.failures:
        out += [f"### Failures ({len(r.failures)})", ""]
        for i, f in enumerate(r.failures, 1):
            out += [
                f"#### {i}. {md(f.mismatches[0].message)}",
                "",
                f"{'Test vector' if f.source == 'vector' else 'Minimal case' if f.minimal else 'Smallest case found (shrinking was cut short)'} "
                f"`{f.id}`: {changes_text(f)}." + (f" Shown by {f.cases} of the cases judged." if f.cases > 1 else ""),
                "",
            ]
            out += [f"- {md(m.message)}" for m in f.mismatches]
            shown = json.dumps({"case": f.case, "expected": f.expected, "actual": f.actual}, indent=2, ensure_ascii=False)
            out += [
                "",
                "<details><summary>case, expected and actual answers</summary>",
                "",
                *md_code(shown.splitlines(), "json"),
                "",
                "</details>",
                "",
            ]
    out += [
        "### Answers by part",
        "",
        "| part | level | judged | wrong | not judged (outside the amended text) | would be answered by |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    out += [
        f"| {p.part} | {p.level} | {p.judged} | {p.wrong} | {p.not_judged} | {', '.join(p.depends_on_unknown) or '—'} |" for p in r.parts
    ]
    out += [
        "",
        "### Clauses",
        "",
        "A clause passes when every judged answer resting on it was right.",
        "",
        "| clause | right | wrong | |",
        "| --- | --- | --- | --- |",
    ]
    out += [f"| {c.clause} | {c.right} | {c.wrong} | {'pass' if c.passed else '**FAIL**'} |" for c in r.clauses]
    return out + [""]


def render_markdown(cert: Certificate) -> str:
    impl = cert.implementation
    out = [
        f"# Conformance certificate: {md(impl.name) if impl else 'unknown implementation'}",
        "",
        f"**{cert.verdict.upper()}**" + (f" for {', '.join(cert.levels_certified)}" if cert.levels_certified else ""),
        "",
        *(["**The run was interrupted**: what follows is what it gathered before; it certifies nothing.", ""] if cert.interrupted else []),
        "| | |",
        "| --- | --- |",
        f"| implementation | {md(_who(cert))}" + (f", {md(impl.homepage)}" if impl and impl.homepage else "") + " |",
        f"| adapter | {cert.adapter} |",
        f"| kzappeals | {cert.stack.kzappeals}, protocol {cert.protocol}; Hypothesis {cert.stack.hypothesis}, holidays {cert.stack.holidays} |",
        f"| specification SHA-256 | `{cert.spec_sha256}` |",
        f"| suite SHA-256 | `{cert.suite_sha256}` |",
        f"| profiles claimed | {', '.join(cert.profiles_claimed) or '—'} |",
        f"| levels claimed / requested / certified | {', '.join(cert.levels_claimed) or '—'} / {', '.join(cert.levels_requested) or '—'} / "
        f"{', '.join(cert.levels_certified) or '—'} |",
        f"| seed, budget, batch size | {cert.seed}, {cert.max_examples} generated cases per profile, {cert.batch_size} "
        f"(at most {cert.max_failures} distinct failures, {cert.metamorphic_cases} metamorphic cases) |",
        f"| digest of the certified content | `{cert.digest}` |",
        "",
    ]
    if not cert.ran:
        out += ["The implementation could not be run: see the protocol faults below.", ""]
    for r in cert.results:
        out += _profile_markdown(r)
    if cert.faults:
        out += [f"## Protocol faults ({len(cert.faults)})", ""]
        for f in cert.faults:
            where = f" (profile `{f.profile}`)" if f.profile else ""
            count = f", {f.occurrences} times" if f.occurrences > 1 else ""
            out += [
                f"### {f.kind}{' — ended the session' if f.fatal else ''}{where}{count}",
                "",
                md(f.message),
                "",
                *_evidence_lines(f.evidence),
                "",
            ]
    return "\n".join(out).rstrip() + "\n"


def render_junit(cert: Certificate) -> str:
    """One test suite per profile: a test per clause, per test vector and per protocol fault."""
    suites = ET.Element("testsuites", name=f"kzappeals conformance: {cert.implementation.name if cert.implementation else 'unknown'}")
    for r in cert.results:
        suite = ET.SubElement(suites, "testsuite", name=f"profile {r.profile}")
        cases = 0
        failed = 0
        skipped = 0
        if r.status != "run":
            tc = ET.SubElement(suite, "testcase", classname=f"kzappeals.{r.profile}", name="profile")
            ET.SubElement(tc, "skipped", message=r.status)
            cases, skipped = 1, 1
        by_clause: dict[str, list[str]] = {}
        for f in r.failures:
            for m in f.mismatches:
                for c in m.provisions:
                    by_clause.setdefault(c, []).append(f"{f.id}: {m.message}")
        for tally in r.clauses:
            tc = ET.SubElement(suite, "testcase", classname=f"kzappeals.{r.profile}.clauses", name=tally.clause)
            cases += 1
            if not tally.passed:
                failed += 1
                el = ET.SubElement(tc, "failure", message=f"{tally.wrong} of {tally.right + tally.wrong} answers wrong")
                el.text = "\n".join(by_clause.get(tally.clause, ["see certificate.md"]))
        for f in r.failures:
            tc = ET.SubElement(suite, "testcase", classname=f"kzappeals.{r.profile}.{f.source}", name=f.id)
            cases += 1
            failed += 1
            el = ET.SubElement(tc, "failure", message=f.mismatches[0].message)
            el.text = json.dumps({"changes": f.changes, "mismatches": [m.message for m in f.mismatches]}, ensure_ascii=False, indent=2)
        suite.set("tests", str(cases))
        suite.set("failures", str(failed))
        suite.set("skipped", str(skipped))
    if cert.faults:
        suite = ET.SubElement(
            suites, "testsuite", name="protocol", tests=str(len(cert.faults)), failures=str(len(cert.faults)), skipped="0"
        )
        for fault in cert.faults:
            tc = ET.SubElement(suite, "testcase", classname="kzappeals.protocol", name=fault.kind)
            el = ET.SubElement(tc, "failure", message=fault.message)
            el.text = "\n".join(_evidence_lines(fault.evidence))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
