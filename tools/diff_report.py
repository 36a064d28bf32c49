"""Rendering of `kzappeals diff`: terminal table, Markdown, JSON (:class:`kzappeals.spec.diff.DiffReport`).

Changes are shown per profile and question, one entry per kind of change (values gained and lost),
with its smallest witness and every region of appeals that change that way.
"""

from __future__ import annotations

import json
from pathlib import Path

from tabulate import tabulate

from kzappeals import __version__
from kzappeals.spec.diff import AnswerChange, AnswerState, DiffReport
from kzappeals.spec.findings import Finding, Range
from kzappeals.spec.ruleset import RuleSet


def committed_findings(ruleset: RuleSet, path: Path) -> list[Finding] | None:
    """The findings of ``ruleset`` from a verification report in JSON (the checkout's committed
    ``reports/verification.json``, every profile) when it was made from the same spec (same SHA-256; a test
    keeps it current), else None. It saves `kzappeals diff` verifying the shipped spec again for every draft."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict) or doc.get("spec_sha256") != ruleset.sha256 or doc.get("spec_version") != __version__:
        return None
    if [p["name"] for p in doc.get("profiles", [])] != list(ruleset.profiles):
        return None
    return [Finding.model_validate({k: v for k, v in f.items() if k != "baseline"}) for f in doc["findings"]]


def region_text(region: tuple[Range, ...], attributes: dict[str, tuple]) -> str:
    """A region in one line: each attribute's values (``attributes``: every attribute's, in order; an
    unknown provision is asserted or not), or the values it excludes when fewer."""
    parts = []
    for r in region:
        rest = [v for v in attributes.get(r.field, (False, True)) if v not in r.values]
        if len(r.values) == 1:
            parts.append(f"{r.field} = {r.values[0]}")
        elif len(rest) < len(r.values):
            parts.append(f"{r.field} not in {rest}" if len(rest) > 1 else f"{r.field} != {rest[0]}")
        else:
            parts.append(f"{r.field} in {list(r.values)}")
    return "; ".join(parts) or "every appeal"


def state_text(s: AnswerState) -> str:
    if not s.values:
        return s.status.replace("_", " ")
    return ("" if s.status == "decided" else "ambiguous: ") + ", ".join(s.values)


def _witness_text(c: AnswerChange) -> str:
    return ", ".join(f"{x.field}={x.value}" for x in c.changes) or "(ordinary appeal)"


def _how(c: AnswerChange) -> str:
    parts = [f"+{v}" for v in c.gained] + [f"-{v}" for v in c.lost]
    if not c.after.values:
        parts.append(f"(now {c.after.status.replace('_', ' ')})")
    elif not c.before.values:
        parts.append(f"(was {c.before.status.replace('_', ' ')})")
    return " ".join(parts)


def groups(report: DiffReport) -> list[list[AnswerChange]]:
    """Changes of one kind (profile, question, values gained and lost), in report order; the first is the smallest."""
    out: dict[tuple, list[AnswerChange]] = {}
    for c in report.changes:
        key = (c.profile, c.question, c.gained, c.lost, bool(c.before.values) or c.before.status, bool(c.after.values) or c.after.status)
        out.setdefault(key, []).append(c)
    return [sorted(g, key=lambda c: len(c.changes)) for g in out.values()]


def _summary_rows(report: DiffReport) -> list[list]:
    rows = []
    for p in report.profiles:
        counts = report.findings.counts.get(p, {"before": 0, "after": 0})
        added = sum(f.profile == p for f in report.findings.added)
        removed = sum(f.profile == p for f in report.findings.removed)
        kinds = [g for g in groups(report) if g[0].profile == p]
        rows.append([p, len(kinds), sum(len(g) for g in kinds), counts["before"], counts["after"], added, removed])
    return rows


_SUMMARY = ["profile", "kinds of change", "regions", "findings before", "after", "added", "removed (fixed)"]


def render_table(report: DiffReport) -> str:
    out = ["kzappeals diff: " + ("the draft changes something." if report.changed else "the draft changes nothing."), ""]
    out.append(tabulate(_summary_rows(report), headers=_SUMMARY, tablefmt="simple"))
    rows = [
        [
            g[0].profile,
            g[0].question,
            _how(g[0]),
            state_text(g[0].before),
            state_text(g[0].after),
            len(g),
            _witness_text(g[0]) + (" (a fact only the draft states)" if g[0].new_in_draft else ""),
        ]
        for g in groups(report)
    ]
    if rows:
        out += [
            "",
            "== Answers that change (before -> after on the smallest appeal; n regions of appeals change so)",
            tabulate(
                rows,
                headers=["profile", "question", "change", "before", "after", "n", "smallest appeal"],
                tablefmt="simple",
                maxcolwidths=[None, None, 24, 30, 30, None, 60],
            ),
        ]
    for title, refs in (
        ("NEW findings (the draft adds)", report.findings.added),
        ("REMOVED findings (the draft fixes)", report.findings.removed),
    ):
        if refs:
            out += ["", f"== {title}"]
            out.append(
                tabulate(
                    [[f.profile, f.kind, f.id, f.message] for f in refs],
                    headers=["profile", "kind", "id", "finding"],
                    tablefmt="simple",
                    maxcolwidths=[None, None, None, 90],
                )
            )
    if report.warnings:
        out += ["", "== Warnings"] + [f"  {w.kind}: {w.message}" for w in report.warnings]
    out += ["", "Every region, witness and clause: kzappeals diff --format markdown (or json)."]
    return "\n".join(out) + "\n"


def render_markdown(report: DiffReport) -> str:
    out = [
        "# What the draft changes",
        "",
        f"Base SHA-256 `{report.base_sha256}`, draft SHA-256 `{report.draft_sha256}` (`kzappeals diff`, version {report.spec_version}).",
        "",
        "An appeal is *smallest* when it differs from the ordinary appeal (`spec/ordinary-appeal.json`) in the fewest attributes. "
        "A region is every coherent appeal whose attributes lie in its ranges.",
        "",
        "## Summary",
        "",
        tabulate(_summary_rows(report), headers=_SUMMARY, tablefmt="github"),
        "",
        "## Answers that change",
        "",
    ]
    if not report.changes:
        out += ["No appeal gets a different answer under any profile compared.", ""]
    for g in groups(report):
        c = g[0]
        out += [
            f"### {c.profile}: {c.question} {_how(c)}",
            "",
            f"- Smallest appeal: {_witness_text(c)}",
            *([f"- Appeals the draft creates: {', '.join(c.new_in_draft)} is a fact only the draft states"] if c.new_in_draft else []),
            f"- Before: {state_text(c.before)}" + (f" ({', '.join(c.clauses_before)})" if c.clauses_before else ""),
            f"- After: {state_text(c.after)}" + (f" ({', '.join(c.clauses_after)})" if c.clauses_after else ""),
            f"- Regions ({len(g)}):",
        ]
        out += [f"  - `{x.id}`: {region_text(x.region, report.attributes)}" for x in g]
        out.append("")
    out += ["## Findings", ""]
    for title, refs in (
        ("Added (the draft adds them)", report.findings.added),
        ("Removed (the draft fixes them)", report.findings.removed),
    ):
        out += [f"### {title}: {len(refs)}", ""]
        out += [f"- `{f.id}` ({f.profile}, {f.kind}): {f.message}" for f in refs] or ["None."]
        out.append("")
    out += [f"Unchanged: {len(report.findings.unchanged)}.", ""]
    if report.warnings:
        out += ["## Warnings", ""] + [f"- {w.kind}: {w.message}" for w in report.warnings] + [""]
    return "\n".join(out).rstrip() + "\n"


def render_json(report: DiffReport) -> str:
    return report.model_dump_json(indent=2) + "\n"


def examples_table(reports: dict[Path, DiffReport]) -> str:
    """The README's table of the worked amendments (``reports``: each amendment file's diff): per profile, the
    kinds of change and their regions, and the findings added and removed."""
    import tomllib

    rows = []
    profiles: list[str] = []
    for path, report in reports.items():
        profiles = profiles or list(report.profiles)
        title = tomllib.loads(path.read_text(encoding="utf-8"))["amendment"]["title_en"]
        kinds = {p: 0 for p in report.profiles}
        for g in groups(report):
            kinds[g[0].profile] += 1
        cells = [f"{kinds[p]} ({sum(c.profile == p for c in report.changes)})" if kinds[p] else "0" for p in report.profiles]
        link = f"[`{path.stem}`](examples/amendments/{path.stem}.diff.md)"
        new = sorted({f for c in report.changes for f in c.new_in_draft})
        rows.append(
            [
                f"{link}: {title}" + (f"; new fact of the case: {', '.join(new)}" if new else ""),
                " / ".join(cells),
                f"{len(report.findings.added)} / {len(report.findings.removed)}",
            ]
        )
    headers = ["example", f"kinds of change (regions) per profile: {' / '.join(profiles)}", "findings added / removed"]
    return tabulate(rows, headers=headers, tablefmt="github") + "\n"
