"""`kzappeals verify --format sarif`: the findings as SARIF 2.1.0, for code-scanning annotations.

One result per finding. Its rule (``ruleId``) is its root cause (kzappeals.findings_groups), so a
code-scanning page lists causes, not hundreds of look-alike alerts. It is located at the line of
its first rule (``id = "..."``) in that rule's file under ``rules/`` of the spec folder; a gap has
no deciding rule, so it is located at the first rule citing one of its clauses (failing that, at its
first clause in law/clauses.toml). Level by baseline
status: new = error, accepted or not gated (an assumption) = note.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from kzappeals import __version__
from kzappeals.findings_groups import group_findings, status
from kzappeals.spec.findings import Finding, Report
from kzappeals.spec.ruleset import RuleSet

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_RULE_ID_LINE = re.compile(r'^\s*id\s*=\s*"([^"]+)"')


def id_lines(paths: list[Path]) -> dict[str, tuple[Path, int]]:
    """Each ``id = "..."`` of these TOML files with its file and line (the first one wins)."""
    out: dict[str, tuple[Path, int]] = {}
    for path in paths:
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            m = _RULE_ID_LINE.match(line)
            if m:
                out.setdefault(m[1], (path, no))
    return out


def rule_lines(spec_dir: Path) -> dict[str, tuple[Path, int]]:
    """Each rule id of ``spec_dir/rules/*.toml`` with its file and the line of its ``id = "..."``."""
    return id_lines(sorted((spec_dir / "rules").glob("*.toml")))


def _uri(path: Path) -> str:
    """Relative to the working directory when the file lies under it (what CI checks out), else a file URI."""
    rel = os.path.relpath(path.resolve(), Path.cwd().resolve())
    return Path(rel).as_posix() if not rel.startswith("..") else path.resolve().as_uri()


def _rules_of(f: Finding, ruleset: RuleSet) -> list[str]:
    if f.rules:
        return list(f.rules)
    clauses = set(f.clauses)
    return [r.id for r in ruleset.rules if clauses & set(r.clauses)][:1]


def _location(key: str, lines: dict[str, tuple[Path, int]]) -> dict | None:
    if key not in lines:
        return None
    path, line = lines[key]
    what = "clause" if path.name == "clauses.toml" else "rule"
    return {
        "physicalLocation": {"artifactLocation": {"uri": _uri(path)}, "region": {"startLine": line}},
        "message": {"text": f"{what} {key}"},
    }


def _text(f: Finding) -> str:
    case = ", ".join(f"{c.field}={c.value}" for c in f.changes) if f.witness is not None else ""
    parts = [f"[{f.profile}] {f.message.en}"]
    if case:
        parts.append(f"Smallest case (changes from an ordinary appeal): {case}.")
    parts.append("Clauses: " + ", ".join(dict.fromkeys(f.clauses)) + f". Finding {f.id}; in full: kzappeals verify --explain {f.id}")
    return " ".join(parts)


def render_sarif(report: Report, baseline: dict[str, str], ruleset: RuleSet, spec_dir: Path) -> str:
    groups = group_findings(report, baseline)
    group_of = {fid: g for g in groups for fid in g.findings}
    index = {g.id: i for i, g in enumerate(groups)}
    lines = rule_lines(spec_dir)
    clause_lines = id_lines([spec_dir / "law" / "clauses.toml"])
    results = []
    for f in report.findings:
        g = group_of[f.id]
        st = status(f, baseline)
        locs = [loc for loc in (_location(r, lines) for r in _rules_of(f, ruleset)) if loc]
        if not locs:  # no rule to point at (a gap no rule's clauses touch): its first clause's registry entry
            locs = [loc for loc in (_location(c, clause_lines) for c in f.clauses) if loc][:1]
        result = {
            "ruleId": g.id,
            "ruleIndex": index[g.id],
            "level": "error" if st == "new" else "note",
            "baselineState": "new" if st == "new" else "unchanged",
            "message": {"text": _text(f)},
            "locations": locs[:1],
            "partialFingerprints": {"kzappealsFinding/v1": f.id},
            "properties": {"kind": f.kind, "profile": f.profile, "baseline": st, "clauses": list(dict.fromkeys(f.clauses))},
        }
        if len(locs) > 1:
            result["relatedLocations"] = [{"id": i, **loc} for i, loc in enumerate(locs[1:], 1)]
        results.append(result)
    rules = [
        {
            "id": g.id,
            "name": g.kind,
            "shortDescription": {"text": f"[{g.profile}] {g.title}"},
            "fullDescription": {
                "text": f"{g.count} finding(s) of one root cause under profile {g.profile}; clauses "
                + ", ".join(g.clauses[:12])
                + (" …" if len(g.clauses) > 12 else "")
            },
            "defaultConfiguration": {"level": "error" if g.new else "note"},
            "properties": {"tags": [g.kind, g.profile], "count": g.count},
        }
        for g in groups
    ]
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "kzappeals", "version": __version__, "semanticVersion": __version__, "rules": rules}},
                "automationDetails": {"id": f"kzappeals-verify/{report.spec_sha256[:16]}"},
                "results": results,
            }
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
